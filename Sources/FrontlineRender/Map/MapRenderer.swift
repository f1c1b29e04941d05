import Foundation
import FrontlineData
import FrontlineGeometry

/// Draws a scene's features with a style: layers in style order, anti-aliased, each feature found
/// through the scene's index, simplified to half a pixel and clipped to the view (plus a margin)
/// before Cairo sees it.
public struct MapRenderer: Sendable {
    /// The style.
    public let style: Style
    /// What is drawn.
    public let scene: MapScene

    /// Pixels drawn beyond the view so that strokes and clip edges stay out of sight.
    static let margin = 16.0

    /// Makes a renderer.
    public init(style: Style, scene: MapScene) {
        self.style = style
        self.scene = scene
    }

    /// Draws every layer except labels; then the given labels (already placed in this viewport's
    /// pixel space, shifted by `labelOffset`). `simplified` holds every feature's geometry already
    /// simplified for this resolution (``PreparedScene/simplified(zoom:scale:)``).
    public func draw(on canvas: Canvas, viewport: Viewport, labels: [PlacedLabel], labelOffset: (x: Double, y: Double) = (0, 0),
                     simplified: [String: [Geometry]]) throws {
        let zoom = viewport.zoom
        let mpp = viewport.metresPerPixel
        let query = viewport.bounds.expanded(by: MapRenderer.margin * mpp)
        // Clipped (and simplified) geometry per feature, shared by the layers that draw it.
        var prepared: [String: [Int: Geometry]] = [:]

        func simplifiedGeometry(_ sourceLayer: String, _ i: Int, _ feature: MapScene.Feature) -> Geometry {
            simplified[sourceLayer]?[i] ?? feature.geometry
        }
        func clippedGeometry(_ sourceLayer: String, _ i: Int, _ feature: MapScene.Feature) -> Geometry {
            if let g = prepared[sourceLayer]?[i] { return g }
            let g = simplifiedGeometry(sourceLayer, i, feature).clippedForDisplay(to: query)
            prepared[sourceLayer, default: [:]][i] = g
            return g
        }

        for layer in style.layers where layer.visible && layer.isVisible(atZoom: zoom) {
            if layer.type == .background {
                let ctx = FeatureContext(zoom: zoom, properties: [:], geometryType: "Polygon")
                let color = (layer.color("background-color", ctx) ?? .black).withOpacity(layer.number("background-opacity", ctx) ?? 1)
                canvas.paint(color)
                continue
            }
            guard layer.type != .symbol, let name = layer.sourceLayer else { continue }
            let source = scene.layer(name)
            // Circles with the same paint are drawn as one path: one fill and one stroke for
            // thousands of villages instead of a Cairo call pair each.
            var circles = CircleBatch()
            for i in source.candidates(in: query) {
                let feature = source.features[i]
                let ctx = FeatureContext(zoom: zoom, properties: feature.properties, geometryType: feature.geometryType)
                guard layer.passesFilter(ctx) else { continue }
                switch layer.type {
                case .fill:
                    guard feature.geometry.kind.isPolygonal else { continue }
                    try drawFill(layer, ctx, clippedGeometry(name, i, feature), canvas, viewport)
                case .line:
                    guard !feature.geometry.kind.isPuntal else { continue }
                    // A clipped line would restart its dash pattern at the clip edge, so dashed lines
                    // are drawn whole (Cairo discards what falls outside the surface).
                    let dashed = layer.isSet("line-dasharray")
                    drawLine(layer, ctx, dashed ? simplifiedGeometry(name, i, feature) : clippedGeometry(name, i, feature), canvas, viewport)
                case .circle:
                    guard feature.geometry.kind.isPuntal else { continue }
                    let paint = CirclePaint(layer, ctx)
                    if paint != circles.paint { try circles.flush(canvas); circles.paint = paint }
                    let g = feature.geometry
                    for k in 0..<g.positionCount {
                        let (x, y) = viewport.transform.apply(g.coordinates[2 * k], g.coordinates[2 * k + 1])
                        circles.centres.append((x, y))
                    }
                case .background, .symbol:
                    break
                }
            }
            try circles.flush(canvas)
            try canvas.check("layer \(layer.id)")
        }

        veilOutsideExtent(canvas, viewport)
        for label in labels {
            let c = label.candidate
            let text = try canvas.layoutText(c.text, font: c.font)
            text.draw(x: label.x - labelOffset.x, y: label.y - labelOffset.y, color: c.color, halo: c.halo, haloWidth: c.haloWidth)
        }
        try canvas.check("labels")
    }

