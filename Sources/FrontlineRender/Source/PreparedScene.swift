import Foundation
import FrontlineData
import FrontlineGeometry
import Synchronization

/// The work for one subject of one data version that every style and output shares: the scene
/// (its features projected and indexed), each layer's coverage, and, made once on first use, the
/// geometry simplified for each zoom and the labels placed for each style and zoom.
public final class PreparedScene: Sendable {
    /// The features drawn.
    public let scene: MapScene
    /// Each layer's features as a coverage, so that neighbours are simplified together.
    let coverages: [String: Coverage]
    /// Bytes of geometry held when made (what the scene costs in the map source's cache).
    let bytes: Int

    private struct Resolution: Hashable { var zoom: Int, scale: Double }
    private struct LabelKey: Hashable { var style: String, zoom: Int }
    private let simplified = Mutex<[Resolution: OnceCell<[String: [Geometry]]>]>([:])
    private let placements = Mutex<[LabelKey: OnceCell<PlacedLabels>]>([:])

    /// Prepares a scene.
    public init(_ scene: MapScene) {
        self.scene = scene
        coverages = scene.layers.mapValues { Coverage($0.features.map(\.geometry)) }
        bytes = scene.layers.values.reduce(0) { $0 + PreparedScene.bytes(of: $1.features.map(\.geometry)) }
    }

    /// Every feature simplified to half a device pixel at a tile zoom, the polygons of a layer
    /// together; made once per zoom and scale. `made` is the bytes this call added (0 when cached).
    public func simplified(zoom: Int, scale: Double) -> (layers: [String: [Geometry]], made: Int) {
        let cell = simplified.withLock { $0.cell(Resolution(zoom: zoom, scale: scale)) }
        var made = 0
        // Never throws: simplification has no failure.
        let layers = try! cell.value {
            let layers = simplified(tolerance: 0.5 * WebMercator.resolution(zoom: Double(zoom)) / scale)
            made = layers.values.reduce(0) { $0 + PreparedScene.bytes(of: $1) }
            return layers
        }
        return (layers, made)
    }

    /// Every feature simplified to `tolerance` (Web Mercator metres), not kept: for one-off views
    /// such as report maps.
    public func simplified(tolerance: Double) -> [String: [Geometry]] {
        coverages.mapValues { $0.simplified(tolerance: tolerance) }
    }

    /// The labels of a style at a tile zoom, placed once over the whole scene in world pixel
    /// coordinates, so that a label crossing a tile edge is drawn whole on both tiles. `made` is
    /// the bytes this call added (0 when they were placed before).
    public func labels(style: Style, zoom: Int) throws -> (labels: PlacedLabels, made: Int) {
        let cell = placements.withLock { $0.cell(LabelKey(style: style.name, zoom: zoom)) }
        var made = 0
        let labels = try cell.value {
            let resolution = WebMercator.resolution(zoom: Double(zoom))
            let world = PixelTransform(originX: -WebMercator.halfWorld, originY: WebMercator.halfWorld, scale: 1 / resolution)
            let candidates = try MapRenderer(style: style, scene: scene).labelCandidates(zoom: Double(zoom), in: nil)
            let measurer = try TextMeasurer()
            let placed = PlacedLabels(try LabelPlacer().place(candidates, transform: world, area: nil, measure: measurer.size))
            made = placed.labels.reduce(0) { $0 + 160 + $1.candidate.text.utf8.count }
            return placed
        }
        return (labels, made)
    }

    /// Draws one XYZ tile with a style on a 256 × 256 canvas (its scale gives `@2x`); returns the
    /// bytes of work it made and kept for later tiles.
    public func drawTile(_ tile: TileCoordinate, style: Style, on canvas: Canvas) throws -> Int {
        let (placed, placedBytes) = try labels(style: style, zoom: tile.z)
        let (layers, simplifiedBytes) = simplified(zoom: tile.z, scale: canvas.scale)
        // The tile's box in world pixels: labels whose box meets it, halves of edge labels included.
        let tileX = Double(tile.x) * 256, tileY = Double(tile.y) * 256
        let window = BoundingBox(minX: tileX, minY: tileY, maxX: tileX + 256, maxY: tileY + 256)
        try MapRenderer(style: style, scene: scene).draw(
            on: canvas, viewport: .tile(tile), labels: placed.meeting(window), labelOffset: (tileX, tileY),
            labelled: placed.labelled, simplified: layers)
        return placedBytes + simplifiedBytes
    }

    private static func bytes(of geometries: [Geometry]) -> Int {
        geometries.reduce(0) { $0 + $1.byteCount }
    }
}

/// Labels placed in one pixel space, indexed by their boxes.
public struct PlacedLabels: Sendable {
    /// The labels, in placement order.
    public let labels: [PlacedLabel]
    /// The features that got a label.
    public let labelled: Set<LabelledFeature>
    private let index: BoxTree

    /// Indexes placed labels.
    public init(_ labels: [PlacedLabel]) {
        self.labels = labels
        labelled = Set(labels.compactMap(\.candidate.feature))
        index = BoxTree(labels.map { Optional($0.box) })
    }

    /// The labels whose box meets `box`.
    public func meeting(_ box: BoundingBox) -> [PlacedLabel] {
        index.query(box).map { labels[$0] }
    }
}

extension Dictionary {
    /// The cell kept for `key`, made and kept when there is none yet.
    fileprivate mutating func cell<T>(_ key: Key) -> Value where Value == OnceCell<T> {
        if let cell = self[key] { return cell }
        let cell = OnceCell<T>()
        self[key] = cell
        return cell
    }
}
