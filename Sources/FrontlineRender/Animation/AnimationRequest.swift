import FrontlineData
import FrontlineGeometry

/// What an animated timeline shows and how.
public struct AnimationRequest: Sendable {
    /// The first and last dates.
    public var from: CalendarDate, to: CalendarDate
    /// The frames' spacing.
    public var step: AnimationStep = .keyDates
    /// The style's name.
    public var style = "default"
    /// Frame size in pixels.
    public var width = 1280, height = 720
    /// The area shown, in longitude/latitude; when nil, around `around`, else the ground that
    /// changed hands over the whole timeline, else the dataset's bbox.
    public var bbox: BoundingBox?
    /// A village or height to centre on (when there is no `bbox`).
    public var around: PlaceFocus?
    /// The locator inset: on, off, or when the frame shows a small part of the data (nil).
    public var inset: Bool?
    /// The language of place names (`hy`, `az`, `ru`); nil for the plain names.
    public var language: String?
    /// The title (the dataset's title when nil).
    public var title: String?

    /// The most frames an animation may have (40 s at 25 frames per second).
    public static let maximumFrames = 1_000

    /// A timeline from `from` to `to` with the defaults for the rest.
    public init(from: CalendarDate, to: CalendarDate) {
        self.from = from
        self.to = to
    }
}
