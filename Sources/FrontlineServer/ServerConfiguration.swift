import Foundation
import FrontlineData
import FrontlineRender

/// Everything `frontline serve` is told: where to listen, what to serve, and its limits.
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String = "127.0.0.1"
    /// Port to bind.
    public var port: Int = 8080
    /// Where the data comes from.
    public var data: any DataSource
    /// The styles on offer.
    public var styles: StyleCatalog
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
    /// Longest wait for a request's head, from the connection's opening or its first byte (nginx's
    /// `client_header_timeout`): a client that sends half a request is closed after it.
    public var headerTimeout: Duration = .seconds(60)
    /// Longest wait for the next request on a keep-alive connection (nginx's `keepalive_timeout`).
    public var idleTimeout: Duration = .seconds(75)
    /// Longest a client may leave its answer unread, the socket's buffer full (nginx's
    /// `send_timeout`): a client that never reads is closed after it.
    public var sendTimeout: Duration = .seconds(60)
    /// File descriptors kept from connections for everything else: the process's own files, data
    /// reloads, fonts and renders. Connections beyond `ulimit -n` minus this push out idle ones.
    public var fileDescriptorReserve: Int = 128
    /// Renders at once (the cores).
    public var renderWorkers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// A configuration with the given data, styles and viewer, and defaults for the rest.
    public init(data: any DataSource, styles: StyleCatalog, viewerDirectory: URL? = nil) {
        self.data = data
        self.styles = styles
        self.viewerDirectory = viewerDirectory
    }
}
