import Foundation
import Testing

/// The `frontline` program run from a folder that is not the repository: its styles are built
/// in, so `--style print` works with only `--data` pointing at a dataset; `--styles DIR` adds
/// a style of that folder.
@Suite struct AnyFolderTests {
    /// Runs the built program in `folder`; its exit status and standard error.
    func run(_ arguments: [String], in folder: URL) throws -> (status: Int32, errors: String) {
        let binary = try #require(Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("frontline"))
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "\(binary.path) is built by `swift build`")
        let process = Process()
        process.executableURL = binary
        process.currentDirectoryURL = folder
        process.arguments = arguments
        // No FRONTLINE_DATA: the dataset comes from --data alone.
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "FRONTLINE_DATA" }
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func shippedStylesAreFoundFromAnotherWorkingDirectory() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-home-\(UUID())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let (status, errors) = try run(["render", "--date", "2022-03-26", "--style", "print", "--data", CommandLineTests.data,
                                        "--size", "320x240", "-o", "map.png"], in: home)
        #expect(status == 0, "\(errors)")
        let png = try Data(contentsOf: home.appendingPathComponent("map.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))

        // A folder of one's own adds a style; an unknown one names all that are on offer.
        let mine = home.appendingPathComponent("my-styles")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CommandLineTests.repository.appendingPathComponent("styles/print.json"),
                                         to: mine.appendingPathComponent("grey.json"))
        #expect(try run(["render", "--style", "grey", "--styles", "my-styles", "--data", CommandLineTests.data, "--size", "320x240",
                         "-o", "grey.png"], in: home).status == 0)
        let unknown = try run(["render", "--style", "nope", "--styles", "my-styles", "--data", CommandLineTests.data, "-o", "x.png"], in: home)
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("unknown style \"nope\"; available styles: default, grey, print"))
    }
}
