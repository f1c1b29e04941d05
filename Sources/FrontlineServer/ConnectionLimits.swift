import Foundation
import Metrics
import NIOCore
import Synchronization

/// What every connection of one server shares: its timeouts, the most connections it keeps open,
/// and which of them wait on their client, oldest first, so that a new connection can take the
/// place of one that holds a file descriptor without using it.
///
/// Each connection is one file descriptor, and the process has a limit (`ulimit -n`, often 1,024).
/// Connections are kept below it by ``ServerConfiguration/fileDescriptorReserve`` so that a data
/// reload, the fonts of a render and the server's own files never find the table full.
final class ConnectionLimits: Sendable {
    /// Longest wait for a request's head and body, from the connection's first byte or its opening.
    let headerTimeout: TimeAmount
    /// Longest wait for the next request on a keep-alive connection once its answers are sent.
    let idleTimeout: TimeAmount
    /// Longest a client may leave an answer unread (the socket's buffer full) before it is closed.
    let sendTimeout: TimeAmount
    /// The most connections open at once.
    let maximumConnections: Int

    private struct State {
        var open = 0
        /// Connections waiting on their client, by the order in which they began to wait.
        var waiting: [ObjectIdentifier: (order: Int, channel: any Channel)] = [:]
        var nextOrder = 0
    }
    private let state = Mutex(State())
    private let shed: (evicted: Counter, refused: Counter, timedOut: Counter)

    /// Asks a waiting connection to close if it is still waiting (it may have had a request since).
    struct Evict: Sendable {}

    init(headerTimeout: Duration, idleTimeout: Duration, sendTimeout: Duration = .seconds(60), maximumConnections: Int) {
        self.headerTimeout = TimeAmount(headerTimeout)
        self.idleTimeout = TimeAmount(idleTimeout)
        self.sendTimeout = TimeAmount(sendTimeout)
        self.maximumConnections = max(1, maximumConnections)
        func counter(_ reason: String) -> Counter { Counter(label: "frontline.connections.closed", dimensions: [("reason", reason)]) }
        shed = (counter("evicted"), counter("refused"), counter("timeout"))
    }

    /// The limits of `configuration`, with as many connections as the file descriptor limit allows
    /// after its reserve.
    convenience init(configuration: ServerConfiguration) {
        self.init(headerTimeout: configuration.headerTimeout, idleTimeout: configuration.idleTimeout,
                  sendTimeout: configuration.sendTimeout, maximumConnections: Self.fileDescriptorLimit() - configuration.fileDescriptorReserve)
    }

    /// Counts a new connection. When that makes one too many, the connection that has waited on
    /// its client longest is asked to close; false when none waits, and the new one must go.
    func opened(_ channel: any Channel) -> Bool {
        let victim: (any Channel)?? = state.withLock { state in
            state.open += 1
            guard state.open > maximumConnections else { return .none }
            guard let oldest = state.waiting.filter({ $0.value.channel !== channel }).min(by: { $0.value.order < $1.value.order })
            else { return .some(nil) }
            state.waiting[oldest.key] = nil
            return .some(oldest.value.channel)
        }
        switch victim {
        case .none: return true
        case .some(nil):
            shed.refused.increment()
            return false
        case .some(let channel?):
            shed.evicted.increment()
            channel.pipeline.fireUserInboundEventTriggered(Evict())
            return true
        }
    }

    /// Forgets a closed connection.
    func closed(_ channel: any Channel) {
        state.withLock { state in
            state.open -= 1
            state.waiting[ObjectIdentifier(channel)] = nil
        }
    }

    /// Marks a connection as waiting on its client (true) or busy with a request (false).
    func setWaiting(_ channel: any Channel, _ waiting: Bool) {
        state.withLock { state in
            if waiting {
                state.waiting[ObjectIdentifier(channel)] = (state.nextOrder, channel)
                state.nextOrder += 1
            } else {
                state.waiting[ObjectIdentifier(channel)] = nil
            }
        }
    }

    /// Counts a connection closed for keeping the server waiting too long.
    func timedOut() { shed.timedOut.increment() }

    /// Connections open now (tests).
    var openConnections: Int { state.withLock { $0.open } }

    /// The soft limit on open files, first raised to the hard limit as far as the system allows
    /// (as Go's runtime and nginx's `worker_rlimit_nofile` do): the hard limit is what the
    /// administrator granted, the soft one is often only a default for programs that use `select`.
    static func fileDescriptorLimit() -> Int {
        var limit = rlimit()
        // getrlimit/setrlimit return 0, or -1 and set errno.
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: min(limit.rlim_cur, rlim_t(Int32.max)))
    }
}
