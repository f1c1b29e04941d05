import Foundation
import FrontlineGeometry

/// The one writer of a dataset folder's record (docs/record.md, "Writes"). Holds `control/.lock`
/// from creation until it goes, so that two writers never interleave; commits so that a writer
/// killed at any moment leaves either the old record or the new one:
///
/// 1. every file that changes is written beside its place as `FILE.pending`, and fsynced;
/// 2. `record.json`, listing the new files' hashes, is written as `record.json.tmp`, fsynced and
///    renamed over `record.json`: the commit point;
/// 3. each `FILE.pending` is renamed to `FILE`, and the files no longer listed are removed.
///
/// Readers take a listed file whose hash is not the committed one from its `.pending` (a writer
/// killed between 2 and 3); the next writer finishes the move, or clears what an uncommitted
/// writer left.
public final class RecordWriter {
    /// Where the record is.
    public let layout: RecordLayout
    /// `control/.lock`, held until this writer goes.
    private let lock: FileLock

    /// Takes the lock of the record in `dataset`, waiting up to `wait` seconds for another writer
    /// to finish; then tidies what a killed writer left. Throws ``RecordWriteError`` when the
    /// record stays locked or the folder cannot be written.
    public init(dataset: URL, wait: Double = 10) throws {
        layout = RecordLayout(dataset: dataset)
        // Only control/ is made: a mistyped --data must not become a folder.
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataset.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RecordWriteError("there is no dataset folder at \(dataset.path)")
        }
        do {
            try FileManager.default.createDirectory(at: layout.folder, withIntermediateDirectories: true)
        } catch {
            throw RecordWriteError("cannot create \(layout.folder.path): \(error.localizedDescription)")
        }
        do {
            lock = try FileLock(path: layout.lock.path, wait: wait)
        } catch .held {
            throw RecordWriteError("another import or record is writing \(layout.folder.path) (waited \(String(format: "%g", wait)) s); try again when it has finished")
        } catch .system(let reason) {
            throw RecordWriteError("cannot lock \(layout.lock.path): \(String(cString: strerror(reason)))")
        }
        try tidy()
    }

    /// The committed index, nil when the folder holds no record yet.
    public func index() throws -> RecordIndex? {
        guard layout.exists else { return nil }
        do {
            return try RecordIndex(json: try JSONParser.parse(Array(try Data(contentsOf: layout.index))))
        } catch {
            throw RecordWriteError("cannot read \(layout.index.path): \(error)")
        }
    }

    /// Finishes a commit a killed writer left half-done (moves committed `.pending` files into
    /// place) and removes what an uncommitted one left (other `.pending` and `.tmp` files, day
    /// files `record.json` does not list).
    ///
    /// With no `record.json`, only `.pending` and `.tmp` files go: a base or day files without an
    /// index are refused rather than removed (they are someone's data, not a writer's leftovers).
    private func tidy() throws {
        let index = try index()
        let listed = index.map { [$0.base] + $0.days } ?? []
        for entry in listed {
            let url = layout.url(entry.file), pending = url.path + ".pending"
            guard let bytes = try? Data(contentsOf: URL(fileURLWithPath: pending)), RecordLayout.hash(bytes) == entry.hash else { continue }
            try rename(pending, to: url.path)
        }
        // The caches of the committed record stay; those of others go.
        let caches = index.map { index -> [String] in
            let key = RecordLayout.hash(index.bytes)
            return [CheckpointCache.url(layout, key: key), LogCache.url(layout, key: key)].map { ".cache/" + $0.lastPathComponent }
        } ?? []
        let keep = Set(listed.map(\.file) + ["record.json", ".lock"] + caches)
        let files = FileManager.default.enumerator(atPath: layout.folder.path)?.compactMap { $0 as? String } ?? []
        var orphans: [String] = []
        for file in files where !keep.contains(file) {
            var isDirectory: ObjCBool = false
            let path = layout.url(file).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let data = (file.hasPrefix("changes/") && file.hasSuffix(".geojson")) || file == RecordLayout.baseFile
            if file.hasSuffix(".pending") || file.hasSuffix(".tmp") || file.hasPrefix(".cache/checkpoints") || file.hasPrefix(".cache/log-") || (data && index != nil) {
                try? FileManager.default.removeItem(atPath: path)
            } else if data {
                orphans.append(file)
            }
        }
        guard orphans.isEmpty else {
            throw RecordWriteError("\(layout.folder.path) holds \(orphans.count) record file(s) (\(orphans.sorted().prefix(3).joined(separator: ", "))) "
                                   + "but no record.json: restore record.json (e.g. from git), or move the files away")
        }
    }

    /// Writes `record` in place of the committed one (see the type's steps); only files whose
    /// bytes differ are written. Returns false when nothing differed.
    ///
    /// The record's checkpoints are made (those of `previous`, the record as loaded, are reused
    /// where they still hold) and cached with the new `record.json`'s hash before the commit point,
    /// so that readers of the new record find them.
    @discardableResult
    public func commit(_ record: ControlRecord, previous: ControlRecord? = nil) throws -> Bool {
        guard let plan = try plan(record) else { return false }
        try writePending(plan)
        // Derived data: a failure to make it costs speed, never the write.
        if let checkpointed = try? record.checkpointed(reusing: previous) { try? writeCheckpoints(checkpointed, for: plan.index) }
        try publish(plan)
        do {
            try finish(plan)
        } catch {
            throw RecordWriteError("the record is committed, but \(error); the next import or record finishes moving its files into place")
        }
        try? tidy()
        return true
    }

    /// Writes the checkpoint cache of `record` for the index it belongs to.
    func writeCheckpoints(_ record: ControlRecord, for index: RecordIndex) throws {
        let url = CheckpointCache.url(layout, key: RecordLayout.hash(index.bytes))
        try makeFolder(url.deletingLastPathComponent())
        try write(CheckpointCache.bytes(record.checkpoints, key: RecordLayout.hash(index.bytes)), to: url.path + ".tmp")
        try rename(url.path + ".tmp", to: url.path)
    }

    /// What a commit writes: the new index, the files whose bytes change, the files it drops.
    struct Plan {
        var index: RecordIndex
        var written: [(file: String, bytes: [UInt8])]
        var dropped: [String]
    }

    /// The plan of a commit of `record`, nil when it equals the committed record.
    func plan(_ record: ControlRecord) throws -> Plan? {
        let previous = try index()
        var files: [(RecordFileEntry, [UInt8])] = []
        let baseBytes = record.baseFileBytes()
        files.append((RecordFileEntry(date: record.baseDate, file: RecordLayout.baseFile, hash: RecordLayout.hash(baseBytes)), baseBytes))
        for (date, changes) in Dictionary(grouping: record.changes, by: \.date).sorted(by: { $0.key < $1.key }) {
            let bytes = ControlRecord.dayFileBytes(changes)
            files.append((RecordFileEntry(date: date, file: RecordLayout.dayFile(date), hash: RecordLayout.hash(bytes)), bytes))
        }
        let index = RecordIndex(base: files[0].0, days: files.dropFirst().map(\.0), nextID: record.nextID)
        if index == previous { return nil }
        let committed = Dictionary(((previous.map { [$0.base] + $0.days }) ?? []).map { ($0.file, $0.hash) }, uniquingKeysWith: { a, _ in a })
        let kept = Set(files.map(\.0.file))
        return Plan(index: index, written: files.filter { committed[$0.0.file] != $0.0.hash }.map { ($0.0.file, $0.1) },
                    dropped: committed.keys.filter { !kept.contains($0) }.sorted())
    }

    /// Step 1: each new file as `FILE.pending`, fsynced. Readers still see the old record.
    func writePending(_ plan: Plan) throws {
        var folders = Set<String>()
        for (file, bytes) in plan.written {
            let url = layout.url(file)
            try makeFolder(url.deletingLastPathComponent())
            try write(bytes, to: url.path + ".pending")
            folders.insert(url.deletingLastPathComponent().path)
        }
        // The new names on disk before the commit point names them (a power cut, not only a kill).
        for folder in folders.union([layout.folder.appendingPathComponent("changes").path]) { syncFolder(folder) }
    }

    /// fsync(2) of a folder, so that the names made in it are on disk.
    private func syncFolder(_ path: String) {
        let folder = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Step 2, the commit point: the new `record.json` replaces the old one in one rename.
    func publish(_ plan: Plan) throws {
        try write(plan.index.bytes, to: layout.index.path + ".tmp")
        try rename(layout.index.path + ".tmp", to: layout.index.path)
    }

    /// Step 3: the new files take their names; the dropped ones go.
    func finish(_ plan: Plan) throws {
        for (file, _) in plan.written {
            let url = layout.url(file)
            try rename(url.path + ".pending", to: url.path)
        }
        for file in plan.dropped { try? FileManager.default.removeItem(at: layout.url(file)) }
    }

    private func makeFolder(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw RecordWriteError("cannot create \(url.path): \(error.localizedDescription)")
        }
    }

    /// Writes and fsyncs a new file.
    private func write(_ bytes: [UInt8], to path: String) throws {
        // open(2) returns -1 on failure; write(2) the count written or -1; fsync(2) 0 or -1.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RecordWriteError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RecordWriteError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        guard fsync(fd) == 0 else { throw RecordWriteError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    /// rename(2), then an fsync of the folder so that the new name is on disk.
    private func rename(_ from: String, to: String) throws {
        guard Foundation.rename(from, to) == 0 else {
            throw RecordWriteError("cannot rename \(from) to \(to): \(String(cString: strerror(errno)))")
        }
        syncFolder((to as NSString).deletingLastPathComponent)
    }
}

