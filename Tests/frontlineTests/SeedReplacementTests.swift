import Foundation
import Testing

/// `frontline seed -o FILE.mbtiles` run as a program: the previous file survives a run that fails
/// or is killed, and is replaced only by a run that finishes.
@Suite struct SeedReplacementTests {
    /// An earlier seed's file (its bytes are never read, only compared).
    static let previous = Data((0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 7) })

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-seed-\(UUID())")
    var target: URL { folder.appendingPathComponent("tiles.mbtiles") }
    var partial: String { target.path + ".partial" }

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.previous.write(to: folder.appendingPathComponent("tiles.mbtiles"))
    }

    /// A `frontline seed` of `zooms` into ``target``, started.
    func seed(zooms: String) throws -> Process {
        let binary = try #require(Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("frontline"))
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "\(binary.path) is built by `swift build`")
        let process = Process()
        process.executableURL = binary
        process.currentDirectoryURL = CommandLineTests.repository
        process.arguments = ["seed", "--data", CommandLineTests.data, "--date", "2022-03-26", "--zoom", zooms, "-o", target.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func aKilledSeedLeavesThePreviousFileAndTheNextRunReplacesIt() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // Big enough to take a while; it is killed once it writes tiles.
        let killed = try seed(zooms: "6-14")
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: partial), killed.isRunning, Date() < deadline { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: partial), "the run writes beside the target")
        usleep(300_000)
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(killed.terminationReason == .uncaughtSignal)
        #expect(try Data(contentsOf: target) == Self.previous, "the previous file, byte for byte")

        // The next run starts over from the stale partial file and replaces the target.
        let next = try seed(zooms: "6")
        next.waitUntilExit()
        #expect(next.terminationStatus == 0)
        #expect(try Data(contentsOf: target).starts(with: Array("SQLite format 3\0".utf8)))
        #expect(!FileManager.default.fileExists(atPath: partial))
    }

    @Test func aFailedSeedLeavesThePreviousFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // The temporary file cannot be created: a folder has its name.
        try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: false)
        let failed = try seed(zooms: "6")
        failed.waitUntilExit()
        #expect(failed.terminationStatus == 1)
        #expect(try Data(contentsOf: target) == Self.previous)
    }
}
