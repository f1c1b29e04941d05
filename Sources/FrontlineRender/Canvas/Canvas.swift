import CCairo
import FrontlineGeometry

/// A Cairo surface and its drawing context, owned here and freed with it: the one place where
/// Cairo pointers live. Not `Sendable`: one canvas belongs to one render job.
///
/// Sizes are in pixels. Raster canvases hold `scale` device pixels per pixel (2 for high-dpi);
/// SVG and PDF canvases map a pixel to 0.75 pt (96 dpi).
public final class Canvas {
    /// The output kinds a canvas can produce.
    public enum Format: String, Sendable, CaseIterable {
        case png, svg, pdf
    }

    /// Width and height in pixels (before `scale`).
    public let width: Int, height: Int
    /// Device pixels per pixel for PNG; 1 for vector formats.
    public let scale: Double
    /// What `finish()` produces.
    public let format: Format

    let surface: OpaquePointer
    let cr: OpaquePointer
    /// Receives the SVG or PDF stream while Cairo writes it.
    private let sink: ByteSink

    /// Creates a blank (transparent) canvas.
    public convenience init(width: Int, height: Int, format: Format, scale: Double = 1) throws {
        guard scale >= 1, scale <= 4 else {
            throw RenderError("Canvas", "size \(width)x\(height) at scale \(scale) is out of range (1…16384 device pixels a side, scale 1…4)")
        }
        try self.init(width: width, height: height, format: format, scale: scale,
                      device: (Double(width) * (format == .png ? scale : 0.75), Double(height) * (format == .png ? scale : 0.75)))
    }

    /// The resolutions of a PNG page, in pixels per inch: from screen to fine print.
    public static let pageResolutions = 72.0...600.0

    /// A blank canvas for a printed page of `inches`: a PNG of the page at `dpi` pixels per inch
    /// (rounded to whole pixels), a PDF or SVG page of exactly its size in points. It is drawn
    /// in pixels of 1/96 inch, like every canvas, so a report map keeps its proportions on paper.
    public convenience init(page inches: (width: Double, height: Double), format: Format, dpi: Double) throws {
        guard dpi.isFinite, Canvas.pageResolutions.contains(dpi), inches.width > 0, inches.height > 0 else {
            throw RenderError("Canvas", "a page is drawn at \(Int(Canvas.pageResolutions.lowerBound)) to \(Int(Canvas.pageResolutions.upperBound)) dpi (got \(dpi))")
        }
        let pointsOrPixels = format == .png ? dpi : 72
        try self.init(width: Int((inches.width * 96).rounded(.up)), height: Int((inches.height * 96).rounded(.up)), format: format,
                      scale: dpi / 96, device: (inches.width * pointsOrPixels, inches.height * pointsOrPixels))
    }

