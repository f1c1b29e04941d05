import Foundation

/// A PostgreSQL connection URL, `postgresql://USER:PASSWORD@HOST:PORT/DB[?…]` (or `postgres://`),
/// as libpq reads it. Messages show it without its password.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    /// The URL as given.
    let text: String

    /// `text` when it is a PostgreSQL URL, else nil (a folder's path, say).
    public init?(_ text: String) {
        guard Self.isDatabase(text) else { return nil }
        self.text = text
    }

    /// True when `text` names a database rather than a folder.
    public static func isDatabase(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// The URL with the password replaced by `***`.
    public var redacted: String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        // The user information ends at the last '@' before the host (a password may hold '@').
        let hostStart = rest.firstIndex(of: "/").map { rest[..<$0] } ?? rest[...]
        guard let at = hostStart.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return text }
        return String(text[..<scheme.upperBound]) + rest[..<colon] + ":***" + rest[at...]
    }

    public var description: String { redacted }

    /// The URL with libpq's `connect_timeout` (seconds) unless it names one: a server that does
    /// not answer is an error after that long, never a hang.
    func withTimeout(_ seconds: Int) -> String {
        if text.contains("connect_timeout=") { return text }
        return text + (text.contains("?") ? "&" : "?") + "connect_timeout=\(seconds)"
    }
}

/// What went wrong with a database: the message names the database without its password.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: Sendable, Equatable {
        /// The server could not be reached or refused the login.
        case cannotConnect
        /// The connection was lost midway (nothing of an unfinished transaction is kept).
        case lost
        /// The server refused a statement; `sqlState` is its SQLSTATE code.
        case query(sqlState: String)
        /// The database holds no Frontline schema, or one newer than this program's.
        case schema
        /// Rows that do not follow the data contract.
        case contents
        /// Two writers changed the same record at once: this one was refused.
        case conflict
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong.
    public var description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
