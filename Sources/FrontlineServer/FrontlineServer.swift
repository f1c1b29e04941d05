import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// The HTTP face of Frontline: routes that parse a request, ask the ``MapSource`` and format the
/// answer. ``prepare(configuration:registry:logger:)`` loads the data and gives a server to run;
/// ``makeApplication(configuration:registry:logger:)`` builds the same application to test in-process. The metrics system is the caller's
/// to bootstrap (once per process, in the executable); the registry it feeds is passed in.
public enum FrontlineServer {
    /// The `Server` header.
    static let serverName = "Frontline"

    /// A server whose data is loaded, ready to listen.
    public struct Prepared: Sendable {
        fileprivate let serve: @Sendable () async throws -> Void

        /// Listens and serves until the process is told to stop (SIGINT, SIGTERM).
        public func run() async throws { try await serve() }
    }

    /// Loads the data and the styles; throws when they cannot be served at all.
    public static func prepare(configuration: ServerConfiguration, registry: PrometheusCollectorRegistry, logger: Logger) throws -> Prepared {
        let application = try makeApplication(configuration: configuration, registry: registry, logger: logger).application
        return Prepared { try await application.runService() }
    }

    /// The service and the router, ready to run or to test in-process.
    public static func makeApplication(configuration: ServerConfiguration, registry: PrometheusCollectorRegistry,
                                       logger: Logger = Logger(label: "frontline.server"))
        throws -> (application: some ApplicationProtocol, service: TileService)
    {
        let source = try MapSource(source: configuration.data, styles: configuration.styles)
        let service = TileService(source: source, configuration: configuration)
        let router = Router()
        router.add(middleware: RequestLimitMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: HeadMiddleware())
        router.add(middleware: ErrorMappingMiddleware())
        TileRoutes(service: service, configuration: configuration).register(on: router)
        VectorTileRoutes(service: service, configuration: configuration).register(on: router)
        DataRoutes(source: source).register(on: router)
        OGCRoutes(service: service, configuration: configuration).register(on: router)
        OperationsRoutes(service: service, registry: registry).register(on: router)
        StaticFiles(viewerOverride: configuration.viewerDirectory, leaflet: configuration.leafletDirectory).register(on: router)
        let connections = ConnectionLimits(configuration: configuration)
        let application = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [
                SlowClientHandler(limits: connections), CachedTileHandler(service: service, metrics: CachedTileMetrics()),
            ])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: serverName),
            services: [DataWatcher(service: service, interval: configuration.reloadInterval, logger: logger)],
            logger: logger)
        return (application, service)
    }
}

/// Reloads data and styles in the background while the server runs; a broken file is reported
/// once per change of the files, and the previous version stays in service.
struct DataWatcher: Service {
    let service: TileService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // Ends with the server: the loop stops when its task is cancelled.
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // A database wakes this at once when a writer commits (LISTEN/NOTIFY); a folder
                // is looked at again after `interval`. At most a second either way, so that
                // shutdown is not held up.
                let source = service.source.source, wait = min(interval, .seconds(1))
                _ = try? await offloaded { source.waitForChange(upTo: wait) }
                // File reads and parsing stay off the caller's executor.
                let outcome = try? await offloaded { service.reloadIfChanged() }
                switch outcome {
                case .reloaded(let version): logger.info("reloaded data and styles", metadata: ["version": .string(version)])
                case .failed(let error): logger.error("reload failed; still serving the previous version", metadata: ["error": .string("\(error)")])
                case .unchanged, nil: break
                }
            }
        }
    }
}

/// Refuses what a read-only tile server never needs: bodies, other methods, huge URLs.
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
        return try await next(request, context)
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
