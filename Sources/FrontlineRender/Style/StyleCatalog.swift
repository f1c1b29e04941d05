import Foundation
import FrontlineData

/// The styles a program can draw with: those built into it (`default`, `print`), then the
/// `*.json` files of a styles folder, then style files named one by one, each adding a style or
/// replacing one of the same name. Works from any working directory.
public struct StyleCatalog: Sendable {
    /// The styles built into the program, by name (the files of Sources/FrontlineRender/Styles).
    public static let shipped: [String: [UInt8]] = ["default": PackageResources.default_json, "print": PackageResources.print_json]

    /// A folder whose styles add to or override the shipped ones (`--styles DIR`).
    public var directory: URL?
    /// Style files given by path (`--style FILE.json`), named by their file name.
    public var files: [URL] = []
    /// Unsupported style properties are errors instead of warnings.
    public var strict = false
    /// When set, only this style is offered (a command that draws with one style need not read the others).
    public var only: String?

    /// The shipped styles, plus those of `directory` when given.
    public init(directory: URL? = nil, strict: Bool = false) {
        self.directory = directory
        self.strict = strict
    }

    /// Adds a style: a name among those on offer, or the path of a `.json` file; returns the name to ask for.
    public mutating func select(_ nameOrPath: String) -> String {
        guard nameOrPath.hasSuffix(".json") else {
            only = nameOrPath
            return nameOrPath
        }
        let url = URL(fileURLWithPath: nameOrPath)
        files.append(url)
        only = url.deletingPathExtension().lastPathComponent
        return only!
    }

    /// The names on offer (only ``only`` when it is set), sorted.
    public var names: [String] {
        if let only { return [only] }
        return available
    }

    /// Every name the shipped styles, the folder and the files give, sorted.
    public var available: [String] {
        var names = Set(Self.shipped.keys)
        if let directory { names.formUnion(Style.availableStyles(in: directory)) }
        names.formUnion(files.map { $0.deletingPathExtension().lastPathComponent })
        return names.sorted()
    }

    /// Changes whenever a style on offer may have changed (the folder's and the files' names, sizes and times).
    public func fingerprint() -> String {
        var hash = FNV1a()
        if let directory { FileFingerprint.add(folder: directory, to: &hash) }
        for file in files { hash.add(FileFingerprint.identity(file.path)) }
        hash.add(only ?? "")
        return hash.hex
    }

    /// Loads one style by name; an unknown name is a ``MapRequestError`` naming those on offer.
    public func load(_ name: String) throws -> Style {
        let offered = available
        guard Style.isValidName(name), offered.contains(name) else {
            throw MapRequestError(.unknownStyle, "unknown style \"\(name)\"; available styles: \(offered.joined(separator: ", "))")
        }
        if let file = files.last(where: { $0.deletingPathExtension().lastPathComponent == name }) {
            return try Style.load(from: file, strict: strict)
        }
        if let directory, Style.availableStyles(in: directory).contains(name) {
            return try Style.load(from: directory.appendingPathComponent(name + ".json"), strict: strict)
        }
        // A folder's style removed since it was listed.
        guard let bytes = Self.shipped[name] else {
            throw MapRequestError(.unknownStyle, "unknown style \"\(name)\"; available styles: \(available.joined(separator: ", "))")
        }
        return try Style.parse(bytes, name: name, file: "\(name).json (built in)", strict: strict)
    }

    /// Every style on offer, loaded.
    public func loadAll() throws -> [String: Style] {
        try Dictionary(uniqueKeysWithValues: names.map { ($0, try load($0)) })
    }
}
