import FrontlineData
import FrontlineGeometry

/// A map for a report: the styled layers over the requested area, labels that avoid each
/// other and the furniture, and the furniture on top. PNG, SVG or PDF.
struct ReportMap {
    /// What is drawn.
    var prepared: PreparedScene
    /// How.
    var style: Style
    /// The area shown and the map's size in pixels.
    var viewport: Viewport
    /// Device pixels per pixel (PNG only).
    var scale: Double
    /// Title, date line, legend, scale bar, north arrow, source line, locator inset.
    var furniture: ReportFurniture

    /// A map of `viewport`.
    init(prepared: PreparedScene, style: Style, viewport: Viewport, scale: Double, furniture: ReportFurniture) {
        self.prepared = prepared
        self.style = style
        self.viewport = viewport
        self.scale = scale
        self.furniture = furniture
    }

    /// A map of a longitude/latitude box (widened to the canvas's aspect ratio) on `width` × `height`
    /// pixels, kept inside the data's extent, so that its straight edge never shows as the end of
    /// the map's fill.
    init(prepared: PreparedScene, style: Style, bbox: BoundingBox, width: Int, height: Int, scale: Double, furniture: ReportFurniture) throws {
        self.init(prepared: prepared, style: style,
                  viewport: try Viewport.fitting(lonLat: bbox, width: width, height: height).inside(prepared.scene.extent),
                  scale: scale, furniture: furniture)
    }

    /// Draws the map and returns the encoded file (a PNG compressed as `compression` says).
    func render(as format: Canvas.Format, compression: PNGCompression = .small) throws -> [UInt8] {
        let canvas = try Canvas(width: viewport.width, height: viewport.height, format: format, scale: scale)
        try draw(on: canvas)
        return try canvas.finish(compression: compression)
    }

    /// Draws the map from the canvas's origin (under its current transform) over the viewport's size.
    func draw(on canvas: Canvas) throws {
        let width = viewport.width, height = viewport.height
        let renderer = MapRenderer(style: style, scene: prepared.scene)
        let reserved = try furniture.reservedAreas(on: canvas, viewport: viewport)
        let hidden = reserved.map { box in
            let (x0, y0) = viewport.transform.inverse(box.minX, box.maxY), (x1, y1) = viewport.transform.inverse(box.maxX, box.minY)
            return BoundingBox(minX: x0, minY: y0, maxX: x1, maxY: y1)
        }
        let candidates = try renderer.labelCandidates(zoom: viewport.zoom, in: viewport.bounds, avoiding: hidden)
        let measurer = try TextMeasurer(canvas: canvas)
        let labels = try LabelPlacer(reserved: reserved).place(
            candidates, transform: viewport.transform,
            area: BoundingBox(minX: 0, minY: 0, maxX: Double(width), maxY: Double(height)), measure: measurer.size)
        try renderer.draw(on: canvas, viewport: viewport, labels: labels,
                          simplified: prepared.simplified(tolerance: 0.5 * viewport.metresPerPixel / canvas.scale))
        try furniture.draw(on: canvas, viewport: viewport)
    }
}
