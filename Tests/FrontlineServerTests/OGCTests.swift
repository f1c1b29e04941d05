import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import FrontlineRender
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FrontlineServer

/// WMS and WMTS through the router: the capabilities as GIS clients read them, maps whose
/// pixels show the right party on the right date in each CRS's axis order, feature info,
/// legends, WMTS tiles, and an OGC exception with the standard's code for every bad request.
@Suite struct OGCTests {
    static let wms = "/wms?SERVICE=WMS&VERSION=1.3.0"
    /// Around Parukh, which passed to Azerbaijani forces on 24 March 2022 (lat/lon for EPSG:4326 in 1.3.0).
    static let parukh = "BBOX=39.98,46.75,40.04,46.85&CRS=EPSG:4326&WIDTH=400&HEIGHT=300"
    /// The pixel of 46.797 E, 40.012 N in that map: x linear in longitude, y in latitude.
    static let parukhPixel = (x: Int((46.797 - 46.75) / 0.10 * 400), y: Int((40.04 - 40.012) / 0.06 * 300))

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> (status: HTTPResponse.Status, type: String, body: [UInt8]) {
        try await client.execute(uri: uri, method: .get) { response in
            (response.status, response.headers[.contentType] ?? "", Array(response.body.readableBytesView))
        }
    }

