/// Why a style could not be loaded, with what the user must fix: the file, the layer, the
/// property and what is wrong with it (and the line and column of a JSON syntax error).
public struct StyleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is.
    public var location: StyleLocation
    /// What is wrong, and where it helps, what is expected.
    public var message: String
    /// 1-based line of a JSON syntax error.
    public var line: Int?
    /// 1-based column of a JSON syntax error.
    public var column: Int?

    /// Makes an error.
    public init(_ location: StyleLocation, _ message: String, line: Int? = nil, column: Int? = nil) {
        self.location = location
        self.message = message
        self.line = line
        self.column = column
    }

    /// The error a warning becomes when the style is loaded strictly.
    public init(_ issue: StyleIssue) {
        self.init(issue.location, issue.message)
    }

    /// The style file as the user named it.
    public var file: String { location.file }
    /// The layer's id, when a layer is at fault.
    public var layer: String? { location.layer }
    /// The property at fault.
    public var property: String? { location.property }

    /// `styles/x.json: layer "villages": paint property "circle-radius": expected a number, found a string`.
    public var description: String {
        if let line, let column { return "\(location): line \(line), column \(column): \(message)" }
        return "\(location): \(message)"
    }
}
