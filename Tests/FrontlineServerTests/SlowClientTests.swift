import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `frontline serve` under `ulimit -n 1024` against clients that open connections and
/// never finish a request: it keeps answering others, reloads its data, and closes the slow ones
/// after its header timeout. Short timeouts keep the tests to seconds; waits are bounded, and no
/// assertion is about speed.
@Suite(.serialized) struct SlowClientTests {
    static let slowClients = 2000
    static let health = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    static let tile = "GET /styles/default/2022-03-26/9/322/194.png HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    /// A `frontline serve` process on a copy of the data, under `ulimit -n 1024`.
    final class Server {
        let process = Process()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-slow-\(UUID())")
        let port: Int

        init(headerTimeout: Double, idleTimeout: Double) throws {
            let binary = try #require(Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("frontline"),
                                      "the frontline binary beside the test bundle")
            try #require(FileManager.default.isExecutableFile(atPath: binary.path), "\(binary.path) is built by `swift build`")
            for name in ["geodata", "styles"] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                // `styles` is a link into the sources: copy what it points at.
                try FileManager.default.copyItem(at: ServerTests.repository.appendingPathComponent(name).resolvingSymlinksInPath(),
                                                 to: folder.appendingPathComponent(name))
            }
            port = try Self.freePort()
            let command = ["exec", binary.path, "serve", "--port", "\(port)", "--data", folder.appendingPathComponent("geodata").path,
                           "--styles", folder.appendingPathComponent("styles").path,
                           "--header-timeout", "\(headerTimeout)", "--idle-timeout", "\(idleTimeout)"]
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n 1024 && " + command.map { "'\($0)'" }.joined(separator: " ")]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Loading the data takes a moment in a debug build.
            let deadline = Date().addingTimeInterval(60)
            while get(SlowClientTests.health)?.status != 200 {
                try #require(process.isRunning && Date() < deadline, "the server starts")
                usleep(100_000)
            }
        }

        deinit {
            process.terminate()
            // A graceful shutdown waits for open requests; a bounded one, then no more.
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: folder)
        }

        /// One request on a fresh connection, retried for a few seconds while the server is busy.
        func get(_ request: String, retryingFor seconds: Double = 0) -> (status: Int, body: String)? {
            let deadline = Date().addingTimeInterval(seconds)
            repeat {
                if let connection = RawConnection(port: port), connection.connected(within: 2), connection.send(request),
                   let response = connection.response(within: 5) { return response }
                usleep(100_000)
            } while Date() < deadline
            return nil
        }

        /// The served data's version, from /health.
        func version() -> String? {
            guard let body = get(SlowClientTests.health, retryingFor: 5)?.body,
                  let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return nil }
            return json["data_version"] as? String
        }

        /// A port nothing listens on now (bound to port 0, read back, closed).
        static func freePort() throws -> Int {
            let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(probe) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            // bind(2) and getsockname(2) return 0, or -1 and set errno.
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0
                }
            }
            try #require(bound, "a free port")
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }

    /// The slow clients, held by a child process (python3) rather than by this one: the test
    /// process also starts programs with Foundation's `Process`, whose `run()` crashes while the
    /// process holds more than about a thousand descriptors.
    final class SlowClients {
        let process = Process()
        private let input = Pipe(), output = Pipe()
        /// How many connected and sent half a request.
        private(set) var connected = 0

        static let script = """
            import resource, select, socket, sys, time
            port, count = int(sys.argv[1]), int(sys.argv[2])
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, count + 256)), hard))
            held = {}
            for _ in range(count):
                s = socket.socket()
                s.settimeout(1)
                try:
                    s.connect(("127.0.0.1", port))
                    s.sendall(b"GET /health HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUser-Agent: slow")
                    held[s.fileno()] = s
                except OSError:
                    s.close()  # a connect the kernel left pending in a full backlog
            print("connected", len(held), flush=True)
            asked = sys.stdin.readline().split()
            if not asked:
                sys.exit(0)  # the test is over
            deadline = time.time() + float(asked[1])
            while held and time.time() < deadline:
                poll = select.poll()
                for fd in held:
                    poll.register(fd, select.POLLIN)
                for fd, _ in poll.poll(500):
                    try:
                        data = held[fd].recv(4096)
                    except OSError:
                        data = b""
                    if not data:
                        held.pop(fd).close()
            print("open", len(held), flush=True)
            """

        /// Opens `count` connections to the server, each sending half a request and waiting.
        init(port: Int, count: Int) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", Self.script, "\(port)", "\(count)"]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            connected = try #require(Int(line().dropFirst("connected ".count)), "the slow clients report")
        }

        /// How many are still open after waiting up to `seconds` for the server to close them.
        func stillOpen(waiting seconds: Double) throws -> Int {
            input.fileHandleForWriting.write(Data("check \(seconds)\n".utf8))
            return try #require(Int(line().dropFirst("open ".count)), "the slow clients report")
        }

        private func line() -> String {
            var bytes: [UInt8] = []
            while let byte = try? output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { bytes.append(byte) }
            return String(decoding: bytes, as: UTF8.self)
        }

        deinit {
            // The end of its input ends the child; SIGKILL in case it is still opening connections.
            try? input.fileHandleForWriting.close()
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test func slowClientsDoNotKeepOthersOutAndAreClosedAfterTheHeaderTimeout() throws {
        let server = try Server(headerTimeout: 2, idleTimeout: 60)
        let slow = try SlowClients(port: server.port, count: Self.slowClients)
        #expect(slow.connected > 1024, "more slow clients than the server has file descriptors")
        #expect(server.get(Self.health, retryingFor: 5)?.status == 200)
        #expect(server.get(Self.tile, retryingFor: 5)?.status == 200, "a render opens its fonts")
        // Those that kept their place until now are closed by the header timeout (waited for
        // generously: a shared, loaded machine may be slow to run the server's timers).
        let open = try slow.stillOpen(waiting: 30)
        #expect(open == 0, "\(open) slow connections still open")
    }

    @Test func dataIsReloadedWhileSlowClientsHoldTheConnections() throws {
        let server = try Server(headerTimeout: 30, idleTimeout: 60)
        let before = try #require(server.version())
        let slow = try SlowClients(port: server.port, count: Self.slowClients)
        let events = server.folder.appendingPathComponent("geodata/events.geojson")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(10)], ofItemAtPath: events.path)
        // The watcher looks every 2 s; a reload needs file descriptors the slow clients would hold.
        let deadline = Date().addingTimeInterval(15)
        var after = before
        while after == before, Date() < deadline {
            usleep(200_000)
            after = server.version() ?? before
        }
        #expect(after != before, "the new data is served")
        withExtendedLifetime(slow) {}
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws {
        let server = try Server(headerTimeout: 60, idleTimeout: 2)
        let connection = try #require(RawConnection(port: server.port))
        #expect(connection.connected(within: 5))
        // Rendered by the router, then answered from the cache on the event loop.
        for _ in 0..<2 {
            connection.send(Self.tile)
            #expect(connection.response(within: 30)?.status == 200)
        }
        #expect(connection.send(Self.health) && connection.response(within: 5)?.status == 200, "kept alive between requests")
        #expect(connection.closedByServer(within: 15))
    }
}
