import Foundation
import GRDB
import Testing
import FrontlineData
import FrontlineGeometry
import FrontlineRender
@testable import FrontlineTiles

@Suite struct SeedTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func seeder(zooms: ClosedRange<Int>) throws -> TileSeeder {
        let source = try MapSource(source: FolderDataSource(directory: Self.repository.appendingPathComponent("geodata")),
                                   styles: StyleCatalog(strict: true))
        return TileSeeder(source: source, style: "default", date: CalendarDate("2022-03-26")!, zooms: zooms, bbox: source.data.metadata.bbox)
    }

    /// Runs a program; its exit status and standard output.
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("frontline-\(UUID())-\(name)")
    }

    @Test func mbtilesHoldEveryTileInTMSOrderWithMetadata() throws {
        let seeder = try seeder(zooms: 6...8)
        let path = temporary("seed.mbtiles").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let written = try seeder.run(to: .mbtiles(path))
        let list = try seeder.tileList()
        #expect(written == list.count)
        let reader = try MBTilesReader(path: path)
        #expect(try reader.counts() == Dictionary(grouping: list, by: \.z).mapValues(\.count))
        #expect(try reader.metadata()["format"] == "png")
        let metadata = try reader.metadata()
        #expect(metadata["date"] == "2022-03-26")
        #expect(metadata["minzoom"] == "6" && metadata["maxzoom"] == "8")
        #expect(metadata["bounds"] == "45.9,39.3,47.5,40.5")
        // The same description as the server's TileJSON.
        #expect(metadata["name"] == "Nagorno-Karabakh: areas of control, Nov 2020 – Sep 2023 — 26 March 2022 (default)")
        // Rows are stored bottom-up (TMS): check the raw row of one tile with SQL.
        let tile = try #require(list.last)
        let db = try DatabaseQueue(path: path)
        let rows = try db.read { db in
            try Int.fetchAll(db, sql: "SELECT tile_row FROM tiles WHERE zoom_level = ? AND tile_column = ?", arguments: [tile.z, tile.x])
        }
        #expect(rows.contains((1 << tile.z) - 1 - tile.y))
        #expect(!rows.contains(tile.y) || tile.y == (1 << tile.z) - 1 - tile.y)
        // The stored tile is the PNG the renderer makes for that XYZ tile.
        let stored = try #require(try reader.tile(tile))
        #expect(stored == (try seeder.source.tile(seeder.data, style: "default", date: seeder.date, tile: tile)))
        #expect(stored.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func foldersHoldZXYPNGFiles() throws {
        let seeder = try seeder(zooms: 7...7)
        let folder = temporary("tiles")
        defer { try? FileManager.default.removeItem(at: folder) }
        try seeder.run(to: .directory(folder))
        for tile in try seeder.tileList() {
            let file = folder.appendingPathComponent("\(tile.z)/\(tile.x)/\(tile.y).png")
            let image = try RasterImage(png: Array(try Data(contentsOf: file)))
            #expect(image.width == 256 && image.height == 256)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gdalinfo")))
    func gdalReadsTheMBTilesWhenInstalled() throws {
        let path = temporary("gdal.mbtiles").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try seeder(zooms: 6...7).run(to: .mbtiles(path))
        let (status, output) = try Self.run("/usr/bin/gdalinfo", [path])
        #expect(status == 0)
        #expect(output.contains("Driver: MBTiles"))
    }

    @Test func vectorMBTilesHoldGzippedTilesAndTheirLayersForGDAL() throws {
        let plain = try seeder(zooms: 9...10)
        let seeder = TileSeeder(source: plain.source, style: "default", date: plain.date, zooms: 9...10, bbox: plain.bbox, format: .mvt)
        let path = temporary("vector.mbtiles").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let written = try seeder.run(to: .mbtiles(path))
        #expect(written == (try seeder.tileList()).count)
        let reader = try MBTilesReader(path: path)
        let metadata = try reader.metadata()
        #expect(metadata["format"] == "pbf")
        let layers = try JSONParser.parse(Array((metadata["json"] ?? "").utf8))["vector_layers"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(layers == ["control", "zones", "villages", "heights", "pipeline"])
        // Tiles are gzipped Mapbox Vector Tiles, the same as the server's once unzipped.
        let parukh = TileCoordinate(z: 10, x: 645, y: 387)!
        let stored = try #require(try reader.tile(parukh))
        #expect(stored.starts(with: [0x1F, 0x8B]))
        #expect(try Gzip.decompress(stored) == (try seeder.source.vectorTile(seeder.data, .date(seeder.date), tile: parukh)))
        // GDAL's MBTiles driver reads it as vector data, with the layers of the metadata.
        let ogrinfo = "/usr/bin/ogrinfo"
        guard FileManager.default.isExecutableFile(atPath: ogrinfo) else { return }
        let (status, output) = try Self.run(ogrinfo, ["-ro", "-q", path])
        #expect(status == 0)
        for layer in ["control", "villages", "pipeline"] { #expect(output.contains(": \(layer)"), "\(output)") }
    }

    @Test func foldersOfVectorTilesHoldZXYMVTFiles() throws {
        let plain = try seeder(zooms: 8...8)
        let seeder = TileSeeder(source: plain.source, style: "default", date: plain.date, zooms: 8...8, bbox: plain.bbox, format: .mvt)
        let folder = temporary("vector-tiles")
        defer { try? FileManager.default.removeItem(at: folder) }
        try seeder.run(to: .directory(folder))
        for tile in try seeder.tileList() {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent("\(tile.z)/\(tile.x)/\(tile.y).mvt")))
            #expect(bytes.first == 0x1A, "\(tile): a tile's first field is a layer")
        }
    }

    @Test func aSecondWriterOfTheSameFileIsRefusedWhileTheFirstRuns() throws {
        let path = temporary("both.mbtiles").path
        defer { for suffix in ["", ".lock", ".partial"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        var first: MBTilesWriter? = try MBTilesWriter(path: path)
        #expect(throws: MBTilesError.self) { try MBTilesWriter(path: path) }
        try first?.commit()
        first = nil
        // Once the first is done, the next run may write.
        let second = try MBTilesWriter(path: path)
        try second.commit()
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
