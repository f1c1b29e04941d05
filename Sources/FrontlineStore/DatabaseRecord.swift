import FrontlineData
import FrontlineGeometry
import Synchronization

/// The record in the database, answered by query (``QueriedRecord``): what a dataset read from a
/// database holds instead of the whole log, so that a server reads the rows a date needs (the
/// checkpoint before it and the changes after that), not every row of a growing record. It knows
/// only the record's dates, its checkpoints' dates and the base's sources. Each part is read in one
/// snapshot of the database and checked to be of the version the dataset was read at (a part of
/// a newer version under the old one's ETags would be cached for good); the last parts read are
/// kept, so that every tile of a date and the dates around it share one.
final class DatabaseRecord: QueriedRecord {
    let url: DatabaseURL
    /// The dataset's version when it was read.
    let version: Int
    let baseDate: CalendarDate
    let nextID: Int
    let dates: [CalendarDate]
    let partyIDs: Set<String>
    /// Each base party's source.
    let sources: [String: String]
    /// The checkpoints in the table, by `applied`.
    let checkpoints: [(applied: Int, date: CalendarDate)]
    /// The whole record's cell size (``ControlRecord/cellSize(medianSide:)``).
    let cellSize: Double

    private let idle = Mutex<[HeldConnection]>([])
    private let parts = Mutex<[Part]>([])
    /// How many parts are kept, the most recently used.
    private static let kept = 8
    /// How many connections are kept between questions.
    private static let idleConnections = 4

    /// A part: the checkpoints it starts from and holds (`applied`; 0 for the base), and the
    /// first date it no longer answers for (nil: it answers every later date).
    private struct Part {
        var start: Int
        var end: Int
        var until: CalendarDate?
        var record: ControlRecord
    }

    /// Reads what the record is made of, not its geometry, on `connection` (in the transaction
    /// the dataset is read in, at `version`); nil when the database holds no record.
    static func read(on connection: PostgresConnection, url: DatabaseURL, version: Int) throws -> DatabaseRecord? {
        let location = connection.location
        let head = try connection.query("SELECT base_date::text, next_id, cell_size::text FROM frontline.record")
        guard head.count == 1 else { return nil }
        guard let baseDate = head.text(0, 0).flatMap(CalendarDate.init), let nextID = head.integer(0, 1) else {
            throw DatabaseError(.contents, "\(location): frontline.record is not a base date and a next id")
        }
        let base = try connection.query("SELECT party, source FROM frontline.record_base ORDER BY party")
        var sources: [String: String] = [:], parties = Set<String>()
        for row in 0..<base.count {
            guard let party = base.text(row, 0) else { continue }
            parties.insert(party)
            sources[party] = base.text(row, 1)
        }
        let named = try connection.query("SELECT DISTINCT to_party FROM frontline.record_changes")
        for row in 0..<named.count { if let party = named.text(row, 0) { parties.insert(party) } }
        let changeDates = try connection.query("SELECT DISTINCT date::text FROM frontline.record_changes ORDER BY 1")
        var dates = [baseDate]
        for row in 0..<changeDates.count {
            guard let date = changeDates.text(row, 0).flatMap(CalendarDate.init) else { continue }
            if date != dates.last { dates.append(date) }
        }
        let stored = try connection.query("SELECT DISTINCT applied, date::text FROM frontline.record_checkpoints ORDER BY applied")
        let checkpoints = try (0..<stored.count).map { row -> (applied: Int, date: CalendarDate) in
            guard let applied = stored.integer(row, 0), let date = stored.text(row, 1).flatMap(CalendarDate.init) else {
                throw DatabaseError(.contents, "\(location): frontline.record_checkpoints row \(row + 1) has no count or date")
            }
            return (applied, date)
        }
        // Written with the record; else (a record written before schema 3) measured: the median
        // of the changes' boxes' longer sides, as ControlRecord takes it (index count / 2).
        var cellSize = head.text(0, 2).flatMap(Double.init)
        if cellSize == nil {
            let median = try connection.query("""
                WITH sides AS (
                    SELECT greatest(ST_XMax(geom) - ST_XMin(geom), ST_YMax(geom) - ST_YMin(geom)) AS side
                    FROM frontline.record_changes WHERE NOT ST_IsEmpty(geom))
                SELECT side::text FROM sides ORDER BY side OFFSET (SELECT count(*) / 2 FROM sides) LIMIT 1
                """)
            cellSize = ControlRecord.cellSize(medianSide: median.count == 1 ? median.text(0, 0).flatMap(Double.init) : nil)
        }
        return DatabaseRecord(url: url, version: version, baseDate: baseDate, nextID: nextID, dates: dates, partyIDs: parties,
                              sources: sources, checkpoints: checkpoints, cellSize: cellSize!)
    }

