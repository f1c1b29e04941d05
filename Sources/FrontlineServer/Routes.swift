import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Hummingbird
import Prometheus

/// The endpoints of PRODUCT.md. Handlers only parse, delegate and format.
struct Routes: Sendable {
    let service: TileService
    let configuration: ServerConfiguration

    func register(on router: Router<BasicRequestContext>) {
        router.getAndHead("/health") { _, _ in
            let data = service.store.snapshot
            return json(.object(["status": .string("ok"), "version": .string(data.version),
                                 "tiles_cached": .number(Double(service.cache.count))]), cache: "no-store")
        }
        router.getAndHead("/metrics") { _, _ in
            var buffer: [UInt8] = []
            FrontlineApplication.registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.getAndHead("/dates.json") { request, _ in
            let m = service.store.snapshot.dataset.metadata
            return conditional(request, json(.object([
                "title": .string(m.title), "attribution": .string(m.attribution),
                "first": .string(m.temporalExtent.lowerBound.description), "last": .string(m.temporalExtent.upperBound.description),
                "default": .string(m.defaultDate.description),
                "bbox": .array([m.bbox.minX, m.bbox.minY, m.bbox.maxX, m.bbox.maxY].map { .number($0) }),
                "key_dates": .array(m.keyDates.map { .object(["date": .string($0.date.description), "label": .string($0.label)]) }),
                "parties": .array(m.parties.map { .object(["id": .string($0.id), "name": .string($0.name)]) }),
            ])))
        }
        router.getAndHead("/styles.json") { request, _ in
            let styles = service.store.snapshot.styles
            return conditional(request, json(.object(["styles": .array(styles.keys.sorted().map { name in
                .object(["name": .string(name), "title": .string(name)])
            })])))
        }
        // The TileJSON's `date` segment is the file name "{date}.json" (one parameter name per
        // position, as the router requires).
        router.getAndHead("/styles/:style/:date") { request, context in
            let data = service.store.snapshot
            let name = try context.parameters.require("style")
            let file = try context.parameters.require("date")
            guard file.hasSuffix(".json") else { throw APIError(.notFound, "no such resource") }
            var stem = String(file.dropLast(5))
            let retina = stem.hasSuffix("@2x")
            if retina { stem = String(stem.dropLast(3)) }
            _ = try data.style(name)
            let date = try data.date(stem)
            return conditional(request, json(tileJSON(data, style: name, dateText: stem, date: date, retina: retina, request: request)))
        }
        router.getAndHead("/styles/:style/:date/legend.json") { request, context in
            let data = service.store.snapshot
            let date = try data.date(try context.parameters.require("date"))
            let renderer = try service.tileRenderer(data, style: try context.parameters.require("style"), date: date).renderer
            let extent = renderer.scene.extent
            let zoom = max(0, min(18, log2(2 * WebMercator.halfWorld / max(extent.width, extent.height)) + 1))
            return conditional(request, json(.object(["entries": .array(renderer.legend(zoom: zoom, in: extent).map(legendJSON))])))
        }
        router.getAndHead("/styles/:style/:date/:z/:x/:file") { request, context in
            let data = service.store.snapshot
            let parameters = context.parameters
            let tile = try TileRequest(
                style: try parameters.require("style"), date: try parameters.require("date"), z: try parameters.require("z"),
                x: try parameters.require("x"), file: try parameters.require("file"),
                version: request.uri.queryParameters["v"].map(String.init), data: data)
            // Answered before rendering: a client that has the tile costs no render.
            if tile.isHeld(by: request.head) { return Response(status: .notModified, headers: tile.headers(notModified: true)) }
            let png = try await service.tile(data, tile)
            return Response(status: .ok, headers: tile.headers(notModified: false), body: .init(byteBuffer: png))
        }
        router.getAndHead("/changes.geojson") { request, _ in
            let data = service.store.snapshot
            let from = try data.date(try query(request, "from")), to = try data.date(try query(request, "to"))
            guard from < to else { throw APIError(.badRequest, "from (\(from)) must be earlier than to (\(to))") }
            let changes = try await offloaded { try data.dataset.changes(from: from, to: to) }
            return conditional(request, body(changes.geoJSON, type: "application/geo+json"))
        }
        router.getAndHead("/overlaps.json") { request, _ in
            let data = service.store.snapshot
            let date = try data.date(try query(request, "date"))
            let report = try await offloaded { try data.dataset.overlaps(on: date) }
            return conditional(request, body(report.json, type: "application/json"))
        }
        router.getAndHead("/events.geojson") { request, _ in
            let data = service.store.snapshot
            let from = try data.date(try query(request, "from")), to = try data.date(try query(request, "to"))
            let events = data.dataset.events.filter { $0.date >= from && $0.date <= to }.sorted { $0.date > $1.date }
            let features = events.map { e in
                GeoJSONFeature(geometry: e.geometry, properties: [("date", .string(e.date.description)), ("kind", .string(e.kind)),
                                                                   ("title", .string(e.title)), ("source", e.source.map { .string($0) } ?? .null)])
            }
            return conditional(request, body(JSONWriter.featureCollection(features), type: "application/geo+json"))
        }
        StaticFiles(viewerOverride: configuration.viewerDirectory, leaflet: configuration.leafletDirectory).register(on: router)
    }

    private func tileJSON(_ data: ServedData, style: String, dateText: String, date: CalendarDate, retina: Bool, request: Request) -> JSONValue {
        let base = configuration.publicURL ?? "http://\(request.head.authority ?? "\(configuration.host):\(configuration.port)")"
        let m = data.dataset.metadata
        let suffix = retina ? "@2x" : ""
        return .object([
            "tilejson": .string("3.0.0"),
            "name": .string("\(m.title) — \(date.longDescription) (\(style))"),
            "description": .string("Control as of \(date.longDescription)"),
            "attribution": .string(htmlEscaped(m.attribution)),
            "scheme": .string("xyz"),
            "tiles": .array([.string("\(base.hasSuffix("/") ? String(base.dropLast()) : base)/styles/\(style)/\(dateText)/{z}/{x}/{y}\(suffix).png?v=\(data.version)")]),
            "minzoom": .number(0), "maxzoom": .number(18),
            "bounds": .array([m.bbox.minX, m.bbox.minY, m.bbox.maxX, m.bbox.maxY].map { .number($0) }),
            "center": .array([.number((m.bbox.minX + m.bbox.maxX) / 2), .number((m.bbox.minY + m.bbox.maxY) / 2), .number(8)]),
            "tileSize": .number(retina ? 512 : 256),
            "date": .string(date.description),
            "key_dates": .array(m.keyDates.map { .object(["date": .string($0.date.description), "label": .string($0.label)]) }),
        ])
    }
}

// MARK: Helpers shared by the handlers

/// A JSON response with an ETag of its body.
func json(_ value: JSONValue, cache: String = "public, max-age=60") -> Response {
    var w = JSONWriter()
    w.value(value)
    w.raw("\n")
    return body(w.bytes, type: "application/json", cache: cache)
}

func body(_ bytes: [UInt8], type: String, cache: String = "public, max-age=60") -> Response {
    var etag = FNV1a()
    etag.add(bytes)
    return Response(status: .ok, headers: [.contentType: "\(type); charset=utf-8", .eTag: "\"\(etag.hex)\"", .cacheControl: cache,
                                           .accessControlAllowOrigin: "*"],
                    body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
}

/// `304 Not Modified` when the client already has this ETag.
func conditional(_ request: Request, _ response: Response) -> Response {
    guard let tag = response.headers[.eTag], clientHas(tag, request.headers[.ifNoneMatch]) else { return response }
    return Response(status: .notModified, headers: [.eTag: tag, .cacheControl: response.headers[.cacheControl] ?? "public, max-age=60",
                                                    .accessControlAllowOrigin: "*"])
}


func query(_ request: Request, _ name: String) throws -> String {
    guard let value = request.uri.queryParameters[name[...]] else { throw APIError(.badRequest, "the query parameter '\(name)' is missing") }
    return String(value)
}

/// Runs CPU-heavy work (an analysis) off the event loop.
func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try work() }) }
    }
}

func htmlEscaped(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        .replacingOccurrences(of: "\"", with: "&quot;")
}

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
    }
}
