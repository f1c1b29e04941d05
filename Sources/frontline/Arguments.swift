import ArgumentParser
import FrontlineData
import FrontlineGeometry
import FrontlineRender

// Values of options, parsed once where ArgumentParser reads them: a value that does not parse is
// a usage error (exit code 64) naming the option.

extension CalendarDate: ExpressibleByArgument {
    /// Parses a `YYYY-MM-DD` command-line argument; nil when it is not a valid date.
    public init?(argument: String) { self.init(argument) }
}

extension TileCoordinate: ExpressibleByArgument {
    /// Parses `z/x/y` with 0 ≤ x, y < 2^z.
    public init?(argument: String) { self.init(argument) }
}

/// `west,south,east,north` in degrees, west < east and south < north, within Web Mercator's latitudes.
struct LonLatBox: ExpressibleByArgument {
    /// The box.
    var box: BoundingBox

    init?(argument: String) {
        let v = argument.split(separator: ",", omittingEmptySubsequences: false).compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard v.count == 4, v.allSatisfy(\.isFinite), v[0] < v[2], v[1] < v[3], v[0] >= -180, v[2] <= 180, v[1] >= -85.06, v[3] <= 85.06 else {
            return nil
        }
        box = BoundingBox(minX: v[0], minY: v[1], maxX: v[2], maxY: v[3])
    }
}

/// `WxH` in pixels, each 16 to 8192.
struct PixelSize: ExpressibleByArgument {
    /// Width and height in pixels.
    var width: Int, height: Int

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let w = parts[0], let h = parts[1], (16...8192).contains(w), (16...8192).contains(h) else { return nil }
        (width, height) = (w, h)
    }

    var defaultValueDescription: String { "\(width)x\(height)" }
}

/// `Z` or `MIN-MAX` within the tile server's zooms 0–18.
struct ZoomRange: ExpressibleByArgument {
    /// The zoom levels.
    var range: ClosedRange<Int>

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(parts.count), let low = parts.first!, let high = parts.last!, low >= 0, high <= 18, low <= high else {
            return nil
        }
        range = low...high
    }

    var defaultValueDescription: String { range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)" }
}

extension PaperSize: ExpressibleByArgument {
    /// The paper sizes by name.
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
