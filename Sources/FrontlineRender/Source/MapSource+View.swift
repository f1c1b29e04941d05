import Foundation
import FrontlineData
import FrontlineGeometry

/// The area a view shows, in the coordinates its image is linear in.
public enum ViewArea: Sendable, Equatable {
    /// Web Mercator metres (EPSG:3857).
    case webMercator(BoundingBox)
    /// Longitude/latitude degrees (EPSG:4326, CRS:84): the image is linear in latitude.
    case lonLat(BoundingBox)
}

/// A map of any area at any size, without furniture: what a WMS GetMap asks for.
public struct ViewRequest: Sendable {
    /// A date's control, or the changes between two dates.
    public var subject: MapSubject
    /// The style's name.
    public var style: String
    /// The area and its coordinates.
    public var area: ViewArea
    /// Size in pixels (1…4096 a side).
    public var width: Int, height: Int
    /// True to leave the style's background out (what lies under the data shows through).
    public var transparent = false
    /// The language of place names, nil for the plain names.
    public var language: String?

    /// A view with the defaults for the rest.
    public init(subject: MapSubject, style: String, area: ViewArea, width: Int, height: Int) {
        self.subject = subject
        self.style = style
        self.area = area
        self.width = width
        self.height = height
    }

    /// The largest side served.
    public static let maximumSide = 4096
}

/// What lies at a point of a map: the ground's holder, its zones, and the nearest places.
public struct FeatureInfo: Sendable {
    /// The `control` feature's properties there (`controlled_by`, `party_name`, …), nil when no party holds it.
    public var control: [String: JSONValue]?
    /// Each zone containing the point, its properties.
    public var zones: [[String: JSONValue]]
    /// The nearest village and height within the tolerance, with their distance in pixels.
    public var village: (properties: [String: JSONValue], pixels: Double)?
    public var height: (properties: [String: JSONValue], pixels: Double)?
}

extension MapSource {
    /// Draws a view as PNG. The map is drawn in Web Mercator at the view's width and then, when
    /// the area is in longitude/latitude or its aspect differs from the image's, stretched row by
    /// row (x is the same in both). Labels are those of the tile pyramid at the zoom at or just
    /// below the view's resolution, placed once in world pixels: neighbouring views, and the tiles,
    /// label the same places, and text keeps its size.
    public func view(_ data: MapData, _ request: ViewRequest) throws -> [UInt8] {
        guard (1...ViewRequest.maximumSide).contains(request.width), (1...ViewRequest.maximumSide).contains(request.height) else {
            throw MapRequestError(.malformed, "the image is \(request.width)x\(request.height) pixels; each side must be 1 to \(ViewRequest.maximumSide)")
        }
        let style = try data.style(request.style)
        let prepared = try scene(data, request.subject, language: request.language)
        let mercator = try Self.mercatorBox(request.area)
        // Square pixels across the view's width; the height follows the area.
        let drawnHeight = min(4 * ViewRequest.maximumSide, max(1, Int((Double(request.width) * mercator.height / mercator.width).rounded())))
        let viewport = Viewport(bounds: mercator, width: request.width, height: drawnHeight)
        // A view at a tile zoom's resolution computes that zoom give or take a rounding error: it is that zoom.
        let labelZoom = min(18, max(0, Int((viewport.zoom + 1e-6).rounded(.down))))
        let simplifyZoom = min(18, max(0, Int((viewport.zoom - 1e-6).rounded(.up))))
        let (placed, _) = try prepared.labels(style: style, zoom: labelZoom)
        let (layers, _) = prepared.simplified(zoom: simplifyZoom, scale: 1)
        let resolution = WebMercator.resolution(zoom: Double(labelZoom))
        let world = PixelTransform(originX: -WebMercator.halfWorld, originY: WebMercator.halfWorld, scale: 1 / resolution)
        // The view in world pixels, widened by the longest label so that one whose point lies just outside still shows its part.
        let (wx0, wy0) = world.apply(mercator.minX, mercator.maxY), (wx1, wy1) = world.apply(mercator.maxX, mercator.minY)
        let window = BoundingBox(minX: wx0, minY: wy0, maxX: wx1, maxY: wy1).expanded(by: 300)
        let canvas = try Canvas(width: request.width, height: drawnHeight, format: .png)
        try MapRenderer(style: style, scene: prepared.scene).draw(
            on: canvas, viewport: viewport, labels: placed.meeting(window), placedWith: world, transparent: request.transparent,
            labelled: placed.labelled, simplified: layers)
        let rows = Self.sourceRows(request.area, mercator: mercator, height: request.height, drawnHeight: drawnHeight)
        // Drawn for one request, not kept: the fast compression (see PNGCompression).
        return try rows.map { try canvas.finish(resamplingRows: $0, compression: .fast) } ?? canvas.finish(compression: .fast)
    }

