import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// The HTTP face of Frontline: routes that parse a request, ask ``TileService`` or the dataset,
/// and format the answer. Build one with ``makeApplication(configuration:)``.
public enum FrontlineApplication {
    /// Metrics go to one Prometheus registry per process (swift-metrics allows one bootstrap).
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The `Server` header.
    static let serverName = "Frontline"

    /// The service and the router, ready to run or to test in-process.
    public static func makeApplication(configuration: ServerConfiguration, logger: Logger = Logger(label: "frontline.server"))
        throws -> (application: some ApplicationProtocol, service: TileService)
    {
        _ = registry
        let store = try DataStore(configuration: configuration, logger: logger)
        let service = TileService(store: store, configuration: configuration)
        let router = Router()
        router.add(middleware: RequestLimitMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: HeadMiddleware())
        Routes(service: service, configuration: configuration).register(on: router)
        let tileMetrics = CachedTileMetrics()
        let connections = ConnectionLimits(configuration: configuration)
        let application = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [
                SlowClientHandler(limits: connections), CachedTileHandler(service: service, metrics: tileMetrics),
            ])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: serverName),
            services: [DataWatcher(store: store)],
            logger: logger)
        return (application, service)
    }
}

/// Reloads data and styles in the background while the server runs.
struct DataWatcher: Service {
    let store: DataStore
    func run() async throws {
        // Ends with the server: the watch loop stops when its task is cancelled.
        try await cancelWhenGracefulShutdown {
            await store.watch()
        }
    }
}

/// Refuses what a read-only tile server never needs: bodies, other methods, huge URLs; and gives
/// paths that match no route the API's JSON 404.
struct RequestLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head || request.method == .options else {
            throw APIError(.methodNotAllowed, "only GET and HEAD are served")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > 0 {
            throw APIError(.contentTooLarge, "requests have no body here")
        }
        guard request.uri.description.utf8.count <= RequestLimits.maximumURILength else {
            throw APIError(.uriTooLong, "the URL is longer than \(RequestLimits.maximumURILength) characters")
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // The router's own 404 (no route) answers like every other error.
            throw APIError(.notFound, "nothing at \(request.uri.path)")
        }
    }
}

/// HEAD gets GET's answer without its body. Inside MetricsMiddleware, so that HEADs are counted
/// and timed like the rest (Hummingbird's generated HEAD endpoints drop its bookkeeping).
struct HeadMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        return request.method == .head ? response.createHeadResponse() : response
    }
}

extension Router {
    /// Routes GET and HEAD of `path` to `handler` (``HeadMiddleware`` drops HEAD's body).
    @discardableResult
    func getAndHead(_ path: RouterPath, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(path, method: .get, use: handler)
        return on(path, method: .head, use: handler)
    }
}

enum RequestLimits {
    /// The longest URL served.
    static let maximumURILength = 2048
}
