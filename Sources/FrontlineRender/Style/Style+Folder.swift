import Foundation

extension Style {
    /// The names of the styles in a folder (its `*.json` files with valid names), sorted.
    public static func availableStyles(in stylesDirectory: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: stylesDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }
            .map { String($0.dropLast(5)) }
            .filter(isValidName)
            .sorted()
    }

    /// `^[A-Za-z0-9_-]+$`: a style name from a request can never name a file elsewhere.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "-", "_": return true
            default: return false
            }
        }
    }
}
