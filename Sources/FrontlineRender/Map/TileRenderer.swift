import Foundation
import FrontlineData
import FrontlineGeometry
import Synchronization

/// Renders XYZ tiles of one scene and style. Labels are placed once per zoom level over the
/// whole scene, in world pixel coordinates, so a label that crosses a tile edge is drawn on both
/// tiles and its halves meet. Safe to share between threads.
public final class TileRenderer: Sendable {
    /// The renderer (style and scene).
    public let renderer: MapRenderer
    private let placements = Mutex<[Int: ([PlacedLabel], BoxTree)]>([:])
    /// Simplified geometry per (zoom, scale), computed once under the lock.
    private let simplified = Mutex<[String: [String: [Geometry]]]>([:])

    /// Makes a tile renderer.
    public init(renderer: MapRenderer) {
        self.renderer = renderer
    }

    /// One tile as PNG: 256 pixels a side times `scale` (2 for `@2x`).
    public func render(_ tile: TileCoordinate, scale: Double = 1) throws -> [UInt8] {
        let canvas = try Canvas(width: 256, height: 256, format: .png, scale: scale)
        try draw(tile, on: canvas)
        return try canvas.finish()
    }

    /// Draws one tile on a 256 × 256 canvas.
    public func draw(_ tile: TileCoordinate, on canvas: Canvas) throws {
        let viewport = Viewport.tile(tile)
        let (labels, index) = try labels(zoom: tile.z)
        // The tile's box in world pixels, grown by the widest label so that halves are found.
        let tileX = Double(tile.x) * 256, tileY = Double(tile.y) * 256
        let window = BoundingBox(minX: tileX, minY: tileY, maxX: tileX + 256, maxY: tileY + 256)
        let visible = index.query(window).map { labels[$0] }
        try renderer.draw(on: canvas, viewport: viewport, labels: visible, labelOffset: (tileX, tileY),
                          simplified: simplifiedLayers(zoom: tile.z, scale: canvas.scale))
    }

    /// Every feature simplified to half a device pixel at this zoom (computed once).
    public func simplifiedLayers(zoom z: Int, scale: Double) -> [String: [Geometry]] {
        simplified.withLock { cache in
            let key = "\(z)@\(scale)"
            if let layers = cache[key] { return layers }
            let layers = renderer.simplifiedLayers(tolerance: 0.5 * WebMercator.resolution(zoom: Double(z)) / scale)
            cache[key] = layers
            return layers
        }
    }

    /// The labels of a zoom level in world pixel coordinates (computed once).
    public func labels(zoom z: Int) throws -> ([PlacedLabel], BoxTree) {
        if let cached = placements.withLock({ $0[z] }) { return cached }
        let resolution = WebMercator.resolution(zoom: Double(z))
        let world = PixelTransform(originX: -WebMercator.halfWorld, originY: WebMercator.halfWorld, scale: 1 / resolution)
        let measurer = try TextMeasurer()
        let placed = try LabelPlacer().place(renderer.labelCandidates(zoom: Double(z), in: nil), transform: world, area: nil,
                                             measure: measurer.size)
        let index = BoxTree(placed.map { Optional($0.box) })
        placements.withLock { $0[z] = (placed, index) }
        return (placed, index)
    }
}