/// A record cannot be written; the message names the file or the other writer.
public struct RecordWriteError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var description: String
    init(_ description: String) { self.description = description }
}

extension ControlRecord {
    /// New ground is snapped to this grid in degrees (about 10 cm), and written with as many
    /// decimals: what is read back is what was checked, and a record stays small.
    public static let gridSize = 1e-6
    static let decimals = 6

    /// `geometry` as the record's files hold it, read back: RFC 7946 ring orientation, rounded to
    /// ``decimals`` places. A database stores its record's ground so too, so that a record
    /// answers byte for byte alike from a folder and from a database.
    public static func asFiled(_ geometry: Geometry) throws -> Geometry {
        var writer = JSONWriter()
        writer.geometry(geometry, decimals: decimals)
        return try Geometry(geoJSON: try JSONParser.parse(writer.bytes))
    }

    /// `base.geojson`: one feature per party.
    func baseFileBytes() -> [UInt8] {
        JSONWriter.featureCollection(base.map { ground in
            var properties: [(String, JSONValue)] = [("controlled_by", .string(ground.partyID))]
            if let source = ground.source { properties.append(("source", .string(source))) }
            return GeoJSONFeature(geometry: ground.geometry, properties: properties)
        }, decimals: Self.decimals)
    }

    /// A day file: the changes of one date, in id order.
    static func dayFileBytes(_ changes: [RecordedChange]) -> [UInt8] {
        JSONWriter.featureCollection(changes.sorted { $0.id < $1.id }.map { change in
            var properties: [(String, JSONValue)] = [("id", .number(Double(change.id))), ("date", .string(change.date.description)),
                                                     ("to", .string(change.to))]
            if let source = change.source { properties.append(("source", .string(source))) }
            if let recorded = change.recorded { properties.append(("recorded", .string(recorded))) }
            return GeoJSONFeature(geometry: change.geometry, properties: properties)
        }, decimals: Self.decimals)
    }
}
