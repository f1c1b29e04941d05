import Dispatch
import Foundation
import Synchronization

/// Runs GEOS work on every core: each worker thread gets its own ``GeometryContext``, so no GEOS
/// object crosses threads; inputs and results are Sendable values.
public enum GeometryWorkers {
    /// The number of worker threads used (the active processor count).
    public static var count: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `body` applied to every item, in item order. Items are handed out one at a time, so long
    /// and short items balance across workers. The first error thrown is rethrown.
    public static func map<T: Sendable, R: Sendable>(
        _ items: [T], workers: Int = GeometryWorkers.count,
        _ body: @Sendable (GeometryContext, T) throws -> R
    ) throws -> [R] {
        if items.isEmpty { return [] }
        let results = Mutex<[R?]>(Array(repeating: nil, count: items.count))
        let next = Atomic<Int>(0)
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: min(workers, items.count)) { _ in
            let context: GeometryContext
            do { context = try GeometryContext() } catch { failure.withLock { $0 = $0 ?? error }; return }
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < items.count, failure.withLock({ $0 == nil }) else { return }
                do {
                    let r = try body(context, items[i])
                    results.withLock { $0[i] = r }
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                    return
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.map { $0! } }
    }
}
