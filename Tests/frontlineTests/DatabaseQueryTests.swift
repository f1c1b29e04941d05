import Foundation
@testable import FrontlineData
import FrontlineGeometry
@testable import FrontlineStore
import Testing

/// A dataset read from a database answers its record question by question (docs/database.md,
/// "Reading by query"): the checkpoint before a date and the changes after it, never every row.
/// Checked against the same record read whole from its folder, on a record long enough to have
/// checkpoints.
@Suite struct DatabaseQueryTests {
    /// geodata/ with 36 more weekly changes in 2021 over the ground around Stepanakert (one way,
    /// then partly back, so that their order matters), committed by the folder's own writer.
    static func longRecord(in folder: URL) throws -> URL {
        let data = folder.appendingPathComponent("data")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: DatabaseCommandTests.geodata), to: data)
        let dataset = try FolderDataSource(directory: data).loadWhole()
        var record = try #require(dataset.record)
        let first = try #require(CalendarDate(year: 2021, month: 1, day: 4))
        for k in 0..<36 {
            let x = 46.70 + 0.012 * Double(k % 10), y = 39.78 + 0.015 * Double(k / 10)
            let (size, party) = k.isMultiple(of: 2) ? (0.02, "azerbaijani") : (0.012, "karabakh-armenian")
            (record, _) = try record.recording(.rectangle(BoundingBox(minX: x, minY: y, maxX: x + size, maxY: y + size)), to: party,
                                               on: first.adding(days: 7 * k), extent: dataset.metadata.bbox, source: "test", recorded: nil)
        }
        #expect(try RecordWriter(dataset: data).commit(record))
        return data
    }

    /// ``longRecord(in:)`` in a scratch folder and pushed into a new database.
    static func pushedLongRecord() throws -> (folder: URL, data: URL, url: String) {
        let folder = try DatabaseCommandTests.scratch()
        let data = try longRecord(in: folder)
        let url = try DatabaseCommandTests.freshDatabase()
        #expect(try DatabaseCommandTests.run(["db", "init", url], in: folder).status == 0)
        let pushed = try DatabaseCommandTests.run(["db", "push", data.path, url], in: folder)
        try #require(pushed.status == 0, "\(pushed)")
        return (folder, data, url)
    }

    @Test func aRecordReadByQueryAnswersAsTheWholeRecordOnEveryDate() throws {
        let (folder, data, url) = try Self.pushedLongRecord()
        defer { try? FileManager.default.removeItem(at: folder) }

        let whole = try FolderDataSource(directory: data).loadWhole()
        let queried = try DatabaseDataSource(url: try #require(DatabaseURL(url))).load()
        #expect(queried.record == nil)
        let record = try #require(queried.queriedRecord as? DatabaseRecord)
        // Long enough that questions start from checkpoints, not only from the base.
        #expect(record.checkpoints.count >= 2, "\(record.checkpoints)")
        #expect(record.dates == whole.controlChangeDates)
        #expect(record.cellSize == whole.record?.cellSize)
        // A record written before the cell size was kept (schema 2) has it measured instead.
        _ = try DatabaseCommandTests.sql("UPDATE frontline.record SET cell_size = NULL", on: url)
        let measured = try DatabaseDataSource(url: try #require(DatabaseURL(url))).load().queriedRecord as? DatabaseRecord
        #expect(measured?.cellSize == whole.record?.cellSize)
        #expect(record.checkpoints.map(\.applied) == whole.record?.checkpoints.map(\.applied))

        // Every date on which control changes, the day before each, and days between.
        let changed = whole.controlChangeDates
        let dates = Array(Set(changed + changed.map { $0.adding(days: -1) } + changed.map { $0.adding(days: 3) })).sorted()
            .filter { whole.metadata.temporalExtent.contains($0) }
        for date in dates {
            let expected = try whole.control(on: date), found = try queried.control(on: date)
            #expect(found.map(\.partyID) == expected.map(\.partyID), "\(date)")
            #expect(found.map(\.period) == expected.map(\.period), "\(date)")
            #expect(found.map(\.source) == expected.map(\.source), "\(date)")
            #expect(found.map(\.geometry.wkb) == expected.map(\.geometry.wkb), "\(date): the ground differs")
        }
        // Changes between dates near and far apart, across checkpoints.
        for (from, to) in [(changed[1], changed[2]), (changed[3], changed[30]), (changed[0], changed.last!), (changed[20], changed[21].adding(days: 1))] {
            let expected = try whole.changes(from: from, to: to), found = try queried.changes(from: from, to: to)
            #expect(found.map { "\($0.from.id)>\($0.to.id)" } == expected.map { "\($0.from.id)>\($0.to.id)" }, "\(from)–\(to)")
            #expect(found.map(\.geometry.wkb) == expected.map(\.geometry.wkb), "\(from)–\(to): the ground differs")
        }
    }

    @Test func aWriteBeforeTheCheckpointsGivesTheSameAnswersAsInTheFolder() throws {
        let (folder, data, url) = try Self.pushedLongRecord()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A change dated before every checkpoint: the database writer must make them again, as
        // the folder's does, or questions after it would start from stale ground.
        let area = folder.appendingPathComponent("area.geojson")
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[46.71,39.79],[46.77,39.79],[46.77,39.83],[46.71,39.83],[46.71,39.79]]]}}]}"#
            .write(to: area, atomically: true, encoding: .utf8)
        for place in [data.path, url] {
            let run = try DatabaseCommandTests.run(["record", "--date", "2021-01-05", "--to", "azerbaijani", area.path, "--data", place], in: folder)
            #expect(run.status == 0, "\(place): \(run)")
        }
        // The cell size kept with the record is the one a whole read measures.
        let cellSize = try FolderDataSource(directory: data).loadWhole().record?.cellSize
        #expect(Double(try DatabaseCommandTests.sql("SELECT cell_size FROM frontline.record", on: url)) == cellSize)
        let stored = try DatabaseCommandTests.sql("SELECT count(DISTINCT applied) FROM frontline.record_checkpoints", on: url)
        #expect(Int(stored) ?? 0 >= 2, "checkpoints kept in the database: \(stored)")
        for question in [["changes", "--from", "2021-01-04", "--to", "2021-09-06"], ["changes", "--from", "2021-06-01", "--to", "2021-08-30"],
                         ["snapshot", "--date", "2021-08-30"]] {
            let a = try DatabaseCommandTests.run(question + ["--data", data.path], in: folder)
            let b = try DatabaseCommandTests.run(question + ["--data", url], in: folder)
            #expect(a.status == 0 && a.out.count > 100 && b.out == a.out, "\(question): folder \(a)\ndatabase \(b)")
        }
    }

    @Test func aQuestionAfterAWriteIsRefusedRatherThanAnsweredWithTheNewVersion() throws {
        let url = try DatabaseCommandTests.freshDatabase(), folder = try DatabaseCommandTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try DatabaseCommandTests.run(["db", "init", url], in: folder).status == 0)
        #expect(try DatabaseCommandTests.run(["db", "push", DatabaseCommandTests.geodata, url], in: folder).status == 0)
        let dataset = try DatabaseDataSource(url: try #require(DatabaseURL(url))).load()
        let march = try #require(CalendarDate("2022-03-01")), later = try #require(CalendarDate("2023-09-30"))
        #expect(try dataset.control(on: march).count == 2)
        // Another writer commits: a question of the version read before must not be answered
        // from the new one (its answers would be cached under the old version's ETags).
        _ = try DatabaseCommandTests.sql("UPDATE frontline.dataset SET version = version + 1", on: url)
        #expect(throws: DataUnavailable.self) { try dataset.control(on: later) }
        // What was read before still answers.
        #expect(try dataset.control(on: march).count == 2)
    }
}
