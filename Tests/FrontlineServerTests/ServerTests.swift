import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Hummingbird
import HummingbirdTesting
import Metrics
import Prometheus
import Synchronization
import Testing
@testable import FrontlineServer

/// Every endpoint driven in-process through the router: status, content type, headers, ETag/304
/// and error bodies.
@Suite struct ServerTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func configuration(data: URL? = nil, styles: URL? = nil) -> ServerConfiguration {
        var c = ServerConfiguration(data: FolderDataSource(directory: data ?? repository.appendingPathComponent("geodata")),
                                    styles: StyleCatalog(directory: styles))
        c.port = 0
        c.reloadInterval = .milliseconds(100)
        return c
    }

    func text(_ buffer: ByteBuffer) -> String { String(buffer: buffer) }

    /// The metrics registry of the test process, bootstrapped once as the executable does.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The application and its tile service, as `frontline serve` makes them.
    static func application(_ configuration: ServerConfiguration) throws -> (application: some ApplicationProtocol, service: TileService) {
        try FrontlineServer.makeApplication(configuration: configuration, registry: registry)
    }

    @Test func tilesArePNGsWithCacheHeadersAnd304() async throws {
        let (app, service) = try ServerTests.application(Self.configuration())
        try await app.test(.router) { client in
            var etag = ""
            try await client.execute(uri: "/styles/default/2022-03-26/10/644/388.png", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(response.headers[.cacheControl] == "public, max-age=60", "unversioned: short")
                #expect(Array(response.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
                etag = try #require(response.headers[.eTag])
            }
            try await client.execute(uri: "/styles/default/2022-03-26/10/644/388.png", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/styles/default/2022-03-26/10/644/388.png", method: .head) { response in
                #expect(response.status == .ok, "HEAD is answered where GET is")
                #expect(response.headers[.eTag] == etag && response.headers[.contentType] == "image/png")
                #expect(Int(response.headers[.contentLength] ?? "") ?? 0 > 100 && response.body.readableBytes == 0)
            }
            let version = service.source.data.version
            try await client.execute(uri: "/styles/default/2022-03-26/10/644/388@2x.png?v=\(version)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable", "versioned: immutable")
                let png = Array(response.body.readableBytesView)
                // IHDR width and height: 512 × 512.
                #expect(Array(png[16..<24]) == [0, 0, 2, 0, 0, 0, 2, 0])
            }
            try await client.execute(uri: "/styles/default/latest/8/160/97.png?v=\(version)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "public, max-age=60", "latest moves: never immutable")
            }
        }
    }

    /// `?lang=` picks the labels' language: its own bytes, its own ETag and cache entry, and
    /// TileJSON that hands the language on to its tile URLs.
    @Test func tilesInAnotherLanguageAreOtherTiles() async throws {
        let (app, _) = try ServerTests.application(Self.configuration())
        try await app.test(.router) { client in
            // Stepanakert's tile at zoom 9.
            let uri = "/styles/default/2022-03-26/9/322/193.png"
            var tags: [String] = [], bodies: [[UInt8]] = []
            for query in ["", "?lang=en", "?lang=hy", "?lang=ru"] {
                try await client.execute(uri: uri + query, method: .get) { response in
                    #expect(response.status == .ok, "\(query)")
                    tags.append(response.headers[.eTag] ?? "")
                    bodies.append(Array(response.body.readableBytesView))
                }
            }
            #expect(tags[0] == tags[1] && bodies[0] == bodies[1], "en is the plain names")
            #expect(Set(tags[1...]).count == 3 && Set(bodies[1...]).count == 3, "each language its own tile")
            try await client.execute(uri: uri + "?lang=hy", method: .get, headers: [.ifNoneMatch: tags[0]]) { response in
                #expect(response.status == .ok, "the plain tile's ETag does not match the Armenian tile")
            }
            try await client.execute(uri: "/styles/default/2022-03-26.json?lang=hy", method: .get) { response in
                #expect(text(response.body).contains(".png?v=") && text(response.body).contains("&lang=hy\""))
            }
        }
    }

    @Test(arguments: [
        ("/styles/default/2022-03-26/19/0/0.png", HTTPResponse.Status.badRequest, "zoom 0–18"),
        ("/styles/default/2022-03-26/10/1024/0.png", .badRequest, "x and y"),
        ("/styles/default/2022-03-26/10/-1/0.png", .badRequest, "x and y"),
        ("/styles/default/2022-13-01/10/644/388.png", .badRequest, "not a date"),
        ("/styles/default/2031-01-01/10/644/388.png", .notFound, "outside the data"),
        ("/styles/nosuch/2022-03-26/10/644/388.png", .notFound, "unknown style"),
        ("/styles/default/2022-03-26/10/644/388.jpg", .notFound, ".png"),
        ("/styles/default/2022-03-26/10/644/388.png?lang=fr", .badRequest, "lang must be one of en, hy, az, ru"),
        ("/styles/default/2022-03-26/10/644/388.png?v=x&lang=", .badRequest, "lang must be one of"),
        ("/styles/default/2022-03-26.json?lang=xx", .badRequest, "lang must be one of"),
        ("/styles/..%2F..%2Fetc%2Fpasswd/2022-03-26.json", .notFound, "unknown style"),
        ("/changes.geojson?from=2022-03-28&to=2022-03-01", .badRequest, "earlier"),
        ("/changes.geojson?from=2022-03-01", .badRequest, "'to' is missing"),
        ("/overlaps.json?date=yesterday", .badRequest, "not a date"),
        ("/leaflet/..%2F..%2F..%2Fetc%2Fpasswd", .notFound, "no such file"),
        ("/leaflet/.hidden.js", .notFound, "no such file"),
        ("/nothing-here", .notFound, "nothing at /nothing-here"),
    ])
    func badRequestsGetSmallJSONErrors(uri: String, status: HTTPResponse.Status, message: String) async throws {
        let (app, _) = try ServerTests.application(Self.configuration())
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == status, "\(uri)")
                if !message.isEmpty {
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                    #expect(text(response.body).contains(message), "\(uri): \(text(response.body))")
                    #expect(text(response.body).contains("\"error\""))
                }
            }
        }
    }

    @Test func pathTraversalNeverReadsOutsideTheServedFolders() async throws {
        let (app, _) = try ServerTests.application(Self.configuration())
        try await app.test(.router) { client in
            for uri in ["/leaflet/../../../../etc/passwd", "/leaflet/%2e%2e/%2e%2e/etc/passwd", "/js/main.js/../../Package.swift", "/js/%2e%2e/%2e%2e/Package.swift",
                        "/leaflet/images/..%2F..%2F..%2F..%2Fetc%2Fhostname", "/../Package.swift"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status != .ok || !text(response.body).contains("root:"), "\(uri)")
                    #expect(!text(response.body).contains("PackageDescription"), "\(uri)")
                }
            }
        }
    }

    @Test func tileJSONPointsAtVersionedTiles() async throws {
        var configuration = Self.configuration()
        configuration.publicURL = "https://maps.example.org/frontline"
        let (app, service) = try ServerTests.application(configuration)
        try await app.test(.router) { client in
            try await client.execute(uri: "/styles/default/2022-03-26.json", method: .get) { response in
                #expect(response.status == .ok)
                let body = text(response.body)
                #expect(body.contains("\"tilejson\":\"3.0.0\""))
                #expect(body.contains("https://maps.example.org/frontline/styles/default/2022-03-26/{z}/{x}/{y}.png?v=\(service.source.data.version)"))
                #expect(body.contains("\"bounds\":[45.9,39.3,47.5,40.5]"))
                #expect(body.contains("\"key_dates\""))
                #expect(response.headers[.eTag] != nil)
            }
            try await client.execute(uri: "/styles/print/latest@2x.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(text(response.body).contains("{y}@2x.png"))
                #expect(text(response.body).contains("\"tileSize\":512"))
            }
        }
    }

    @Test func analysesAndListsAnswerAsJSON() async throws {
        let (app, _) = try ServerTests.application(Self.configuration())
        try await app.test(.router) { client in
            try await client.execute(uri: "/changes.geojson?from=2022-03-01&to=2022-03-28", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/geo+json") == true)
                #expect(text(response.body).contains("\"village_ids\":[\"parukh\"]"))
                let etag = try #require(response.headers[.eTag])
                try await client.execute(uri: "/changes.geojson?from=2022-03-01&to=2022-03-28", method: .get, headers: [.ifNoneMatch: etag]) { again in
                    #expect(again.status == .notModified)
                }
            }
            try await client.execute(uri: "/control.geojson?date=2022-03-26", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/geo+json") == true)
                let collection = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let features = collection?["features"] as? [[String: Any]] ?? []
                let parties = features.compactMap { ($0["properties"] as? [String: Any])?["controlled_by"] as? String }
                #expect(parties == ["karabakh-armenian", "azerbaijani", "none"])
                // Armenian-held ground on the default date: the snapshot's area, as `frontline snapshot` gives it
                // (3173.1779 while slivers along the record's cells were in it: their collapsed rings added 1,700 m²).
                let armenian = (features.first?["properties"] as? [String: Any])?["area_km2"] as? Double ?? 0
                #expect(abs(armenian - 3173.1762) < 0.001, "\(armenian)")
            }
            try await client.execute(uri: "/control.geojson?date=2031-01-01", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/overlaps.json?date=2022-03-10", method: .get) { response in
                #expect(response.status == .ok)
                #expect(text(response.body).contains("\"status\":{\"status\":\"cut\""))
            }
            try await client.execute(uri: "/events.geojson?from=2022-03-01&to=2022-03-31", method: .get) { response in
                #expect(text(response.body).contains("Parukh"))
            }
            try await client.execute(uri: "/dates.json", method: .get) { response in
                #expect(text(response.body).contains("\"default\":\"2022-03-26\""))
            }
            try await client.execute(uri: "/styles.json", method: .get) { response in
                #expect(text(response.body).contains("\"name\":\"default\"") && text(response.body).contains("\"name\":\"print\""))
            }
            try await client.execute(uri: "/styles/default/2022-03-26/legend.json", method: .get) { response in
                #expect(text(response.body).contains("Karabakh Armenian forces"))
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(text(response.body).contains("\"status\":\"ok\""))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            }
        }
    }

    @Test func metricsCountRequestsRendersAndTheCache() async throws {
        let (app, _) = try ServerTests.application(Self.configuration())
        try await app.test(.live) { client in
            // A miss (rendered by the router), then a hit (answered from the cache on the event loop).
            for _ in 0..<2 { try await client.execute(uri: "/styles/default/2022-03-26/9/321/194.png", method: .get) { #expect($0.status == .ok) } }
            try await client.execute(uri: "/styles/default/2022-03-26/99/0/0.png", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/dates.json", method: .head) { #expect($0.status == .ok && $0.body.readableBytes == 0) }
            let metrics = try await client.execute(uri: "/metrics", method: .get) { text($0.body) }
            // One registry per process, shared with other tests: at least what this test did.
            func value(_ series: String) -> Double {
                metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) } ?? -1
            }
            let route = "http_route=\"/styles/{style}/{date}/{z}/{x}/{file}\",http_request_method=\"GET\""
            #expect(value("hb_requests{\(route),http_response_status_code=\"200\"}") >= 2)
            #expect(value("hb_requests{\(route),http_response_status_code=\"400\"}") >= 1)
            #expect(value("hb_requests{http_route=\"/dates.json\",http_request_method=\"HEAD\",http_response_status_code=\"200\"}") >= 1,
                    "HEADs are counted")
            #expect(value("http_server_request_duration_count{\(route),http_response_status_code=\"200\"}") >= 2)
            #expect(value("frontline_tile_cache_hits_total") >= 1)
            #expect(value("frontline_tile_cache_misses_total") >= 1)
            #expect(value("frontline_tile_render_seconds_count") >= 1)
            #expect(value("frontline_tile_cache_bytes") > 0)
        }
    }

    /// The 503 comes at the time limit, not when the render is done (an unstructured task's
    /// value ignores cancellation, so a task group racing it would wait for it).
    @Test func theTimeLimitAnswersBeforeTheRenderEnds() async throws {
        final class Flag: Sendable { let raised = Mutex(false) }
        let finished = Flag()
        let render = Task<ByteBuffer, any Error> {
            try? await Task.sleep(for: .seconds(60))
            finished.raised.withLock { $0 = true }
            return ByteBuffer()
        }
        defer { render.cancel() }
        await #expect(throws: APIError.self) { try await TileService.value(of: render, within: .milliseconds(10)) }
        let waited = finished.raised.withLock { $0 }
        #expect(!waited, "the answer waited for the render")
        // A render within its limit gives its value.
        let quick = Task<ByteBuffer, any Error> { ByteBuffer(string: "png") }
        #expect(try await TileService.value(of: quick, within: .seconds(60)) == ByteBuffer(string: "png"))
    }

    @Test func aSlowRenderAnswers503AndIsStillCached() async throws {
        var configuration = Self.configuration()
        configuration.renderTimeout = .nanoseconds(1)
        let (app, service) = try ServerTests.application(configuration)
        try await app.test(.router) { client in
            try await client.execute(uri: "/styles/default/2022-03-26/10/645/388.png", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(text(response.body).contains("took longer than"))
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
        }
        // The render went on and filled the cache.
        for _ in 0..<200 where service.cache.count == 0 { try await Task.sleep(for: .milliseconds(25)) }
        #expect(service.cache.count == 1)
    }

    @Test func theViewerAndLeafletAreServed() async throws {
        let (app, _) = try ServerTests.application(Self.configuration())
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(text(response.body).contains("<script type=\"module\" src=\"js/main.js\">"))
            }
            try await client.execute(uri: "/viewer.css", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/css") == true)
            }
            if FileManager.default.fileExists(atPath: "/usr/share/javascript/leaflet/leaflet.js") {
                try await client.execute(uri: "/leaflet/leaflet.js", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/javascript") == true)
                }
            }
        }
    }

    /// The modules that main.js imports, directly or not, read from the built-in files.
    static func importedModules(from module: String = "main.js", seen: inout Set<String>) {
        guard seen.insert(module).inserted, let bytes = StaticFiles.viewerFiles["js/\(module)"] else { return }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("import ") {
            guard let name = line.split(separator: "'").dropFirst().first, name.hasPrefix("./") else { continue }
            importedModules(from: String(name.dropFirst(2)), seen: &seen)
        }
    }

    @Test func everyModuleIsBuiltInAndServedAsJavaScript() async throws {
        var modules = Set<String>()
        Self.importedModules(seen: &modules)
        #expect(modules.count >= 10, "\(modules.sorted())")
        #expect(Set(StaticFiles.viewerFiles.keys.filter { $0.hasPrefix("js/") }) == Set((modules.map { "js/\($0)" }) + ["js/page-errors.js"]),
                "every module in the table is imported, and every import is in the table")
        // No viewer folder: nothing is read from the working directory.
        let configuration = Self.configuration()
        #expect(configuration.viewerDirectory == nil)
        let (app, _) = try ServerTests.application(configuration)
        let served = modules.sorted() + ["page-errors.js"]
        try await app.test(.router) { client in
            for module in served {
                try await client.execute(uri: "/js/\(module)", method: .get) { response in
                    #expect(response.status == .ok, "\(module)")
                    #expect(response.headers[.contentType] == "text/javascript; charset=utf-8", "\(module)")
                    #expect(response.headers[.cacheControl] == "no-cache", "revalidated, so that modules never mix versions")
                    #expect(Array(response.body.readableBytesView) == StaticFiles.viewerFiles["js/\(module)"], "\(module)")
                }
            }
            for uri in ["/js/nosuch.js", "/js/..%2F..%2FPackage.swift", "/js/.hidden.js", "/js/../index.html", "/viewer.js"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(!text(response.body).contains("PackageDescription"), "\(uri)")
                }
            }
        }
    }

    @Test func aViewerFolderOverridesTheBuiltInFiles() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-viewer-\(UUID())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("js"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "<!DOCTYPE html><title>edited</title>".write(to: folder.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "export const edited = true;".write(to: folder.appendingPathComponent("js/api.js"), atomically: true, encoding: .utf8)
        try "export const added = true;".write(to: folder.appendingPathComponent("js/added.js"), atomically: true, encoding: .utf8)
        try "secret".write(to: folder.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        var configuration = Self.configuration()
        configuration.viewerDirectory = folder
        let (app, _) = try ServerTests.application(configuration)
        try await app.test(.router) { client in
            let expected = [("/", "<title>edited</title>"), ("/js/api.js", "edited"), ("/js/added.js", "added"), ("/js/main.js", "import ")]
            for (uri, content) in expected {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok && text(response.body).contains(content), "\(uri)")
                }
            }
            for uri in ["/secret.txt", "/js/..%2Fsecret.txt", "/js/..%2Findex.html"] {
                try await client.execute(uri: uri, method: .get) { response in #expect(response.status == .notFound, "\(uri)") }
            }
        }
    }

    @Test func concurrentRequestsForOneTileRenderItOnce() async throws {
        let (app, service) = try ServerTests.application(Self.configuration())
        try await app.test(.router) { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await client.execute(uri: "/styles/default/2022-03-26/9/322/194.png", method: .get) { $0.body.readableBytes }
                    }
                }
                let sizes = try await group.reduce(into: Set<Int>()) { $0.insert($1) }
                #expect(sizes.count == 1)
            }
            // Operators see it too.
            try await client.execute(uri: "/health", method: .get) { #expect(String(buffer: $0.body).contains("\"tiles_rendered\":1")) }
        }
        #expect(service.pool.renders.load(ordering: .relaxed) == 1)
    }

    @Test func aChangedFileIsServedAfterReloadAndABrokenOneIsReportedOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-reload-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("geodata"), to: folder)
        let source = try MapSource(source: FolderDataSource(directory: folder), styles: StyleCatalog())
        let before = source.data.version
        let metadata = folder.appendingPathComponent("dataset.json")
        let original = try String(contentsOf: metadata, encoding: .utf8)
        // A broken file: the old version stays, and the failure is reported once, not every poll.
        try "{ not json".write(to: metadata, atomically: true, encoding: .utf8)
        guard case .failed = source.reloadIfChanged() else { Issue.record("a broken file was not reported"); return }
        guard case .unchanged = source.reloadIfChanged() else { Issue.record("a broken file was read again"); return }
        try "{ still not json".write(to: metadata, atomically: true, encoding: .utf8)
        guard case .failed = source.reloadIfChanged() else { Issue.record("a new change was not tried"); return }
        #expect(source.data.version == before)
        // A good change: the new version is served, whole.
        try original.replacingOccurrences(of: "Nagorno-Karabakh: areas", with: "Karabakh: areas").write(to: metadata, atomically: true, encoding: .utf8)
        guard case .reloaded = source.reloadIfChanged() else { Issue.record("a good change was not loaded"); return }
        #expect(source.data.version != before)
        #expect(source.data.dataset.metadata.title.hasPrefix("Karabakh: areas"))
    }

    @Test func aChangeRecordedWhileServingIsPickedUp() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-record-reload-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("geodata"), to: folder)
        let source = try MapSource(source: FolderDataSource(directory: folder), styles: StyleCatalog())
        let before = source.data.version
        let day = try #require(CalendarDate("2022-06-01"))
        // A square of about 2 km around Stepanakert passes to Azerbaijani forces on 1 June 2022.
        let square = Geometry.rectangle(BoundingBox(minX: 46.74, minY: 39.81, maxX: 46.76, maxY: 39.83))
        let record = try #require(source.data.dataset.record)
        let (next, _) = try record.recording(square, to: "azerbaijani", on: day, extent: source.data.dataset.metadata.bbox,
                                             source: "test", recorded: nil)
        try RecordWriter(dataset: folder).commit(next)
        guard case .reloaded = source.reloadIfChanged() else { Issue.record("the recorded change was not loaded"); return }
        #expect(source.data.version != before)
        let after = try source.data.dataset.snapshot(on: day)
        let stepanakert = try #require(source.data.dataset.villages.first { $0.id == "stepanakert" })
        let context = try GeometryContext()
        let taken = try context.make(try #require(after.areas["azerbaijani"])).prepared()
        #expect(try taken.intersects(x: stepanakert.lon, y: stepanakert.lat), "Stepanakert is in the recorded square")
    }

    @Test func theTileCacheStaysWithinItsBytes() {
        let cache = ByteLimitedCache<String, ByteBuffer>(limit: 1000)
        for i in 0..<50 { cache.put("t\(i)", ByteBuffer(repeating: 0, count: 100), cost: 100) }
        #expect(cache.bytes <= 1000)
        #expect(cache.count == 10)
        #expect(cache.get("t49") != nil && cache.get("t0") == nil)
        _ = cache.get("t40")
        cache.put("new", ByteBuffer(repeating: 1, count: 100), cost: 100)
        #expect(cache.get("t40") != nil, "recently used entries stay")
        #expect(cache.get("t41") == nil, "the least recently used goes first")
        // Replacing a tile counts its new size; freed slots are reused.
        cache.put("new", ByteBuffer(repeating: 2, count: 300), cost: 300)
        #expect(cache.bytes <= 1000 && cache.get("new")?.readableBytes == 300)
        for i in 100..<200 { cache.put("t\(i)", ByteBuffer(repeating: 0, count: 100), cost: 100) }
        #expect(cache.count == 10 && cache.bytes == 1000 && cache.get("t199") != nil && cache.get("new") == nil)
    }
}
