import Foundation
import Testing
import FrontlineData
import FrontlineGeometry
@testable import FrontlineRender

/// Change maps framed on the change, with a locator inset; maps framed on a place.
@Suite struct FramingTests {
    static let source = Result { try MapSource(source: FolderDataSource(directory: RenderFixtures.geodata), styles: StyleCatalog(strict: true)) }
    static let march = MapSubject.change(from: date("2022-03-01"), to: date("2022-03-28"))

    func map(_ configure: (inout ReportRequest) -> Void) throws -> [UInt8] {
        let source = try Self.source.get()
        var request = ReportRequest(subject: Self.march)
        (request.width, request.height) = (800, 600)
        configure(&request)
        return try source.reportMap(source.data, request)
    }

    /// Ground distance in km between two longitude/latitude points (a sphere is close enough at 25 km).
    static func km(_ a: Place, _ b: Place) -> Double {
        let r = Double.pi / 180
        let h = pow(sin((b.lat - a.lat) * r / 2), 2) + cos(a.lat * r) * cos(b.lat * r) * pow(sin((b.lon - a.lon) * r / 2), 2)
        return 2 * 6371 * asin(sqrt(h))
    }

    @Test func theChangeMapOfMarch2022IsFramedOnParukh() throws {
        let text = try ReadBack.text(ofPDF: try map { $0.format = .pdf })
        #expect(text.contains("Parukh"))
        let villages = RenderFixtures.dataset.villages
        let parukh = try #require(villages.first { $0.id == "parukh" })
        let far = villages.filter { Self.km($0, parukh) > 25 }
        #expect(far.count > 20, "the dataset has places far from Parukh to leave out")
        for place in far { #expect(!text.contains(place.name), "\(place.name) is \(Int(Self.km(place, parukh))) km from Parukh") }
    }

    @Test func theFrameIsAtLeastTwelveKilometresAcrossAndHoldsTheChange() throws {
        let source = try Self.source.get()
        let prepared = try source.scene(source.data, Self.march)
        let frame = try MapFrame.area(of: prepared.scene, dataset: RenderFixtures.dataset, bbox: nil, focus: nil)
        let change = try #require(frame.subject)
        #expect(frame.area.minX < change.minX && frame.area.maxX > change.maxX && frame.area.minY < change.minY && frame.area.maxY > change.maxY)
        let viewport = try Viewport.fitting(mercator: frame.area, width: 800, height: 600)
        let groundWidth = Double(viewport.width) * viewport.groundMetresPerPixel, groundHeight = Double(viewport.height) * viewport.groundMetresPerPixel
        #expect(min(groundWidth, groundHeight) >= 12_000 - 1)
        #expect(groundWidth < 40_000, "framed on the change, not the region (\(groundWidth) m)")
    }

    @Test func aFramePaddedPastTheDataIsMovedBackInsideIt() {
        let data = BoundingBox(minX: 0, minY: 0, maxX: 100, maxY: 100)
        let kept = BoundingBox(minX: -10, minY: 20, maxX: 30, maxY: 140).kept(within: data)
        #expect(kept.minX == 0 && kept.maxX == 40, "moved right: \(kept)")
        #expect(kept.minY == 0 && kept.maxY == 100, "taller than the data: cut to it: \(kept)")
        let inside = BoundingBox(minX: 10, minY: 10, maxX: 20, maxY: 20)
        #expect(inside.kept(within: data).minX == 10 && inside.kept(within: data).maxY == 20)
    }

    /// Pixels of the inset's frame box: pure red, a colour no layer of the style uses.
    static func redPixels(_ png: [UInt8]) throws -> [(x: Int, y: Int)] {
        let image = try RasterImage(png: png)
        var found: [(x: Int, y: Int)] = []
        for y in 0..<image.height {
            for x in 0..<image.width {
                if let c = image.pixel(x: x, y: y), c.red > 0.7 && c.green < 0.12 && c.blue < 0.12 { found.append((x, y)) }
            }
        }
        return found
    }

    @Test func theChangeMapHasALocatorInsetInACornerClearOfTheChange() throws {
        let red = try Self.redPixels(try map { _ in })
        #expect(red.count > 20, "the inset outlines the main map's frame")
        // In the top right corner, below the north arrow: the change is in the middle.
        #expect(red.allSatisfy { $0.x > 560 && $0.y < 300 }, "red at \(red.first.map { "\($0)" } ?? "")")
        #expect(try Self.redPixels(try map { $0.inset = false }).isEmpty, "--no-inset leaves it out")
        // A map of the whole region needs no locator, unless asked for.
        #expect(try Self.redPixels(try map { $0.subject = .date(date("2022-03-26")) }).isEmpty)
        #expect(try !Self.redPixels(try map { $0.subject = .date(date("2022-03-26")); $0.inset = true }).isEmpty)
    }

    @Test func theInsetMovesToAnotherCornerWhenTheChangeIsInTheFirst() throws {
        // Parukh near the top right corner of the area asked for: the inset goes to the bottom right.
        let red = try Self.redPixels(try map { $0.bbox = BoundingBox(minX: 46.62, minY: 39.93, maxX: 46.83, maxY: 40.03) })
        #expect(red.count > 20)
        #expect(red.allSatisfy { $0.x > 560 && $0.y > 300 }, "red at \(red.first.map { "\($0)" } ?? "")")
    }

    @Test func theInsetCornerIsTheFirstClearOfTheSubjectAndTheFurniture() throws {
        let size = (width: 200.0, height: 150.0)
        let title = BoundingBox(minX: 14, minY: 14, maxX: 400, maxY: 80), arrow = BoundingBox(minX: 750, minY: 14, maxX: 786, maxY: 70)
        let topRight = try #require(ReportFurniture.corner(for: size, clearOf: [title, arrow], subject: BoundingBox(minX: 380, minY: 280, maxX: 420, maxY: 320),
                                              width: 800, height: 600))
        #expect(topRight.maxX == 786 && topRight.minY >= 70, "below the north arrow: \(topRight)")
        let bottomRight = try #require(ReportFurniture.corner(for: size, clearOf: [title, arrow], subject: BoundingBox(minX: 700, minY: 100, maxX: 760, maxY: 160),
                                                 width: 800, height: 600))
        #expect(bottomRight.maxY == 586 && bottomRight.maxX == 786, "\(bottomRight)")
        // Covering the change cannot be avoided on so small a map: the corner that covers least of it.
        let least = try #require(ReportFurniture.corner(for: (200, 150), clearOf: [], subject: BoundingBox(minX: 0, minY: 0, maxX: 200, maxY: 200),
                                           width: 340, height: 340))
        #expect(least.maxX == 326 && least.maxY == 326, "the corner farthest into the subject's edge: \(least)")
        // No corner left by the furniture: no inset.
        let full = BoundingBox(minX: 14, minY: 14, maxX: 326, maxY: 326)
        #expect(ReportFurniture.corner(for: (100, 80), clearOf: [full], subject: nil, width: 340, height: 340) == nil)
    }

    /// The framed change map as a whole, against a reference image looked at when made
    /// (`UPDATE_GOLDEN=1 swift test --filter framedChangeMapMatchesTheReferenceImage`).
    @Test func framedChangeMapMatchesTheReferenceImage() throws {
        let png = try map { ($0.width, $0.height) = (640, 480) }
        let file = RenderFixtures.golden.appendingPathComponent("framed-changes-2022-03.png")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" { try Data(png).write(to: file) }
        let difference = try #require(try RasterImage(png: png).difference(to: RasterImage(png: Array(try Data(contentsOf: file)))))
        #expect(difference.mean < 0.005, "mean difference \(difference.mean)")
        #expect(difference.changedShare < 0.005, "\(difference.changedShare * 100) % of pixels differ")
    }

    @Test func aBboxStillOverridesTheFrame() throws {
        var request = ReportRequest(subject: Self.march)
        request.format = .pdf
        request.bbox = RenderFixtures.dataset.metadata.bbox
        let source = try Self.source.get()
        let text = try ReadBack.text(ofPDF: try source.reportMap(source.data, request))
        #expect(text.contains("Stepanakert"), "the whole region, its capital with it")
    }

    @Test func aMapFramedAroundAPlaceShowsItsSurroundings() throws {
        let text = try ReadBack.text(ofPDF: try map { $0.subject = .date(date("2022-03-26")); $0.around = PlaceFocus(id: "stepanakert", radiusKm: 4); $0.format = .pdf })
        #expect(text.contains("Stepanakert"))
        #expect(!text.contains("Parukh"), "Parukh is 22 km away")
    }

    @Test func anUnknownPlaceOrABadRadiusIsAClearError() throws {
        #expect(throws: MapRequestError(.unknownPlace, "no village or height has the id 'atlantis' (the ids are in villages.geojson and heights.geojson)")) {
            try map { $0.around = PlaceFocus(id: "atlantis") }
        }
        for radius in [0, -3, .nan, 10_000] {
            #expect(throws: MapRequestError.self) { try map { $0.around = PlaceFocus(id: "parukh", radiusKm: radius) } }
        }
    }
}

