import Foundation
import FrontlineData
import FrontlineGeometry

/// The writer of a record kept in a database (docs/database.md, "Writes"): an edit is computed
/// from what ``loadForEditing()`` read, then committed in one transaction that writes only what
/// differs. Optimistic: nothing is locked while the edit is computed; the commit takes the
/// dataset's row, and when another writer committed since the read, it re-applies the edit on
/// that writer's record, or refuses it when that writer's changes meet the ground the edit
/// looked at (``ControlRecord/rebase(_:read:current:ground:)``).
public final class DatabaseRecordWriter: RecordStoreWriter {
    private let store: DatabaseStore
    /// Seconds the commit waits for another writer's commit to finish.
    private let wait: Double
    /// The dataset's version and `dataset.json` when the edit read them.
    private var read: (version: Int, metadata: String)?

    /// Connects to the database at `url` and checks its schema; the commit waits up to `wait`
    /// seconds for another writer's commit (or a stalled transaction holding the record) to end.
    public init(_ url: DatabaseURL, wait: Double = 10) throws(DatabaseError) {
        store = try DatabaseStore(url)
        self.wait = wait
    }

    /// The database, without its password.
    public var location: String { store.location }

    /// The dataset, read in one snapshot; its version is remembered for the commit.
    public func loadForEditing() throws -> Dataset {
        let found = try store.read()
        read = (found.version, found.metadata)
        return found.dataset
    }

    /// Commits `record` in one transaction: the changes taken out and put in by id, the base and
    /// `frontline.record` when they changed, the version bumped and servers notified. Throws
    /// ``DatabaseError`` `.conflict` when another writer's commit since the read meets `ground`.
    public func commit(_ record: ControlRecord, previous: ControlRecord?, ground: [Geometry]?) throws -> RecordCommit? {
        guard let read else { preconditionFailure("loadForEditing() comes before commit") }
        let connection = store.connection
        return try connection.transaction { () throws -> RecordCommit? in
            // lock_timeout 0 would mean no limit: at least a millisecond.
            try connection.query("SELECT set_config('lock_timeout', $1, true)", [.text("\(max(1, Int(wait * 1000)))ms")])
            let head: QueryResult
            do {
                // Every writer of the record takes this lock first (db push too), then the row.
                try connection.query("SELECT pg_advisory_xact_lock(hashtext('frontline record'))")
                head = try connection.query("SELECT version, metadata::text FROM frontline.dataset FOR UPDATE")
            } catch let error as DatabaseError where error.code == .query(sqlState: "55P03") {
                throw DatabaseError(.conflict, "another writer is committing to \(location) (waited \(String(format: "%g", wait)) s); "
                                    + "nothing was written: try again when it has finished")
            }
            var committed = RecordCommit(record: record), held = previous
            if head.integer(0, 0) != read.version {
                guard head.count == 1, head.text(0, 1) == read.metadata else {
                    throw conflict("another writer replaced the dataset")
                }
                held = try store.readRecord()
                do {
                    committed = try ControlRecord.rebase(record, read: previous, current: held, ground: ground)
                } catch let error as RecordConflict {
                    throw conflict(error.description)
                }
            }
            guard try write(committed.record, over: held) else { return nil }
            // Derived data: when they cannot be made, none are kept (the same answers, slower).
            do {
                try store.writeCheckpoints(of: committed.record, reusing: held, stored: held)
            } catch let error as DatabaseError {
                throw error
            } catch {
                try connection.query("DELETE FROM frontline.record_checkpoints")
            }
            try store.bumpVersion()
            return committed
        }
    }

    /// Writes what differs between `record` and `held`, the record the database holds; false
    /// when nothing does. Changes go first, `frontline.record` last. New ground is stored as a
    /// folder's files hold it (``ControlRecord/asFiled(_:)``): the same answers from both.
    private func write(_ record: ControlRecord, over held: ControlRecord?) throws -> Bool {
        let connection = store.connection
        let removed = held.map { $0.changes(notIn: record).map(\.id) } ?? []
        let added = held.map { record.changes(notIn: $0) } ?? record.changes
        let newBase = !(held.map { $0.hasSameBase(as: record) } ?? false)
        guard !removed.isEmpty || !added.isEmpty || newBase || held?.nextID != record.nextID else { return false }
        if !removed.isEmpty {
            try connection.query("DELETE FROM frontline.record_changes WHERE id = ANY($1::bigint[])",
                                 [.text("{" + removed.map(String.init).joined(separator: ",") + "}")])
        }
        if newBase {
            try connection.query("DELETE FROM frontline.record_base")
            try store.insert(base: try record.base.map { ground in
                var ground = ground
                ground.geometry = try ControlRecord.asFiled(ground.geometry)
                return ground
            })
        }
        let filed = try added.map { change in
            var change = change
            change.geometry = try ControlRecord.asFiled(change.geometry)
            return change
        }
        try store.insert(changes: filed)
        // The cell size of the changes as stored, as a whole read would measure them.
        let kept = (held?.changes ?? []).filter { !removed.contains($0.id) }
        let cellSize = ControlRecord.cellSize(of: kept + filed)
        try connection.query("""
            INSERT INTO frontline.record (base_date, next_id, cell_size) VALUES ($1::date, $2, $3)
            ON CONFLICT (id) DO UPDATE SET base_date = excluded.base_date, next_id = excluded.next_id, cell_size = excluded.cell_size
            """, [.text(record.baseDate.description), .text(String(record.nextID)), .text(String(cellSize))])
        return true
    }

    private func conflict(_ what: String) -> DatabaseError {
        DatabaseError(.conflict, "\(location): the record changed while this was computed (\(what)); nothing was written: run it again")
    }
}