    /// A canvas of `device` units (pixels for PNG, points for SVG and PDF), drawn in pixels.
    private init(width: Int, height: Int, format: Format, scale: Double, device: (width: Double, height: Double)) throws {
        guard width > 0, height > 0, width <= 16_384, height <= 16_384, device.width >= 1, device.height >= 1,
              device.width.rounded() <= 16_384, device.height.rounded() <= 16_384 else {
            throw RenderError("Canvas", "size \(width)x\(height) at scale \(scale) is out of range (1…16384 device pixels a side)")
        }
        self.width = width
        self.height = height
        self.format = format
        self.scale = format == .png ? scale : 1
        self.sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let created: OpaquePointer?
        switch format {
        case .png:
            created = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(device.width.rounded()), Int32(device.height.rounded()))
        case .svg:
            created = cairo_svg_surface_create_for_stream(ByteSink.write, closure, device.width, device.height)
        case .pdf:
            created = cairo_pdf_surface_create_for_stream(ByteSink.write, closure, device.width, device.height)
        }
        // Surface constructors never return NULL: failure is a surface in an error state.
        guard let surface = created else { throw RenderError("cairo_surface_create", "no surface") }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw RenderError("cairo_surface_create", String(cString: cairo_status_to_string(status)))
        }
        guard let cr = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw RenderError("cairo_create", "no context")
        }
        self.surface = surface
        self.cr = cr
        if format == .png { cairo_scale(cr, self.scale, self.scale) } else { cairo_scale(cr, 0.75, 0.75) }
        try check("cairo_create")
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// Throws when the context has entered an error state (Cairo errors are sticky).
    public func check(_ operation: String) throws {
        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError(operation, String(cString: cairo_status_to_string(status)))
        }
    }

    /// Runs `body` between `cairo_save` and `cairo_restore`, so that its clip, colour and
    /// transform changes end with it.
    public func withSavedState<T>(_ body: () throws -> T) rethrows -> T {
        cairo_save(cr)
        defer { cairo_restore(cr) }
        return try body()
    }

    // MARK: Paint

    /// Sets the source colour.
    public func setColor(_ c: Color) {
        cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha)
    }

    /// Fills the whole canvas (within the current clip).
    public func paint(_ c: Color) {
        setColor(c)
        cairo_paint(cr)
    }

    /// Starts a new, empty path.
    public func newPath() { cairo_new_path(cr) }

    /// Adds an axis-aligned rectangle to the path.
    public func rectangle(x: Double, y: Double, width: Double, height: Double) {
        cairo_rectangle(cr, x, y, width, height)
    }

    /// Adds a circle to the path.
    public func circle(x: Double, y: Double, radius: Double) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, x, y, radius, 0, 2 * Double.pi)
        cairo_close_path(cr)
    }

    /// Adds a triangle standing on its base, its corners `radius` from (x, y), to the path.
    public func triangle(x: Double, y: Double, radius: Double) {
        Canvas.addTriangle(cr, x: x, y: y, radius: radius)
    }

    /// The corners at 90°, 210° and 330° (y down): apex up, base flat.
    fileprivate static func addTriangle(_ cr: OpaquePointer, x: Double, y: Double, radius: Double) {
        let half = radius * 3.0.squareRoot() / 2
        cairo_new_sub_path(cr)
        cairo_move_to(cr, x, y - radius)
        cairo_line_to(cr, x + half, y + radius / 2)
        cairo_line_to(cr, x - half, y + radius / 2)
        cairo_close_path(cr)
    }

    /// Adds a polyline to the path (closed when `close`).
    public func polyline(_ points: [(x: Double, y: Double)], close: Bool = false) {
        guard let first = points.first else { return }
        cairo_move_to(cr, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
        if close { cairo_close_path(cr) }
    }

    /// Adds every ring or line of a geometry to the path, mapping coordinates with `transform`.
    /// Rings are closed; polygons fill with the even-odd rule so holes stay empty.
    public func addPath(_ g: Geometry, _ transform: PixelTransform) {
        let closeRings = g.kind.isPolygonal
        g.coordinates.withUnsafeBufferPointer { c in
            var start = 0
            for end in g.ringEnds {
                if end - start >= 2 {
                    let (x0, y0) = transform.apply(c[2 * start], c[2 * start + 1])
                    cairo_move_to(cr, x0, y0)
                    var i = start + 1
                    while i < end {
                        let (x, y) = transform.apply(c[2 * i], c[2 * i + 1])
                        cairo_line_to(cr, x, y)
                        i += 1
                    }
                    if closeRings { cairo_close_path(cr) }
                }
                start = end
            }
        }
        for member in g.members { addPath(member, transform) }
    }

    /// How overlapping parts of a path fill.
    public enum FillRule: Sendable { case evenOdd, winding }

    /// Fills the current path: even-odd by default, so holes stay holes; `winding` for shapes
    /// that may overlap (a batch of circles).
    public func fill(_ c: Color, preserve: Bool = false, rule: FillRule = .evenOdd) {
        setColor(c)
        cairo_set_fill_rule(cr, rule == .evenOdd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING)
        if preserve { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
    }

    /// How line ends and corners are drawn.
    public enum LineCap: String, Sendable { case butt, round, square }
    /// How line corners are joined.
    public enum LineJoin: String, Sendable { case miter, round, bevel }

    /// Strokes the current path. `dash` is in pixels (already multiplied by the width).
    public func stroke(_ c: Color, width: Double, dash: [Double] = [], cap: LineCap = .butt, join: LineJoin = .miter,
                       preserve: Bool = false) {
        setColor(c)
        cairo_set_line_width(cr, width)
        let usable = dash.filter { $0 >= 0 }
        if usable.count == dash.count, usable.contains(where: { $0 > 0 }) {
            cairo_set_dash(cr, usable, Int32(usable.count), 0)
        } else {
            cairo_set_dash(cr, nil, 0, 0)
        }
        switch cap {
        case .butt: cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        case .round: cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
        case .square: cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE)
        }
        switch join {
        case .miter: cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER)
        case .round: cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        case .bevel: cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL)
        }
        if preserve { cairo_stroke_preserve(cr) } else { cairo_stroke(cr) }
    }

    /// Restricts drawing to the current path (intersected with the existing clip).
    public func clipToPath() {
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD)
        cairo_clip(cr)
    }

    /// Moves the origin and rotates (radians) for what follows, within `withSavedState`.
    public func translate(x: Double, y: Double) { cairo_translate(cr, x, y) }

    /// Rotates the user space by `radians`.
    public func rotate(_ radians: Double) { cairo_rotate(cr, radians) }

    // MARK: Stamps

    /// Draws many identical dots: on raster canvases each is a small pre-drawn image painted at
    /// the dot's position (quantised to a quarter pixel), far cheaper than stroking thousands of
    /// arcs; vector canvases get real circles.
    /// `marker` is the shape of each dot: a circle, or a triangle whose corners lie on the circle.
    public func dots(_ centres: [(Double, Double)], radius: Double, fill: Color, stroke: Color, strokeWidth: Double,
                     marker: StyleLayer.Marker = .circle) throws {
        guard radius > 0, !centres.isEmpty else { return }
        // Stamps are for dots; a huge circle (a style may ask for any radius) is drawn as a path.
        guard format == .png, (radius + max(0, strokeWidth)) * scale <= 256 else {
            newPath()
            for (x, y) in centres {
                if marker == .triangle { triangle(x: x, y: y, radius: radius) } else { circle(x: x, y: y, radius: radius) }
            }
            self.fill(fill, preserve: strokeWidth > 0, rule: .winding)
            if strokeWidth > 0 { self.stroke(stroke, width: strokeWidth, join: .round) }
            return
        }
        let reach = radius + max(0, strokeWidth) / 2 + 1
        let size = Int((2 * reach * scale).rounded(.up)) + 2
        // Every surface made is kept here at once, so that this one deferred loop destroys it on
        // every path, a failed stamp's included.
        var stamps: [Int: OpaquePointer] = [:]
        defer { for s in stamps.values { cairo_surface_destroy(s) } }
        func stamp(_ fx: Int, _ fy: Int) throws -> OpaquePointer {
            if let s = stamps[fx * 4 + fy] { return s }
            // Returns an error surface, never NULL, when it fails: its status tells.
            guard let s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(size), Int32(size)) else {
                throw RenderError("cairo_image_surface_create", "no stamp surface")
            }
            stamps[fx * 4 + fy] = s
            guard cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
                throw RenderError("cairo_image_surface_create", String(cString: cairo_status_to_string(cairo_surface_status(s))))
            }
            // Returns a context in an error state, never NULL, when it fails: checked below.
            guard let c = cairo_create(s) else { throw RenderError("cairo_create", "no context for the dot stamp") }
            defer { cairo_destroy(c) }
            cairo_scale(c, scale, scale)
            let centre = reach + 1 / scale + Double(fx) / 4, middle = reach + 1 / scale + Double(fy) / 4
            if marker == .triangle {
                Canvas.addTriangle(c, x: centre, y: middle, radius: radius)
            } else {
                cairo_arc(c, centre, middle, radius, 0, 2 * .pi)
            }
            cairo_set_source_rgba(c, fill.red, fill.green, fill.blue, fill.alpha)
            if strokeWidth > 0 {
                cairo_fill_preserve(c)
                cairo_set_source_rgba(c, stroke.red, stroke.green, stroke.blue, stroke.alpha)
                cairo_set_line_width(c, strokeWidth)
                // Round corners stay within the stamp's reach (a mitred 60° corner would not).
                cairo_set_line_join(c, CAIRO_LINE_JOIN_ROUND)
                cairo_stroke(c)
            } else {
                cairo_fill(c)
            }
            guard cairo_status(c) == CAIRO_STATUS_SUCCESS else { throw RenderError("dot stamp", String(cString: cairo_status_to_string(cairo_status(c)))) }
            return s
        }
        // Device positions under the current transform (a page or an inset moves the map).
        let devices = centres.map { c -> (Double, Double) in
            var (x, y) = c
            cairo_user_to_device(cr, &x, &y)
            return (x, y)
        }
        try withSavedState {
            // Paint in device pixels so that stamps land on whole pixels.
            cairo_identity_matrix(cr)
            for (x, y) in devices {
                let dx = x - reach * scale - 1, dy = y - reach * scale - 1
                let ix = dx.rounded(.down), iy = dy.rounded(.down)
                let fx = min(3, Int(((dx - ix) * 4 / scale).rounded(.down))), fy = min(3, Int(((dy - iy) * 4 / scale).rounded(.down)))
                cairo_set_source_surface(cr, try stamp(fx, fy), ix, iy)
                cairo_paint(cr)
            }
        }
    }

    // MARK: Output

    /// Ends drawing and returns the encoded file: PNG (compressed as `compression` says), SVG or
    /// PDF bytes.
    public func finish(compression: PNGCompression = .small) throws -> [UInt8] {
        try check("drawing")
        switch format {
        case .png:
            cairo_surface_flush(surface)
            guard let data = cairo_image_surface_get_data(surface) else { throw RenderError("cairo_image_surface_get_data", "no pixels") }
            return try PNGEncoder(compression: compression).encode(data, width: Int(cairo_image_surface_get_width(surface)),
                                           height: Int(cairo_image_surface_get_height(surface)),
                                           stride: Int(cairo_image_surface_get_stride(surface)))
        case .svg, .pdf:
            // Finishing a vector surface writes the rest of the document to the stream.
            cairo_surface_finish(surface)
            let status = cairo_surface_status(surface)
            guard status == CAIRO_STATUS_SUCCESS else {
                throw RenderError("cairo_surface_finish", String(cString: cairo_status_to_string(status)))
            }
        }
        return sink.take()
    }

    /// Ends drawing a PNG canvas and returns the PNG of `rows.count` rows, row `r` interpolated
    /// linearly at the fractional device row `rows[r]` of the canvas (rows are centred on
    /// half-integers): how a map drawn in one projection is stretched along y into another whose
    /// x is the same (longitude/latitude from Web Mercator), or to a taller or flatter image.
    public func finish(resamplingRows rows: [Double], compression: PNGCompression = .small) throws -> [UInt8] {
        try check("drawing")
        guard format == .png, !rows.isEmpty else { throw RenderError("Canvas", "rows are resampled on a PNG canvas only") }
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { throw RenderError("cairo_image_surface_get_data", "no pixels") }
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        var out = [UInt8](repeating: 0, count: w * 4 * rows.count)
        out.withUnsafeMutableBufferPointer { out in
            for (r, source) in rows.enumerated() {
                let y0 = min(h - 1, max(0, Int(source.rounded(.down)))), y1 = min(h - 1, y0 + 1)
                let t = min(1, max(0, source - Double(y0)))
                let a = data + y0 * stride, b = data + y1 * stride, o = out.baseAddress! + r * w * 4
                // Premultiplied channels interpolate as they are.
                for i in 0..<(w * 4) { o[i] = UInt8((Double(a[i]) * (1 - t) + Double(b[i]) * t).rounded()) }
            }
        }
        return try out.withUnsafeBufferPointer {
            try PNGEncoder(compression: compression).encode($0.baseAddress!, width: w, height: rows.count, stride: w * 4)
        }
    }

    /// The colour of a device pixel of a PNG canvas (un-premultiplied), for tests and checks.
    public func pixel(x: Int, y: Int) -> Color? {
        guard format == .png else { return nil }
        cairo_surface_flush(surface)
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        guard x >= 0, y >= 0, x < w, y < h, let data = cairo_image_surface_get_data(surface) else { return nil }
        let stride = Int(cairo_image_surface_get_stride(surface))
        // ARGB32 is a native-endian 32-bit word with premultiplied alpha.
        let word = data.advanced(by: y * stride + 4 * x).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
        let a = Double((word >> 24) & 0xFF) / 255
        guard a > 0 else { return .transparent }
        func channel(_ shift: UInt32) -> Double { Double((word >> shift) & 0xFF) / 255 / a }
        return Color(red: channel(16), green: channel(8), blue: channel(0), alpha: a)
    }
}

/// Collects bytes that Cairo writes through a `cairo_write_func_t`.
final class ByteSink {
    private var bytes: [UInt8] = []

    func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    /// The C callback: `closure` is an unretained `ByteSink`.
    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}

/// Maps projected coordinates (Web Mercator metres) to pixels: `x' = (x - originX) * scale`,
/// `y' = (originY - y) * scale` (north up).
public struct PixelTransform: Sendable {
    /// The projected coordinates of the pixel (0, 0).
    public var originX: Double, originY: Double
    /// Pixels per projected unit.
    public var scale: Double

    /// Makes a transform.
    public init(originX: Double, originY: Double, scale: Double) {
        self.originX = originX
        self.originY = originY
        self.scale = scale
    }

    /// The pixel position of a projected point.
    @inline(__always) public func apply(_ x: Double, _ y: Double) -> (Double, Double) {
        ((x - originX) * scale, (originY - y) * scale)
    }

    /// The projected position of a pixel.
    public func inverse(_ px: Double, _ py: Double) -> (Double, Double) {
        (px / scale + originX, originY - py / scale)
    }
}
