/// A drawing failure: Cairo or Pango reported an error, or the request cannot be drawn.
public struct RenderError: Error, Sendable, CustomStringConvertible {
    /// The operation that failed, named after the C function where there is one.
    public var operation: String
    /// What went wrong, in the library's words where it gave any.
    public var message: String

    /// Makes an error.
    public init(_ operation: String, _ message: String) {
        self.operation = operation
        self.message = message
    }

    /// `operation: message`.
    public var description: String { "\(operation): \(message)" }
}
