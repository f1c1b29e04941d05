import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// scripts/cluster.sh as users run it: PostgreSQL + PostGIS, two `frontline serve` replicas on it
/// and nginx in front (deploy/nginx.conf.template), all real and on loopback, with the program
/// these tests were built with.
@Suite(.serialized) struct ClusterTests {
    typealias DB = DatabaseCommandTests

    /// A running cluster in a folder of its own; stopped by `stop()`.
    struct Cluster {
        let dir: URL
        let nginx: Int
        let replicas: [Int]
        let environment: [String]

        static func start() throws -> Cluster {
            let dir = CommandLineTests.repository.appendingPathComponent(".build/test-cluster-\(UUID().uuidString.prefix(8))")
            let nginx = try DB.freePort(), first = try DB.freePorts(2), database = try DB.freePort()
            let binary = try RecordCommandTests.binary().path
            let cluster = Cluster(dir: dir, nginx: nginx, replicas: [first, first + 1],
                                  environment: ["CLUSTER_DIR=\(dir.path)", "PORT=\(nginx)", "REPLICA_PORT=\(first)", "DB_PORT=\(database)",
                                                "REPLICAS=2", "FRONTLINE_BIN=\(binary)"])
            let started = try cluster.script("start")
            // What did start is stopped: a half-started cluster must not outlive the test.
            if started.status != 0 { cluster.stop() }
            try #require(started.status == 0, "scripts/cluster.sh start: \(started.text)")
            return cluster
        }

        func script(_ command: String) throws -> (status: Int32, text: String) {
            try DB.output("/usr/bin/env", environment + ["bash", CommandLineTests.repository.appendingPathComponent("scripts/cluster.sh").path, command],
                          errors: true)
        }

        func stop() {
            _ = try? script("stop")
            try? FileManager.default.removeItem(at: dir)
        }

        var databaseURL: String {
            get throws { try String(contentsOf: dir.appendingPathComponent("database-url"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
        }

        /// The pid of replica `k` (1-based).
        func pid(_ k: Int) throws -> pid_t {
            try #require(pid_t(try String(contentsOf: dir.appendingPathComponent("replica-\(k).pid"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)))
        }
    }

    /// TileJSON of the default style on a date, through `port`: its `description` and tile URL.
    static func tileJSON(_ port: Int) throws -> (title: String, tiles: String)? {
        let answer = try DB.get(port, "/styles/default/2022-03-26.json")
        guard answer.status == 200, let json = try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
              let name = json["name"] as? String, let tiles = (json["tiles"] as? [String])?.first else { return nil }
        return (name, tiles)
    }

    @Test func aWriteReachesBothReplicasAndTheAnswersThroughNginx() throws {
        let cluster = try Cluster.start()
        defer { cluster.stop() }
        let url = try cluster.databaseURL
        let before = try #require(try Self.tileJSON(cluster.nginx))
        #expect(try DB.status(cluster.nginx, "/styles/default/2022-03-26/10/644/388.png") == 200)
        let versions = try cluster.replicas.map { try #require(try DB.health($0)).version }
        #expect(Set(versions).count == 1, "both replicas serve one version: \(versions)")

        // A new version of the dataset, written through the CLI.
        let folder = try DB.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let edited = folder.appendingPathComponent("edited")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: DB.geodata), to: edited)
        let metadata = edited.appendingPathComponent("dataset.json")
        let text = try String(contentsOf: metadata, encoding: .utf8)
        try text.replacingOccurrences(of: "\"title\": \"", with: "\"title\": \"Edited: ").write(to: metadata, atomically: true, encoding: .utf8)
        let pushed = try DB.run(["db", "push", edited.path, url], in: folder)
        try #require(pushed.status == 0, "\(pushed)")

        // Both replicas, and nginx's answers, move to it (LISTEN/NOTIFY; data answers are
        // revalidated by nginx). The deadline is generous for a loaded machine.
        #expect(DB.eventually(within: 5) {
            cluster.replicas.allSatisfy { port in
                guard let health = (try? DB.health(port)) ?? nil else { return false }
                return health.version != versions[0]
            }
        })
        #expect(DB.eventually(within: 5) { (try? Self.tileJSON(cluster.nginx))??.title.hasPrefix("Edited: ") == true })
        let after = try #require(try Self.tileJSON(cluster.nginx))
        #expect(after.tiles != before.tiles, "the tiles' ?v= moves with the version")
    }

    @Test func aReplicaKilledUnderLoadFailsNoRequestThroughNginx() throws {
        let cluster = try Cluster.start()
        defer { cluster.stop() }
        // 240 requests, 4 at a time, for tiles nginx has not cached (so the replicas render), and
        // half-way one replica is killed with SIGKILL. No request fails (nginx sends it to the
        // other replica); an answer the killed replica was already sending is cut short, which
        // nginx cannot mend once it has passed the head on (seen once in a few runs).
        let folder = try DB.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let load = folder.appendingPathComponent("load.py")
        try """
            import http.client, sys, threading, os, signal, time
            port, victim = int(sys.argv[1]), int(sys.argv[2])
            paths = [f"/styles/default/2022-03-{d:02d}/12/{x}/{y}.png" for d in (26, 27) for x in range(2576, 2586) for y in range(1552, 1564)]
            failures, cut, done, lock = [], [], [0], threading.Lock()
            def worker(mine):
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                for path in mine:
                    try:
                        c.request("GET", path); r = c.getresponse()
                        try:
                            r.read()
                        except http.client.IncompleteRead as e:
                            # The replica was killed while sending this very answer: nginx had
                            # passed its head on and cannot send it elsewhere.
                            cut.append(f"{path}: {e!r}"); c = http.client.HTTPConnection("127.0.0.1", port, timeout=30); continue
                        if r.status != 200: failures.append(f"{path}: {r.status}")
                    except Exception as e:
                        failures.append(f"{path}: {e!r}"); c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    with lock:
                        done[0] += 1
                        if done[0] == len(paths) // 2: os.kill(victim, signal.SIGKILL)
            threads = [threading.Thread(target=worker, args=(paths[k::4],)) for k in range(4)]
            for t in threads: t.start()
            for t in threads: t.join()
            print(f"{len(paths)} {len(failures)} {len(cut)}")
            for f in (failures + cut)[:5]: print(f)
            """.write(to: load, atomically: true, encoding: .utf8)
        let victim = try cluster.pid(1)
        let ran = try DB.output("/usr/bin/python3", [load.path, String(cluster.nginx), String(victim)])
        let counts = ran.text.split(separator: "\n").first?.split(separator: " ").compactMap { Int($0) } ?? []
        #expect(counts.count == 3 && counts[0] == 240 && counts[1] == 0, "requests, failures, answers cut: \(ran.text)")
        // At most the answers the killed replica was sending at that instant (4 clients) are cut.
        #expect(counts.count == 3 && counts[2] <= 4, "requests, failures, answers cut: \(ran.text)")
        #expect(try DB.status(cluster.replicas[0], "/health") == 0, "the killed replica answers no more")
        #expect(try DB.health(cluster.replicas[1])?.status == "ok", "the other replica still serves")
    }
}
