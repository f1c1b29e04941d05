import Foundation

/// Web Mercator (EPSG:3857) constants and conversions that need no PROJ call.
public enum WebMercator {
    /// Half the width of the projected world in metres (π × 6 378 137).
    public static let halfWorld = 20_037_508.342789244
    /// The latitude where the square world ends.
    public static let maximumLatitude = 85.051128779806592

    /// Metres per pixel at the equator for a 256 px tile pyramid at zoom `z`.
    public static func resolution(zoom z: Double) -> Double {
        2 * halfWorld / (256 * pow(2, z))
    }

    /// The ground distance that one projected metre measures at `latitude` (Mercator stretches by 1/cos φ).
    public static func groundScale(atLatitude latitude: Double) -> Double {
        cos(latitude * .pi / 180)
    }

    /// Latitude in degrees of a projected y.
    public static func latitude(y: Double) -> Double {
        (2 * atan(exp(y / 6_378_137)) - .pi / 2) * 180 / .pi
    }

    /// Projected y of a latitude in degrees (clamped to the square world).
    public static func y(latitude: Double) -> Double {
        let phi = min(maximumLatitude, max(-maximumLatitude, latitude)) * .pi / 180
        return 6_378_137 * log(tan(.pi / 4 + phi / 2))
    }

    /// Projected x of a longitude in degrees.
    public static func x(longitude: Double) -> Double { 6_378_137 * longitude * .pi / 180 }
}

/// A tile of the XYZ scheme (y down from the north, as web maps number them).
public struct TileCoordinate: Sendable, Hashable, CustomStringConvertible {
    /// The deepest zoom Frontline serves.
    public static let maximumZoom = 22

    /// Zoom level, column and row.
    public let z: Int, x: Int, y: Int

    /// A tile, or nil when out of range (0 ≤ x, y < 2^z, 0 ≤ z ≤ maximumZoom).
    public init?(z: Int, x: Int, y: Int) {
        guard (0...TileCoordinate.maximumZoom).contains(z) else { return nil }
        let n = 1 << z
        guard (0..<n).contains(x), (0..<n).contains(y) else { return nil }
        self.z = z
        self.x = x
        self.y = y
    }

    /// Parses `Z/X/Y`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let z = Int(parts[0]), let x = Int(parts[1]), let y = Int(parts[2]) else { return nil }
        self.init(z: z, x: x, y: y)
    }

    /// The row in the TMS scheme (y up from the south), as MBTiles stores it.
    public var tmsY: Int { (1 << z) - 1 - y }

    /// The tile's extent in Web Mercator metres.
    public var bounds: BoundingBox {
        let size = 2 * WebMercator.halfWorld / Double(1 << z)
        let minX = -WebMercator.halfWorld + Double(x) * size
        let maxY = WebMercator.halfWorld - Double(y) * size
        return BoundingBox(minX: minX, minY: maxY - size, maxX: minX + size, maxY: maxY)
    }

    /// The tiles at zoom `z` that cover a projected box.
    public static func covering(_ box: BoundingBox, zoom z: Int) -> [TileCoordinate] {
        let n = 1 << z
        let size = 2 * WebMercator.halfWorld / Double(n)
        func column(_ x: Double) -> Int { min(n - 1, max(0, Int(floor((x + WebMercator.halfWorld) / size)))) }
        func row(_ y: Double) -> Int { min(n - 1, max(0, Int(floor((WebMercator.halfWorld - y) / size)))) }
        var tiles: [TileCoordinate] = []
        for x in column(box.minX)...column(box.maxX) {
            for y in row(box.maxY)...row(box.minY) { tiles.append(TileCoordinate(z: z, x: x, y: y)!) }
        }
        return tiles
    }

    /// `z/x/y`.
    public var description: String { "\(z)/\(x)/\(y)" }
}
