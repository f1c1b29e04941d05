import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Metrics
import NIOCore
import Synchronization

/// Tiles for the HTTP layer: encoded tiles cached in memory, the rest drawn by the map source on
/// the render pool.
public final class TileService: Sendable {
    /// Where every map comes from.
    public let source: MapSource
    /// Encoded tiles.
    let cache: ByteLimitedCache<TileKey, ByteBuffer>
    /// The render workers.
    let pool: RenderPool<TileKey>
    let configuration: ServerConfiguration
    private let renderTimer = Metrics.Timer(label: "frontline_tile_render_seconds")
    private let hits = Counter(label: "frontline_tile_cache_hits_total")
    private let misses = Counter(label: "frontline_tile_cache_misses_total")
    private let cacheBytes = Gauge(label: "frontline_tile_cache_bytes")

    /// A service over a map source.
    public init(source: MapSource, configuration: ServerConfiguration) {
        self.source = source
        self.configuration = configuration
        cache = ByteLimitedCache(limit: configuration.tileCacheBytes)
        pool = RenderPool(workers: configuration.renderWorkers)
    }

    /// A PNG tile: from the cache, or drawn (once, however many ask at the same time). The scene
    /// behind it is prepared on the render pool too, never on the server's threads.
    func tile(_ data: MapData, _ request: TileRequest) async throws -> ByteBuffer {
        let source = self.source
        return try await tile(request.key) {
            try source.tile(data, style: request.style, date: request.date, tile: request.tile, scale: request.scale,
                            language: request.language)
        }
    }

    /// The tile of `key`: from the cache, or made by `make` on the render pool (once, however many
    /// ask at the same time) and cached.
    func tile(_ key: TileKey, make: @escaping @Sendable () throws -> [UInt8]) async throws -> ByteBuffer {
        if let bytes = cached(key) { return bytes }
        misses.increment()
        let timer = renderTimer, cache = self.cache, cacheBytes = self.cacheBytes
        // Unstructured on purpose: a render the client stopped waiting for still fills the cache.
        let render = Task {
            try await pool.run(key, done: { cache.get(key) }) {
                let start = DispatchTime.now().uptimeNanoseconds
                let bytes = ByteBuffer(bytes: try make())
                timer.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
                cache.put(key, bytes, cost: bytes.readableBytes)
                cacheBytes.record(cache.bytes)
                return bytes
            }
        }
        return try await TileService.value(of: render, within: configuration.renderTimeout)
    }

    /// The tile when it is in the cache (counted as a hit), else nil.
    func cached(_ request: TileRequest) -> ByteBuffer? {
        cached(request.key)
    }

    private func cached(_ key: TileKey) -> ByteBuffer? {
        guard let bytes = cache.get(key) else { return nil }
        hits.increment()
        return bytes
    }

    /// Loads the data again when it changed; tiles of older versions leave the cache.
    func reloadIfChanged() -> MapSource.Reload {
        let outcome = source.reloadIfChanged()
        if case .reloaded = outcome {
            let serial = source.data.serial
            cache.removeAll { $0.serial != serial }
            cacheBytes.record(cache.bytes)
        }
        return outcome
    }

    /// Waits for the render at most `limit`: past it the client gets a 503 at once, while the
    /// render goes on and fills the cache. (A task group would wait for the render before
    /// returning, since waiting on an unstructured task ignores cancellation.)
    static func value<T: Sendable>(of render: Task<T, any Error>, within limit: Duration) async throws -> T {
        let answer = FirstAnswer<T>()
        return try await withCheckedThrowingContinuation { continuation in
            answer.set(continuation)
            let timer = Task {
                try await Task.sleep(for: limit)
                answer.resume(with: .failure(APIError(.serviceUnavailable, "the tile took longer than \(limit) to draw; try again shortly")))
            }
            Task {
                let result = await render.result
                timer.cancel()
                answer.resume(with: result)
            }
        }
    }
}

/// Resumes a continuation with whichever answer comes first; later ones are dropped.
private final class FirstAnswer<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func set(_ c: CheckedContinuation<T, any Error>) { continuation.withLock { $0 = c } }

    func resume(with result: Result<T, any Error>) {
        continuation.withLock { c in
            c?.resume(with: result)
            c = nil
        }
    }
}
