import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing
@testable import FrontlineServer

/// Cached tiles answered on the event loop: the same answer as the router's, in the requests' order.
@Suite struct CachedTileHandlerTests {
    static let cachedURL = "/styles/default/2022-03-26/9/322/194.png"
    static let otherURL = "/styles/default/2022-03-26/9/323/194.png"

    /// A service whose cache holds the tile at `cachedURL`.
    func serviceWithOneCachedTile() async throws -> TileService {
        let (_, service) = try ServerTests.application(ServerTests.configuration())
        let data = service.source.data
        let parts = try #require(TileRequest.parts(ofPath: Self.cachedURL))
        _ = try await service.tile(data, try TileRequest(style: parts.style, date: parts.date, z: parts.z, x: parts.x, file: parts.file,
                                                         version: nil, data: data))
        return service
    }

    func get(_ path: String, _ fields: HTTPFields = [:]) -> HTTPRequestPart {
        .head(HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: path, headerFields: fields))
    }

    @Test func theFastPathReadsTheVersionAndTheLanguageAndNothingElse() throws {
        let both = try #require(TileRequest.parts(ofPath: Self.cachedURL + "?lang=hy&v=7"))
        #expect(both.language == "hy" && both.version == "7")
        #expect(TileRequest.parts(ofPath: Self.cachedURL)?.language == nil)
        #expect(TileRequest.parts(ofPath: Self.cachedURL + "?lang=hy&lang=ru") == nil)
        #expect(TileRequest.parts(ofPath: Self.cachedURL + "?v=1&x=2") == nil)
        #expect(TileRequest.parts(ofPath: Self.cachedURL + "?lang=h+y") == nil)
    }

    @Test func aCachedTileIsAnsweredHereAndAnythingElseGoesOn() async throws {
        let service = try await serviceWithOneCachedTile()
        let channel = EmbeddedChannel(handler: CachedTileHandler(service: service, metrics: CachedTileMetrics()))
        // A miss goes on to the router, whole.
        try channel.writeInbound(get(Self.otherURL))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self).map { if case .head = $0 { true } else { false } } == true)
        #expect(try channel.readInbound(as: HTTPRequestPart.self) != nil)
        // The router answers it; then a cached tile is answered here and never reaches the router.
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        _ = try channel.readOutbound(as: HTTPResponsePart.self)
        _ = try channel.readOutbound(as: HTTPResponsePart.self)
        try channel.writeInbound(get(Self.cachedURL))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
        guard case .head(let head) = try channel.readOutbound(as: HTTPResponsePart.self),
              case .body(let body) = try channel.readOutbound(as: HTTPResponsePart.self),
              case .end = try channel.readOutbound(as: HTTPResponsePart.self) else {
            Issue.record("expected head, body and end")
            return
        }
        #expect(head.status == .ok)
        #expect(head.headerFields[.contentType] == "image/png")
        #expect(head.headerFields[.contentLength] == String(body.readableBytes))
        #expect(head.headerFields[.cacheControl] == "public, max-age=60")
        #expect(head.headerFields[.accessControlAllowOrigin] == "*")
        #expect(head.headerFields[.server] == "Frontline")
        #expect(head.headerFields[.date]?.hasSuffix(" GMT") == true)
        #expect(Array(body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        // Its ETag gives a 304 here too.
        let etag = try #require(head.headerFields[.eTag])
        try channel.writeInbound(get(Self.cachedURL, [.ifNoneMatch: etag]))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        guard case .head(let notModified) = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no 304"); return }
        #expect(notModified.status == .notModified)
        #expect(notModified.headerFields[.contentLength] == nil)
        guard case .end = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("a 304 has no body"); return }
        // What the router must judge goes on: HEAD, a bad zoom, an escaped path, a query it does not know.
        for request in [HTTPRequestPart.head(HTTPRequest(method: .head, scheme: "http", authority: "localhost", path: Self.cachedURL)),
                        get("/styles/default/2022-03-26/25/0/0.png"), get("/styles/default/2022-03-26/9/322/%31%39%34.png"),
                        get(Self.cachedURL + "?v=1&x=2"), get("/styles/nope/2022-03-26/9/322/194.png")] {
            try channel.writeInbound(request)
            #expect(try channel.readInbound(as: HTTPRequestPart.self) != nil)
            try channel.writeOutbound(HTTPResponsePart.end(nil))
            _ = try channel.readOutbound(as: HTTPResponsePart.self)
        }
        _ = try channel.finish()
    }

    @Test func aCachedTileWaitsBehindAnEarlierRequestOfItsConnection() async throws {
        let service = try await serviceWithOneCachedTile()
        let channel = EmbeddedChannel(handler: CachedTileHandler(service: service, metrics: CachedTileMetrics()))
        // Pipelined: a miss, then a hit. The hit must not overtake the miss's answer.
        try channel.writeInbound(get(Self.otherURL))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        try channel.writeInbound(get(Self.cachedURL))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == nil, "nothing answered ahead of the router")
        var forwarded = 0
        while let part = try channel.readInbound(as: HTTPRequestPart.self) { if case .head = part { forwarded += 1 } }
        #expect(forwarded == 2)
        _ = try channel.finish()
    }

    @Test func browsersKeepAliveIsAnsweredHereButCloseGoesToTheRouterWithAllAfterIt() async throws {
        let service = try await serviceWithOneCachedTile()
        let channel = EmbeddedChannel(handler: CachedTileHandler(service: service, metrics: CachedTileMetrics()))
        // Browsers send `Connection: keep-alive` on every request.
        try channel.writeInbound(get(Self.cachedURL, [.connection: "Keep-Alive"]))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
        while try channel.readOutbound(as: HTTPResponsePart.self) != nil {}
        // `close` goes to the router, and so does every request after it on this connection.
        try channel.writeInbound(get(Self.cachedURL, [.connection: "close"]))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) != nil)
        _ = try channel.readInbound(as: HTTPRequestPart.self)
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        _ = try channel.readOutbound(as: HTTPResponsePart.self)
        try channel.writeInbound(get(Self.cachedURL))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) != nil, "after a close, nothing is answered here")
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == nil)
        _ = try channel.finish()
    }

    @Test func mangledTileURLsNeverCrashAndAreAnsweredHereOnlyAsTheRouterWould() async throws {
        let (app, service) = try ServerTests.application(ServerTests.configuration())
        let data = service.source.data
        let seed = try #require(TileRequest.parts(ofPath: Self.cachedURL))
        _ = try await service.tile(data, try TileRequest(style: seed.style, date: seed.date, z: seed.z, x: seed.x, file: seed.file,
                                                         version: nil, data: data))
        // SplitMix64: the same mangled URLs on every run.
        var state: UInt64 = 0x5EED
        func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
        let alphabet = Array("/.@%?=&v0123456789-x2platestdefaultprint+é")
        var mangled: [String] = []
        for _ in 0..<600 {
            var url = Array(Self.cachedURL + ["", "?v=\(data.version)", "?v=1"][next(3)])
            for _ in 0..<(1 + next(3)) {
                let at = next(url.count + 1)
                switch next(3) {
                case 0: url.insert(alphabet[next(alphabet.count)], at: at)
                case 1: if at < url.count { url.remove(at: at) }
                default: if at < url.count { url[at] = alphabet[next(alphabet.count)] }
                }
            }
            mangled.append(String(url))
        }
        let urls = mangled
        let answeredHere = try await app.test(.router) { client -> Int in
            var answeredHere = 0
            for url in urls {
                let channel = EmbeddedChannel(handler: CachedTileHandler(service: service, metrics: CachedTileMetrics()))
                try channel.writeInbound(get(url))
                guard case .head(let fast) = try channel.readOutbound(as: HTTPResponsePart.self) else {
                    #expect(try channel.readInbound(as: HTTPRequestPart.self) != nil, "\(url): neither answered nor passed on")
                    continue
                }
                answeredHere += 1
                // Anything answered here is what the router answers.
                try await client.execute(uri: url, method: .get) { response in
                    #expect(response.status == fast.status, "\(url)")
                    #expect(response.headers[.eTag] == fast.headerFields[.eTag], "\(url)")
                }
            }
            return answeredHere
        }
        #expect(answeredHere > 10, "some mangled URLs still name the cached tile (e.g. a changed ?v=)")
    }

    @Test func overARealSocketTheFastAnswerIsTheRoutersAnswer() async throws {
        let (app, service) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.live) { client in
            func fetch(_ headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, HTTPFields, [UInt8]) {
                try await client.execute(uri: Self.cachedURL, method: .get, headers: headers) { ($0.status, $0.headers, Array($0.body.readableBytesView)) }
            }
            let hitsBefore = service.cache.count
            let (firstStatus, first, firstBody) = try await fetch()   // rendered through the router
            let (secondStatus, second, secondBody) = try await fetch()   // from the cache, on the event loop
            #expect(hitsBefore == 0 && service.cache.count == 1)
            #expect(firstStatus == .ok && secondStatus == .ok)
            #expect(firstBody == secondBody)
            for name in [HTTPField.Name.contentType, .contentLength, .eTag, .cacheControl, .accessControlAllowOrigin, .server] {
                #expect(first[name] == second[name], "\(name)")
            }
            let (status, _, body) = try await fetch([.ifNoneMatch: try #require(first[.eTag])])
            #expect(status == .notModified && body.isEmpty)
        }
    }
}
