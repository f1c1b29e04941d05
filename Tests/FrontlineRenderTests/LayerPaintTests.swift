import Testing
import FrontlineGeometry
@testable import FrontlineRender

/// Paint resolved once per layer: defaults from the property table, constants shared by every
/// feature, data-driven properties per feature, and MapLibre's opacities for circles.
@Suite struct LayerPaintTests {
    private func layer(_ json: String) throws -> StyleLayer {
        try #require(try loadStyle(styleJSON(json)).layers.first)
    }

    private func feature(_ properties: [String: JSONValue] = [:], zoom: Double = 10) -> FeatureContext {
        FeatureContext(zoom: zoom, properties: properties)
    }

    @Test func absentPropertiesTakeTheTablesDefaults() throws {
        let line = LinePaint(PropertyReader(try layer(#"{"id": "l", "type": "line", "source": "dataset", "source-layer": "basemap"}"#), feature()))
        #expect(line.color == .black && line.width == 1 && line.dash == [] && line.cap == .butt && line.join == .miter)
        let circle = CirclePaint(PropertyReader(try layer(#"{"id": "c", "type": "circle", "source": "dataset", "source-layer": "villages"}"#), feature()))
        #expect(circle.radius == 5 && circle.color == .black && circle.opacity == 1)
        #expect(circle.strokeColor == .black && circle.strokeOpacity == 1 && circle.strokeWidth == 0)
        let fill = FillPaint(PropertyReader(try layer(#"{"id": "f", "type": "fill", "source": "dataset", "source-layer": "control"}"#), feature()))
        #expect(fill.color == .black && fill.opacity == 1 && fill.outline == nil)
        let text = TextPaint(PropertyReader(try layer(#"{"id": "s", "type": "symbol", "source": "dataset", "source-layer": "villages"}"#), feature()))
        #expect(text.font.size == 16 && text.anchor == "center" && text.offsetX == 0 && text.offsetY == 0)
        #expect(text.sortKey == 0 && text.haloWidth == 0 && text.halo == .transparent && text.opacity == 1)
    }

    @Test func zoomOnlyPaintIsResolvedOnceForEveryFeature() throws {
        let roads = try layer(#"{"id": "l", "type": "line", "source": "dataset", "source-layer": "basemap", "paint": {"line-width": ["interpolate", ["linear"], ["zoom"], 6, 1, 12, 3], "line-opacity": 0.5, "line-dasharray": [2, 1]}}"#)
        #expect(!roads.dependsOnFeature(LinePaint.properties))
        let paint = LayerPaint<LinePaint>(roads, zoom: 9)
        // The feature given is not read: the paint was resolved for zoom 9 when it was made.
        #expect(paint(feature(["class": .string("road")], zoom: 3)) == paint(feature(zoom: 20)))
        #expect(paint(feature()).width == 2)
        #expect(paint(feature()).dash == [4, 2])
        #expect(paint(feature()).color == Color.black.withOpacity(0.5))
    }

    @Test func dataDrivenPaintIsResolvedPerFeature() throws {
        let roads = try layer(##"{"id": "l", "type": "line", "source": "dataset", "source-layer": "basemap", "paint": {"line-color": ["match", ["get", "class"], "road", "#808080", "#000000"], "line-width": ["get", "w"]}}"##)
        #expect(roads.dependsOnFeature(LinePaint.properties))
        let paint = LayerPaint<LinePaint>(roads, zoom: 9)
        #expect(paint(feature(["class": .string("road"), "w": .number(3)])).color == Color(r: 0x80, g: 0x80, b: 0x80))
        #expect(paint(feature(["class": .string("river")])).color == .black)
        #expect(paint(feature(["w": .number(3)])).width == 3)
        #expect(paint(feature(["w": .string("wide")])).width == 1)
    }

    @Test func circleOpacityFillsAndCircleStrokeOpacityStrokes() throws {
        let both = try layer(##"{"id": "c", "type": "circle", "source": "dataset", "source-layer": "villages", "paint": {"circle-color": "#ff0000", "circle-opacity": 0.5, "circle-stroke-color": "#0000ff", "circle-stroke-opacity": 0.25, "circle-stroke-width": 2}}"##)
        let paint = CirclePaint(PropertyReader(both, feature()))
        #expect(paint.fill == Color(r: 255, g: 0, b: 0, alpha: 0.5))
        #expect(paint.stroke == Color(r: 0, g: 0, b: 255, alpha: 0.25))
        // circle-opacity alone leaves the stroke opaque, as in MapLibre.
        let fillOnly = try layer(##"{"id": "c", "type": "circle", "source": "dataset", "source-layer": "villages", "paint": {"circle-opacity": 0.5, "circle-stroke-color": "#0000ff"}}"##)
        #expect(CirclePaint(PropertyReader(fillOnly, feature())).stroke == Color(r: 0, g: 0, b: 255))
    }

    @Test func aTransparentCircleStillDrawsItsStroke() throws {
        let style = try RenderFixtures.style("""
            {"version": 8, "sources": {"dataset": {}}, "layers": [
              {"id": "bg", "type": "background", "paint": {"background-color": "#ffffff"}},
              {"id": "v", "type": "circle", "source": "dataset", "source-layer": "villages", "filter": ["==", ["get", "name"], "Parukh"],
               "paint": {"circle-radius": 20, "circle-color": "#ff0000", "circle-opacity": 0, "circle-stroke-color": "#0000ff", "circle-stroke-width": 6}}
            ]}
            """)
        let renderer = try RenderFixtures.renderer(style, .date(date("2022-03-26")))
        let canvas = try Canvas(width: 200, height: 200, format: .png)
        let viewport = try Viewport.fitting(lonLat: BoundingBox(minX: 46.77, minY: 39.99, maxX: 46.83, maxY: 40.04), width: 200, height: 200)
        try renderer.draw(on: canvas, viewport: viewport, labels: [])
        let (x, y) = try RenderFixtures.pixel(46.801417, 40.018623, viewport)
        #expect(near(canvas.pixel(x: x, y: y), .white), "the fill is transparent")
        #expect(near(canvas.pixel(x: x + 20, y: y), Color(r: 0, g: 0, b: 255), tolerance: 0.1), "\(canvas.pixel(x: x + 20, y: y)!)")
    }
}
