import Testing
@testable import FrontlineRender
import FrontlineGeometry

/// A feature with values that make each operator's true and false cases reachable.
let sampleFeature = FeatureContext(
    zoom: 10,
    properties: [
        "name": .string("Parukh"), "population": .number(1000), "kind": .string("peacekeeping"),
        "party_index": .number(1), "flag": .bool(true), "empty": .null, "text": .string("12.5"),
        "tags": .array([.string("a"), .string("b")]),
    ],
    geometryType: "Polygon",
    id: .number(7)
)

/// Parses `json` as an expression of `kind` and evaluates it for `feature`.
func evaluate(_ json: String, kind: ValueKind = .any, _ feature: FeatureContext = sampleFeature) throws -> StyleValue {
    let (expression, _) = try ExpressionParser.parseProperty(try JSONParser.parse(json), kind: kind)
    return expression.evaluate(feature)
}

@Suite struct StyleExpressionTests {
    static let table: [(String, StyleValue)] = [
        (#"["get", "name"]"#, .string("Parukh")),
        (#"["get", "missing"]"#, .null),
        (#"["get", "tags"]"#, .array([.string("a"), .string("b")])),
        (#"["has", "name"]"#, .bool(true)),
        (#"["has", "missing"]"#, .bool(false)),
        (#"["has", "empty"]"#, .bool(true)),
        (#"["==", ["get", "kind"], "peacekeeping"]"#, .bool(true)),
        (#"["==", ["get", "kind"], "corridor"]"#, .bool(false)),
        (#"["==", ["get", "party_index"], "1"]"#, .bool(false)),
        (#"["==", ["get", "missing"], null]"#, .bool(true)),
        (#"["!=", ["get", "kind"], "corridor"]"#, .bool(true)),
        (#"["!=", ["get", "party_index"], 1]"#, .bool(false)),
        (#"["<", ["get", "population"], 2000]"#, .bool(true)),
        (#"["<", ["get", "population"], 1000]"#, .bool(false)),
        (#"["<", ["get", "name"], 5]"#, .null),
        (#"["<", "abc", "abd"]"#, .bool(true)),
        (#"["<=", ["get", "population"], 1000]"#, .bool(true)),
        (#"["<=", ["get", "population"], 999]"#, .bool(false)),
        (#"[">", ["get", "population"], 1000]"#, .bool(false)),
        (#"[">", ["get", "population"], 999]"#, .bool(true)),
        (#"[">=", ["get", "population"], 1000]"#, .bool(true)),
        (#"[">=", ["get", "population"], 1001]"#, .bool(false)),
        (#"["all", true, ["has", "name"]]"#, .bool(true)),
        (#"["all", true, ["has", "missing"]]"#, .bool(false)),
        (#"["all"]"#, .bool(true)),
        (#"["any", false, ["has", "missing"]]"#, .bool(false)),
        (#"["any", false, ["get", "flag"]]"#, .bool(true)),
        (#"["!", ["has", "missing"]]"#, .bool(true)),
        (#"["!", ["get", "flag"]]"#, .bool(false)),
        (#"["!", ["get", "name"]]"#, .null),
        (#"["in", "ru", ["get", "name"]]"#, .bool(true)),
        (#"["in", "x", ["get", "name"]]"#, .bool(false)),
        (#"["in", ["get", "kind"], ["literal", ["peacekeeping", "corridor"]]]"#, .bool(true)),
        (#"["in", ["get", "population"], ["literal", [1, 2]]]"#, .bool(false)),
        (#"["in", "a", ["get", "missing"]]"#, .bool(false)),
        (#"["match", ["get", "party_index"], 0, "first", 1, "second", "other"]"#, .string("second")),
        (#"["match", ["get", "party_index"], [0, 2], "even", "other"]"#, .string("other")),
        (#"["match", ["get", "kind"], ["corridor", "peacekeeping"], "zone", "other"]"#, .string("zone")),
        (#"["match", ["get", "missing"], 1, "one", "other"]"#, .string("other")),
        (#"["match", ["get", "name"], 1, "one", "other"]"#, .string("other")),
        (#"["case", ["has", "missing"], "a", ["==", ["get", "party_index"], 1], "b", "c"]"#, .string("b")),
        (#"["case", ["has", "missing"], "a", false, "b", "c"]"#, .string("c")),
        (#"["coalesce", ["get", "missing"], ["get", "name"]]"#, .string("Parukh")),
        (#"["coalesce", ["get", "missing"], ["get", "empty"]]"#, .null),
        (#"["literal", [1, 2]]"#, .array([.number(1), .number(2)])),
        (#"["literal", {"a": 1}]"#, .object(["a": .number(1)])),
        (#"["to-string", ["get", "population"]]"#, .string("1000")),
        (#"["to-string", 2.5]"#, .string("2.5")),
        (#"["to-string", ["get", "missing"]]"#, .string("")),
        (#"["to-string", ["get", "flag"]]"#, .string("true")),
        (#"["to-number", ["get", "text"]]"#, .number(12.5)),
        (#"["to-number", "abc", 7]"#, .number(7)),
        (#"["to-number", ["get", "tags"]]"#, .null),
        (#"["concat", ["get", "name"], " (", ["get", "population"], ")"]"#, .string("Parukh (1000)")),
        (#"["concat", ["get", "name"], ["get", "missing"]]"#, .string("Parukh")),
        (#"["geometry-type"]"#, .string("Polygon")),
        (#"["==", ["geometry-type"], "Point"]"#, .bool(false)),
        (#"["id"]"#, .number(7)),
    ]

    @Test(arguments: table)
    func operatorEvaluatesToExpectedValue(_ json: String, _ expected: StyleValue) throws {
        #expect(try evaluate(json) == expected, "\(json)")
    }

    @Test func zoomReadsTheContextZoom() throws {
        #expect(try evaluate(#"["zoom"]"#) == .number(10))
        #expect(try evaluate(#"["zoom"]"#, FeatureContext(zoom: 3.5)) == .number(3.5))
    }

    @Test func filtersUseZoomAnywhereWithoutWarning() throws {
        let filter = try ExpressionParser.parseFilter(try JSONParser.parse(#"["all", [">=", ["zoom"], 8], ["has", "name"]]"#))
        #expect(filter.evaluate(sampleFeature) == .bool(true))
        #expect(filter.evaluate(FeatureContext(zoom: 7, properties: sampleFeature.properties)) == .bool(false))
    }

    @Test func zoomOutsideATopLevelCurveIsWarnedAbout() throws {
        let (_, nested) = try ExpressionParser.parseProperty(
            try JSONParser.parse(#"["case", [">", ["zoom"], 8], 2, 1]"#), kind: .number())
        #expect(nested.count == 1)
        #expect(nested.first?.contains("top-level \"interpolate\" or \"step\"") == true)
        let (_, topLevel) = try ExpressionParser.parseProperty(
            try JSONParser.parse(#"["interpolate", ["linear"], ["zoom"], 5, 1, 10, 2]"#), kind: .number())
        #expect(topLevel.isEmpty)
    }

    @Test func textTokensBecomePropertyLookups() {
        let expression = ExpressionParser.parseTokenString("{name} ({population}) {missing}!")
        #expect(expression.evaluate(sampleFeature) == .string("Parukh (1000) !"))
        #expect(ExpressionParser.parseTokenString("{name}").evaluate(sampleFeature) == .string("Parukh"))
        #expect(ExpressionParser.parseTokenString("plain { text").evaluate(sampleFeature) == .string("plain { text"))
        #expect(!ExpressionParser.parseTokenString("plain").dependsOnFeature)
    }

    @Test func dependenciesAreTrackedThroughTheTree() throws {
        func parse(_ json: String) throws -> Expression {
            try ExpressionParser.parseProperty(try JSONParser.parse(json), kind: .any).0
        }
        let zoomOnly = try parse(#"["interpolate", ["linear"], ["zoom"], 5, 1, 10, 2]"#)
        #expect(zoomOnly.dependsOnZoom && !zoomOnly.dependsOnFeature)
        let featureOnly = try parse(#"["match", ["get", "party_index"], 0, 1, 2]"#)
        #expect(!featureOnly.dependsOnZoom && featureOnly.dependsOnFeature)
        let constant = try parse(#"["concat", "a", ["to-string", 1]]"#)
        #expect(!constant.dependsOnZoom && !constant.dependsOnFeature)
    }

    @Test func malformedExpressionsAreRejectedWithAReason() throws {
        func problem(_ json: String, kind: ValueKind = .any) throws -> ExpressionParser.Problem? {
            let parsed = try JSONParser.parse(json)
            do {
                _ = try ExpressionParser.parseProperty(parsed, kind: kind)
                return nil
            } catch {
                return error
            }
        }
        #expect(try problem(#"["frobnicate", 1]"#, kind: .number()) == .invalid("unknown expression operator \"frobnicate\""))
        #expect(try problem(#"["+", 1, 2]"#) == .unsupported("expression operator \"+\" is not supported"))
        #expect(try problem(#"["match", ["get", "a"], 1, "x", "y", "z", "w"]"#)
            == .invalid("[\"match\"] labels must be all numbers or all strings"))
        #expect(try problem(#"["match", ["get", "a"], 1, "x", 1, "y", "z"]"#) == .invalid("[\"match\"] has the label 1 twice"))
        #expect(try problem(#"["get"]"#) == .invalid("[\"get\"] expects a property name, found 0 arguments"))
        #expect(try problem(#"["==", "a", 1]"#) == .invalid("[\"==\"] cannot compare a string with a number"))
        #expect(try problem(#"["in", 1, [1, 2]]"#) == .invalid("an array inside an expression must be written [\"literal\", [...]]"))
        #expect(try problem(#"["to-string", ["get", "a"]]"#, kind: .number())
            == .invalid("expected a number, but [\"to-string\"] gives a string"))
        #expect(try problem(##"["match", ["get", "a"], 1, "#00f", "blu"]"##, kind: .color)
            == .invalid("expected a colour, found \"blu\""))
    }

    @Test func legacyFiltersAreRefusedWithAHint() throws {
        for legacy in [#"["==", "class", "road"]"#, #"["in", "class", "road", "river"]"#, #"["!has", "name"]"#,
                       #"["all", ["==", "class", "road"], ["has", "name"]]"#] {
            #expect(throws: ExpressionParser.Problem.self, "\(legacy)") {
                try ExpressionParser.parseFilter(try JSONParser.parse(legacy))
            }
        }
        let modern = try ExpressionParser.parseFilter(try JSONParser.parse(#"["==", ["get", "class"], "road"]"#))
        #expect(modern.evaluate(FeatureContext(zoom: 0, properties: ["class": .string("road")])) == .bool(true))
    }
}
