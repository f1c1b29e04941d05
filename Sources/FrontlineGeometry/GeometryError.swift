/// An error from the geometry layer (GEOS or PROJ), carrying the library's own message.
public struct GeometryError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// GEOS raised an error (its message is in `message`).
        case geos
        /// PROJ raised an error (its message is in `message`).
        case projection
        /// The input cannot be represented (e.g. a ring with too few positions).
        case invalidInput
        /// An operation returned a type the caller cannot use.
        case unexpectedResult
    }

    /// The kind of failure.
    public var code: Code
    /// The operation that failed, named after the C function where there is one.
    public var operation: String
    /// The library's message, or ours.
    public var message: String

    /// Makes an error.
    public init(_ code: Code, operation: String, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    /// `<operation> failed: <message>`.
    public var description: String { "\(operation) failed: \(message)" }
}
