import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing

/// `--data postgresql://…` and `frontline db`, run as the built program against a real
/// PostgreSQL 15 + PostGIS cluster that the tests start themselves (scripts/postgres.sh, in
/// .build/test-postgres on port 55433, or $FRONTLINE_TEST_POSTGRES_PORT), with a new database for
/// each test.
@Suite struct DatabaseCommandTests {
    typealias Run = RecordCommandTests.Run

    /// The cluster's URL (the database `postgres`), started once per test process. (Not a
    /// `static let`: Foundation's Process waits forever when started from a global's initializer.)
    static func cluster() throws -> String {
        try started.withLock { url in
            if let url { return url }
            let found = try output("/bin/bash", [CommandLineTests.repository.appendingPathComponent("scripts/postgres.sh").path, "start",
                                                 CommandLineTests.repository.appendingPathComponent(".build/test-postgres").path,
                                                 ProcessInfo.processInfo.environment["FRONTLINE_TEST_POSTGRES_PORT"] ?? "55433"])
            guard found.status == 0, let last = found.text.split(separator: "\n").last else {
                throw DatabaseTestError("scripts/postgres.sh start failed (exit \(found.status)): \(found.text)")
            }
            url = String(last)
            return String(last)
        }
    }

    private static let started = Mutex<String?>(nil)