    /// Lightens what lies outside the data's extent and frames the extent with a thin line,
    /// so that the straight edges of the data are not read as borders.
    private func veilOutsideExtent(_ canvas: Canvas, _ viewport: Viewport) {
        let e = scene.extent
        guard !(e.minX <= viewport.bounds.minX && e.maxX >= viewport.bounds.maxX
                && e.minY <= viewport.bounds.minY && e.maxY >= viewport.bounds.maxY) else { return }
        let background = style.layers.first { $0.type == .background }
            .flatMap { $0.color("background-color", FeatureContext(zoom: viewport.zoom, properties: [:], geometryType: "Polygon")) } ?? .white
        let (x0, y0) = viewport.transform.apply(e.minX, e.maxY), (x1, y1) = viewport.transform.apply(e.maxX, e.minY)
        let margin = MapRenderer.margin
        canvas.newPath()
        canvas.rectangle(x: -margin, y: -margin, width: Double(viewport.width) + 2 * margin, height: Double(viewport.height) + 2 * margin)
        canvas.rectangle(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        canvas.fill(background.withOpacity(0.7))
        canvas.newPath()
        canvas.rectangle(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        canvas.stroke(Color(r: 150, g: 150, b: 150), width: 0.75, dash: [4, 3])
    }

    private func drawFill(_ layer: StyleLayer, _ ctx: FeatureContext, _ g: Geometry, _ canvas: Canvas, _ viewport: Viewport) throws {
        let opacity = layer.number("fill-opacity", ctx) ?? 1
        let color = (layer.color("fill-color", ctx) ?? .black)
        canvas.newPath()
        canvas.addPath(g, viewport.transform)
        canvas.fill(color.withOpacity(opacity), preserve: true)
        if let hatch = layer.hatch {
            canvas.withSavedState {
                canvas.clipToPath()
                drawHatch(hatch, color: hatch.color ?? color.withOpacity(1), canvas, viewport)
            }
        }
        if layer.isSet("fill-outline-color"), let outline = layer.color("fill-outline-color", ctx) {
            canvas.newPath()
            canvas.addPath(g, viewport.transform)
            canvas.stroke(outline.withOpacity(opacity), width: 1)
        } else {
            canvas.newPath()
        }
    }

    /// Parallel lines over the whole view, anchored to the world pixel grid so that they continue
    /// from one tile to the next.
    private func drawHatch(_ hatch: Hatch, color: Color, _ canvas: Canvas, _ viewport: Viewport) {
        let angle = hatch.angle * .pi / 180
        let spacing = max(2, hatch.spacing)
        // World pixel coordinates of the view's corner, so the phase is the same on every tile.
        let worldX = (viewport.bounds.minX + WebMercator.halfWorld) / viewport.metresPerPixel
        let worldY = (WebMercator.halfWorld - viewport.bounds.maxY) / viewport.metresPerPixel
        let (nx, ny) = (-sin(angle), -cos(angle))   // normal of lines at `angle` from the x axis (y down)
        let w = Double(viewport.width), h = Double(viewport.height)
        let corners = [(0.0, 0.0), (w, 0), (0, h), (w, h)].map { ($0.0 + worldX) * nx + ($0.1 + worldY) * ny }
        let lo = (corners.min()! / spacing).rounded(.down), hi = (corners.max()! / spacing).rounded(.up)
        let (dx, dy) = (cos(angle), -sin(angle))
        let reach = w + h
        canvas.newPath()
        var k = lo
        while k <= hi {
            // Points p with p·n = k·spacing, in view pixels.
            let d = k * spacing - (worldX * nx + worldY * ny)
            let (px, py) = (nx * d, ny * d)
            canvas.polyline([(px - dx * reach, py - dy * reach), (px + dx * reach, py + dy * reach)])
            k += 1
        }
        canvas.stroke(color, width: hatch.width)
    }

    private func drawLine(_ layer: StyleLayer, _ ctx: FeatureContext, _ g: Geometry, _ canvas: Canvas, _ viewport: Viewport) {
        let width = layer.number("line-width", ctx) ?? 1
        guard width > 0 else { return }
        let color = (layer.color("line-color", ctx) ?? .black).withOpacity(layer.number("line-opacity", ctx) ?? 1)
        // MapLibre's dash lengths are in multiples of the line width.
        let dash = (layer.numbers("line-dasharray", ctx) ?? []).map { $0 * width }
        let cap = Canvas.LineCap(rawValue: layer.string("line-cap", ctx) ?? "butt") ?? .butt
        let join = Canvas.LineJoin(rawValue: layer.string("line-join", ctx) ?? "miter") ?? .miter
        canvas.newPath()
        if g.kind.isPolygonal {
            canvas.addPath(g, viewport.transform)
        } else {
            canvas.addPath(Geometry(kind: .multiLineString, coordinates: g.coordinates, ringEnds: g.ringEnds, members: g.members), viewport.transform)
        }
        canvas.stroke(color, width: width, dash: dash, cap: cap, join: join)
    }

    // MARK: Labels

    /// Label candidates of every symbol layer visible at `zoom`, for features whose box meets
    /// `box` (Web Mercator metres; nil for all).
    public func labelCandidates(zoom: Double, in box: BoundingBox?) -> [LabelCandidate] {
        var candidates: [LabelCandidate] = []
        for (order, layer) in style.layers.enumerated() where layer.type == .symbol && layer.visible && layer.isVisible(atZoom: zoom) {
            guard let name = layer.sourceLayer else { continue }
            let source = scene.layer(name)
            let indices = box.map { source.candidates(in: $0) } ?? Array(source.features.indices)
            for i in indices {
                let feature = source.features[i]
                let ctx = FeatureContext(zoom: zoom, properties: feature.properties, geometryType: feature.geometryType)
                guard layer.passesFilter(ctx), let text = layer.string("text-field", ctx), !text.isEmpty else { continue }
                let point: (Double, Double)
                if feature.geometry.kind.isPuntal {
                    point = feature.geometry.position(0)
                } else {
                    point = ((feature.box.minX + feature.box.maxX) / 2, (feature.box.minY + feature.box.maxY) / 2)
                }
                let size = layer.number("text-size", ctx) ?? 16
                let offset = layer.numbers("text-offset", ctx) ?? [0, 0]
                let population = feature.properties["population"]?.numberValue ?? 0
                // Lower sort keys first; then larger places; then style order.
                let key = layer.number("symbol-sort-key", ctx) ?? 0
                candidates.append(LabelCandidate(
                    text: text,
                    font: FontSpec.fromStack(layer.strings("text-font", ctx) ?? ["DejaVu Sans Book"], size: size),
                    color: (layer.color("text-color", ctx) ?? .black).withOpacity(layer.number("text-opacity", ctx) ?? 1),
                    halo: layer.color("text-halo-color", ctx) ?? .transparent,
                    haloWidth: layer.number("text-halo-width", ctx) ?? 0,
                    x: point.0, y: point.1,
                    anchor: layer.string("text-anchor", ctx) ?? "center",
                    offsetX: (offset.first ?? 0) * size, offsetY: (offset.count > 1 ? offset[1] : 0) * size,
                    priority: key * 1e9 - population + Double(order) * 1e-3))
            }
        }
        return candidates
    }

    // MARK: Legend

    /// Legend entries for the layers that draw something in `box` (Web Mercator metres): one per
    /// party for a control layer whose legend is `party`, one per gaining party for a hatched
    /// change layer.
    public func legend(zoom: Double, in box: BoundingBox) -> [LegendEntry] {
        var entries: [LegendEntry] = []
        for layer in style.layers where layer.visible && layer.isVisible(atZoom: zoom) {
            guard let label = layer.legend, let name = layer.sourceLayer else { continue }
            let source = scene.layer(name)
            let drawn = source.candidates(in: box).map { source.features[$0] }.filter {
                layer.passesFilter(FeatureContext(zoom: zoom, properties: $0.properties, geometryType: $0.geometryType))
                    && (layer.type == .fill || MapRenderer.touches($0.geometry, box))
            }
            guard let first = drawn.first else { continue }
            func context(_ p: [String: JSONValue]) -> FeatureContext { FeatureContext(zoom: zoom, properties: p, geometryType: first.geometryType) }
            if label == "party" {
                for (index, party) in scene.parties.enumerated() where scene.partiesShown.contains(party) {
                    let p: [String: JSONValue] = ["controlled_by": .string(party.id), "party_index": .number(Double(index)), "party_name": .string(party.name)]
                    guard drawn.contains(where: { $0.properties["controlled_by"] == .string(party.id) }) else { continue }
                    entries.append(LegendEntry(swatch: swatch(layer, context(p)), label: party.name))
                }
            } else if layer.type == .fill, layer.hatch != nil {
                var seen = Set<String>()
                for feature in drawn {
                    guard let to = feature.properties["to_name"]?.stringValue, seen.insert(to).inserted else { continue }
                    entries.append(LegendEntry(swatch: swatch(layer, context(feature.properties)), label: "\(label): to \(to)"))
                }
                if seen.isEmpty { entries.append(LegendEntry(swatch: swatch(layer, context(first.properties)), label: label)) }
            } else {
                // Places that changed hands are drawn differently on change maps: say so.
                let plain = drawn.first { $0.properties["changed"] != .bool(true) } ?? first
                entries.append(LegendEntry(swatch: swatch(layer, context(plain.properties)), label: label))
                if layer.type == .circle, let changed = drawn.first(where: { $0.properties["changed"] == .bool(true) }) {
                    entries.append(LegendEntry(swatch: swatch(layer, context(changed.properties)), label: "\(label) that changed hands"))
                }
            }
        }
        var unique: [LegendEntry] = []
        for e in entries where !unique.contains(where: { $0.label == e.label }) { unique.append(e) }
        return unique
    }

    /// True when a line or ring of `g`, or one of its points, passes through `box`
    /// (Liang–Barsky clipping of each segment).
    static func touches(_ g: Geometry, _ box: BoundingBox) -> Bool {
        if g.members.contains(where: { touches($0, box) }) { return true }
        for r in g.ringRanges {
            if r.count == 1 {
                let p = g.position(r.lowerBound)
                if box.contains(x: p.x, y: p.y) { return true }
                continue
            }
            for i in r.lowerBound..<(r.upperBound - 1) {
                let (x0, y0) = g.position(i), (x1, y1) = g.position(i + 1)
                var t0 = 0.0, t1 = 1.0
                let dx = x1 - x0, dy = y1 - y0
                var inside = true
                for (p, q) in [(-dx, x0 - box.minX), (dx, box.maxX - x0), (-dy, y0 - box.minY), (dy, box.maxY - y0)] {
                    if p == 0 {
                        if q < 0 { inside = false; break }
                    } else {
                        let t = q / p
                        if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
                        if t0 > t1 { inside = false; break }
                    }
                }
                if inside { return true }
            }
        }
        return false
    }

    private func swatch(_ layer: StyleLayer, _ ctx: FeatureContext) -> LegendEntry.Swatch {
        switch layer.type {
        case .fill:
            let color = (layer.color("fill-color", ctx) ?? .black)
            let tint = color.withOpacity(layer.number("fill-opacity", ctx) ?? 1)
            if let hatch = layer.hatch { return .hatch(hatch.color ?? color.withOpacity(1), tint: tint) }
            return .fill(tint, outline: layer.isSet("fill-outline-color") ? layer.color("fill-outline-color", ctx) : nil)
        case .line:
            let width = layer.number("line-width", ctx) ?? 1
            let color = (layer.color("line-color", ctx) ?? .black).withOpacity(layer.number("line-opacity", ctx) ?? 1)
            return .line(color, width: width, dash: (layer.numbers("line-dasharray", ctx) ?? []).map { $0 * width })
        case .circle:
            return .circle((layer.color("circle-color", ctx) ?? .black), radius: layer.number("circle-radius", ctx) ?? 5,
                           stroke: layer.color("circle-stroke-color", ctx), strokeWidth: layer.number("circle-stroke-width", ctx) ?? 0)
        case .background, .symbol:
            return .fill(layer.color("text-color", ctx) ?? .black, outline: nil)
        }
    }
}

/// The paint of a circle layer for one feature.
struct CirclePaint: Equatable {
    var radius: Double, color: Color, stroke: Color, strokeWidth: Double

    init(_ layer: StyleLayer, _ ctx: FeatureContext) {
        let opacity = layer.number("circle-opacity", ctx) ?? 1
        radius = layer.number("circle-radius", ctx) ?? 5
        color = (layer.color("circle-color", ctx) ?? .black).withOpacity(opacity)
        strokeWidth = layer.number("circle-stroke-width", ctx) ?? 0
        stroke = (layer.color("circle-stroke-color", ctx) ?? .black).withOpacity(opacity)
    }
}

/// Circles waiting to be drawn with one paint.
struct CircleBatch {
    var paint: CirclePaint?
    var centres: [(Double, Double)] = []

    mutating func flush(_ canvas: Canvas) throws {
        defer { centres.removeAll(keepingCapacity: true) }
        guard let paint, !centres.isEmpty, paint.radius > 0 else { return }
        try canvas.dots(centres, radius: paint.radius, fill: paint.color, stroke: paint.stroke, strokeWidth: paint.strokeWidth)
    }
}
