import ArgumentParser
import Foundation
import FrontlineServer
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve dated XYZ tiles, TileJSON, the change and overlap APIs and a web viewer.",
        discussion: """
            Endpoints: / (viewer), /styles/{style}/{date}/{z}/{x}/{y}.png (and @2x.png; date YYYY-MM-DD or \
            latest), /styles/{style}/{date}.json (TileJSON 3.0.0), /changes.geojson?from=&to=, \
            /overlaps.json?date=, /events.geojson?from=&to=, /dates.json, /styles.json, /health, /metrics. \
            Data and style files are reloaded when they change, without a restart.

            Example: frontline serve --port 8080
            """
    )

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @Option(name: .long, help: ArgumentHelp("The dataset folder (default: $FRONTLINE_DATA, else geodata/).", valueName: "dir"))
    var data: String?
    @Option(help: ArgumentHelp("Where styles are found.", valueName: "dir")) var styles: String = "styles"
    @Option(help: ArgumentHelp("A folder whose files replace the built-in viewer's (for editing it).", valueName: "dir"))
    var viewer: String?
    @Option(help: ArgumentHelp("The URL clients use to reach the server, for TileJSON tile URLs (default: from the Host header).", valueName: "url"))
    var publicURL: String?
    @Option(help: ArgumentHelp("Memory for cached tiles, in MiB.", valueName: "mib")) var cacheMib: Int = 256

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1–65535") }
        guard cacheMib >= 0 else { throw ValidationError("--cache-mib must be 0 or more") }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw ValidationError("--public-url must start with http:// or https://")
        }
    }

    func run() async throws {
        var configuration = ServerConfiguration(
            dataDirectory: URL(fileURLWithPath: data ?? ProcessInfo.processInfo.environment["FRONTLINE_DATA"] ?? "geodata"),
            stylesDirectory: URL(fileURLWithPath: styles), viewerDirectory: viewer.map { URL(fileURLWithPath: $0) })
        configuration.host = host
        configuration.port = port
        configuration.publicURL = publicURL
        configuration.tileCacheBytes = cacheMib << 20
        var logger = Logger(label: "frontline")
        logger.logLevel = .info
        let application: any ApplicationProtocol
        do {
            application = try FrontlineApplication.makeApplication(configuration: configuration, logger: logger).application
        } catch {
            Console.error("frontline: cannot serve: \(error)")
            throw ExitCode(1)
        }
        // Written unbuffered, so that it shows at once in a log or behind `make run`.
        FileHandle.standardOutput.write(Data("Frontline viewer: http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)/\n".utf8))
        try await application.runService()
    }
}
