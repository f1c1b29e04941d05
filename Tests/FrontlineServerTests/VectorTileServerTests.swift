import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FrontlineServer
import FrontlineTiles

/// The vector tile routes driven in-process: content type, the PNG tiles' ETag/304 and
/// `Cache-Control` rules, `?from=`, errors, and TileJSON with `vector_layers`.
@Suite struct VectorTileServerTests {
    /// Zoom 10 around Parukh (the change of March 2022 lies in it).
    static let parukh = "10/645/387"

    @Test func vectorTilesAnswerWithTheTileRulesForCaching() async throws {
        let (app, service) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.router) { client in
            var etag = ""
            try await client.execute(uri: "/tiles/2022-03-26/\(Self.parukh).mvt", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/vnd.mapbox-vector-tile")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(response.headers[.cacheControl] == "public, max-age=60", "unversioned: short")
                // Tile.layers is field 3, length-delimited: every tile starts with 0x1A.
                #expect(response.body.readableBytesView.first == 0x1A && response.body.readableBytes > 1000)
                etag = try #require(response.headers[.eTag])
            }
            try await client.execute(uri: "/tiles/2022-03-26/\(Self.parukh).mvt", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified && response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == etag)
            }
            try await client.execute(uri: "/tiles/2022-03-26/\(Self.parukh).mvt", method: .head) { response in
                #expect(response.status == .ok && response.headers[.eTag] == etag && response.body.readableBytes == 0)
            }
            let version = service.source.data.version
            try await client.execute(uri: "/tiles/2022-03-26/\(Self.parukh).mvt?v=\(version)", method: .get) { response in
                #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable", "versioned: immutable")
                #expect(response.headers[.eTag] == etag, "the same bytes")
            }
            try await client.execute(uri: "/tiles/latest/\(Self.parukh).mvt?v=\(version)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "public, max-age=60", "latest moves: never immutable")
            }
            try await client.execute(uri: "/tiles/2022-03-26/\(Self.parukh).mvt?from=2022-03-01&v=\(version)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable")
                #expect(response.headers[.eTag] != etag, "a change is another tile")
                #expect(String(buffer: response.body).contains("area_km2"))
            }
            try await client.execute(uri: "/tiles/2022-03-26/\(Self.parukh).mvt", method: .get) { response in
                #expect(!String(buffer: response.body).contains("area_km2"), "no changes layer without ?from=")
            }
        }
        // Three tiles (the date's, the latest date's, the change's), each made once and then
        // answered from the cache the PNG tiles use.
        #expect(service.cache.count == 3 && service.pool.renders.load(ordering: .relaxed) == 3)
    }

    @Test func vectorTilesTravelGzippedToClientsThatTakeGzip() async throws {
        let (app, service) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.router) { client in
            let uri = "/tiles/2022-03-26/\(Self.parukh).mvt"
            var plain: [UInt8] = [], plainTag = ""
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.headers[.contentEncoding] == nil && response.headers[.vary] == "Accept-Encoding")
                plain = Array(buffer: response.body)
                plainTag = try #require(response.headers[.eTag])
            }
            try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip, deflate, br"]) { response in
                #expect(response.status == .ok && response.headers[.contentEncoding] == "gzip")
                #expect(response.headers[.vary] == "Accept-Encoding")
                let zipped = Array(buffer: response.body)
                #expect(zipped.starts(with: [0x1F, 0x8B]) && zipped.count < plain.count)
                #expect(try Gzip.decompress(zipped) == plain, "the same tile once unzipped")
                let tag = try #require(response.headers[.eTag])
                #expect(tag != plainTag, "two representations, two ETags")
                try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip", .ifNoneMatch: tag]) { again in
                    #expect(again.status == .notModified)
                }
            }
            // q=0 refuses it.
            try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip;q=0, identity"]) { response in
                #expect(response.headers[.contentEncoding] == nil && Array(buffer: response.body) == plain)
            }
        }
        // One tile drawn and kept, whichever way it was sent.
        #expect(service.cache.count == 1 && service.pool.renders.load(ordering: .relaxed) == 1)
    }

    @Test(arguments: [
        ("/tiles/2022-03-26/19/0/0.mvt", HTTPResponse.Status.badRequest, "zoom 0–18"),
        ("/tiles/2022-03-26/10/1024/0.mvt", .badRequest, "x and y"),
        ("/tiles/2022-03-26/10/645/x.mvt", .badRequest, "x and y"),
        ("/tiles/2022-02-30/10/645/387.mvt", .badRequest, "not a date"),
        ("/tiles/2031-01-01/10/645/387.mvt", .notFound, "outside the data"),
        ("/tiles/2022-03-26/10/645/387.pbf", .notFound, "end in .mvt"),
        ("/tiles/2022-03-26/10/645/387.mvt?from=yesterday", .badRequest, "not a date"),
        ("/tiles/2022-03-26/10/645/387.mvt?from=2022-03-26", .badRequest, "earlier"),
        ("/tiles/2022-03-26/10/645/387.mvt?from=2031-01-01", .notFound, "outside the data"),
        ("/tiles/2022-03-26.json?from=2022-04-01", .badRequest, "earlier"),
        ("/tiles/someday.json", .badRequest, "not a date"),
        ("/tiles/2022-03-26.xml", .notFound, "no such resource"),
    ])
    func badVectorTileRequestsGetSmallJSONErrors(uri: String, status: HTTPResponse.Status, message: String) async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == status, "\(uri)")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(String(buffer: response.body).contains(message), "\(uri): \(String(buffer: response.body))")
            }
        }
    }

    @Test func tileJSONListsTheVectorLayersAndVersionedTiles() async throws {
        var configuration = ServerTests.configuration()
        configuration.publicURL = "https://maps.example.org/"
        let (app, service) = try ServerTests.application(configuration)
        let version = service.source.data.version
        try await app.test(.router) { client in
            func tileJSON(_ uri: String) async throws -> [String: Any] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "public, no-cache")
                    return try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
                }
            }
            func layers(_ json: [String: Any]) -> [String: [String: Any]] {
                Dictionary(uniqueKeysWithValues: (json["vector_layers"] as? [[String: Any]] ?? []).map { ($0["id"] as? String ?? "", $0) })
            }
            let date = try await tileJSON("/tiles/2022-03-26.json")
            #expect(date["tilejson"] as? String == "3.0.0" && date["format"] as? String == "pbf")
            #expect(date["tiles"] as? [String] == ["https://maps.example.org/tiles/2022-03-26/{z}/{x}/{y}.mvt?v=\(version)"])
            #expect(date["minzoom"] as? Int == 0 && date["maxzoom"] as? Int == 14 && date["tileSize"] == nil)
            #expect(Set(layers(date).keys) == ["control", "zones", "villages", "heights", "pipeline"])
            let control = try #require(layers(date)["control"])
            #expect(Set((control["fields"] as? [String: String] ?? [:]).keys) == ["controlled_by", "party_name"])
            #expect(control["minzoom"] as? Int == 0 && control["maxzoom"] as? Int == 14)
            #expect((layers(date)["villages"]?["fields"] as? [String: String])?["changed"] == nil)

            let change = try await tileJSON("/tiles/2022-03-28.json?from=2022-03-01")
            #expect(change["tiles"] as? [String] == ["https://maps.example.org/tiles/2022-03-28/{z}/{x}/{y}.mvt?v=\(version)&from=2022-03-01"])
            #expect(Set((layers(change)["changes"]?["fields"] as? [String: String] ?? [:]).keys) == ["from", "to", "from_name", "to_name", "area_km2"])
            #expect((layers(change)["villages"]?["fields"] as? [String: String])?["changed"]?.hasPrefix("Boolean") == true)
            // The URL it gives is served, immutable.
            try await client.execute(uri: "/tiles/2022-03-28/\(Self.parukh).mvt?v=\(version)&from=2022-03-01", method: .get) { response in
                #expect(response.status == .ok && response.headers[.cacheControl] == "public, max-age=31536000, immutable")
            }
        }
    }
}
