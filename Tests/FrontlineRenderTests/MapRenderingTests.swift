import Foundation
import Testing
import FrontlineData
import FrontlineGeometry
@testable import FrontlineRender

/// Rendering checked by looking at pixels.
@Suite struct MapRenderingTests {
    static let partyStyle = """
        {"version": 8, "sources": {"dataset": {"type": "vector"}}, "layers": [
          {"id": "bg", "type": "background", "paint": {"background-color": "#f0f0f0"}},
          {"id": "control", "type": "fill", "source": "dataset", "source-layer": "control",
           "paint": {"fill-color": ["match", ["get", "party_index"], 0, "#e69f00", 1, "#0072b2", "#999999"], "fill-opacity": 0.5}}
        ]}
        """

    @Test func partiesAreFilledWithTheirColourAndNobodysGroundIsBackground() throws {
        let renderer = try RenderFixtures.renderer(try RenderFixtures.style(Self.partyStyle), .date(date("2022-03-26")))
        let canvas = try Canvas(width: 800, height: 600, format: .png)
        let viewport = try Viewport.fitting(lonLat: RenderFixtures.dataset.metadata.bbox, width: 800, height: 600)
        try renderer.draw(on: canvas, viewport: viewport, labels: [])
        let background = Color(r: 0xf0, g: 0xf0, b: 0xf0)
        let armenian = RenderFixtures.over(Color(r: 0xe6, g: 0x9f, b: 0x00, alpha: 0.5), background)
        let azerbaijani = RenderFixtures.over(Color(r: 0x00, g: 0x72, b: 0xb2, alpha: 0.5), background)
        let (ax, ay) = try RenderFixtures.pixel(47.0, 39.8, viewport)      // near Martuni: Karabakh Armenian forces
        let (bx, by) = try RenderFixtures.pixel(47.35, 40.3, viewport)     // north-east of Aghdam: Azerbaijani forces
        let (nx, ny) = try RenderFixtures.pixel(46.15, 39.5, viewport)     // Syunik, Armenia: nobody's in this data
        #expect(near(canvas.pixel(x: ax, y: ay), armenian), "\(canvas.pixel(x: ax, y: ay)!) vs \(armenian)")
        #expect(near(canvas.pixel(x: bx, y: by), azerbaijani), "\(canvas.pixel(x: bx, y: by)!) vs \(azerbaijani)")
        #expect(near(canvas.pixel(x: nx, y: ny), background))
        // Parukh changed hands on 24 March 2022: Azerbaijani-held on the 26th.
        let (px, py) = try RenderFixtures.pixel(46.797, 40.012, viewport)
        #expect(near(canvas.pixel(x: px, y: py), azerbaijani, tolerance: 0.1))
    }

