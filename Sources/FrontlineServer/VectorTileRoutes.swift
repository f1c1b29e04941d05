import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import FrontlineTiles
import Hummingbird

/// Mapbox Vector Tiles and their TileJSON: `/tiles/{date}/{z}/{x}/{y}.mvt` and `/tiles/{date}.json`,
/// each with an optional `?from=DATE` for what changed up to the date. Cached, drawn and answered
/// with the same ETag, `?v=` and `Cache-Control` rules as the PNG tiles.
struct VectorTileRoutes: Sendable {
    let service: TileService
    let configuration: ServerConfiguration

    static let contentType = "application/vnd.mapbox-vector-tile"

    func register(on router: Router<BasicRequestContext>) {
        // "{date}.json" is the `date` segment, as for the PNG tiles' TileJSON.
        router.getAndHead("/tiles/:date", use: tileJSON)
        router.getAndHead("/tiles/:date/:z/:x/:file", use: tile)
    }

    @Sendable func tile(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let data = service.source.data
        let parameters = context.parameters
        let tile = try VectorTileRequest(
            date: try parameters.require("date"), z: try parameters.require("z"), x: try parameters.require("x"),
            file: try parameters.require("file"), from: request.uri.queryParameters["from"].map(String.init),
            version: request.uri.queryParameters["v"].map(String.init), data: data)
        func headers(notModified: Bool) -> HTTPFields {
            tileHeaders(type: VectorTileRoutes.contentType, etag: tile.etag, cacheControl: tile.cacheControl, notModified: notModified)
        }
        // Answered before encoding: a client that has the tile costs nothing.
        if clientHas(tile.etag, request.headers[.ifNoneMatch]) { return Response(status: .notModified, headers: headers(notModified: true)) }
        let source = service.source
        let bytes = try await service.tile(tile.key) { try source.vectorTile(data, tile.subject, tile: tile.tile) }
        return Response(status: .ok, headers: headers(notModified: false), body: .init(byteBuffer: bytes))
    }

    @Sendable func tileJSON(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let data = service.source.data
        let file = try context.parameters.require("date")
        guard file.hasSuffix(".json") else { throw APIError(.notFound, "no such resource") }
        let dateText = String(file.dropLast(5))
        let from = request.uri.queryParameters["from"].map(String.init)
        let subject = try VectorTileRequest.subject(date: dateText, from: from, data: data)
        let query = "?v=\(data.version)" + (from.map { "&from=\($0)" } ?? "")
        let tiles = "\(configuration.baseURL(for: request))/tiles/\(dateText)/{z}/{x}/{y}.mvt\(query)"
        return conditional(request, json(service.source.vectorTileJSON(data, subject, tiles: tiles)))
    }
}

/// A vector tile URL checked against one data version: its subject, cache key and headers.
struct VectorTileRequest {
    let subject: MapSubject
    let tile: TileCoordinate
    let key: TileKey
    /// The ETag, quoted: the same for the same data files, across restarts.
    let etag: String
    let cacheControl: String

    /// Parses the route's parts; throws the API's 400/404 errors for anything else.
    init(date dateText: String, z zText: String, x xText: String, file: String, from: String?, version: String?, data: MapData) throws {
        guard file.hasSuffix(".mvt") else { throw APIError(.notFound, "vector tiles end in .mvt") }
        let stem = file.dropLast(4)
        guard let z = Int(zText), let x = Int(xText), let y = Int(stem), z >= 0, z <= 18,
              let tile = TileCoordinate(z: z, x: x, y: y) else {
            throw MapRequestError(.malformed, "no tile \(zText)/\(xText)/\(stem): zoom 0–18, and x and y from 0 to 2^zoom − 1")
        }
        self.tile = tile
        subject = try VectorTileRequest.subject(date: dateText, from: from, data: data)
        let fromDay = subject.earlierDate?.dayNumber
        key = TileKey(serial: data.serial, style: "", day: subject.controlDate.dayNumber, tile: tile, scale: 0, format: .mvt(fromDay: fromDay))
        var hash = data.versionHash
        hash.add("mvt")
        hash.add(key.day)
        hash.add(fromDay ?? -1)
        hash.add(tile.z)
        hash.add(tile.x)
        hash.add(tile.y)
        etag = "\"\(hash.hex)\""
        cacheControl = tileCacheControl(version: version, dateText: dateText, data: data)
    }

    /// A date's map, or with `from`, the change from that earlier date to it.
    static func subject(date dateText: String, from: String?, data: MapData) throws -> MapSubject {
        let date = try data.date(dateText)
        guard let from else { return .date(date) }
        let start = try data.date(from)
        guard start < date else { throw MapRequestError(.inconsistent, "from (\(start)) must be earlier than the date (\(date))") }
        return .change(from: start, to: date)
    }
}

extension ServerConfiguration {
    /// Where clients reach this server, without a trailing `/`: `--public-url`, else the host the
    /// request named, else the address listened on.
    func baseURL(for request: Request) -> String {
        let base = publicURL ?? "http://\(request.head.authority ?? "\(host):\(port)")"
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }
}
