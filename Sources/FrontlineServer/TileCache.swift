import NIOCore
import Synchronization

/// Least-recently-used cache of encoded tiles, bounded in bytes. Thread-safe. Tiles are kept as
/// ByteBuffers so that a cached response is sent without copying the PNG. The recency list is
/// kept in an array by index, so that a hit costs one hash lookup.
public final class TileCache<Key: Hashable & Sendable>: Sendable {
    private struct Node {
        var key: Key
        var bytes: ByteBuffer
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
    }

    private let limit: Int
    private let state = Mutex(State())

    /// A cache holding at most `limit` bytes of tiles.
    public init(limit: Int) { self.limit = limit }

    /// Bytes held.
    public var bytes: Int { state.withLock { $0.bytes } }
    /// Tiles held.
    public var count: Int { state.withLock { $0.index.count } }

    /// The tile, marked as just used; nil when absent.
    public func get(_ key: Key) -> ByteBuffer? {
        state.withLock { s in
            guard let i = s.index[key] else { return nil }
            if s.newest != i {
                s.unlink(i)
                s.pushNewest(i)
            }
            return s.nodes[i].bytes
        }
    }

    /// Stores a tile, evicting the least recently used ones to stay within the limit.
    public func put(_ key: Key, _ bytes: ByteBuffer) {
        guard bytes.readableBytes <= limit else { return }
        state.withLock { s in
            if let i = s.index[key] {
                s.bytes += bytes.readableBytes - s.nodes[i].bytes.readableBytes
                s.nodes[i].bytes = bytes
                s.unlink(i)
                s.pushNewest(i)
            } else {
                let node = Node(key: key, bytes: bytes)
                let i: Int
                if let reused = s.free.popLast() {
                    s.nodes[reused] = node
                    i = reused
                } else {
                    s.nodes.append(node)
                    i = s.nodes.count - 1
                }
                s.index[key] = i
                s.pushNewest(i)
                s.bytes += bytes.readableBytes
            }
            while s.bytes > limit, s.oldest >= 0 {
                let i = s.oldest
                s.unlink(i)
                s.index[s.nodes[i].key] = nil
                s.bytes -= s.nodes[i].bytes.readableBytes
                s.nodes[i].bytes = ByteBuffer()
                s.free.append(i)
            }
        }
    }
}
