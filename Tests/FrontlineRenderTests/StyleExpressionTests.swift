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
    let expression = try ExpressionParser.parseProperty(try JSONParser.parse(json), kind: kind)
    return try expression.evaluate(feature)
}

/// The reason `json` does not load as an expression of `kind`, or nil when it loads.
func loadProblem(_ json: String, kind: ValueKind = .any) throws -> ExpressionParser.Problem? {
    let parsed = try JSONParser.parse(json)
    do {
        _ = try ExpressionParser.parseProperty(parsed, kind: kind)
        return nil
    } catch {
        return error
    }
}

/// The evaluation error `json` raises for `feature`, or nil when it gives a value.
func evaluationError(_ json: String, kind: ValueKind = .any, _ feature: FeatureContext = sampleFeature) throws -> String? {
    let expression = try ExpressionParser.parseProperty(try JSONParser.parse(json), kind: kind)
    do {
        _ = try expression.evaluate(feature)
        return nil
    } catch {
        return error.message
    }
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
        let zoom = #"["interpolate", ["linear"], ["zoom"], 0, 0, 24, 24]"#
        #expect(try evaluate(zoom) == .number(10))
        #expect(try evaluate(zoom, FeatureContext(zoom: 3.5)) == .number(3.5))
    }

    @Test func filtersUseZoomAnywhere() throws {
        let filter = try ExpressionParser.parseFilter(try JSONParser.parse(#"["all", [">=", ["zoom"], 8], ["has", "name"]]"#))
        #expect(try filter.evaluate(sampleFeature) == .bool(true))
        #expect(try filter.evaluate(FeatureContext(zoom: 7, properties: sampleFeature.properties)) == .bool(false))
    }

    @Test func zoomOutsideATopLevelCurveIsAnErrorAtLoad() throws {
        let message = "[\"zoom\"] may only be the input of a top-level \"step\" or \"interpolate\""
        #expect(try loadProblem(#"["case", [">", ["zoom"], 8], 2, 1]"#, kind: .number()) == .invalid(message))
        #expect(try loadProblem(#"["+", ["interpolate", ["linear"], ["zoom"], 5, 1, 10, 2], 1]"#, kind: .number()) == .invalid(message))
        #expect(try loadProblem(#"["interpolate", ["linear"], ["zoom"], 5, ["zoom"], 10, 2]"#, kind: .number()) == .invalid(message))
        #expect(try loadProblem(#"["interpolate", ["linear"], ["zoom"], 5, 1, 10, 2]"#, kind: .number()) == nil)
        #expect(try loadProblem(#"["coalesce", ["step", ["zoom"], 1, 8, 2]]"#, kind: .number()) == nil)
        // An assertion or conversion written around the curve hides it from the top.
        #expect(try loadProblem(#"["number", ["step", ["zoom"], 1, 8, 2]]"#, kind: .number()) == .invalid(message))
        #expect(try loadProblem(#"["step", ["zoom"], "a", 8, "b"]"#, kind: .string) == nil)
        #expect(try loadProblem(#"["let", "w", 3, ["interpolate", ["linear"], ["zoom"], 5, 1, 10, ["var", "w"]]]"#, kind: .number()) == nil)
        // A curve bound by a let is not the top-level curve, even when the let's body is one.
        #expect(try loadProblem(#"["let", "c", ["step", ["zoom"], 1, 8, 2], ["step", ["zoom"], 1, 8, 2]]"#, kind: .number()) == .invalid(message))
    }

    @Test func textTokensBecomePropertyLookups() throws {
        let expression = ExpressionParser.parseTokenString("{name} ({population}) {missing}!")
        #expect(try expression.evaluate(sampleFeature) == .string("Parukh (1000) !"))
        #expect(try ExpressionParser.parseTokenString("{name}").evaluate(sampleFeature) == .string("Parukh"))
        #expect(try ExpressionParser.parseTokenString("plain { text").evaluate(sampleFeature) == .string("plain { text"))
        #expect(!ExpressionParser.parseTokenString("plain").dependsOnFeature)
    }

    @Test func dependenciesAreTrackedThroughTheTree() throws {
        func parse(_ json: String) throws -> Expression {
            try ExpressionParser.parseProperty(try JSONParser.parse(json), kind: .any)
        }
        let zoomOnly = try parse(#"["interpolate", ["linear"], ["zoom"], 5, 1, 10, 2]"#)
        #expect(zoomOnly.dependsOnZoom && !zoomOnly.dependsOnFeature)
        let featureOnly = try parse(#"["match", ["get", "party_index"], 0, 1, 2]"#)
        #expect(!featureOnly.dependsOnZoom && featureOnly.dependsOnFeature)
        let constant = try parse(#"["concat", "a", ["to-string", 1]]"#)
        #expect(!constant.dependsOnZoom && !constant.dependsOnFeature)
    }

    @Test func malformedExpressionsAreRejectedWithAReason() throws {
        #expect(try loadProblem(#"["frobnicate", 1]"#, kind: .number()) == .invalid("unknown expression operator \"frobnicate\""))
        #expect(try loadProblem(#"["sqrt", 4]"#) == .unsupported("expression operator \"sqrt\" is not supported"))
        #expect(try loadProblem(#"["match", ["get", "a"], 1, "x", "y", "z", "w"]"#)
            == .invalid("[\"match\"] labels must be all numbers or all strings"))
        #expect(try loadProblem(#"["match", ["get", "a"], 1, "x", 1, "y", "z"]"#) == .invalid("[\"match\"] has the label 1 twice"))
        #expect(try loadProblem(#"["get"]"#) == .invalid("[\"get\"] expects a property name and an optional object, found 0 arguments"))
        #expect(try loadProblem(#"["==", "a", 1]"#) == .invalid("[\"==\"] cannot compare a string with a number"))
        #expect(try loadProblem(#"["in", 1, [1, 2]]"#) == .invalid("an array inside an expression must be written [\"literal\", [...]]"))
        #expect(try loadProblem(#"["to-string", ["get", "a"]]"#, kind: .number())
            == .invalid("expected a number, but [\"to-string\"] gives a string"))
        #expect(try loadProblem(##"["match", ["get", "a"], 1, "#00f", "blu"]"##, kind: .color)
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
        #expect(try modern.evaluate(FeatureContext(zoom: 0, properties: ["class": .string("road")])) == .bool(true))
    }
}
