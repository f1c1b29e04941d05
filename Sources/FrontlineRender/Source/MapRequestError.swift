/// A question the map source cannot answer because of how it was asked, not because of the data:
/// the server answers it with a 4xx status, the CLI with exit code 1.
public struct MapRequestError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What was wrong with the request.
    public enum Kind: Sendable, Equatable {
        /// A value that cannot be read (a date that is not `YYYY-MM-DD`, a tile outside its zoom).
        case malformed
        /// A style that is not on offer.
        case unknownStyle
        /// Values that do not go together (`from` after `to`).
        case inconsistent
        /// A village or height id the dataset does not have.
        case unknownPlace
    }

    /// What was wrong.
    public var kind: Kind
    /// What to do about it, for the person who asked.
    public var message: String

    /// Makes an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
