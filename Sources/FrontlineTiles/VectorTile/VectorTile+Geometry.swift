import FrontlineGeometry

extension VectorTile {
    /// A feature's geometry as the specification's command stream: `MoveTo`, `LineTo` and
    /// `ClosePath` command integers, each followed by its parameters, zigzag-encoded moves from
    /// the previous position in integer tile coordinates.
    public struct Geometry: Sendable, Equatable {
        /// What kind of feature this is.
        public let type: GeometryType
        /// The command integers and their parameters.
        public let commands: [UInt32]

        /// `geometry` (in the units of `bounds`, y up, e.g. Web Mercator metres, already clipped
        /// to the tile and its buffer) in tile coordinates: `bounds` spans 0 to `extent`, y down.
        /// Positions are rounded to the grid; lines that shrink to a point and rings that shrink
        /// to no area are dropped (a polygon with its shell), and rings turned so that shells have
        /// a positive area in tile coordinates (clockwise on screen) and holes a negative one, as
        /// the specification asks. Nil when nothing is left.
        public init?(_ geometry: FrontlineGeometry.Geometry, bounds: BoundingBox, extent: Int) {
            let scale = Double(extent) / bounds.width
            var grid = TileGrid(originX: bounds.minX, originY: bounds.maxY, scale: scale)
            var encoder = CommandEncoder()
            switch geometry.kind {
            case .point, .multiPoint:
                let points = (0..<geometry.positionCount).map { grid.position(geometry, $0) }
                encoder.points(points)
                type = .point
            case .lineString, .multiLineString:
                for r in geometry.ringRanges {
                    let line = grid.path(geometry, r)
                    if line.count >= 2 { encoder.line(line) }
                }
                type = .lineString
            case .polygon, .multiPolygon:
                let rings = geometry.ringRanges
                for polygon in geometry.polygonRanges {
                    for (k, ringIndex) in polygon.enumerated() {
                        var ring = grid.path(geometry, rings[ringIndex])
                        if ring.count > 1 && ring.first! == ring.last! { ring.removeLast() }
                        let area = TileGrid.doubleArea(ring)
                        guard ring.count >= 3, area != 0 else {
                            if k == 0 { break }   // no shell: the holes go with it
                            continue
                        }
                        if (k == 0) != (area > 0) { ring.reverse() }
                        encoder.ring(ring)
                    }
                }
                type = .polygon
            case .geometryCollection:
                return nil
            }
            guard !encoder.commands.isEmpty else { return nil }
            commands = encoder.commands
        }
    }
}

/// A position in integer tile coordinates.
struct TilePosition: Equatable {
    var x: Int64, y: Int64
}

/// Rounds positions to the tile's grid (y flipped: tile rows grow downwards).
struct TileGrid {
    let originX: Double, originY: Double, scale: Double

    func position(_ g: Geometry, _ i: Int) -> TilePosition {
        TilePosition(x: Int64(((g.coordinates[2 * i] - originX) * scale).rounded()),
                     y: Int64(((originY - g.coordinates[2 * i + 1]) * scale).rounded()))
    }

    /// The positions of `range` on the grid, repeats of the previous one dropped.
    func path(_ g: Geometry, _ range: Range<Int>) -> [TilePosition] {
        var out: [TilePosition] = []
        out.reserveCapacity(range.count)
        for i in range {
            let p = position(g, i)
            if out.last != p { out.append(p) }
        }
        return out
    }

    /// Twice the ring's signed area by the surveyor's formula (the ring open: its last position
    /// joins the first); positive when clockwise on screen, since y grows downwards.
    static func doubleArea(_ ring: [TilePosition]) -> Int64 {
        guard ring.count >= 3 else { return 0 }
        var sum: Int64 = 0
        var previous = ring[ring.count - 1]
        for p in ring {
            sum += previous.x * p.y - p.x * previous.y
            previous = p
        }
        return sum
    }
}

/// Writes command integers: `id | count << 3`, parameters zigzag-encoded relative to the cursor,
/// which carries over from one part of a feature to the next.
struct CommandEncoder {
    private(set) var commands: [UInt32] = []
    private var cursor = TilePosition(x: 0, y: 0)

    private enum Command: UInt32 { case moveTo = 1, lineTo = 2, closePath = 7 }

    private mutating func command(_ c: Command, count: Int) {
        commands.append(c.rawValue | UInt32(count) << 3)
    }

    private mutating func moveCursor(to p: TilePosition) {
        commands.append(CommandEncoder.zigzag(p.x - cursor.x))
        commands.append(CommandEncoder.zigzag(p.y - cursor.y))
        cursor = p
    }

    private static func zigzag(_ n: Int64) -> UInt32 {
        UInt32(truncatingIfNeeded: (n << 1) ^ (n >> 63))
    }

    /// One `MoveTo` with every point.
    mutating func points(_ points: [TilePosition]) {
        guard !points.isEmpty else { return }
        command(.moveTo, count: points.count)
        for p in points { moveCursor(to: p) }
    }

    /// `MoveTo` the first position, `LineTo` the rest.
    mutating func line(_ line: [TilePosition]) {
        command(.moveTo, count: 1)
        moveCursor(to: line[0])
        command(.lineTo, count: line.count - 1)
        for p in line.dropFirst() { moveCursor(to: p) }
    }

    /// A line back to its start with `ClosePath` (the ring is open: its first position is not repeated).
    mutating func ring(_ ring: [TilePosition]) {
        line(ring)
        command(.closePath, count: 1)
    }
}
