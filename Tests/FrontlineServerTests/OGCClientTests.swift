import Foundation
import FrontlineRender
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FrontlineServer

/// Real GIS clients against the server on a socket: QGIS 3.22 headless adds the WMS-T layer and
/// renders two dates, OWSLib reads both capabilities documents and fetches a map and a tile, and
/// GDAL's WMS driver reads a GetMap. `make test` installs them (scripts/setup.sh --test).
@Suite struct OGCClientTests {
    static let clients = ServerTests.repository.appendingPathComponent("Tests/clients")

    /// The JSON object a client script prints on its last line.
    func report(_ program: String, _ arguments: [String]) async throws -> [String: Any] {
        let (status, output) = try await LiveServerTests().run(program, arguments)
        #expect(status == 0, "\(program) \(arguments.joined(separator: " ")) exited with \(status): \(output)")
        let line = output.split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(output)")
    }

    @Test func qgisRendersTheTwoDatesOfTheWMSTLayer() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-qgis-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try await report("/usr/bin/python3", [Self.clients.appendingPathComponent("qgis_wmst.py").path, "http://127.0.0.1:\(port)", folder.path])
            #expect(result["valid"] as? Bool == true, "\(result)")
            #expect(result["temporal"] as? Bool == true, "QGIS sees the layer's time dimension")
            // The ground at Parukh: Karabakh Armenian forces (orange) on 1 March, Azerbaijani forces (blue) on 28 March.
            let before = try #require(result["2022-03-01"] as? [Int]), after = try #require(result["2022-03-28"] as? [Int])
            #expect(before[0] > before[2] + 60, "1 March: \(before)")
            #expect(after[2] > after[0] + 60, "28 March: \(after)")
        }
    }

    @Test func owslibReadsBothCapabilitiesAndFetchesAMapAndATile() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let result = try await report("/usr/bin/env", ["python3", Self.clients.appendingPathComponent("owslib_check.py").path, "http://127.0.0.1:\(port)"])
            #expect(result["wms_layers"] as? [String] == ["default", "print"])
            #expect(result["time_default"] as? String == "2022-03-26")
            let positions = result["time_positions"] as? [String] ?? []
            #expect(positions.contains("2022-03-24") && positions.last == "2020-11-10/2023-12-31/P1D", "\(positions)")
            #expect(result["crs"] as? [String] == ["CRS:84", "EPSG:3857", "EPSG:4326"])
            #expect(result["getmap_png"] as? Bool == true && result["getmap_size"] as? [Int] == [400, 300])
            #expect(result["wmts_layers"] as? [String] == ["default", "print"])
            #expect((result["wmts_time"] as? [String: Any])?["default"] as? String == "2022-03-26")
            #expect((result["wmts_template"] as? String)?.hasSuffix("/styles/default/{Time}/{TileMatrix}/{TileCol}/{TileRow}.png") == true)
            #expect(result["gettile_png"] as? Bool == true)
        }
    }

    @Test func gdalReadsAGetMapThroughItsWMSDriver() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-gdal-wms-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            // GDAL sends x,y order unless told that EPSG:4326 in WMS 1.3.0 is latitude first (BBoxOrder).
            let description = """
                <GDAL_WMS><Service name="WMS"><Version>1.3.0</Version><ServerUrl>http://127.0.0.1:\(port)/wms?TIME=2022-03-28</ServerUrl>
                <CRS>EPSG:4326</CRS><BBoxOrder>yxYX</BBoxOrder><ImageFormat>image/png</ImageFormat><Layers>default</Layers></Service>
                <DataWindow><UpperLeftX>46.75</UpperLeftX><UpperLeftY>40.04</UpperLeftY><LowerRightX>46.85</LowerRightX><LowerRightY>39.98</LowerRightY>
                <SizeX>400</SizeX><SizeY>300</SizeY></DataWindow><BandsCount>4</BandsCount><BlockSizeX>400</BlockSizeX><BlockSizeY>300</BlockSizeY></GDAL_WMS>
                """
            let xml = folder.appendingPathComponent("wms.xml"), out = folder.appendingPathComponent("out.png")
            try description.write(to: xml, atomically: true, encoding: .utf8)
            #expect(try await LiveServerTests().run("/usr/bin/gdal_translate", ["-q", "-of", "PNG", xml.path, out.path]).status == 0)
            let image = try RasterImage(png: Array(try Data(contentsOf: out)))
            #expect(image.width == 400 && image.height == 300)
            let parukh = try #require(image.pixel(x: OGCTests.parukhPixel.x, y: OGCTests.parukhPixel.y))
            #expect(parukh.blue > parukh.red + 0.2, "Azerbaijani forces hold Parukh's ground on 28 March: \(parukh)")
        }
    }
}
