/// The kind of value a property (or a place in an expression) takes. Literals are checked
/// against it at load, so that a typo is an error naming the property, not a blank map.
enum ValueKind: Sendable, Equatable {
    case any
    case boolean
    case string
    /// Label text: any value, shown as `to-string` writes it.
    case text
    case color
    case number(minimum: Double? = nil, maximum: Double? = nil)
    case enumeration([String])
    case numberArray(count: Int?)
    case stringArray

    /// "a number", "one of butt, round, square", …
    var description: String {
        switch self {
        case .any: return "a value"
        case .boolean: return "a boolean"
        case .string: return "a string"
        case .text: return "text"
        case .color: return "a colour"
        case .number(let minimum, let maximum):
            switch (minimum, maximum) {
            case (let lo?, let hi?): return "a number from \(StyleValue.format(lo)) to \(StyleValue.format(hi))"
            case (let lo?, nil): return "a number of at least \(StyleValue.format(lo))"
            default: return "a number"
            }
        case .enumeration(let values): return "one of " + values.joined(separator: ", ")
        case .numberArray(let count?): return "an array of \(count) numbers"
        case .numberArray(nil): return "an array of numbers"
        case .stringArray: return "an array of strings"
        }
    }

    /// The literal checked against this kind (a colour string parsed into a colour), or why it does not fit.
    func literal(_ value: StyleValue) -> Result<StyleValue, ValueKindMismatch> {
        func mismatch() -> Result<StyleValue, ValueKindMismatch> {
            // Quote the value when its type is right but its content is not; name the type otherwise.
            let found: String
            switch (self, value) {
            case (.color, .string(let s)), (.enumeration, .string(let s)): found = "\"\(s)\""
            case (.number, .number(let n)): found = StyleValue.format(n)
            default: found = value.typeDescription
            }
            return .failure(ValueKindMismatch(message: "expected \(description), found \(found)"))
        }
        if value == .null { return .success(value) }
        switch self {
        case .any:
            return .success(value)
        case .text:
            if case .object = value { return mismatch() }
            return .success(value)
        case .boolean:
            if case .bool = value { return .success(value) }
        case .string:
            if case .string = value { return .success(value) }
        case .color:
            if case .color = value { return .success(value) }
            if case .string(let s) = value, let color = Color(css: s) { return .success(.color(color)) }
        case .number(let minimum, let maximum):
            if case .number(let n) = value, n.isFinite, n >= (minimum ?? -.infinity), n <= (maximum ?? .infinity) {
                return .success(value)
            }
        case .enumeration(let values):
            if case .string(let s) = value, values.contains(s) { return .success(value) }
        case .numberArray(let count):
            if case .array(let elements) = value, count == nil || elements.count == count,
               elements.allSatisfy({ if case .number(let n) = $0 { return n.isFinite } else { return false } }) {
                return .success(value)
            }
        case .stringArray:
            if case .array(let elements) = value, !elements.isEmpty,
               elements.allSatisfy({ if case .string = $0 { return true } else { return false } }) {
                return .success(value)
            }
        }
        return mismatch()
    }
}

/// Why a literal does not fit its ``ValueKind``.
struct ValueKindMismatch: Error {
    var message: String
}

extension ValueKind {
    /// The expression type this kind asks for; nil where any value will do (label text is turned
    /// into text whatever it is).
    var expressionType: ExpressionType? {
        switch self {
        case .any, .text: return nil
        case .boolean: return .boolean
        case .string, .enumeration: return .string
        case .color: return .color
        case .number: return .number
        case .numberArray(let count): return .array(.number, count: count)
        case .stringArray: return .array(.string, count: nil)
        }
    }
}
