import Foundation
import FrontlineGeometry
import Testing
@testable import FrontlineData

/// The record of control (docs/record.md): its state and changes against answers worked out by
/// hand or by whole-map overlays, and its writer's steps interrupted at every point.
@Suite struct RecordTests {
    /// Boxes in degrees near the equator: the extent is about 11 km square.
    static let extent = BoundingBox(minX: 0, minY: 0, maxX: 0.1, maxY: 0.1)
    static let west = BoundingBox(minX: 0, minY: 0, maxX: 0.05, maxY: 0.1)
    static let east = BoundingBox(minX: 0.05, minY: 0, maxX: 0.1, maxY: 0.1)
    static let bite = BoundingBox(minX: 0.05, minY: 0.04, maxX: 0.06, maxY: 0.06)

    static func km2(_ box: BoundingBox) -> Double { Geodesic.wgs84.areaKm2(.rectangle(box)) }
    static func km2(_ g: Geometry?) -> Double { g.map { Geodesic.wgs84.areaKm2($0) } ?? 0 }

    /// a holds the west half, b the east half, from 2024-01-01.
    static let halves = ControlRecord(baseDate: date("2024-01-01"), base: [
        BaseGround(partyID: "a", geometry: .rectangle(west)), BaseGround(partyID: "b", geometry: .rectangle(east)),
    ], changes: [])

    static func change(_ id: Int, _ day: String, _ to: String, _ box: BoundingBox) -> RecordedChange {
        RecordedChange(id: id, date: date(day), to: to, geometry: .rectangle(box))
    }

    @Test func aBiteAndItsRetakingAreSeenOnlyBetweenTheirDates() throws {
        let record = ControlRecord(baseDate: Self.halves.baseDate, base: Self.halves.base, changes: [
            Self.change(1, "2024-01-02", "a", Self.bite), Self.change(2, "2024-01-05", "b", Self.bite),
        ])
        let state = try record.state(on: date("2024-01-03"))
        #expect(close(Self.km2(state["a"]), Self.km2(Self.west) + Self.km2(Self.bite)))
        #expect(close(Self.km2(state["b"]), Self.km2(Self.east) - Self.km2(Self.bite)))

        let taken = try record.passages(from: date("2024-01-01"), to: date("2024-01-02"))
        #expect(taken.map { "\($0.from)>\($0.to)" } == ["b>a"])
        #expect(close(Self.km2(taken.first?.geometry), Self.km2(Self.bite)))
        let retaken = try record.passages(from: date("2024-01-03"), to: date("2024-01-05"))
        #expect(retaken.map { "\($0.from)>\($0.to)" } == ["a>b"])
        #expect(try record.passages(from: date("2024-01-01"), to: date("2024-01-05")).isEmpty)
        #expect(try record.passages(from: date("2024-01-05"), to: date("2024-03-01")).isEmpty)
        #expect(record.period(around: date("2024-01-03")) == ValidityPeriod(from: date("2024-01-02"), to: date("2024-01-05")))
        #expect(try record.state(on: date("2023-12-31")).isEmpty, "nothing is held before the base")
    }

    @Test func groundPassingToNoneOpensAHole() throws {
        let hole = BoundingBox(minX: 0.01, minY: 0.04, maxX: 0.02, maxY: 0.06)
        let record = ControlRecord(baseDate: Self.halves.baseDate, base: Self.halves.base,
                                   changes: [Self.change(1, "2024-02-01", "none", hole)])
        let passages = try record.passages(from: date("2024-01-15"), to: date("2024-02-01"))
        #expect(passages.map { "\($0.from)>\($0.to)" } == ["a>none"])
        #expect(close(Self.km2(passages.first?.geometry), Self.km2(hole)))
        let a = try #require(try record.state(on: date("2024-02-01"))["a"])
        #expect(a.ringRanges.count == 2, "the west half with one hole")
    }

