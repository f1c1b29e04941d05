import Foundation
import Testing
import FrontlineData
import FrontlineGeometry
@testable import FrontlineRender

@Suite struct LabelTests {
    static let labelStyle = """
        {"version": 8, "sources": {"dataset": {}}, "layers": [
          {"id": "bg", "type": "background", "paint": {"background-color": "#ffffff"}},
          {"id": "names", "type": "symbol", "source": "dataset", "source-layer": "villages",
           "layout": {"text-field": "{name}", "text-size": 14, "text-font": ["DejaVu Sans Bold"], "text-anchor": "left", "text-offset": [0.5, 0]},
           "paint": {"text-color": "#000000", "text-halo-color": "#ffffff", "text-halo-width": 1.5}}
        ]}
        """

    @Test func placedLabelsNeverOverlap() throws {
        let renderer = try RenderFixtures.renderer(try RenderFixtures.style(Self.labelStyle), .date(date("2022-03-26")))
        for z in [8, 9, 10, 11] {
            let placed = try renderer.labels(zoom: z).labels
            #expect(!placed.isEmpty)
            for i in placed.indices {
                for j in placed.indices where j > i {
                    #expect(!placed[i].box.intersects(placed[j].box), "z\(z): \(placed[i].candidate.text) / \(placed[j].candidate.text)")
                }
            }
        }
        // Fewer labels fit at low zoom than at high zoom.
        #expect(try renderer.labels(zoom: 8).labels.count < renderer.labels(zoom: 11).labels.count)
    }

    @Test func placementRespectsReservedAreasAndPriority() throws {
        func candidate(_ text: String, _ x: Double, _ priority: Double) -> LabelCandidate {
            LabelCandidate(text: text, font: FontSpec(size: 12), color: .black, halo: .white, haloWidth: 1, x: x, y: 0,
                           anchor: "center", offsetX: 0, offsetY: 0, priority: priority)
        }
        let t = PixelTransform(originX: 0, originY: 50, scale: 1)
        let measure: (String, FontSpec) -> (width: Double, height: Double) = { text, _ in (Double(text.count) * 8, 14) }
        // Two labels on top of each other: the lower sort key wins.
        let placed = LabelPlacer().place([candidate("second", 100, 5), candidate("first", 104, 1)], transform: t, area: nil, measure: measure)
        #expect(placed.map(\.candidate.text) == ["first"])
        // A reserved box keeps labels out.
        let kept = LabelPlacer(reserved: [BoundingBox(minX: 80, minY: 0, maxX: 140, maxY: 100)])
            .place([candidate("hidden", 100, 1), candidate("shown", 300, 2)], transform: t, area: nil, measure: measure)
        #expect(kept.map(\.candidate.text) == ["shown"])
    }

    /// A label that crosses the edge between two tiles is drawn whole, half on each, and the halves meet.
    @Test func labelsContinueAcrossTileEdges() throws {
        let renderer = try RenderFixtures.renderer(try RenderFixtures.style(Self.labelStyle), .date(date("2022-03-26")))
        var checked = 0
        for z in [10, 11, 12] {
            for label in try renderer.labels(zoom: z).labels {
                // Labels whose text straddles a vertical tile edge, with room on both sides.
                let edge = ((label.x + label.width / 2) / 256).rounded() * 256
                guard label.x + 6 < edge, label.x + label.width - 6 > edge else { continue }
                let column = Int(edge / 256)
                let row = Int((label.y + label.height / 2) / 256)
                guard let left = TileCoordinate(z: z, x: column - 1, y: row), let right = TileCoordinate(z: z, x: column, y: row) else { continue }
                guard Int(label.y) / 256 == row, Int(label.y + label.height) / 256 == row else { continue }
                let a = try RasterImage(png: try renderer.tile(left)), b = try RasterImage(png: try renderer.tile(right))
                // The same two tiles drawn as one 512 px image: stitched tiles must equal it.
                let wide = try Canvas(width: 512, height: 256, format: .png)
                let bounds = left.bounds.union(right.bounds)
                let originX = Double(left.x) * 256, originY = Double(row) * 256
                let window = BoundingBox(minX: originX, minY: originY, maxX: originX + 512, maxY: originY + 256)
                try renderer.draw(on: wide, viewport: Viewport(bounds: bounds, width: 512, height: 256),
                                  labels: try renderer.labels(zoom: z).meeting(window), labelOffset: (originX, originY))
                let top = max(0, Int(label.y) - row * 256), bottom = min(256, Int(label.y + label.height) + 1 - row * 256)
                let x0 = max(0, Int(label.x - originX)), x1 = min(512, Int(label.x + label.width - originX) + 1)
                var differing = 0, inkLeft = 0, inkRight = 0
                for y in top..<bottom {
                    for x in x0..<x1 {
                        let stitched = x < 256 ? a.pixel(x: x, y: y) : b.pixel(x: x - 256, y: y)
                        guard let whole = wide.pixel(x: x, y: y), let stitched else { continue }
                        if !near(stitched, whole, tolerance: 2.0 / 255) { differing += 1 }
                        if stitched.red < 0.5 { if x < 256 { inkLeft += 1 } else { inkRight += 1 } }
                    }
                }
                #expect(differing == 0, "\(label.candidate.text) at z\(z): \(differing) pixels differ from the whole image")
                #expect(inkLeft > 0 && inkRight > 0, "\(label.candidate.text) at z\(z): the text is split across both tiles")
                checked += 1
                if checked >= 3 { return }
            }
        }
        #expect(checked > 0, "no label crossed a tile edge")
    }
}
