import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Hummingbird
import Prometheus

/// The map routes: tiles, their TileJSON and legends. Handlers parse, ask the map source, format.
struct TileRoutes: Sendable {
    let service: TileService
    let configuration: ServerConfiguration

    func register(on router: Router<BasicRequestContext>) {
        // The TileJSON's `date` segment is the file name "{date}.json" (one parameter name per
        // position, as the router requires).
        router.getAndHead("/styles/:style/:date", use: tileJSON)
        router.getAndHead("/styles/:style/:date/legend.json", use: legend)
        router.getAndHead("/styles/:style/:date/:z/:x/:file", use: tile)
    }

    @Sendable func tile(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let data = service.source.data
        let parameters = context.parameters
        let tile = try TileRequest(
            style: try parameters.require("style"), date: try parameters.require("date"), z: try parameters.require("z"),
            x: try parameters.require("x"), file: try parameters.require("file"),
            version: request.uri.queryParameters["v"].map(String.init),
            language: request.uri.queryParameters["lang"].map(String.init), data: data)
        // Answered before rendering: a client that has the tile costs no render.
        if tile.isHeld(by: request.head) { return Response(status: .notModified, headers: tile.headers(notModified: true)) }
        let png = try await service.tile(data, tile)
        return Response(status: .ok, headers: tile.headers(notModified: false), body: .init(byteBuffer: png))
    }

    @Sendable func tileJSON(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let data = service.source.data
        let style = try context.parameters.require("style")
        let file = try context.parameters.require("date")
        guard let (stem, scale) = retinaFile(file, ending: ".json") else { throw APIError(.notFound, "no such resource") }
        let retina = scale == 2
        let language = try LabelLanguage.parse(request.uri.queryParameters["lang"].map(String.init))
        let tileSet = try service.source.tileSet(data, style: style, date: try data.date(String(stem)), scale: scale)
        let tiles = "\(configuration.baseURL(for: request))/styles/\(style)/\(stem)/{z}/{x}/{y}\(retina ? "@2x" : "").png?v=\(data.version)"
            + (language.map { "&lang=\($0)" } ?? "")
        return conditional(request, json(tileSet.tileJSON(tiles: tiles)))
    }

    @Sendable func legend(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let data = service.source.data
        let style = try context.parameters.require("style")
        let date = try data.date(try context.parameters.require("date"))
        let source = service.source
        let entries = try await offloaded { try source.legend(data, style: style, subject: .date(date)) }
        return conditional(request, json(.object(["entries": .array(entries.map(legendJSON))])))
    }
}

/// The dataset and its analyses: key dates, styles on offer, changes, overlaps and events.
struct DataRoutes: Sendable {
    let source: MapSource

    func register(on router: Router<BasicRequestContext>) {
        router.getAndHead("/dates.json", use: dates)
        router.getAndHead("/styles.json", use: styles)
        router.getAndHead("/control.geojson", use: control)
        router.getAndHead("/changes.geojson", use: changes)
        router.getAndHead("/overlaps.json", use: overlaps)
        router.getAndHead("/events.geojson", use: events)
    }

    @Sendable func dates(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let m = source.data.metadata
        return conditional(request, json(.object([
            "title": .string(m.title), "attribution": .string(m.attribution),
            "first": .string(m.temporalExtent.lowerBound.description), "last": .string(m.temporalExtent.upperBound.description),
            "default": .string(m.defaultDate.description),
            "bbox": .array([m.bbox.minX, m.bbox.minY, m.bbox.maxX, m.bbox.maxY].map { .number($0) }),
            "key_dates": TileSetMetadata.json(m.keyDates),
            "parties": .array(m.parties.map { .object(["id": .string($0.id), "name": .string($0.name)]) }),
        ])))
    }

    @Sendable func styles(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let names = source.data.styles.keys.sorted()
        return conditional(request, json(.object(["styles": .array(names.map { .object(["name": .string($0), "title": .string($0)]) })])))
    }

    /// Each party's ground on a date, dissolved (`frontline snapshot` as a web answer).
    @Sendable func control(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let data = source.data
        let date = try data.date(try query(request, "date"))
        let features = try await offloaded { try data.dataset.snapshot(on: date).features(parties: data.dataset.partiesWithNone) }
        return conditional(request, body(JSONWriter.featureCollection(features), type: "application/geo+json"))
    }

    @Sendable func changes(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let data = source.data
        let from = try data.date(try query(request, "from")), to = try data.date(try query(request, "to"))
        guard from < to else { throw MapRequestError(.inconsistent, "from (\(from)) must be earlier than to (\(to))") }
        let changes = try await offloaded { try data.dataset.changes(from: from, to: to) }
        return conditional(request, body(changes.geoJSON, type: "application/geo+json"))
    }

    @Sendable func overlaps(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let data = source.data
        let date = try data.date(try query(request, "date"))
        let report = try await offloaded { try data.dataset.overlaps(on: date) }
        return conditional(request, body(report.json, type: "application/json"))
    }

    @Sendable func events(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let data = source.data
        let from = try data.date(try query(request, "from")), to = try data.date(try query(request, "to"))
        let events = data.dataset.events.filter { $0.date >= from && $0.date <= to }.sorted { $0.date > $1.date }
        let features = events.map { e in
            GeoJSONFeature(geometry: e.geometry, properties: [("date", .string(e.date.description)), ("kind", .string(e.kind)),
                                                               ("title", .string(e.title)), ("source", e.source.map { .string($0) } ?? .null)])
        }
        return conditional(request, body(JSONWriter.featureCollection(features), type: "application/geo+json"))
    }
}

/// What operators watch: liveness and Prometheus metrics.
struct OperationsRoutes: Sendable {
    let service: TileService
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<BasicRequestContext>) {
        router.getAndHead("/health", use: health)
        router.getAndHead("/metrics", use: metrics)
    }

    @Sendable func health(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        json(.object(["status": .string(service.source.source.isDegraded ? "degraded" : "ok"), "version": .string(FrontlineVersion.current), "data_version": .string(service.source.data.version),
                      "tiles_cached": .number(Double(service.cache.count)),
                      "tiles_rendered": .number(Double(service.pool.renders.load(ordering: .relaxed)))]), cache: "no-store")
    }

    @Sendable func metrics(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}
