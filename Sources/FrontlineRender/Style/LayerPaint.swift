/// What one layer type reads of its properties to draw a feature, resolved in one go so that
/// drawing and the legend never look properties up by name or supply their own defaults.
protocol ResolvedPaint: Sendable, Equatable {
    /// The properties it reads, to tell whether it can change from one feature to another.
    static var properties: [String] { get }
    /// Reads the paint of one feature (or of every feature, when nothing depends on the feature).
    init(_ properties: PropertyReader)
}

/// A layer's paint for the features drawn at one zoom: resolved once when none of its properties
/// depends on the feature, per feature otherwise.
struct LayerPaint<Paint: ResolvedPaint>: Sendable {
    private let layer: StyleLayer
    private let shared: Paint?

    /// Resolves the paint of `layer` for drawing at `zoom`.
    init(_ layer: StyleLayer, zoom: Double) {
        self.layer = layer
        shared = layer.dependsOnFeature(Paint.properties) ? nil : Paint(PropertyReader(layer, FeatureContext(zoom: zoom)))
    }

    /// The paint of one feature.
    func callAsFunction(_ feature: FeatureContext) -> Paint {
        shared ?? Paint(PropertyReader(layer, feature))
    }
}

/// One layer's properties read for one feature. Every property a paint reads has a default in
/// ``StyleProperty/supported`` (or is optional by nature), so a reader never supplies its own.
struct PropertyReader {
    /// The layer read.
    let layer: StyleLayer
    /// The feature (and zoom) it is read for.
    let feature: FeatureContext

    /// Reads `layer`'s properties for `feature`.
    init(_ layer: StyleLayer, _ feature: FeatureContext) {
        self.layer = layer
        self.feature = feature
    }

    /// A colour property with a default.
    func color(_ name: String) -> Color { required(layer.color(name, feature), name) }
    /// A number property with a default.
    func number(_ name: String) -> Double { required(layer.number(name, feature), name) }
    /// A keyword property with a default.
    func string(_ name: String) -> String { required(layer.string(name, feature), name) }
    /// A number-array property with a default.
    func numbers(_ name: String) -> [Double] { required(layer.numbers(name, feature), name) }
    /// A string-array property with a default.
    func strings(_ name: String) -> [String] { required(layer.strings(name, feature), name) }

    private func required<T>(_ value: T?, _ name: String) -> T {
        // Only a property missing from the table (or without a default there) can be absent.
        guard let value else { preconditionFailure("\"\(name)\" of a \(layer.type.rawValue) layer has no default in StyleProperty.supported") }
        return value
    }
}

/// How a background layer paints the map.
struct BackgroundPaint: ResolvedPaint {
    static let properties = ["background-color", "background-opacity"]
    /// `background-color` as written.
    var color: Color
    /// `background-opacity`.
    var opacity: Double
    /// The colour painted: the colour at the opacity.
    var paint: Color { color.withOpacity(opacity) }

    init(_ p: PropertyReader) {
        color = p.color("background-color")
        opacity = p.number("background-opacity")
    }
}

/// How a fill layer paints one polygon.
struct FillPaint: ResolvedPaint {
    static let properties = ["fill-color", "fill-opacity", "fill-outline-color"]
    /// `fill-color` as written (hatch lines use it without the opacity).
    var color: Color
    /// `fill-opacity`.
    var opacity: Double
    /// `fill-outline-color` when the style sets it; MapLibre otherwise outlines in the fill.
    var outline: Color?
    /// The colour filled: the colour at the opacity.
    var tint: Color { color.withOpacity(opacity) }

    init(_ p: PropertyReader) {
        color = p.color("fill-color")
        opacity = p.number("fill-opacity")
        outline = p.layer.isSet("fill-outline-color") ? p.layer.color("fill-outline-color", p.feature) : nil
    }
}

/// How a line layer strokes one line or outline.
struct LinePaint: ResolvedPaint {
    static let properties = ["line-color", "line-opacity", "line-width", "line-dasharray", "line-cap", "line-join"]
    /// `line-color` at `line-opacity`.
    var color: Color
    /// `line-width` in pixels.
    var width: Double
    /// Dash lengths in pixels: MapLibre's `line-dasharray` is in multiples of the width.
    var dash: [Double]
    /// `line-cap`.
    var cap: Canvas.LineCap
    /// `line-join`.
    var join: Canvas.LineJoin

