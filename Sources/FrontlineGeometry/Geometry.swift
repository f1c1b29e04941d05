/// A geometry as plain Swift data: safe to share between threads, cheap to copy, and the form in
/// which datasets keep their features. GEOS work happens on ``OwnedGeometry`` values made from it.
///
/// Coordinates are stored flat (`x0, y0, x1, y1, …`) with end offsets, the layout GEOS and PROJ
/// read in one copy. Longitude/latitude or projected metres, depending on where it came from.
public struct Geometry: Sendable, Hashable {
    /// The GeoJSON geometry types.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case point = "Point"
        case multiPoint = "MultiPoint"
        case lineString = "LineString"
        case multiLineString = "MultiLineString"
        case polygon = "Polygon"
        case multiPolygon = "MultiPolygon"
        case geometryCollection = "GeometryCollection"

        /// True for `Polygon` and `MultiPolygon`.
        public var isPolygonal: Bool { self == .polygon || self == .multiPolygon }
        /// True for `LineString` and `MultiLineString`.
        public var isLineal: Bool { self == .lineString || self == .multiLineString }
        /// True for `Point` and `MultiPoint`.
        public var isPuntal: Bool { self == .point || self == .multiPoint }
    }

    /// The geometry type.
    public var kind: Kind
    /// Interleaved x, y of every position.
    public var coordinates: [Double]
    /// For each ring, line or point: the index (in positions) one past its last position.
    public var ringEnds: [Int]
    /// For each polygon: the index (in rings) one past its last ring. Empty for other kinds.
    public var polygonEnds: [Int]
    /// Members of a `GeometryCollection`.
    public var members: [Geometry]

    /// Makes a geometry from its parts; callers guarantee the offsets fit the coordinates.
    public init(kind: Kind, coordinates: [Double], ringEnds: [Int], polygonEnds: [Int] = [], members: [Geometry] = []) {
        self.kind = kind
        self.coordinates = coordinates
        self.ringEnds = ringEnds
        self.polygonEnds = polygonEnds
        self.members = members
    }

    /// A point.
    public static func point(_ x: Double, _ y: Double) -> Geometry {
        Geometry(kind: .point, coordinates: [x, y], ringEnds: [1])
    }

    /// A line through the given positions.
    public static func lineString(_ positions: [(Double, Double)]) -> Geometry {
        Geometry(kind: .lineString, coordinates: positions.flatMap { [$0.0, $0.1] }, ringEnds: [positions.count])
    }

    /// A polygon from closed rings (the first is the shell).
    public static func polygon(_ rings: [[(Double, Double)]]) -> Geometry {
        var coordinates: [Double] = []
        var ends: [Int] = []
        for ring in rings {
            for (x, y) in ring { coordinates.append(x); coordinates.append(y) }
            ends.append(coordinates.count / 2)
        }
        return Geometry(kind: .polygon, coordinates: coordinates, ringEnds: ends, polygonEnds: [rings.count])
    }

    /// The axis-aligned rectangle as a closed counter-clockwise polygon.
    public static func rectangle(_ box: BoundingBox) -> Geometry {
        polygon([[(box.minX, box.minY), (box.maxX, box.minY), (box.maxX, box.maxY), (box.minX, box.maxY), (box.minX, box.minY)]])
    }

    /// An empty geometry collection.
    public static let empty = Geometry(kind: .geometryCollection, coordinates: [], ringEnds: [])

    /// This collection with `transform` applied to each member.
    public func mappingMembers(_ transform: (Geometry) -> Geometry) -> Geometry {
        var copy = self
        copy.members = members.map(transform)
        return copy
    }

    /// Number of positions.
    public var positionCount: Int { coordinates.count / 2 }

    /// Bytes the geometry's arrays hold (members included): what caching it costs.
    public var byteCount: Int {
        64 + 8 * (coordinates.count + ringEnds.count + polygonEnds.count) + members.reduce(0) { $0 + $1.byteCount }
    }

    /// True when there is no position at all (members included).
    public var isEmpty: Bool { coordinates.isEmpty && members.allSatisfy(\.isEmpty) }

    /// The x, y of position `i`.
    @inlinable public func position(_ i: Int) -> (x: Double, y: Double) {
        (coordinates[2 * i], coordinates[2 * i + 1])
    }

    /// Position ranges of every ring, line or point part.
    public var ringRanges: [Range<Int>] {
        var start = 0
        return ringEnds.map { end in defer { start = end }; return start..<end }
    }

    /// Ring index ranges of every polygon (a Polygon has one, a MultiPolygon one per member).
    public var polygonRanges: [Range<Int>] {
        var start = 0
        return polygonEnds.map { end in defer { start = end }; return start..<end }
    }

    /// This polygonal geometry without the rings whose planar area is below `minimum` (in square
    /// units of its coordinates): a polygon whose shell is smaller goes with its holes, a smaller
    /// hole is filled. Overlays of ground cut on a grid leave such slivers along the cut lines,
    /// collapsed triangles that GeoJSON's rounding then turns into invalid rings.
    public func removingSlivers(smallerThan minimum: Double) -> Geometry {
        guard kind.isPolygonal else { return self }
        func area(_ g: Geometry, _ ring: Range<Int>) -> Double {
            var twice = 0.0
            var j = ring.upperBound - 1
            for i in ring {
                twice += (g.coordinates[2 * j] - g.coordinates[2 * i]) * (g.coordinates[2 * j + 1] + g.coordinates[2 * i + 1])
                j = i
            }
            return abs(twice) / 2
        }
        var kept: [Geometry] = []
        var changed = false
        for polygon in polygons {
            let rings = polygon.ringRanges
            guard let shell = rings.first, area(polygon, shell) >= minimum else { changed = true; continue }
            let holes = rings.dropFirst().filter { area(polygon, $0) >= minimum }
            if holes.count == rings.count - 1 {
                kept.append(polygon)
                continue
            }
            changed = true
            var coordinates: [Double] = [], ends: [Int] = []
            for ring in [shell] + holes {
                coordinates += polygon.coordinates[(2 * ring.lowerBound)..<(2 * ring.upperBound)]
                ends.append(coordinates.count / 2)
            }
            kept.append(Geometry(kind: .polygon, coordinates: coordinates, ringEnds: ends, polygonEnds: [ends.count]))
        }
        guard changed else { return self }
        return kept.count == 1 ? kept[0] : .multiPolygon(kept)
    }

    /// True when the point lies inside this polygonal geometry (members included): the even-odd
    /// rule over every ring, which for valid polygons is inside the shell and outside its holes.
    /// Always false for points and lines.
    public func contains(x: Double, y: Double) -> Bool {
        if kind == .geometryCollection { return members.contains { $0.contains(x: x, y: y) } }
        guard kind.isPolygonal else { return false }
        var inside = false
        for ring in ringRanges where ring.count >= 3 {
            var j = ring.upperBound - 1
            for i in ring {
                let (xi, yi) = position(i), (xj, yj) = position(j)
                if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi { inside.toggle() }
                j = i
            }
        }
        return inside
    }

    /// The bounding box, or nil when empty.
    public var boundingBox: BoundingBox? {
        var box: BoundingBox? = nil
        if !coordinates.isEmpty {
            var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
            coordinates.withUnsafeBufferPointer { c in
                var i = 0
                while i < c.count {
                    let x = c[i], y = c[i + 1]
                    if x < minX { minX = x }
                    if x > maxX { maxX = x }
                    if y < minY { minY = y }
                    if y > maxY { maxY = y }
                    i += 2
                }
            }
            box = BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
        }
        for member in members {
            guard let b = member.boundingBox else { continue }
            box = box.map { $0.union(b) } ?? b
        }
        return box
    }

    /// All polygons of a polygonal geometry (members of collections included) as separate geometries.
    public var polygons: [Geometry] {
        switch kind {
        case .polygon: return [self]
        case .multiPolygon:
            let rings = ringRanges
            return polygonRanges.filter { !$0.isEmpty }.map { ringRange in
                let first = rings[ringRange.lowerBound].lowerBound
                let last = rings[ringRange.upperBound - 1].upperBound
                return Geometry(
                    kind: .polygon,
                    coordinates: Array(coordinates[(2 * first)..<(2 * last)]),
                    ringEnds: ringEnds[ringRange].map { $0 - first },
                    polygonEnds: [ringRange.count])
            }
        case .geometryCollection: return members.flatMap(\.polygons)
        default: return []
        }
    }

    /// Signed planar area of the ring with position range `r` (positive when counter-clockwise).
    public func signedRingArea(_ r: Range<Int>) -> Double {
        guard r.count >= 3 else { return 0 }
        return coordinates.withUnsafeBufferPointer { c in
            var sum = 0.0
            let x0 = c[2 * r.lowerBound], y0 = c[2 * r.lowerBound + 1]
            for i in r.lowerBound..<(r.upperBound - 1) {
                let ax = c[2 * i] - x0, ay = c[2 * i + 1] - y0
                let bx = c[2 * i + 2] - x0, by = c[2 * i + 3] - y0
                sum += ax * by - bx * ay
            }
            return sum / 2
        }
    }
}

