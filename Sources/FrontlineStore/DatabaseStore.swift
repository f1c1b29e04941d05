import Foundation
import FrontlineData
import FrontlineGeometry

/// A dataset kept in PostgreSQL/PostGIS (docs/database.md): the same contract as a folder, in the
/// tables of ``StoreSchema``. Every write is one transaction that also bumps the dataset's
/// version and notifies the channel `frontline`, so that servers pick the new state up.
/// Holds one connection; use it from one thread at a time.
public final class DatabaseStore {
    let connection: PostgresConnection
    let url: DatabaseURL
    /// The database, without its password.
    public var location: String { connection.location }

    /// The channel writers notify after each commit (its payload: the new version).
    static let channel = "frontline"

    /// Connects (waiting at most `timeout` seconds) and checks the schema's version.
    public init(_ url: DatabaseURL, timeout: Int = 5) throws(DatabaseError) {
        self.url = url
        connection = try PostgresConnection(url, timeout: timeout)
        try StoreSchema.check(connection)
    }

    /// Creates or migrates the schema of the database at `url`; returns the versions before and after.
    public static func initialize(_ url: DatabaseURL) throws -> (from: Int, to: Int) {
        try StoreSchema.migrate(try PostgresConnection(url))
    }

    /// The dataset's version: it grows with every write.
    public func version() throws(DatabaseError) -> Int {
        try connection.query("SELECT version FROM frontline.dataset").integer(0, 0) ?? 0
    }

    // MARK: Reading

    /// The dataset, read in one snapshot of the database and checked as a folder is. With
    /// `whole`, the whole record too (what `validate` and `history` look at, and writers edit);
    /// otherwise the record is answered by query (``DatabaseRecord``), each question reading only
    /// the rows it needs.
    public func load(whole: Bool) throws -> Dataset { try read(whole: whole).dataset }

    /// The dataset, the version it was read at, `dataset.json`'s text and the layers' rows (for a
    /// pull to write), in one snapshot.
    func read(whole: Bool = true) throws -> (dataset: Dataset, version: Int, metadata: String, layers: [Dataset.File: [FeatureRow]]) {
        let (metadata, text, version, layers, record) = try connection.transaction {
            () throws -> (JSONValue, String, Int, [Dataset.File: [FeatureRow]], Dataset.StoredRecord?) in
            try connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            let meta = try connection.query("SELECT metadata::text, version FROM frontline.dataset")
            guard meta.count == 1, let text = meta.text(0, 0), let version = meta.integer(0, 1) else {
                throw DatabaseError(.contents, "\(location) holds no dataset yet: `frontline db push DIR \(location)` puts one there")
            }
            let metadata = try JSONParser.parse(Array(text.utf8))
            var layers: [Dataset.File: [FeatureRow]] = [:]
            let rows = try connection.query("SELECT layer, properties::text, ST_AsBinary(geom) FROM frontline.features ORDER BY layer, idx",
                                            binary: true)
            for row in 0..<rows.count {
                guard let name = rows.text(row, 0), let layer = Dataset.File(rawValue: name),
                      let properties = try rows.text(row, 1).map({ try JSONParser.parse(Array($0.utf8)) })?.objectValue,
                      let wkb = rows.bytes(row, 2) else {
                    throw DatabaseError(.contents, "\(location): frontline.features row \(row + 1) is not a feature of a known layer")
                }
                layers[layer, default: []].append(FeatureRow(properties: properties, geometry: try Geometry(wkb: wkb)))
            }
            let record: Dataset.StoredRecord? = whole
                ? try readRecord().map { .whole($0) }
                : try DatabaseRecord.read(on: connection, url: url, version: version).map { .queried($0) }
            return (metadata, text, version, layers, record)
        }
        return (try Dataset.load(location: location, metadata: metadata, layers: layers, record: record), version, text, layers)
    }

    /// The whole record, nil when the database holds none.
    func readRecord() throws -> ControlRecord? {
        let head = try connection.query("SELECT base_date::text, next_id FROM frontline.record")
        guard head.count == 1 else { return nil }
        guard let baseDate = head.text(0, 0).flatMap(CalendarDate.init), let nextID = head.integer(0, 1) else {
            throw DatabaseError(.contents, "\(location): frontline.record is not a base date and a next id")
        }
        let rows = try connection.query(Self.changesQuery(where: []), binary: true)
        return ControlRecord(baseDate: baseDate, base: try Self.base(on: connection), changes: try Self.changes(rows, location: location),
                             nextID: nextID, checkpoints: try readCheckpoints())
    }

    /// The record's base.
    static func base(on connection: PostgresConnection) throws -> [BaseGround] {
        let rows = try connection.query("SELECT party, source, ST_AsBinary(geom) FROM frontline.record_base ORDER BY party", binary: true)
        return try (0..<rows.count).map { row -> BaseGround in
            guard let party = rows.text(row, 0), let wkb = rows.bytes(row, 2) else {
                throw DatabaseError(.contents, "\(connection.location): frontline.record_base row \(row + 1) has no party or geometry")
            }
            return BaseGround(partyID: party, source: rows.text(row, 1), geometry: try Geometry(wkb: wkb))
        }
    }