    /// changes(A, B) from the changes between the dates alone must equal the whole-map answer:
    /// each party's ground on A intersected with each one's on B, over records of random changes.
    @Test(arguments: [1, 2, 3])
    func passagesEqualTheIntersectionsOfWholeStates(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        var changes: [RecordedChange] = []
        for id in 1...40 {
            let x = Double(random.next() % 90) / 1000, y = Double(random.next() % 90) / 1000
            let w = Double(2 + random.next() % 20) / 1000, h = Double(2 + random.next() % 20) / 1000
            let to = ["a", "b", "none"][Int(random.next() % 3)]
            let day = date("2024-01-01").adding(days: Int(random.next() % 60))
            changes.append(RecordedChange(id: id, date: day, to: to, geometry: .rectangle(
                BoundingBox(minX: x, minY: y, maxX: min(0.1, x + w), maxY: min(0.1, y + h)))))
        }
        let record = ControlRecord(baseDate: Self.halves.baseDate, base: Self.halves.base, changes: changes)
        let context = try GeometryContext()
        for (from, to) in [("2024-01-05", "2024-02-10"), ("2024-01-01", "2024-03-01"), ("2024-02-01", "2024-02-02")] {
            let a = try record.state(on: date(from)), b = try record.state(on: date(to))
            func ground(_ state: [String: Geometry], _ party: String) throws -> OwnedGeometry {
                if party != "none" { return try context.make(state[party] ?? .empty) }
                let held = Array(state.values)
                let all = try context.make(.rectangle(Self.extent))
                return held.isEmpty ? all : try all.difference(try context.union(of: held))
            }
            let found = Dictionary(uniqueKeysWithValues: try record.passages(from: date(from), to: date(to)).map { ("\($0.from)>\($0.to)", Self.km2($0.geometry)) })
            for p in ["a", "b", "none"] {
                for q in ["a", "b", "none"] where q != p {
                    let expected = Self.km2(try (try ground(a, p)).intersection(try ground(b, q)).polygonalPart())
                    let got = found["\(p)>\(q)"] ?? 0
                    #expect(abs(got - expected) < 1e-6 + 1e-6 * expected, "\(from)→\(to) \(p)>\(q): \(got) vs \(expected) km²")
                }
            }
        }
    }

