import ArgumentParser
import Foundation
import FrontlineData
import FrontlineServer
import Logging
import Metrics
import Prometheus

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve dated XYZ and vector tiles, TileJSON, WMS-T and WMTS, the change and overlap APIs and a web viewer.",
        discussion: """
            Endpoints: / (viewer), /styles/{style}/{date}/{z}/{x}/{y}.png (and @2x.png; date YYYY-MM-DD or \
            latest), /styles/{style}/{date}.json (TileJSON 3.0.0), /control.geojson?date=, /changes.geojson?from=&to=, \
            /overlaps.json?date=, /events.geojson?from=&to=, /dates.json, /styles.json, /health, /metrics; \
            /tiles/{date}/{z}/{x}/{y}.mvt and /tiles/{date}.json (Mapbox Vector Tiles and their TileJSON; ?from=DATE adds the \
            changes); /wms (WMS 1.3.0 and 1.1.1 with TIME, for QGIS's Temporal Controller) and /wmts/1.0.0/WMTSCapabilities.xml. \
            Data and style files are reloaded when they change, without a restart.

            Example: frontline serve --port 8080
            """
    )

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var styles: StylesOptions
    @Option(help: ArgumentHelp("A folder whose files replace the built-in viewer's (for editing it).", valueName: "dir"))
    var viewer: String?
    @Option(help: ArgumentHelp("The URL clients use to reach the server, for TileJSON tile URLs (default: from the Host header).", valueName: "url"))
    var publicURL: String?
    @Option(help: ArgumentHelp("Memory for cached tiles, in MiB.", valueName: "mib")) var cacheMib: Int = 256
    @Option(help: ArgumentHelp("Seconds a client has to send a request's head before it is closed.", valueName: "s"))
    var headerTimeout: Double = 60
    @Option(help: ArgumentHelp("Seconds an idle keep-alive connection is kept.", valueName: "s")) var idleTimeout: Double = 75

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1–65535") }
        guard cacheMib >= 0 else { throw ValidationError("--cache-mib must be 0 or more") }
        guard headerTimeout > 0, idleTimeout > 0 else { throw ValidationError("--header-timeout and --idle-timeout must be more than 0") }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw ValidationError("--public-url must start with http:// or https://")
        }
    }

    func run() async throws {
        var configuration = ServerConfiguration(data: dataset.source, styles: styles.catalog, viewerDirectory: viewer.map { URL(fileURLWithPath: $0) })
        configuration.host = host
        configuration.port = port
        configuration.publicURL = publicURL
        configuration.tileCacheBytes = cacheMib << 20
        configuration.headerTimeout = .seconds(headerTimeout)
        configuration.idleTimeout = .seconds(idleTimeout)
        // One metrics system per process, bootstrapped here, in the executable.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "frontline")
        logger.logLevel = .info
        let server: FrontlineServer.Prepared
        do {
            server = try FrontlineServer.prepare(configuration: configuration, registry: registry, logger: logger)
        } catch {
            Console.error("frontline: cannot serve: \(error)")
            throw ExitCode(1)
        }
        // Written unbuffered, so that it shows at once in a log or behind `make run`.
        FileHandle.standardOutput.write(Data("Frontline viewer: http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)/\n".utf8))
        try await server.run()
    }
}
