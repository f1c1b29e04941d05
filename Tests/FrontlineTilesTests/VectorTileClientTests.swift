import Foundation
import Testing
import FrontlineData
import FrontlineGeometry
import FrontlineRender
@testable import FrontlineTiles

/// Vector tiles of the default data read by two independent decoders: GDAL's MVT driver (layers,
/// fields, feature counts) and the `mapbox-vector-tile` package (geometry against the source, ring
/// orientation, the change's pairs and area). `make test` installs both (scripts/setup.sh --test);
/// without them these tests are skipped.
@Suite struct VectorTileClientTests {
    static let source = Result {
        try MapSource(source: FolderDataSource(directory: SeedTests.repository.appendingPathComponent("geodata")), styles: StyleCatalog(strict: true))
    }
    /// What changed from 1 to 28 March 2022: the ground around Parukh, taken by Azerbaijani forces.
    static let march = MapSubject.change(from: CalendarDate("2022-03-01")!, to: CalendarDate("2022-03-28")!)

    static var parukh: Place {
        try! source.get().data.dataset.villages.first { $0.id == "parukh" }!
    }

    /// The tile holding Parukh at `zoom`.
    static func parukhTile(zoom: Int) -> TileCoordinate {
        let p = try! Projection.webMercator().forward(.point(parukh.lon, parukh.lat))
        return TileCoordinate.covering(BoundingBox(minX: p.coordinates[0], minY: p.coordinates[1], maxX: p.coordinates[0], maxY: p.coordinates[1]), zoom: zoom)[0]
    }

    /// Web Mercator metres → tile units (y down) of `tile`.
    static func tileUnits(_ x: Double, _ y: Double, _ tile: TileCoordinate) -> (x: Double, y: Double) {
        let b = tile.bounds, scale = Double(VectorTile.extent) / b.width
        return ((x - b.minX) * scale, (b.maxY - y) * scale)
    }

    /// The tile written as `DIR/Z/X/Y.mvt`, the path from which GDAL georeferences it.
    static func write(_ tile: TileCoordinate, _ subject: MapSubject) throws -> (file: URL, folder: URL) {
        let source = try source.get()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-mvt-\(UUID())")
        let directory = folder.appendingPathComponent("\(tile.z)/\(tile.x)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("\(tile.y).mvt")
        try Data(try source.vectorTile(source.data, subject, tile: tile)).write(to: file)
        return (file, folder)
    }

    static let ogrinfo = "/usr/bin/ogrinfo"
    static let decoderInstalled = (try? run("/usr/bin/env", ["python3", "-c", "import mapbox_vector_tile"])) != nil

    /// Runs a program; its standard output, or an error with its standard error when it fails.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ProcessFailure(message: "\(program) \(arguments.joined(separator: " ")): \(errors)") }
        return String(decoding: output, as: UTF8.self)
    }

