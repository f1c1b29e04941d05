/// Why a well-known binary (WKB) geometry could not be read.
public struct WKBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, with the byte offset where it was found.
    public var message: String

    /// Makes an error.
    public init(_ message: String) { self.message = message }

    /// The message alone.
    public var description: String { message }
}

extension Geometry {
    /// Reads a WKB geometry: ISO (type + 1000/2000/3000) and extended (0x8000_0000 / 0x4000_0000 flag)
    /// Z and M variants, either byte order. Z and M are dropped; only the seven GeoJSON types are read.
    public init(wkb bytes: [UInt8]) throws(WKBError) {
        var reader = WKBReader(bytes: bytes)
        self = try reader.geometry()
        guard reader.offset == bytes.count else {
            throw WKBError("\(bytes.count - reader.offset) bytes left after the geometry")
        }
    }

    /// The geometry as little-endian 2D ISO WKB (what GDAL, GEOS and PostGIS read).
    public var wkb: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + 8 * coordinates.count + 4 * ringEnds.count)
        appendWKB(to: &out)
        return out
    }

    private func appendWKB(to out: inout [UInt8]) {
        func header(_ type: UInt32) {
            out.append(1)  // little-endian
            withUnsafeBytes(of: type.littleEndian) { out.append(contentsOf: $0) }
        }
        func count(_ n: Int) { withUnsafeBytes(of: UInt32(n).littleEndian) { out.append(contentsOf: $0) } }
        func positions(_ r: Range<Int>) {
            for i in (2 * r.lowerBound)..<(2 * r.upperBound) {
                withUnsafeBytes(of: coordinates[i].bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        func rings(_ indices: Range<Int>, _ all: [Range<Int>]) {
            count(indices.count)
            for i in indices { count(all[i].count); positions(all[i]) }
        }
        let all = ringRanges
        switch kind {
        case .point:
            header(1)
            // An empty point is NaN, NaN in WKB.
            if let r = all.first, !r.isEmpty {
                positions(r)
            } else {
                for _ in 0..<2 { withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
            }
        case .lineString:
            header(2)
            let r = all.first ?? 0..<0
            count(r.count); positions(r)
        case .polygon:
            header(3); rings(0..<all.count, all)
        case .multiPoint:
            header(4); count(all.count)
            for r in all { header(1); positions(r) }
        case .multiLineString:
            header(5); count(all.count)
            for r in all { header(2); count(r.count); positions(r) }
        case .multiPolygon:
            let polygons = polygonRanges
            header(6); count(polygons.count)
            for p in polygons { header(3); rings(p, all) }
        case .geometryCollection:
            header(7); count(members.count)
            for m in members { m.appendWKB(to: &out) }
        }
    }
}

/// A cursor over WKB bytes that appends what it reads to flat coordinate arrays.
private struct WKBReader {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// One geometry, from its byte-order mark on.
    mutating func geometry() throws(WKBError) -> Geometry {
        let (type, dimensions, littleEndian) = try header()
        var g = Geometry(kind: .geometryCollection, coordinates: [], ringEnds: [])
        switch type {
        case 1:
            g.kind = .point
            try appendPositions(1, dimensions, littleEndian, to: &g)
            // NaN, NaN is the empty point.
            if g.coordinates.allSatisfy(\.isNaN) { g.coordinates = []; g.ringEnds = [] }
        case 2:
            g.kind = .lineString
            try appendPositions(try count(littleEndian), dimensions, littleEndian, to: &g)
        case 3:
            g.kind = .polygon
            try appendRings(dimensions, littleEndian, to: &g)
        case 4, 5, 6:
            g.kind = type == 4 ? .multiPoint : type == 5 ? .multiLineString : .multiPolygon
            let n = try count(littleEndian)
            for _ in 0..<n {
                let (memberType, memberDimensions, memberLittleEndian) = try header()
                guard memberType == type - 3 else { throw WKBError("a member of type \(memberType) in a \(g.kind.rawValue) at byte \(offset)") }
                if memberType == 3 {
                    try appendRings(memberDimensions, memberLittleEndian, to: &g)
                } else {
                    let positions = memberType == 1 ? 1 : try count(memberLittleEndian)
                    try appendPositions(positions, memberDimensions, memberLittleEndian, to: &g)
                }
            }
        case 7:
            let n = try count(littleEndian)
            for _ in 0..<n { g.members.append(try geometry()) }
        default:
            throw WKBError("unsupported WKB geometry type \(type) at byte \(offset - 4)")
        }
        return g
    }

    /// Byte order, base type (1–7) and the number of values per position.
    private mutating func header() throws(WKBError) -> (type: UInt32, dimensions: Int, littleEndian: Bool) {
        guard offset < bytes.count else { throw WKBError("the WKB ends at byte \(offset) before a geometry") }
        let order = bytes[offset]
        guard order <= 1 else { throw WKBError("byte-order mark \(order) at byte \(offset) is neither 0 nor 1") }
        offset += 1
        var code = try uint32(order == 1)
        var dimensions = 2
        // Extended WKB: high bits flag Z and M (and 0x2000_0000 an embedded SRID).
        if code & 0x8000_0000 != 0 { dimensions += 1 }
        if code & 0x4000_0000 != 0 { dimensions += 1 }
        if code & 0x2000_0000 != 0 { _ = try uint32(order == 1) }
        code &= 0x0FFF_FFFF
        // ISO WKB: 1000 adds Z, 2000 adds M, 3000 adds both.
        switch code / 1000 {
        case 1, 2: dimensions += 1
        case 3: dimensions += 2
        default: break
        }
        return (code % 1000, dimensions, order == 1)
    }

    private mutating func appendRings(_ dimensions: Int, _ littleEndian: Bool, to g: inout Geometry) throws(WKBError) {
        let rings = try count(littleEndian)
        for _ in 0..<rings { try appendPositions(try count(littleEndian), dimensions, littleEndian, to: &g) }
        g.polygonEnds.append(g.ringEnds.count)
    }

    private mutating func appendPositions(_ n: Int, _ dimensions: Int, _ littleEndian: Bool, to g: inout Geometry) throws(WKBError) {
        guard n <= (bytes.count - offset) / (8 * dimensions) else {
            throw WKBError("\(n) positions announced at byte \(offset) but the WKB is shorter")
        }
        for _ in 0..<n {
            g.coordinates.append(try double(littleEndian))
            g.coordinates.append(try double(littleEndian))
            offset += 8 * (dimensions - 2)
        }
        g.ringEnds.append(g.coordinates.count / 2)
    }

    private mutating func count(_ littleEndian: Bool) throws(WKBError) -> Int { Int(try uint32(littleEndian)) }

    private mutating func uint32(_ littleEndian: Bool) throws(WKBError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw WKBError("the WKB ends at byte \(offset) inside a number") }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * k) }
        offset += 4
        return littleEndian ? v : v.byteSwapped
    }

    private mutating func double(_ littleEndian: Bool) throws(WKBError) -> Double {
        guard offset + 8 <= bytes.count else { throw WKBError("the WKB ends at byte \(offset) inside a coordinate") }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * k) }
        offset += 8
        return Double(bitPattern: littleEndian ? v : v.byteSwapped)
    }
}
