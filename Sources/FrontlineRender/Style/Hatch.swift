/// Parallel lines drawn across a fill (`metadata["frontline:hatch"]`), the way conflict maps show
/// ground that changed hands. MapLibre ignores the key and draws the plain fill.
public struct Hatch: Sendable, Equatable {
    /// The lines' direction in degrees, counter-clockwise from horizontal.
    public var angle: Double
    /// The distance between neighbouring lines, in pixels.
    public var spacing: Double
    /// The lines' width, in pixels.
    public var width: Double
    /// The lines' colour; nil means the colour of the party that gained the ground.
    public var color: Color?

    /// Makes a hatch; the defaults are those used when the style leaves a key out.
    public init(angle: Double = 45, spacing: Double = 6, width: Double = 1, color: Color? = nil) {
        self.angle = angle
        self.spacing = spacing
        self.width = width
        self.color = color
    }
}
