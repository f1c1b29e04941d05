import Foundation

/// FNV-1a, 64 bits: versions, ETags and file fingerprints (fast and stable across runs; not for security).
public struct FNV1a: Sendable {
    /// The hash so far.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// An empty hash.
    public init() {}

    /// Adds bytes.
    public mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for b in bytes { value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    }

    /// Adds an array's bytes: the generic `add` is not specialised across modules, and walks an
    /// encoded tile or map (hundreds of kilobytes, for its ETag) through witness tables.
    public mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            var v = value
            for b in buffer { v = (v ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            value = v
        }
    }

    /// Adds a string's UTF-8 bytes.
    public mutating func add(_ text: String) { add(text.utf8) }

    /// Adds an integer's eight bytes.
    public mutating func add(_ n: Int) {
        var n = UInt64(bitPattern: Int64(n))
        for _ in 0..<8 {
            value = (value ^ (n & 0xff)) &* 0x0000_0100_0000_01B3
            n >>= 8
        }
    }

    /// The value as 16 lower-case hex digits.
    public var hex: String {
        String(unsafeUninitializedCapacity: 16) { digits in
            for i in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: value >> (60 - 4 * UInt64(i))) & 0xf
                digits[i] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            }
            return 16
        }
    }
}

/// Fingerprints of files by name, size and modification time: cheap enough to take every
/// reload interval, and different whenever a file is edited, added or removed.
public enum FileFingerprint {
    /// Adds the identity of every `.json`/`.geojson` file of `folder` (sorted by name) to `hash`.
    public static func add(folder: URL, to hash: inout FNV1a) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.sorted() ?? []
        for name in names where name.hasSuffix(".json") || name.hasSuffix(".geojson") {
            hash.add(identity(folder.appendingPathComponent(name).path))
        }
    }

    /// `path:size:modified`, or the path alone when the file cannot be read.
    public static func identity(_ path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(path):\(size):\(modified)"
    }
}
