import Foundation
import FrontlineData
import Synchronization

/// A dataset in PostgreSQL/PostGIS as a ``DataSource``: what `--data postgresql://…` reads.
/// Keeps one connection, which LISTENs to the channel writers notify, for the fingerprint (the
/// dataset's version, one small query) and for waiting on changes; made again when lost.
public final class DatabaseDataSource: DataSource {
    /// The database.
    public let url: DatabaseURL
    private let held = Mutex<Held>(Held())
    /// Set when the database could not be asked; cleared when it answers again. Apart from the
    /// connection's lock, which a wait for changes holds: /health must not wait on it.
    private let unreachable = Atomic<Bool>(false)

    private struct Held {
        var connection: PostgresConnectionBox?
    }

    /// The database at `url`.
    public init(url: DatabaseURL) { self.url = url }

    /// The URL without its password.
    public var location: String { url.redacted }

    /// The dataset's version; `unreachable` while the database cannot be asked.
    public func fingerprint() -> String {
        held.withLock { held in
            do {
                let connection = try Self.connection(&held, url)
                let version = try connection.query("SELECT version FROM frontline.dataset").integer(0, 0) ?? 0
                unreachable.store(false, ordering: .relaxed)
                return "v\(version)"
            } catch {
                held.connection = nil
                unreachable.store(true, ordering: .relaxed)
                return "unreachable"
            }
        }
    }

    /// Waits for a writer's NOTIFY (or `limit`); while the database is down, tries to connect
    /// again at each call.
    public func waitForChange(upTo limit: Duration) {
        let timeout = limit.inSeconds
        let waited: Bool = held.withLock { held in
            do {
                _ = try Self.connection(&held, url).notifications(waiting: timeout)
                return true
            } catch {
                held.connection = nil
                unreachable.store(true, ordering: .relaxed)
                return false
            }
        }
        // Not connected: wait out the rest here, outside the lock, before trying again.
        if !waited { Thread.sleep(forTimeInterval: timeout) }
    }

    /// True after the database failed to answer, until it answers again.
    public var isDegraded: Bool { unreachable.load(ordering: .relaxed) }

    /// The dataset, its record answered by query (``DatabaseStore/load(whole:)``).
    public func load() throws -> Dataset { try DatabaseStore(url).load(whole: false) }

    /// The dataset with its whole record.
    public func loadWhole() throws -> Dataset { try DatabaseStore(url).load(whole: true) }

    /// The held connection, made (and set listening) when there is none or it was lost.
    private static func connection(_ held: inout Held, _ url: DatabaseURL) throws -> PostgresConnection {
        if let box = held.connection, box.connection.isOpen { return box.connection }
        let connection = try PostgresConnection(url, timeout: 2)
        try connection.query("LISTEN \(DatabaseStore.channel)")
        held.connection = PostgresConnectionBox(connection)
        return connection
    }
}

/// A connection kept across calls; only touched under the source's lock.
private final class PostgresConnectionBox: @unchecked Sendable {
    let connection: PostgresConnection
    init(_ connection: PostgresConnection) { self.connection = connection }
}
