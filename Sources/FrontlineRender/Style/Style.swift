import Foundation
import FrontlineGeometry

/// A parsed map style: JSON in the MapLibre GL style specification (version 8), restricted to
/// what Frontline draws. Unsupported parts become ``warnings`` (errors when loaded strictly).
public struct Style: Sendable {
    /// The style's name: its file name without `.json`.
    public var name: String
    /// The layers Frontline draws, in drawing order (skipped layers left out).
    public var layers: [StyleLayer]
    /// What the style asks for that Frontline does not support, and leaves out.
    public var warnings: [StyleIssue]

    private static let topLevelKeys: Set<String> = ["version", "name", "metadata", "sources", "layers", "glyphs", "sprite"]

    /// Reads and parses a style file; `strict` turns every warning into a thrown ``StyleError``.
    public static func load(from url: URL, strict: Bool = false) throws -> Style {
        let file = url.isFileURL ? url.relativePath : url.absoluteString
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: url))
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "does not exist"
            throw StyleError(StyleLocation(file: file, section: .style), "the style file \(reason)")
        }
        return try parse(bytes, name: url.deletingPathExtension().lastPathComponent, file: file, strict: strict)
    }

    /// Parses a style file's bytes; `file` is how messages name it.
    public static func parse(_ bytes: [UInt8], name: String, file: String, strict: Bool = false) throws -> Style {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw StyleError(StyleLocation(file: file, section: .style), "not valid JSON: \(error.message)",
                             line: error.line, column: error.column)
        }
        return try Style(json: json, name: name, strict: strict, file: file)
    }

    /// Parses a style from JSON; `file` (default `name.json`) is how messages name the style.
    public init(json: JSONValue, name: String, strict: Bool = false, file: String? = nil) throws {
        let file = file ?? "\(name).json"
        func at(_ key: String) -> StyleLocation { StyleLocation(file: file, property: key, section: .style) }
        guard case .object(let root) = json else {
            throw StyleError(StyleLocation(file: file, section: .style), "a style must be a JSON object, found \(json.typeDescription)")
        }
        guard root["version"] == .number(8) else {
            let found = root["version"].map { $0.numberValue.map(StyleValue.format) ?? $0.typeDescription } ?? "none"
            throw StyleError(at("version"), "expected 8 (MapLibre GL style version 8), found \(found)")
        }
        guard case .object(let sources) = root["sources"], sources["dataset"] != nil else {
            throw StyleError(at("sources"), "must name the source \"dataset\", e.g. \"sources\": {\"dataset\": {\"type\": \"vector\"}}")
        }
        guard let layerList = root["layers"]?.arrayValue else {
            throw StyleError(at("layers"), "expected an array of layers, found \(root["layers"]?.typeDescription ?? "none")")
        }
        var issues = IssueCollector(strict: strict)
        for key in root.keys.sorted() where !Self.topLevelKeys.contains(key) {
            try issues.warn(at(key), "is not supported and is ignored")
        }
        var layers: [StyleLayer] = []
        var ids: Set<String> = []
        for (index, layerJSON) in layerList.enumerated() {
            if let id = layerJSON["id"]?.stringValue, !ids.insert(id).inserted {
                throw StyleError(StyleLocation(file: file, layer: id, property: "id"), "another layer has the same id; ids must be unique")
            }
            if let layer = try StyleLayer.parse(layerJSON, index: index, file: file, issues: &issues) {
                layers.append(layer)
            }
        }
        self.name = name
        self.layers = layers
        self.warnings = issues.warnings
    }

    /// The layer with this id.
    public func layer(_ id: String) -> StyleLayer? {
        layers.first { $0.id == id }
    }
}
