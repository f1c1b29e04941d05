import Foundation
import FrontlineData
import FrontlineGeometry

/// A small map in a corner of a report map that says where the main map lies: the dataset's
/// whole extent drawn with the style's ground and context layers (control, borders, rivers, and
/// their labels, such as country names), and the main map's frame as a box.
public struct LocatorInset: Sendable {
    /// Draws the inset's layers.
    let renderer: MapRenderer
    /// The scene, whose geometry is simplified for the inset's scale.
    let prepared: PreparedScene
    /// The area the inset shows (Web Mercator metres): the data's extent with a margin.
    let area: BoundingBox
    /// What the main map shows (Web Mercator metres), outlined on the inset.
    let frame: BoundingBox
    /// What the inset must not cover on the main map (Web Mercator metres): the change.
    let subject: BoundingBox?

    /// The outline of the main map's frame.
    static let frameColor = Color(r: 204, g: 0, b: 0)
    /// The least side of the frame's box, in pixels, so that a small frame stays visible.
    static let leastBox = 7.0

    /// An inset for a scene drawn with `style`, locating `frame`; it keeps clear of `subject`.
    init(style: Style, prepared: PreparedScene, frame: BoundingBox, subject: BoundingBox?) {
        let scene = prepared.scene
        self.prepared = prepared
        var context = style
        // The ground and what places it: the locator shows no villages, events or changes.
        context.layers = style.layers.filter { layer in
            switch layer.type {
            case .background: return true
            case .fill: return layer.sourceLayer == "control" && layer.hatch == nil
            case .line, .symbol: return layer.sourceLayer == "basemap"
            case .circle: return false
            }
        }
        renderer = MapRenderer(style: context, scene: scene)
        let extent = scene.extent
        area = extent.expanded(by: 0.06 * max(extent.width, extent.height))
        self.frame = frame
        self.subject = subject
    }

    /// The inset's size in pixels on a map of `width` × `height`: its larger side a third of the
    /// map's smaller side (110 to 260 px), in the area's proportions.
    func size(mapWidth width: Int, mapHeight height: Int) -> (width: Double, height: Double) {
        let side = min(260, max(110, Double(min(width, height)) / 3))
        let aspect = area.height / area.width
        return aspect <= 1 ? (side, (side * aspect).rounded()) : ((side / aspect).rounded(), side)
    }

    /// Draws the inset into `box` (pixels of the canvas).
    func draw(on canvas: Canvas, in box: BoundingBox) throws {
        let width = max(1, Int(box.width.rounded())), height = max(1, Int(box.height.rounded()))
        let viewport = try Viewport.fitting(mercator: area, width: width, height: height)
        let simplified = prepared.simplified(tolerance: 0.5 * viewport.metresPerPixel / canvas.scale)
        let candidates = try renderer.labelCandidates(zoom: viewport.zoom, in: viewport.bounds)
        let measurer = try TextMeasurer(canvas: canvas)
        let labels = try LabelPlacer().place(candidates, transform: viewport.transform,
                                             area: BoundingBox(minX: 0, minY: 0, maxX: Double(width), maxY: Double(height)),
                                             measure: measurer.size)
        try canvas.withSavedState {
            canvas.translate(x: box.minX, y: box.minY)
            canvas.newPath()
            canvas.rectangle(x: 0, y: 0, width: Double(width), height: Double(height))
            canvas.clipToPath()
            try renderer.draw(on: canvas, viewport: viewport, labels: labels, simplified: simplified)
            // The main map's frame, never smaller than a few pixels.
            var (x0, y0) = viewport.transform.apply(frame.minX, frame.maxY)
            var (x1, y1) = viewport.transform.apply(frame.maxX, frame.minY)
            let grow = (max(0, LocatorInset.leastBox - (x1 - x0)) / 2, max(0, LocatorInset.leastBox - (y1 - y0)) / 2)
            (x0, x1, y0, y1) = (x0 - grow.0, x1 + grow.0, y0 - grow.1, y1 + grow.1)
            canvas.newPath()
            canvas.rectangle(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
            canvas.fill(LocatorInset.frameColor.withOpacity(0.18), preserve: true)
            canvas.stroke(LocatorInset.frameColor, width: 1.5)
        }
        canvas.newPath()
        canvas.rectangle(x: box.minX, y: box.minY, width: Double(width), height: Double(height))
        canvas.stroke(ReportFurniture.frame, width: 1)
        try canvas.check("locator inset")
    }
}
