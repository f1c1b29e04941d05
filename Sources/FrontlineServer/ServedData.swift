import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Synchronization

/// One consistent version of what the server serves: the dataset, its projected layers and the
/// styles, loaded together. Requests take a snapshot and use it to the end, so a reload never
/// shows anyone a half-loaded dataset. A class, so that taking a snapshot costs one reference.
public final class ServedData: Sendable {
    /// The dataset.
    public let dataset: Dataset
    /// Its layers in Web Mercator, indexed.
    public let projected: ProjectedLayers
    /// Styles by name.
    public let styles: [String: Style]
    /// Changes whenever a data or style file or the program changes: part of every ETag and tile URL.
    public let version: String
    /// `version` hashed, for tile ETags.
    let versionHash: FNV1a
    /// Numbers the versions this process has loaded: the tile cache's keys carry it.
    let serial: Int

    private static let loads = Atomic<Int>(0)

    init(dataset: Dataset, projected: ProjectedLayers, styles: [String: Style], version: String) {
        self.dataset = dataset
        self.projected = projected
        self.styles = styles
        self.version = version
        var hash = FNV1a()
        hash.add(version)
        versionHash = hash
        serial = ServedData.loads.add(1, ordering: .relaxed).newValue
    }

    /// Loads the dataset and every style of the folder.
    static func load(data: URL, styles: URL, version: String) throws -> ServedData {
        let dataset = try Dataset.load(from: data)
        var loaded: [String: Style] = [:]
        for name in Style.availableStyles(in: styles) {
            loaded[name] = try Style.named(name, in: styles, strict: false)
        }
        return ServedData(dataset: dataset, projected: try dataset.webMercatorLayers(), styles: loaded, version: version)
    }

    /// A date from a URL: `YYYY-MM-DD` within the temporal extent, or `latest` (its last day).
    func date(_ text: String) throws -> CalendarDate {
        let extent = dataset.metadata.temporalExtent
        if text == "latest" { return extent.upperBound }
        guard let date = CalendarDate(text) else {
            throw APIError(.badRequest, "'\(text)' is not a date: use YYYY-MM-DD or latest")
        }
        guard extent.contains(date) else {
            throw APIError(.notFound, "\(date) is outside the data (\(extent.lowerBound) to \(extent.upperBound))")
        }
        return date
    }

    /// A style by name, or a 404 naming the styles on offer.
    func style(_ name: String) throws -> Style {
        guard let style = styles[name] else {
            throw APIError(.notFound, "unknown style '\(name)'; styles: \(styles.keys.sorted().joined(separator: ", "))")
        }
        return style
    }
}

/// A fingerprint of what the served tiles are made from: the data and style files (names, sizes
/// and modification times) and the running program, since a new build may draw differently.
enum FilesFingerprint {
    static func of(_ folders: [URL]) -> String {
        var hasher = FNV1a()
        hasher.add(program)
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.sorted() ?? []
            for name in names where name.hasSuffix(".json") || name.hasSuffix(".geojson") {
                hasher.add(identity(folder.appendingPathComponent(name).path))
            }
        }
        return hasher.hex
    }

    private static let program = identity(Bundle.main.executablePath ?? CommandLine.arguments[0])

    private static func identity(_ path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(path):\(size):\(modified)"
    }
}

/// FNV-1a, 64 bits: ETags and version strings (not for security).
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for b in bytes { value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    }

    mutating func add(_ text: String) { add(text.utf8) }

    /// Adds an integer's eight bytes.
    mutating func add(_ n: Int) {
        var n = UInt64(bitPattern: Int64(n))
        for _ in 0..<8 {
            value = (value ^ (n & 0xff)) &* 0x0000_0100_0000_01B3
            n >>= 8
        }
    }

    /// The value as 16 lower-case hex digits.
    var hex: String {
        String(unsafeUninitializedCapacity: 16) { digits in
            for i in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: value >> (60 - 4 * UInt64(i))) & 0xf
                digits[i] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            }
            return 16
        }
    }
}
