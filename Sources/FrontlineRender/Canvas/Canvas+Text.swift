import CCairo
import CPangoCairo

/// A font request: a fontconfig family, weight and style, and a size in pixels.
public struct FontSpec: Sendable, Hashable {
    /// Family name as fontconfig knows it ("DejaVu Sans").
    public var family: String
    /// Bold or not.
    public var bold: Bool
    /// Italic or not.
    public var italic: Bool
    /// Size in pixels.
    public var size: Double
    /// Extra space between letters, in pixels.
    public var letterSpacing: Double

    /// Makes a font request.
    public init(family: String = "DejaVu Sans", bold: Bool = false, italic: Bool = false, size: Double, letterSpacing: Double = 0) {
        self.family = family
        self.bold = bold
        self.italic = italic
        self.size = size
        self.letterSpacing = letterSpacing
    }

    /// Reads a MapLibre `text-font` list ("Noto Sans Bold", "DejaVu Sans Book"): as in MapLibre's
    /// font stacks, every installed entry is kept, in order, so that a script missing from the
    /// first family comes from the next; weight and style come from the first installed entry
    /// (their words are taken off the end of each name).
    public static func fromStack(_ names: [String], size: Double) -> FontSpec {
        var chosen: FontSpec?
        for name in names {
            var words = name.split(separator: " ").map(String.init)
            var bold = false, italic = false
            while let last = words.last, ["Bold", "Italic", "Oblique", "Book", "Regular", "Medium", "Semibold", "Condensed"].contains(last) {
                if last == "Bold" || last == "Semibold" { bold = true }
                if last == "Italic" || last == "Oblique" { italic = true }
                words.removeLast()
            }
            let family = words.joined(separator: " ")
            guard InstalledFonts.families.contains(family) else { continue }
            if var spec = chosen {
                if !spec.family.split(separator: ",").contains(Substring(family)) { spec.family += ",\(family)" }
                chosen = spec
            } else {
                chosen = FontSpec(family: family, bold: bold, italic: italic, size: size)
            }
        }
        return chosen ?? FontSpec(family: InstalledFonts.fallback, size: size)
    }

    var pangoDescription: String {
        "\(family)\(bold ? " Bold" : "")\(italic ? " Italic" : "")"
    }
}

/// The font families fontconfig offers, read once.
enum InstalledFonts {
    static let families: Set<String> = {
        guard let map = pango_cairo_font_map_get_default() else { return [] }
        var list: UnsafeMutablePointer<UnsafeMutablePointer<PangoFontFamily>?>? = nil
        var count: Int32 = 0
        pango_font_map_list_families(map, &list, &count)
        guard let list else { return [] }
        defer { g_free(list) }
        return Set((0..<Int(count)).compactMap { i in list[i].flatMap { pango_font_family_get_name($0) }.map { String(cString: $0) } })
    }()

    static var fallback: String { families.contains("DejaVu Sans") ? "DejaVu Sans" : "Sans" }
}

/// Text laid out by Pango for one canvas: measure it, then draw it with or without a halo.
public final class TextLayout {
    private let layout: OpaquePointer
    private let canvas: Canvas
    /// Ink-independent size of the text in pixels (Pango's logical extents).
    public let width: Double, height: Double

    init(_ text: String, font: FontSpec, on canvas: Canvas, maxWidth: Double? = nil) throws {
        // Returns a new reference (g_object_unref) or NULL on failure.
        guard let layout = pango_cairo_create_layout(canvas.cr) else { throw RenderError("pango_cairo_create_layout", "no layout") }
        self.layout = layout
        self.canvas = canvas
        let description = pango_font_description_from_string(font.pangoDescription)
        defer { pango_font_description_free(description) }
        pango_font_description_set_absolute_size(description, font.size * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
        if let maxWidth {
            pango_layout_set_width(layout, Int32(maxWidth * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD)
        }
        if font.letterSpacing != 0 {
            // The list takes the attribute; the layout takes a reference to the list.
            let attributes = pango_attr_list_new()
            defer { pango_attr_list_unref(attributes) }
            pango_attr_list_insert(attributes, pango_attr_letter_spacing_new(Int32(font.letterSpacing * Double(PANGO_SCALE))))
            pango_layout_set_attributes(layout, attributes)
        }
        pango_layout_set_text(layout, text, -1)
        var logical = PangoRectangle()
        pango_layout_get_pixel_extents(layout, nil, &logical)
        width = Double(logical.width)
        height = Double(logical.height)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

    /// Characters no font had a glyph for, drawn as boxes (`pango_layout_get_unknown_glyphs_count`).
    public var unknownGlyphs: Int { Int(pango_layout_get_unknown_glyphs_count(layout)) }

    /// Draws the text with its top-left corner at (x, y): first a halo (the outline stroked at
    /// twice `haloWidth`, round joins), then the glyphs.
    public func draw(x: Double, y: Double, color: Color, halo: Color? = nil, haloWidth: Double = 0) {
        canvas.withSavedState {
            cairo_move_to(canvas.cr, x, y)
            if let halo, haloWidth > 0, halo.alpha > 0 {
                pango_cairo_layout_path(canvas.cr, layout)
                canvas.stroke(halo, width: 2 * haloWidth, cap: .round, join: .round)
                cairo_move_to(canvas.cr, x, y)
            }
            canvas.setColor(color)
            pango_cairo_show_layout(canvas.cr, layout)
        }
    }
}

extension Canvas {
    /// Lays out `text` in `font` for this canvas.
    public func layoutText(_ text: String, font: FontSpec, maxWidth: Double? = nil) throws -> TextLayout {
        try TextLayout(text, font: font, on: self, maxWidth: maxWidth)
    }
}

/// Measures text for label placement, remembering each (text, font) it has measured.
public final class TextMeasurer {
    private let canvas: Canvas
    private var sizes: [String: (width: Double, height: Double)] = [:]

    /// Measures with the fonts and metrics of `canvas` (a 1 × 1 PNG canvas when none is given).
    public init(canvas: Canvas? = nil) throws {
        self.canvas = try canvas ?? Canvas(width: 1, height: 1, format: .png)
    }

    /// The size in pixels of `text` in `font`.
    public func size(_ text: String, _ font: FontSpec) throws -> (width: Double, height: Double) {
        let key = "\(font.pangoDescription) \(font.size) \(font.letterSpacing)\u{0}\(text)"
        if let size = sizes[key] { return size }
        let layout = try canvas.layoutText(text, font: font)
        sizes[key] = (layout.width, layout.height)
        return (layout.width, layout.height)
    }
}

