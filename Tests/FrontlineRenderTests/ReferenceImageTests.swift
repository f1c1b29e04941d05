import Foundation
import Testing
import FrontlineData
import FrontlineGeometry
@testable import FrontlineRender

/// The default report map compared with a reference image kept next to this file. When a
/// change to the style or the data is meant to change the map, look at the new image and
/// regenerate the reference with `UPDATE_GOLDEN=1 swift test --filter ReferenceImageTests`.
@Suite struct ReferenceImageTests {
    static let cases: [(name: String, style: String, subject: MapSubject)] = [
        ("default-2022-03-26", "default", .date(date("2022-03-26"))),
        ("print-changes-2022-03", "print", .change(from: date("2022-03-01"), to: date("2022-03-28"))),
    ]

    @Test(arguments: cases.indices)
    func reportMapMatchesTheReferenceImage(_ index: Int) throws {
        let (name, styleName, subject) = Self.cases[index]
        let style = try RenderFixtures.shipped(styleName)
        let renderer = try RenderFixtures.renderer(style, subject)
        let bbox = RenderFixtures.dataset.metadata.bbox
        let viewport = try Viewport.fitting(lonLat: bbox, width: 640, height: 480)
        let furniture = ReportFurniture(title: RenderFixtures.dataset.metadata.title, dateLine: ReportFurniture.dateLine(for: subject),
                                        legend: renderer.legend(zoom: viewport.zoom, in: viewport.bounds),
                                        attribution: RenderFixtures.dataset.metadata.attribution)
        let png = try ReportMap(prepared: renderer.prepared, style: renderer.style, bbox: bbox, width: 640, height: 480, scale: 1, furniture: furniture).render(as: .png)
        let file = RenderFixtures.golden.appendingPathComponent("\(name).png")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try Data(png).write(to: file)
        }
        let reference = try RasterImage(png: Array(try Data(contentsOf: file)))
        let image = try RasterImage(png: png)
        let difference = try #require(image.difference(to: reference))
        // Font hinting or anti-aliasing may move a few pixels; a changed map moves many.
        #expect(difference.mean < 0.005, "mean difference \(difference.mean)")
        #expect(difference.changedShare < 0.005, "\(difference.changedShare * 100) % of pixels differ")
    }

    @Test func theComparisonNoticesAChangedMap() throws {
        let style = try RenderFixtures.shipped("default")
        let bbox = RenderFixtures.dataset.metadata.bbox
        func render(_ day: String) throws -> RasterImage {
            let renderer = try RenderFixtures.renderer(style, .date(date(day)))
            let map = try ReportMap(prepared: renderer.prepared, style: renderer.style, bbox: bbox, width: 320, height: 240, scale: 1,
                                furniture: ReportFurniture(title: nil, dateLine: nil, legend: [], attribution: nil))
            return try RasterImage(png: try map.render(as: .png))
        }
        // Before and after the handover of Aghdam district: a real change of the map.
        let difference = try #require(try render("2020-11-15").difference(to: try render("2020-11-21")))
        #expect(difference.changedShare > 0.02)
    }
}
