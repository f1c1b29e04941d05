import Foundation
import Testing
@testable import FrontlineRender
import FrontlineGeometry

@Suite struct StyleInterpolationTests {
    private func value(_ json: String, zoom: Double, kind: ValueKind = .any,
                       properties: [String: JSONValue] = [:]) throws -> StyleValue {
        try evaluate(json, kind: kind, FeatureContext(zoom: zoom, properties: properties))
    }

    private func number(_ json: String, zoom: Double) throws -> Double? {
        guard case .number(let n) = try value(json, zoom: zoom) else { return nil }
        return n
    }

    @Test func linearIsExactAtStopsBetweenThemAndClampedOutside() throws {
        let curve = #"["interpolate", ["linear"], ["zoom"], 6, 1, 10, 3, 14, 11]"#
        #expect(try number(curve, zoom: 2) == 1)
        #expect(try number(curve, zoom: 6) == 1)
        #expect(try number(curve, zoom: 8) == 2)
        #expect(try number(curve, zoom: 10) == 3)
        #expect(try number(curve, zoom: 13) == 9)
        #expect(try number(curve, zoom: 14) == 11)
        #expect(try number(curve, zoom: 20) == 11)
    }

    @Test func exponentialBaseTwoFollowsTheMapLibreCurve() throws {
        // From 0 at z0 to 15 at z4 with base 2, MapLibre's curve is exactly 2^z - 1.
        let curve = #"["interpolate", ["exponential", 2], ["zoom"], 0, 0, 4, 15]"#
        for z in [0.0, 1, 2, 2.5, 3, 4] {
            let n = try #require(try number(curve, zoom: z))
            #expect(abs(n - (pow(2, z) - 1)) < 1e-9, "z \(z): \(n)")
        }
        #expect(abs(Expression.factor(.exponential(base: 2), 11, 10, 12) - 1.0 / 3) < 1e-12)
        #expect(Expression.factor(.exponential(base: 1), 11, 10, 12) == 0.5)
    }

    @Test func coloursInterpolateInRGBAndAlpha() throws {
        let grey = try value(##"["interpolate", ["linear"], ["zoom"], 0, "#000000", 10, "#ffffff"]"##, zoom: 5, kind: .color)
        #expect(grey == .color(Color(red: 0.5, green: 0.5, blue: 0.5)))
        let fading = try value(#"["interpolate", ["linear"], ["zoom"], 0, "rgba(255, 0, 0, 0)", 10, "red"]"#, zoom: 2.5, kind: .color)
        #expect(fading == .color(Color(red: 1, green: 0, blue: 0, alpha: 0.25)))
    }

    @Test func numberArraysInterpolateElementWise() throws {
        let offset = try value(#"["interpolate", ["linear"], ["zoom"], 0, ["literal", [0, 0]], 10, ["literal", [2, 4]]]"#,
                               zoom: 5, kind: .numberArray(count: 2))
        #expect(offset == .array([.number(1), .number(2)]))
    }

    @Test func featurePropertiesCanDriveACurve() throws {
        let json = #"["interpolate", ["linear"], ["get", "population"], 0, 2, 1000, 6]"#
        #expect(try value(json, zoom: 0, properties: ["population": .number(500)]) == .number(4))
        // Not a number: an evaluation error, so the property falls back to its default.
        #expect(throws: ExpressionError.self) { try value(json, zoom: 0, properties: ["population": .string("many")]) }
        #expect(throws: ExpressionError.self) { try value(json, zoom: 0) }
    }

    @Test func stepPicksTheOutputOfTheLastStopReached() throws {
        let json = #"["step", ["zoom"], "small", 8, "medium", 12, "large"]"#
        #expect(try value(json, zoom: 7.99) == .string("small"))
        #expect(try value(json, zoom: 8) == .string("medium"))
        #expect(try value(json, zoom: 11.9) == .string("medium"))
        #expect(try value(json, zoom: 12) == .string("large"))
    }

    @Test func stopsMustAscend() throws {
        #expect(throws: ExpressionParser.Problem.invalid("[\"interpolate\"] stop inputs must be in strictly ascending order (5 after 10)")) {
            _ = try ExpressionParser.parseProperty(
                try JSONParser.parse(#"["interpolate", ["linear"], ["zoom"], 10, 1, 5, 2]"#), kind: .number())
        }
        #expect(throws: ExpressionParser.Problem.self) {
            _ = try ExpressionParser.parseProperty(
                try JSONParser.parse(#"["interpolate", ["linear"], ["zoom"], 5, "a", 10, "b"]"#), kind: .string)
        }
    }
}