    /// What lies at pixel (`i`, `j`) of a view: the ground's holder and zones at the pixel's
    /// centre, and the nearest village and height within `tolerance` pixels.
    public func featureInfo(_ data: MapData, _ request: ViewRequest, i: Int, j: Int, tolerance: Double = 8) throws -> FeatureInfo {
        let scene = try scene(data, request.subject, language: request.language).scene
        let mercator = try Self.mercatorBox(request.area)
        let x = mercator.minX + (Double(i) + 0.5) * mercator.width / Double(request.width)
        let y: Double
        switch request.area {
        case .webMercator(let box): y = box.maxY - (Double(j) + 0.5) * box.height / Double(request.height)
        case .lonLat(let box): y = WebMercator.y(latitude: box.maxY - (Double(j) + 0.5) * box.height / Double(request.height))
        }
        let metresPerPixel = mercator.width / Double(request.width)
        let here = BoundingBox(minX: x, minY: y, maxX: x, maxY: y)
        func containing(_ layer: String) -> [[String: JSONValue]] {
            let source = scene.layer(layer)
            return source.candidates(in: here).filter { source.features[$0].geometry.contains(x: x, y: y) }.map { source.features[$0].properties }
        }
        func nearest(_ layer: String) -> (properties: [String: JSONValue], pixels: Double)? {
            let source = scene.layer(layer)
            var best: (properties: [String: JSONValue], pixels: Double)?
            for k in source.candidates(in: here.expanded(by: tolerance * metresPerPixel)) {
                let g = source.features[k].geometry
                for p in 0..<g.positionCount {
                    let d = hypot(g.coordinates[2 * p] - x, g.coordinates[2 * p + 1] - y) / metresPerPixel
                    if d <= tolerance, d < (best?.pixels ?? .infinity) { best = (source.features[k].properties, d) }
                }
            }
            return best
        }
        return FeatureInfo(control: containing("control").first, zones: containing("zones"), village: nearest("villages"), height: nearest("heights"))
    }

    static func mercatorBox(_ area: ViewArea) throws -> BoundingBox {
        switch area {
        case .webMercator(let box), .lonLat(let box):
            guard box.width > 0, box.height > 0 else { throw MapRequestError(.malformed, "the area is empty: its minima must be below its maxima") }
        }
        switch area {
        case .webMercator(let box):
            return box
        case .lonLat(let box):
            guard box.minX >= -180, box.maxX <= 180, box.minY >= -90, box.maxY <= 90 else {
                throw MapRequestError(.malformed, "longitudes run from -180 to 180 and latitudes from -90 to 90")
            }
            return BoundingBox(minX: WebMercator.x(longitude: box.minX), minY: WebMercator.y(latitude: box.minY),
                               maxX: WebMercator.x(longitude: box.maxX), maxY: WebMercator.y(latitude: box.maxY))
        }
    }

    /// For each row of the image, the fractional row of the drawing it is taken from; nil when
    /// they are the same rows.
    static func sourceRows(_ area: ViewArea, mercator: BoundingBox, height: Int, drawnHeight: Int) -> [Double]? {
        let perMetre = Double(drawnHeight) / mercator.height
        switch area {
        case .webMercator:
            if height == drawnHeight { return nil }
            return (0..<height).map { (Double($0) + 0.5) * Double(drawnHeight) / Double(height) - 0.5 }
        case .lonLat(let box):
            return (0..<height).map { r in
                let latitude = box.maxY - (Double(r) + 0.5) * box.height / Double(height)
                return (mercator.maxY - WebMercator.y(latitude: latitude)) * perMetre - 0.5
            }
        }
    }
}

extension MapSource {
    /// The legend of a style as a PNG of its own (WMS GetLegendGraphic): one row per entry of
    /// what a map of the whole dataset shows, its swatch and label, on white.
    public func legendGraphic(_ data: MapData, style: String, subject: MapSubject, language: String? = nil) throws -> [UInt8] {
        let entries = try legend(data, style: style, subject: subject, language: language)
        let font = FontSpec(size: 12)
        let measurer = try Canvas(width: 1, height: 1, format: .png)
        let labels = try entries.map { try measurer.layoutText($0.label, font: font) }
        let margin = 6.0, swatch = (width: 22.0, height: 12.0), gap = 6.0
        let row = max(swatch.height, labels.map(\.height).max() ?? 0) + 4
        let width = Int((2 * margin + swatch.width + gap + (labels.map(\.width).max() ?? 0)).rounded(.up))
        let height = Int((2 * margin + row * Double(max(1, entries.count))).rounded(.up))
        let canvas = try Canvas(width: max(1, width), height: max(1, height), format: .png)
        canvas.paint(.white)
        for (k, (entry, label)) in zip(entries, labels).enumerated() {
            let top = margin + row * Double(k)
            ReportFurniture.drawSwatch(canvas, entry.swatch, x: margin, y: top + (row - swatch.height) / 2, width: swatch.width, height: swatch.height)
            let text = try canvas.layoutText(entry.label, font: font)
            text.draw(x: margin + swatch.width + gap, y: top + (row - label.height) / 2, color: Color(r: 40, g: 40, b: 40))
        }
        return try canvas.finish()
    }
}