    /// The query of the record's changes that meet `conditions` (SQL on `date`, joined by AND),
    /// in (date, id) order, in the columns ``changes(_:location:)`` reads.
    static func changesQuery(where conditions: [String]) -> String {
        "SELECT id::text, date::text, to_party, source, recorded, ST_AsBinary(geom) FROM frontline.record_changes"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + " ORDER BY date, id"
    }

    /// The changes in the rows of a ``changesQuery(where:)``.
    static func changes(_ rows: QueryResult, location: String) throws -> [RecordedChange] {
        try (0..<rows.count).map { row -> RecordedChange in
            guard let id = rows.integer(row, 0), let date = rows.text(row, 1).flatMap(CalendarDate.init),
                  let to = rows.text(row, 2), let wkb = rows.bytes(row, 5) else {
                throw DatabaseError(.contents, "\(location): frontline.record_changes row \(row + 1) is not a change")
            }
            return RecordedChange(id: id, date: date, to: to, source: rows.text(row, 3), recorded: rows.text(row, 4),
                                  geometry: try Geometry(wkb: wkb))
        }
    }

    /// The record's checkpoints, each read on a connection of its own when a question first
    /// needs it (the loader may run on any thread, after this store is gone).
    private func readCheckpoints() throws -> [ControlRecord.Checkpoint] {
        let rows = try connection.query("SELECT DISTINCT applied, date::text FROM frontline.record_checkpoints ORDER BY applied")
        let url = self.url
        return try (0..<rows.count).map { row in
            guard let applied = rows.integer(row, 0), let date = rows.text(row, 1).flatMap(CalendarDate.init) else {
                throw DatabaseError(.contents, "\(location): frontline.record_checkpoints row \(row + 1) has no count or date")
            }
            return ControlRecord.Checkpoint(date: date, applied: applied) {
                let connection = try PostgresConnection(url)
                let parts = try connection.query("SELECT party, ST_AsBinary(geom) FROM frontline.record_checkpoints WHERE applied = $1",
                                                 [.text(String(applied))], binary: true)
                var state: [String: Geometry] = [:]
                for part in 0..<parts.count {
                    guard let party = parts.text(part, 0), let wkb = parts.bytes(part, 1) else { continue }
                    state[party] = try Geometry(wkb: wkb)
                }
                return state
            }
        }
    }

    /// Makes the stored checkpoints those of `record` (made, reusing `previous`'s where they
    /// still hold): derived data, written in the transaction of the write they follow. `stored`
    /// is the record whose checkpoints the table holds now (nil: none); those kept are left alone.
    func writeCheckpoints(of record: ControlRecord, reusing previous: ControlRecord?, stored: ControlRecord?) throws {
        let checkpointed = try record.checkpointed(reusing: previous)
        let old = stored?.checkpoints ?? []
        let kept = checkpointed.checkpoints.filter { checkpoint in old.contains { $0.isSame(as: checkpoint) } }
        try connection.query("DELETE FROM frontline.record_checkpoints WHERE NOT (applied = ANY($1::integer[]))",
                             [.text("{" + kept.map { String($0.applied) }.joined(separator: ",") + "}")])
        for checkpoint in checkpointed.checkpoints where !kept.contains(where: { $0.isSame(as: checkpoint) }) {
            for (party, wkb) in try checkpoint.wkb() {
                try connection.query("""
                    INSERT INTO frontline.record_checkpoints (applied, date, party, geom) VALUES ($1, $2::date, $3, ST_GeomFromWKB($4, 4326))
                    """, [.text(String(checkpoint.applied)), .text(checkpoint.date.description), .text(party), .bytes(wkb)])
            }
        }
    }

    // MARK: Writing

    /// Replaces the database's dataset with the folder's (checked first: a folder with errors is
    /// refused and the database keeps what it had), in one transaction. Returns the new version.
    @discardableResult
    public func push(folder: URL) throws -> Int {
        // A dataset.json with no control yet is pushed too: the first import makes the record.
        let dataset = try Dataset.load(from: folder, requireControl: false)
        // The layers' features as their files hold them (properties untouched), in file order.
        var layers: [(Dataset.File, [(properties: JSONValue, geometry: Geometry)])] = []
        for file in Dataset.File.allCases where file != .metadata && !(file == .control && dataset.record != nil) {
            let url = folder.appendingPathComponent(file.rawValue)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let features = try JSONParser.parse(Array(try Data(contentsOf: url)))["features"]?.arrayValue ?? []
            layers.append((file, try features.map { feature in
                (feature["properties"].flatMap { $0.isNull ? nil : $0 } ?? .object([:]), try Geometry(geoJSON: feature["geometry"] ?? .null))
            }))
        }
        let metadata = try Data(contentsOf: folder.appendingPathComponent(Dataset.File.metadata.rawValue))
        return try connection.transaction {
            try replaceAll(metadata: String(decoding: metadata, as: UTF8.self), layers: layers, record: dataset.record)
        }
    }

