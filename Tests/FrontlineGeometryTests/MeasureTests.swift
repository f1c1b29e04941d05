import Testing
@testable import FrontlineGeometry

/// Expected values from pyproj 3 (`Geod(ellps="WGS84")`, `Transformer` EPSG:4326→3857, always_xy).
@Suite struct MeasureTests {
    func close(_ a: Double, _ b: Double, relative: Double = 1e-6) -> Bool { abs(a - b) <= relative * abs(b) }

    @Test func areaOfADegreeCellAtTheEquator() {
        let cell = Geometry.polygon([[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]])
        #expect(close(Geodesic.wgs84.areaKm2(cell), 12_308.778361469453))
    }

    @Test func areaIgnoresRingOrientationAndSubtractsHoles() {
        let clockwise = Geometry.polygon([[(46, 39), (46, 40), (47, 40), (47, 39), (46, 39)]])
        #expect(close(Geodesic.wgs84.areaKm2(clockwise), 9_549.468853921388))
        let withHole = Geometry.polygon([
            [(46, 39), (47, 39), (47, 40), (46, 40), (46, 39)],
            [(46.2, 39.2), (46.2, 39.4), (46.4, 39.4), (46.4, 39.2), (46.2, 39.2)],
        ])
        #expect(close(Geodesic.wgs84.areaKm2(withHole), 9_166.40418244487))
        #expect(Geodesic.wgs84.areaKm2(.point(46, 39)) == 0)
    }

    @Test func lengthAlongTheEquatorAndARoad() {
        #expect(close(Geodesic.wgs84.lengthKm(.lineString([(0, 0), (1, 0)])), 111.31949079327356))
        let road = Geometry.lineString([(46.33861, 39.50778), (46.5488378, 39.6401825), (46.751063, 39.8182184)])
        #expect(close(Geodesic.wgs84.lengthKm(road), 49.58166776018348))
        #expect(close(Geodesic.wgs84.distanceKm(from: (0, 0), to: (1, 0)), 111.31949079327356))
    }

    @Test func webMercatorKeepsLongitudeFirst() throws {
        let projection = try Projection.webMercator()
        let stepanakert = try projection.forward(.point(46.751063, 39.8182184))
        #expect(close(stepanakert.coordinates[0], 5_204_304.527204253, relative: 1e-9))
        #expect(close(stepanakert.coordinates[1], 4_839_561.32870176, relative: 1e-9))
        let edge = try projection.forward(.lineString([(180, 0), (-46.5, -20.25)]))
        #expect(close(edge.coordinates[0], 20_037_508.342789244, relative: 1e-9))
        #expect(close(edge.coordinates[2], -5_176_356.321887221, relative: 1e-9))
        #expect(close(edge.coordinates[3], -2_302_670.494836804, relative: 1e-9))
    }

    @Test func unknownCRSIsAProjectionError() {
        let error = #expect(throws: GeometryError.self) { try Projection(from: "EPSG:4326", to: "EPSG:99999999") }
        #expect(error?.code == .projection)
        #expect(error?.message.isEmpty == false)
    }
}
