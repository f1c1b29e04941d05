import Testing
@testable import FrontlineRender

@Suite struct ColorTests {
    @Test func clampsAndDescribes() {
        #expect(Color(r: 255, g: 128, b: 0).description == "#ff8000")
        #expect(Color(red: 2, green: -1, blue: 0.5, alpha: 0.5).description == "rgba(255, 0, 128, 0.5)")
        #expect(Color.white.withOpacity(0.25).alpha == 0.25)
    }
}
