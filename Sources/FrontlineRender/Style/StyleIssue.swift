/// Something in a style that Frontline does not support and leaves out (a layer type, a property,
/// an expression operator). With `strict` loading each becomes a ``StyleError`` instead.
public struct StyleIssue: Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is.
    public var location: StyleLocation
    /// What is not supported and what Frontline does instead.
    public var message: String

    /// Makes an issue.
    public init(_ location: StyleLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// The layer's id, when a layer is at fault.
    public var layer: String? { location.layer }
    /// The property at fault.
    public var property: String? { location.property }

    /// `styles/x.json: layer "a": paint property "fill-pattern": is not supported and is ignored`.
    public var description: String { "\(location): \(message)" }
}
