import Testing
@testable import FrontlineRender
import FrontlineGeometry

/// The operators added to follow MapLibre's expression reference: type assertions and
/// conversions, arithmetic, strings and arrays, bindings; what they give, what they raise while
/// evaluating, and what stops a style loading.
@Suite struct StyleExpressionOperatorTests {
    static let values: [(String, StyleValue)] = [
        // Assertions give the first operand of the type.
        (#"["number", ["get", "population"]]"#, .number(1000)),
        (#"["number", ["get", "name"], ["get", "missing"], 4]"#, .number(4)),
        (#"["string", ["get", "population"], ["get", "name"]]"#, .string("Parukh")),
        (#"["boolean", ["get", "flag"]]"#, .bool(true)),
        (#"["boolean", ["get", "name"], false]"#, .bool(false)),
        (#"["object", ["literal", {"a": 1}]]"#, .object(["a": .number(1)])),
        (#"["array", "string", ["get", "tags"]]"#, .array([.string("a"), .string("b")])),
        (#"["array", "string", 2, ["get", "tags"]]"#, .array([.string("a"), .string("b")])),
        (#"["to-boolean", ["get", "name"]]"#, .bool(true)),
        (#"["to-boolean", ""]"#, .bool(false)),
        (#"["to-boolean", 0]"#, .bool(false)),
        (#"["to-boolean", ["get", "missing"]]"#, .bool(false)),
        (#"["to-boolean", "false"]"#, .bool(true)),
        (#"["to-number", ["get", "missing"]]"#, .number(0)),
        (#"["to-number", true]"#, .number(1)),
        (#"["typeof", ["get", "tags"]]"#, .string("array<string, 2>")),
        (#"["typeof", ["get", "missing"]]"#, .string("null")),
        (#"["typeof", ["literal", [1, "a"]]]"#, .string("array<value, 2>")),
        (#"["typeof", ["get", "population"]]"#, .string("number")),
        // Arithmetic.
        (#"["+", ["get", "population"], 1, 2]"#, .number(1003)),
        (#"["-", ["get", "population"], 1]"#, .number(999)),
        (#"["-", ["get", "population"]]"#, .number(-1000)),
        (#"["*", ["get", "party_index"], 3, 2]"#, .number(6)),
        (#"["/", ["get", "population"], 8]"#, .number(125)),
        (#"["%", ["get", "population"], 7]"#, .number(6)),
        (#"["%", -7, ["get", "party_index"]]"#, .number(-0.0)),
        (#"["^", ["get", "party_index"], 0.5]"#, .number(1)),
        (#"["^", 2, ["get", "party_index"]]"#, .number(2)),
        (#"["min", ["get", "population"], 3, 9]"#, .number(3)),
        (#"["max", ["get", "population"], 3, 9]"#, .number(1000)),
        (#"["<", ["max"], ["min"]]"#, .bool(true)),
        (#"["round", ["to-number", ["get", "text"]]]"#, .number(13)),
        (#"["round", -2.5]"#, .number(-3)),
        (#"["floor", -2.5]"#, .number(-3)),
        (#"["ceil", ["to-number", ["get", "text"]]]"#, .number(13)),
        (#"["abs", ["-", ["get", "population"]]]"#, .number(1000)),
        // Strings and arrays.
        (#"["length", ["get", "name"]]"#, .number(6)),
        (#"["length", ["get", "tags"]]"#, .number(2)),
        (#"["length", "Ջրաբերդ"]"#, .number(7)),
        (#"["at", 1, ["get", "tags"]]"#, .string("b")),
        (#"["index-of", "r", ["get", "name"]]"#, .number(2)),
        (#"["index-of", "r", ["get", "name"], 3]"#, .number(-1)),
        (#"["index-of", "b", ["get", "tags"]]"#, .number(1)),
        (#"["index-of", "z", ["get", "tags"]]"#, .number(-1)),
        (#"["index-of", "", ["get", "name"]]"#, .number(0)),
        (#"["slice", ["get", "name"], 2]"#, .string("rukh")),
        (#"["slice", ["get", "name"], 1, -1]"#, .string("aruk")),
        (#"["slice", ["get", "name"], -3, 99]"#, .string("ukh")),
        (#"["slice", ["get", "tags"], 1]"#, .array([.string("b")])),
        (#"["upcase", ["get", "name"]]"#, .string("PARUKH")),
        (#"["downcase", ["get", "name"]]"#, .string("parukh")),
        (#"["in", "", ["get", "name"]]"#, .bool(true)),
        (#"["in", "", ""]"#, .bool(false)),
        (#"["in", 100, ["to-string", ["get", "population"]]]"#, .bool(true)),
        (#"["concat"]"#, .string("")),
        // Bindings, evaluated where they are used.
        (#"["let", "p", ["get", "population"], ["+", ["var", "p"], ["var", "p"]]]"#, .number(2000)),
        (#"["let", "x", 1, ["let", "x", 2, ["var", "x"]]]"#, .number(2)),
        // An error that is never reached is no error.
        (#"["case", ["has", "name"], 1, ["error", "unreachable"]]"#, .number(1)),
        (#"["coalesce", ["get", "missing"], ["get", "population"], ["error", "unreachable"]]"#, .number(1000)),
    ]

    @Test(arguments: values)
    func operatorGivesMapLibresValue(_ json: String, _ expected: StyleValue) throws {
        #expect(try evaluate(json) == expected, "\(json)")
    }

    static let evaluationErrors: [(String, String)] = [
        (#"["number", ["get", "name"]]"#, "Expected value to be of type number, but found string instead."),
        (#"["string", ["get", "missing"], ["get", "population"]]"#, "Expected value to be of type string, but found number instead."),
        (#"["array", "number", ["get", "tags"]]"#, "Expected value to be of type array<number>, but found array<string, 2> instead."),
        (#"["to-number", ["get", "name"]]"#, #"Could not convert "Parukh" to number."#),
        (#"["at", 2, ["get", "tags"]]"#, "Array index out of bounds: 2 > 1."),
        (#"["at", -1, ["get", "tags"]]"#, "Array index out of bounds: -1 < 0."),
        (#"["at", 0.5, ["get", "tags"]]"#, "Array index must be an integer, but found 0.5 instead."),
        (#"["length", ["get", "population"]]"#, "Expected value to be of type string or array, but found number instead."),
        (#"["in", "a", ["get", "population"]]"#, "Expected second argument to be of type array or string, but found number instead."),
        (#"["index-of", ["get", "tags"], "abc"]"#, "Expected first argument to be of type boolean, string, number or null, but found array<string, 2> instead."),
        (#"["slice", ["get", "population"], 1]"#, "Expected first argument to be of type array or string, but found number instead."),
        (#"["<", ["get", "name"], ["get", "population"]]"#, #"Expected arguments for "<" to be (string, string) or (number, number), but found (string, number) instead."#),
        (#"["<", ["get", "name"], 5]"#, "Expected value to be of type number, but found string instead."),
        (#"["!", ["get", "name"]]"#, "Expected value to be of type boolean, but found string instead."),
        (#"["+", ["get", "population"], ["get", "name"]]"#, "Expected value to be of type number, but found string instead."),
        (#"["case", ["get", "name"], 1, 2]"#, "Expected value to be of type boolean, but found string instead."),
        (#"["error", ["concat", "no ", ["get", "name"]]]"#, "no Parukh"),
    ]

    @Test(arguments: evaluationErrors)
    func evaluationRaisesMapLibresError(_ json: String, _ message: String) throws {
        #expect(try evaluationError(json) == message, "\(json)")
    }

    static let loadErrors: [(String, String)] = [
        (#"["<", ["get", "a"], null]"#, #"["<"] cannot compare null"#),
        (#"["==", ["string", ["get", "a"]], null]"#, #"["=="] cannot compare a string with null"#),
        (#"[">", ["literal", [1]], ["get", "a"]]"#, #"[">"] cannot compare an array of 1 numbers"#),
        (#"["==", ["get", "a"], ["literal", {}]]"#, #"["=="] cannot compare an object"#),
        (#"["match", ["get", "a"], true, 1, 0]"#, #"["match"] labels must be numbers or strings, found a boolean"#),
        (#"["match", ["get", "a"], null, 1, 0]"#, #"["match"] labels must be numbers or strings, found null"#),
        (#"["match", ["get", "a"], 1.5, 1, 0]"#, #"["match"] number labels must be whole numbers, found 1.5"#),
        (#"["match", ["string", ["get", "a"]], 1, 1, 0]"#, #"["match"] compares a string input with a number labels"#),
        (#"["match", ["get", "a"], "x", 1, "y"]"#, #"expected a number, found a string"#),
        (#"["case", ["has", "a"], 1, "one"]"#, #"expected a number, found a string"#),
        (#"["number", "five"]"#, "Expected value to be of type number, but found string instead."),
        (#"["at", 3, ["literal", [1, 2]]]"#, "Array index out of bounds: 3 > 1."),
        (#"["var", "w"]"#, #"unknown variable "w": bind it in an enclosing ["let"] first"#),
        (#"["let", "w-1", 1, 2]"#, #"["let"] variable names are letters, digits and "_", found "w-1""#),
        (#"["length", 5]"#, #"["length"] expects a string or an array, found a number"#),
        (#"["in", "a"]"#, #"["in"] expects a value and an array or string, found 1 arguments"#),
        (#"["get", "a", {"a": 1}]"#, #"a bare object is not a value; write ["literal", {...}]"#),
        (#"["interpolate", ["linear"], ["get", "a"], 0, "a", 1, "b"]"#, #"["interpolate"] blends numbers, colours and arrays of numbers, not a string"#),
        (#"["interpolate", ["linear"], ["get", "a"], 0, ["array", "number", ["get", "b"]], 1, ["array", "number", ["get", "c"]]]"#,
         #"["interpolate"] blends numbers, colours and arrays of numbers, not an array of numbers"#),
        (#"["interpolate", ["cubic-bezier", 0, 1.5, 1, 1], ["get", "a"], 0, 0, 1, 1]"#,
         #"["interpolate"] ["cubic-bezier", x1, y1, x2, y2] expects four numbers from 0 to 1"#),
    ]

    @Test(arguments: loadErrors)
    func mistakesStopTheStyleLoading(_ json: String, _ message: String) throws {
        #expect(try loadProblem(json) == .invalid(message), "\(json)")
    }

    @Test func aStringPropertyTurnsAnyValueIntoText() throws {
        let coalesce = #"["coalesce", ["get", "a"], ["get", "b"]]"#
        #expect(try evaluate(coalesce, kind: .string, FeatureContext(zoom: 0, properties: ["b": .number(5)])) == .string("5"))
        #expect(try evaluate(coalesce, kind: .string, FeatureContext(zoom: 0)) == .string(""))
        #expect(try evaluate(#"["get", "flag"]"#, kind: .string) == .string("true"))
        // A number where a string is wanted is still a mistake when it is written in the style.
        #expect(try loadProblem(#"["coalesce", ["get", "a"], 5]"#, kind: .string) == .invalid("expected a string, found a number"))
    }

    @Test func cubicBezierEasesBetweenStops() throws {
        let json = #"["interpolate", ["cubic-bezier", 0.42, 0, 0.58, 1], ["get", "population"], 0, 0, 2000, 100]"#
        let value = try evaluate(json)
        #expect(value == .number(50))
        let early = try evaluate(json, FeatureContext(zoom: 0, properties: ["population": .number(200)]))
        guard case .number(let n) = early else { Issue.record("not a number: \(early)"); return }
        #expect(abs(n - 1.97224) < 1e-3)
    }
}
