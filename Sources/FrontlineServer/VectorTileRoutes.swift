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
        // Kept gzipped (what web maps ask for, and what MBTiles holds); unzipped for a client
        // that does not take gzip. Two representations: two ETags, and `Vary`.
        let gzipped = acceptsGzip(request.headers[.acceptEncoding])
        let etag = gzipped ? String(tile.etag.dropLast()) + "-gzip\"" : tile.etag
        func headers(notModified: Bool) -> HTTPFields {
            var fields = tileHeaders(type: VectorTileRoutes.contentType, etag: etag, cacheControl: tile.cacheControl, notModified: notModified)
            fields[.vary] = "Accept-Encoding"
            if gzipped, !notModified { fields[.contentEncoding] = "gzip" }
            return fields
        }
        // Answered before encoding: a client that has the tile costs nothing.
        if clientHas(etag, request.headers[.ifNoneMatch]) { return Response(status: .notModified, headers: headers(notModified: true)) }
        let source = service.source
        let bytes = try await service.tile(tile.key) { try Gzip.compress(try source.vectorTile(data, tile.subject, tile: tile.tile)) }
        let body = gzipped ? bytes : ByteBuffer(bytes: try Gzip.decompress(Array(buffer: bytes)))
        return Response(status: .ok, headers: headers(notModified: false), body: .init(byteBuffer: body))
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

/// True when an `Accept-Encoding` value takes gzip (by name or `*`, with a q-value above 0).
func acceptsGzip(_ acceptEncoding: String?) -> Bool {
    guard let acceptEncoding else { return false }
    return acceptEncoding.split(separator: ",").contains { item in
        let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let name = parts.first, name == "gzip" || name == "x-gzip" || name == "*" else { return false }
        let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
        return q > 0
    }
}
