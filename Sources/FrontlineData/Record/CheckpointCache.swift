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
        var out = magic + Array((key + "\n").utf8)
        func count(_ n: Int) { withUnsafeBytes(of: UInt32(n).littleEndian) { out.append(contentsOf: $0) } }
        func blob<C: Collection<UInt8>>(_ b: C) { count(b.count); out += b }
        count(checkpoints.count)
        for checkpoint in checkpoints {
            blob(Array(checkpoint.date.description.utf8))
            count(checkpoint.applied)
            let grounds = try checkpoint.wkb()
            count(grounds.count)
            for (party, wkb) in grounds {
                blob(Array(party.utf8))
                blob(wkb)
            }
        }
        return out
    }

    /// The checkpoints in `file` when they belong to the record whose index hashes to `key`. Only
    /// their dates and the places of their geometries are read here: a question decodes the one or
    /// two checkpoints it starts from (``CheckpointGround``), so `file` is best mapped, not read.
    static func read(_ file: Data, key: String) -> [ControlRecord.Checkpoint]? {
        var at = file.startIndex
        func take(_ n: Int) -> Range<Int>? {
            guard n >= 0, at + n <= file.endIndex else { return nil }
            defer { at += n }
            return at..<(at + n)
        }
        func count() -> Int? {
            take(4).map { r in Int(file[r].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }
        }
        func blob() -> Range<Int>? { count().flatMap { take($0) } }
        func text(_ r: Range<Int>) -> String { String(decoding: file[r], as: UTF8.self) }
        guard let head = take(magic.count), file[head].elementsEqual(magic),
              let line = take(key.utf8.count + 1), file[line].elementsEqual((key + "\n").utf8),
              let n = count() else { return nil }
        var checkpoints: [ControlRecord.Checkpoint] = []
        for _ in 0..<n {
            guard let dateBytes = blob(), let date = CalendarDate(text(dateBytes)),
                  let applied = count(), let parties = count() else { return nil }
            var grounds: [(party: String, wkb: Range<Int>)] = []
            for _ in 0..<parties {
                guard let id = blob(), let wkb = blob() else { return nil }
                grounds.append((text(id), wkb))
            }
            checkpoints.append(ControlRecord.Checkpoint(date: date, applied: applied, ground: CheckpointGround(file, grounds)))
        }
        return at == file.endIndex ? checkpoints : nil
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
