import Dispatch
import Foundation
import NIOCore
import Synchronization

/// Runs renders on worker threads (never on the server's event loops), at most `workers` at
/// once, and merges concurrent requests for the same key into one render.
public final class RenderPool<Key: Hashable & Sendable>: Sendable {
    private let queue = DispatchQueue(label: "frontline.render", qos: .userInitiated, attributes: .concurrent)
    private let slots: DispatchSemaphore
    private let waiting = Mutex<[Key: [CheckedContinuation<ByteBuffer, any Error>]]>([:])
    /// How many renders actually ran (`/health` says it: with `tiles_cached`, what the cache saves).
    public let renders = Atomic<Int>(0)

    private enum Start { case render, wait, finished(ByteBuffer) }

    /// A pool of `workers` render threads.
    public init(workers: Int) {
        slots = DispatchSemaphore(value: max(1, workers))
    }

    /// The bytes for `key`: what `done` already holds, else rendered by `work` on a worker thread,
    /// once for all concurrent callers. `work` stores its result where `done` finds it before the
    /// callers are let go, so a request arriving just after a render never renders it again.
    public func run(_ key: Key, done: @escaping @Sendable () -> ByteBuffer?, _ work: @escaping @Sendable () throws -> ByteBuffer) async throws -> ByteBuffer {
        try await withCheckedThrowingContinuation { continuation in
            let start = waiting.withLock { w -> Start in
                if w[key] != nil {
                    w[key]!.append(continuation)
                    return .wait
                }
                if let bytes = done() { return .finished(bytes) }
                w[key] = [continuation]
                return .render
            }
            switch start {
            case .wait: return
            case .finished(let bytes): continuation.resume(returning: bytes)
            case .render:
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
}
