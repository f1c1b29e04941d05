import Foundation
import HTTPTypes
import Metrics
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Answers `GET` requests for tiles already in the cache straight from the connection's event loop,
/// the way a tile server's front cache does; everything else goes on to the router unchanged.
///
/// A cached tile is most of what a busy tile server sends, and on the router's path each costs a
/// task, two thread hops and the middleware chain — several times the cost of the bytes. The answer
/// is the router's answer (the same ``TileRequest`` headers, `304` for a held ETag, `Date`,
/// `Server`, and the same request metrics); anything the handler cannot answer exactly as the
/// router would (another method, a body, escapes, a miss, an error) is passed on.
///
/// One per connection. HTTP/1.1 answers must keep the requests' order, so a request is answered
/// here only when no earlier request of the connection is still with the router, and never after
/// one that asked to close the connection. Hummingbird's connection state handler, further in,
/// does not see these requests, so its idle timeout stays off: ``SlowClientHandler``, in front of
/// this one, sees them and keeps the timeouts.
final class CachedTileHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let service: TileService
    private let metrics: CachedTileMetrics
    /// Requests passed to the router whose answers have not ended yet.
    private var withRouter = 0
    /// True between a head answered here and the end of that request.
    private var discarding = false
    /// Set once a request asked for the connection to close: the router answers the rest.
    private var closing = false

    init(service: TileService, metrics: CachedTileMetrics) {
        self.service = service
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            let start = DispatchTime.now().uptimeNanoseconds
            // A client that is not reading its answers waits behind the router's back-pressure.
            if !closing, withRouter == 0, context.channel.isWritable, let (head, body) = answer(request) {
                discarding = true
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                if let body { context.write(wrapOutboundOut(.body(body)), promise: nil) }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                metrics.record(head.status, nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
                return
            }
            if let connection = request.headerFields[.connection], !Self.onlyKeepAlive(connection) { closing = true }
            withRouter += 1
            context.fireChannelRead(data)
        case .body:
            if !discarding { context.fireChannelRead(data) }
        case .end:
            if discarding { discarding = false } else { context.fireChannelRead(data) }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // (An answer to no request, such as the 400 for an unreadable one, counts for nothing.)
        if case .end = unwrapOutboundIn(data) { withRouter = max(0, withRouter - 1) }
        context.write(data, promise: promise)
    }

    /// The router's answer when it is a cached tile or its `304`; nil to pass the request on.
    private func answer(_ request: HTTPRequest) -> (HTTPResponse, ByteBuffer?)? {
        guard request.method == .get, let path = request.path, path.utf8.count <= RequestLimits.maximumURILength,
              request.headerFields[.contentLength] == nil, request.headerFields[.transferEncoding] == nil,
              request.headerFields[.connection].map(Self.onlyKeepAlive) ?? true,
              let parts = TileRequest.parts(ofPath: path) else { return nil }
        let data = service.source.data
        guard let tile = try? TileRequest(style: parts.style, date: parts.date, z: parts.z, x: parts.x, file: parts.file,
                                          version: parts.version, language: parts.language, data: data) else { return nil }
        if tile.isHeld(by: request) {
            return (HTTPResponse(status: .notModified, headerFields: serverFields(tile.headers(notModified: true), bodyLength: nil)), nil)
        }
        guard let png = service.cached(tile) else { return nil }
        return (HTTPResponse(status: .ok, headerFields: serverFields(tile.headers(notModified: false), bodyLength: png.readableBytes)), png)
    }

    /// True for `Connection: keep-alive` (what browsers send); anything else — `close`, an
    /// upgrade — is the router's business.
    static func onlyKeepAlive(_ connection: String) -> Bool {
        connection.split(separator: ",").allSatisfy { $0.trimmingCharacters(in: .whitespaces).lowercased() == "keep-alive" }
    }

    /// What Hummingbird adds to every answer.
    private func serverFields(_ fields: HTTPFields, bodyLength: Int?) -> HTTPFields {
        var fields = fields
        if let bodyLength { fields.append(HTTPField(name: .contentLength, value: String(bodyLength))) }
        fields.append(HTTPField(name: .date, value: HTTPDate.now))
        fields.append(HTTPField(name: .server, value: FrontlineServer.serverName))
        return fields
    }
}

/// The router's request metrics for the tile route, shared by every connection's handler.
final class CachedTileMetrics: Sendable {
    static let route = "/styles/{style}/{date}/{z}/{x}/{file}"
    private let ok: (Counter, Metrics.Timer)
    private let notModified: (Counter, Metrics.Timer)

    init() {
        func series(_ status: HTTPResponse.Status) -> (Counter, Metrics.Timer) {
            // The labels and dimensions of Hummingbird's MetricsMiddleware, so that both add to one series.
            let dimensions = [("http.route", Self.route), ("http.request.method", "GET"), ("http.response.status_code", status.code.description)]
            return (Counter(label: "hb.requests", dimensions: dimensions),
                    Metrics.Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds))
        }
        ok = series(.ok)
        notModified = series(.notModified)
    }

    func record(_ status: HTTPResponse.Status, nanoseconds: UInt64) {
        let (counter, timer) = status == .ok ? ok : notModified
        counter.increment()
        timer.recordNanoseconds(Int64(nanoseconds))
    }
}

/// The `Date` header's value (RFC 9110 IMF-fixdate), formatted once a second.
enum HTTPDate {
    private static let last = Mutex<(second: Int, text: String)>((-1, ""))

    static var now: String {
        var seconds = time(nil)
        return last.withLock { last in
            if last.second == seconds { return last.text }
            var parts = tm()
            gmtime_r(&seconds, &parts)
            let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
            let text = "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
                + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
            last = (seconds, text)
            return text
        }
    }
}
