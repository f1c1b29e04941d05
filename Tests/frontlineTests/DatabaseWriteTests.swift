import Foundation
import FrontlineGeometry
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `import` and `record` into a database (docs/database.md, "Writes"): the same record as in a
/// folder, one transaction each, two writers at once, a writer killed or cut off midway. Run
/// against the cluster of ``DatabaseCommandTests`` on the small hand-made datasets of
/// ``RecordCommandTests``.
@Suite struct DatabaseWriteTests {
    typealias R = RecordCommandTests
    typealias D = DatabaseCommandTests

    /// A workspace with the bite's snapshots, and a new database holding its dataset.json only.
    static func emptyDatabase() throws -> (workspace: R.Workspace, url: String) {
        let w = try R.Workspace()
        try w.writeSnapshot("2024-01-01", R.day1)
        try w.writeSnapshot("2024-01-02", R.day2)
        try w.writeSnapshot("2024-01-05", R.day1)
        let url = try D.freshDatabase()
        try #require(try D.run(["db", "init", url], in: w.root).status == 0)
        let pushed = try D.run(["db", "push", w.data.path, url], in: w.root)
        try #require(pushed.status == 0, "a dataset.json alone is pushed: \(pushed)")
        return (w, url)
    }

    /// A database holding the record of the bite (day 2) and its retaking (day 5).
    static func biteDatabase() throws -> (workspace: R.Workspace, url: String) {
        let (w, url) = try emptyDatabase()
        let imported = try D.run(["import", w.snapshots.path, "--data", url], in: w.root)
        try #require(imported.status == 0, "\(imported)")
        return (w, url)
    }

    /// `url` with libpq's `application_name`, so that a test can find the connection's backend.
    static func named(_ url: String, _ name: String) -> String { url + (url.contains("?") ? "&" : "?") + "application_name=\(name)" }

    /// What a test compares before and after a failed write: the rows of each table, the
    /// version, the next id.
    static func tables(_ url: String) throws -> String {
        try D.sql("""
            SELECT (SELECT count(*) FROM frontline.record_changes) || ' changes, ' || (SELECT count(*) FROM frontline.record_base)
                || ' base rows, next id ' || (SELECT next_id FROM frontline.record) || ', version ' || (SELECT version FROM frontline.dataset)
                || ', ids ' || (SELECT string_agg(id::text, ',' ORDER BY id) FROM frontline.record_changes)
            """, on: url)
    }

    /// The backends of the test's own database (tests run in parallel, each on its database).
    static let mine = "datname = current_database()"

