import Foundation
import FrontlineGeometry
import GRDB

/// Writes an MBTiles 1.3 file (SQLite): PNG tiles in TMS row order and the metadata table.
/// One writer per file; `add` may be called from any thread (GRDB serialises the writes).
public final class MBTilesWriter: Sendable {
    private let queue: DatabaseQueue

    /// Creates (or replaces) the file with the MBTiles schema.
    public init(path: String) throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE metadata (name TEXT NOT NULL, value TEXT);
                CREATE TABLE tiles (zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL, tile_row INTEGER NOT NULL, tile_data BLOB NOT NULL);
                CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
                CREATE UNIQUE INDEX metadata_index ON metadata (name);
                """)
        }
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
