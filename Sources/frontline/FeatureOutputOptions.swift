import ArgumentParser
import FrontlineFormats
import FrontlineGeometry

/// Where a command's features go: GeoJSON on standard output, or a file in the GIS format its
/// extension names.
struct FeatureOutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Write to this file instead of standard output, in the format of its extension: \(VectorFormat.supportedExtensions).",
        valueName: "file"))
    var output: String?

    /// The same destination for text output.
    var text: OutputOptions { OutputOptions(output: output) }

    /// Fails (exit code 1) before any work when the output's extension names no format.
    func checkFormat() throws {
        guard let output else { return }
        _ = try reportingFailures { try VectorFormat(path: output) }
    }

    /// Writes the features; GDAL's warnings (such as truncated Shapefile values) go to stderr.
    func write(_ features: [GeoJSONFeature], layerName: String) throws {
        guard let output else { return try text.write(JSONWriter.featureCollection(features)) }
        let warnings = try reportingFailures { try VectorWriter.write(features, to: output, layerName: layerName) }
        for warning in warnings { Console.error("warning: \(warning)") }
    }
}
