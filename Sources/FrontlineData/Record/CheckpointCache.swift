import Foundation
import FrontlineGeometry

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

    static func bytes(_ checkpoints: [ControlRecord.Checkpoint], key: String) -> [UInt8] {
        var out = magic + Array((key + "\n").utf8)
        func count(_ n: Int) { withUnsafeBytes(of: UInt32(n).littleEndian) { out.append(contentsOf: $0) } }
        func blob(_ b: [UInt8]) { count(b.count); out += b }
        count(checkpoints.count)
        for checkpoint in checkpoints {
            blob(Array(checkpoint.date.description.utf8))
            count(checkpoint.applied)
            let parties = checkpoint.state.keys.sorted()
            count(parties.count)
            for party in parties {
                blob(Array(party.utf8))
                blob(checkpoint.state[party]!.wkb)
            }
        }
        return out
    }

    /// The checkpoints in `bytes` when they belong to the record whose index hashes to `key`.
    static func read(_ bytes: [UInt8], key: String) -> [ControlRecord.Checkpoint]? {
        var at = 0
        func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, at + n <= bytes.count else { return nil }
            defer { at += n }
            return bytes[at..<(at + n)]
        }
        func count() -> Int? {
            take(4).map { Int($0.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }
        }
        func blob() -> [UInt8]? { count().flatMap { take($0) }.map(Array.init) }
        guard take(magic.count).map(Array.init) == magic, take(key.utf8.count + 1).map(Array.init) == Array((key + "\n").utf8),
              let n = count() else { return nil }
        var checkpoints: [ControlRecord.Checkpoint] = []
        for _ in 0..<n {
            guard let dateBytes = blob(), let date = CalendarDate(String(decoding: dateBytes, as: UTF8.self)),
                  let applied = count(), let parties = count() else { return nil }
            var state: [String: Geometry] = [:]
            for _ in 0..<parties {
                guard let id = blob(), let wkb = blob(), let geometry = try? Geometry(wkb: wkb) else { return nil }
                state[String(decoding: id, as: UTF8.self)] = geometry
            }
            checkpoints.append(ControlRecord.Checkpoint(date: date, applied: applied, state: state))
        }
        return at == bytes.count ? checkpoints : nil
    }
}
