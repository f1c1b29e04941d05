/// Why a GeoJSON geometry object could not be read.
public struct GeoJSONGeometryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of defect, which callers map to their own error codes.
    public enum Code: String, Sendable {
        /// Not a geometry object, an unknown type, or coordinates of the wrong shape.
        case invalidGeometry
        /// A ring whose last position differs from its first.
        case unclosedRing
        /// A ring with fewer than 4 positions or a line with fewer than 2.
        case tooFewPositions
        /// A position that is not two finite numbers within longitude/latitude range.
        case invalidCoordinate
    }

    /// The kind of defect.
    public var code: Code
    /// What is wrong, for a person fixing the file.
    public var message: String

    /// Makes an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message alone.
    public var description: String { message }
}

extension Geometry {
    /// Reads an RFC 7946 geometry object: longitude/latitude positions (a third number such as
    /// elevation is dropped), closed rings of at least 4 positions, lines of at least 2.
    public init(geoJSON json: JSONValue) throws(GeoJSONGeometryError) {
        guard case .object(let members) = json else {
            throw GeoJSONGeometryError(.invalidGeometry, "a geometry must be an object, found \(json.typeDescription)")
        }
        guard let typeName = members["type"]?.stringValue else {
            throw GeoJSONGeometryError(.invalidGeometry, "the geometry has no \"type\"")
        }
        guard let kind = Kind(rawValue: typeName) else {
            throw GeoJSONGeometryError(.invalidGeometry, "unknown geometry type \"\(typeName)\"")
        }
        if kind == .geometryCollection {
            guard let geometries = members["geometries"]?.arrayValue else {
                throw GeoJSONGeometryError(.invalidGeometry, "a GeometryCollection needs a \"geometries\" array")
            }
            var parts: [Geometry] = []
            for g in geometries { parts.append(try Geometry(geoJSON: g)) }
            self.init(kind: .geometryCollection, coordinates: [], ringEnds: [], members: parts)
            return
        }
        guard let coordinates = members["coordinates"] else {
            throw GeoJSONGeometryError(.invalidGeometry, "the \(typeName) has no \"coordinates\"")
        }
        try self.init(kind: kind, coordinates: coordinates)
    }

    private init(kind: Kind, coordinates json: JSONValue) throws(GeoJSONGeometryError) {
        let expectedDepth: Int
        let shape: String
        switch kind {
        case .point: expectedDepth = 1; shape = "a position [lon, lat]"
        case .lineString: expectedDepth = 2; shape = "an array of positions"
        case .multiPoint: expectedDepth = 2; shape = "an array of positions"
        case .polygon: expectedDepth = 3; shape = "an array of rings, each an array of positions"
        case .multiLineString: expectedDepth = 3; shape = "an array of lines, each an array of positions"
        case .multiPolygon: expectedDepth = 4; shape = "an array of polygons, each an array of rings of positions"
        case .geometryCollection: expectedDepth = 0; shape = ""
        }
        guard case .numbers(let array) = json else {
            if let bad = Self.firstNonNumber(json) {
                throw GeoJSONGeometryError(.invalidCoordinate, "a coordinate is \(bad.typeDescription) (\(Self.describe(bad))), not a number")
            }
            throw GeoJSONGeometryError(.invalidGeometry, "\(kind.rawValue) coordinates must be \(shape)")
        }
        let outerCount = array.counts.first?.first ?? 0
        if outerCount == 0 {
            self.init(kind: kind, coordinates: [], ringEnds: [], polygonEnds: [])
            return
        }
        guard array.depth == expectedDepth else {
            if array.values.isEmpty && array.depth < expectedDepth {
                throw GeoJSONGeometryError(.tooFewPositions, "\(kind.rawValue) has an empty \(kind.isPolygonal ? "ring" : "line")")
            }
            throw GeoJSONGeometryError(.invalidGeometry, "\(kind.rawValue) coordinates must be \(shape) (nested \(expectedDepth) deep), found nesting \(array.depth) deep")
        }
        let leafCounts = array.counts[expectedDepth - 1]
        var flat: [Double]
        if leafCounts.allSatisfy({ $0 == 2 }) {
            flat = array.values
        } else {
            flat = []
            flat.reserveCapacity(2 * leafCounts.count)
            var v = 0
            for n in leafCounts {
                guard n >= 2 else {
                    throw GeoJSONGeometryError(.invalidCoordinate, "position \(flat.count / 2) has \(n) number\(n == 1 ? "" : "s"); a position needs longitude and latitude")
                }
                flat.append(array.values[v]); flat.append(array.values[v + 1])
                v += n
            }
        }
        try Self.checkRange(flat)

        var ringEnds: [Int] = []
        var polygonEnds: [Int] = []
        switch kind {
        case .point:
            ringEnds = [1]
        case .multiPoint:
            ringEnds = Array(1...leafCounts.count)
        case .lineString:
            ringEnds = [leafCounts.count]
        case .polygon, .multiLineString:
            ringEnds = Self.cumulative(array.counts[1])
            if kind == .polygon { polygonEnds = [ringEnds.count] }
        case .multiPolygon:
            if let empty = array.counts[1].firstIndex(of: 0) {
                throw GeoJSONGeometryError(.invalidGeometry, "polygon \(empty) of the MultiPolygon has no rings")
            }
            ringEnds = Self.cumulative(array.counts[2])
            polygonEnds = Self.cumulative(array.counts[1])
        case .geometryCollection:
            break
        }
        self.init(kind: kind, coordinates: flat, ringEnds: ringEnds, polygonEnds: polygonEnds)
        try checkRings()
    }

