import Foundation
@testable import FrontlineRender
import FrontlineGeometry

/// A version-8 style with the `dataset` source around the given layers' JSON.
func styleJSON(_ layers: String, extra: String = "") -> String {
    #"{"version": 8, "sources": {"dataset": {"type": "vector"}}, "layers": [\#(layers)]\#(extra)}"#
}

/// Parses a style as if read from `styles/x.json`.
func loadStyle(_ text: String, strict: Bool = false) throws -> Style {
    try Style(json: try JSONParser.parse(text), name: "x", strict: strict, file: "styles/x.json")
}

/// The error loading the style gives, nil when it loads.
func styleError(_ text: String, strict: Bool = false) -> StyleError? {
    do {
        _ = try loadStyle(text, strict: strict)
        return nil
    } catch let error as StyleError {
        return error
    } catch {
        return nil
    }
}

/// The repository's `styles/` folder.
let repositoryStyles = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("styles")