    @Test func aCorrectionReplacesTheStateUntilTheNextRecordedChange() throws {
        let elsewhere = BoundingBox(minX: 0, minY: 0, maxX: 0.01, maxY: 0.01)
        let record = ControlRecord(baseDate: Self.halves.baseDate, base: Self.halves.base, changes: [
            Self.change(1, "2024-01-02", "a", Self.bite), Self.change(2, "2024-01-06", "b", elsewhere),
        ])
        // The snapshot of 4 January: a holds a bite twice as wide.
        let wider = BoundingBox(minX: 0.05, minY: 0.04, maxX: 0.07, maxY: 0.06)
        let corrected = try record.state(on: date("2024-01-02")).merging(["a": try union(.rectangle(Self.west), .rectangle(wider)),
                                                                          "b": try difference(.rectangle(Self.east), .rectangle(wider))]) { $1 }
        let (fixed, added) = try record.importing(ControlSnapshotInput(date: date("2024-01-04"), grounds: corrected), parties: ["a", "b"], source: nil, recorded: nil,
                                                  minimumAreaKm2: 0.01)
        #expect(added.map(\.date) == [date("2024-01-04"), date("2024-01-06")], "the correction, then its end on the next recorded date")
        for day in ["2024-01-01", "2024-01-03", "2024-01-06", "2024-02-01"] {
            let before = try record.state(on: date(day)), after = try fixed.state(on: date(day))
            for party in ["a", "b"] { #expect(close(Self.km2(before[party]), Self.km2(after[party])), "\(day) \(party)") }
        }
        let during = try fixed.state(on: date("2024-01-05"))
        #expect(close(Self.km2(during["a"]), Self.km2(Self.west) + Self.km2(wider)))
        // Importing the same correction again finds nothing to change.
        #expect(try fixed.importing(ControlSnapshotInput(date: date("2024-01-04"), grounds: corrected), parties: ["a", "b"], source: nil, recorded: nil,
                                    minimumAreaKm2: 0.01).1.isEmpty)
    }

    @Test func recordingLeavesOutWhatThePartyHeldAndRevertingTakesItBack() throws {
        let area = BoundingBox(minX: 0.04, minY: 0.02, maxX: 0.07, maxY: 0.03)
        let (next, change) = try Self.halves.recording(.rectangle(area), to: "a", on: date("2024-03-01"), extent: Self.extent,
                                                       source: "report", recorded: nil)
        #expect(close(Self.km2(change.geometry), Self.km2(BoundingBox(minX: 0.05, minY: 0.02, maxX: 0.07, maxY: 0.03))))
        #expect(change.id == 1 && next.nextID == 2)
        #expect(throws: RecordEditError.self) {
            try next.recording(.rectangle(area), to: "a", on: date("2024-03-02"), extent: Self.extent, source: nil, recorded: nil)
        }
        let (back, reverted) = try next.reverting(change.id)
        #expect(reverted.id == change.id && back.changes.isEmpty)
        #expect(throws: RecordEditError.self) { try back.reverting(99) }
        // Outside the extent, nothing is recorded.
        #expect(throws: RecordEditError.self) {
            try Self.halves.recording(.rectangle(BoundingBox(minX: 1, minY: 1, maxX: 2, maxY: 2)), to: "a", on: date("2024-03-01"),
                                      extent: Self.extent, source: nil, recorded: nil)
        }
    }

    @Test func overlappingPartiesInASnapshotAreRefusedNamingTheDateAndThePlace() throws {
        let pieces = [SnapshotPiece(partyID: "a", geometry: .rectangle(BoundingBox(minX: 0, minY: 0, maxX: 0.06, maxY: 0.1)), origin: "s.geojson: feature 0"),
                      SnapshotPiece(partyID: "b", geometry: .rectangle(Self.east), origin: "s.geojson: feature 1")]
        do {
            _ = try ControlRecord.starting(with: try ControlSnapshotInput(pieces, on: date("2024-05-01"), extent: Self.extent), parties: ["a", "b"], source: nil)
            Issue.record("an overlap of about 12 km² was accepted")
        } catch let error as RecordEditError {
            #expect(error.description.contains("2024-05-01") && error.description.contains("s.geojson"), "\(error)")
            #expect(error.description.contains("around 0.05"), "a place inside the overlap: \(error)")
        }
    }

    @Test func aLaterSnapshotWhosePartiesOverlapWhereItChangesIsRefused() throws {
        // a pushes into b's half, but b's ground is not cut back: 0.01° × 0.02° held twice.
        let snapshot = ControlSnapshotInput(date: date("2024-02-01"), grounds: [
            "a": .rectangle(BoundingBox(minX: 0, minY: 0, maxX: 0.05, maxY: 0.1)).mappingMembers { $0 },
            "b": .rectangle(Self.east),
        ], origins: ["a": ["day.gpkg: feature 0"], "b": ["day.gpkg: feature 1"]])
        var grounds = snapshot
        grounds.grounds["a"] = try union(.rectangle(Self.west), .rectangle(Self.bite))
        do {
            _ = try Self.halves.importing(grounds, parties: ["a", "b"], source: nil, recorded: nil, minimumAreaKm2: 0.01)
            Issue.record("an overlap of about 2.5 km² was accepted")
        } catch let error as RecordEditError {
            #expect(error.description.contains("2024-02-01") && error.description.contains("day.gpkg") && error.description.contains("around 0.05"), "\(error)")
        }
        #expect(try Self.halves.importing(snapshot, parties: ["a", "b"], source: nil, recorded: nil, minimumAreaKm2: 0.01).1.isEmpty)
    }

    // MARK: The writer

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let metadata = #"{"title": "t", "attribution": "a", "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "#
            + #""key_dates": [], "temporal_extent": ["2024-01-01", "2024-12-31"], "default_date": "2024-01-01", "bbox": [0, 0, 0.1, 0.1]}"#
        try Data(metadata.utf8).write(to: url.appendingPathComponent("dataset.json"))
        return url
    }

    static func files(in folder: URL) -> [String: Data] {
        let root = folder.appendingPathComponent("control")
        let names = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return Dictionary(uniqueKeysWithValues: names.compactMap { name in
            (try? Data(contentsOf: root.appendingPathComponent(name))).map { (name, $0) }
        })
    }

    @Test func aWriterStoppedAtAnyStepLeavesTheOldRecordOrTheNew() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = ControlRecord(baseDate: Self.halves.baseDate, base: Self.halves.base, changes: [Self.change(1, "2024-01-02", "a", Self.bite)])
        try RecordWriter(dataset: folder).commit(old)
        let oldFiles = Self.files(in: folder)
        let new = try old.reverting(1).0.recording(.rectangle(BoundingBox(minX: 0.05, minY: 0, maxX: 0.06, maxY: 0.01)), to: "a",
                                                   on: date("2024-02-01"), extent: Self.extent, source: nil, recorded: nil).0

        func loaded() throws -> [String: Double] {
            let dataset = try Dataset.load(from: folder)
            #expect(dataset.warnings.isEmpty, "\(dataset.warnings)")
            let record = try #require(dataset.record)
            return try record.state(on: date("2024-03-01")).mapValues(Self.km2)
        }
        let oldState = try old.state(on: date("2024-03-01")).mapValues(Self.km2)
        let newState = try new.state(on: date("2024-03-01")).mapValues(Self.km2)
        for stop in 0...2 {
            do {
                let writer = try RecordWriter(dataset: folder)
                let plan = try #require(try writer.plan(new))
                try writer.writePending(plan)
                if stop >= 1 { try writer.publish(plan) }
                if stop >= 2 { try writer.finish(plan) }
            }
            // A reader sees the old record until the commit point, the new one from it on.
            let state = try loaded()
            let expected = stop == 0 ? oldState : newState
            for party in ["a", "b"] { #expect(close(state[party] ?? 0, expected[party] ?? 0), "stopped after step \(stop + 1): \(party)") }
            // The next writer tidies up: no .pending or .tmp files, nothing unlisted.
            _ = try RecordWriter(dataset: folder)
            let names = Set(Self.files(in: folder).keys)
            #expect(!names.contains { $0.hasSuffix(".pending") || $0.hasSuffix(".tmp") }, "\(names.sorted())")
            if stop == 0 { #expect(Self.files(in: folder) == oldFiles, "an uncommitted write leaves the record byte for byte") }
            try RecordWriter(dataset: folder).commit(old)
            #expect(Self.files(in: folder) == oldFiles)
        }
        // Committing the same record again writes nothing.
        #expect(try RecordWriter(dataset: folder).commit(old) == false)
    }

    @Test func aSecondWriterWaitsThenIsRefused() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try RecordWriter(dataset: folder)
        #expect(throws: RecordWriteError.self) { try RecordWriter(dataset: folder, wait: 0.2) }
        _ = first
    }

    @Test func checkpointsGiveTheSameAnswersAndAreDroppedWhenAFileIsEditedByHand() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = ControlRecord(baseDate: Self.halves.baseDate, base: Self.halves.base, changes: [
            Self.change(1, "2024-01-02", "a", Self.bite), Self.change(2, "2024-01-05", "b", Self.bite),
            Self.change(3, "2024-01-07", "none", BoundingBox(minX: 0.01, minY: 0.01, maxX: 0.02, maxY: 0.02)),
        ])
        let writer = try RecordWriter(dataset: folder)
        try writer.commit(record)
        let index = try #require(try writer.index())
        try writer.writeCheckpoints(try record.checkpointed(every: 1), for: index)
        let loaded = try #require(try Dataset.load(from: folder).record)
        #expect(loaded.checkpoints.map(\.applied) == [1, 2, 3])
        for (from, to) in [("2024-01-01", "2024-01-03"), ("2024-01-03", "2024-01-06"), ("2024-01-01", "2024-02-01")] {
            let a = try record.passages(from: date(from), to: date(to)), b = try loaded.passages(from: date(from), to: date(to))
            #expect(a.map { "\($0.from)>\($0.to)" } == b.map { "\($0.from)>\($0.to)" }, "\(from)→\(to)")
            for (x, y) in zip(a, b) { #expect(close(Self.km2(x.geometry), Self.km2(y.geometry))) }
        }
        // A day file edited by hand: the checkpoints no longer describe the record, so none is used.
        let day = folder.appendingPathComponent("control/changes/2024/2024-01-05.geojson")
        try (try String(contentsOf: day, encoding: .utf8)).replacingOccurrences(of: "\"to\":\"b\"", with: "\"to\":\"a\"")
            .write(to: day, atomically: true, encoding: .utf8)
        let edited = try #require(try Dataset.load(from: folder).record)
        #expect(edited.checkpoints.isEmpty)
        #expect(try edited.passages(from: date("2024-01-03"), to: date("2024-01-06")).isEmpty, "the bite stays a's")
    }

    @Test func theLogCacheGivesTheRecordOfTheFilesUntilOneOfThemChanges() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var bitten = Self.change(2, "2024-01-05", "b", Self.bite)
        bitten.source = "a report"
        try RecordWriter(dataset: folder).commit(ControlRecord(baseDate: Self.halves.baseDate, base: Self.halves.base,
                                                               changes: [Self.change(1, "2024-01-02", "a", Self.bite), bitten]))
        let layout = RecordLayout(dataset: folder)
        let key = RecordLayout.hash(try Data(contentsOf: layout.index))
        #expect(LogCache.read(layout, key: key) == nil, "no reader has read the record yet")
        _ = try Dataset.load(from: folder)
        #expect(LogCache.read(layout, key: key) == nil, "files written moments ago are not cached")
        Thread.sleep(forTimeInterval: 0.2)
        let parsed = try #require(try Dataset.load(from: folder).record)
        let cached = try #require(LogCache.read(layout, key: key), "the first reader caches what it parsed")
        #expect(cached.base.map(\.partyID) == parsed.base.map(\.partyID) && cached.base.map(\.geometry.wkb) == parsed.base.map(\.geometry.wkb))
        #expect(cached.changes.map { "\($0.id) \($0.date) \($0.to) \($0.source ?? "-") \($0.recorded ?? "-")" }
                == parsed.changes.map { "\($0.id) \($0.date) \($0.to) \($0.source ?? "-") \($0.recorded ?? "-")" })
        #expect(cached.changes.map(\.geometry.wkb) == parsed.changes.map(\.geometry.wkb))
        // Edited in place, same size, same inode: the file's times differ from the stamp, so the edit is read.
        let day = folder.appendingPathComponent("control/changes/2024/2024-01-05.geojson")
        let text = try String(contentsOf: day, encoding: .utf8)
        let handle = try FileHandle(forWritingTo: day)
        try handle.write(contentsOf: Data(text.replacingOccurrences(of: "\"to\":\"b\"", with: "\"to\":\"a\"").utf8))
        try handle.close()
        #expect(LogCache.read(layout, key: key) == nil)
        let dataset = try Dataset.load(from: folder)
        #expect(dataset.warnings.map(\.code) == [.editedRecord])
        #expect(dataset.record?.changes.map(\.to) == ["a", "a"])
        #expect(LogCache.read(layout, key: key) == nil, "a record edited by hand is not cached: its warning would be lost")
    }

    @Test func recordFilesWithoutAnIndexAreRefusedNotRemoved() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try RecordWriter(dataset: folder).commit(Self.halves)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("control/record.json"))
        #expect(throws: RecordWriteError.self) { try RecordWriter(dataset: folder) }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("control/base.geojson").path))
    }

    @Test func aFileEditedByHandIsReadWithAWarning() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try RecordWriter(dataset: folder).commit(ControlRecord(baseDate: Self.halves.baseDate, base: Self.halves.base,
                                                               changes: [Self.change(1, "2024-01-02", "a", Self.bite)]))
        let day = folder.appendingPathComponent("control/changes/2024/2024-01-02.geojson")
        var text = try String(contentsOf: day, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"to\":\"a\"", with: "\"to\":\"b\"")
        try text.write(to: day, atomically: true, encoding: .utf8)
        let dataset = try Dataset.load(from: folder)
        #expect(dataset.warnings.map(\.code) == [.editedRecord])
        #expect(dataset.record?.changes.first?.to == "b")
        // A party the dataset does not know is an error naming the file and feature.
        try text.replacingOccurrences(of: "\"to\":\"b\"", with: "\"to\":\"c\"").write(to: day, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.self) { try Dataset.load(from: folder) }
    }
}

private func union(_ a: Geometry, _ b: Geometry) throws -> Geometry {
    let context = try GeometryContext()
    return try context.make(a).union(try context.make(b)).polygonalPart()
}

private func difference(_ a: Geometry, _ b: Geometry) throws -> Geometry {
    let context = try GeometryContext()
    return try context.make(a).difference(try context.make(b)).polygonalPart()
}

/// A small deterministic random number generator for the property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49EB_133B_111F
        return z ^ (z >> 31)
    }
}
