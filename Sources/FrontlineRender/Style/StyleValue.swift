import FrontlineGeometry

/// A value produced by evaluating a style expression: JSON's types plus colours, which styles
/// parse once at load. Evaluation never throws: a value of the wrong type becomes `null`.
enum StyleValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case color(Color)
    case array([StyleValue])
    case object([String: JSONValue])

    /// The style value of a JSON value (flat number arrays expanded).
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .object(let members): self = .object(members)
        case .array, .numbers: self = .array((json.arrayValue ?? []).map(StyleValue.init))
        }
    }

    /// The type's name, for messages ("a number", "a colour", …).
    var typeDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .color: return "a colour"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The text `to-string` gives, as MapLibre writes it: `null` is "", `3` is "3", a colour is `rgba(r,g,b,a)`.
    var text: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return StyleValue.format(n)
        case .string(let s): return s
        case .color(let c):
            let r = Int((c.red * 255).rounded()), g = Int((c.green * 255).rounded()), b = Int((c.blue * 255).rounded())
            return "rgba(\(r),\(g),\(b),\(StyleValue.format(c.alpha)))"
        case .array(let elements): return "[" + elements.map(\.jsonText).joined(separator: ",") + "]"
        case .object: return jsonText
        }
    }

    /// JSON text of the value, for arrays and objects turned to strings (and error messages).
    var jsonText: String {
        switch self {
        case .string(let s):
            var writer = JSONWriter()
            writer.string(s)
            return writer.text
        case .object(let members):
            var writer = JSONWriter()
            writer.value(.object(members))
            return writer.text
        default: return text
        }
    }

    /// A number the way JavaScript prints it: no `.0` on whole numbers.
    static func format(_ n: Double) -> String {
        if n.isNaN { return "NaN" }
        if n.isInfinite { return n > 0 ? "Infinity" : "-Infinity" }
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return "\(n)"
    }
}
