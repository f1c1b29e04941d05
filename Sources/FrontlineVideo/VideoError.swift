/// Why an animation could not be written.
public struct VideoError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// ffmpeg is not installed (or not on the PATH).
        case encoderMissing
        /// The output file cannot be written there.
        case unwritableOutput
        /// ffmpeg failed or stopped early.
        case encodingFailed
    }

    /// What went wrong.
    public var code: Code
    /// What to do about it.
    public var message: String

    /// Makes an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
