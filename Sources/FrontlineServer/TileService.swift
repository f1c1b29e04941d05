import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Metrics
import NIOCore
import Synchronization

/// Tiles, TileJSON, legends and the analyses for the HTTP layer: caches what it can and renders
/// the rest on the render pool.
public final class TileService: Sendable {
    /// The served data.
    public let store: DataStore
    /// Encoded tiles.
    let cache: TileCache<TileKey>
    /// The render workers.
    let pool: RenderPool<TileKey>
    let configuration: ServerConfiguration
    /// Tile renderers by (version, style, date): each keeps its labels and simplified geometry per zoom.
    private let renderers = Mutex<[String: TileRenderer]>([:])
    private let renderTimer = Metrics.Timer(label: "frontline_tile_render_seconds")
    private let hits = Counter(label: "frontline_tile_cache_hits_total")
    private let misses = Counter(label: "frontline_tile_cache_misses_total")
    private let cacheBytes = Gauge(label: "frontline_tile_cache_bytes")

    /// A service over a data store.
    public init(store: DataStore, configuration: ServerConfiguration) {
        self.store = store
        self.configuration = configuration
        cache = TileCache(limit: configuration.tileCacheBytes)
        pool = RenderPool(workers: configuration.renderWorkers)
    }

    /// A PNG tile: from the cache, or rendered (once, however many ask at the same time).
    func tile(_ data: ServedData, _ request: TileRequest) async throws -> ByteBuffer {
        let key = request.key, tile = request.tile, scale = request.scale
        if let png = cached(request) { return png }
        misses.increment()
        let renderer = try tileRenderer(data, style: request.style, date: request.date)
        let timer = renderTimer
        let pool = self.pool, cache = self.cache, cacheBytes = self.cacheBytes
        // Unstructured on purpose: a render the client stopped waiting for still fills the cache.
        let render = Task {
            try await pool.run(key, done: { cache.get(key) }) {
                let start = DispatchTime.now().uptimeNanoseconds
                let png = ByteBuffer(bytes: try renderer.render(tile, scale: scale))
                timer.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
                cache.put(key, png)
                cacheBytes.record(cache.bytes)
                return png
            }
        }
        return try await withTimeout(configuration.renderTimeout) { try await render.value }
    }

    /// The tile when it is in the cache (counted as a hit), else nil.
    func cached(_ request: TileRequest) -> ByteBuffer? {
        guard let png = cache.get(request.key) else { return nil }
        hits.increment()
        return png
    }

    /// The tile renderer for a style and date of this data version (made once, kept for reuse).
    func tileRenderer(_ data: ServedData, style name: String, date: CalendarDate) throws -> TileRenderer {
        let key = "\(data.version)/\(name)/\(date)"
        if let renderer = renderers.withLock({ $0[key] }) { return renderer }
        let style = try data.style(name)
        let scene = try MapScene(dataset: data.dataset, projected: data.projected, subject: .date(date))
        let renderer = TileRenderer(renderer: MapRenderer(style: style, scene: scene))
        renderers.withLock { r in
            // Renderers of older versions are never asked for again; keep the map small.
            if r.count >= 64 { r.removeAll() }
            r[key] = renderer
        }
        return renderer
    }

    /// Waits for `body` at most `limit`; a render that runs over still finishes and is cached.
    private func withTimeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw APIError(.serviceUnavailable, "the tile took longer than \(limit) to draw; try again shortly")
            }
            return value
        }
    }
}
