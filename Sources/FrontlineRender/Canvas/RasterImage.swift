import CCairo

/// A decoded PNG, for reading pixels back (tests, image comparison). Owns a Cairo image surface.
public final class RasterImage {
    private let surface: OpaquePointer
    /// Size in pixels.
    public let width: Int, height: Int

    /// Decodes PNG bytes.
    public init(png: [UInt8]) throws {
        final class Source { var bytes: [UInt8]; var offset = 0; init(_ b: [UInt8]) { bytes = b } }
        let source = Source(png)
        let read: cairo_read_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
            let s = Unmanaged<Source>.fromOpaque(closure).takeUnretainedValue()
            let n = Int(length)
            guard s.offset + n <= s.bytes.count else { return CAIRO_STATUS_READ_ERROR }
            s.bytes.withUnsafeBufferPointer { data.update(from: $0.baseAddress! + s.offset, count: n) }
            s.offset += n
            return CAIRO_STATUS_SUCCESS
        }
        // Returns a surface in an error state (never NULL) when the data is not a PNG.
        let surface = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(source).toOpaque())
        }
        guard let surface else { throw RenderError("cairo_image_surface_create_from_png_stream", "no surface") }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw RenderError("cairo_image_surface_create_from_png_stream", String(cString: cairo_status_to_string(status)))
        }
        self.surface = surface
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
    }

    deinit { cairo_surface_destroy(surface) }

    /// Every pixel as three bytes (red, green, blue), rows top to bottom, composited over
    /// `background` where not opaque: what a format without transparency (JPEG) is given.
    public func rgb(over background: Color = .white) -> [UInt8] {
        guard let data = cairo_image_surface_get_data(surface) else { return [] }
        let stride = Int(cairo_image_surface_get_stride(surface))
        let hasAlpha = cairo_image_surface_get_format(surface) != CAIRO_FORMAT_RGB24
        let back = [background.red, background.green, background.blue].map { $0 * 255 }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width {
                let word = row[x], o = 3 * (y * width + x)
                // Premultiplied: colour + (1 - alpha) × background.
                let rest = hasAlpha ? 1 - Double(word >> 24) / 255 : 0
                for (k, shift) in [16, 8, 0].enumerated() {
                    out[o + k] = UInt8(min(255, (Double((word >> UInt32(shift)) & 0xFF) + rest * back[k]).rounded()))
                }
            }
        }
        return out
    }

    /// The colour at a pixel (straight alpha), nil outside the image.
    public func pixel(x: Int, y: Int) -> Color? {
        guard x >= 0, y >= 0, x < width, y < height, let data = cairo_image_surface_get_data(surface) else { return nil }
        let stride = Int(cairo_image_surface_get_stride(surface))
        let format = cairo_image_surface_get_format(surface)
        let word = data.advanced(by: y * stride + 4 * x).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
        // RGB24 has no alpha byte; ARGB32 is premultiplied.
        let a = format == CAIRO_FORMAT_RGB24 ? 1 : Double((word >> 24) & 0xFF) / 255
        guard a > 0 else { return .transparent }
        func channel(_ shift: UInt32) -> Double { Double((word >> shift) & 0xFF) / 255 / a }
        return Color(red: channel(16), green: channel(8), blue: channel(0), alpha: a)
    }

    /// How different two images of the same size are: the mean absolute difference of the
    /// channels (0…1) and the share of pixels where some channel differs by more than `threshold`.
    public func difference(to other: RasterImage, threshold: Double = 0.1) -> (mean: Double, changedShare: Double)? {
        guard width == other.width, height == other.height else { return nil }
        var total = 0.0
        var changed = 0
        for y in 0..<height {
            for x in 0..<width {
                guard let a = pixel(x: x, y: y), let b = other.pixel(x: x, y: y) else { continue }
                let d = [abs(a.red * a.alpha - b.red * b.alpha), abs(a.green * a.alpha - b.green * b.alpha),
                         abs(a.blue * a.alpha - b.blue * b.alpha), abs(a.alpha - b.alpha)]
                total += d.reduce(0, +) / 4
                if d.contains(where: { $0 > threshold }) { changed += 1 }
            }
        }
        let n = Double(width * height)
        return (total / n, Double(changed) / n)
    }
}
