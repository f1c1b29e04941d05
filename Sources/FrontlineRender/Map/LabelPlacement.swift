import FrontlineGeometry

/// A label that wants a place on the map.
public struct LabelCandidate: Sendable {
    /// The text.
    public var text: String
    /// Font and size.
    public var font: FontSpec
    /// Text colour.
    public var color: Color
    /// Halo colour and width in pixels (no halo when width is 0).
    public var halo: Color
    /// Halo width in pixels.
    public var haloWidth: Double
    /// The point labelled, in Web Mercator metres.
    public var x: Double, y: Double
    /// Which part of the text sits at the point (MapLibre `text-anchor`).
    public var anchor: String
    /// Shift from the point in pixels (MapLibre `text-offset` × `text-size`).
    public var offsetX: Double, offsetY: Double
    /// Placement order: lower first (`symbol-sort-key`), ties broken by the order given.
    public var priority: Double
    /// The feature labelled, so that a layer can leave out the dots of places left unnamed.
    public var feature: LabelledFeature? = nil
    /// Other positions tried in turn when the label does not fit at `anchor` (MapLibre's
    /// `text-variable-anchor`); when set, the first of them replaces `anchor` and its offset.
    public var positions: [LabelPosition] = []
}

/// Where a label may sit round its point: which part of the text is at the point, and the shift.
public struct LabelPosition: Sendable, Hashable {
    /// MapLibre's anchor name (`left`, `top-right`, …).
    public var anchor: String
    /// Shift from the point, in pixels.
    public var offsetX: Double, offsetY: Double

    /// A position; the offset moves the text away from the point by `radialOffset` pixels, as
    /// MapLibre's `text-radial-offset` does (diagonally for the corner anchors). Nil for an unknown anchor.
    public init?(anchor: String, radialOffset r: Double) {
        let d = r / 2.0.squareRoot()
        switch anchor {
        case "center": (offsetX, offsetY) = (0, 0)
        case "left": (offsetX, offsetY) = (r, 0)
        case "right": (offsetX, offsetY) = (-r, 0)
        case "top": (offsetX, offsetY) = (0, r)
        case "bottom": (offsetX, offsetY) = (0, -r)
        case "top-left": (offsetX, offsetY) = (d, d)
        case "top-right": (offsetX, offsetY) = (-d, d)
        case "bottom-left": (offsetX, offsetY) = (d, -d)
        case "bottom-right": (offsetX, offsetY) = (-d, -d)
        default: return nil
        }
        self.anchor = anchor
    }

    init(anchor: String, offsetX: Double, offsetY: Double) {
        (self.anchor, self.offsetX, self.offsetY) = (anchor, offsetX, offsetY)
    }
}

/// A feature of a scene, by its source-layer and its index there.
public struct LabelledFeature: Sendable, Hashable {
    /// The source-layer (`villages`, `heights`, …).
    public var sourceLayer: String
    /// The feature's index in the scene's layer.
    public var index: Int

    /// Names a feature.
    public init(sourceLayer: String, index: Int) {
        self.sourceLayer = sourceLayer
        self.index = index
    }
}

/// A label with its box, in the pixel space of the placement.
public struct PlacedLabel: Sendable {
    /// The label.
    public var candidate: LabelCandidate
    /// Top-left corner of the text and its size, in pixels.
    public var x: Double, y: Double, width: Double, height: Double

    /// The box, halo included.
    public var box: BoundingBox {
        let h = candidate.haloWidth
        return BoundingBox(minX: x - h, minY: y - h, maxX: x + width + h, maxY: y + height + h)
    }
}

/// Greedy label placement without overlaps: candidates in priority order, each kept only if
/// its box (with `padding`) meets no box already kept, no reserved area, and lies inside `area`.
/// Deterministic: the same candidates give the same labels.
public struct LabelPlacer {
    /// Pixels kept clear around every label.
    public var padding: Double = 2
    /// Areas no label may touch (a legend, a title), in pixels.
    public var reserved: [BoundingBox] = []

    /// Makes a placer.
    public init(padding: Double = 2, reserved: [BoundingBox] = []) {
        self.padding = padding
        self.reserved = reserved
    }

    /// Places candidates for a pixel transform; `measure` gives a text's size in pixels.
    public func place(_ candidates: [LabelCandidate], transform: PixelTransform, area: BoundingBox?,
                      measure: (String, FontSpec) throws -> (width: Double, height: Double)) rethrows -> [PlacedLabel] {
        let order = candidates.indices.sorted { (candidates[$0].priority, $0) < (candidates[$1].priority, $1) }
        var placed: [PlacedLabel] = []
        var grid = BoxGrid(cell: 64)
        for i in order {
            let c = candidates[i]
            let size = try measure(c.text, c.font)
            let (px, py) = transform.apply(c.x, c.y)
            let positions = c.positions.isEmpty ? [LabelPosition(anchor: c.anchor, offsetX: c.offsetX, offsetY: c.offsetY)] : c.positions
            for position in positions {
                let (dx, dy) = LabelPlacer.anchorOffset(position.anchor, width: size.width, height: size.height)
                var label = PlacedLabel(candidate: c, x: px + position.offsetX + dx, y: py + position.offsetY + dy, width: size.width, height: size.height)
                let box = label.box.expanded(by: padding)
                if let area, !(box.minX >= area.minX && box.maxX <= area.maxX && box.minY >= area.minY && box.maxY <= area.maxY) { continue }
                if reserved.contains(where: { $0.intersects(box) }) || grid.intersects(box) { continue }
                (label.candidate.anchor, label.candidate.offsetX, label.candidate.offsetY) = (position.anchor, position.offsetX, position.offsetY)
                grid.insert(box)
                placed.append(label)
                break
            }
        }
        return placed
    }

    /// Where the text's top-left corner goes relative to the anchor point.
    static func anchorOffset(_ anchor: String, width w: Double, height h: Double) -> (Double, Double) {
        switch anchor {
        case "left": return (0, -h / 2)
        case "right": return (-w, -h / 2)
        case "top": return (-w / 2, 0)
        case "bottom": return (-w / 2, -h)
        case "top-left": return (0, 0)
        case "top-right": return (-w, 0)
        case "bottom-left": return (0, -h)
        case "bottom-right": return (-w, -h)
        default: return (-w / 2, -h / 2)
        }
    }
}

/// Boxes bucketed on a square grid, for overlap tests in time proportional to the neighbours.
struct BoxGrid {
    let cell: Double
    private var buckets: [Int64: [BoundingBox]] = [:]

    init(cell: Double) { self.cell = cell }

    private func keys(_ b: BoundingBox) -> [Int64] {
        let x0 = Int64((b.minX / cell).rounded(.down)), x1 = Int64((b.maxX / cell).rounded(.down))
        let y0 = Int64((b.minY / cell).rounded(.down)), y1 = Int64((b.maxY / cell).rounded(.down))
        var keys: [Int64] = []
        for x in x0...x1 { for y in y0...y1 { keys.append(x &* 73_856_093 ^ y &* 19_349_663) } }
        return keys
    }

    func intersects(_ b: BoundingBox) -> Bool {
        keys(b).contains { buckets[$0]?.contains { $0.intersects(b) } ?? false }
    }

    mutating func insert(_ b: BoundingBox) {
        for k in keys(b) { buckets[k, default: []].append(b) }
    }
}
