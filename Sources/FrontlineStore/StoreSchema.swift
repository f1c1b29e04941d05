/// The tables of a dataset in PostgreSQL/PostGIS (schema `frontline`), made by versioned
/// migrations: `frontline db init` applies those a database lacks, in order, each once, in one
/// transaction that holds an advisory lock (two inits at once take turns). See docs/database.md.
enum StoreSchema {
    /// Each migration's SQL; version N is `migrations[N - 1]`. Never edit one that has shipped:
    /// add the next.
    static let migrations: [String] = [
        // 1: the data contract as tables. Layers keep each feature's GeoJSON properties as they
        // were (jsonb) and its geometry (WKB in, WKB out); the record keeps its base and log.
        """
        CREATE EXTENSION IF NOT EXISTS postgis;
        CREATE TABLE frontline.dataset (
            id boolean PRIMARY KEY DEFAULT true CHECK (id),
            metadata jsonb NOT NULL,
            version bigint NOT NULL DEFAULT 1
        );
        CREATE TABLE frontline.features (
            layer text NOT NULL,
            idx integer NOT NULL,
            properties jsonb NOT NULL,
            geom geometry(Geometry, 4326) NOT NULL,
            valid daterange,
            PRIMARY KEY (layer, idx)
        );
        CREATE INDEX features_geom ON frontline.features USING gist (geom);
        CREATE INDEX features_valid ON frontline.features USING gist (valid);
        CREATE TABLE frontline.record (
            id boolean PRIMARY KEY DEFAULT true CHECK (id),
            base_date date NOT NULL,
            next_id bigint NOT NULL
        );
        CREATE TABLE frontline.record_base (
            party text PRIMARY KEY,
            source text,
            geom geometry(Geometry, 4326) NOT NULL
        );
        CREATE TABLE frontline.record_changes (
            id bigint PRIMARY KEY,
            date date NOT NULL,
            to_party text NOT NULL,
            source text,
            recorded text,
            geom geometry(Geometry, 4326) NOT NULL
        );
        CREATE INDEX record_changes_date ON frontline.record_changes (date, id);
        CREATE INDEX record_changes_geom ON frontline.record_changes USING gist (geom);
        """,
        // 2: the record's checkpoints (docs/record.md), derived data kept with the record so that
        // a question starts near its date; a question reads only the one or two it starts from.
        """
        CREATE TABLE frontline.record_checkpoints (
            applied integer NOT NULL,
            date date NOT NULL,
            party text NOT NULL,
            geom geometry(Geometry, 4326) NOT NULL,
            PRIMARY KEY (applied, party)
        );
        """,
        // 3: the record's cell size (ControlRecord.cellSize), written with the record, so that a
        // reader by query does not measure every change to find it (NULL: measured as before).
        """
        ALTER TABLE frontline.record ADD COLUMN cell_size double precision;
        """,
    ]

    /// The version this program reads and writes.
    static var current: Int { migrations.count }

    /// Applies the migrations `connection`'s database lacks; returns the versions before and after.
    static func migrate(_ connection: PostgresConnection) throws -> (from: Int, to: Int) {
        try connection.transaction {
            // Any other init waits here until this one commits, then finds nothing left to do.
            try connection.query("SELECT pg_advisory_xact_lock(hashtext('frontline schema'))")
            try connection.query("CREATE SCHEMA IF NOT EXISTS frontline")
            try connection.query("""
                CREATE TABLE IF NOT EXISTS frontline.migrations (
                    version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())
                """)
            let from = try connection.query("SELECT coalesce(max(version), 0) FROM frontline.migrations").integer(0, 0) ?? 0
            guard from <= current else {
                throw DatabaseError(.schema, "\(connection.location) has Frontline schema version \(from), newer than this program's \(current): update frontline")
            }
            for version in (from + 1)..<(current + 1) {
                try connection.run(script: migrations[version - 1])
                try connection.query("INSERT INTO frontline.migrations (version) VALUES ($1)", [.text(String(version))])
            }
            return (from, current)
        }
    }

    /// Throws unless the database holds this program's schema version.
    static func check(_ connection: PostgresConnection) throws(DatabaseError) {
        let found: Int
        do {
            found = try connection.query("SELECT coalesce(max(version), 0) FROM frontline.migrations").integer(0, 0) ?? 0
        } catch where error.code == .query(sqlState: "42P01") || error.code == .query(sqlState: "3F000") {
            throw DatabaseError(.schema, "\(connection.location) holds no Frontline tables: run `frontline db init \(connection.location)` first")
        }
        guard found == current else {
            throw DatabaseError(.schema, found < current
                ? "\(connection.location) has Frontline schema version \(found), older than this program's \(current): run `frontline db init` to migrate it"
                : "\(connection.location) has Frontline schema version \(found), newer than this program's \(current): update frontline")
        }
    }
}