    struct ProcessFailure: Error { let message: String }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ogrinfo)))
    func gdalReadsTheLayersFieldsAndFeatureCountsTheSceneHolds() throws {
        let tile = Self.parukhTile(zoom: 10)
        let (file, folder) = try Self.write(tile, Self.march)
        defer { try? FileManager.default.removeItem(at: folder) }
        // CLIP=NO: the features as written, buffer included.
        let summary = try Self.run(Self.ogrinfo, ["-ro", "-so", "-al", "-oo", "CLIP=NO", file.path])
        var counts: [String: Int] = [:], fields: [String: Set<String>] = [:]
        var layer = ""
        for line in summary.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("Layer name: ") { layer = String(line.dropFirst(12)); fields[layer] = [] }
            else if line.hasPrefix("Feature Count: ") { counts[layer] = Int(line.dropFirst(15)) }
            // (GDAL adds a field of its own, `mvt_id`, for the feature's id.)
            else if !layer.isEmpty, let colon = line.range(of: ": "), !line.hasPrefix("mvt_id:"),
                    ["String (", "Integer", "Real ("].contains(where: { line[colon.upperBound...].hasPrefix($0) }) {
                fields[layer]!.insert(String(line[..<colon.lowerBound]))
            }
        }
        // What the scene holds there, found with GEOS rather than the tile's own code: the
        // features whose geometry meets the tile and its buffer.
        let source = try Self.source.get()
        let scene = try source.scene(source.data, Self.march).scene
        let context = try GeometryContext()
        let b = tile.bounds
        let area = try context.make(.rectangle(b.expanded(by: b.width * Double(VectorTile.buffer) / Double(VectorTile.extent))))
        var expected: [String: Int] = [:]
        for name in ["control", "zones", "villages", "heights", "pipeline", "changes"] {
            let n = try scene.layer(name).features.filter { try context.make($0.geometry).intersects(area) }.count
            if n > 0 { expected[name] = n }
        }
        #expect(counts == expected, "GDAL: \(counts), the scene: \(expected)")
        #expect(fields["control"] == ["controlled_by", "party_name"])
        #expect(fields["changes"] == ["from", "to", "from_name", "to_name", "area_km2"])
        #expect(fields["villages"]?.isSuperset(of: ["id", "name", "name_hy", "name_az", "name_ru", "place", "changed"]) == true, "\(fields["villages"] ?? [])")
    }

    /// The tile decoded by `mapbox-vector-tile` in tile coordinates (y down): layer → features,
    /// each with `valid`, GEOS's reason when Shapely (the decoder's own dependency) finds it invalid.
    static func decoded(_ tile: TileCoordinate, _ subject: MapSubject) throws -> [String: [[String: Any]]] {
        let (file, folder) = try write(tile, subject)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = """
            import json, sys, mapbox_vector_tile
            from shapely.geometry import shape
            from shapely.validation import explain_validity
            tile = mapbox_vector_tile.decode(open(sys.argv[1], "rb").read(), default_options={"y_coord_down": True})
            for layer in tile.values():
                for f in layer["features"]:
                    f["valid"] = explain_validity(shape(f["geometry"]))
            print(json.dumps({name: layer["features"] for name, layer in tile.items()}))
            """
        let json = try run("/usr/bin/env", ["python3", "-c", script, file.path])
        return try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [[String: Any]]] ?? [:]
    }

    /// The polygons of a decoded GeoJSON geometry: polygon → rings → positions.
    static func polygons(_ geometry: [String: Any]) -> [[[[Double]]]] {
        switch geometry["type"] as? String {
        case "Polygon": return [geometry["coordinates"] as? [[[Double]]] ?? []]
        case "MultiPolygon": return geometry["coordinates"] as? [[[[Double]]]] ?? []
        default: return []
        }
    }

    /// Twice the signed area of a closed ring (positive: clockwise on screen, y down).
    static func doubleArea(_ ring: [[Double]]) -> Double {
        zip(ring, ring.dropFirst()).reduce(0) { $0 + $1.0[0] * $1.1[1] - $1.1[0] * $1.0[1] }
    }

    @Test(.enabled(if: decoderInstalled))
    func aSecondDecoderFindsPlacesWithinAPixelAndShellsClockwise() throws {
        let tile = Self.parukhTile(zoom: 12)
        let layers = try Self.decoded(tile, Self.march)
        // Parukh where its longitude and latitude project, within a pixel of a 256 px tile (16 units).
        let village = try #require(layers["villages"]?.first { ($0["properties"] as? [String: Any])?["id"] as? String == "parukh" })
        let position = try #require((village["geometry"] as? [String: Any])?["coordinates"] as? [Double])
        let p = try Projection.webMercator().forward(.point(Self.parukh.lon, Self.parukh.lat))
        let expected = Self.tileUnits(p.coordinates[0], p.coordinates[1], tile)
        #expect(abs(position[0] - expected.x) <= 16 && abs(position[1] - expected.y) <= 16, "\(position) vs \(expected)")
        let properties = try #require(village["properties"] as? [String: Any])
        #expect(properties["name_hy"] as? String == "Փառուխ" && properties["changed"] as? Bool == true)
        #expect(properties["place"] as? String == "village" && properties["capital"] == nil)
        // Every shell clockwise on screen (positive area with y down), every hole the other way.
        let control = try #require(layers["control"])
        #expect(Set(control.compactMap { ($0["properties"] as? [String: Any])?["controlled_by"] as? String }) == ["karabakh-armenian", "azerbaijani"])
        var rings = 0
        for feature in control {
            for polygon in Self.polygons(feature["geometry"] as? [String: Any] ?? [:]) {
                #expect(Self.doubleArea(polygon[0]) > 0, "a shell of \(feature["properties"] ?? "")")
                for hole in polygon.dropFirst() { #expect(Self.doubleArea(hole) < 0) }
                rings += polygon.count
            }
        }
        #expect(rings >= 2)
    }

    @Test(.enabled(if: decoderInstalled))
    func theChangesLayerHoldsTheGroundThatChangedHandsWithItsArea() throws {
        // Zoom 10: the whole change around Parukh lies in one tile.
        let tile = Self.parukhTile(zoom: 10)
        let layers = try Self.decoded(tile, Self.march)
        // Valid, though the change's ring crosses itself in the data (a spike north-east of
        // Parukh), and so do the areas of control painted with it.
        for (name, features) in layers {
            for feature in features { #expect(feature["valid"] as? String == "Valid Geometry", "\(name): \(feature["valid"] ?? "")") }
        }
        let changes = try #require(layers["changes"])
        try #require(changes.count == 1)
        let properties = try #require(changes[0]["properties"] as? [String: Any])
        #expect(properties["from"] as? String == "karabakh-armenian" && properties["to"] as? String == "azerbaijani")
        let source = try Self.source.get()
        let change = try #require(try source.data.dataset.changes(from: CalendarDate("2022-03-01")!, to: CalendarDate("2022-03-28")!).first)
        #expect(abs((properties["area_km2"] as? Double ?? 0) - change.areaKm2) < 0.01)
        // The decoded polygon's area, tile units to ground km² (Mercator stretches by 1 / cos φ).
        let polygons = Self.polygons(changes[0]["geometry"] as? [String: Any] ?? [:])
        let units = polygons.reduce(0) { sum, p in sum + p.reduce(0) { $0 + Self.doubleArea($1) } } / 2
        let metres = tile.bounds.width / Double(VectorTile.extent), cosine = cos(Self.parukh.lat * .pi / 180)
        let km2 = units * metres * metres * cosine * cosine / 1e6
        #expect(abs(km2 - change.areaKm2) / change.areaKm2 < 0.03, "\(km2) km² in the tile, \(change.areaKm2) km² in the data")
        // Every position within a pixel (16 units) of the source's boundary.
        let outline = try Projection.webMercator().forward(change.geometry)
        var edges: [(a: (x: Double, y: Double), b: (x: Double, y: Double))] = []
        for r in outline.ringRanges {
            for i in r.lowerBound..<(r.upperBound - 1) {
                let a = outline.position(i), b = outline.position(i + 1)
                edges.append((Self.tileUnits(a.x, a.y, tile), Self.tileUnits(b.x, b.y, tile)))
            }
        }
        let positions: [[Double]] = polygons.flatMap { $0.flatMap { $0 } }
        var farthest = 0.0
        for q in positions {
            farthest = max(farthest, edges.map { Self.distance(q, $0.a, $0.b) }.min() ?? .infinity)
        }
        #expect(!positions.isEmpty && farthest <= 16, "farthest position \(farthest) units from the source")
    }

    /// Distance from `q` to the segment `a`–`b`.
    static func distance(_ q: [Double], _ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
        let dx: Double = b.x - a.x, dy: Double = b.y - a.y
        let length: Double = dx * dx + dy * dy
        let along: Double = (q[0] - a.x) * dx + (q[1] - a.y) * dy
        let t: Double = length == 0 ? 0 : max(0, min(1, along / length))
        return hypot(q[0] - a.x - t * dx, q[1] - a.y - t * dy)
    }
}
