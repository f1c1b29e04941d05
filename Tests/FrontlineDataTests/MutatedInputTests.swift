import Foundation
import Testing
import FrontlineData
import FrontlineGeometry

/// Random damage to valid files must give errors, never a crash: a deterministic, bounded
/// fuzz of the JSON parser, the GeoJSON reader and the loader.
@Suite struct MutatedInputTests {
    /// SplitMix64, so that every run damages the files the same way.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static let alphabet = Array(#"[]{},:"-.0123456789eENaInfinityNaNtruefalsenull \#u{00}\#u{FF}\"#.utf8)

    static func mutate(_ bytes: [UInt8], _ r: inout Random) -> [UInt8] {
        var b = bytes
        for _ in 0...r.below(4) {
            guard !b.isEmpty else { break }
            let i = r.below(b.count)
            switch r.below(6) {
            case 0: b[i] = alphabet[r.below(alphabet.count)]
            case 1: b[i] = UInt8(truncatingIfNeeded: r.next())
            case 2: b.removeSubrange(i..<min(b.count, i + 1 + r.below(40)))
            case 3: b.insert(alphabet[r.below(alphabet.count)], at: i)
            case 4: let j = min(b.count, i + 1 + r.below(200)); b.insert(contentsOf: b[i..<j], at: r.below(b.count))
            default: b.removeSubrange(i...)
            }
        }
        return b
    }

    @Test func damagedJSONNeverCrashesTheReader() throws {
        let sources = ["analysis/three-parties/control.geojson", "analysis/three-parties/pipeline.geojson",
                       "analysis/squares/villages.geojson", "analysis/squares/dataset.json"]
        var r = Random(state: 2022_03_24)
        var parsed = 0, refused = 0
        for source in sources {
            let original = Array(try Data(contentsOf: Fixtures.url(source)))
            for _ in 0..<1500 {
                let bytes = Self.mutate(original, &r)
                guard let json = try? JSONParser.parse(bytes) else { refused += 1; continue }
                parsed += 1
                for feature in json["features"]?.arrayValue ?? [] {
                    if let g = feature["geometry"] { _ = try? Geometry(geoJSON: g) }
                }
            }
        }
        // Both outcomes happen: the damage is neither always fatal nor always harmless.
        #expect(parsed > 100 && refused > 100, "parsed \(parsed), refused \(refused)")
    }

    @Test func damagedDatasetsGiveIssuesNeverACrash() throws {
        let source = Fixtures.url("analysis/three-parties")
        let files = try FileManager.default.contentsOfDirectory(atPath: source.path).filter { $0.hasSuffix(".geojson") || $0.hasSuffix(".json") }
            .filter { $0 != "expected.json" }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-mutated-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var r = Random(state: 2023_09_20)
        var loaded = 0, refused = 0
        for _ in 0..<150 {
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in files { try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file)) }
            let victim = files[r.below(files.count)]
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(victim)))
            try Data(Self.mutate(bytes, &r)).write(to: folder.appendingPathComponent(victim))
            do {
                let dataset = try Dataset.load(from: folder)
                _ = try dataset.checkControlConsistency()
                if let first = dataset.controlChangeDates.first, let last = dataset.controlChangeDates.last, first < last {
                    _ = try dataset.changes(from: first, to: last)
                    _ = try dataset.overlaps(on: first)
                }
                loaded += 1
            } catch let error as DatasetError {
                refused += 1
                #expect(!error.errors.isEmpty)
                for issue in error.issues {
                    #expect(!issue.message.isEmpty)
                    #expect(Dataset.File(rawValue: issue.file) != nil, "issue names a contract file: \(issue)")
                }
            }
        }
        #expect(loaded > 5 && refused > 5, "loaded \(loaded), refused \(refused)")
    }
}

extension MutatedInputTests {
    /// Found by fuzzing: a population beyond Int's range once crashed the loader.
    @Test func hugePopulationsAreAnIssueNotACrash() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-population-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Fixtures.url("analysis/squares"), to: folder)
        let villages = folder.appendingPathComponent("villages.geojson")
        let text = try String(contentsOf: villages, encoding: .utf8)
        let damaged = text.replacingOccurrences(of: "\"population\": 120", with: "\"population\": 1e300")
        #expect(damaged != text)
        try damaged.write(to: villages, atomically: true, encoding: .utf8)
        let issues = Fixtures.issues(of: folder)
        #expect(issues.contains { $0.code == .badValue && $0.property == "population" && $0.file == "villages.geojson" })
    }
}
