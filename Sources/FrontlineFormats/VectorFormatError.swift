/// Why a vector file could not be read or written: the file, the layer and the feature where it
/// happened, and GDAL's own message.
public struct VectorFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable {
        /// The file is missing, unreadable, or no GDAL driver reads it as vector data.
        case cannotOpen
        /// A layer or feature could not be read.
        case cannotRead
        /// The output's extension names no supported format.
        case unknownFormat
        /// The output could not be created or written (nothing was replaced).
        case cannotWrite
    }

    /// The kind of failure.
    public var code: Code
    /// The file being read or written.
    public var file: String
    /// The layer, when the failure is inside one.
    public var layer: String?
    /// The 0-based index of the feature in its layer, when the failure is about one feature.
    public var featureIndex: Int?
    /// What went wrong: GDAL's message (`CPLGetLastErrorMsg`) where GDAL gave one.
    public var message: String

    /// Makes an error.
    public init(_ code: Code, file: String, layer: String? = nil, featureIndex: Int? = nil, message: String) {
        self.code = code
        self.file = file
        self.layer = layer
        self.featureIndex = featureIndex
        self.message = message
    }

    /// `<file>, layer <name>, feature <index>: <message>`.
    public var description: String {
        var place = file
        if let layer { place += ", layer \(layer)" }
        if let featureIndex { place += ", feature \(featureIndex)" }
        return "\(place): \(message)"
    }
}
