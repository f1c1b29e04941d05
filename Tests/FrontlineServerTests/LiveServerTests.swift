import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FrontlineServer
import FrontlineRender

/// The server on a real socket: Hummingbird's HTTP client, and GDAL reading the tiles as a
/// web-map client would (its WMS driver in TMS mode), when GDAL is installed.
@Suite struct LiveServerTests {
    @Test func aRealClientGetsTilesAndJSON() async throws {
        let (app, _) = try FrontlineApplication.makeApplication(configuration: ServerTests.configuration())
        try await app.test(.live) { client in
            try await client.execute(uri: "/styles/default/2022-03-26/9/322/194.png", method: .get) { response in
                #expect(response.status == .ok)
                let image = try RasterImage(png: Array(response.body.readableBytesView))
                #expect(image.width == 256 && image.height == 256)
            }
            try await client.execute(uri: "/styles/default/2022-03-26.json", method: .get) { response in
                #expect(String(buffer: response.body).contains("\"tiles\":[\"http://"))
            }
        }
    }

    @Test func gdalReadsTheTilesThroughItsWMSDriver() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/gdal_translate") else { return }
        let (app, _) = try FrontlineApplication.makeApplication(configuration: ServerTests.configuration())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-gdal-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let description = """
                <GDAL_WMS><Service name="TMS"><ServerUrl>http://127.0.0.1:\(port)/styles/default/2022-03-26/${z}/${x}/${y}.png</ServerUrl></Service>
                <DataWindow><UpperLeftX>-20037508.34</UpperLeftX><UpperLeftY>20037508.34</UpperLeftY><LowerRightX>20037508.34</LowerRightX>
                <LowerRightY>-20037508.34</LowerRightY><TileLevel>11</TileLevel><TileCountX>1</TileCountX><TileCountY>1</TileCountY><YOrigin>top</YOrigin></DataWindow>
                <Projection>EPSG:3857</Projection><BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY><BandsCount>3</BandsCount></GDAL_WMS>
                """
            let xml = folder.appendingPathComponent("frontline.xml"), out = folder.appendingPathComponent("out.png")
            try description.write(to: xml, atomically: true, encoding: .utf8)
            // Around Stepanakert, in Web Mercator metres.
            let status = try await run("/usr/bin/gdal_translate", ["-q", "-of", "PNG", "-projwin", "5180000", "4860000", "5230000", "4820000",
                                                                   "-outsize", "256", "205", xml.path, out.path])
            #expect(status == 0)
            let image = try RasterImage(png: Array(try Data(contentsOf: out)))
            #expect(image.width == 256 && image.height == 205)
            // Not blank: both parties' colours appear.
            var colours = Set<String>()
            for y in stride(from: 0, to: 205, by: 8) { for x in stride(from: 0, to: 256, by: 8) { colours.insert(image.pixel(x: x, y: y)!.description) } }
            #expect(colours.count > 10, "\(colours.count) colours")
        }
    }

    /// Runs a program off the cooperative pool and returns its exit status.
    func run(_ program: String, _ arguments: [String]) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: program)
                process.arguments = arguments
                do {
                    try process.run()
                    process.waitUntilExit()
                    continuation.resume(returning: process.terminationStatus)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
