import Foundation
import Testing
import FrontlineData
import FrontlineGeometry

/// The analyses on small hand-made datasets whose answers were worked out by hand
/// (Fixtures/analysis/*/EXPECTED.md) and checked with pyproj (expected.json).
@Suite struct AnalysisTests {
    static let datasets = ["squares", "three-parties"]

    @Test(arguments: datasets)
    func changesMatchTheHandWorkedAnswers(_ name: String) throws {
        let dataset = try Dataset.load(from: Fixtures.url("analysis/\(name)"))
        let expected = try #require(try Fixtures.json("analysis/\(name)/expected.json")["changes"]?.arrayValue)
        let byDates = Dictionary(grouping: expected) { "\($0["from_date"]!.stringValue!) \($0["to_date"]!.stringValue!)" }
        for (dates, list) in byDates {
            let parts = dates.split(separator: " ").map { date(String($0)) }
            let changes = try dataset.changes(from: parts[0], to: parts[1])
            #expect(changes.count == list.count, "\(name) \(dates): \(changes.map { "\($0.from.id)→\($0.to.id) \($0.areaKm2)" })")
            for e in list {
                let from = e["from"]!.stringValue!, to = e["to"]!.stringValue!
                let change = try #require(changes.first { $0.from.id == from && $0.to.id == to }, "\(name) \(dates): no \(from)→\(to)")
                #expect(close(change.areaKm2, e["area_km2"]!.numberValue!, relative: 1e-4), "\(from)→\(to): \(change.areaKm2)")
                #expect(change.villages.map(\.id).sorted() == e["village_ids"]!.arrayValue!.map { $0.stringValue! }.sorted())
                #expect(change.heights.map(\.id).sorted() == e["height_ids"]!.arrayValue!.map { $0.stringValue! }.sorted())
                #expect(change.fromDate == parts[0] && change.toDate == parts[1])
            }
        }
    }

    @Test(arguments: datasets)
    func overlapsMatchTheHandWorkedAnswers(_ name: String) throws {
        let dataset = try Dataset.load(from: Fixtures.url("analysis/\(name)"))
        let json = try Fixtures.json("analysis/\(name)/expected.json")
        let all = [json["overlaps"]!] + (json["more_overlaps"]?.arrayValue ?? [])
        for expected in all {
            let day = date(expected["date"]!.stringValue!)
            let report = try dataset.overlaps(on: day)
            for zone in expected["zones"]!.arrayValue! {
                let split = try #require(report.zones.first { $0.zone.name == zone["name"]!.stringValue! })
                let share = try #require(split.shares.first { $0.party.id == zone["party"]!.stringValue! }, "\(day) \(zone)")
                #expect(close(share.areaKm2, zone["area_km2"]!.numberValue!, relative: 1e-4))
                #expect(abs(share.percent - zone["percent"]!.numberValue!) < 0.01)
            }
            for (party, km) in expected["pipeline_km"]!.objectValue! {
                let length = report.pipelines.flatMap(\.shares).filter { $0.party.id == party }.reduce(0) { $0 + $1.lengthKm }
                #expect(close(length, km.numberValue!, relative: 1e-4) || (km.numberValue! == 0 && length < 1e-6), "\(day) \(party): \(length)")
            }
            for (id, party) in expected["villages"]!.objectValue! {
                #expect(report.villages.first { $0.place.id == id }?.party.id == party.stringValue, "\(day) village \(id)")
            }
            for (id, party) in expected["heights"]?.objectValue ?? [:] {
                #expect(report.heights.first { $0.place.id == id }?.party.id == party.stringValue, "\(day) height \(id)")
            }
        }
    }

    @Test func snapshotUnionsEachPartyAndLeavesTheRestToNone() throws {
        let dataset = try Dataset.load(from: Fixtures.url("analysis/squares"))
        let snapshot = try dataset.snapshot(on: date("2021-09-01"))
        // Red x∈[0,0.1], blue x∈[0.1,0.25], none x∈[0.25,0.3] (all y∈[0,0.1]).
        #expect(snapshot.areas["red"]?.boundingBox == BoundingBox(minX: 0, minY: 0, maxX: 0.1, maxY: 0.1))
        #expect(snapshot.areas["blue"]?.boundingBox == BoundingBox(minX: 0.1, minY: 0, maxX: 0.25, maxY: 0.1))
        let none = try #require(snapshot.none.boundingBox)
        #expect(abs(none.minX - 0.25) < 1e-12 && abs(none.maxX - 0.3) < 1e-12)
    }

    @Test func changesAsGeoJSONCarryTheContractsProperties() throws {
        let dataset = try Dataset.load(from: Fixtures.url("analysis/squares"))
        let changes = try dataset.changes(from: date("2021-01-01"), to: date("2021-06-01"))
        let json = try JSONParser.parse(changes.geoJSON)
        let feature = try #require(json["features"]?.arrayValue?.first)
        let p = try #require(feature["properties"])
        #expect(p["from"] == .string("red") && p["to"] == .string("blue"))
        #expect(p["from_date"] == .string("2021-01-01") && p["to_date"] == .string("2021-06-01"))
        #expect(p["village_ids"] == .numbers(NumberArray()) || p["village_ids"]?.arrayValue?.first == .string("v2"))
        #expect(close(p["area_km2"]!.numberValue!, 123.0907, relative: 1e-4))
        let geometry = try Geometry(geoJSON: feature["geometry"]!)
        #expect(geometry.kind == .polygon)
        #expect(geometry.signedRingArea(geometry.ringRanges[0]) > 0, "outer ring counter-clockwise")
    }

    @Test func slivorsUnderTheMinimumAreaAreDropped() throws {
        let dataset = try Dataset.load(from: Fixtures.url("analysis/squares"))
        let all = try dataset.changes(from: date("2021-01-01"), to: date("2021-06-01"), minimumAreaKm2: 0)
        let big = try dataset.changes(from: date("2021-01-01"), to: date("2021-06-01"), minimumAreaKm2: 200)
        #expect(all.count == 1)
        #expect(big.isEmpty)
    }

    @Test func tablesAreAlignedWithOneDecimal() throws {
        let dataset = try Dataset.load(from: Fixtures.url("analysis/three-parties"))
        let changes = try dataset.changes(from: date("2022-01-01"), to: date("2022-06-01"))
        let table = changes.table(from: date("2022-01-01"), to: date("2022-06-01"), minimumAreaKm2: 0.01)
        #expect(table.contains("95.0"))
        let lines = table.split(separator: "\n").filter { $0.contains("km²") == false && $0.contains(".") && !$0.contains("Changes") }
        let columns = Set(lines.compactMap { line in line.firstIndex(of: ".").map { line.distance(from: line.startIndex, to: $0) } })
        #expect(columns.count == 1, "decimal points line up: \(lines)")
    }
}

extension AnalysisTests {
    @Test func partiesAreFoundByIdIncludingNone() throws {
        let dataset = try Dataset.load(from: Fixtures.url("analysis/squares"))
        #expect(dataset.party("none") == Party.none)
        #expect(dataset.party("red")?.name == "Red")
        #expect(dataset.party("green") == nil)
    }
}