    struct DatabaseTestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs SQL on the cluster's `postgres` database with psql (the server's own client).
    static func sql(_ statement: String, on url: String? = nil) throws -> String {
        let found = try output("/usr/bin/psql", [try url ?? cluster(), "-v", "ON_ERROR_STOP=1", "-Atqc", statement])
        guard found.status == 0 else { throw DatabaseTestError("psql failed on: \(statement)") }
        return found.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new, empty database of the cluster; its URL.
    static func freshDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = try sql("CREATE DATABASE \(name)")
        let base = try cluster()
        return String(base[..<base.lastIndex(of: "/")!]) + "/" + name
    }

    /// A scratch folder for outputs.
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func run(_ arguments: [String], in folder: URL) throws -> Run { try RecordCommandTests.run(arguments, in: folder) }

    static let geodata = CommandLineTests.data

    // MARK: Tests

    @Test func theSameAnswersFromTheDatabaseAsFromTheFolderAndAfterAPull() throws {
        let url = try Self.freshDatabase(), folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var run = try Self.run(["db", "init", url], in: folder)
        #expect(run.status == 0 && run.out.contains("schema version 0 -> 3"), "\(run)")
        run = try Self.run(["db", "push", Self.geodata, url], in: folder)
        #expect(run.status == 0, "\(run)")
        run = try Self.run(["db", "pull", url, folder.appendingPathComponent("pulled").path], in: folder)
        #expect(run.status == 0, "\(run)")

        // The same bytes out of the analyses and a rendered map, from the three places.
        let places = [("folder", Self.geodata), ("database", url), ("pulled", folder.appendingPathComponent("pulled").path)]
        let questions: [(String, [String])] = [
            ("changes-march.geojson", ["changes", "--from", "2022-03-01", "--to", "2022-03-28"]),
            ("changes-all.geojson", ["changes", "--from", "2020-11-10", "--to", "2023-09-30"]),
            ("snapshot.geojson", ["snapshot", "--date", "2022-03-26"]),
            ("map.png", ["render", "--date", "2022-03-26", "--size", "400x300"]),
        ]
        for (name, question) in questions {
            var outputs: [String: Data] = [:]
            for (place, data) in places {
                let output = folder.appendingPathComponent("\(place)-\(name)")
                let answer = try Self.run(question + ["--data", data, "-o", output.path], in: folder)
                #expect(answer.status == 0, "\(place) \(question): \(answer)")
                outputs[place] = try? Data(contentsOf: output)
            }
            #expect(outputs["folder"] != nil && (outputs["folder"]?.count ?? 0) > 100, "\(name)")
            #expect(outputs["database"] == outputs["folder"], "\(name) from the database differs from the folder's")
            #expect(outputs["pulled"] == outputs["folder"], "\(name) from the pulled folder differs from the folder's")
        }
        // Part of the answer worked out beforehand: Parukh passed to Azerbaijan in March 2022.
        let march = try String(contentsOf: folder.appendingPathComponent("database-changes-march.geojson"), encoding: .utf8)
        #expect(march.contains("Parukh"))
        run = try Self.run(["validate", "--data", url], in: folder)
        #expect(run.status == 0 && run.out.contains("a record of") && run.out.contains("villages"), "\(run)")
    }

    @Test func initIsSafeToRunAgainAndTwiceAtOnce() throws {
        let url = try Self.freshDatabase(), folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try RecordCommandTests.start(["db", "init", url], in: folder)
        let second = try RecordCommandTests.start(["db", "init", url], in: folder)
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
        let again = try Self.run(["db", "init", url], in: folder)
        #expect(again.status == 0 && again.out.contains("nothing to do"), "\(again)")
        #expect(try Self.sql("SELECT count(*) FROM frontline.migrations", on: url) == "3")
    }

    @Test func aRefusedPushLeavesTheDatabaseAsItWas() throws {
        let url = try Self.freshDatabase(), folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var run = try Self.run(["db", "push", Self.geodata, url], in: folder)
        #expect(run.status == 1 && run.err.contains("frontline db init"), "before init: \(run)")
        _ = try Self.run(["db", "init", url], in: folder)
        run = try Self.run(["db", "push", Self.geodata, url], in: folder)
        #expect(run.status == 0, "\(run)")
        let version = try Self.sql("SELECT version FROM frontline.dataset", on: url)
        let villages = try Self.sql("SELECT count(*) FROM frontline.features WHERE layer = 'villages.geojson'", on: url)

        // A folder whose dataset.json is broken: refused before anything is written.
        let broken = folder.appendingPathComponent("broken")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.geodata), to: broken)
        try Data("{ \"title\": 3 }".utf8).write(to: broken.appendingPathComponent("dataset.json"))
        run = try Self.run(["db", "push", broken.path, url], in: folder)
        #expect(run.status == 1 && run.err.contains("dataset.json"), "\(run)")
        #expect(try Self.sql("SELECT version FROM frontline.dataset", on: url) == version)
        #expect(try Self.sql("SELECT count(*) FROM frontline.features WHERE layer = 'villages.geojson'", on: url) == villages)
        #expect(Int(villages) ?? 0 > 10)
    }

    @Test func badConnectionStringsGiveAClearErrorNeverAHang() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try Self.cluster()
        let port = String(cluster.split(separator: ":").last!.split(separator: "/").first!)
        let cases: [(url: String, says: String)] = [
            ("postgresql://frontline:s3cret@127.0.0.1:1/postgres", "cannot connect"),
            ("postgresql://frontline:s3cret@127.0.0.1:\(port)/no_such_database", "does not exist"),
            ("postgresql://frontline:s3cret@no-such-host.invalid:5432/x", "cannot connect"),
            ("postgresql://frontline:s3cret@127.0.0.1:\(port)/postgres?sslmode=bogus", "cannot connect"),
        ]
        for (url, says) in cases {
            for command in [["validate", "--data", url], ["db", "push", Self.geodata, url], ["db", "pull", url, folder.appendingPathComponent("out").path]] {
                let run = try Self.run(command, in: folder)
                #expect(run.status == 1 && !run.signalled, "\(command): \(run)")
                #expect(run.err.contains(says), "\(command): \(run)")
                #expect(!run.err.contains("s3cret") && !run.out.contains("s3cret"), "the password is shown: \(run)")
            }
        }
        let notAURL = try Self.run(["db", "init", "/tmp/not-a-url"], in: folder)
        #expect(notAURL.status == 64 && notAURL.err.contains("not a database URL"), "\(notAURL)")
    }

    // MARK: A server on the database

    /// Output of a program run to its end (curl, python3, scripts/postgres.sh), through the C
    /// library's system(3) and a file: Foundation's Process can wait forever on a child that
    /// started a daemon (pg_ctl), though the child has exited.
    static func output(_ program: String, _ arguments: [String], errors: Bool = false) throws -> (status: Int32, text: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = ([program] + arguments).map(quoted).joined(separator: " ") + " > \(quoted(file.path)) \(errors ? "2>&1" : "2> /dev/null") < /dev/null"
        let status = system(command)
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        // system returns the wait status: the exit code is in bits 8-15 when the child exited.
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), text)
    }

    /// A port nothing listens on now.
    static func freePort() throws -> Int { try freePorts(1) }

    /// The first of `count` consecutive ports nothing listens on now, below the range the kernel
    /// hands out to outgoing connections (32768 on), so that no client takes one meanwhile.
    static func freePorts(_ count: Int) throws -> Int {
        let found = try output("/usr/bin/python3", ["-c", """
            import random, socket
            for _ in range(200):
                base = random.randrange(20000, 32000)
                try:
                    held = []
                    for p in range(base, base + \(count)):
                        s = socket.socket(); s.bind(("127.0.0.1", p)); held.append(s)
                    print(base); break
                except OSError:
                    pass
                finally:
                    for s in held: s.close()
            """])
        return try #require(Int(found.text.trimmingCharacters(in: .whitespacesAndNewlines)), "free ports: \(found.text)")
    }

    /// The status of GET `path` (0 when nothing answered); the body is not kept (a tile is binary).
    static func status(_ port: Int, _ path: String) throws -> Int {
        let found = try output("/usr/bin/curl", ["-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)\(path)"])
        return Int(found.text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// GET `path` of the server on `port`, a text answer: the status (0 when nothing answered) and the body.
    static func get(_ port: Int, _ path: String) throws -> (status: Int, body: String) {
        let found = try output("/usr/bin/curl", ["-s", "-m", "5", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)\(path)"])
        let lines = found.text.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    /// /health's `status` and `data_version`.
    static func health(_ port: Int) throws -> (status: String, version: String)? {
        let answer = try get(port, "/health")
        guard answer.status == 200, let json = try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
              let status = json["status"] as? String, let version = json["data_version"] as? String else { return nil }
        return (status, version)
    }

    /// Polls `condition` every 50 ms until it holds or `seconds` pass; whether it held.
    static func eventually(within seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return try condition()
    }

    @Test func aServerOnTheDatabaseServesEachPushAndRidesOutTheDatabaseGoingAway() throws {
        // A cluster of its own: this test stops it, which the other tests' cluster must not see.
        let dir = CommandLineTests.repository.appendingPathComponent(".build/test-postgres-restart").path
        let script = CommandLineTests.repository.appendingPathComponent("scripts/postgres.sh").path
        let clusterPort = try Self.freePort()
        _ = try Self.output("/bin/bash", [script, "stop", dir])
        let started = try Self.output("/bin/bash", [script, "start", dir, String(clusterPort)])
        try #require(started.status == 0, "\(started.text)")
        defer { _ = try? Self.output("/bin/bash", [script, "stop", dir]) }
        let base = started.text.split(separator: "\n").last.map(String.init) ?? ""
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = try Self.sql("CREATE DATABASE \(name)", on: base)
        let url = String(base[..<base.lastIndex(of: "/")!]) + "/" + name

        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Self.run(["db", "init", url], in: folder).status == 0)
        #expect(try Self.run(["db", "push", Self.geodata, url], in: folder).status == 0)

        let port = try Self.freePort()
        let server = try RecordCommandTests.start(["serve", "--port", String(port), "--data", url], in: folder)
        defer { server.terminate(); server.waitUntilExit() }
        #expect(Self.eventually(within: 30) { (try? Self.health(port))??.status == "ok" })
        let first = try #require(try Self.health(port)).version

        // A push is served without a restart (NOTIFY wakes the server; the deadline is generous
        // for a loaded machine: `make bench` measures the delay).
        let edited = folder.appendingPathComponent("edited")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.geodata), to: edited)
        let metadata = edited.appendingPathComponent("dataset.json")
        let text = try String(contentsOf: metadata, encoding: .utf8)
        try text.replacingOccurrences(of: "\"title\": \"", with: "\"title\": \"Edited: ").write(to: metadata, atomically: true, encoding: .utf8)
        #expect(try Self.run(["db", "push", edited.path, url], in: folder).status == 0)
        #expect(Self.eventually(within: 5) { (try? Self.health(port))??.version != first })
        let second = try #require(try Self.health(port)).version
        #expect(second != first)
        let tile = "/styles/default/2022-03-26/10/644/388.png"
        #expect(try Self.status(port, tile) == 200)

        // The database goes away: the server keeps answering from what it holds, and says so.
        _ = try Self.output("/bin/bash", [script, "stop", dir])
        #expect(Self.eventually(within: 10) { (try? Self.health(port))??.status == "degraded" })
        #expect(try Self.status(port, tile) == 200)
        #expect(try Self.status(port, "/styles/default/2022-03-27/9/322/194.png") == 200)
        #expect(try Self.health(port)?.version == second)

        // Back again: the server reconnects by itself and serves the next push.
        let again = try Self.output("/bin/bash", [script, "start", dir, String(clusterPort)])
        try #require(again.status == 0, "\(again.text)")
        #expect(Self.eventually(within: 10) { (try? Self.health(port))??.status == "ok" })
        #expect(try Self.run(["db", "push", Self.geodata, url], in: folder).status == 0)
        #expect(Self.eventually(within: 5) { let v = (try? Self.health(port))??.version; return v != nil && v != second })
    }
}
