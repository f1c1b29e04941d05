import Foundation

extension Style {
    /// Finds and loads a style given as a name (`default`: `stylesDirectory/default.json`) or as the
    /// path of a `.json` file. Anything else, such as `../../etc/passwd`, is refused unread.
    public static func resolve(_ nameOrPath: String, stylesDirectory: URL, strict: Bool) throws -> Style {
        if nameOrPath.hasSuffix(".json") {
            return try load(from: URL(fileURLWithPath: nameOrPath), strict: strict)
        }
        return try named(nameOrPath, in: stylesDirectory, strict: strict)
    }

    /// Loads the style `name` from `stylesDirectory` and never a file elsewhere: the name must be
    /// letters, digits, `-` and `_`. For names from HTTP requests.
    public static func named(_ name: String, in stylesDirectory: URL, strict: Bool) throws -> Style {
        let available = availableStyles(in: stylesDirectory)
        let list = available.isEmpty ? "none in \(stylesDirectory.relativePath)" : available.joined(separator: ", ")
        guard isValidName(name) else {
            throw StyleError(StyleLocation(file: stylesDirectory.relativePath, section: .style),
                             "unknown style \"\(name)\": a style name has only letters, digits, \"-\" and \"_\" "
                             + "(a style file is given by a path ending in .json); available styles: \(list)")
        }
        guard available.contains(name) else {
            throw StyleError(StyleLocation(file: stylesDirectory.relativePath, section: .style),
                             "unknown style \"\(name)\"; available styles: \(list)")
        }
        return try load(from: stylesDirectory.appendingPathComponent(name + ".json"), strict: strict)
    }

    /// The names of the styles in a folder (its `*.json` files with valid names), sorted.
    public static func availableStyles(in stylesDirectory: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: stylesDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }
            .map { String($0.dropLast(5)) }
            .filter(isValidName)
            .sorted()
    }

    /// `^[A-Za-z0-9_-]+$`.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "-", "_": return true
            default: return false
            }
        }
    }
}