    /// Starts psql holding `lock` (a `SELECT … FOR UPDATE`) in a transaction it keeps open until
    /// ``release(_:on:)`` ends its backend; returns when the lock is taken.
    static func hold(_ lock: String, on url: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [named(url, "holder"), "-c", "BEGIN; \(lock); SELECT pg_sleep(3600);"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let held = D.eventually(within: 60) {
            (try? D.sql("SELECT count(*) FROM pg_stat_activity WHERE \(mine) AND application_name = 'holder' AND query LIKE '%pg_sleep%'", on: url)) == "1"
        }
        // psql waits out SIGTERM in a query: its backend is ended instead.
        if !held { try release(process, on: url) }
        try #require(held, "psql holds the lock")
        return process
    }

    /// Ends the holder's backend: its transaction is rolled back, the lock released, psql ends.
    static func release(_ holder: Process, on url: String) throws {
        _ = try D.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE \(mine) AND application_name = 'holder'", on: url)
        holder.waitUntilExit()
    }

    /// How many backends of `names` wait for a lock.
    static func waiting(_ names: [String], on url: String) throws -> Int {
        Int(try D.sql("SELECT count(*) FROM pg_stat_activity WHERE \(mine) AND wait_event_type = 'Lock' AND application_name IN ("
                      + names.map { "'\($0)'" }.joined(separator: ",") + ")", on: url)) ?? -1
    }

    /// Starts the program with its output in files; `finish` waits for it and reads them.
    struct Started {
        let process: Process
        let out: URL, err: URL

        init(_ arguments: [String], in folder: URL) throws {
            out = folder.appendingPathComponent(".out-\(UUID().uuidString)")
            err = folder.appendingPathComponent(".err-\(UUID().uuidString)")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            process = try R.start(arguments, in: folder, out: try FileHandle(forWritingTo: out), err: try FileHandle(forWritingTo: err))
        }

        func finish() throws -> R.Run {
            process.waitUntilExit()
            return R.Run(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                         out: try String(contentsOf: out, encoding: .utf8), err: try String(contentsOf: err, encoding: .utf8))
        }
    }

    // MARK: Tests

    @Test func importRecordRevertAndHistoryAnswerTheSameFromADatabaseAsFromAFolder() throws {
        let (w, url) = try Self.emptyDatabase()
        defer { w.remove() }
        let area = try w.writeFile("area.geojson", R.featureCollection([("name", "field", R.box(0.04, 0.02, 0.07, 0.03))]))
        let corner = try w.writeFile("corner.geojson", R.featureCollection([("name", "corner", R.box(0.08, 0.08, 0.1, 0.1))]))
        let correction = try w.writeSnapshot("2024-01-04", [("a", R.west), ("a", R.box(0.05, 0.04, 0.07, 0.06)), ("b", R.box(0.05, 0, 0.1, 0.04)),
                                                            ("b", R.box(0.07, 0.04, 0.1, 0.06)), ("b", R.box(0.05, 0.06, 0.1, 0.1))], in: "correction")
        let edits: [[String]] = [
            ["import", w.snapshots.path],
            ["record", "--date", "2024-01-03", "--to", "a", area.path, "--source", "a report"],
            ["record", "--date", "2024-01-04", "--to", "none", corner.path, "--dry-run"],
            ["record", "--date", "2024-01-04", "--to", "none", corner.path],
            ["import", correction.path],
            ["record", "--revert", "3"],
            ["record", "--revert", "3"],
            ["import", w.snapshots.path],
        ]
        for edit in edits {
            let version = try D.sql("SELECT version FROM frontline.dataset", on: url)
            let folder = try w.run(edit + ["--data", w.data.path])
            let database = try w.run(edit + ["--data", url])
            #expect(database.status == folder.status && !database.signalled, "\(edit): folder \(folder)\ndatabase \(database)")
            #expect(database.out.replacingOccurrences(of: url, with: "DATA") == folder.out.replacingOccurrences(of: w.data.path, with: "DATA"),
                    "\(edit): folder \(folder)\ndatabase \(database)")
            let bumped = try D.sql("SELECT version FROM frontline.dataset", on: url) != version
            let wrote = folder.status == 0 && !edit.contains("--dry-run") && !folder.out.contains("nothing changed")
            #expect(bumped == wrote, "\(edit): a write bumps the version once, anything else leaves it: \(database)")
        }

        // The same answers, byte for byte; history without the times of recording.
        let questions: [[String]] = [
            ["changes", "--from", "2024-01-01", "--to", "2024-01-05"], ["changes", "--from", "2024-01-02", "--to", "2024-01-04"],
            ["changes", "--from", "2024-01-03", "--to", "2024-12-31"], ["snapshot", "--date", "2024-01-04"],
            ["snapshot", "--date", "2024-01-06"], ["history"], ["history", "--format", "geojson"],
        ]
        let times = try Regex("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ")
        for question in questions {
            let folder = try w.run(question + ["--data", w.data.path]), database = try w.run(question + ["--data", url])
            #expect(folder.status == 0 && folder.out.count > 40, "\(question): \(folder)")
            #expect(database.out.replacing(times, with: "TIME") == folder.out.replacing(times, with: "TIME"),
                    "\(question): folder \(folder)\ndatabase \(database)")
        }
        let history = try w.run(["history", "--data", url])
        #expect(history.status == 0 && history.out.contains("base 2024-01-01;"), "\(history)")
    }

    /// Two writes at once: both have read the record and wait at their commit while the test
    /// holds the dataset's row; then it lets them go. (`db push` takes the URL last.)
    static func together(_ edits: [[String]], on url: String, in w: R.Workspace) throws -> [R.Run] {
        let holder = try hold("SELECT version FROM frontline.dataset FOR UPDATE", on: url)
        let names = ["writer1", "writer2"]
        let started = try zip(edits, names).map { edit, name in
            try Started(edit.first == "db" ? edit + [named(url, name)] : edit + ["--wait", "600", "--data", named(url, name)], in: w.root)
        }
        // Only a commit takes locks: one writer waits for the row, the other for the first.
        let both = D.eventually(within: 120) { (try? waiting(names, on: url)) == 2 }
        try release(holder, on: url)
        try #require(both, "both writers reached their commit before either could write")
        return try started.map { try $0.finish() }
    }

    @Test func twoRecordsAtOnceOnOverlappingGroundOneWinsAndTheOtherIsRefused() throws {
        let (w, url) = try Self.biteDatabase()
        defer { w.remove() }
        func file(_ name: String, _ box: BoundingBox) throws -> String {
            try w.writeFile(name, R.featureCollection([("name", name, box)])).path
        }
        // b's ground south of the bite; the two areas share 0.01° × 0.01°.
        let overlapping = [["record", "--date", "2024-01-03", "--to", "a", try file("one.geojson", R.box(0.06, 0.02, 0.08, 0.03))],
                           ["record", "--date", "2024-01-04", "--to", "none", try file("two.geojson", R.box(0.07, 0.02, 0.09, 0.03))]]
        // Apart: a corner each.
        let apart = [["record", "--date", "2024-01-03", "--to", "a", try file("three.geojson", R.box(0.09, 0, 0.1, 0.01))],
                     ["record", "--date", "2024-01-04", "--to", "none", try file("four.geojson", R.box(0.09, 0.09, 0.1, 0.1))]]

        let version = try #require(Int(try D.sql("SELECT version FROM frontline.dataset", on: url)))
        let runs = try Self.together(overlapping, on: url, in: w)
        #expect(runs.map(\.status).sorted() == [0, 1] && runs.allSatisfy { !$0.signalled }, "\(runs)")
        let (winner, loser) = runs[0].status == 0 ? (0, 1) : (1, 0)
        #expect(runs[winner].out.contains("recorded as change 3"), "\(runs[winner])")
        #expect(runs[loser].err.contains("the record changed while this was computed (change 3 by another writer covers the same ground); "
                                         + "nothing was written: run it again"), "\(runs[loser])")
        #expect(try D.sql("SELECT count(*) || ' ' || max(id) FROM frontline.record_changes", on: url) == "3 3")
        #expect(try D.sql("SELECT next_id FROM frontline.record", on: url) == "4")
        #expect(Int(try D.sql("SELECT version FROM frontline.dataset", on: url)) == version + 1, "one commit")
        let date = try D.sql("SELECT date::text || ' ' || to_party FROM frontline.record_changes WHERE id = 3", on: url)
        #expect(date == (winner == 0 ? "2024-01-03 a" : "2024-01-04 none"), "the winner's change, only: \(date)")

        // Apart, both are written: the second one's change is given the next id.
        let written = try Self.together(apart, on: url, in: w)
        #expect(written.allSatisfy { $0.status == 0 }, "\(written)")
        let ids = written.compactMap { run in R.numbers(after: "recorded as change ", in: run.out, count: 1).first.map { Int($0) } }.sorted()
        #expect(ids == [4, 5], "\(written)")
        #expect(try D.sql("SELECT count(*) || ' ' || max(id) FROM frontline.record_changes", on: url) == "5 5")
        #expect(try D.sql("SELECT next_id FROM frontline.record", on: url) == "6")
        let history = try w.run(["history", "--data", url])
        #expect(history.out.contains("base 2024-01-01; 5 of 5 change(s)"), "\(history)")
    }

    @Test func anImportAndARecordAtOnceOnTheSameGroundOneWinsAndTheOtherIsRefused() throws {
        let (w, url) = try Self.biteDatabase()
        defer { w.remove() }
        // The correction of 4 January gives a the strip east of the bite, which b held; the record
        // of 3 January gives a ground across that strip's eastern side.
        let correction = try w.writeSnapshot("2024-01-04", [("a", R.west), ("a", R.box(0.05, 0.04, 0.07, 0.06)), ("b", R.box(0.05, 0, 0.1, 0.04)),
                                                            ("b", R.box(0.07, 0.04, 0.1, 0.06)), ("b", R.box(0.05, 0.06, 0.1, 0.1))], in: "correction")
        let area = try w.writeFile("area.geojson", R.featureCollection([("name", "across", R.box(0.065, 0.045, 0.075, 0.055))]))
        let before = try D.sql("SELECT count(*) FROM frontline.record_changes", on: url)
        let runs = try Self.together([["import", correction.path], ["record", "--date", "2024-01-03", "--to", "a", area.path]], on: url, in: w)
        #expect(runs.map(\.status).sorted() == [0, 1] && runs.allSatisfy { !$0.signalled }, "\(runs)")
        let loser = runs[0].status == 0 ? runs[1] : runs[0]
        #expect(loser.err.contains("the record changed while this was computed") && loser.err.contains("nothing was written: run it again"), "\(loser)")
        // Only the winner's changes: the import's (the strip on 4 January, and b's state of
        // 5 January put back after it), or the record's one.
        let after = try D.sql("SELECT string_agg(date::text || ' ' || to_party, ',' ORDER BY id) FROM frontline.record_changes WHERE id > \(before)", on: url)
        #expect(after == (runs[0].status == 0 ? "2024-01-04 a,2024-01-05 b" : "2024-01-03 a"), "\(runs), wrote \(after)")
    }

    @Test func aRecordRacingAPushNeverLeavesAMixedRecord() throws {
        let (w, url) = try Self.biteDatabase()
        defer { w.remove() }
        // The folder to push: the same imports, and a change of its own where the racing record
        // gives ground too.
        #expect(try w.run(["import", w.snapshots.path, "--data", w.data.path]).status == 0)
        let strip = try w.writeFile("strip.geojson", R.featureCollection([("name", "strip", R.box(0.06, 0.04, 0.07, 0.06))]))
        #expect(try w.run(["record", "--date", "2024-01-03", "--to", "a", strip.path, "--data", w.data.path]).status == 0)
        let area = try w.writeFile("area.geojson", R.featureCollection([("name", "across", R.box(0.065, 0.045, 0.075, 0.055))]))
        let runs = try Self.together([["db", "push", w.data.path], ["record", "--date", "2024-01-04", "--to", "none", area.path]], on: url, in: w)
        let (push, record) = (runs[0], runs[1])
        #expect(push.status == 0, "\(push)")
        // Either the record committed first and the push then replaced everything, or the push
        // came first and the record, which read the replaced record, is refused.
        #expect(record.status == 0 || record.err.contains("the record changed while this was computed"), "\(record)")
        // Whichever came first, the database holds the pushed folder's record, nothing else.
        for question in [["changes", "--from", "2024-01-01", "--to", "2024-01-05"], ["history", "--format", "geojson"]] {
            let folder = try w.run(question + ["--data", w.data.path]), database = try w.run(question + ["--data", url])
            #expect(folder.status == 0 && database.out == folder.out, "\(question): folder \(folder)\ndatabase \(database)")
        }
    }

    @Test func aWriterWaitsForAnotherWritersCommitAtMostWaitSecondsThenIsRefused() throws {
        let (w, url) = try Self.biteDatabase()
        defer { w.remove() }
        let area = try w.writeFile("area.geojson", R.featureCollection([("name", "field", R.box(0.06, 0.02, 0.08, 0.03))]))
        let before = try Self.tables(url)
        let holder = try Self.hold("SELECT version FROM frontline.dataset FOR UPDATE", on: url)
        let started = Date()
        let refused = try w.run(["record", "--wait", "0.5", "--date", "2024-01-03", "--to", "a", area.path, "--data", url])
        let waited = Date().timeIntervalSince(started)
        try Self.release(holder, on: url)
        #expect(refused.status == 1 && !refused.signalled, "\(refused)")
        #expect(refused.err.contains("another writer is committing to \(url) (waited 0.5 s); nothing was written"), "\(refused.err)")
        #expect(waited >= 0.5, "it waits for the other writer: \(waited) s")
        #expect(try Self.tables(url) == before)
        let recorded = try w.run(["record", "--wait", "0.5", "--date", "2024-01-03", "--to", "a", area.path, "--data", url])
        #expect(recorded.status == 0 && recorded.out.contains("recorded as change 3"), "\(recorded)")
    }

    @Test func aWriterKilledOrCutOffMidTransactionLeavesTheDatabaseAsItWas() throws {
        let (w, url) = try Self.biteDatabase()
        defer { w.remove() }
        // A snapshot that adds two changes: two corners of b's side of the front pass to a.
        let later = try w.writeSnapshot("2024-01-07", [("a", R.west), ("a", R.box(0.05, 0, 0.06, 0.01)), ("a", R.box(0.05, 0.09, 0.06, 0.1)),
                                                       ("b", R.box(0.06, 0, 0.1, 0.1)), ("b", R.box(0.05, 0.01, 0.06, 0.09))], in: "later")
        let before = try Self.tables(url)
        let changes = try w.run(["changes", "--from", "2024-01-01", "--to", "2024-12-31", "--data", url])
        try #require(changes.status == 0)

        for way in ["kill", "terminate"] {
            // The writer inserts its changes, then waits for frontline.record's row, held here.
            let holder = try Self.hold("SELECT * FROM frontline.record FOR UPDATE", on: url)
            let writer = try Started(["import", later.path, "--wait", "600", "--data", Self.named(url, "writer")], in: w.root)
            let midway = D.eventually(within: 120) {
                (try? Self.waiting(["writer"], on: url)) == 1 && (try? D.sql("""
                    SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE a.datname = current_database() AND a.application_name = 'writer' AND c.relname = 'record_changes' AND l.mode = 'RowExclusiveLock' AND l.granted
                    """, on: url)) == "1"
            }
            if way == "kill" {
                kill(writer.process.processIdentifier, SIGKILL)
                let run = try writer.finish()
                #expect(run.signalled, "\(run)")
                try Self.release(holder, on: url)
            } else {
                _ = try D.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE \(Self.mine) AND application_name = 'writer'", on: url)
                let run = try writer.finish()
                #expect(run.status == 1 && !run.signalled && run.err.contains("frontline: "), "\(run)")
                try Self.release(holder, on: url)
            }
            try #require(midway, "\(way): the writer had inserted its changes and waited to write frontline.record")
            let gone = D.eventually(within: 60) { (try? D.sql("SELECT count(*) FROM pg_stat_activity WHERE \(Self.mine) AND application_name = 'writer'", on: url)) == "0" }
            try #require(gone, "\(way): the writer's backend ends")
            #expect(try Self.tables(url) == before, "\(way)")
            #expect(try w.run(["changes", "--from", "2024-01-01", "--to", "2024-12-31", "--data", url]).out == changes.out, "\(way)")
        }
        // And the import, let run, writes its changes.
        let imported = try w.run(["import", later.path, "--data", url])
        #expect(imported.status == 0 && imported.out.contains("2 change(s) recorded, 4 in the record"), "\(imported)")
    }
}
