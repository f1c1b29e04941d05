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

    /// Draws every layer except labels (and background layers too when `transparent`); then the
    /// given labels: placed in this viewport's pixel space shifted by `labelOffset`, or, with
    /// `placedWith`, in another pixel space (a tile zoom's world pixels), each then kept at its
    /// offset from the point it labels, so that text keeps its size at any resolution.
    /// `simplified` holds every feature's geometry already simplified for this resolution
    /// (``PreparedScene/simplified(zoom:scale:)``). `labelled` is every feature named by the
    /// placement `labels` come from (their own features when nil): circle layers that leave out
    /// unlabelled points ask it, so that a point whose label lies on a neighbouring tile stays.
    public func draw(on canvas: Canvas, viewport: Viewport, labels: [PlacedLabel], labelOffset: (x: Double, y: Double) = (0, 0),
                     placedWith: PixelTransform? = nil, transparent: Bool = false, labelled: Set<LabelledFeature>? = nil,
                     simplified: [String: [Geometry]]) throws {
        let labelled = labelled ?? Set(labels.compactMap(\.candidate.feature))
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
                if transparent { continue }
                let ctx = FeatureContext(zoom: zoom, properties: [:], geometryType: "Polygon")
                canvas.paint(BackgroundPaint(PropertyReader(layer, ctx)).paint)
                continue
            }
            guard let name = layer.sourceLayer, let paint = FeaturePaint(layer, zoom: zoom) else { continue }
            let source = scene.layer(name)
            // Circles with the same paint are drawn as one path: one fill and one stroke for
            // thousands of villages instead of a Cairo call pair each.
            var circles = CircleBatch(marker: layer.marker)
            let hideUnlabelled = layer.unlabelledHiddenBelowZoom.map { zoom < $0 } ?? false
            for i in source.candidates(in: query) {
                let feature = source.features[i]
                let ctx = FeatureContext(zoom: zoom, properties: feature.properties, geometryType: feature.geometryType)
                guard layer.passesFilter(ctx) else { continue }
                switch paint {
                case .fill(let fills):
                    guard feature.geometry.kind.isPolygonal else { continue }
                    try drawFill(layer, fills(ctx), clippedGeometry(name, i, feature), canvas, viewport)
                case .line(let lines):
                    guard !feature.geometry.kind.isPuntal else { continue }
                    // A clipped line would restart its dash pattern at the clip edge, so dashed lines
                    // are drawn whole (Cairo discards what falls outside the surface).
                    let dashed = layer.isSet("line-dasharray")
                    drawLine(lines(ctx), dashed ? simplifiedGeometry(name, i, feature) : clippedGeometry(name, i, feature), canvas, viewport)
                case .circle(let dots):
                    guard feature.geometry.kind.isPuntal else { continue }
                    // A place that changed hands keeps its dot: it is what a change map shows.
                    if hideUnlabelled, feature.properties["changed"] != .bool(true),
                       !labelled.contains(LabelledFeature(sourceLayer: name, index: i)) { continue }
                    let paint = dots(ctx)
                    if paint != circles.paint { try circles.flush(canvas); circles.paint = paint }
                    let g = feature.geometry
                    for k in 0..<g.positionCount {
                        let (x, y) = viewport.transform.apply(g.coordinates[2 * k], g.coordinates[2 * k + 1])
                        circles.centres.append((x, y))
                    }
                }
            }
            try circles.flush(canvas)
            try canvas.check("layer \(layer.id)")
        }

        veilOutsideExtent(canvas, viewport)
        for label in labels {
            let c = label.candidate
            var (x, y) = (label.x - labelOffset.x, label.y - labelOffset.y)
            if let placedWith {
                let (px, py) = placedWith.apply(c.x, c.y), (vx, vy) = viewport.transform.apply(c.x, c.y)
                (x, y) = (label.x - px + vx, label.y - py + vy)
            }
            let text = try canvas.layoutText(c.text, font: c.font)
            text.draw(x: x, y: y, color: c.color, halo: c.halo, haloWidth: c.haloWidth)
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
            .map { BackgroundPaint(PropertyReader($0, FeatureContext(zoom: viewport.zoom, properties: [:], geometryType: "Polygon"))).color } ?? .white
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

    private func drawFill(_ layer: StyleLayer, _ paint: FillPaint, _ g: Geometry, _ canvas: Canvas, _ viewport: Viewport) throws {
        canvas.newPath()
        canvas.addPath(g, viewport.transform)
        canvas.fill(paint.tint, preserve: true)
        if let hatch = layer.hatch {
            canvas.withSavedState {
                canvas.clipToPath()
                drawHatch(hatch, color: hatch.color ?? paint.color, canvas, viewport)
            }
        }
        if let outline = paint.outline {
            canvas.newPath()
            canvas.addPath(g, viewport.transform)
            canvas.stroke(outline.withOpacity(paint.opacity), width: 1)
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

    private func drawLine(_ paint: LinePaint, _ g: Geometry, _ canvas: Canvas, _ viewport: Viewport) {
        guard paint.width > 0 else { return }
        canvas.newPath()
        if g.kind.isPolygonal {
            canvas.addPath(g, viewport.transform)
        } else {
            canvas.addPath(Geometry(kind: .multiLineString, coordinates: g.coordinates, ringEnds: g.ringEnds, members: g.members), viewport.transform)
        }
        canvas.stroke(paint.color, width: paint.width, dash: paint.dash, cap: paint.cap, join: paint.join)
    }

    // MARK: Labels

    /// Label candidates of every symbol layer visible at `zoom`, for features whose box meets
    /// `box` (Web Mercator metres; nil for all). Areas are named away from the `avoiding` boxes
    /// (Web Mercator metres: a map's legend and title) where they can be.
    public func labelCandidates(zoom: Double, in box: BoundingBox?, avoiding: [BoundingBox] = []) throws -> [LabelCandidate] {
        var candidates: [LabelCandidate] = []
        for (order, layer) in style.layers.enumerated() where layer.type == .symbol && layer.visible && layer.isVisible(atZoom: zoom) {
            guard let name = layer.sourceLayer else { continue }
            let source = scene.layer(name)
            let texts = LayerPaint<TextPaint>(layer, zoom: zoom)
            let indices = box.map { source.candidates(in: $0) } ?? Array(source.features.indices)
            for i in indices {
                let feature = source.features[i]
                let ctx = FeatureContext(zoom: zoom, properties: feature.properties, geometryType: feature.geometryType)
                guard layer.passesFilter(ctx), let text = layer.string("text-field", ctx), !text.isEmpty else { continue }
                // A line is named halfway along, an area where it is widest (within the view).
                guard let point = try feature.geometry.labelPoint(within: box, avoiding: avoiding) else { continue }
                let paint = texts(ctx)
                let population = feature.properties["population"]?.numberValue ?? 0
                // Lower sort keys first; then larger places; then style order.
                candidates.append(LabelCandidate(
                    text: paint.transformed(text), font: paint.font, color: paint.color.withOpacity(paint.opacity),
                    halo: paint.halo, haloWidth: paint.haloWidth,
                    x: point.0, y: point.1,
                    anchor: paint.anchor, offsetX: paint.offsetX, offsetY: paint.offsetY,
                    priority: paint.sortKey * 1e9 - population + Double(order) * 1e-3,
                    feature: LabelledFeature(sourceLayer: name, index: i), positions: paint.positions))
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

    /// The legend's picture of a layer, from the same paint the layer is drawn with (colours as
    /// written: a swatch shows the colour rather than its opacity over the map).
    private func swatch(_ layer: StyleLayer, _ ctx: FeatureContext) -> LegendEntry.Swatch {
        let properties = PropertyReader(layer, ctx)
        switch layer.type {
        case .fill:
            let paint = FillPaint(properties)
            if let hatch = layer.hatch { return .hatch(hatch.color ?? paint.color, tint: paint.tint) }
            return .fill(paint.tint, outline: paint.outline)
        case .line:
            let paint = LinePaint(properties)
            return .line(paint.color, width: paint.width, dash: paint.dash)
        case .circle:
            let paint = CirclePaint(properties)
            if layer.marker == .triangle {
                return .triangle(paint.color, radius: paint.radius, stroke: paint.strokeColor, strokeWidth: paint.strokeWidth)
            }
            return .circle(paint.color, radius: paint.radius, stroke: paint.strokeColor, strokeWidth: paint.strokeWidth)
        case .background:
            return .fill(BackgroundPaint(properties).paint, outline: nil)
        case .symbol:
            return .fill(TextPaint(properties).color, outline: nil)
        }
    }
}

/// The paint of a layer that draws features, resolved for one zoom.
enum FeaturePaint {
    case fill(LayerPaint<FillPaint>)
    case line(LayerPaint<LinePaint>)
    case circle(LayerPaint<CirclePaint>)

    /// The paint of `layer` at `zoom`; nil for layers drawn otherwise (background, labels).
    init?(_ layer: StyleLayer, zoom: Double) {
        switch layer.type {
        case .fill: self = .fill(LayerPaint(layer, zoom: zoom))
        case .line: self = .line(LayerPaint(layer, zoom: zoom))
        case .circle: self = .circle(LayerPaint(layer, zoom: zoom))
        case .background, .symbol: return nil
        }
    }
}

/// Circles waiting to be drawn with one paint.
struct CircleBatch {
    var marker: StyleLayer.Marker
    var paint: CirclePaint?
    var centres: [(Double, Double)] = []

    init(marker: StyleLayer.Marker) { self.marker = marker }

    mutating func flush(_ canvas: Canvas) throws {
        defer { centres.removeAll(keepingCapacity: true) }
        guard let paint, !centres.isEmpty, paint.radius > 0 else { return }
        try canvas.dots(centres, radius: paint.radius, fill: paint.fill, stroke: paint.stroke, strokeWidth: paint.strokeWidth, marker: marker)
    }
}