/// An axis-aligned rectangle.
public struct BoundingBox: Sendable, Hashable, CustomStringConvertible {
    /// West, south, east and north edges, in the geometry's units (degrees of longitude/latitude, or Web Mercator metres).
    public var minX: Double, minY: Double, maxX: Double, maxY: Double

    /// A box from its edges.
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    /// The smallest box holding both.
    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(minX: min(minX, other.minX), minY: min(minY, other.minY),
                    maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }

    /// The box around all of `boxes`, nil when there are none.
    public static func union<S: Sequence>(of boxes: S) -> BoundingBox? where S.Element == BoundingBox {
        boxes.reduce(nil) { result, box in result.map { $0.union(box) } ?? box }
    }

    /// True when the two boxes share at least a point.
    public func intersects(_ other: BoundingBox) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    /// True when the point lies inside or on the edge.
    public func contains(x: Double, y: Double) -> Bool {
        x >= minX && x <= maxX && y >= minY && y <= maxY
    }

    /// The box grown by `d` on every side.
    public func expanded(by d: Double) -> BoundingBox {
        BoundingBox(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d)
    }

    /// East-west extent (`maxX - minX`), in the box's units.
    public var width: Double { maxX - minX }
    /// North-south extent (`maxY - minY`), in the box's units.
    public var height: Double { maxY - minY }
    /// `[minX, minY, maxX, maxY]`, as in a GeoJSON `bbox`.
    public var description: String { "[\(minX), \(minY), \(maxX), \(maxY)]" }
}
