import FrontlineData
import FrontlineGeometry

/// A map for a report: the styled layers over the requested area, labels that avoid each
/// other and the furniture, and the furniture on top. PNG, SVG or PDF.
public struct ReportMap: Sendable {
    /// The renderer (style and scene).
    public var renderer: MapRenderer
    /// The area shown, in longitude/latitude (widened to the canvas's aspect ratio).
    public var bbox: BoundingBox
    /// Size in pixels.
    public var width: Int, height: Int
    /// Device pixels per pixel (PNG only).
    public var scale: Double
    /// Title, date line, legend, scale bar, north arrow, source line.
    public var furniture: ReportFurniture

    /// Makes a report map.
    public init(renderer: MapRenderer, bbox: BoundingBox, width: Int, height: Int, scale: Double, furniture: ReportFurniture) {
        self.renderer = renderer
        self.bbox = bbox
        self.width = width
        self.height = height
        self.scale = scale
        self.furniture = furniture
    }

    /// Draws the map and returns the encoded file.
    public func render(as format: Canvas.Format) throws -> [UInt8] {
        let canvas = try Canvas(width: width, height: height, format: format, scale: scale)
        let viewport = try Viewport.fitting(lonLat: bbox, width: width, height: height)
        let reserved = try furniture.reservedAreas(on: canvas, viewport: viewport)
        let candidates = renderer.labelCandidates(zoom: viewport.zoom, in: viewport.bounds)
        let measurer = try TextMeasurer(canvas: canvas)
        let labels = try LabelPlacer(reserved: reserved).place(
            candidates, transform: viewport.transform,
            area: BoundingBox(minX: 0, minY: 0, maxX: Double(width), maxY: Double(height)), measure: measurer.size)
        try renderer.draw(on: canvas, viewport: viewport, labels: labels)
        try furniture.draw(on: canvas, viewport: viewport)
        return try canvas.finish()
    }
}
