import CPROJ

/// Geodesic measures on the WGS84 ellipsoid through PROJ's geodesic routines (Karney's
/// algorithms, as pyproj's `Geod` uses). Coordinates are longitude/latitude in degrees.
public struct Geodesic: Sendable {
    private let ellipsoid: geod_geodesic

    /// The WGS84 ellipsoid (a = 6 378 137 m, f = 1/298.257223563).
    public static let wgs84 = Geodesic(equatorialRadius: 6_378_137, flattening: 1 / 298.257223563)

    /// An ellipsoid from its equatorial radius in metres and flattening.
    public init(equatorialRadius: Double, flattening: Double) {
        var g = geod_geodesic()
        geod_init(&g, equatorialRadius, flattening)
        ellipsoid = g
    }

    /// Area in km² of the polygonal parts (holes subtracted); 0 for points and lines.
    public func areaKm2(_ geometry: Geometry) -> Double {
        switch geometry.kind {
        case .polygon, .multiPolygon:
            let rings = geometry.ringRanges
            var total = 0.0
            for polygon in geometry.polygonRanges {
                for (k, ringIndex) in polygon.enumerated() {
                    let a = abs(ringAreaM2(geometry, rings[ringIndex]))
                    total += k == 0 ? a : -a
                }
            }
            return total / 1e6
        case .geometryCollection:
            return geometry.members.reduce(0) { $0 + areaKm2($1) }
        default:
            return 0
        }
    }

    /// Length in km of the lineal parts (polygon boundaries are not counted); 0 for points and polygons.
    public func lengthKm(_ geometry: Geometry) -> Double {
        switch geometry.kind {
        case .lineString, .multiLineString:
            return geometry.ringRanges.reduce(0) { $0 + pathLengthM(geometry, $1) } / 1000
        case .geometryCollection:
            return geometry.members.reduce(0) { $0 + lengthKm($1) }
        default:
            return 0
        }
    }

    /// The distance in km between two lon/lat points along the ellipsoid.
    public func distanceKm(from a: (lon: Double, lat: Double), to b: (lon: Double, lat: Double)) -> Double {
        var g = ellipsoid
        var s12 = 0.0
        // geod_inverse takes latitude before longitude; unwanted outputs may be NULL.
        geod_inverse(&g, a.lat, a.lon, b.lat, b.lon, &s12, nil, nil)
        return s12 / 1000
    }

    /// Signed area in m² of one ring (counter-clockwise positive), the closing position skipped.
    private func ringAreaM2(_ g: Geometry, _ range: Range<Int>) -> Double {
        var e = ellipsoid
        var polygon = geod_polygon()
        geod_polygon_init(&polygon, 0)
        var end = range.upperBound
        if range.count > 1, g.position(range.lowerBound) == g.position(end - 1) { end -= 1 }
        g.coordinates.withUnsafeBufferPointer { c in
            for i in range.lowerBound..<end {
                geod_polygon_addpoint(&e, &polygon, c[2 * i + 1], c[2 * i])
            }
        }
        var area = 0.0
        // reverse = 0, sign = 1: a signed area, positive for counter-clockwise rings.
        geod_polygon_compute(&e, &polygon, 0, 1, &area, nil)
        return area
    }

    private func pathLengthM(_ g: Geometry, _ range: Range<Int>) -> Double {
        var e = ellipsoid
        var total = 0.0
        g.coordinates.withUnsafeBufferPointer { c in
            guard range.count >= 2 else { return }
            for i in range.lowerBound..<(range.upperBound - 1) {
                var s12 = 0.0
                geod_inverse(&e, c[2 * i + 1], c[2 * i], c[2 * i + 3], c[2 * i + 2], &s12, nil, nil)
                total += s12
            }
        }
        return total
    }
}
