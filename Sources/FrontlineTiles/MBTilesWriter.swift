import Foundation
import FrontlineData
import FrontlineGeometry
import GRDB
import Synchronization

/// Writes an MBTiles 1.3 file (SQLite): PNG tiles in TMS row order and the metadata table.
/// One writer per file; `add` may be called from any thread (GRDB serialises the writes).
///
/// The tiles go to a temporary file beside the target (`FILE.partial`, same folder so that the
/// rename is atomic), which replaces the target only in ``commit()``: a run that fails or is killed
/// leaves the previous file as it was (a killed run leaves the temporary file, which the next run replaces).
/// A second writer of the same file is refused while the first runs (`flock` on `FILE.lock`, released
/// by the system however the first ends), so two runs never share the temporary file.
public final class MBTilesWriter: Sendable {
    private let queue: DatabaseQueue
    /// The file the tiles end up in.
    public let path: String
    /// The file they are written to until ``commit()``.
    public let temporaryPath: String
    private let committed = Mutex(false)
    /// Holds the writer's lock on `FILE.lock` until it commits or goes.
    private let lock: FileLock

    /// Starts a new file beside `path`; the file at `path`, if any, is untouched until ``commit()``.
    public init(path: String) throws {
        self.path = path
        temporaryPath = path + ".partial"
        do {
            lock = try FileLock(path: path + ".lock")
        } catch FileLock.Failure.held {
            throw MBTilesError(path: path, operation: "write (another run is writing it)", errno: EWOULDBLOCK)
        } catch FileLock.Failure.system(let reason) {
            throw MBTilesError(path: path + ".lock", operation: "lock", errno: reason)
        }
        Self.removeTemporaryFiles(temporaryPath)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // The rename in commit() is what makes the file appear whole, so SQLite's own journal
            // on disk and its fsync per transaction buy nothing here; the journal stays in memory
            // so that a failed batch still rolls back.
            try db.execute(sql: "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF")
        }
        queue = try DatabaseQueue(path: temporaryPath, configuration: configuration)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE metadata (name TEXT NOT NULL, value TEXT);
                CREATE TABLE tiles (zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL, tile_row INTEGER NOT NULL, tile_data BLOB NOT NULL);
                CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
                CREATE UNIQUE INDEX metadata_index ON metadata (name);
                """)
        }
    }

    /// Closes the file, flushes it to disk and renames it over ``path``. Call once, after the last `add`.
    public func commit() throws {
        try queue.close()
        try Self.flushToDisk(temporaryPath)
        // The new file keeps the permissions of the one it replaces.
        if let mode = try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: temporaryPath)
        }
        // rename(2) returns 0, or -1 and sets errno.
        guard rename(temporaryPath, path) == 0 else { throw MBTilesError(path: path, operation: "rename \(temporaryPath) to", errno: errno) }
        // The rename itself lasts once the folder's entry is on disk.
        try Self.flushToDisk((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
        committed.withLock { $0 = true }
        // The file is whole: the next run may start now, whenever this object goes.
        lock.unlock()
    }

    deinit {
        // Not committed: the run failed; its partial file goes, the target stays.
        guard !committed.withLock({ $0 }) else { return }
        try? queue.close()
        Self.removeTemporaryFiles(temporaryPath)
    }

    /// Removes a temporary file and SQLite's companions; unlink(2) leaves a folder of that name alone.
    private static func removeTemporaryFiles(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
    }

    /// fsync(2) of a file or folder (both open read-only on Linux); each call returns 0, or -1 and sets errno.
    private static func flushToDisk(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw MBTilesError(path: path, operation: "open", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw MBTilesError(path: path, operation: "fsync", errno: errno) }
    }

    /// Stores the metadata rows (name → value).
    public func setMetadata(_ metadata: [String: String]) throws {
        try queue.write { db in
            for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT OR REPLACE INTO metadata (name, value) VALUES (?, ?)", arguments: [name, value])
            }
        }
    }

    /// Stores a batch of tiles in one transaction; rows are flipped to TMS (y up from the south).
    public func add(_ tiles: [(TileCoordinate, [UInt8])]) throws {
        try queue.write { db in
            for (tile, png) in tiles {
                try db.execute(sql: "INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)",
                               arguments: [tile.z, tile.x, tile.tmsY, Data(png)])
            }
        }
    }
}

/// Reads an MBTiles file back (tests, and a tile source for the server later).
public final class MBTilesReader: Sendable {
    private let queue: DatabaseQueue

    /// Opens an existing file read-only.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// The metadata table.
    public func metadata() throws -> [String: String] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT name, value FROM metadata").reduce(into: [:]) { $0[$1["name"] as String] = $1["value"] as String? ?? "" }
        }
    }

    /// The PNG of an XYZ tile (the TMS row is worked out here), nil when absent.
    public func tile(_ tile: TileCoordinate) throws -> [UInt8]? {
        try queue.read { db in
            try Data.fetchOne(db, sql: "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                              arguments: [tile.z, tile.x, tile.tmsY]).map { Array($0) }
        }
    }

    /// Number of tiles stored at each zoom level.
    public func counts() throws -> [Int: Int] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT zoom_level, COUNT(*) AS n FROM tiles GROUP BY zoom_level")
                .reduce(into: [:]) { $0[$1["zoom_level"] as Int] = $1["n"] as Int }
        }
    }
}

/// A system call on an MBTiles file failed: which call, on which file, and the system's reason.
public struct MBTilesError: Error, CustomStringConvertible {
    /// The file.
    public let path: String
    /// The call that failed.
    public let operation: String
    /// The system's error number.
    public let errno: Int32

    /// The call, the file and the system's reason.
    public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(errno)))" }
}