    @Test func dashedLinesFollowTheDashArrayInLineWidths() throws {
        let style = try RenderFixtures.style("""
            {"version": 8, "sources": {"dataset": {}}, "layers": [
              {"id": "bg", "type": "background", "paint": {"background-color": "#ffffff"}},
              {"id": "pipe", "type": "line", "source": "dataset", "source-layer": "pipeline",
               "paint": {"line-color": "#000000", "line-width": 4, "line-dasharray": [3, 2]}}
            ]}
            """)
        let squares = try Dataset.load(from: RenderFixtures.squares)
        let renderer = try RenderFixtures.renderer(style, .date(date("2021-03-01")), dataset: squares)
        let canvas = try Canvas(width: 600, height: 200, format: .png)
        let viewport = try Viewport.fitting(lonLat: BoundingBox(minX: 0.05, minY: 0.0, maxX: 0.25, maxY: 0.1), width: 600, height: 200)
        try renderer.draw(on: canvas, viewport: viewport, labels: [])
        // The pipeline runs along latitude 0.05: walk along it and measure the runs.
        let (_, row) = try RenderFixtures.pixel(0.1, 0.05, viewport)
        var runs: [(dark: Bool, length: Int)] = []
        for x in 20..<580 {
            let dark = (canvas.pixel(x: x, y: row)?.red ?? 1) < 0.5
            if let last = runs.last, last.dark == dark { runs[runs.count - 1].length += 1 } else { runs.append((dark, 1)) }
        }
        let inner = runs.dropFirst().dropLast()
        #expect(inner.count > 20)
        // Dashes 3 × 4 = 12 px, gaps 2 × 4 = 8 px (±1 for anti-aliasing).
        for run in inner { #expect(abs(run.length - (run.dark ? 12 : 8)) <= 1, "run \(run)") }
        // And the line is 4 px thick: 6 px above it is white.
        #expect(near(canvas.pixel(x: 300, y: row - 6), .white))
    }

    @Test func changeMapsHatchTheGroundThatChangedHands() throws {
        let style = try RenderFixtures.style("""
            {"version": 8, "sources": {"dataset": {}}, "layers": [
              {"id": "bg", "type": "background", "paint": {"background-color": "#ffffff"}},
              {"id": "changes", "type": "fill", "source": "dataset", "source-layer": "changes",
               "metadata": {"frontline:hatch": {"angle": 45, "spacing": 8, "width": 2}},
               "paint": {"fill-color": ["match", ["get", "to_index"], 1, "#0072b2", "#999999"], "fill-opacity": 0.1}}
            ]}
            """)
        let renderer = try RenderFixtures.renderer(style, .change(from: date("2022-03-01"), to: date("2022-03-28")))
        let canvas = try Canvas(width: 400, height: 400, format: .png)
        let viewport = try Viewport.fitting(lonLat: BoundingBox(minX: 46.77, minY: 39.99, maxX: 46.83, maxY: 40.03), width: 400, height: 400)
        try renderer.draw(on: canvas, viewport: viewport, labels: [])
        // Inside the change around Parukh: hatch lines (dark blue) and the tint between them.
        let (cx, cy) = try RenderFixtures.pixel(46.795, 40.012, viewport)
        var blue = 0, light = 0
        for dx in -10...10 {
            guard let p = canvas.pixel(x: cx + dx, y: cy) else { continue }
            if p.blue > 0.5 && p.red < 0.3 { blue += 1 } else if p.red > 0.8 { light += 1 }
        }
        #expect(blue >= 3 && light >= 6, "blue \(blue), light \(light)")
        // Outside it, nothing is drawn.
        let (ox, oy) = try RenderFixtures.pixel(46.775, 40.028, viewport)
        #expect(near(canvas.pixel(x: ox, y: oy), .white))
    }

    @Test func vectorOutputsAreValidDocuments() throws {
        let style = try RenderFixtures.shipped("default")
        let renderer = try RenderFixtures.renderer(style, .date(date("2022-03-26")))
        let map = try ReportMap(prepared: renderer.prepared, style: renderer.style, bbox: RenderFixtures.dataset.metadata.bbox, width: 800, height: 600, scale: 1,
                            furniture: ReportFurniture(title: "Test", dateLine: "Control as of 26 March 2022",
                                                       legend: renderer.legend(zoom: 8, in: try Projection.webMercator().forwardBox(RenderFixtures.dataset.metadata.bbox)),
                                                       attribution: "Natural Earth"))
        let svg = try map.render(as: .svg)
        let parser = XMLDocumentCheck(Data(svg))
        #expect(parser.parse(), "SVG parses as XML: \(parser.error ?? "")")
        #expect(parser.root == "svg")
        #expect(parser.rootAttributes["width"] == "600pt" && parser.rootAttributes["height"] == "450pt", "a pixel is 0.75 pt")
        let pdf = try map.render(as: .pdf)
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1."))
        #expect(text.hasSuffix("%%EOF\n") || text.hasSuffix("%%EOF"))
        #expect(text.components(separatedBy: "/Type /Page\n").count + text.components(separatedBy: "/Type /Page ").count - 2 >= 1)
        #expect(text.contains("/MediaBox [ 0 0 600 450 ]"))
    }
}

func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

@Suite struct PNGEncodingTests {
    @Test(arguments: [true, false])
    func encodedPixelsDecodeToTheSameColours(opaque: Bool) throws {
        let canvas = try Canvas(width: 64, height: 48, format: .png)
        if opaque { canvas.paint(Color(r: 240, g: 240, b: 240)) }
        canvas.newPath()
        canvas.rectangle(x: 8, y: 8, width: 20, height: 20)
        canvas.fill(Color(r: 0, g: 114, b: 178, alpha: 0.5))
        canvas.newPath()
        canvas.rectangle(x: 40, y: 10, width: 10, height: 30)
        canvas.fill(Color(r: 230, g: 159, b: 0))
        let png = try canvas.finish()
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(png[25] == (opaque ? 2 : 6), "colour type: RGB when opaque, RGBA otherwise")
        let image = try RasterImage(png: png)
        #expect(image.width == 64 && image.height == 48)
        for (x, y) in [(0, 0), (10, 10), (27, 27), (45, 20), (63, 47)] {
            #expect(near(image.pixel(x: x, y: y), canvas.pixel(x: x, y: y)!, tolerance: 2.0 / 255), "(\(x), \(y))")
        }
    }
}

@Suite struct DotStampTests {
    @Test func dotsAreStampedWhereTheyFall() throws {
        let canvas = try Canvas(width: 40, height: 40, format: .png)
        canvas.paint(.white)
        try canvas.dots([(10, 10), (30, 30)], radius: 4, fill: Color(r: 255, g: 0, b: 0), stroke: .black, strokeWidth: 0)
        #expect(near(canvas.pixel(x: 10, y: 10), Color(r: 255, g: 0, b: 0)))
        #expect(near(canvas.pixel(x: 30, y: 30), Color(r: 255, g: 0, b: 0)))
        #expect(near(canvas.pixel(x: 20, y: 20), .white))
    }