    init(_ p: PropertyReader) {
        color = p.color("line-color").withOpacity(p.number("line-opacity"))
        let width = p.number("line-width")
        self.width = width
        dash = p.numbers("line-dasharray").map { $0 * width }
        // The keywords are checked against MapLibre's lists, which are Canvas's, when the style loads.
        cap = Canvas.LineCap(rawValue: p.string("line-cap"))!
        join = Canvas.LineJoin(rawValue: p.string("line-join"))!
    }
}

/// How a circle layer draws one point. As in MapLibre, `circle-opacity` applies to the fill and
/// `circle-stroke-opacity` to the stroke.
struct CirclePaint: ResolvedPaint {
    static let properties = ["circle-radius", "circle-color", "circle-opacity", "circle-stroke-color",
                             "circle-stroke-opacity", "circle-stroke-width"]
    /// `circle-radius` in pixels.
    var radius: Double
    /// `circle-color` as written.
    var color: Color
    /// `circle-opacity`.
    var opacity: Double
    /// `circle-stroke-color` as written.
    var strokeColor: Color
    /// `circle-stroke-opacity`.
    var strokeOpacity: Double
    /// `circle-stroke-width` in pixels.
    var strokeWidth: Double
    /// The colour filled.
    var fill: Color { color.withOpacity(opacity) }
    /// The colour stroked.
    var stroke: Color { strokeColor.withOpacity(strokeOpacity) }

    init(_ p: PropertyReader) {
        radius = p.number("circle-radius")
        color = p.color("circle-color")
        opacity = p.number("circle-opacity")
        strokeColor = p.color("circle-stroke-color")
        strokeOpacity = p.number("circle-stroke-opacity")
        strokeWidth = p.number("circle-stroke-width")
    }
}

/// How a symbol layer sets one label (everything but its text).
struct TextPaint: ResolvedPaint {
    static let properties = ["text-size", "text-font", "text-color", "text-opacity", "text-halo-color", "text-halo-width",
                             "text-anchor", "text-offset", "symbol-sort-key", "text-transform", "text-letter-spacing",
                             "text-variable-anchor", "text-radial-offset"]
    /// `text-font` (the first installed family) at `text-size`.
    var font: FontSpec
    /// `text-color` as written.
    var color: Color
    /// `text-opacity`.
    var opacity: Double
    /// `text-halo-color`.
    var halo: Color
    /// `text-halo-width` in pixels.
    var haloWidth: Double
    /// `text-anchor`.
    var anchor: String
    /// `text-offset` × `text-size`: the shift from the point in pixels.
    var offsetX: Double, offsetY: Double
    /// `symbol-sort-key`: lower keys are placed first.
    var sortKey: Double
    /// `text-transform`: `none`, `uppercase` or `lowercase`.
    var transform: String
    /// The positions tried in turn when the label does not fit at the first (`text-variable-anchor`
    /// with `text-radial-offset`); empty when the label has only `text-anchor`.
    var positions: [LabelPosition]

    /// The largest text drawn, in pixels: Pango keeps sizes as 32-bit integers of 1/1024 point,
    /// which a style's `text-size` of a trillion overflowed into a negative size.
    static let largestTextSize = 1000.0

    init(_ p: PropertyReader) {
        let size = min(max(p.number("text-size"), 0), Self.largestTextSize)
        font = FontSpec.fromStack(p.strings("text-font"), size: size)
        // text-letter-spacing is in ems, as MapLibre has it.
        font.letterSpacing = p.number("text-letter-spacing") * size
        transform = p.string("text-transform")
        let radial = p.number("text-radial-offset") * size
        positions = p.layer.isSet("text-variable-anchor")
            ? (p.layer.strings("text-variable-anchor", p.feature) ?? []).compactMap { LabelPosition(anchor: $0, radialOffset: radial) }
            : []
        color = p.color("text-color")
        opacity = p.number("text-opacity")
        halo = p.color("text-halo-color")
        haloWidth = p.number("text-halo-width")
        anchor = p.string("text-anchor")
        // text-offset is checked to be two numbers when the style loads.
        let ems = p.numbers("text-offset")
        (offsetX, offsetY) = (ems[0] * size, ems[1] * size)
        sortKey = p.number("symbol-sort-key")
    }

    /// `text` as `text-transform` writes it.
    func transformed(_ text: String) -> String {
        switch transform {
        case "uppercase": return text.uppercased()
        case "lowercase": return text.lowercased()
        default: return text
        }
    }
}
