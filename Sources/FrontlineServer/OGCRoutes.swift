import Foundation
import FrontlineOGC
import FrontlineData
import FrontlineRender
import Hummingbird

/// WMS at `/wms` and WMTS at `/wmts` (KVP) and `/wmts/1.0.0/WMTSCapabilities.xml` (RESTful):
/// the requests are read and answered by FrontlineOGC; WMTS tiles are the XYZ tiles.
struct OGCRoutes: Sendable {
    let service: TileService
    let configuration: ServerConfiguration

    func register(on router: Router<BasicRequestContext>) {
        router.getAndHead("/wms", use: wms)
        router.getAndHead("/wmts", use: wmts)
        router.getAndHead("/wmts/1.0.0/WMTSCapabilities.xml", use: wmtsCapabilities)
    }

    @Sendable func wms(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let parameters = Self.parameters(request)
        let wms = WMSService(source: service.source), base = configuration.baseURL(for: request)
        // Drawing a map takes CPU: off the event loop.
        return conditional(request, answer(try await offloaded { wms.respond(parameters, base: base) }))
    }

    @Sendable func wmts(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        switch WMTSService(source: service.source).respond(Self.parameters(request), base: configuration.baseURL(for: request)) {
        case .document(let document):
            return conditional(request, answer(document))
        case .tile(let style, let date, let z, let x, let y):
            let data = service.source.data
            let tile = try TileRequest(style: style, date: date, z: "\(z)", x: "\(x)", file: "\(y).png", version: nil, data: data)
            if tile.isHeld(by: request.head) { return Response(status: .notModified, headers: tile.headers(notModified: true)) }
            let png = try await service.tile(data, tile)
            return Response(status: .ok, headers: tile.headers(notModified: false), body: .init(byteBuffer: png))
        }
    }

    @Sendable func wmtsCapabilities(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        conditional(request, answer(WMTSService(source: service.source).capabilities(base: configuration.baseURL(for: request))))
    }

    /// The query's parameters, names case-insensitive.
    private static func parameters(_ request: Request) -> OGCParameters {
        OGCParameters(request.uri.queryParameters.map { (String($0.key), String($0.value)) })
    }

    /// A document as a response with an ETag of its bytes: errors are not cached; the rest
    /// follows the data's rules (WMS URLs carry no version, so they are revalidated).
    private func answer(_ document: OGCDocument) -> Response {
        let text = document.type.hasPrefix("text/") || document.type.hasSuffix("xml") || document.type.hasSuffix("json")
        guard document.status == 200 else {
            var headers: HTTPFields = [.contentType: document.type + (text ? "; charset=utf-8" : ""), .cacheControl: "no-store", .accessControlAllowOrigin: "*"]
            // The store could not answer now: a retry soon may.
            if document.status == 503 { headers[.retryAfter] = "1" }
            return Response(status: .init(code: document.status), headers: headers,
                            body: .init(byteBuffer: ByteBuffer(bytes: document.bytes)))
        }
        if text { return body(document.bytes, type: document.type) }
        var etag = FNV1a()
        etag.add(document.bytes)
        return Response(status: .ok, headers: [.contentType: document.type, .eTag: "\"\(etag.hex)\"", .cacheControl: dataCacheControl,
                                               .accessControlAllowOrigin: "*"],
                        body: .init(byteBuffer: ByteBuffer(bytes: document.bytes)))
    }
}
