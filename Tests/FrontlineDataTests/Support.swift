import Foundation
import FrontlineData
import FrontlineGeometry

/// Test fixtures next to this file, and the repository's own dataset.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let defaultDataset = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("geodata")

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    static func json(_ path: String) throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: url(path))))
    }

    /// Every issue a dataset produces: load errors, or load warnings plus the consistency checks.
    static func issues(of directory: URL) -> [ValidationIssue] {
        do {
            let dataset = try Dataset.load(from: directory)
            return dataset.warnings + (try dataset.checkControlConsistency())
        } catch let error as DatasetError {
            return error.issues
        } catch {
            return [ValidationIssue(.error, .invalidGeometry, file: "?", "unexpected error \(error)")]
        }
    }
}

func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

func close(_ a: Double, _ b: Double, relative: Double = 1e-3) -> Bool {
    abs(a - b) <= relative * max(abs(b), 1e-9)
}