/// Report maps laid out on printed pages.
@Suite struct PrintPageTests {
    func page(_ paper: PaperSize, _ format: Canvas.Format, dpi: Double = 300, note: String? = nil) throws -> [UInt8] {
        let source = try FramingTests.source.get()
        var request = ReportRequest(subject: FramingTests.march)
        request.format = format
        var page = PrintPage(paper: paper)
        page.dpi = dpi
        page.note = note
        request.page = page
        return try source.reportMap(source.data, request)
    }

    @Test func anA4PDFHasTheA4MediaBox() throws {
        let size = try ReadBack.pageSize(ofPDF: try page(.a4, .pdf))
        #expect(abs(size.width - 595.28) < 0.1 && abs(size.height - 841.89) < 0.1, "\(size)")
        let landscape = try ReadBack.pageSize(ofPDF: try page(.letterLandscape, .pdf))
        #expect(abs(landscape.width - 792) < 0.1 && abs(landscape.height - 612) < 0.1, "\(landscape)")
    }

    @Test func anA4PNGAt150DpiIsThePageInPixels() throws {
        let image = try RasterImage(png: try page(.a4, .png, dpi: 150))
        #expect(image.width == 1240 && image.height == 1754, "\(image.width)x\(image.height)")
        // White margins around the map.
        #expect(near(image.pixel(x: 10, y: 10), .white) && near(image.pixel(x: 1230, y: 1744), .white))
        #expect(!near(image.pixel(x: 620, y: 877), .white))
    }

    @Test func theNoteIsPrintedUnderTheMap() throws {
        let note = "Ground that changed hands around Parukh; lines approximate."
        let text = try ReadBack.text(ofPDF: try page(.a4, .pdf, note: note))
        #expect(text.contains(note))
        let lines = text.split(separator: "\n").map(String.init)
        let noteLine = try #require(lines.lastIndex(of: note))
        let sourceLine = try #require(lines.lastIndex { $0.hasPrefix("Natural Earth") })
        #expect(noteLine > sourceLine, "under the map and its source line")
        #expect(throws: MapRequestError.self) { try page(.a4Landscape, .pdf, note: String(repeating: "A long note. ", count: 2_000)) }
    }
}
