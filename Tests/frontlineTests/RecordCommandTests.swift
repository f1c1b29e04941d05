import Foundation
import FrontlineData
import FrontlineGeometry
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `frontline import`, `record`, `history`, `snapshot` and `changes` on a record, run as the built
/// program on small datasets the tests write: two parties `a` and `b` in the box [0, 0, 0.1, 0.1]
/// (about 11 km square at the equator), snapshots made of rectangles, so that every answer can be
/// worked out by hand as the geodesic area of a rectangle.
@Suite struct RecordCommandTests {
    // MARK: The ground, by hand

    static func box(_ w: Double, _ s: Double, _ e: Double, _ n: Double) -> BoundingBox {
        BoundingBox(minX: w, minY: s, maxX: e, maxY: n)
    }

    static let whole = box(0, 0, 0.1, 0.1)
    static let west = box(0, 0, 0.05, 0.1)
    static let east = box(0.05, 0, 0.1, 0.1)
    /// a's bite into b's ground: 0.01° × 0.02° on the front.
    static let bite = box(0.05, 0.04, 0.06, 0.06)
    /// The east half without the bite, in three rectangles.
    static let eastLessBite = [box(0.05, 0, 0.1, 0.04), box(0.06, 0.04, 0.1, 0.06), box(0.05, 0.06, 0.1, 0.1)]

    static let day1: [Piece] = [("a", west), ("b", east)]
    static let day2: [Piece] = [("a", west), ("a", bite)] + eastLessBite.map { ("b", $0) }

    /// The geodesic area of a rectangle, km².
    static func km2(_ b: BoundingBox) -> Double { Geodesic.wgs84.areaKm2(.rectangle(b)) }
    static func km2(_ boxes: [BoundingBox]) -> Double { boxes.reduce(0) { $0 + km2($1) } }

    /// Within 0.1 % or 1e-4 km² (outputs round areas to 4 decimals).
    static func isClose(_ value: Double?, _ expected: Double) -> Bool {
        guard let value else { return false }
        return abs(value - expected) <= max(1e-4, 0.001 * abs(expected))
    }

    /// Two decimals, as the commands print areas of 0.1 km² or more.
    static func printed(_ km2: Double) -> String { String(format: "%.2f", km2) }

    // MARK: A dataset folder and the program

    typealias Piece = (party: String, box: BoundingBox)

    /// A temporary folder: `data/` (a dataset.json, then the record the commands write) and
    /// `snapshots/` (the files a test writes).
    struct Workspace {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-record-\(UUID().uuidString)")
        var data: URL { root.appendingPathComponent("data") }
        var snapshots: URL { root.appendingPathComponent("snapshots") }
        var control: URL { data.appendingPathComponent("control") }

        static let datasetJSON = """
            {
              "title": "Two halves (record test)",
              "attribution": "hand-made test data",
              "license": "CC0",
              "parties": [{"id": "a", "name": "Party A"}, {"id": "b", "name": "Party B"}],
              "key_dates": [{"date": "2024-01-01", "label": "start"}],
              "temporal_extent": ["2024-01-01", "2024-12-31"],
              "default_date": "2024-01-01",
              "bbox": [0, 0, 0.1, 0.1]
            }

            """

        init() throws {
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: snapshots, withIntermediateDirectories: true)
            try Data(Self.datasetJSON.utf8).write(to: data.appendingPathComponent("dataset.json"))
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        /// Writes `FOLDER/DATE.geojson` (FOLDER: `snapshots/` unless given), one feature per piece.
        @discardableResult
        func writeSnapshot(_ date: String, _ pieces: [Piece], in folder: String? = nil) throws -> URL {
            let folder = folder.map { root.appendingPathComponent($0) } ?? snapshots
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let url = folder.appendingPathComponent("\(date).geojson")
            try Data(RecordCommandTests.featureCollection(pieces.map { ("controlled_by", $0.party, $0.box) }).utf8).write(to: url)
            return url
        }

        /// Writes a file of features in `root`.
        @discardableResult
        func writeFile(_ name: String, _ text: String) throws -> URL {
            let url = root.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url
        }

        /// Runs the program to its end.
        func run(_ arguments: [String]) throws -> Run { try RecordCommandTests.run(arguments, in: root) }

        /// Every file under `control/` (relative path → bytes).
        func controlFiles() -> [String: Data] { RecordCommandTests.files(under: control) }

        /// Each party's area (and `none`'s) in `snapshot --date`.
        func snapshotAreas(_ date: String) throws -> [String: Double] {
            let features = try snapshotFeatures(date)
            return Dictionary(uniqueKeysWithValues: features.map { ($0.party, $0.area) })
        }

