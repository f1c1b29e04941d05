import Foundation
import Testing

/// Poppler's command-line tools (poppler-utils, installed by `make test`) read maps back as a
/// reader's software would: the text a PDF holds, its page size.
enum ReadBack {
    /// Runs a tool of /usr/bin with `arguments`; its standard output, failing the test when it fails.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) \(arguments.joined(separator: " ")) failed: \(errors)")
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `bytes` to a temporary file with `suffix`, runs `body` on its path, removes it.
    static func withFile<T>(_ bytes: [UInt8], suffix: String, _ body: (String) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-readback-\(UUID().uuidString).\(suffix)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }

    /// The text of a PDF, as pdftotext extracts it.
    static func text(ofPDF pdf: [UInt8]) throws -> String {
        try withFile(pdf, suffix: "pdf") { try run("pdftotext", [$0, "-"]) }
    }

    /// The page size of a PDF in points, as pdfinfo reports it.
    static func pageSize(ofPDF pdf: [UInt8]) throws -> (width: Double, height: Double) {
        let info = try withFile(pdf, suffix: "pdf") { try run("pdfinfo", [$0]) }
        // "Page size:       595.276 x 841.89 pts (A4)"
        let line = try #require(info.split(separator: "\n").first { $0.hasPrefix("Page size:") })
        let words = line.split(separator: " ")
        let x = try #require(words.firstIndex(of: "x"))
        return (try #require(Double(words[x - 1])), try #require(Double(words[x + 1])))
    }
}
