import Foundation
import FrontlineGeometry

/// Why an expression could not be evaluated for a feature (MapLibre's runtime errors, such as a
/// failed `["number", …]` assertion); the property then falls back to its default.
struct ExpressionError: Error, Equatable {
    var message: String
}

/// A style expression parsed once at load into a tree, then evaluated per feature without
/// re-parsing. Evaluation throws ``ExpressionError`` where MapLibre raises an evaluation error.
indirect enum Expression: Sendable {
    /// How `interpolate` moves between two stops.
    enum Interpolation: Sendable, Equatable {
        case linear
        case exponential(base: Double)
        case cubicBezier(x1: Double, y1: Double, x2: Double, y2: Double)
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

    /// The arithmetic operators over numbers.
    enum Arithmetic: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%", power = "^", min, max
        case round, floor, ceil, abs
    }

    case literal(StyleValue)
    case get(String, from: Expression?)
    case has(String, in: Expression?)
    case zoom
    case geometryType
    case featureID
    case compare(Comparison, Expression, Expression)
    case not(Expression)
    case all([Expression])
    case any([Expression])
    case contains(needle: Expression, haystack: Expression)
    case indexOf(needle: Expression, haystack: Expression, from: Expression?)
    case slice(Expression, start: Expression, end: Expression?)
    case length(Expression)
    case at(index: Expression, array: Expression)
    case match(input: Expression, branches: [MatchKey: Int], outputs: [Expression], fallback: Expression)
    case conditional(conditions: [Expression], outputs: [Expression], fallback: Expression)
    case coalesce([Expression])
    /// `number`, `string`, `boolean`, `object`, `array`: the first operand of the type, or an error.
    case assert(ExpressionType, [Expression])
    case toBoolean(Expression)
    case toString(Expression)
    case toNumber([Expression])
    case toColor([Expression])
    case typeOf(Expression)
    case concat([Expression])
    case changeCase(upper: Bool, Expression)
    case arithmetic(Arithmetic, [Expression])
    case error(Expression)
    case interpolate(Interpolation, input: Expression, stops: [Double], outputs: [Expression])
    case step(input: Expression, first: Expression, stops: [Double], outputs: [Expression])

    /// The value for one feature at one zoom, or the evaluation error MapLibre would raise.
    func evaluate(_ feature: FeatureContext) throws(ExpressionError) -> StyleValue {
        switch self {
        case .literal(let value):
            return value
        case .get(let key, let object):
            guard let object else { return feature.properties[key].map(StyleValue.init) ?? .null }
            guard case .object(let members) = try object.evaluate(feature) else { return .null }
            return members[key].map(StyleValue.init) ?? .null
        case .has(let key, let object):
            guard let object else { return .bool(feature.properties[key] != nil) }
            guard case .object(let members) = try object.evaluate(feature) else { return .bool(false) }
            return .bool(members[key] != nil)
        case .zoom:
            return .number(feature.zoom)
        case .geometryType:
            return .string(feature.geometryType)
        case .featureID:
            return feature.id.map(StyleValue.init) ?? .null
        case .compare(let comparison, let a, let b):
            return try Expression.compare(comparison, a.evaluate(feature), b.evaluate(feature))
        case .not(let operand):
            return .bool(try operand.evaluate(feature) != .bool(true))
        case .all(let operands):
            for operand in operands where try operand.evaluate(feature) != .bool(true) { return .bool(false) }
            return .bool(true)
        case .any(let operands):
            for operand in operands where try operand.evaluate(feature) == .bool(true) { return .bool(true) }
            return .bool(false)
        case .contains(let needle, let haystack):
            return try Expression.contains(needle.evaluate(feature), haystack.evaluate(feature))
        case .indexOf(let needle, let haystack, let from):
            var start: Double?
            if let from { start = try Expression.number(from.evaluate(feature)) }
            return try Expression.indexOf(needle.evaluate(feature), haystack.evaluate(feature), from: start)
        case .slice(let input, let start, let end):
            var stop: Double?
            if let end { stop = try Expression.number(end.evaluate(feature)) }
            return try Expression.slice(input.evaluate(feature), try Expression.number(start.evaluate(feature)), stop)
        case .length(let operand):
            switch try operand.evaluate(feature) {
            case .string(let s): return .number(Double(s.unicodeScalars.count))
            case .array(let elements): return .number(Double(elements.count))
            case let other:
                throw ExpressionError(message: "Expected value to be of type string or array, but found \(ExpressionType(of: other).description) instead.")
            }
        case .at(let index, let array):
            return try Expression.element(try Expression.number(index.evaluate(feature)), of: array.evaluate(feature))
        case .match(let input, let branches, let outputs, let fallback):
            let key: MatchKey
            switch try input.evaluate(feature) {
            case .number(let n): key = .number(n)
            case .string(let s): key = .string(s)
            default: return try fallback.evaluate(feature)
            }
            guard let branch = branches[key] else { return try fallback.evaluate(feature) }
            return try outputs[branch].evaluate(feature)
        case .conditional(let conditions, let outputs, let fallback):
            for (condition, output) in zip(conditions, outputs) where try condition.evaluate(feature) == .bool(true) {
                return try output.evaluate(feature)
            }
            return try fallback.evaluate(feature)
        case .coalesce(let operands):
            for operand in operands {
                let value = try operand.evaluate(feature)
                if value != .null { return value }
            }
            return .null
        case .assert(let type, let operands):
            var last = StyleValue.null
            for operand in operands {
                last = try operand.evaluate(feature)
                if type.accepts(ExpressionType(of: last)) { return last }
            }
            throw ExpressionError(message: "Expected value to be of type \(type.description), but found \(ExpressionType(of: last).description) instead.")
        case .toBoolean(let operand):
            switch try operand.evaluate(feature) {
            case .null: return .bool(false)
            case .bool(let b): return .bool(b)
            case .number(let n): return .bool(n != 0 && !n.isNaN)
            case .string(let s): return .bool(!s.isEmpty)
            default: return .bool(true)
            }
        case .toString(let operand):
            return .string(try operand.evaluate(feature).text)
        case .toNumber(let operands):
            var last = StyleValue.null
            for operand in operands {
                last = try operand.evaluate(feature)
                switch last {
                case .null: return .number(0)
                case .number(let n): return .number(n)
                case .bool(let b): return .number(b ? 1 : 0)
                case .string(let s):
                    let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
                    if trimmed.isEmpty { return .number(0) }
                    if let n = Double(trimmed), !n.isNaN { return .number(n) }
                default: continue
                }
            }
            throw ExpressionError(message: "Could not convert \(last.jsonText) to number.")
        case .toColor(let operands):
            var last = StyleValue.null
            for operand in operands {
                last = try operand.evaluate(feature)
                if case .color = last { return last }
                if case .string(let s) = last, let color = Color(css: s) { return .color(color) }
            }
            throw ExpressionError(message: "Could not parse color from value \(last.jsonText)")
        case .typeOf(let operand):
            return .string(ExpressionType(of: try operand.evaluate(feature)).description)
        case .concat(let operands):
            var text = ""
            for operand in operands { text += try operand.evaluate(feature).text }
            return .string(text)
        case .changeCase(let upper, let operand):
            let text = try operand.evaluate(feature).text
            return .string(upper ? text.uppercased() : text.lowercased())
        case .arithmetic(let op, let operands):
            var numbers: [Double] = []
            numbers.reserveCapacity(operands.count)
            for operand in operands { numbers.append(try Expression.number(operand.evaluate(feature))) }
            return .number(Expression.arithmetic(op, numbers))
        case .error(let message):
            throw ExpressionError(message: try message.evaluate(feature).text)
        case .interpolate(let interpolation, let input, let stops, let outputs):
            let x = try Expression.number(input.evaluate(feature))
            if x.isNaN || x <= stops[0] { return try outputs[0].evaluate(feature) }
            let last = stops.count - 1
            if x >= stops[last] { return try outputs[last].evaluate(feature) }
            let upper = stops.firstIndex { $0 > x } ?? last
            let t = Expression.factor(interpolation, x, stops[upper - 1], stops[upper])
            return Expression.blend(try outputs[upper - 1].evaluate(feature), try outputs[upper].evaluate(feature), t)
        case .step(let input, let first, let stops, let outputs):
            let x = try Expression.number(input.evaluate(feature))
            guard let index = stops.lastIndex(where: { $0 <= x }) else { return try first.evaluate(feature) }
            return try outputs[index].evaluate(feature)
        }
    }

    /// The number in `value`; the parser puts an assertion before every operand that may not be one.
    private static func number(_ value: StyleValue) throws(ExpressionError) -> Double {
        guard case .number(let n) = value else {
            throw ExpressionError(message: "Expected value to be of type number, but found \(ExpressionType(of: value).description) instead.")
        }
        return n
    }

    private static func arithmetic(_ op: Arithmetic, _ xs: [Double]) -> Double {
        switch op {
        case .add: return xs.reduce(0, +)
        case .multiply: return xs.reduce(1, *)
        case .subtract: return xs.count == 1 ? -xs[0] : xs[0] - xs[1]
        case .divide: return xs[0] / xs[1]
        case .remainder: return fmod(xs[0], xs[1])
        case .power: return pow(xs[0], xs[1])
        case .min: return xs.min() ?? .infinity
        case .max: return xs.max() ?? -.infinity
        // MapLibre rounds halves away from zero.
        case .round: return xs[0].rounded(.toNearestOrAwayFromZero)
        case .floor: return xs[0].rounded(.down)
        case .ceil: return xs[0].rounded(.up)
        case .abs: return Swift.abs(xs[0])
        }
    }

    /// `==` and `!=` compare any values (different types are unequal); the orderings compare two
    /// numbers or two strings and raise an error otherwise.
    private static func compare(_ comparison: Comparison, _ a: StyleValue, _ b: StyleValue) throws(ExpressionError) -> StyleValue {
        switch comparison {
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        default: break
        }
        let ordered: Bool
        switch (a, b) {
        case (.number(let x), .number(let y)):
            switch comparison {
            case .less: ordered = x < y
            case .lessOrEqual: ordered = x <= y
            case .greater: ordered = x > y
            default: ordered = x >= y
            }
        case (.string(let x), .string(let y)):
            // Code-unit order, as JavaScript compares strings.
            let (u, v) = (Array(x.utf16), Array(y.utf16))
            switch comparison {
            case .less: ordered = u.lexicographicallyPrecedes(v)
            case .lessOrEqual: ordered = !v.lexicographicallyPrecedes(u)
            case .greater: ordered = v.lexicographicallyPrecedes(u)
            default: ordered = !u.lexicographicallyPrecedes(v)
            }
        default:
            throw ExpressionError(message: "Expected arguments for \"\(comparison.rawValue)\" to be (string, string) or (number, number), "
                                  + "but found (\(ExpressionType(of: a).description), \(ExpressionType(of: b).description)) instead.")
        }
        return .bool(ordered)
    }

    /// A needle may be a boolean, string, number or null.
    private static func checkNeedle(_ needle: StyleValue) throws(ExpressionError) {
        switch needle {
        case .null, .bool, .number, .string: return
        default:
            throw ExpressionError(message: "Expected first argument to be of type boolean, string, number or null, but found \(ExpressionType(of: needle).description) instead.")
        }
    }

    private static func haystackError(_ haystack: StyleValue) -> ExpressionError {
        ExpressionError(message: "Expected second argument to be of type array or string, but found \(ExpressionType(of: haystack).description) instead.")
    }

    /// The needle as JavaScript's `String()` writes it, for searching in a string.
    private static func searchText(_ needle: StyleValue) -> String {
        needle == .null ? "null" : needle.text
    }

    /// `in`: true when the string contains the needle's text, or the array the needle; false for a
    /// null or empty haystack, as in MapLibre.
    private static func contains(_ needle: StyleValue, _ haystack: StyleValue) throws(ExpressionError) -> StyleValue {
        try checkNeedle(needle)
        switch haystack {
        case .null: return .bool(false)
        case .string(let s): return .bool(!s.isEmpty && indexOf(searchText(needle), in: s, from: 0) != nil)
        case .array(let elements): return .bool(elements.contains(needle))
        default: throw haystackError(haystack)
        }
    }

    /// A start position from a style's number, kept within ±`count` before it becomes an `Int`
    /// (a huge, infinite or NaN number would trap the conversion).
    private static func clampedIndex(_ value: Double?, _ count: Int) -> Int {
        guard let value, !value.isNaN else { return 0 }
        return Int(Swift.min(Double(count), Swift.max(-Double(count), value.rounded(.towardZero))))
    }

    /// `index-of`: the position (in code points for strings) of the needle, or -1.
    private static func indexOf(_ needle: StyleValue, _ haystack: StyleValue, from: Double?) throws(ExpressionError) -> StyleValue {
        try checkNeedle(needle)
        switch haystack {
        case .string(let s):
            let count = s.unicodeScalars.count
            let start = Swift.min(count, Swift.max(0, clampedIndex(from, count)))
            return .number(Double(indexOf(searchText(needle), in: s, from: start) ?? -1))
        case .array(let elements):
            var start = clampedIndex(from, elements.count)
            if start < 0 { start = Swift.max(0, elements.count + start) }
            guard start < elements.count else { return .number(-1) }
            return .number(Double(elements[start...].firstIndex(of: needle) ?? -1))
        default:
            throw haystackError(haystack)
        }
    }

    /// The code-point offset of `needle` in `haystack` at or after `start`.
    private static func indexOf(_ needle: String, in haystack: String, from start: Int) -> Int? {
        let h = Array(haystack.unicodeScalars), n = Array(needle.unicodeScalars)
        guard start <= h.count - n.count else { return nil }
        for i in start...(h.count - n.count) where h[i..<(i + n.count)].elementsEqual(n) { return i }
        return nil
    }

    /// `slice` with JavaScript's meaning of negative and out-of-range indices.
    private static func slice(_ input: StyleValue, _ start: Double, _ end: Double?) throws(ExpressionError) -> StyleValue {
        func bounds(_ count: Int) -> Range<Int> {
            func clamp(_ i: Double) -> Int {
                let k = i < 0 ? Double(count) + i.rounded(.towardZero) : i.rounded(.towardZero)
                return Int(Swift.min(Double(count), Swift.max(0, k)))
            }
            let lower = clamp(start), upper = end.map(clamp) ?? count
            return lower..<Swift.max(lower, upper)
        }
        switch input {
        case .string(let s):
            let scalars = Array(s.unicodeScalars)
            var result = String.UnicodeScalarView()
            result.append(contentsOf: scalars[bounds(scalars.count)])
            return .string(String(result))
        case .array(let elements):
            return .array(Array(elements[bounds(elements.count)]))
        default:
            throw ExpressionError(message: "Expected first argument to be of type array or string, but found \(ExpressionType(of: input).description) instead.")
        }
    }

    /// `at`: the element at a whole-number index within the array.
    private static func element(_ index: Double, of array: StyleValue) throws(ExpressionError) -> StyleValue {
        guard case .array(let elements) = array else {
            throw ExpressionError(message: "Expected value to be of type array, but found \(ExpressionType(of: array).description) instead.")
        }
        if index < 0 { throw ExpressionError(message: "Array index out of bounds: \(StyleValue.format(index)) < 0.") }
        if index >= Double(elements.count) {
            throw ExpressionError(message: "Array index out of bounds: \(StyleValue.format(index)) > \(elements.count - 1).")
        }
        guard index == index.rounded() else {
            throw ExpressionError(message: "Array index must be an integer, but found \(StyleValue.format(index)) instead.")
        }
        return elements[Int(index)]
    }

    /// How far `x` is from `lower` to `upper`, 0…1: linear, MapLibre's exponential curve
    /// `(base^(x-lower) - 1) / (base^(upper-lower) - 1)`, or a CSS cubic Bézier easing.
    static func factor(_ interpolation: Interpolation, _ x: Double, _ lower: Double, _ upper: Double) -> Double {
        let span = upper - lower
        guard span > 0 else { return 0 }
        let t = (x - lower) / span
        switch interpolation {
        case .exponential(let base) where base != 1:
            return (pow(base, x - lower) - 1) / (pow(base, span) - 1)
        case .cubicBezier(let x1, let y1, let x2, let y2):
            return cubicBezier(t, x1, y1, x2, y2)
        default:
            return t
        }
    }

    /// The easing curve through (0,0), (x1,y1), (x2,y2), (1,1) at `x`: solve for the curve
    /// parameter by bisection, then read off y.
    private static func cubicBezier(_ x: Double, _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> Double {
        func curve(_ s: Double, _ p1: Double, _ p2: Double) -> Double {
            let u = 1 - s
            return 3 * u * u * s * p1 + 3 * u * s * s * p2 + s * s * s
        }
        var lo = 0.0, hi = 1.0, s = x
        for _ in 0..<60 {
            s = (lo + hi) / 2
            if curve(s, x1, x2) < x { lo = s } else { hi = s }
        }
        return curve(s, y1, y2)
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
        case .get(_, nil), .has(_, nil), .geometryType, .featureID: return true
        default: return children.contains { $0.dependsOnFeature }
        }
    }

    /// True when evaluating may raise `["error"]`, which MapLibre never folds into a constant.
    var containsError: Bool {
        if case .error = self { return true }
        return children.contains { $0.containsError }
    }

    /// The direct sub-expressions.
    var children: [Expression] {
        switch self {
        case .literal, .zoom, .geometryType, .featureID: return []
        case .get(_, let object), .has(_, let object): return object.map { [$0] } ?? []
        case .compare(_, let a, let b), .contains(let a, let b), .at(let a, let b): return [a, b]
        case .not(let a), .toString(let a), .toBoolean(let a), .typeOf(let a), .length(let a), .changeCase(_, let a), .error(let a):
            return [a]
        case .all(let xs), .any(let xs), .coalesce(let xs), .toNumber(let xs), .toColor(let xs), .concat(let xs),
             .assert(_, let xs), .arithmetic(_, let xs):
            return xs
        case .indexOf(let a, let b, let c): return [a, b] + (c.map { [$0] } ?? [])
        case .slice(let a, let b, let c): return [a, b] + (c.map { [$0] } ?? [])
        case .match(let input, _, let outputs, let fallback): return [input] + outputs + [fallback]
        case .conditional(let conditions, let outputs, let fallback): return conditions + outputs + [fallback]
        case .interpolate(_, let input, _, let outputs): return [input] + outputs
        case .step(let input, let first, _, let outputs): return [input, first] + outputs
        }
    }
}