        /// `snapshot --date`'s features: party, stated area and geometry.
        func snapshotFeatures(_ date: String) throws -> [(party: String, area: Double, geometry: Geometry)] {
            let result = try run(["snapshot", "--data", data.path, "--date", date])
            try #require(result.status == 0, "\(result)")
            return try RecordCommandTests.features(result.out).map { f in
                (try #require(f["properties"]?["controlled_by"]?.stringValue), try #require(f["properties"]?["area_km2"]?.numberValue),
                 try Geometry(geoJSON: try #require(f["geometry"])))
            }
        }

        /// `changes --from --to`'s pieces: "from>to" → area.
        func changes(_ from: String, _ to: String) throws -> [String: Double] {
            let result = try run(["changes", "--data", data.path, "--from", from, "--to", to])
            try #require(result.status == 0, "\(result)")
            var found: [String: Double] = [:]
            for f in try RecordCommandTests.features(result.out) {
                let key = "\(try #require(f["properties"]?["from"]?.stringValue))>\(try #require(f["properties"]?["to"]?.stringValue))"
                #expect(found[key] == nil, "one feature per pair: \(key)")
                found[key] = try #require(f["properties"]?["area_km2"]?.numberValue)
            }
            return found
        }

        /// `history --format geojson`'s changes.
        func history() throws -> [(id: Int, date: String, to: String, area: Double)] {
            let result = try run(["history", "--data", data.path, "--format", "geojson"])
            try #require(result.status == 0, "\(result)")
            return try RecordCommandTests.features(result.out).map { f in
                let p = try #require(f["properties"])
                return (Int(try #require(p["id"]?.numberValue)), try #require(p["date"]?.stringValue), try #require(p["to"]?.stringValue),
                        try #require(p["area_km2"]?.numberValue))
            }
        }
    }

    /// A finished run of the program.
    struct Run: CustomStringConvertible {
        var status: Int32
        /// Ended by a signal (a crash), not by exit.
        var signalled: Bool
        var out: String
        var err: String
        var description: String { "exit \(status)\(signalled ? " (signal)" : ""); stdout:\n\(out)\nstderr:\n\(err)" }
    }

    /// The `frontline` built beside the test bundle.
    static func binary() throws -> URL {
        let binary = try #require(Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("frontline"))
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "\(binary.path) is built by `swift build`")
        return binary
    }

    /// Starts the program in `folder`, its output to `out` and `err` (files), or nowhere.
    static func start(_ arguments: [String], in folder: URL, out: FileHandle? = nil, err: FileHandle? = nil) throws -> Process {
        let process = Process()
        process.executableURL = try binary()
        process.currentDirectoryURL = folder
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "FRONTLINE_DATA" }
        process.standardOutput = out ?? FileHandle.nullDevice
        process.standardError = err ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs the program in `folder` to its end; its output goes through files (no pipe to fill).
    static func run(_ arguments: [String], in folder: URL) throws -> Run {
        let outURL = folder.appendingPathComponent(".out-\(UUID().uuidString)"), errURL = folder.appendingPathComponent(".err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process: Process
        do {
            process = try start(arguments, in: folder, out: out, err: err)
        } catch {
            try? out.close()
            try? err.close()
            throw error
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                   out: try String(contentsOf: outURL, encoding: .utf8), err: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// Every regular file under `folder` (relative path → bytes), but the derived checkpoints of
    /// `.cache/`, which are not part of the record (docs/record.md).
    static func files(under folder: URL) -> [String: Data] {
        var found: [String: Data] = [:]
        guard let files = FileManager.default.enumerator(atPath: folder.path) else { return found }
        while let file = files.nextObject() as? String {
            if file == ".cache" || file.hasPrefix(".cache/") { continue }
            var isDirectory: ObjCBool = false
            let path = folder.appendingPathComponent(file).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            found[file] = FileManager.default.contents(atPath: path)
        }
        return found
    }

    /// A FeatureCollection of rectangles, each with one property.
    static func featureCollection(_ features: [(key: String, value: String, box: BoundingBox)]) -> String {
        let lines = features.map { f in
            "{\"type\":\"Feature\",\"properties\":{\"\(f.key)\":\"\(f.value)\"},\"geometry\":\(polygonJSON(f.box))}"
        }
        return "{\"type\":\"FeatureCollection\",\"features\":[\n" + lines.joined(separator: ",\n") + "\n]}\n"
    }

    static func polygonJSON(_ b: BoundingBox) -> String {
        let ring = [(b.minX, b.minY), (b.maxX, b.minY), (b.maxX, b.maxY), (b.minX, b.maxY), (b.minX, b.minY)]
        return "{\"type\":\"Polygon\",\"coordinates\":[[" + ring.map { "[\($0.0),\($0.1)]" }.joined(separator: ",") + "]]}"
    }

    /// The features of a FeatureCollection's text.
    static func features(_ text: String) throws -> [JSONValue] {
        try #require(try JSONParser.parse(Array(text.utf8))["features"]?.arrayValue)
    }

    /// The area of the ground in one geometry and not the other, km².
    static func difference(_ g: Geometry, _ h: Geometry) throws -> Double {
        let context = try GeometryContext()
        let x = try context.make(g), y = try context.make(h)
        return Geodesic.wgs84.areaKm2(try x.difference(y).polygonalPart()) + Geodesic.wgs84.areaKm2(try y.difference(x).polygonalPart())
    }

    /// The union of rectangles.
    static func union(_ boxes: [BoundingBox]) throws -> Geometry {
        try GeometryContext().union(of: boxes.map { Geometry.rectangle($0) }).polygonalPart()
    }

    /// The numbers in `text` right after the first `marker`, up to `count` of them.
    static func numbers(after marker: String, in text: String, count: Int) -> [Double] {
        guard let range = text.range(of: marker) else { return [] }
        let rest = text[range.upperBound...]
        let tokens = rest.split(whereSeparator: { !($0.isNumber || $0 == "." || $0 == "-") })
        return Array(tokens.prefix(count).compactMap { Double($0) })
    }

    /// Runs `ogr2ogr` or `ogrinfo` (gdal-bin); its standard output.
    @discardableResult
    static func gdal(_ tool: String, _ arguments: [String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory
        let outURL = folder.appendingPathComponent("frontline-\(tool)-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL) }
        let out = try FileHandle(forWritingTo: outURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { try? out.close(); throw error }
        process.waitUntilExit()
        try out.close()
        try #require(process.terminationStatus == 0, "\(tool) \(arguments.joined(separator: " ")) failed")
        return try String(contentsOf: outURL, encoding: .utf8)
    }

    /// A record's changes as loaded, without `recorded` (the time of the run).
    static func loggedChanges(_ data: URL) throws -> [String] {
        let dataset = try Dataset.load(from: data)
        let record = try #require(dataset.record)
        return ["base \(record.baseDate) \(record.base.map { "\($0.partyID) \($0.geometry.coordinates)" })"]
            + record.changes.map { "\($0.id) \($0.date) \($0.to) \($0.source ?? "") \($0.geometry.kind) \($0.geometry.coordinates) \($0.geometry.ringEnds)" }
    }
}

// MARK: - Import

extension RecordCommandTests {
    /// 1. A bite on day 2, retaken on day 5.
    @Test func importedBiteAndRetakeAreTwoChangesOfTheBitesArea() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.writeSnapshot("2024-01-01", Self.day1)
        try w.writeSnapshot("2024-01-02", Self.day2)
        try w.writeSnapshot("2024-01-05", Self.day1)
        let bite = Self.km2(Self.bite)

        let imported = try w.run(["import", w.snapshots.path, "--data", w.data.path])
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.out.contains("2024-01-01  base: Party A \(Self.printed(Self.km2(Self.west))) km², Party B \(Self.printed(Self.km2(Self.east))) km²"),
                "\(imported.out)")
        #expect(imported.out.contains("2024-01-02  Party B → Party A  \(Self.printed(bite)) km²"), "\(imported.out)")
        #expect(imported.out.contains("2024-01-05  Party A → Party B  \(Self.printed(bite)) km²"), "\(imported.out)")
        #expect(imported.out.contains("3 snapshot(s), 2 change(s) recorded, 2 in the record"), "\(imported.out)")

        let history = try w.history()
        #expect(history.map(\.id) == [1, 2])
        #expect(history.map(\.date) == ["2024-01-02", "2024-01-05"])
        #expect(history.map(\.to) == ["a", "b"])
        #expect(history.allSatisfy { Self.isClose($0.area, bite) }, "\(history) vs \(bite)")

        let table = try w.run(["history", "--data", w.data.path])
        #expect(table.status == 0)
        #expect(table.out.contains("base 2024-01-01; 2 of 2 change(s)"), "\(table.out)")
        let line = table.out.split(separator: "\n").first { $0.contains("2024-01-02") }.map(String.init) ?? ""
        #expect(line.contains("Party A") && line.contains(Self.printed(bite)), "\(table.out)")
        let later = try w.run(["history", "--data", w.data.path, "--from", "2024-01-03"])
        #expect(later.out.contains("base 2024-01-01; 1 of 2 change(s)"), "\(later.out)")

        let taken = try w.changes("2024-01-01", "2024-01-02")
        #expect(Array(taken.keys) == ["b>a"])
        #expect(Self.isClose(taken["b>a"], bite), "\(taken)")
        let retaken = try w.changes("2024-01-02", "2024-01-05")
        #expect(Array(retaken.keys) == ["a>b"])
        #expect(Self.isClose(retaken["a>b"], bite), "\(retaken)")
        #expect(try w.changes("2024-01-01", "2024-01-05").isEmpty, "the bite was retaken: nothing changed hands over the whole time")
        #expect(try w.changes("2024-01-05", "2024-06-01").isEmpty)
    }

    /// 2. A hole in a's ground, a party vanishing, a gap between the parties.
    @Test func holesVanishingPartiesAndGapsAreGroundOfNone() throws {
        let w = try Workspace()
        defer { w.remove() }
        let hole = Self.box(0.01, 0.01, 0.02, 0.03)
        let westWithHole = [Self.box(0, 0, 0.01, 0.1), Self.box(0.02, 0, 0.05, 0.1), Self.box(0.01, 0, 0.02, 0.01), Self.box(0.01, 0.03, 0.02, 0.1)]
        let strip = Self.box(0.05, 0, 0.06, 0.1)
        try w.writeSnapshot("2024-01-01", Self.day1)
        try w.writeSnapshot("2024-01-03", westWithHole.map { ("a", $0) } + [("b", Self.east)])
        try w.writeSnapshot("2024-01-06", [("b", Self.whole)])
        try w.writeSnapshot("2024-01-09", [("a", Self.west), ("b", Self.box(0.06, 0, 0.1, 0.1))])
        let imported = try w.run(["import", w.snapshots.path, "--data", w.data.path])
        try #require(imported.status == 0, "\(imported)")

        // The hole: a's ground in it passes to none.
        let opened = try w.changes("2024-01-01", "2024-01-03")
        #expect(Array(opened.keys) == ["a>none"], "\(opened)")
        #expect(Self.isClose(opened["a>none"], Self.km2(hole)))
        let withHole = try w.snapshotAreas("2024-01-03")
        #expect(Self.isClose(withHole["none"], Self.km2(hole)), "\(withHole)")
        #expect(Self.isClose(withHole["a"], Self.km2(Self.west) - Self.km2(hole)), "\(withHole)")
        #expect(Self.isClose(withHole["b"], Self.km2(Self.east)), "\(withHole)")

        // a vanishes: all its ground and the hole pass to b.
        let vanished = try w.changes("2024-01-03", "2024-01-06")
        #expect(Set(vanished.keys) == ["a>b", "none>b"], "\(vanished)")
        #expect(Self.isClose(vanished["a>b"], Self.km2(Self.west) - Self.km2(hole)))
        #expect(Self.isClose(vanished["none>b"], Self.km2(hole)))
        let all = try w.snapshotAreas("2024-01-06")
        #expect(all["a"] == nil && Self.isClose(all["b"], Self.km2(Self.whole)), "\(all)")
        #expect((all["none"] ?? 0) < 1e-4, "\(all)")

        // a is back on the west half; a strip between the two is held by neither.
        let back = try w.changes("2024-01-06", "2024-01-09")
        #expect(Set(back.keys) == ["b>a", "b>none"], "\(back)")
        #expect(Self.isClose(back["b>a"], Self.km2(Self.west)))
        #expect(Self.isClose(back["b>none"], Self.km2(strip)))
        let gap = try w.snapshotFeatures("2024-01-09")
        let none = try #require(gap.first { $0.party == "none" })
        #expect(Self.isClose(none.area, Self.km2(strip)), "\(gap.map { ($0.party, $0.area) })")
        #expect(try Self.difference(none.geometry, .rectangle(strip)) < 1e-4, "the none feature is the strip")

        // Over the whole time only the strip changed hands: the hole was filled again.
        let overall = try w.changes("2024-01-01", "2024-01-09")
        #expect(Array(overall.keys) == ["b>none"], "\(overall)")
        #expect(Self.isClose(overall["b>none"], Self.km2(strip)))
        let sinceHole = try w.changes("2024-01-03", "2024-01-09")
        #expect(Set(sinceHole.keys) == ["none>a", "b>none"], "\(sinceHole)")
        #expect(Self.isClose(sinceHole["none>a"], Self.km2(hole)))
    }

    /// 3. Parties overlapping by a known rectangle.
    @Test func overlappingPartiesAreRefusedNamingTheDateAndAPlaceInTheOverlap() throws {
        let w = try Workspace()
        defer { w.remove() }
        let overlap = Self.box(0.05, 0, 0.06, 0.1)
        let overlapping: [Piece] = [("a", Self.box(0, 0, 0.06, 0.1)), ("b", Self.east)]

        // Into an empty folder: nothing is recorded.
        let first = try w.writeSnapshot("2024-01-02", overlapping, in: "bad")
        let refused = try w.run(["import", first.path, "--data", w.data.path])
        #expect(refused.status == 1 && !refused.signalled, "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: w.control.appendingPathComponent("record.json").path))

        // Into a record: the record stays as it was, byte for byte.
        try w.writeSnapshot("2024-01-01", Self.day1)
        try #require(try w.run(["import", w.snapshots.path, "--data", w.data.path]).status == 0)
        let before = w.controlFiles()
        #expect(before["record.json"] != nil)
        let result = try w.run(["import", first.path, "--data", w.data.path])
        #expect(result.status == 1 && !result.signalled, "\(result)")
        #expect(result.err.contains("2024-01-02"), "\(result.err)")
        #expect(result.err.contains("overlap"), "\(result.err)")
        let place = Self.numbers(after: "around ", in: result.err, count: 2)
        try #require(place.count == 2, "a place (lon, lat) in \(result.err)")
        #expect(result.err.contains("(lon, lat)"))
        #expect((overlap.minX...overlap.maxX).contains(place[0]) && (overlap.minY...overlap.maxY).contains(place[1]),
                "\(place) lies in the overlap \(overlap)")
        let stated = Self.numbers(after: "both hold ", in: result.err, count: 1)
        #expect(stated.count == 1 && abs(stated[0] - Self.km2(overlap)) <= 0.01 * Self.km2(overlap), "\(result.err) vs \(Self.km2(overlap)) km²")
        #expect(w.controlFiles() == before, "the record is unchanged")
    }

    /// 4. A party that dataset.json does not list.
    @Test func anUnknownPartyIsRefusedNamingTheValueTheFileAndTheFeature() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.writeSnapshot("2024-01-01", Self.day1)
        try #require(try w.run(["import", w.snapshots.path, "--data", w.data.path]).status == 0)
        let before = w.controlFiles()
        let file = try w.writeSnapshot("2024-01-02", [("a", Self.west), ("b", Self.box(0.05, 0, 0.1, 0.05)), ("c", Self.box(0.05, 0.05, 0.1, 0.1))],
                                       in: "bad")
        let result = try w.run(["import", file.path, "--data", w.data.path])
        #expect(result.status == 1 && !result.signalled, "\(result)")
        #expect(result.err.contains("\"c\""), "\(result.err)")
        #expect(result.err.contains(file.path), "\(result.err)")
        #expect(result.err.contains("feature 2"), "\(result.err)")
        #expect(w.controlFiles() == before)
    }

    /// 5. A snapshot dated between recorded changes.
    @Test func aCorrectionInTheMiddleChangesOnlyItsPeriod() throws {
        let w = try Workspace()
        defer { w.remove() }
        // a's north-east corner passes to b on day 6, away from the bite.
        let corner = Self.box(0.04, 0.09, 0.05, 0.1)
        let westLessCorner = [Self.box(0, 0, 0.04, 0.1), Self.box(0.04, 0, 0.05, 0.09)]
        try w.writeSnapshot("2024-01-01", Self.day1)
        try w.writeSnapshot("2024-01-02", Self.day2)
        try w.writeSnapshot("2024-01-06", westLessCorner.map { ("a", $0) } + [("a", Self.bite), ("b", corner)] + Self.eastLessBite.map { ("b", $0) })
        try #require(try w.run(["import", w.snapshots.path, "--data", w.data.path]).status == 0)

        let dates = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06", "2024-01-07", "2024-12-31"]
        var before: [String: [(party: String, area: Double, geometry: Geometry)]] = [:]
        for date in dates { before[date] = try w.snapshotFeatures(date) }
        let beforeBytes = try ["2024-01-01", "2024-01-02", "2024-01-03"].map { try w.run(["snapshot", "--data", w.data.path, "--date", $0]).out }

        // On day 4 the bite reaches 0.07°.
        let bigBite = Self.box(0.05, 0.04, 0.07, 0.06)
        let correctionBoxes: (a: [BoundingBox], b: [BoundingBox]) =
            ([Self.west, bigBite], [Self.box(0.05, 0, 0.1, 0.04), Self.box(0.07, 0.04, 0.1, 0.06), Self.box(0.05, 0.06, 0.1, 0.1)])
        let file = try w.writeSnapshot("2024-01-04", correctionBoxes.a.map { ("a", $0) } + correctionBoxes.b.map { ("b", $0) }, in: "correction")
        let corrected = try w.run(["import", file.path, "--data", w.data.path])
        #expect(corrected.status == 0, "\(corrected)")
        let widening = Self.box(0.06, 0.04, 0.07, 0.06)
        #expect(corrected.out.contains("2024-01-04  Party B → Party A  \(Self.printed(Self.km2(widening))) km²"), "\(corrected.out)")
        #expect(corrected.out.contains("correction: 1 change(s) put back the state recorded for 2024-01-06"), "\(corrected.out)")

        // Days 4 and 5 are the correction.
        for date in ["2024-01-04", "2024-01-05"] {
            let state = try w.snapshotFeatures(date)
            #expect(state.map(\.party) == ["a", "b"], "\(date)")
            for (party, boxes) in [("a", correctionBoxes.a), ("b", correctionBoxes.b)] {
                let feature = try #require(state.first { $0.party == party })
                #expect(Self.isClose(feature.area, Self.km2(boxes)), "\(date) \(party): \(feature.area)")
                #expect(try Self.difference(feature.geometry, try Self.union(boxes)) < 1e-4, "\(date) \(party) is the corrected ground")
            }
        }
        // Before it, byte for byte; from the next recorded change on, the same ground as before.
        let afterBytes = try ["2024-01-01", "2024-01-02", "2024-01-03"].map { try w.run(["snapshot", "--data", w.data.path, "--date", $0]).out }
        #expect(afterBytes == beforeBytes)
        for date in ["2024-01-06", "2024-01-07", "2024-12-31"] {
            let state = try w.snapshotFeatures(date), old = try #require(before[date])
            #expect(state.map(\.party) == old.map(\.party), "\(date)")
            for (new, old) in zip(state, old) {
                #expect(Self.isClose(new.area, old.area), "\(date) \(new.party): \(new.area) km², before \(old.area) km²")
                #expect(try Self.difference(new.geometry, old.geometry) < 1e-4, "\(date) \(new.party): the ground it held before the correction")
            }
        }
        // The bite, the widening, the corner and the widening given back.
        #expect(try w.history().map(\.date) == ["2024-01-02", "2024-01-04", "2024-01-06", "2024-01-06"])
    }

    /// 6. The same snapshots again.
    @Test func importingTheSameSnapshotsAgainChangesNothing() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.writeSnapshot("2024-01-01", Self.day1)
        try w.writeSnapshot("2024-01-02", Self.day2)
        try w.writeSnapshot("2024-01-03", [("a", Self.box(0, 0, 0.02, 0.1)), ("a", Self.box(0.03, 0, 0.05, 0.1)), ("a", Self.bite)]
                                             + Self.eastLessBite.map { ("b", $0) })
        try w.writeSnapshot("2024-01-05", Self.day1)
        try #require(try w.run(["import", w.snapshots.path, "--data", w.data.path]).status == 0)
        let before = w.controlFiles()
        #expect(before.keys.contains("changes/2024/2024-01-03.geojson"), "\(before.keys.sorted())")

        let again = try w.run(["import", w.snapshots.path, "--data", w.data.path])
        #expect(again.status == 0, "\(again)")
        #expect(again.out.contains("4 snapshot(s), nothing changed"), "\(again.out)")
        #expect(w.controlFiles() == before, "every file under control/, byte for byte")

        let one = try w.run(["import", w.snapshots.appendingPathComponent("2024-01-02.geojson").path, "--data", w.data.path])
        #expect(one.status == 0 && one.out.contains("nothing changed"), "\(one)")
        #expect(w.controlFiles() == before)
    }

    /// 7. GeoPackage and Shapefile snapshots made from the GeoJSON ones.
    @Test func geoPackageAndShapefileSnapshotsMakeTheSameRecord() throws {
        let w = try Workspace()
        defer { w.remove() }
        let hole = Self.box(0.01, 0.01, 0.02, 0.03)
        try w.writeSnapshot("2024-01-01", Self.day1)
        try w.writeSnapshot("2024-01-02", Self.day2)
        try w.writeSnapshot("2024-01-03", [Self.box(0, 0, 0.01, 0.1), Self.box(0.02, 0, 0.05, 0.1), Self.box(0.01, 0, 0.02, 0.01),
                                           Self.box(0.01, 0.03, 0.02, 0.1), Self.bite].map { ("a", $0) } + Self.eastLessBite.map { ("b", $0) })
        try w.writeSnapshot("2024-01-05", Self.day1)
        let names = try FileManager.default.contentsOfDirectory(atPath: w.snapshots.path).sorted()
        try #require(names.count == 4)

        var records: [String: URL] = [:]
        for (format, ext, property) in [("GeoJSON", "geojson", "controlled_by"), ("GPKG", "gpkg", "controlled_by"), ("ESRI Shapefile", "shp", "controlled")] {
            // GeoJSON as written; the others converted from it by GDAL's own ogr2ogr.
            let folder = ext == "geojson" ? w.snapshots : w.root.appendingPathComponent("in-\(ext)")
            let data = w.root.appendingPathComponent("data-\(ext)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: w.data, to: data)
            for name in names where ext != "geojson" {
                let target = folder.appendingPathComponent(name.replacingOccurrences(of: ".geojson", with: ".\(ext)")).path
                try Self.gdal("ogr2ogr", ["-f", format, target, w.snapshots.appendingPathComponent(name).path])
            }
            if ext == "shp" {
                let fields = try Self.gdal("ogrinfo", ["-so", "-al", folder.appendingPathComponent("2024-01-01.shp").path])
                #expect(fields.contains("controlled: String"), "the Shapefile cuts the field name: \(fields)")
            }
            let imported = try Self.run(["import", folder.path, "--data", data.path, "--party-property", property, "--source", "snapshots"], in: w.root)
            #expect(imported.status == 0, "\(ext): \(imported)")
            records[ext] = data
        }

        func history(_ data: URL) throws -> [(id: Int, date: String, to: String, area: Double)] {
            let result = try Self.run(["history", "--data", data.path, "--format", "geojson"], in: w.root)
            try #require(result.status == 0, "\(result)")
            return try Self.features(result.out).map { f in
                let p = try #require(f["properties"])
                return (Int(try #require(p["id"]?.numberValue)), try #require(p["date"]?.stringValue), try #require(p["to"]?.stringValue),
                        try #require(p["area_km2"]?.numberValue))
            }
        }
        func areas(_ data: URL, _ date: String) throws -> [String: Double] {
            let result = try Self.run(["snapshot", "--data", data.path, "--date", date], in: w.root)
            try #require(result.status == 0, "\(result)")
            return Dictionary(uniqueKeysWithValues: try Self.features(result.out).map {
                (try #require($0["properties"]?["controlled_by"]?.stringValue), try #require($0["properties"]?["area_km2"]?.numberValue))
            })
        }
        let expected = try history(try #require(records["geojson"]))
        #expect(expected.map(\.date) == ["2024-01-02", "2024-01-03", "2024-01-05", "2024-01-05"], "\(expected)")
        for ext in ["gpkg", "shp"] {
            let found = try history(try #require(records[ext]))
            #expect(found.map(\.id) == expected.map(\.id) && found.map(\.date) == expected.map(\.date) && found.map(\.to) == expected.map(\.to),
                    "\(ext): \(found) vs \(expected)")
            #expect(zip(found, expected).allSatisfy { abs($0.area - $1.area) <= 1e-4 }, "\(ext): \(found.map(\.area)) vs \(expected.map(\.area))")
        }
        for date in ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"] {
            let reference = try areas(try #require(records["geojson"]), date)
            for ext in ["gpkg", "shp"] {
                let found = try areas(try #require(records[ext]), date)
                #expect(Set(found.keys) == Set(reference.keys) && found.allSatisfy { abs($0.value - reference[$0.key]!) <= 1e-4 },
                        "\(ext) on \(date): \(found) vs \(reference)")
            }
        }
        #expect(Self.isClose(try areas(try #require(records["shp"]), "2024-01-03")["none"], Self.km2(hole)))
    }
}

// MARK: - Record, revert, a second writer, a killed writer

extension RecordCommandTests {
    /// A record of the bite (day 2) and its retaking (day 5).
    func biteRecord() throws -> Workspace {
        let w = try Workspace()
        try w.writeSnapshot("2024-01-01", Self.day1)
        try w.writeSnapshot("2024-01-02", Self.day2)
        try w.writeSnapshot("2024-01-05", Self.day1)
        let imported = try w.run(["import", w.snapshots.path, "--data", w.data.path])
        try #require(imported.status == 0, "\(imported)")
        return w
    }

    /// 8. `record --to a AREA`, `--dry-run` and `--revert`.
    @Test func recordCountsOnlyTheGroundThatChangesHandsAndRevertTakesItBack() throws {
        let w = try biteRecord()
        defer { w.remove() }
        // Half a's already, half b's.
        let area = Self.box(0.04, 0.02, 0.07, 0.03), taken = Self.box(0.05, 0.02, 0.07, 0.03)
        let file = try w.writeFile("area.geojson", Self.featureCollection([("name", "field", area)]))
        let dates = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06", "2024-12-31"]
        let snapshots = try dates.map { try w.run(["snapshot", "--data", w.data.path, "--date", $0]).out }
        let before = w.controlFiles()
        let arguments = ["record", "--date", "2024-01-03", "--to", "a", file.path, "--data", w.data.path, "--source", "a report"]

        let dry = try w.run(arguments + ["--dry-run"])
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.out.contains("2024-01-03  Party B → Party A  \(Self.printed(Self.km2(taken))) km²"), "\(dry.out)")
        #expect(dry.out.contains("dry run: nothing written"), "\(dry.out)")
        #expect(w.controlFiles() == before, "a dry run writes nothing")

        let recorded = try w.run(arguments)
        #expect(recorded.status == 0, "\(recorded)")
        #expect(recorded.out.contains("2024-01-03  Party B → Party A  \(Self.printed(Self.km2(taken))) km²"), "\(recorded.out)")
        #expect(recorded.out.contains("recorded as change 3"), "\(recorded.out)")
        let history = try w.history()
        let change = try #require(history.first { $0.id == 3 })
        #expect(change.date == "2024-01-03" && change.to == "a")
        #expect(Self.isClose(change.area, Self.km2(taken)), "only the part that was b's: \(change.area) vs \(Self.km2(taken))")
        let gained = try w.changes("2024-01-02", "2024-01-03")
        #expect(Array(gained.keys) == ["b>a"] && Self.isClose(gained["b>a"], Self.km2(taken)), "\(gained)")
        // It stays a's after the bite is retaken on day 5.
        #expect(Self.isClose(try w.snapshotAreas("2024-01-06")["a"], Self.km2(Self.west) + Self.km2(taken)))

        let unknown = try w.run(["record", "--revert", "99", "--data", w.data.path])
        #expect(unknown.status == 1 && !unknown.signalled, "\(unknown)")
        #expect(unknown.err.contains("no change 99"), "\(unknown.err)")

        let reverted = try w.run(["record", "--revert", "3", "--data", w.data.path])
        #expect(reverted.status == 0, "\(reverted)")
        #expect(reverted.out.contains("change 3 of 2024-01-03 taken back:"), "\(reverted.out)")
        #expect(reverted.out.contains("2024-01-03  Party A → Party B  \(Self.printed(Self.km2(taken))) km²"), "\(reverted.out)")
        #expect(try w.history().map(\.id) == [1, 2])
        // Its day file is gone; the others are the same bytes; the id is not given again.
        var files = w.controlFiles(), old = before
        let index = files.removeValue(forKey: "record.json") ?? Data()
        old.removeValue(forKey: "record.json")
        #expect(files == old, "\(files.keys.sorted()) vs \(old.keys.sorted())")
        #expect(String(decoding: index, as: UTF8.self).contains("\"next_id\": 4"))
        for (date, old) in zip(dates, snapshots) {
            #expect(try w.run(["snapshot", "--data", w.data.path, "--date", date]).out == old, "\(date): as before the change, byte for byte")
        }
        let again = try w.run(["record", "--revert", "3", "--data", w.data.path])
        #expect(again.status == 1 && again.err.contains("no change 3"), "\(again)")
    }

    /// `record --to none`: only ground some party holds passes to none.
    @Test func recordToNoneCountsOnlyTheGroundAPartyHeld() throws {
        let w = try biteRecord()
        defer { w.remove() }
        let corner = Self.box(0.08, 0.08, 0.1, 0.1), wider = Self.box(0.07, 0.08, 0.1, 0.1), added = Self.box(0.07, 0.08, 0.08, 0.1)
        let cornerFile = try w.writeFile("corner.geojson", Self.featureCollection([("name", "corner", corner)]))
        let widerFile = try w.writeFile("wider.geojson", Self.featureCollection([("name", "wider", wider)]))

        let first = try w.run(["record", "--date", "2024-01-03", "--to", "none", cornerFile.path, "--data", w.data.path])
        #expect(first.status == 0 && first.out.contains("2024-01-03  Party B → No party  \(Self.printed(Self.km2(corner))) km²"), "\(first)")
        // Half of it is no party's already.
        let second = try w.run(["record", "--date", "2024-01-04", "--to", "none", widerFile.path, "--data", w.data.path])
        #expect(second.status == 0 && second.out.contains("2024-01-04  Party B → No party  \(Self.printed(Self.km2(added))) km²"), "\(second)")
        let history = try w.history()
        #expect(history.map(\.date) == ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"])
        let change = try #require(history.first { $0.date == "2024-01-04" })
        #expect(change.to == "none" && Self.isClose(change.area, Self.km2(added)), "only the part b held: \(change.area) vs \(Self.km2(added))")
        #expect(Self.isClose(try w.snapshotAreas("2024-01-04")["none"], Self.km2(wider)))

        // All of it is no party's: nothing to record.
        let before = w.controlFiles()
        let again = try w.run(["record", "--date", "2024-01-04", "--to", "none", widerFile.path, "--data", w.data.path])
        #expect(again.status == 1 && !again.signalled, "\(again)")
        #expect(again.err.contains("nothing changes"), "\(again.err)")
        #expect(w.controlFiles() == before)
    }

    /// 9. Another writer holds the lock.
    @Test func aSecondWriterIsRefusedWhileTheLockIsHeld() throws {
        let w = try biteRecord()
        defer { w.remove() }
        let file = try w.writeFile("area.geojson", Self.featureCollection([("name", "field", Self.box(0.05, 0.02, 0.07, 0.03))]))
        let arguments = ["record", "--wait", "0.5", "--date", "2024-01-03", "--to", "a", file.path, "--data", w.data.path]
        let before = w.controlFiles()

        let lock = open(w.control.appendingPathComponent(".lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        try #require(lock >= 0)
        defer { close(lock) }
        try #require(flock(lock, LOCK_EX | LOCK_NB) == 0)
        let start = Date()
        let refused = try w.run(arguments)
        let waited = Date().timeIntervalSince(start)
        #expect(refused.status == 1 && !refused.signalled, "\(refused)")
        #expect(refused.err.contains("another import or record is writing"), "\(refused.err)")
        #expect(refused.err.contains("waited 0.5 s"), "\(refused.err)")
        #expect(waited >= 0.5, "it waits for the other writer: \(waited) s")
        #expect(w.controlFiles() == before)

        let importing = try w.run(["import", w.snapshots.path, "--wait", "0", "--data", w.data.path])
        #expect(importing.status == 1 && importing.err.contains("another import or record is writing"), "\(importing)")

        try #require(flock(lock, LOCK_UN) == 0)
        let recorded = try w.run(arguments)
        #expect(recorded.status == 0, "\(recorded)")
        #expect(recorded.out.contains("recorded as change 3"), "\(recorded.out)")
    }

    /// 10. A writer killed at any moment.
    @Test func aKilledImportLeavesTheOldRecordOrTheNewOneAndTheNextImportWorks() throws {
        let template = try Workspace()
        defer { template.remove() }
        try template.writeSnapshot("2024-01-01", Self.day1)
        try #require(try template.run(["import", template.snapshots.path, "--data", template.data.path]).status == 0)
        // Forty days of a bite moving north along the front, and a corner of the map changing
        // hands every fifth day: 80+ changes in 40 day files.
        for day in 2...41 {
            let y0 = Double((day - 2) * 2) / 1000, y1 = y0 + 0.005
            let date = String(format: "2024-%02d-%02d", 2 + (day - 2) / 28, 1 + (day - 2) % 28)
            var pieces: [Piece] = [("a", Self.west), ("a", Self.box(0.05, y0, 0.06, y1)),
                                   ("b", Self.box(0.05, 0, 0.06, y0)), ("b", Self.box(0.05, y1, 0.06, 0.1))]
            pieces = pieces.filter { $0.box.minY < $0.box.maxY }
            pieces += day % 5 == 0 ? [("a", Self.box(0.06, 0.09, 0.07, 0.1)), ("b", Self.box(0.06, 0, 0.07, 0.09)), ("b", Self.box(0.07, 0, 0.1, 0.1))]
                                   : [("b", Self.box(0.06, 0, 0.1, 0.1))]
            try template.writeSnapshot(date, pieces, in: "many")
        }
        let many = template.root.appendingPathComponent("many").path
        let before = template.controlFiles()
        let importArguments = { (w: Workspace) in ["import", many, "--data", w.data.path] }

        // A clean run: what a finished import leaves, and how long it takes.
        let clean = try Workspace()
        defer { clean.remove() }
        try FileManager.default.removeItem(at: clean.data)
        try FileManager.default.copyItem(at: template.data, to: clean.data)
        let started = Date()
        let finished = try clean.run(importArguments(clean))
        let duration = Date().timeIntervalSince(started)
        try #require(finished.status == 0, "\(finished)")
        let expected = try Self.loggedChanges(clean.data)
        #expect(expected.count > 80, "\(expected.count) changes")

        // Kills at times through the run, and at times after the commit began (the first new day
        // file appeared beside its place): while day files are written, around the commit point,
        // while they are moved into place.
        enum Moment: CustomStringConvertible {
            case after(Double), afterCommitBegan(Double), afterCommitPoint(Double)
            var description: String {
                switch self {
                case .after(let s): return "\(s) s after the start"
                case .afterCommitBegan(let s): return "\(s) s after the commit began"
                case .afterCommitPoint(let s): return "\(s) s after record.json was replaced"
                }
            }
        }
        let firstPending = "changes/2024/2024-02-01.geojson.pending"
        let moments: [Moment] = Set([0.05, 0.2] + [0.5, 0.9, 1.3].map { ($0 * duration * 100).rounded() / 100 }).sorted().map { .after($0) }
            + [0, 0.002, 0.005, 0.01, 0.02, 0.04, 0.08, 0.15].map { .afterCommitBegan($0) }
            + [0, 0.001, 0.003].map { .afterCommitPoint($0) }
        var outcomes: [String] = []
        for moment in moments {
            let trial = try Workspace()
            defer { trial.remove() }
            try FileManager.default.removeItem(at: trial.data)
            try FileManager.default.copyItem(at: template.data, to: trial.data)
            let process = try Self.start(importArguments(trial), in: trial.root)
            switch moment {
            case .after(let delay):
                usleep(UInt32(delay * 1_000_000))
            case .afterCommitBegan(let delay):
                let marker = trial.control.appendingPathComponent(firstPending).path
                let deadline = Date().addingTimeInterval(120)
                while !FileManager.default.fileExists(atPath: marker), process.isRunning, Date() < deadline { usleep(500) }
                #expect(FileManager.default.fileExists(atPath: marker), "the import writes its first day file beside its place")
                usleep(UInt32(delay * 1_000_000))
            case .afterCommitPoint(let delay):
                // rename(2) over record.json gives it the new file's inode.
                func inode() -> UInt64? {
                    var info = stat()
                    return stat(trial.control.appendingPathComponent("record.json").path, &info) == 0 ? UInt64(info.st_ino) : nil
                }
                let first = inode()
                let deadline = Date().addingTimeInterval(120)
                while inode() == first, process.isRunning, Date() < deadline { usleep(200) }
                usleep(UInt32(delay * 1_000_000))
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let validated = try trial.run(["validate", "--data", trial.data.path])
            #expect(validated.status == 0, "killed \(moment): \(validated)")
            #expect(!validated.err.contains("differs from what record.json says"), "killed \(moment): \(validated.err)")
            let after = trial.controlFiles()
            let leftovers = after.keys.filter { before[$0] == nil }.sorted()
            if before.allSatisfy({ after[$0.key] == $0.value }), leftovers.allSatisfy({ $0.hasSuffix(".pending") || $0.hasSuffix(".tmp") }) {
                outcomes.append("\(moment): unchanged, \(leftovers.count) file(s) left")
            } else {
                #expect(try Self.loggedChanges(trial.data) == expected,
                        "killed \(moment): the record is neither the old one nor the finished import's; new files \(leftovers)")
                outcomes.append("\(moment): finished, \(leftovers.filter { $0.hasSuffix(".pending") }.count) file(s) still to move")
            }

            // The next writer tidies what was left, even when it has nothing to write: the base
            // snapshot again.
            let tidying = try trial.run(["import", template.snapshots.path, "--data", trial.data.path])
            #expect(tidying.status == 0 && tidying.out.contains("nothing changed"), "after a kill \(moment): \(tidying)")
            let tidied = trial.controlFiles()
            #expect(!tidied.keys.contains { $0.hasSuffix(".pending") || $0.hasSuffix(".tmp") }, "after a kill \(moment): \(tidied.keys.sorted())")
            if outcomes.last?.contains("unchanged") == true {
                #expect(tidied == before, "after a kill \(moment): the old record, file for file")
            }

            // The import again finishes the work.
            let next = try trial.run(importArguments(trial))
            #expect(next.status == 0, "after a kill \(moment): \(next)")
            let tidy = trial.controlFiles()
            #expect(!tidy.keys.contains { $0.hasSuffix(".pending") || $0.hasSuffix(".tmp") }, "after a kill \(moment): \(tidy.keys.sorted())")
            #expect(try Self.loggedChanges(trial.data) == expected, "after a kill \(moment)")
            let index = try RecordIndex(json: try JSONParser.parse(Array(try #require(tidy["record.json"]))))
            for entry in [index.base] + index.days {
                #expect(tidy[entry.file].map { RecordLayout.hash($0) } == entry.hash, "after a kill \(moment): \(entry.file) is the committed file")
            }
            #expect(Set(tidy.keys) == Set([index.base.file, "record.json", ".lock"] + index.days.map(\.file)), "\(tidy.keys.sorted())")
        }
        #expect(outcomes.contains { $0.contains("unchanged") } && outcomes.contains { $0.contains("finished") },
                "kills before and after the commit (a clean run takes \(duration) s): \(outcomes)")
        #expect(outcomes.contains { $0.contains("unchanged") && !$0.contains(" 0 file(s)") },
                "a kill during the commit left files for the next writer to tidy: \(outcomes)")
    }
}

// MARK: - Exports and bad input

extension RecordCommandTests {
    /// 11. GeoPackage, Shapefile and FlatGeobuf read back by GDAL's own ogrinfo.
    @Test func exportsReadBackByOgrinfoHoldTheSameFeaturesAndAreas() throws {
        let w = try biteRecord()
        defer { w.remove() }
        func areas(_ arguments: [String]) throws -> [Double] {
            let result = try w.run(arguments + ["--data", w.data.path])
            try #require(result.status == 0, "\(result)")
            return try Self.features(result.out).map { try #require($0["properties"]?["area_km2"]?.numberValue) }.sorted()
        }
        func ogrinfoAreas(_ file: URL) throws -> (count: Int, areas: [Double]) {
            let text = try Self.gdal("ogrinfo", ["-al", "-geom=NO", file.path])
            let lines = text.split(separator: "\n")
            let values = lines.filter { $0.contains("area_km2 (") }.compactMap { line in
                line.split(separator: "=").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            }
            return (lines.filter { $0.hasPrefix("OGRFeature(") }.count, values.sorted())
        }
        let cases: [(arguments: [String], file: String)] = [
            (["history", "--format", "geojson"], "history.gpkg"),
            (["snapshot", "--date", "2024-01-02"], "snapshot.shp"),
            (["changes", "--from", "2024-01-01", "--to", "2024-01-02"], "changes.fgb"),
            (["changes", "--from", "2024-01-02", "--to", "2024-01-05"], "retaken.gpkg"),
        ]
        for (arguments, name) in cases {
            let expected = try areas(arguments)
            #expect(!expected.isEmpty, "\(arguments)")
            let file = w.root.appendingPathComponent(name)
            let exported = try w.run(arguments.filter { $0 != "--format" && $0 != "geojson" } + ["-o", file.path, "--data", w.data.path])
            #expect(exported.status == 0, "\(exported)")
            let (count, found) = try ogrinfoAreas(file)
            #expect(count == expected.count, "\(name): \(count) features, \(expected.count) in GeoJSON")
            #expect(found.count == expected.count && zip(found, expected).allSatisfy { abs($0 - $1) <= 1e-9 }, "\(name): \(found) vs \(expected)")
        }
    }

    /// 12. Bad input is refused with a clear error, and the record stays as it was.
    @Test func badInputIsRefusedWithClearErrors() throws {
        let w = try biteRecord()
        defer { w.remove() }
        let before = w.controlFiles()
        let point = try w.writeFile("point.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0.05,0.05]}}]}
            """)
        let line = try w.writeFile("line.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0.04,0.05],[0.06,0.05]]}}]}
            """)
        let area = try w.writeFile("area.geojson", Self.featureCollection([("name", "field", Self.box(0.05, 0.02, 0.07, 0.03))]))
        let inside = try w.writeFile("inside.geojson", Self.featureCollection([("name", "field", Self.box(0.01, 0.01, 0.02, 0.02))]))
        let outside = try w.writeFile("outside.geojson", Self.featureCollection([("name", "field", Self.box(1, 1, 1.1, 1.1))]))
        let later = try w.writeSnapshot("2025-01-01", Self.day2, in: "later")
        let data = ["--data", w.data.path]
        let cases: [(arguments: [String], message: String)] = [
            (["record", "--date", "2024-01-03", "--to", "a", point.path], "holds no polygon"),
            (["record", "--date", "2024-01-03", "--to", "a", line.path], "holds no polygon"),
            (["record", "--date", "2024-01-03", "--to", "a", w.root.appendingPathComponent("missing.geojson").path], "missing.geojson"),
            (["record", "--date", "2025-03-01", "--to", "a", area.path], "2025-03-01 is outside the dataset's temporal extent (2024-01-01 to 2024-12-31)"),
            (["record", "--date", "2023-12-31", "--to", "a", area.path], "2023-12-31 is outside the dataset's temporal extent"),
            (["record", "--date", "2024-01-03", "--to", "c", area.path], "--to c is not a party of dataset.json"),
            (["record", "--date", "2024-01-03", "--to", "a", inside.path], "a already holds all of the area on 2024-01-03"),
            (["record", "--date", "2024-01-03", "--to", "a", outside.path], "nothing changes"),
            (["import", later.path], "2025-01-01 is outside the dataset's temporal extent"),
            (["import", w.root.appendingPathComponent("nowhere").path], "no such file or folder"),
        ]
        for (arguments, message) in cases {
            let result = try w.run(arguments + data)
            #expect(result.status == 1 && !result.signalled, "\(arguments): \(result)")
            #expect(result.err.contains(message), "\(arguments): \(result.err)")
            #expect(w.controlFiles() == before, "\(arguments) leaves the record as it was")
        }

        // A mistyped dataset folder is named, and not made.
        let typo = w.root.appendingPathComponent("dta")
        for arguments in [["import", w.snapshots.path], ["record", "--date", "2024-01-03", "--to", "a", area.path], ["record", "--revert", "1"]] {
            let result = try w.run(arguments + ["--data", typo.path])
            #expect(result.status == 1 && !result.signalled, "\(arguments): \(result)")
            #expect(result.err.contains("there is no dataset folder at \(typo.path)"), "\(arguments): \(result.err)")
            #expect(!FileManager.default.fileExists(atPath: typo.path), "\(arguments) leaves no folder behind")
        }

        // A legacy dataset (one control.geojson) has no history.
        let legacy = w.root.appendingPathComponent("legacy")
        try FileManager.default.copyItem(at: CommandLineTests.repository.appendingPathComponent("Tests/FrontlineDataTests/Fixtures/analysis/squares"), to: legacy)
        let history = try w.run(["history", "--data", legacy.path])
        #expect(history.status == 1 && !history.signalled, "\(history)")
        #expect(history.err.contains("not a record"), "\(history.err)")
        let recorded = try w.run(["record", "--date", "2021-03-01", "--to", "red", area.path, "--data", legacy.path])
        #expect(recorded.status == 1 && !recorded.signalled, "\(recorded)")
        #expect(recorded.err.contains("holds a control.geojson, not a record"), "\(recorded.err)")
        #expect(!FileManager.default.fileExists(atPath: legacy.appendingPathComponent("control").path), "no lock is left in a legacy folder")
        let squares = try w.writeSnapshot("2021-03-01", [("red", Self.box(0, 0, 0.2, 0.1)), ("blue", Self.box(0.2, 0, 0.3, 0.1))], in: "squares")
        let imported = try w.run(["import", squares.path, "--data", legacy.path])
        #expect(imported.status == 1 && !imported.signalled, "\(imported)")
        #expect(imported.err.contains("holds a control.geojson"), "\(imported.err)")
    }
}
