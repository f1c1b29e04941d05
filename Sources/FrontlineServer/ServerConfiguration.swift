import Foundation

/// Everything `frontline serve` is told: where to listen, what to serve, and its limits.
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String = "127.0.0.1"
    /// Port to bind.
    public var port: Int = 8080
    /// The dataset folder.
    public var dataDirectory: URL
    /// Where named styles are found.
    public var stylesDirectory: URL
    /// A folder whose files replace the built-in viewer's (index.html, viewer.css, js/…), for
    /// editing the viewer without a rebuild; nil serves the viewer built into the program.
    public var viewerDirectory: URL?
    /// Leaflet's files (Debian's libjs-leaflet).
    public var leafletDirectory: URL = URL(fileURLWithPath: "/usr/share/javascript/leaflet")
    /// The URL clients reach the server at (for TileJSON tile URLs); from the Host header when nil.
    public var publicURL: String?
    /// Bytes of PNG kept in the tile cache.
    public var tileCacheBytes: Int = 256 << 20
    /// Longest a client waits for one render before a 503 (the render still finishes and is cached).
    public var renderTimeout: Duration = .seconds(20)
    /// How often data and style files are checked for changes.
    public var reloadInterval: Duration = .seconds(2)
    /// Renders at once (the cores).
    public var renderWorkers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// A configuration with the given folders and defaults for the rest.
    public init(dataDirectory: URL, stylesDirectory: URL, viewerDirectory: URL? = nil) {
        self.dataDirectory = dataDirectory
        self.stylesDirectory = stylesDirectory
        self.viewerDirectory = viewerDirectory
    }
}