    private static func cumulative(_ counts: [Int]) -> [Int] {
        var total = 0
        return counts.map { total += $0; return total }
    }

    private static func checkRange(_ flat: [Double]) throws(GeoJSONGeometryError) {
        var bad: Int? = nil
        flat.withUnsafeBufferPointer { c in
            var i = 0
            while i < c.count {
                let x = c[i], y = c[i + 1]
                if !(x >= -180 && x <= 180 && y >= -90 && y <= 90) { bad = i / 2; return }
                i += 2
            }
        }
        guard let bad else { return }
        let x = flat[2 * bad], y = flat[2 * bad + 1]
        let why: String
        if !x.isFinite || !y.isFinite { why = "is not a finite number" }
        else if !(y >= -90 && y <= 90) { why = "has latitude \(y) outside -90…90 (positions are [longitude, latitude])" }
        else { why = "has longitude \(x) outside -180…180" }
        throw GeoJSONGeometryError(.invalidCoordinate, "position \(bad) [\(x), \(y)] \(why)")
    }

    private func checkRings() throws(GeoJSONGeometryError) {
        switch kind {
        case .lineString, .multiLineString:
            for (k, r) in ringRanges.enumerated() where r.count < 2 {
                throw GeoJSONGeometryError(.tooFewPositions, "line \(k) has \(r.count) position\(r.count == 1 ? "" : "s"); a line needs at least 2")
            }
        case .polygon, .multiPolygon:
            for (k, r) in ringRanges.enumerated() {
                guard r.count >= 4 else {
                    throw GeoJSONGeometryError(.tooFewPositions, "ring \(k) has \(r.count) positions; a ring needs at least 4 (the last repeating the first)")
                }
                guard position(r.lowerBound) == position(r.upperBound - 1) else {
                    let a = position(r.lowerBound), b = position(r.upperBound - 1)
                    throw GeoJSONGeometryError(.unclosedRing, "ring \(k) is not closed: it starts at [\(a.x), \(a.y)] and ends at [\(b.x), \(b.y)]")
                }
            }
        default:
            break
        }
    }

    private static func firstNonNumber(_ json: JSONValue) -> JSONValue? {
        switch json {
        case .number, .numbers: return nil
        case .array(let elements):
            for e in elements {
                if case .array = e { if let bad = firstNonNumber(e) { return bad } else { continue } }
                if case .numbers = e { continue }
                if case .number = e { continue }
                return e
            }
            return nil
        default: return json
        }
    }

    private static func describe(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return "\"\(s)\""
        case .null: return "null"
        case .bool(let b): return "\(b)"
        default: return v.typeDescription
        }
    }
}
