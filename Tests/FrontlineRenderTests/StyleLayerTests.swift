import Testing
@testable import FrontlineRender
import FrontlineGeometry

@Suite struct StyleLayerTests {
    private func layer(_ json: String) throws -> StyleLayer {
        try #require(try loadStyle(styleJSON(json)).layers.first)
    }

    private let zoom10 = FeatureContext(zoom: 10)

    @Test func absentPropertiesTakeMapLibreDefaults() throws {
        let line = try layer(#"{"id": "l", "type": "line", "source": "dataset", "source-layer": "basemap"}"#)
        #expect(line.color("line-color", zoom10) == .black)
        #expect(line.number("line-width", zoom10) == 1)
        #expect(line.number("line-opacity", zoom10) == 1)
        #expect(line.numbers("line-dasharray", zoom10) == [])
        #expect(line.string("line-cap", zoom10) == "butt")
        #expect(line.string("line-join", zoom10) == "miter")
        #expect(!line.isSet("line-width"))

        let symbol = try layer(#"{"id": "s", "type": "symbol", "source": "dataset", "source-layer": "villages"}"#)
        #expect(symbol.number("text-size", zoom10) == 16)
        #expect(symbol.strings("text-font", zoom10) == ["Open Sans Regular", "Arial Unicode MS Regular"])
        #expect(symbol.numbers("text-offset", zoom10) == [0, 0])
        #expect(symbol.string("text-anchor", zoom10) == "center")
        #expect(symbol.string("text-field", zoom10) == "")
        #expect(symbol.color("text-halo-color", zoom10) == .transparent)
        #expect(symbol.number("text-halo-width", zoom10) == 0)
        #expect(symbol.number("symbol-sort-key", zoom10) == 0)

        let circle = try layer(#"{"id": "c", "type": "circle", "source": "dataset", "source-layer": "villages"}"#)
        #expect(circle.number("circle-radius", zoom10) == 5)
        #expect(circle.number("circle-stroke-width", zoom10) == 0)
        let fill = try layer(#"{"id": "f", "type": "fill", "source": "dataset", "source-layer": "control"}"#)
        #expect(fill.color("fill-outline-color", zoom10) == nil)
        #expect(fill.number("fill-opacity", zoom10) == 1)
    }

    @Test func propertiesOfAnotherTypeOrKindGiveNil() throws {
        let fill = try layer(#"{"id": "f", "type": "fill", "source": "dataset", "source-layer": "control", "paint": {"fill-color": "red"}}"#)
        #expect(fill.color("line-color", zoom10) == nil)
        #expect(fill.number("fill-color", zoom10) == nil)
        #expect(fill.string("fill-color", zoom10) == nil)
        #expect(fill.color("fill-color", zoom10) == Color(r: 255, g: 0, b: 0))
    }

    @Test func featureValuesOfTheWrongTypeFallBackToTheDefault() throws {
        let circle = try layer(#"{"id": "c", "type": "circle", "source": "dataset", "source-layer": "villages", "paint": {"circle-radius": ["get", "r"], "circle-color": ["get", "c"], "circle-opacity": ["get", "o"]}}"#)
        let odd = FeatureContext(zoom: 10, properties: ["r": .string("big"), "c": .string("not a colour"), "o": .number(3)])
        #expect(circle.number("circle-radius", odd) == 5)
        #expect(circle.color("circle-color", odd) == .black)
        #expect(circle.number("circle-opacity", odd) == 1)
        let good = FeatureContext(zoom: 10, properties: ["r": .number(7), "c": .string("#00f")])
        #expect(circle.number("circle-radius", good) == 7)
        #expect(circle.color("circle-color", good) == Color(r: 0, g: 0, b: 255))
    }

    @Test func evaluationErrorsFallBackToTheDefault() throws {
        let circle = try layer(#"{"id": "c", "type": "circle", "source": "dataset", "source-layer": "villages", "paint": {"circle-radius": ["+", ["get", "r"], 1], "circle-color": ["to-color", ["get", "c"]], "circle-stroke-width": ["at", ["get", "i"], ["literal", [2, 4]]]}}"#)
        let odd = FeatureContext(zoom: 10, properties: ["r": .string("big"), "c": .string("nope"), "i": .number(5)])
        #expect(circle.number("circle-radius", odd) == 5)
        #expect(circle.color("circle-color", odd) == .black)
        #expect(circle.number("circle-stroke-width", odd) == 0)
        let good = FeatureContext(zoom: 10, properties: ["r": .number(2), "c": .string("#00f"), "i": .number(1)])
        #expect(circle.number("circle-radius", good) == 3)
        #expect(circle.color("circle-color", good) == Color(r: 0, g: 0, b: 255))
        #expect(circle.number("circle-stroke-width", good) == 4)

        let labels = try layer(#"{"id": "s", "type": "symbol", "source": "dataset", "source-layer": "villages", "filter": ["<", ["get", "n"], 3], "layout": {"text-field": ["case", ["has", "name"], ["get", "name"], ["error", "unnamed"]]}}"#)
        #expect(labels.string("text-field", zoom10) == "")
        #expect(labels.passesFilter(FeatureContext(zoom: 10, properties: ["n": .number(1)])))
        // A filter that cannot be evaluated for a feature leaves the feature out.
        #expect(!labels.passesFilter(FeatureContext(zoom: 10, properties: ["n": .string("x")])))
    }

    @Test func textFieldReplacesTokensAndConvertsExpressionResults() throws {
        let tokens = try layer(#"{"id": "s", "type": "symbol", "source": "dataset", "source-layer": "villages", "layout": {"text-field": "{name} ({population})"}}"#)
        #expect(tokens.string("text-field", FeatureContext(zoom: 10, properties: ["name": .string("Sus"), "population": .number(120)])) == "Sus (120)")
        #expect(tokens.dependsOnFeature(["text-field"]))
        let number = try layer(#"{"id": "s", "type": "symbol", "source": "dataset", "source-layer": "heights", "layout": {"text-field": ["get", "elevation_m"]}}"#)
        #expect(number.string("text-field", FeatureContext(zoom: 10, properties: ["elevation_m": .number(2725)])) == "2725")
    }

    @Test func zoomRangeFollowsMapLibre() throws {
        let circle = try layer(#"{"id": "c", "type": "circle", "source": "dataset", "source-layer": "villages", "minzoom": 8, "maxzoom": 12}"#)
        #expect(!circle.isVisible(atZoom: 7.99))
        #expect(circle.isVisible(atZoom: 8))
        #expect(circle.isVisible(atZoom: 11.99))
        #expect(!circle.isVisible(atZoom: 12))
        let hidden = try layer(#"{"id": "c", "type": "circle", "source": "dataset", "source-layer": "villages", "layout": {"visibility": "none"}}"#)
        #expect(!hidden.visible && !hidden.isVisible(atZoom: 10))
    }

    @Test func filtersSelectFeatures() throws {
        let roads = try layer(#"{"id": "r", "type": "line", "source": "dataset", "source-layer": "basemap", "filter": ["all", ["==", ["get", "class"], "road"], ["==", ["geometry-type"], "LineString"]]}"#)
        #expect(roads.passesFilter(FeatureContext(zoom: 9, properties: ["class": .string("road")], geometryType: "LineString")))
        #expect(!roads.passesFilter(FeatureContext(zoom: 9, properties: ["class": .string("river")], geometryType: "LineString")))
        #expect(!roads.passesFilter(FeatureContext(zoom: 9, properties: [:], geometryType: "LineString")))
        let all = try layer(#"{"id": "a", "type": "line", "source": "dataset", "source-layer": "basemap"}"#)
        #expect(all.passesFilter(zoom10))
    }

    @Test func legendAndMetadataAreKept() throws {
        let fill = try layer(#"{"id": "f", "type": "fill", "source": "dataset", "source-layer": "control", "metadata": {"frontline:legend": "party", "note": "kept"}}"#)
        #expect(fill.legend == StyleLayer.partyLegend)
        #expect(fill.metadata["note"] == .string("kept"))
        #expect(fill.hatch == nil)
    }
}
