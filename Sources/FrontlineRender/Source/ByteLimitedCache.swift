import Synchronization

/// A least-recently-used cache bounded by the bytes its values hold. Thread-safe. The recency list
/// is linked by array index, so that a hit costs one hash lookup.
public final class ByteLimitedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Node {
        var key: Key
        var value: Value?
        var cost: Int
        var older = -1, newer = -1
    }

    private struct State {
        var index: [Key: Int] = [:]
        var nodes: [Node] = []
        var free: [Int] = []
        var newest = -1, oldest = -1
        var bytes = 0

        mutating func unlink(_ i: Int) {
            let (older, newer) = (nodes[i].older, nodes[i].newer)
            if older >= 0 { nodes[older].newer = newer } else { oldest = newer }
            if newer >= 0 { nodes[newer].older = older } else { newest = older }
        }

        mutating func pushNewest(_ i: Int) {
            nodes[i].older = newest
            nodes[i].newer = -1
            if newest >= 0 { nodes[newest].newer = i } else { oldest = i }
            newest = i
        }

        /// Stores a new value as the newest.
        mutating func insert(_ key: Key, _ value: Value, cost: Int) {
            let node = Node(key: key, value: value, cost: cost)
            let i: Int
            if let reused = free.popLast() {
                nodes[reused] = node
                i = reused
            } else {
                nodes.append(node)
                i = nodes.count - 1
            }
            index[key] = i
            bytes += cost
            pushNewest(i)
        }

        /// Marks a held value as just used.
        mutating func touch(_ i: Int) {
            guard newest != i else { return }
            unlink(i)
            pushNewest(i)
        }

        mutating func evict(toFit limit: Int) {
            while bytes > limit, oldest >= 0 {
                let i = oldest
                unlink(i)
                index[nodes[i].key] = nil
                bytes -= nodes[i].cost
                nodes[i].value = nil
                free.append(i)
            }
        }
    }

    private let limit: Int
    private let state = Mutex(State())

    /// A cache holding values of at most `limit` bytes in all.
    public init(limit: Int) { self.limit = limit }

    /// Bytes held.
    public var bytes: Int { state.withLock { $0.bytes } }
    /// Values held.
    public var count: Int { state.withLock { $0.index.count } }

    /// The value, marked as just used; nil when absent.
    public func get(_ key: Key) -> Value? {
        state.withLock { s in
            guard let i = s.index[key] else { return nil }
            s.touch(i)
            return s.nodes[i].value
        }
    }

    /// Stores a value that holds `cost` bytes, evicting the least recently used ones to stay within
    /// the limit. A value larger than the whole cache is not kept.
    public func put(_ key: Key, _ value: Value, cost: Int) {
        guard cost <= limit else { return }
        state.withLock { s in
            if let i = s.index[key] {
                s.bytes += cost - s.nodes[i].cost
                s.nodes[i].value = value
                s.nodes[i].cost = cost
                s.touch(i)
            } else {
                s.insert(key, value, cost: cost)
            }
            s.evict(toFit: limit)
        }
    }

    /// The value for `key`, marked as just used; when absent, `make`'s value stored with `cost`,
    /// in the same step, so that two threads asking at once get the same value.
    public func value(for key: Key, cost: Int, orMake make: () -> Value) -> Value {
        state.withLock { s in
            if let i = s.index[key], let value = s.nodes[i].value {
                s.touch(i)
                return value
            }
            let value = make()
            s.insert(key, value, cost: cost)
            s.evict(toFit: limit)
            return value
        }
    }

    /// Counts `bytes` more against a value that grew after it was stored (work it keeps for later);
    /// nothing when it has been evicted.
    public func charge(_ key: Key, bytes: Int) {
        state.withLock { s in
            guard let i = s.index[key] else { return }
            s.nodes[i].cost += bytes
            s.bytes += bytes
            s.evict(toFit: limit)
        }
    }

    /// Drops every value whose key matches `drop` (values of a version no longer served).
    public func removeAll(where drop: (Key) -> Bool) {
        state.withLock { s in
            for (key, i) in s.index where drop(key) {
                s.unlink(i)
                s.index[key] = nil
                s.bytes -= s.nodes[i].cost
                s.nodes[i].value = nil
                s.free.append(i)
            }
        }
    }
}
