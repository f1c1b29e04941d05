import Foundation
import FrontlineData
import FrontlineGeometry
@testable import FrontlineRender

enum RenderFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let geodata = repository.appendingPathComponent("geodata")
    static let styles = repository.appendingPathComponent("styles")
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let squares = repository.appendingPathComponent("Tests/FrontlineDataTests/Fixtures/analysis/squares")

    static let dataset = try! Dataset.load(from: geodata)
    static let projected = try! dataset.webMercatorLayers()

    static func style(_ json: String) throws -> Style {
        try Style(json: try JSONParser.parse(json), name: "test")
    }

    static func renderer(_ style: Style, _ subject: MapSubject, dataset: Dataset = RenderFixtures.dataset) throws -> TestMap {
        let projected = dataset.location == RenderFixtures.dataset.location ? RenderFixtures.projected : try dataset.webMercatorLayers()
        return TestMap(style: style, prepared: PreparedScene(try MapScene(dataset: dataset, projected: projected, subject: subject)))
    }

    /// A style built into the program, loaded strictly.
    static func shipped(_ name: String) throws -> Style {
        try StyleCatalog(strict: true).load(name)
    }

    /// The pixel of a longitude/latitude in a viewport.
    static func pixel(_ lon: Double, _ lat: Double, _ viewport: Viewport) throws -> (Int, Int) {
        let p = try Projection.webMercator().forward(.point(lon, lat))
        let (x, y) = viewport.transform.apply(p.coordinates[0], p.coordinates[1])
        return (Int(x), Int(y))
    }

    /// A colour composited over another (straight alpha), as Cairo's OVER does.
    static func over(_ top: Color, _ bottom: Color) -> Color {
        let a = top.alpha + bottom.alpha * (1 - top.alpha)
        func mix(_ t: Double, _ b: Double) -> Double { (t * top.alpha + b * bottom.alpha * (1 - top.alpha)) / a }
        return Color(red: mix(top.red, bottom.red), green: mix(top.green, bottom.green), blue: mix(top.blue, bottom.blue), alpha: a)
    }
}

func near(_ a: Color?, _ b: Color, tolerance: Double = 3.0 / 255) -> Bool {
    guard let a else { return false }
    return abs(a.red - b.red) <= tolerance && abs(a.green - b.green) <= tolerance && abs(a.blue - b.blue) <= tolerance
        && abs(a.alpha - b.alpha) <= tolerance
}

/// A style over a prepared scene: what the map source draws with, for tests that draw by hand.
struct TestMap {
    let style: Style
    let prepared: PreparedScene

    var renderer: MapRenderer { MapRenderer(style: style, scene: prepared.scene) }

    /// Draws the viewport with geometry simplified for its resolution.
    func draw(on canvas: Canvas, viewport: Viewport, labels: [PlacedLabel], labelOffset: (x: Double, y: Double) = (0, 0)) throws {
        try renderer.draw(on: canvas, viewport: viewport, labels: labels, labelOffset: labelOffset,
                          simplified: prepared.simplified(tolerance: 0.5 * viewport.metresPerPixel / canvas.scale))
    }

    func legend(zoom: Double, in box: BoundingBox) -> [LegendEntry] { renderer.legend(zoom: zoom, in: box) }

    func labels(zoom: Int) throws -> PlacedLabels { try prepared.labels(style: style, zoom: zoom).labels }

    /// One 256 px tile as PNG.
    func tile(_ tile: TileCoordinate) throws -> [UInt8] {
        let canvas = try Canvas(width: 256, height: 256, format: .png)
        _ = try prepared.drawTile(tile, style: style, on: canvas)
        return try canvas.finish()
    }
}
