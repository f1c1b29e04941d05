import Foundation
import FrontlineGeometry
import Synchronization

/// The record's checkpoints on disk (`control/.cache/checkpoints-KEY`): derived data, written by the
/// writer of each commit and keyed by the hash of the `record.json` it belongs to, so that a
/// reader uses it only with that record and otherwise paints from the base (slower, same
/// answers). Binary (WKB geometries): it is never edited, diffed or committed to git.
enum CheckpointCache {
    static let magic = Array("frontline-checkpoints/1\n".utf8)

    /// One file per `record.json` (its hash in the name): a writer killed before its commit
    /// point leaves the old record's checkpoints in place.
    static func url(_ layout: RecordLayout, key: String) -> URL {
        layout.folder.appendingPathComponent(".cache/checkpoints-\(key)")
    }

    static func bytes(_ checkpoints: [ControlRecord.Checkpoint], key: String) throws -> [UInt8] {
        var out = CacheWriter(magic: magic, key: key)
        out.count(checkpoints.count)
        for checkpoint in checkpoints {
            out.text(checkpoint.date.description)
            out.count(checkpoint.applied)
            let grounds = try checkpoint.wkb()
            out.count(grounds.count)
            for (party, wkb) in grounds {
                out.text(party)
                out.blob(wkb)
            }
        }
        return out.bytes
    }

    /// The checkpoints in `file` when they belong to the record whose index hashes to `key`. Only
    /// their dates and the places of their geometries are read here: a question decodes the one or
    /// two checkpoints it starts from (``CheckpointGround``), so `file` is best mapped, not read.
    static func read(_ file: Data, key: String) -> [ControlRecord.Checkpoint]? {
        guard var reader = CacheReader(file, magic: magic, key: key), let n = reader.count() else { return nil }
        var checkpoints: [ControlRecord.Checkpoint] = []
        for _ in 0..<n {
            guard let date = reader.text().flatMap({ CalendarDate($0) }), let applied = reader.count(), let parties = reader.count() else { return nil }
            var grounds: [(party: String, wkb: Range<Int>)] = []
            for _ in 0..<parties {
                guard let id = reader.text(), let wkb = reader.blob() else { return nil }
                grounds.append((id, wkb))
            }
            checkpoints.append(ControlRecord.Checkpoint(date: date, applied: applied, ground: CheckpointGround(file, grounds)))
        }
        return reader.isAtEnd ? checkpoints : nil
    }
}

/// A checkpoint's ground: each party's geometry, or where to get it (its WKB in the cache file,
/// or a store's query), decoded on first use and kept.
final class CheckpointGround: Sendable {
    private let file: Data
    private let encoded: [(party: String, wkb: Range<Int>)]
    private let loader: (@Sendable () throws -> [String: Geometry])?
    private let decoded: Mutex<[String: Geometry]?>

    /// A ground at hand.
    init(_ state: [String: Geometry]) {
        file = Data()
        encoded = []
        loader = nil
        decoded = Mutex(state)
    }

    /// A ground still in `file`.
    init(_ file: Data, _ encoded: [(party: String, wkb: Range<Int>)]) {
        self.file = file
        self.encoded = encoded
        loader = nil
        decoded = Mutex(nil)
    }

    /// A ground that `loader` reads when first asked (a database's rows).
    init(loading loader: @escaping @Sendable () throws -> [String: Geometry]) {
        file = Data()
        encoded = []
        self.loader = loader
        decoded = Mutex(nil)
    }

    /// Each party's ground; throws when the cached bytes are not WKB, or the loader fails.
    func state() throws -> [String: Geometry] {
        try decoded.withLock { decoded in
            if let decoded { return decoded }
            var state: [String: Geometry] = [:]
            if let loader {
                state = try loader()
            } else {
                for (party, wkb) in encoded { state[party] = try Geometry(wkb: Array(file[wkb])) }
            }
            decoded = state
            return state
        }
    }

    /// Each party's ground as WKB, by party id: the cached bytes as they are, when not decoded.
    func wkb() throws -> [(party: String, wkb: [UInt8])] {
        if !encoded.isEmpty { return encoded.sorted { $0.party < $1.party }.map { ($0.party, Array(file[$0.wkb])) } }
        return try state().sorted { $0.key < $1.key }.map { ($0.key, $0.value.wkb) }
    }
}
