import Foundation
import FrontlineData
import FrontlineGeometry
import Testing
@testable import frontline

/// `frontline snapshot` and the GIS outputs of `changes`, run in-process.
@Suite struct SnapshotCommandTests {
    let cli = CommandLineTests()

    private func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("frontline-snapshot-\(UUID())-\(name)")
    }

    @Test func theDefaultSnapshotCoversTheExtentWithTwoPartiesAndNone() throws {
        let out = temporaryFile("snapshot.geojson")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(cli.exitCode(["snapshot", "--data", CommandLineTests.data, "--date", "2022-03-26", "-o", out.path]) == 0)
        let features = try #require(JSONParser.parse(Array(try Data(contentsOf: out)))["features"]?.arrayValue)
        #expect(features.compactMap { $0["properties"]?["controlled_by"]?.stringValue } == ["karabakh-armenian", "azerbaijani", "none"])
        #expect(features.allSatisfy { $0["properties"]?["date"] == .string("2022-03-26") })
        let geometries = try features.map { try Geometry(geoJSON: try #require($0["geometry"])) }
        for (feature, geometry) in zip(features, geometries) {
            let stated = try #require(feature["properties"]?["area_km2"]?.numberValue)
            #expect(abs(stated - Geodesic.wgs84.areaKm2(geometry)) < 1e-3)
        }
        // The pieces meet the bbox's edges at different points; measured with geodesic edges, a long
        // east-west edge sags poleward (~28 km² over the box's 137 km width), so both sides are measured
        // with their edges densified, following the parallels as the lon/lat data means them.
        let areas = geometries.map { Geodesic.wgs84.areaKm2(densified($0)) }
        let dataset = try FolderDataSource(directory: URL(fileURLWithPath: CommandLineTests.data)).load()
        let extent = Geodesic.wgs84.areaKm2(densified(.rectangle(dataset.metadata.bbox)))
        #expect(abs(areas.reduce(0, +) - extent) <= 0.001 * extent, "parties and none: \(areas) km², extent \(extent) km²")
    }

    @Test func aGeoPackageSnapshotHasOneFeaturePerParty() throws {
        let out = temporaryFile("snapshot.gpkg")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(cli.exitCode(["snapshot", "--data", CommandLineTests.data, "-o", out.path]) == 0)
        let header = try FileHandle(forReadingFrom: out).read(upToCount: 16) ?? Data()
        #expect(header == Data("SQLite format 3\0".utf8))
    }

    @Test func changesAsGeoJSONFileAreTheLibrarysBytes() throws {
        let out = temporaryFile("changes.geojson")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(cli.exitCode(["changes", "--data", CommandLineTests.data, "--from", "2022-03-01", "--to", "2022-03-28", "-o", out.path]) == 0)
        let dataset = try FolderDataSource(directory: URL(fileURLWithPath: CommandLineTests.data)).load()
        let changes = try dataset.changes(from: CalendarDate("2022-03-01")!, to: CalendarDate("2022-03-28")!, minimumAreaKm2: Dataset.defaultMinimumChangeKm2)
        #expect(try Data(contentsOf: out) == Data(changes.geoJSON))
    }

    @Test(arguments: [
        ["snapshot", "-o", "snapshot.xyz"],
        ["snapshot", "-o", "/nonexistent/dir/snapshot.gpkg"],
        ["snapshot", "-o", "/proc/snapshot.shp"],
        ["changes", "--from", "2022-03-01", "--to", "2022-03-28", "-o", "changes.txt"],
        ["changes", "--from", "2022-03-01", "--to", "2022-03-28", "-o", "/nonexistent/changes.fgb"],
        ["snapshot", "--date", "2031-01-01"],
    ])
    func badOutputsExitWith1(_ arguments: [String]) {
        #expect(cli.exitCode(arguments + ["--data", CommandLineTests.data]) == 1)
    }

    /// The polygonal geometry with a position at least every 0.01° along each edge, straight in lon/lat.
    private func densified(_ g: Geometry) -> Geometry {
        var out = Geometry(kind: g.kind, coordinates: [], ringEnds: [], polygonEnds: g.polygonEnds)
        for r in g.ringRanges {
            for i in r.dropLast() {
                let (a, b) = (g.position(i), g.position(i + 1))
                let steps = max(1, Int((max(abs(b.x - a.x), abs(b.y - a.y)) / 0.01).rounded(.up)))
                for k in 0..<steps {
                    let t = Double(k) / Double(steps)
                    out.coordinates += [a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)]
                }
            }
            if let last = r.last { out.coordinates += [g.position(last).x, g.position(last).y] }
            out.ringEnds.append(out.coordinates.count / 2)
        }
        return out
    }
}
