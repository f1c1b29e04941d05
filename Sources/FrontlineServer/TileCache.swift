import NIOCore
import Synchronization

/// Least-recently-used cache of encoded tiles, bounded in bytes. Thread-safe. Tiles are kept as
/// ByteBuffers so that a cached response is sent without copying the PNG.
public final class TileCache: Sendable {
    private struct Entry {
        var bytes: ByteBuffer
        var previous: String?
        var next: String?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var newest: String?
        var oldest: String?
        var bytes = 0
    }

    private let limit: Int
    private let state = Mutex(State())

    /// A cache holding at most `limit` bytes of tiles.
    public init(limit: Int) { self.limit = limit }

    /// Bytes held.
    public var bytes: Int { state.withLock { $0.bytes } }
    /// Tiles held.
    public var count: Int { state.withLock { $0.entries.count } }

    /// The tile, marked as just used; nil when absent.
    public func get(_ key: String) -> ByteBuffer? {
        state.withLock { s in
            guard let entry = s.entries[key] else { return nil }
            TileCache.unlink(key, &s)
            TileCache.pushNewest(key, entry.bytes, &s)
            return entry.bytes
        }
    }

    /// Stores a tile, evicting the least recently used ones to stay within the limit.
    public func put(_ key: String, _ bytes: ByteBuffer) {
        guard bytes.readableBytes <= limit else { return }
        state.withLock { s in
            if let old = s.entries[key] {
                s.bytes -= old.bytes.readableBytes
                TileCache.unlink(key, &s)
            }
            TileCache.pushNewest(key, bytes, &s)
            s.bytes += bytes.readableBytes
            while s.bytes > limit, let oldest = s.oldest {
                s.bytes -= s.entries[oldest]?.bytes.readableBytes ?? 0
                TileCache.unlink(oldest, &s)
            }
        }
    }

    /// Drops everything (after a reload nothing old is asked for again, but memory is freed).
    public func removeAll() {
        state.withLock { $0 = State() }
    }

    private static func unlink(_ key: String, _ s: inout State) {
        guard let entry = s.entries.removeValue(forKey: key) else { return }
        if let p = entry.previous { s.entries[p]?.next = entry.next } else { s.newest = entry.next }
        if let n = entry.next { s.entries[n]?.previous = entry.previous } else { s.oldest = entry.previous }
    }

    private static func pushNewest(_ key: String, _ bytes: ByteBuffer, _ s: inout State) {
        s.entries[key] = Entry(bytes: bytes, previous: nil, next: s.newest)
        if let n = s.newest { s.entries[n]?.previous = key }
        s.newest = key
        if s.oldest == nil { s.oldest = key }
    }
}