    @Test func aDotTooLargeForAStampIsDrawnAsAPath() throws {
        let canvas = try Canvas(width: 40, height: 40, format: .png)
        canvas.paint(.white)
        // A stamp wider than Cairo's largest image (32767 px) could not be made: the dot is a path.
        try canvas.dots([(10, 10)], radius: 20_000, fill: .black, stroke: .black, strokeWidth: 1)
        #expect(near(canvas.pixel(x: 39, y: 39), .black))
    }
}

/// Values a style may compute that no drawing can use as they are: the map is drawn, never a trap.
@Suite struct ExtremePaintTests {
    @Test func hugeRadiiSizesAndPositionsNeverStopTheDrawing() throws {
        let style = try RenderFixtures.style(##"""
            {"version": 8, "sources": {"dataset": {}}, "layers": [
              {"id": "bg", "type": "background", "paint": {"background-color": "#ffffff"}},
              {"id": "v", "type": "circle", "source": "dataset", "source-layer": "villages",
               "paint": {"circle-radius": ["*", ["coalesce", ["get", "population"], 1], 3e9], "circle-stroke-width": 1e12,
                         "circle-color": "#ff0000"}},
              {"id": "t", "type": "symbol", "source": "dataset", "source-layer": "villages",
               "layout": {"text-field": ["slice", ["get", "name"], 0, ["index-of", "a", ["get", "name"], ["/", 1, 0]]],
                          "text-size": 1e12}}
            ]}
            """##)
        let map = try RenderFixtures.renderer(style, .date(date("2022-03-26")))
        let viewport = try Viewport.fitting(lonLat: RenderFixtures.dataset.metadata.bbox, width: 200, height: 150)
        let canvas = try Canvas(width: 200, height: 150, format: .png)
        try map.draw(on: canvas, viewport: viewport, labels: try map.labels(zoom: 9).labels)
        // The circles cover the view in red.
        #expect(near(canvas.pixel(x: 100, y: 75), Color(r: 255, g: 0, b: 0)))
        #expect(try map.tile(TileCoordinate(z: 9, x: 322, y: 194)!).starts(with: [0x89, 0x50]))
    }
}
