import Dispatch
import Foundation
import Synchronization

/// Runs renders on worker threads (never on the server's event loops), at most `workers` at
/// once, and merges concurrent requests for the same key into one render.
public final class RenderPool<Key: Hashable & Sendable>: Sendable {
    private let queue = DispatchQueue(label: "frontline.render", qos: .userInitiated, attributes: .concurrent)
    private let slots: DispatchSemaphore
    private let waiting = Mutex<[Key: [CheckedContinuation<[UInt8], any Error>]]>([:])
    /// How many renders actually ran (for tests and metrics).
    public let renders = Atomic<Int>(0)

    /// A pool of `workers` render threads.
    public init(workers: Int) {
        slots = DispatchSemaphore(value: max(1, workers))
    }

    /// The bytes for `key`: rendered by `work` on a worker thread, once for all concurrent callers.
    public func run(_ key: Key, _ work: @escaping @Sendable () throws -> [UInt8]) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            let first = waiting.withLock { w -> Bool in
                if w[key] != nil {
                    w[key]!.append(continuation)
                    return false
                }
                w[key] = [continuation]
                return true
            }
            guard first else { return }
            queue.async {
                self.slots.wait()
                defer { self.slots.signal() }
                self.renders.add(1, ordering: .relaxed)
                let result = Result { try work() }
                let waiters = self.waiting.withLock { $0.removeValue(forKey: key) ?? [] }
                for w in waiters { w.resume(with: result) }
            }
        }
    }
}
