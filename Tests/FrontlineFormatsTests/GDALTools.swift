import Foundation
import FrontlineGeometry
import Testing

/// GDAL's own command-line tools (gdal-bin, installed by `make test`) as independent readers and
/// converters, and the comparisons the format tests share.
enum GDALTools {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Runs `ogr2ogr` or `ogrinfo`; returns standard output, failing the test when the tool fails.
    @discardableResult
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

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The rings of a polygonal geometry as sorted position sets (rounded to 1e-9°), polygon by
    /// polygon: equal for the same shape whatever the ring orientation, start or Polygon/MultiPolygon.
    static func rings(_ g: Geometry) -> [[[[Double]]]] {
        g.polygons.map { polygon in
            polygon.ringRanges.map { r in
                Set(r.map { i in [polygon.position(i).x, polygon.position(i).y].map { ($0 * 1e9).rounded() / 1e9 } })
                    .sorted { $0.lexicographicallyPrecedes($1) }
            }
        }
    }
}
