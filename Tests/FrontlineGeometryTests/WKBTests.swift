import Testing
@testable import FrontlineGeometry

@Suite struct WKBTests {
    static let shapes: [Geometry] = [
        .point(46.75, 39.81),
        .lineString([(0, 0), (1, 1), (2, 0)]),
        .polygon([[(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)], [(1, 1), (1, 2), (2, 2), (1, 1)]]),
        Geometry(kind: .multiPoint, coordinates: [1, 2, 3, 4], ringEnds: [1, 2]),
        Geometry(kind: .multiLineString, coordinates: [0, 0, 1, 1, 5, 5, 6, 6, 7, 5], ringEnds: [2, 5]),
        Geometry(kind: .multiPolygon, coordinates: [0, 0, 1, 0, 1, 1, 0, 0, 5, 5, 6, 5, 6, 6, 5, 5],
                 ringEnds: [4, 8], polygonEnds: [1, 2]),
        Geometry(kind: .geometryCollection, coordinates: [], ringEnds: [], members: [.point(1, 2), .lineString([(0, 0), (1, 1)])]),
    ]

    @Test(arguments: shapes) func writtenWKBReadsBackTheSameGeometry(_ shape: Geometry) throws {
        #expect(try Geometry(wkb: shape.wkb) == shape)
    }

    /// POINT Z (1 2 3) in ISO WKB (type 1001), little-endian.
    @Test func isoZIsDropped() throws {
        let bytes: [UInt8] = [1] + le32(1001) + le64(1) + le64(2) + le64(3)
        #expect(try Geometry(wkb: bytes) == .point(1, 2))
    }

    /// LINESTRING ZM in big-endian extended WKB (Z and M flags), two positions of four values.
    @Test func extendedZMBigEndianIsDropped() throws {
        let bytes: [UInt8] = [0] + be32(0xC000_0002) + be32(2) + [1.0, 2, 9, 9, 3, 4, 9, 9].flatMap(be64)
        #expect(try Geometry(wkb: bytes) == .lineString([(1, 2), (3, 4)]))
    }

    /// MULTIPOLYGON M (ISO 2006) of one triangle.
    @Test func isoMMultiPolygonIsRead() throws {
        let ring: [Double] = [0, 0, 7, 1, 0, 7, 1, 1, 7, 0, 0, 7]
        let bytes: [UInt8] = [1] + le32(2006) + le32(1) + [1] + le32(2003) + le32(1) + le32(4) + ring.flatMap(le64)
        let g = try Geometry(wkb: bytes)
        #expect(g.kind == .multiPolygon)
        #expect(g.coordinates == [0, 0, 1, 0, 1, 1, 0, 0])
        #expect(g.polygonEnds == [1])
    }

    @Test func truncatedAndUnknownWKBAreErrors() {
        let point = Geometry.point(1, 2).wkb
        #expect(throws: WKBError.self) { try Geometry(wkb: Array(point.dropLast(3))) }
        #expect(throws: WKBError.self) { try Geometry(wkb: [1] + le32(17) + le32(0)) }
        #expect(throws: WKBError.self) { try Geometry(wkb: [1] + le32(2) + le32(1_000_000)) }
        #expect(throws: WKBError.self) { try Geometry(wkb: point + [0]) }
    }

    private func le32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
    private func be32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
    private func le64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
    private func be64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.bigEndian, Array.init) }
}
