import Testing
@testable import FrontlineRender

@Suite struct StyleColorParsingTests {
    /// True when the components match within rounding.
    private func same(_ color: Color?, _ r: Double, _ g: Double, _ b: Double, _ a: Double = 1) -> Bool {
        guard let color else { return false }
        return [color.red - r / 255, color.green - g / 255, color.blue - b / 255, color.alpha - a].allSatisfy { abs($0) < 1e-9 }
    }

    @Test func hexForms() {
        #expect(same(Color(css: "#f80"), 255, 136, 0))
        #expect(same(Color(css: "#f808"), 255, 136, 0, 136.0 / 255))
        #expect(same(Color(css: "#ff8000"), 255, 128, 0))
        #expect(same(Color(css: "#FF800080"), 255, 128, 0, 128.0 / 255))
    }

    @Test func rgbForms() {
        #expect(same(Color(css: "rgb(255, 128, 0)"), 255, 128, 0))
        #expect(same(Color(css: "rgba(255, 128, 0, 0.5)"), 255, 128, 0, 0.5))
        #expect(same(Color(css: "rgb(100%, 50%, 0%)"), 255, 127.5, 0))
        #expect(same(Color(css: "rgb(255 128 0 / 0.25)"), 255, 128, 0, 0.25))
        #expect(same(Color(css: " RGBA(0,0,255,1) "), 0, 0, 255))
        #expect(same(Color(css: "rgba(300, -5, 0, 2)"), 255, 0, 0, 1))
    }

    @Test func hslForms() {
        #expect(same(Color(css: "hsl(0, 100%, 50%)"), 255, 0, 0))
        #expect(same(Color(css: "hsl(120, 100%, 50%)"), 0, 255, 0))
        #expect(same(Color(css: "hsl(30, 100%, 50%)"), 255, 127.5, 0))
        #expect(same(Color(css: "hsl(0, 0%, 50%)"), 127.5, 127.5, 127.5))
        #expect(same(Color(css: "hsla(240, 100%, 50%, 0.5)"), 0, 0, 255, 0.5))
        #expect(same(Color(css: "hsl(-120deg 100% 25%)"), 0, 0, 127.5))
    }

    @Test func namedColours() {
        #expect(cssNamedColors.count == 148)
        #expect(same(Color(css: "rebeccapurple"), 0x66, 0x33, 0x99))
        #expect(same(Color(css: "DarkSlateGray"), 0x2f, 0x4f, 0x4f))
        #expect(same(Color(css: "grey"), 128, 128, 128))
        #expect(Color(css: "transparent") == .transparent)
    }

    @Test(arguments: ["", "#12", "#ggg", "#1234567", "rgb(1, 2)", "rgb(a, b, c)", "hsl(1, 2%)", "notacolor", "rgb(1, 2, 3",
                      "rgb(1, , 3)", "cmyk(0, 0, 0, 0)"])
    func invalidTextIsNotAColour(_ text: String) {
        #expect(Color(css: text) == nil)
    }
}