    /// Empties the tables and writes `metadata`, `layers` and `record`; returns the new version.
    private func replaceAll(metadata: String, layers: [(Dataset.File, [(properties: JSONValue, geometry: Geometry)])],
                            record: ControlRecord?) throws -> Int {
        try connection.query("SELECT pg_advisory_xact_lock(hashtext('frontline record'))")
        // DELETE, not TRUNCATE: TRUNCATE is not MVCC-safe, and a reader whose snapshot began
        // before it (a server loading, a writer reading the record) would find the tables empty.
        for table in ["features", "record", "record_base", "record_changes", "record_checkpoints"] {
            try connection.query("DELETE FROM frontline.\(table)")
        }
        try connection.query("""
            INSERT INTO frontline.dataset (metadata) VALUES ($1::jsonb)
            ON CONFLICT (id) DO UPDATE SET metadata = excluded.metadata
            """, [.text(metadata)])
        for (file, features) in layers {
            for (index, feature) in features.enumerated() {
                var properties = JSONWriter()
                properties.value(feature.properties)
                // Control and zones are valid over [valid_from, valid_to): a range, GiST-indexed.
                try connection.query("""
                    INSERT INTO frontline.features (layer, idx, properties, geom, valid)
                    VALUES ($1, $2, $3::jsonb, ST_GeomFromWKB($4, 4326),
                            CASE WHEN $3::jsonb ? 'valid_from'
                                 THEN daterange(($3::jsonb->>'valid_from')::date, ($3::jsonb->>'valid_to')::date) END)
                    """, [.text(file.rawValue), .text(String(index)), .text(properties.text), .bytes(feature.geometry.wkb)])
            }
        }
        if let record {
            try insert(record)
            // The folder's own checkpoints are reused when its cache holds them.
            try writeCheckpoints(of: record, reusing: record, stored: nil)
        }
        return try bumpVersion()
    }

    /// Writes `record` into the emptied record tables.
    private func insert(_ record: ControlRecord) throws {
        try connection.query("INSERT INTO frontline.record (base_date, next_id, cell_size) VALUES ($1::date, $2, $3)",
                             [.text(record.baseDate.description), .text(String(record.nextID)), .text(String(record.cellSize))])
        try insert(base: record.base)
        try insert(changes: record.changes)
    }

    /// Adds rows to `frontline.record_base`.
    func insert(base: [BaseGround]) throws {
        for ground in base {
            try connection.query("INSERT INTO frontline.record_base (party, source, geom) VALUES ($1, $2, ST_GeomFromWKB($3, 4326))",
                                 [.text(ground.partyID), ground.source.map { .text($0) } ?? .null, .bytes(ground.geometry.wkb)])
        }
    }

    /// Adds rows to `frontline.record_changes`.
    func insert(changes: [RecordedChange]) throws {
        for change in changes {
            try connection.query("""
                INSERT INTO frontline.record_changes (id, date, to_party, source, recorded, geom)
                VALUES ($1, $2::date, $3, $4, $5, ST_GeomFromWKB($6, 4326))
                """, [.text(String(change.id)), .text(change.date.description), .text(change.to),
                      change.source.map { .text($0) } ?? .null, change.recorded.map { .text($0) } ?? .null, .bytes(change.geometry.wkb)])
        }
    }

    /// Bumps the version and tells listening servers (delivered when the transaction commits).
    @discardableResult
    func bumpVersion() throws -> Int {
        let version = try connection.query("UPDATE frontline.dataset SET version = version + 1 RETURNING version").integer(0, 0) ?? 0
        try connection.query("SELECT pg_notify($1, $2)", [.text(Self.channel), .text(String(version))])
        return version
    }

    /// Writes the database's dataset into `folder` (made; it must not exist or be empty): the
    /// layers as GeoJSON files, the record as `control/`, through the folder's own writer.
    public func pull(to folder: URL) throws {
        // One read: the dataset is checked, and its rows are what the files hold.
        let (dataset, _, _, layers) = try read()
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard existing.isEmpty else {
            throw DatabaseError(.contents, "\(folder.path) is not empty: pull into a new folder")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let metadata = try connection.query("SELECT jsonb_pretty(metadata) FROM frontline.dataset").text(0, 0) ?? "{}"
        try Data((metadata + "\n").utf8).write(to: folder.appendingPathComponent(Dataset.File.metadata.rawValue), options: .atomic)
        for (layer, rows) in layers {
            let features = rows.map { row in
                GeoJSONFeature(geometry: row.geometry, properties: row.properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            }
            try Data(JSONWriter.featureCollection(features, decimals: 9)).write(to: folder.appendingPathComponent(layer.rawValue), options: .atomic)
        }
        if let record = dataset.record { try RecordWriter(dataset: folder).commit(record) }
    }
}
