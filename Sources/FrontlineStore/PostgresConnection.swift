import CPostgres
import Foundation

/// One connection to PostgreSQL through libpq: the only owner of a `PGconn`. Queries take their
/// values as parameters (never spliced into the SQL) and answer in text (`bytea` as hex), or, with
/// `binary`, as raw bytes: then every column must be text or `bytea` (cast the others with
/// `::text`), whose binary forms are their bytes. Not thread-safe: one thread uses a connection at
/// a time.
final class PostgresConnection {
    private let connection: OpaquePointer
    /// Where it is connected, without the password (for messages).
    let location: String

    /// Connects to `url` (`postgresql://USER:PASSWORD@HOST:PORT/DB`); waits at most
    /// `timeout` seconds for the server. Throws ``DatabaseError`` saying why it could not.
    init(_ url: DatabaseURL, timeout: Int = 5) throws(DatabaseError) {
        location = url.redacted
        // PQconnectdb returns NULL only when it cannot allocate; the status says the rest.
        guard let connection = PQconnectdb(url.withTimeout(timeout)) else {
            throw DatabaseError(.cannotConnect, "cannot connect to \(url.redacted): out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(connection)
            throw DatabaseError(.cannotConnect, "cannot connect to \(url.redacted): \(message)")
        }
        self.connection = connection
        // Warnings of the server (NOTICE) are not the user's business; errors come with results.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(connection) }

    /// True while the connection is usable.
    var isOpen: Bool { PQstatus(connection) == CONNECTION_OK }

    /// A value for a parameter: text, or bytes (`bytea`, e.g. WKB).
    enum Value {
        case text(String)
        case bytes([UInt8])
        case null
    }

    /// Runs `sql` with `$1…` bound to `values`; returns its rows. Throws ``DatabaseError`` with
    /// the server's message and SQLSTATE.
    @discardableResult
    func query(_ sql: String, _ values: [Value] = [], binary: Bool = false) throws(DatabaseError) -> QueryResult {
        // The parameters' bytes must outlive PQexecParams: they are copied into buffers kept here.
        var buffers: [UnsafeMutablePointer<CChar>?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        defer { for buffer in buffers { buffer?.deallocate() } }
        for value in values {
            switch value {
            case .null:
                buffers.append(nil); lengths.append(0); formats.append(0)
            case .text(let text):
                let utf8 = Array(text.utf8CString)
                let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
                buffer.initialize(from: utf8, count: utf8.count)
                buffers.append(buffer); lengths.append(Int32(utf8.count - 1)); formats.append(0)
            case .bytes(let bytes):
                let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, bytes.count))
                bytes.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { buffer.withMemoryRebound(to: UInt8.self, capacity: bytes.count) { $0.update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count) } }
                }
                buffers.append(buffer); lengths.append(Int32(bytes.count)); formats.append(1)
            }
        }
        let result: OpaquePointer? = buffers.map { UnsafePointer($0) }.withUnsafeBufferPointer { pointers in
            lengths.withUnsafeBufferPointer { lengths in
                formats.withUnsafeBufferPointer { formats in
                    PQexecParams(connection, sql, Int32(values.count), nil, pointers.baseAddress, lengths.baseAddress, formats.baseAddress,
                                 binary ? 1 : 0)
                }
            }
        }
        // PQexecParams returns NULL only when out of memory or the connection is gone.
        guard let result else { throw DatabaseError(.lost, "\(location): \(lastError)") }
        try check(result)
        return QueryResult(result, binary: binary)
    }

    /// Runs `script`, one or more statements without parameters (a migration).
    func run(script: String) throws(DatabaseError) {
        guard let result = PQexec(connection, script) else { throw DatabaseError(.lost, "\(location): \(lastError)") }
        try check(result)
        PQclear(result)
    }

    /// Throws the error a failed result holds (and frees it); returns for a successful one.
    private func check(_ result: OpaquePointer) throws(DatabaseError) {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK: return
        default:
            let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            PQclear(result)
            throw DatabaseError(isOpen ? .query(sqlState: state) : .lost, "\(location): \(message.isEmpty ? lastError : message)")
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws (or
    /// when the connection is lost midway, by the server).
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("BEGIN")
        do {
            let value = try body()
            try query("COMMIT")
            return value
        } catch {
            if isOpen { _ = try? query("ROLLBACK") }
            throw error
        }
    }

    /// The channels' notifications that have arrived, waiting up to `timeout` seconds for a first
    /// one. Throws ``DatabaseError`` when the connection is lost.
    func notifications(waiting timeout: Double) throws(DatabaseError) -> [String] {
        var found = pending()
        guard found.isEmpty else { return found }
        var pollfd = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        guard pollfd.fd >= 0 else { throw DatabaseError(.lost, "\(location): the connection is closed") }
        // poll returns the number of ready descriptors (0 on timeout), -1 on error (EINTR: try later).
        guard poll(&pollfd, 1, Int32(timeout * 1000)) > 0 else { return [] }
        // PQconsumeInput returns 0 when the connection failed.
        guard PQconsumeInput(connection) == 1, isOpen else { throw DatabaseError(.lost, "\(location): \(lastError)") }
        found = pending()
        return found
    }

    /// Notifications libpq has already read (PQnotifies returns them one by one, then NULL).
    private func pending() -> [String] {
        var found: [String] = []
        while let notify = PQnotifies(connection) {
            found.append(String(cString: notify.pointee.relname))
            PQfreemem(notify)
        }
        return found
    }

    private var lastError: String {
        String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The rows of a query, read as text (`bytea` as hex). Owns its `PGresult`.
final class QueryResult {
    private let result: OpaquePointer
    /// Columns came in binary form: text as its bytes, `bytea` as its bytes.
    private let binary: Bool

    init(_ result: OpaquePointer, binary: Bool) {
        self.result = result
        self.binary = binary
    }
    deinit { PQclear(result) }

    /// How many rows.
    var count: Int { Int(PQntuples(result)) }

    /// The text of a column of a row, nil when NULL.
    func text(_ row: Int, _ column: Int) -> String? {
        guard PQgetisnull(result, Int32(row), Int32(column)) == 0, let value = PQgetvalue(result, Int32(row), Int32(column)) else { return nil }
        // libpq ends every value with a NUL, binary ones too; text has none inside.
        return String(cString: value)
    }

    /// A whole number, nil when NULL or not a number.
    func integer(_ row: Int, _ column: Int) -> Int? { text(row, column).flatMap { Int($0) } }

    /// The bytes of a `bytea` column (sent raw, or as `\x` and hex digits), nil when NULL.
    func bytes(_ row: Int, _ column: Int) -> [UInt8]? {
        guard PQgetisnull(result, Int32(row), Int32(column)) == 0,
              let value = PQgetvalue(result, Int32(row), Int32(column)) else { return nil }
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        let raw = UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: length)
        if binary { return Array(raw) }
        let hex = raw
        do {
            guard hex.count >= 2, hex[0] == UInt8(ascii: "\\"), hex[1] == UInt8(ascii: "x"), hex.count % 2 == 0 else { return nil }
            func nibble(_ c: UInt8) -> UInt8? {
                switch c {
                case 0x30...0x39: c - 0x30
                case 0x61...0x66: c - 0x61 + 10
                case 0x41...0x46: c - 0x41 + 10
                default: nil
                }
            }
            var out = [UInt8]()
            out.reserveCapacity(hex.count / 2 - 1)
            var i = 2
            while i < hex.count {
                guard let high = nibble(hex[i]), let low = nibble(hex[i + 1]) else { return nil }
                out.append(high << 4 | low)
                i += 2
            }
            return out
        }
    }
}
