import ArgumentParser
import Foundation
import Testing
@testable import frontline

/// The CLI parsed and run in-process: exit codes, validation and help text.
@Suite struct CommandLineTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let data = repository.appendingPathComponent("geodata").path
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// The exit code the command line would end with.
    func exitCode(_ arguments: [String]) -> Int32 {
        do {
            // Only the synchronous commands are run here (serve would start a server).
            var command = try Frontline.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            return Frontline.exitCode(for: error).rawValue
        }
    }

    @Test func goodRequestsSucceed() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-cli-\(UUID()).geojson")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(exitCode(["changes", "--data", Self.data, "--from", "2022-03-01", "--to", "2022-03-28", "-o", out.path]) == 0)
        let text = try String(contentsOf: out, encoding: .utf8)
        #expect(text.hasPrefix("{\"type\":\"FeatureCollection\""))
        #expect(text.contains("\"village_ids\":[\"parukh\"]"))
        #expect(exitCode(["validate", "--data", Self.data]) == 0)
    }

    @Test(arguments: [
        ["changes", "--from", "2022-13-01", "--to", "2022-03-28"],
        ["changes", "--from", "2022-03-28", "--to", "2022-03-01"],
        ["changes", "--from", "2022-03-01"],
        ["changes", "--from", "2022-03-01", "--to", "2022-03-28", "--format", "kml"],
        ["changes", "--from", "2022-03-01", "--to", "2022-03-28", "--min-area", "-1"],
        ["overlaps", "--date", "26/03/2022"],
        ["overlaps", "--lang", "fr"],
        ["render"],
        ["render", "-o", "map.gif"],
        ["render", "-o", "map.png", "--tile", "10/5000/1"],
        ["render", "-o", "map.png", "--size", "100000x10"],
        ["render", "-o", "map.png", "--bbox", "47,39,46,40"],
        ["render", "-o", "map.png", "--date", "2022-03-01", "--from", "2022-03-01", "--to", "2022-03-28"],
        ["render", "-o", "map.png", "--from", "2022-03-01"],
        ["render", "-o", "map.png", "--around", "parukh", "--bbox", "46.5,39.5,47,40"],
        ["render", "-o", "map.png", "--radius", "5"],
        ["render", "-o", "map.png", "--around", "parukh", "--radius", "0"],
        ["render", "-o", "map.png", "--around", "parukh", "--radius", "nan"],
        ["render", "-o", "map.png", "--dpi", "150"],
        ["render", "-o", "map.png", "--note", "a note"],
        ["render", "-o", "map.png", "--page", "a3"],
        ["render", "-o", "map.png", "--page", "a4", "--size", "800x600"],
        ["render", "-o", "map.png", "--page", "a4", "--dpi", "5000"],
        ["render", "-o", "map.png", "--page", "a4", "--tile", "10/644/388"],
        ["render", "-o", "map.png", "--no-inset", "--tile", "10/644/388"],
        ["animate", "--from", "2022-03-01", "--to", "2022-03-28"],
        ["animate", "--from", "2022-03-28", "--to", "2022-03-01", "-o", "a.mp4"],
        ["animate", "--from", "2022-02-30", "--to", "2022-03-28", "-o", "a.mp4"],
        ["animate", "--from", "2022-03-01", "--to", "2022-03-28", "-o", "a.avi"],
        ["animate", "--from", "2022-03-01", "--to", "2022-03-28", "-o", "/tmp"],
        ["animate", "--from", "2022-03-01", "--to", "2022-03-28", "-o", "a.mp4", "--step", "2w"],
        ["animate", "--from", "2022-03-01", "--to", "2022-03-28", "-o", "a.mp4", "--fps", "0"],
        ["animate", "--from", "2022-03-01", "--to", "2022-03-28", "-o", "a.mp4", "--size", "321x240"],
        ["animate", "--from", "2022-03-01", "--to", "2022-03-28", "-o", "a.gif", "--around", "parukh", "--bbox", "46.5,39.5,47,40"],
        ["seed", "-o", "tiles", "--zoom", "12-6"],
        ["seed", "-o", "tiles", "--zoom", "6-25"],
        ["seed", "-o", "tiles", "--scale", "3"],
    ])
    func usageErrorsExitWith64(_ arguments: [String]) {
        #expect(exitCode(arguments + ["--data", Self.data]) == 64)
    }

    @Test(arguments: [
        ["changes", "--from", "2019-01-01", "--to", "2022-03-28"],
        ["overlaps", "--date", "2031-01-01"],
        ["render", "--date", "2022-03-26", "--around", "atlantis", "-o", "/nonexistent/map.png"],
        ["animate", "--from", "2019-03-01", "--to", "2022-03-28", "-o", "/tmp/frontline-never-written.mp4"],
        ["animate", "--from", "2022-03-01", "--to", "2022-03-28", "--style", "no-such-style", "-o", "/tmp/frontline-never-written.mp4"],
        ["animate", "--from", "2022-03-01", "--to", "2022-03-28", "--size", "64x48", "-o", "/nonexistent/folder/a.gif"],
        ["validate", "--data", "/nonexistent"],
        ["changes", "--from", "2021-01-01", "--to", "2021-06-01", "--data", "Tests/FrontlineDataTests/Fixtures/bad/truncated-json"],
    ])
    func dataErrorsExitWith1(_ arguments: [String]) {
        let withData = arguments.contains("--data") ? arguments.map { $0.hasPrefix("Tests/") ? Self.repository.appendingPathComponent($0).path : $0 }
                                                    : arguments + ["--data", Self.data]
        #expect(exitCode(withData) == 1)
    }

    @Test func animateWritesAFile() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-cli-\(UUID()).gif")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(exitCode(["animate", "--data", Self.data, "--from", "2022-03-20", "--to", "2022-03-28", "--size", "96x64", "-o", out.path]) == 0)
        let bytes = try Data(contentsOf: out)
        #expect(bytes.starts(with: Array("GIF89a".utf8)))
    }

    @Test(arguments: ["frontline", "serve", "render", "animate", "seed", "validate", "changes", "snapshot", "overlaps", "import", "record", "history", "db"])
    func helpTextMatchesTheGoldenCopy(_ name: String) throws {
        let help: String
        switch name {
        case "serve": help = Frontline.helpMessage(for: ServeCommand.self, columns: 100)
        case "seed": help = Frontline.helpMessage(for: SeedCommand.self, columns: 100)
        case "render": help = Frontline.helpMessage(for: RenderCommand.self, columns: 100)
        case "animate": help = Frontline.helpMessage(for: AnimateCommand.self, columns: 100)
        case "validate": help = Frontline.helpMessage(for: ValidateCommand.self, columns: 100)
        case "changes": help = Frontline.helpMessage(for: ChangesCommand.self, columns: 100)
        case "snapshot": help = Frontline.helpMessage(for: SnapshotCommand.self, columns: 100)
        case "overlaps": help = Frontline.helpMessage(for: OverlapsCommand.self, columns: 100)
        case "import": help = Frontline.helpMessage(for: ImportCommand.self, columns: 100)
        case "record": help = Frontline.helpMessage(for: RecordCommand.self, columns: 100)
        case "history": help = Frontline.helpMessage(for: HistoryCommand.self, columns: 100)
        case "db": help = Frontline.helpMessage(for: DatabaseCommand.self, columns: 100)
        default: help = Frontline.helpMessage(columns: 100)
        }
        let file = Self.golden.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try help.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(help == expected, "help for \(name) changed; rerun with UPDATE_GOLDEN=1 if intended")
    }
}

extension CommandLineTests {
    @Test func overlappingControlIsADataError() {
        let data = Self.repository.appendingPathComponent("Tests/FrontlineDataTests/Fixtures/bad/overlapping-control-large").path
        #expect(exitCode(["overlaps", "--data", data, "--date", "2021-03-01"]) == 1)
        #expect(exitCode(["validate", "--data", data]) == 1)
    }
}
