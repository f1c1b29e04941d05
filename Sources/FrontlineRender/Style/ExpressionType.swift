/// The type of a style expression's result, known when the style loads (MapLibre's type system,
/// without `formatted`, `collator`, `image` and friends).
indirect enum ExpressionType: Sendable, Equatable {
    case null, number, string, boolean, color, object, value
    /// An array of `item`s, of `count` elements when known.
    case array(ExpressionType, count: Int?)
    /// The type of `["error", …]`: it fits wherever a value is expected.
    case error

    /// The type MapLibre writes: `number`, `array<string, 2>`, …
    var description: String {
        switch self {
        case .null: return "null"
        case .number: return "number"
        case .string: return "string"
        case .boolean: return "boolean"
        case .color: return "color"
        case .object: return "object"
        case .value: return "value"
        case .error: return "error"
        case .array(let item, let count?): return "array<\(item.description), \(count)>"
        case .array(let item, nil): return item == .value ? "array" : "array<\(item.description)>"
        }
    }

    /// The type in a sentence: "a number", "an array of 2 numbers", …
    var phrase: String {
        switch self {
        case .null: return "null"
        case .number: return "a number"
        case .string: return "a string"
        case .boolean: return "a boolean"
        case .color: return "a colour"
        case .object: return "an object"
        case .value: return "a value"
        case .error: return "an error"
        case .array(let item, let count):
            let items: String
            switch item {
            case .number: items = "numbers"
            case .string: items = "strings"
            case .boolean: items = "booleans"
            default: items = count == nil ? "" : "values"
            }
            if items.isEmpty { return "an array" }
            return count.map { "an array of \($0) \(items)" } ?? "an array of \(items)"
        }
    }

    /// True when a result of type `actual` can be used where this type is expected.
    func accepts(_ actual: ExpressionType) -> Bool {
        if self == actual || actual == .error { return true }
        switch (self, actual) {
        case (.value, _): return true
        case (.array(let item, let count), .array(let actualItem, let actualCount)):
            return item.accepts(actualItem) && (count == nil || count == actualCount)
        default: return false
        }
    }

    /// The type of a value met while evaluating (`typeof`).
    init(of value: StyleValue) {
        switch value {
        case .null: self = .null
        case .bool: self = .boolean
        case .number: self = .number
        case .string: self = .string
        case .color: self = .color
        case .object: self = .object
        case .array(let elements):
            var item: ExpressionType?
            for element in elements {
                let type = ExpressionType(of: element)
                if item == nil { item = type } else if item != type { item = .value; break }
            }
            self = .array(item ?? .value, count: elements.count)
        }
    }
}
