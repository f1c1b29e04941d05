import Foundation

/// A style expression parsed once at load into a tree, then evaluated per feature without
/// re-parsing. Evaluation never throws: wrong types give `null`, and the property falls back
/// to its default, as in MapLibre.
indirect enum Expression: Sendable {
    /// How `interpolate` moves between two stops.
    enum Interpolation: Sendable, Equatable {
        case linear
        case exponential(base: Double)
    }

    /// The comparison operators.
    enum Comparison: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    /// A `match` label: labels are numbers or strings.
    enum MatchKey: Hashable, Sendable {
        case number(Double)
        case string(String)
    }

    case literal(StyleValue)
    case get(String)
    case has(String)
    case zoom
    case geometryType
    case featureID
    case compare(Comparison, Expression, Expression)
    case not(Expression)
    case all([Expression])
    case any([Expression])
    case contains(needle: Expression, haystack: Expression)
    case match(input: Expression, branches: [MatchKey: Int], outputs: [Expression], fallback: Expression)
    case conditional(conditions: [Expression], outputs: [Expression], fallback: Expression)
    case coalesce([Expression])
    case toString(Expression)
    case toNumber([Expression])
    case concat([Expression])
    case interpolate(Interpolation, input: Expression, stops: [Double], outputs: [Expression])
    case step(input: Expression, first: Expression, stops: [Double], outputs: [Expression])

    /// The value for one feature at one zoom.
    func evaluate(_ feature: FeatureContext) -> StyleValue {
        switch self {
        case .literal(let value):
            return value
        case .get(let key):
            return feature.properties[key].map(StyleValue.init) ?? .null
        case .has(let key):
            return .bool(feature.properties[key] != nil)
        case .zoom:
            return .number(feature.zoom)
        case .geometryType:
            return .string(feature.geometryType)
        case .featureID:
            return feature.id.map(StyleValue.init) ?? .null
        case .compare(let comparison, let a, let b):
            return Expression.compare(comparison, a.evaluate(feature), b.evaluate(feature))
        case .not(let operand):
            guard case .bool(let b) = operand.evaluate(feature) else { return .null }
            return .bool(!b)
        case .all(let operands):
            for operand in operands {
                switch operand.evaluate(feature) {
                case .bool(true): continue
                case .bool(false): return .bool(false)
                default: return .null
                }
            }
            return .bool(true)
        case .any(let operands):
            for operand in operands {
                switch operand.evaluate(feature) {
                case .bool(false): continue
                case .bool(true): return .bool(true)
                default: return .null
                }
            }
            return .bool(false)
        case .contains(let needleExpression, let haystackExpression):
            let needle = needleExpression.evaluate(feature)
            switch haystackExpression.evaluate(feature) {
            case .string(let haystack):
                switch needle {
                case .string, .number, .bool: return .bool(haystack.contains(needle.text))
                default: return .null
                }
            case .array(let elements): return .bool(elements.contains(needle))
            case .null: return .bool(false)
            default: return .null
            }
        case .match(let input, let branches, let outputs, let fallback):
            let key: MatchKey
            switch input.evaluate(feature) {
            case .number(let n): key = .number(n)
            case .string(let s): key = .string(s)
            default: return fallback.evaluate(feature)
            }
            guard let branch = branches[key] else { return fallback.evaluate(feature) }
            return outputs[branch].evaluate(feature)
        case .conditional(let conditions, let outputs, let fallback):
            for (condition, output) in zip(conditions, outputs) where condition.evaluate(feature) == .bool(true) {
                return output.evaluate(feature)
            }
            return fallback.evaluate(feature)
        case .coalesce(let operands):
            for operand in operands {
                let value = operand.evaluate(feature)
                if value != .null { return value }
            }
            return .null
        case .toString(let operand):
            return .string(operand.evaluate(feature).text)
        case .toNumber(let operands):
            for operand in operands {
                switch operand.evaluate(feature) {
                case .number(let n): return .number(n)
                case .null: return .number(0)
                case .bool(let b): return .number(b ? 1 : 0)
                case .string(let s):
                    if let n = Double(s.trimmingCharacters(in: .whitespaces)) { return .number(n) }
                default: continue
                }
            }
            return .null
        case .concat(let operands):
            return .string(operands.map { $0.evaluate(feature).text }.joined())
        case .interpolate(let interpolation, let input, let stops, let outputs):
            guard case .number(let x) = input.evaluate(feature), !x.isNaN else { return .null }
            if x <= stops[0] { return outputs[0].evaluate(feature) }
            let last = stops.count - 1
            if x >= stops[last] { return outputs[last].evaluate(feature) }
            let upper = stops.firstIndex { $0 > x } ?? last
            let t = Expression.factor(interpolation, x, stops[upper - 1], stops[upper])
            return Expression.blend(outputs[upper - 1].evaluate(feature), outputs[upper].evaluate(feature), t)
        case .step(let input, let first, let stops, let outputs):
            guard case .number(let x) = input.evaluate(feature), !x.isNaN else { return .null }
            guard let index = stops.lastIndex(where: { $0 <= x }) else { return first.evaluate(feature) }
            return outputs[index].evaluate(feature)
        }
    }

    /// `==` and `!=` compare any values (different types are unequal); the orderings compare two
    /// numbers or two strings and give `null` (false in a filter) otherwise.
    private static func compare(_ comparison: Comparison, _ a: StyleValue, _ b: StyleValue) -> StyleValue {
        switch comparison {
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        default: break
        }
        let order: Bool?
        switch (a, b) {
        case (.number(let x), .number(let y)):
            switch comparison {
            case .less: order = x < y
            case .lessOrEqual: order = x <= y
            case .greater: order = x > y
            default: order = x >= y
            }
        case (.string(let x), .string(let y)):
            // Code-unit order, as JavaScript compares strings.
            let (u, v) = (Array(x.utf16), Array(y.utf16))
            switch comparison {
            case .less: order = u.lexicographicallyPrecedes(v)
            case .lessOrEqual: order = !v.lexicographicallyPrecedes(u)
            case .greater: order = v.lexicographicallyPrecedes(u)
            default: order = !u.lexicographicallyPrecedes(v)
            }
        default: order = nil
        }
        return order.map(StyleValue.bool) ?? .null
    }

    /// How far `x` is from `lower` to `upper`, 0…1: linear, or MapLibre's exponential curve
    /// `(base^(x-lower) - 1) / (base^(upper-lower) - 1)`.
    static func factor(_ interpolation: Interpolation, _ x: Double, _ lower: Double, _ upper: Double) -> Double {
        let span = upper - lower
        guard span > 0 else { return 0 }
        switch interpolation {
        case .exponential(let base) where base != 1:
            return (pow(base, x - lower) - 1) / (pow(base, span) - 1)
        default:
            return (x - lower) / span
        }
    }

    /// The value a fraction `t` of the way from `a` to `b`: numbers, colours (straight RGBA) and
    /// arrays of numbers of equal length; `null` for anything else.
    static func blend(_ a: StyleValue, _ b: StyleValue, _ t: Double) -> StyleValue {
        func mix(_ x: Double, _ y: Double) -> Double { x + (y - x) * t }
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(mix(x, y))
        case (.color(let x), .color(let y)):
            return .color(Color(red: mix(x.red, y.red), green: mix(x.green, y.green), blue: mix(x.blue, y.blue),
                                alpha: mix(x.alpha, y.alpha)))
        case (.array(let xs), .array(let ys)) where xs.count == ys.count:
            var result: [StyleValue] = []
            result.reserveCapacity(xs.count)
            for (x, y) in zip(xs, ys) {
                guard case .number(let u) = x, case .number(let v) = y else { return .null }
                result.append(.number(mix(u, v)))
            }
            return .array(result)
        default:
            return .null
        }
    }

    /// True when the value can change with the zoom.
    var dependsOnZoom: Bool {
        switch self {
        case .zoom: return true
        default: return children.contains { $0.dependsOnZoom }
        }
    }

    /// True when the value can change from one feature to another.
    var dependsOnFeature: Bool {
        switch self {
        case .get, .has, .geometryType, .featureID: return true
        default: return children.contains { $0.dependsOnFeature }
        }
    }

    /// The direct sub-expressions.
    private var children: [Expression] {
        switch self {
        case .literal, .get, .has, .zoom, .geometryType, .featureID: return []
        case .compare(_, let a, let b): return [a, b]
        case .not(let a), .toString(let a): return [a]
        case .all(let xs), .any(let xs), .coalesce(let xs), .toNumber(let xs), .concat(let xs): return xs
        case .contains(let a, let b): return [a, b]
        case .match(let input, _, let outputs, let fallback): return [input] + outputs + [fallback]
        case .conditional(let conditions, let outputs, let fallback): return conditions + outputs + [fallback]
        case .interpolate(_, let input, _, let outputs): return [input] + outputs
        case .step(let input, let first, _, let outputs): return [input, first] + outputs
        }
    }
}