    private init(url: DatabaseURL, version: Int, baseDate: CalendarDate, nextID: Int, dates: [CalendarDate], partyIDs: Set<String>,
                 sources: [String: String], checkpoints: [(applied: Int, date: CalendarDate)], cellSize: Double) {
        self.url = url
        self.version = version
        self.baseDate = baseDate
        self.nextID = nextID
        self.dates = dates
        self.partyIDs = partyIDs
        self.sources = sources
        self.checkpoints = checkpoints
        self.cellSize = cellSize
    }

    /// A kept part that answers for `dates`, or one read now: it starts from the checkpoint on or
    /// before the first date (or the base) and holds the changes after it up to the first date
    /// on which a change follows the last date (so that it knows when the last state ends), and
    /// the checkpoint on or before the last date, for passages.
    func part(for dates: ClosedRange<CalendarDate>) throws -> ControlRecord {
        // The part the whole record would answer from: the same checkpoints, so the same
        // answer to the last bit (a part that started earlier would paint more, and round differently).
        let start = checkpoints.last { $0.date <= dates.lowerBound }
        let end = checkpoints.last { $0.date <= dates.upperBound }
        let until = self.dates.first { $0 > dates.upperBound }
        let (first, last) = (start?.applied ?? 0, end?.applied ?? 0)
        let found = parts.withLock { parts -> ControlRecord? in
            guard let k = parts.lastIndex(where: { part in
                part.start == first && part.end == last && (part.until.map { dates.upperBound < $0 } ?? true)
            }) else { return nil }
            parts.append(parts.remove(at: k))
            return parts.last!.record
        }
        if let found { return found }
        let record = try withConnection { connection in
            try connection.transaction { () throws -> ControlRecord in
                try connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                let now = try connection.query("SELECT version FROM frontline.dataset").integer(0, 0) ?? 0
                guard now == version else {
                    throw DataUnavailable("\(url.redacted) changed (version \(version) to \(now)) while this was asked: ask again")
                }
                let grounds = try start.map { try ground(at: $0.applied, on: connection) }
                    ?? DatabaseStore.base(on: connection).map { ($0.partyID, $0.geometry) }
                var later: [ControlRecord.Checkpoint] = []
                if let end, last > first {
                    let state = Dictionary(try ground(at: last, on: connection), uniquingKeysWith: { a, _ in a })
                    later.append(ControlRecord.Checkpoint(date: end.date, applied: last - first, state: state))
                }
                var conditions: [String] = [], values: [PostgresConnection.Value] = []
                if let start { values.append(.text(start.date.description)); conditions.append("date > $\(values.count)::date") }
                if let until { values.append(.text(until.description)); conditions.append("date <= $\(values.count)::date") }
                let rows = try connection.query(DatabaseStore.changesQuery(where: conditions), values, binary: true)
                return ControlRecord(part: grounds.map { BaseGround(partyID: $0.0, source: sources[$0.0], geometry: $0.1) },
                                     from: start?.date ?? baseDate, baseDate: baseDate,
                                     changes: try DatabaseStore.changes(rows, location: url.redacted), nextID: nextID,
                                     checkpoints: later, cellSize: cellSize)
            }
        }
        parts.withLock { parts in
            // Two questions that missed at once read the same part: keep it once.
            guard !parts.contains(where: { $0.start == first && $0.end == last && $0.until == until }) else { return }
            parts.append(Part(start: first, end: last, until: until, record: record))
            if parts.count > Self.kept { parts.removeFirst(parts.count - Self.kept) }
        }
        return record
    }

    /// Each party's ground in the checkpoint after `applied` changes.
    private func ground(at applied: Int, on connection: PostgresConnection) throws -> [(String, Geometry)] {
        let rows = try connection.query("SELECT party, ST_AsBinary(geom) FROM frontline.record_checkpoints WHERE applied = $1 ORDER BY party",
                                        [.text(String(applied))], binary: true)
        return try (0..<rows.count).map { row in
            guard let party = rows.text(row, 0), let wkb = rows.bytes(row, 1) else {
                throw DatabaseError(.contents, "\(url.redacted): a row of checkpoint \(applied) has no party or geometry")
            }
            return (party, try Geometry(wkb: wkb))
        }
    }

    /// `body` on an idle connection, or a new one; a connection that failed is dropped, and a
    /// database that cannot be reached is ``DataUnavailable``.
    private func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let held = try idle.withLock { $0.popLast() } ?? {
            do { return HeldConnection(try PostgresConnection(url, timeout: 2)) } catch {
                throw DataUnavailable("\(url.redacted) cannot be reached: \(error)")
            }
        }()
        do {
            let value = try body(held.connection)
            keep(held)
            return value
        } catch {
            guard held.connection.isOpen else { throw DataUnavailable("\(url.redacted) cannot be reached: \(error)") }
            keep(held)
            throw error
        }
    }

    private func keep(_ held: HeldConnection) {
        idle.withLock { if $0.count < Self.idleConnections { $0.append(held) } }
    }
}

/// A connection kept between questions; used by one question at a time.
private final class HeldConnection: @unchecked Sendable {
    let connection: PostgresConnection
    init(_ connection: PostgresConnection) { self.connection = connection }
}
