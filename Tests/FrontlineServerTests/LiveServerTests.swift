import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FrontlineServer
import FrontlineRender

/// The server on a real socket: Hummingbird's HTTP client, GDAL reading the tiles as a web-map
/// client would (its WMS driver in TMS mode), and the viewer in headless Chromium. `make test`
/// installs both (scripts/setup.sh --test); without them those two tests are skipped.
@Suite struct LiveServerTests {
    @Test func aRealClientGetsTilesAndJSON() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
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

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gdal_translate")))
    func gdalReadsTheTilesThroughItsWMSDriver() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
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
                                                                   "-outsize", "256", "205", xml.path, out.path]).status
            #expect(status == 0)
            let image = try RasterImage(png: Array(try Data(contentsOf: out)))
            #expect(image.width == 256 && image.height == 205)
            // Not blank: both parties' colours appear.
            var colours = Set<String>()
            for y in stride(from: 0, to: 205, by: 8) { for x in stride(from: 0, to: 256, by: 8) { colours.insert(image.pixel(x: x, y: y)!.description) } }
            #expect(colours.count > 10, "\(colours.count) colours")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: LiveServerTests.chromium)))
    func theViewerShowsTilesInHeadlessChromium() async throws {
        let (app, _) = try ServerTests.application(ServerTests.configuration())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let page = "http://127.0.0.1:\(port)/#date=2022-03-26&style=default"
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-viewer-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let browser = ["--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder.path)/profile",
                           "--window-size=1280,800", "--virtual-time-budget=8000"]

            // The page after its scripts ran: every module loaded and main.js started (it marks
            // <body>; page-errors.js would mark it with what failed), Leaflet's tiles loaded, the
            // legend and events filled in.
            let dom = try await run(Self.chromium, browser + ["--dump-dom", page]).output
            #expect(dom.contains("data-ready=\"true\""), "the module graph ran")
            #expect(!dom.contains("data-page-error"), "\(dom.components(separatedBy: "data-page-error").dropFirst().first?.prefix(300) ?? "")")
            #expect(dom.contains("<div id=\"error\" class=\"error\" role=\"alert\" hidden=\"\"></div>"), "no API error shown")
            #expect(dom.components(separatedBy: "leaflet-tile-loaded").count - 1 >= 4, "tiles loaded")
            #expect(dom.contains("Karabakh Armenian forces") && dom.contains("Azerbaijani forces"), "legend")
            #expect(dom.contains("Parukh"), "events of the period")

            // The screenshot shows both parties' ground in the colours the tiles are drawn in:
            // the legend's fill at its opacity over the style's background.
            let shot = folder.appendingPathComponent("viewer.png")
            try await run(Self.chromium, browser + ["--screenshot=\(shot.path)", page])
            let image = try RasterImage(png: Array(try Data(contentsOf: shot)))
            #expect(image.width == 1280 && image.height == 800)
            let legend = try await client.execute(uri: "/styles/default/2022-03-26/legend.json", method: .get) { Array($0.body.readableBytesView) }
            let entries = try #require((try JSONSerialization.jsonObject(with: Data(legend)) as? [String: Any])?["entries"] as? [[String: Any]])
            let background = Color(r: 0xf3, g: 0xf2, b: 0xee)
            for party in ["Karabakh Armenian forces", "Azerbaijani forces"] {
                let entry = try #require(entries.first { $0["label"] as? String == party })
                let css = try #require(entry["color"] as? String)
                let fill = try #require(Color(css: css))
                let opacity = try #require(entry["opacity"] as? Double)
                func blend(_ f: Double, _ b: Double) -> Double { f * opacity + b * (1 - opacity) }
                let drawn = Color(red: blend(fill.red, background.red), green: blend(fill.green, background.green), blue: blend(fill.blue, background.blue))
                var matching = 0
                for y in stride(from: 0, to: image.height, by: 4) {
                    for x in stride(from: 0, to: image.width, by: 4) {
                        guard let p = image.pixel(x: x, y: y) else { continue }
                        if abs(p.red - drawn.red) < 0.02, abs(p.green - drawn.green) < 0.02, abs(p.blue - drawn.blue) < 0.02 { matching += 1 }
                    }
                }
                let share = Double(matching) / Double((image.width / 4) * (image.height / 4))
                #expect(share > 0.03, "\(party): \(share) of the screenshot in \(drawn)")
            }
        }
    }

    static let chromium = "/usr/bin/chromium"

    /// Runs a program off the cooperative pool: its exit status and what it wrote to standard output.
    @discardableResult
    func run(_ program: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: program)
                process.arguments = arguments
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = FileHandle.nullDevice
                do {
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