    @Test func capabilitiesOfferEachStyleAsALayerWithATimeDimension() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.router) { client in
            let answer = try await get(client, Self.wms + "&REQUEST=GetCapabilities")
            #expect(answer.status == .ok && answer.type.hasPrefix("text/xml"))
            let xml = try XMLDocument(data: Data(answer.body))
            func texts(_ path: String) throws -> [String] { try xml.nodes(forXPath: path).compactMap(\.stringValue) }
            #expect(try texts("//*[local-name()='Layer']/*[local-name()='Layer']/*[local-name()='Name']") == ["default", "print"])
            #expect(try texts("//*[local-name()='Layer']/*[local-name()='CRS']") == ["EPSG:3857", "EPSG:4326", "CRS:84"])
            #expect(try texts("(//*[local-name()='Dimension'])[1]/@name") == ["time"])
            #expect(try texts("(//*[local-name()='Dimension'])[1]/@default") == ["2022-03-26"])
            let values = (try texts("(//*[local-name()='Dimension'])[1]").first ?? "").split(separator: ",").map(String.init)
            #expect(values.contains("2022-03-24") && values.last == "2020-11-10/2023-12-31/P1D", "\(values)")
            // EPSG:4326 in 1.3.0: latitude first.
            #expect(try texts("//*[local-name()='BoundingBox'][@CRS='EPSG:4326']/@minx") == ["39.300000"])
            #expect(try texts("//*[local-name()='BoundingBox'][@CRS='EPSG:4326']/@miny") == ["45.900000"])
            let legend = try texts("//*[local-name()='LegendURL']/@width")
            #expect(legend.count == 2 && legend.allSatisfy { (Int($0) ?? 0) > 50 })
            let v111 = try await get(client, "/wms?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetCapabilities")
            #expect(String(decoding: v111.body, as: UTF8.self).contains("<WMT_MS_Capabilities version=\"1.1.1\">"))
        }
    }

    @Test func mapsShowTheGroundOfTheirDateInEitherAxisOrder() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.router) { client in
            func colour(_ uri: String) async throws -> Color {
                let answer = try await get(client, uri)
                #expect(answer.status == .ok && answer.type == "image/png", "\(String(decoding: answer.body, as: UTF8.self))")
                let image = try RasterImage(png: answer.body)
                #expect(image.width == 400 && image.height == 300)
                return try #require(image.pixel(x: Self.parukhPixel.x, y: Self.parukhPixel.y))
            }
            let map = Self.wms + "&REQUEST=GetMap&LAYERS=default&STYLES=&FORMAT=image/png&" + Self.parukh
            let before = try await colour(map + "&TIME=2022-03-01T00:00:00Z"), after = try await colour(map + "&TIME=2022-03-28")
            #expect(before.red > before.blue + 0.2, "Karabakh Armenian forces (orange) on 1 March: \(before)")
            #expect(after.blue > after.red + 0.2, "Azerbaijani forces (blue) on 28 March: \(after)")
            // The same map asked in CRS:84 (longitude first) and through WMS 1.1.1 (EPSG:4326 longitude first) is the same image.
            let lonLat = "BBOX=46.75,39.98,46.85,40.04&WIDTH=400&HEIGHT=300&FORMAT=image/png&LAYERS=default&STYLES=&REQUEST=GetMap&TIME=2022-03-28"
            let a = try await get(client, map + "&TIME=2022-03-28").body
            #expect(try await get(client, Self.wms + "&CRS=CRS:84&" + lonLat).body == a)
            #expect(try await get(client, "/wms?SERVICE=WMS&VERSION=1.1.1&SRS=EPSG:4326&" + lonLat).body == a)
            // A range draws the changes between its dates: the hatched ground differs from the plain map.
            #expect(try await get(client, map + "&TIME=2022-03-01/2022-03-28").body != a)
            // Transparent: the background is left out.
            let clear = try RasterImage(png: try await get(client, Self.wms + "&REQUEST=GetMap&LAYERS=default&STYLES=&FORMAT=image/png&TRANSPARENT=TRUE"
                                                           + "&CRS=EPSG:3857&BBOX=5100000,4700000,5110000,4710000&WIDTH=64&HEIGHT=64&TIME=2022-03-28").body)
            #expect(try #require(clear.pixel(x: 32, y: 32)).alpha < 1)
        }
    }

    @Test func neighbouringMapsMeetAtTheirEdgeLabelsIncluded() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.router) { client in
            // Around Stepanakert at zoom 11's resolution: a 512 px map and its two 256 px halves.
            let resolution = 2 * 20_037_508.342789244 / (256 * 2048.0)
            let x0 = 5_190_000.0, y0 = 4_825_000.0, x1 = x0 + 256 * resolution, x2 = x0 + 512 * resolution, y1 = y0 + 256 * resolution
            func map(_ minX: Double, _ maxX: Double, width: Int) async throws -> RasterImage {
                let answer = try await get(client, Self.wms + "&REQUEST=GetMap&LAYERS=default&STYLES=&FORMAT=image/png&CRS=EPSG:3857"
                                           + "&BBOX=\(minX),\(y0),\(maxX),\(y1)&WIDTH=\(width)&HEIGHT=256&TIME=2022-03-26")
                return try RasterImage(png: answer.body)
            }
            let whole = try await map(x0, x2, width: 512), left = try await map(x0, x1, width: 256), right = try await map(x1, x2, width: 256)
            var differing = 0
            for y in 0..<256 {
                for x in 0..<512 {
                    let a = whole.pixel(x: x, y: y)!, b = (x < 256 ? left.pixel(x: x, y: y) : right.pixel(x: x - 256, y: y))!
                    if abs(a.red - b.red) > 0.02 || abs(a.green - b.green) > 0.02 || abs(a.blue - b.blue) > 0.02 { differing += 1 }
                }
            }
            // Labels are placed once in world pixels, so a label across the seam is drawn in halves that meet.
            #expect(differing < 512 * 256 / 200, "\(differing) pixels differ between the map and its halves")
        }
    }

    @Test func jpegMapsAreTheSameMapOverWhite() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.router) { client in
            let answer = try await get(client, Self.wms + "&REQUEST=GetMap&LAYERS=default&STYLES=&FORMAT=image/jpeg&TRANSPARENT=TRUE&TIME=2022-03-28&" + Self.parukh)
            #expect(answer.status == .ok && answer.type == "image/jpeg")
            #expect(Array(answer.body.prefix(3)) == [0xFF, 0xD8, 0xFF])
            // Read back by GDAL (its JPEG driver) as PNG: Azerbaijani blue at Parukh's changed ground.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-jpeg-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let jpeg = folder.appendingPathComponent("map.jpg"), png = folder.appendingPathComponent("map.png")
            try Data(answer.body).write(to: jpeg)
            #expect(try await LiveServerTests().run("/usr/bin/gdal_translate", ["-q", "-of", "PNG", jpeg.path, png.path]).status == 0)
            let image = try RasterImage(png: Array(try Data(contentsOf: png)))
            #expect(image.width == 400 && image.height == 300)
            let parukh = try #require(image.pixel(x: Self.parukhPixel.x, y: Self.parukhPixel.y))
            #expect(parukh.blue > parukh.red + 0.2 && parukh.alpha == 1, "\(parukh)")
        }
    }

    @Test func featureInfoNamesTheHolderAndTheNearestVillage() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.router) { client in
            let map = Self.wms + "&REQUEST=GetFeatureInfo&LAYERS=default&QUERY_LAYERS=default&STYLES=&FORMAT=image/png&" + Self.parukh
            let info = map + "&I=\(Self.parukhPixel.x)&J=\(Self.parukhPixel.y)"
            let march1 = try await get(client, info + "&TIME=2022-03-01&INFO_FORMAT=application/json")
            #expect(march1.type.hasPrefix("application/json"))
            let json = String(decoding: march1.body, as: UTF8.self)
            #expect(json.contains("\"controlled_by\":\"karabakh-armenian\""), "\(json)")
            let march28 = String(decoding: try await get(client, info + "&TIME=2022-03-28&INFO_FORMAT=text/plain").body, as: UTF8.self)
            #expect(march28.contains("Held by: Azerbaijani forces"), "\(march28)")
            // Three pixels from the village's point (46.801417 E, 40.018623 N: pixel 205.7, 106.9): within the tolerance.
            let village = map + "&I=208&J=105"
            #expect(String(decoding: try await get(client, village + "&INFO_FORMAT=text/plain").body, as: UTF8.self).contains("Village: Parukh"))
            #expect(!String(decoding: try await get(client, map + "&I=260&J=105&INFO_FORMAT=text/plain").body, as: UTF8.self).contains("Village: Parukh"))
            let html = try await get(client, village + "&TIME=2022-03-28&INFO_FORMAT=text/html")
            #expect(html.type.hasPrefix("text/html") && String(decoding: html.body, as: UTF8.self).contains("<td>Parukh</td>"))
            let legend = try await get(client, Self.wms + "&REQUEST=GetLegendGraphic&LAYER=default&FORMAT=image/png")
            let image = try RasterImage(png: legend.body)
            #expect(legend.type == "image/png" && image.width > 100 && image.height > 100)
        }
    }

    @Test(arguments: [
        ("&REQUEST=GetMap&LAYERS=nowhere&STYLES=&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=8&HEIGHT=8&FORMAT=image/png", "LayerNotDefined"),
        ("&REQUEST=GetMap&LAYERS=default&STYLES=fancy&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=8&HEIGHT=8&FORMAT=image/png", "StyleNotDefined"),
        ("&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:32638&BBOX=0,0,1,1&WIDTH=8&HEIGHT=8&FORMAT=image/png", "InvalidCRS"),
        ("&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=8&HEIGHT=8&FORMAT=image/gif", "InvalidFormat"),
        ("&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=8&HEIGHT=8&FORMAT=image/webp", "InvalidFormat"),
        ("&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:3857&WIDTH=8&HEIGHT=8&FORMAT=image/png", "MissingParameterValue"),
        ("&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=8&HEIGHT=8&FORMAT=image/png&TIME=2019-05-01", "InvalidDimensionValue"),
        ("&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=8&HEIGHT=8&FORMAT=image/png&TIME=yesterday", "InvalidDimensionValue"),
        ("&REQUEST=GetFeatureInfo&LAYERS=default&QUERY_LAYERS=default&STYLES=&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=8&HEIGHT=8&I=9&J=2&INFO_FORMAT=text/plain", "InvalidPoint"),
        ("&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=99999&HEIGHT=8&FORMAT=image/png", "InvalidParameterValue"),
        ("&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:3857&BBOX=1,0,0,1&WIDTH=8&HEIGHT=8&FORMAT=image/png", "InvalidParameterValue"),
        ("&REQUEST=Transmogrify", "OperationNotSupported"),
    ])
    func badRequestsGetExceptionReportsWithTheirCode(query: String, code: String) async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.router) { client in
            let answer = try await get(client, Self.wms + query)
            let text = String(decoding: answer.body, as: UTF8.self)
            #expect(answer.status == .badRequest && answer.type.hasPrefix("text/xml"), "\(answer.status) \(answer.type)")
            #expect(text.contains("<ServiceExceptionReport version=\"1.3.0\"") && text.contains("code=\"\(code)\""), "\(text)")
        }
    }

    @Test func wmtsTilesAreTheXYZTilesOfTheirTime() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.router) { client in
            let capabilities = try await get(client, "/wmts/1.0.0/WMTSCapabilities.xml")
            let xml = try XMLDocument(data: Data(capabilities.body))
            let template = try xml.nodes(forXPath: "//*[local-name()='ResourceURL']/@template").compactMap(\.stringValue)
            #expect(template.first?.hasSuffix("/styles/default/{Time}/{TileMatrix}/{TileCol}/{TileRow}.png") == true, "\(template)")
            #expect(try xml.nodes(forXPath: "//*[local-name()='Dimension']/*[local-name()='Default']").first?.stringValue == "2022-03-26")
            #expect(try xml.nodes(forXPath: "//*[local-name()='TileMatrix']").count == 19)
            let kvp = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=default&STYLE=default&TILEMATRIXSET=GoogleMapsCompatible&FORMAT=image/png"
            let tile = try await get(client, kvp + "&TILEMATRIX=10&TILEROW=390&TILECOL=641&TIME=2022-03-28")
            #expect(tile.status == .ok && tile.type == "image/png")
            #expect(tile.body == (try await get(client, "/styles/default/2022-03-28/10/641/390.png").body))
            let outside = try await get(client, kvp + "&TILEMATRIX=2&TILEROW=7&TILECOL=1")
            #expect(outside.status == .notFound && String(decoding: outside.body, as: UTF8.self).contains("exceptionCode=\"TileOutOfRange\""))
        }
    }
}
