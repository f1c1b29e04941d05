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

@Suite struct TileCoordinateTests {
    @Test func parsesAndRefusesOutOfRange() {
        #expect(TileCoordinate("10/612/389") == TileCoordinate(z: 10, x: 612, y: 389))
        for bad in ["10/1024/0", "-1/0/0", "23/0/0", "1/0", "a/b/c", "1/0/0/0", "1/+0/0", "", "99999999999999999999/0/0"] {
            #expect(TileCoordinate(bad) == nil, "\(bad)")
        }
    }

    @Test func boundsAndTMSRows() {
        let world = TileCoordinate(z: 0, x: 0, y: 0)!
        #expect(world.bounds == BoundingBox(minX: -WebMercator.halfWorld, minY: -WebMercator.halfWorld, maxX: WebMercator.halfWorld, maxY: WebMercator.halfWorld))
        let t = TileCoordinate(z: 2, x: 3, y: 0)!
        #expect(t.tmsY == 3)
        #expect(abs(t.bounds.minX - WebMercator.halfWorld / 2) < 1e-6 && t.bounds.maxY == WebMercator.halfWorld)
        // Stepanakert (46.75° E, 39.82° N): x = (46.75 + 180) / 360 × 1024 = 644.98, y = 388.6 by the slippy-map formula.
        let covering = TileCoordinate.covering(BoundingBox(minX: 5_204_304, minY: 4_839_561, maxX: 5_204_305, maxY: 4_839_562), zoom: 10)
        #expect(covering == [TileCoordinate(z: 10, x: 644, y: 388)!])
        #expect(abs(WebMercator.latitude(y: 4_839_561.32870176) - 39.8182184) < 1e-7)
    }
}
