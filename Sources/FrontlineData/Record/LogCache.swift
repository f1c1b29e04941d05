import Foundation
import FrontlineGeometry

/// The record's base and log as a reader last found them (`control/.cache/log-KEY`), so that the
/// next one decodes WKB instead of hashing and parsing every day file's GeoJSON: a year's record
/// is some 300 files. It holds for the `record.json` whose hash is KEY, and only while every file
/// it lists still has the ``FileStamp`` it had when read; otherwise readers read the GeoJSON (same
/// answers, slower) and write the cache again. Derived data, like ``CheckpointCache``.
enum LogCache {
    static let magic = Array("frontline-log/1\n".utf8)

    static func url(_ layout: RecordLayout, key: String) -> URL {
        layout.folder.appendingPathComponent(".cache/log-\(key)")
    }

    /// The cache of a record read from the files stamped `stamps` (by name relative to `control/`).
    static func bytes(base: [BaseGround], changes: [RecordedChange], stamps: [(file: String, stamp: FileStamp)], key: String) -> [UInt8] {
        var out = CacheWriter(magic: magic, key: key)
        out.count(stamps.count)
        for (file, stamp) in stamps {
            out.text(file)
            for n in [stamp.size, stamp.inode, stamp.modified, stamp.changed] { out.number(n) }
        }
        out.count(base.count)
        for ground in base {
            out.text(ground.partyID)
            out.optionalText(ground.source)
            out.blob(ground.geometry.wkb)
        }
        out.count(changes.count)
        for change in changes {
            out.number(Int64(change.id))
            out.text(change.date.description)
            out.text(change.to)
            out.optionalText(change.source)
            out.optionalText(change.recorded)
            out.blob(change.geometry.wkb)
        }
        return out.bytes
    }

    /// The base and changes cached for the record whose `record.json` hashes to `key`, when every
    /// file the cache lists is still as stamped (a stat(2) each); nil otherwise.
    static func read(_ layout: RecordLayout, key: String) -> (base: [BaseGround], changes: [RecordedChange])? {
        guard let file = try? Data(contentsOf: url(layout, key: key), options: .alwaysMapped),
              var reader = CacheReader(file, magic: magic, key: key), let files = reader.count() else { return nil }
        for _ in 0..<files {
            guard let name = reader.text(), let size = reader.number(), let inode = reader.number(),
                  let modified = reader.number(), let changed = reader.number(),
                  FileStamp.of(layout.url(name).path) == FileStamp(size: size, inode: inode, modified: modified, changed: changed)
            else { return nil }
        }
        guard let grounds = reader.count() else { return nil }
        var base: [BaseGround] = []
        for _ in 0..<grounds {
            guard let party = reader.text(), let source = reader.optionalText(), let wkb = reader.blob(),
                  let geometry = try? Geometry(wkb: Array(file[wkb])) else { return nil }
            base.append(BaseGround(partyID: party, source: source, geometry: geometry))
        }
        guard let count = reader.count() else { return nil }
        var changes: [RecordedChange] = []
        changes.reserveCapacity(count)
        for _ in 0..<count {
            guard let id = reader.number(), let date = reader.text().flatMap({ CalendarDate($0) }), let to = reader.text(),
                  let source = reader.optionalText(), let recorded = reader.optionalText(), let wkb = reader.blob(),
                  let geometry = try? Geometry(wkb: Array(file[wkb])) else { return nil }
            changes.append(RecordedChange(id: Int(id), date: date, to: to, source: source, recorded: recorded, geometry: geometry))
        }
        return reader.isAtEnd ? (base, changes) : nil
    }

    /// Writes the cache for `key` (a temporary file renamed into place, so that readers see it
    /// whole or not at all). Best effort: a folder a reader may not write to only costs speed.
    static func write(_ bytes: [UInt8], _ layout: RecordLayout, key: String) {
        let url = url(layout, key: key)
        let temporary = url.path + ".\(getpid()).tmp"
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
        }
    }
}
