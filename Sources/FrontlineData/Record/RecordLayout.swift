import Foundation
import FrontlineGeometry

/// Where a record lives in a dataset folder (docs/record.md):
///
///     control/record.json                  the commit point: base, day files and their hashes
///     control/base.geojson                 one feature per party on the base date
///     control/changes/YYYY/YYYY-MM-DD.geojson   the changes of one date, in id order
public struct RecordLayout: Sendable {
    /// The dataset folder.
    public let dataset: URL

    /// The layout of the record in `dataset`.
    public init(dataset: URL) { self.dataset = dataset }

    /// `control/`, relative to the dataset folder.
    public static let folderName = "control"
    /// `record.json`'s `format`.
    public static let format = "frontline-record/1"

    /// `DIR/control`.
    public var folder: URL { dataset.appendingPathComponent(Self.folderName) }
    /// `DIR/control/record.json`.
    public var index: URL { folder.appendingPathComponent("record.json") }
    /// The lock writers hold (`DIR/control/.lock`).
    public var lock: URL { folder.appendingPathComponent(".lock") }
    /// True when the folder holds a record.
    public var exists: Bool { FileManager.default.fileExists(atPath: index.path) }

    /// `base.geojson`, relative to `control/`.
    public static let baseFile = "base.geojson"
    /// `changes/YYYY/YYYY-MM-DD.geojson`, relative to `control/`.
    public static func dayFile(_ date: CalendarDate) -> String {
        "changes/\(String(date.description.prefix(4)))/\(date).geojson"
    }

    /// The URL of a file named relative to `control/`.
    public func url(_ file: String) -> URL { folder.appendingPathComponent(file) }

    /// The name of a file in messages: `control/…`, as validation issues name files.
    public static func displayName(_ file: String) -> String { "\(folderName)/\(file)" }

    /// The hash written in `record.json`: FNV-1a 64 of the bytes, 16 hex digits.
    public static func hash<B: Sequence>(_ bytes: B) -> String where B.Element == UInt8 {
        var h = FNV1a()
        h.add(bytes)
        return h.hex
    }
}

/// One entry of `record.json`: a file of the record and its hash.
public struct RecordFileEntry: Sendable, Equatable {
    /// The base's date, or the date whose changes the file holds.
    public var date: CalendarDate
    /// Relative to `control/`.
    public var file: String
    /// ``RecordLayout/hash(_:)`` of its bytes.
    public var hash: String
}

/// The contents of `record.json`.
public struct RecordIndex: Sendable, Equatable {
    /// The base file.
    public var base: RecordFileEntry
    /// The day files, by date.
    public var days: [RecordFileEntry]
    /// The next free change id.
    public var nextID: Int

    /// The JSON text, members in a fixed order and one day per line (diffs well).
    public var bytes: [UInt8] {
        var w = JSONWriter()
        func entry(_ e: RecordFileEntry) {
            w.object([("date", .string(e.date.description)), ("file", .string(e.file)), ("fnv1a64", .string(e.hash))])
        }
        w.raw("{\n  \"format\": ")
        w.string(RecordLayout.format)
        w.raw(",\n  \"base\": ")
        entry(base)
        w.raw(",\n  \"days\": [")
        for (k, day) in days.enumerated() {
            w.raw(k == 0 ? "\n    " : ",\n    ")
            entry(day)
        }
        w.raw(days.isEmpty ? "],\n" : "\n  ],\n")
        w.raw("  \"next_id\": \(nextID)\n}\n")
        return w.bytes
    }

    /// Reads `record.json`'s parsed JSON; the error says what is wrong.
    public init(json: JSONValue) throws(RecordIndexError) {
        guard json["format"]?.stringValue == RecordLayout.format else {
            throw RecordIndexError("\"format\" must be \"\(RecordLayout.format)\", found \(json["format"].map { $0.stringValue ?? $0.typeDescription } ?? "nothing")")
        }
        func entry(_ value: JSONValue?, _ name: String) throws(RecordIndexError) -> RecordFileEntry {
            guard let value, let dateText = value["date"]?.stringValue, let date = CalendarDate(dateText),
                  let file = value["file"]?.stringValue, let hash = value["fnv1a64"]?.stringValue else {
                throw RecordIndexError("\(name) must be an object with \"date\" (YYYY-MM-DD), \"file\" and \"fnv1a64\"")
            }
            guard Self.isSafe(file) else { throw RecordIndexError("\(name).file \"\(file)\" must be a relative path inside control/") }
            return RecordFileEntry(date: date, file: file, hash: hash)
        }
        let base = try entry(json["base"], "base")
        guard let list = json["days"]?.arrayValue else { throw RecordIndexError("\"days\" must be an array") }
        var days: [RecordFileEntry] = []
        for (k, item) in list.enumerated() { days.append(try entry(item, "days[\(k)]")) }
        guard zip(days, days.dropFirst()).allSatisfy({ $0.date < $1.date }), days.allSatisfy({ $0.date >= base.date }) else {
            throw RecordIndexError("\"days\" must be in date order, one entry per date, none before the base's date")
        }
        self.base = base
        self.days = days
        guard let next = json["next_id"]?.numberValue, next >= 1, next == next.rounded(), next < 1e15 else {
            throw RecordIndexError("\"next_id\" must be a whole number from 1")
        }
        nextID = Int(next)
    }

    /// An index of a base and day files.
    public init(base: RecordFileEntry, days: [RecordFileEntry], nextID: Int) {
        self.base = base
        self.days = days
        self.nextID = nextID
    }

    /// A relative path with no `..`, no leading `/` and no empty parts.
    static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && path.split(separator: "/", omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && $0 != ".." && $0 != "." }
    }
}

/// `record.json` is not as described in docs/record.md.
public struct RecordIndexError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String
    init(_ description: String) { self.description = description }
}
