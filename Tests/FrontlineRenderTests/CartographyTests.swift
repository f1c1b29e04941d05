import Foundation
import Testing
import FrontlineData
import FrontlineGeometry
@testable import FrontlineRender

/// What an editor checks on a report map: the places ranked, the countries named, peaks drawn as
/// peaks, names in the language asked for and in its script. Labels are read back from the PDF
/// with `pdftotext` (poppler-utils, installed by `scripts/setup.sh --test`).
@Suite struct CartographyTests {
    static let source = try! MapSource(source: FolderDataSource(directory: RenderFixtures.geodata), styles: StyleCatalog(strict: true))

    /// The text of a report map drawn as PDF, as `pdftotext` reads it.
    static func text(of request: ReportRequest, from source: MapSource = CartographyTests.source) throws -> String {
        var request = request
        request.format = .pdf
        let pdf = try source.reportMap(source.data, request)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-map-\(UUID()).pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(pdf).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-enc", "UTF-8", file.path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// The words of a text with letter spacing undone: "A Z E R B A I J A N" and "AZERBAIJAN" alike.
    static func squashed(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    static func map(_ width: Int, _ height: Int, language: String? = nil) -> ReportRequest {
        var request = ReportRequest(subject: .date(date("2022-03-26")))
        (request.width, request.height, request.language) = (width, height, language)
        return request
    }

    @Test func theMapOf26March2022LabelsStepanakertAndNamesTheCountries() throws {
        let small = try Self.text(of: Self.map(800, 600))
        #expect(small.contains("Stepanakert"))
        #expect(Self.squashed(small).contains("AZERBAIJAN"))
        #expect(Self.squashed(small).contains("ARMENIA"))
        let large = try Self.text(of: Self.map(1600, 1200))
        #expect(large.contains("Stepanakert"))
        #expect(Self.squashed(large).contains("ARMENIA"))
        #expect(Self.squashed(large).contains("AZERBAIJAN"))
        // Towns are named before villages: every town in view is labelled on the large map.
        for town in ["Shusha", "Askeran", "Martuni", "Martakert", "Lachin", "Hadrut", "Khojaly", "Aghdam"] {
            #expect(large.contains(town), "\(town)")
        }
    }

    @Test func armenianLabelsStepanakertInArmenianScript() throws {
        let text = try Self.text(of: Self.map(800, 600, language: "hy"))
        #expect(text.contains("Ստեփանակերտ"))
        #expect(!text.contains("Stepanakert"))
        #expect(Self.squashed(text).contains("ԱԴՐԲԵՋԱՆ"))
        let russian = try Self.text(of: Self.map(800, 600, language: "ru"))
        #expect(russian.contains("Степанакерт"))
        let azerbaijani = try Self.text(of: Self.map(800, 600, language: "az"))
        #expect(azerbaijani.contains("Xankəndi"))
    }

    /// Every name a shipped style can write, in every language, has a glyph in the fonts the style names.
    @Test(arguments: ["hy", "az", "ru"])
    func everyNameHasGlyphsInTheStylesFonts(_ language: String) throws {
        let data = Self.source.data
        let scene = try Self.source.scene(data, .date(date("2022-03-26")), language: language).scene
        let canvas = try Canvas(width: 1, height: 1, format: .png)
        // The counter counts: a character of no font (a private-use code point) is an unknown glyph.
        #expect(try canvas.layoutText("\u{10FFFD}", font: FontSpec(size: 12)).unknownGlyphs > 0)
        var checked = 0
        for name in ["default", "print"] {
            let style = try data.style(name)
            for candidate in try MapRenderer(style: style, scene: scene).labelCandidates(zoom: 12, in: nil) {
                let layout = try canvas.layoutText(candidate.text, font: candidate.font)
                #expect(layout.unknownGlyphs == 0, "\(name): \(candidate.text) in \(candidate.font.pangoDescription)")
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    @Test func badLanguagesAreRefusedWithTheCodesOnOffer() throws {
        #expect(try LabelLanguage.parse(nil) == nil)
        #expect(try LabelLanguage.parse("en") == nil)
        #expect(try LabelLanguage.parse("hy") == "hy")
        #expect(throws: MapRequestError(.malformed, "lang must be one of en, hy, az, ru (got 'fr')")) { try LabelLanguage.parse("fr") }
    }

    /// Böyük Kirs drawn on a plain map: its marker is a triangle standing on its base.
    @Test func peaksAreDrawnAsTriangles() throws {
        let style = try RenderFixtures.shipped("default")
        let map = try RenderFixtures.renderer(style, .date(date("2022-03-26")))
        let peak = try #require(RenderFixtures.dataset.heights.first { $0.id == "boyuk-kirs" })
        let box = BoundingBox(minX: peak.lon - 0.05, minY: peak.lat - 0.04, maxX: peak.lon + 0.05, maxY: peak.lat + 0.04)
        let viewport = try Viewport.fitting(lonLat: box, width: 300, height: 240)
        let canvas = try Canvas(width: 300, height: 240, format: .png)
        try map.draw(on: canvas, viewport: viewport, labels: [])
        let (cx, cy) = try RenderFixtures.pixel(peak.lon, peak.lat, viewport)
        let ink = Color(css: "#6b3e1f")!
        // Width of the marker's fill on each row round the point.
        var widths: [Int] = []
        for y in (cy - 12)...(cy + 12) {
            widths.append(((cx - 12)...(cx + 12)).filter { near(canvas.pixel(x: $0, y: y), ink, tolerance: 40.0 / 255) }.count)
        }
        let rows = widths.enumerated().filter { $0.element > 0 }
        let apex = try #require(rows.first), base = try #require(rows.last)
        #expect(rows.count >= 6, "\(widths)")
        #expect(apex.element + 4 <= base.element, "apex row \(apex.element) px, base row \(base.element) px: \(widths)")
        // Widening downwards all the way: a triangle, not a disc (which narrows again below its middle).
        let filled = rows.map(\.element)
        #expect(zip(filled, filled.dropFirst()).allSatisfy { $0 <= $1 + 1 }, "\(widths)")
    }

    /// Two places on one spot: the town's name takes its first choice of position (right of the
    /// point) and the village's must go elsewhere, though the village comes first in the file and
    /// has more people; the same for the capital and a hamlet.
    @Test func aTownsLabelWinsOverAVillagesWhereTheyCollide() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-ranks-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: RenderFixtures.squares, to: folder)
        func village(_ id: String, _ place: String, _ lon: Double, _ population: Int? = nil, capital: Bool = false) -> String {
            var properties = #""id": "\#(id)", "name": "\#(id.capitalized)", "place": "\#(place)""#
            if let population { properties += #", "population": \#(population)"# }
            if capital { properties += #", "capital": true"# }
            return #"{"type": "Feature", "properties": {\#(properties)}, "geometry": {"type": "Point", "coordinates": [\#(lon), 0.05]}}"#
        }
        let villages = [village("bigvillage", "village", 0.08, 90000), village("smalltown", "town", 0.08, 800),
                        village("hamletto", "hamlet", 0.22, 1_000_000), village("capitalia", "city", 0.22, capital: true)]
        try Data(#"{"type": "FeatureCollection", "features": [\#(villages.joined(separator: ", "))]}"#.utf8)
            .write(to: folder.appendingPathComponent("villages.geojson"))
        let source = try MapSource(source: FolderDataSource(directory: folder), styles: StyleCatalog(strict: true))
        var request = ReportRequest(subject: .date(date("2021-03-01")))
        (request.width, request.height) = (900, 400)
        (request.showTitle, request.showLegend, request.showScaleBar, request.showNorthArrow, request.showAttribution) = (false, false, false, false, false)
        let text = try Self.text(of: request, from: source)
        #expect(text.contains("Smalltown") && text.contains("Capitalia"))
        // The same placement, looked at label by label.
        let data = source.data
        let prepared = try source.scene(data, .date(date("2021-03-01")))
        let viewport = try Viewport.fitting(lonLat: data.metadata.bbox, width: 900, height: 400).inside(prepared.scene.extent)
        let canvas = try Canvas(width: 900, height: 400, format: .png)
        let candidates = try MapRenderer(style: try data.style("default"), scene: prepared.scene).labelCandidates(zoom: viewport.zoom, in: viewport.bounds)
        let placed = try LabelPlacer().place(candidates, transform: viewport.transform, area: BoundingBox(minX: 0, minY: 0, maxX: 900, maxY: 400),
                                             measure: TextMeasurer(canvas: canvas).size)
        func anchor(_ name: String) -> String? { placed.first { $0.candidate.text == name }?.candidate.anchor }
        #expect(anchor("Smalltown") == "left")
        #expect(anchor("Bigvillage") != "left")
        #expect(anchor("Capitalia") == "left")
        #expect(anchor("Hamletto") != "left")
        // The winners were placed first.
        let order = placed.map(\.candidate.text)
        #expect(try #require(order.firstIndex(of: "Smalltown")) < (order.firstIndex(of: "Bigvillage") ?? .max))
        #expect(try #require(order.firstIndex(of: "Capitalia")) < (order.firstIndex(of: "Hamletto") ?? .max))
    }

    /// Below zoom 11 a village whose name does not fit loses its dot too; a closer view draws it.
    @Test func unlabelledVillageDotsAreLeftOutAtLowZoom() throws {
        let style = try RenderFixtures.shipped("default")
        let map = try RenderFixtures.renderer(style, .date(date("2022-03-26")))
        let viewport = try Viewport.fitting(lonLat: RenderFixtures.dataset.metadata.bbox, width: 500, height: 375)
        #expect(viewport.zoom < 11)
        let canvas = try Canvas(width: 500, height: 375, format: .png)
        let candidates = try map.renderer.labelCandidates(zoom: viewport.zoom, in: viewport.bounds)
        let labels = try LabelPlacer().place(candidates, transform: viewport.transform, area: BoundingBox(minX: 0, minY: 0, maxX: 500, maxY: 375),
                                             measure: TextMeasurer(canvas: canvas).size)
        try map.draw(on: canvas, viewport: viewport, labels: labels)
        let labelled = Set(labels.compactMap(\.candidate.feature).filter { $0.sourceLayer == "villages" }.map(\.index))
        let dot = Color(css: "#333333")!
        var unlabelled = 0, labelledDots = 0
        for (i, village) in RenderFixtures.dataset.villages.enumerated() where village.properties["place"] == .string("village") {
            let (x, y) = try RenderFixtures.pixel(village.lon, village.lat, viewport)
            guard (2..<498).contains(x), (2..<373).contains(y) else { continue }
            let inked = near(canvas.pixel(x: x, y: y), dot, tolerance: 30.0 / 255)
            // A label drawn over the spot could hide a dot; none is drawn over it when none is placed there.
            let covered = labels.contains { $0.box.contains(x: Double(x), y: Double(y)) }
            if labelled.contains(i) {
                if inked { labelledDots += 1 }
            } else if !covered {
                #expect(!inked, "\(village.name) has no label but its dot is drawn")
                unlabelled += 1
            }
        }
        #expect(unlabelled > 0)
        #expect(labelledDots > 0)
    }
}
