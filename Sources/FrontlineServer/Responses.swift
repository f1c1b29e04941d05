import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Hummingbird

// What the handlers share: bodies with ETags, 304s, query parameters, work off the event loop.

/// How data answers (TileJSON, GeoJSON, dates) are cached: stored, but revalidated with their
/// ETag on every use (a 304 when unchanged), so that browsers and a cache in front (nginx) see a
/// new version of the data, and the new `?v=` of its tiles, as soon as the server has it.
let dataCacheControl = "public, no-cache"

/// A JSON response with an ETag of its body.
func json(_ value: JSONValue, cache: String = dataCacheControl) -> Response {
    var w = JSONWriter()
    w.value(value)
    w.raw("\n")
    return body(w.bytes, type: "application/json", cache: cache)
}

/// A response with `bytes` as its body, an ETag of them and CORS open to all.
func body(_ bytes: [UInt8], type: String, cache: String = dataCacheControl) -> Response {
    var etag = FNV1a()
    etag.add(bytes)
    return Response(status: .ok, headers: [.contentType: "\(type); charset=utf-8", .eTag: "\"\(etag.hex)\"", .cacheControl: cache,
                                           .accessControlAllowOrigin: "*"],
                    body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
}

/// `304 Not Modified` when the client already has this ETag.
func conditional(_ request: Request, _ response: Response) -> Response {
    guard let tag = response.headers[.eTag], clientHas(tag, request.headers[.ifNoneMatch]) else { return response }
    return Response(status: .notModified, headers: [.eTag: tag, .cacheControl: response.headers[.cacheControl] ?? dataCacheControl,
                                                    .accessControlAllowOrigin: "*"])
}

/// A query parameter that must be there.
func query(_ request: Request, _ name: String) throws -> String {
    guard let value = request.uri.queryParameters[name[...]] else { throw APIError(.badRequest, "the query parameter '\(name)' is missing") }
    return String(value)
}

/// Runs CPU-heavy work (an analysis, a scene) off the event loop.
func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try work() }) }
    }
}

/// A legend entry as the viewer reads it.
func legendJSON(_ entry: LegendEntry) -> JSONValue {
    func hex(_ c: Color) -> JSONValue { .string(c.withOpacity(1 / max(c.alpha, 1e-9)).description) }
    switch entry.swatch {
    case .fill(let color, let outline):
        return .object(["label": .string(entry.label), "kind": .string("fill"), "color": hex(color), "opacity": .number(color.alpha),
                        "outline": outline.map(hex) ?? .null])
    case .hatch(let color, let tint):
        return .object(["label": .string(entry.label), "kind": .string("hatch"), "color": hex(color), "tint": hex(tint), "opacity": .number(tint.alpha)])
    case .line(let color, let width, let dash):
        return .object(["label": .string(entry.label), "kind": .string("line"), "color": hex(color), "opacity": .number(color.alpha),
                        "width": .number(width), "dash": .array(dash.map { .number($0) })])
    case .circle(let color, let radius, let stroke, let strokeWidth):
        return .object(["label": .string(entry.label), "kind": .string("circle"), "color": hex(color), "opacity": .number(color.alpha),
                        "radius": .number(radius), "outline": stroke.map(hex) ?? .null, "width": .number(strokeWidth)])
    case .triangle(let color, let radius, let stroke, let strokeWidth):
        return .object(["label": .string(entry.label), "kind": .string("triangle"), "color": hex(color), "opacity": .number(color.alpha),
                        "radius": .number(radius), "outline": stroke.map(hex) ?? .null, "width": .number(strokeWidth)])
    }
}
