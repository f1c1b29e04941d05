import FrontlineGeometry

/// Turns a property value or filter from style JSON into an ``Expression`` tree, checking
/// literals against the kind of value each place takes. Operators that MapLibre has but
/// Frontline does not evaluate are reported as ``Problem/unsupported(_:)`` (a warning: the
/// property is ignored); anything else wrong is ``Problem/invalid(_:)`` (an error).
struct ExpressionParser {
    /// Why a value could not be parsed.
    enum Problem: Error, Equatable {
        case invalid(String)
        case unsupported(String)
    }

    /// What an expression is known to return before it runs.
    enum ResultType: Equatable {
        case value, null, boolean, number, string, color, array, object

        init(_ literal: StyleValue) {
            switch literal {
            case .null: self = .null
            case .bool: self = .boolean
            case .number: self = .number
            case .string: self = .string
            case .color: self = .color
            case .array: self = .array
            case .object: self = .object
            }
        }

        var description: String {
            switch self {
            case .value: return "a value"
            case .null: return "null"
            case .boolean: return "a boolean"
            case .number: return "a number"
            case .string: return "a string"
            case .color: return "a colour"
            case .array: return "an array"
            case .object: return "an object"
            }
        }

        /// True when a result of this type can be used where `kind` is expected.
        func fits(_ kind: ValueKind) -> Bool {
            switch (self, kind) {
            case (.value, _), (.null, _), (_, .any): return true
            case (.object, .text): return false
            case (_, .text): return true
            case (.boolean, .boolean), (.string, .string), (.string, .enumeration), (.color, .color),
                 (.number, .number), (.array, .numberArray), (.array, .stringArray): return true
            default: return false
            }
        }
    }

    /// Warnings about valid but MapLibre-incompatible use (`zoom` outside a top-level curve).
    private(set) var warnings: [String] = []
    /// Filters may use `zoom` anywhere.
    private let isFilter: Bool

    private init(isFilter: Bool) { self.isFilter = isFilter }

    /// Every operator of the MapLibre style specification, so that an unsupported one is told
    /// apart from a typo.
    private static let mapLibreOperators: Set<String> = [
        "array", "boolean", "collator", "format", "image", "literal", "number", "number-format", "object", "string",
        "to-boolean", "to-color", "to-number", "to-string", "typeof", "accumulated", "feature-state", "geometry-type",
        "id", "line-progress", "properties", "at", "get", "has", "in", "index-of", "length", "slice", "!", "!=", "<",
        "<=", "==", ">", ">=", "all", "any", "case", "coalesce", "match", "within", "distance", "interpolate",
        "interpolate-hcl", "interpolate-lab", "step", "let", "var", "concat", "downcase", "upcase",
        "is-supported-script", "resolved-locale", "rgb", "rgba", "to-rgba", "-", "*", "/", "%", "^", "+", "abs",
        "acos", "asin", "atan", "ceil", "cos", "e", "floor", "ln", "ln2", "log10", "log2", "max", "min", "pi",
        "round", "sin", "sqrt", "tan", "zoom", "heatmap-density", "elevation", "global-state", "split", "join",
    ]

    /// Parses a paint or layout property's value; `zoom` warnings are returned with it.
    static func parseProperty(_ json: JSONValue, kind: ValueKind) throws(Problem) -> (Expression, warnings: [String]) {
        var parser = ExpressionParser(isFilter: false)
        let (expression, _) = try parser.parse(json, kind, topLevel: true, zoomAllowed: false)
        return (expression, parser.warnings)
    }

    /// Parses a layer's `filter` (a boolean expression; the legacy filter syntax is refused with a hint).
    static func parseFilter(_ json: JSONValue) throws(Problem) -> Expression {
        var parser = ExpressionParser(isFilter: true)
        guard json.arrayValue != nil else {
            if case .bool(let b) = json { return .literal(.bool(b)) }
            throw .invalid("expected a boolean expression, found \(json.typeDescription)")
        }
        try rejectLegacyFilter(json)
        return try parser.parse(json, .boolean, topLevel: true, zoomAllowed: true).0
    }

    /// Parses a `text-field` string: `{name}` tokens become `get`s, as MapLibre converts them.
    static func parseTokenString(_ text: String) -> Expression {
        var parts: [Expression] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(where: { $0 == "}" || $0 == "{" }), rest[close] == "}",
                  close > afterOpen else {
                literal += rest[...open]
                rest = rest[afterOpen...]
                continue
            }
            literal += rest[..<open]
            if !literal.isEmpty { parts.append(.literal(.string(literal))); literal = "" }
            parts.append(.toString(.get(String(rest[afterOpen..<close]))))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if parts.isEmpty { return .literal(.string(literal)) }
        if !literal.isEmpty { parts.append(.literal(.string(literal))) }
        return parts.count == 1 ? parts[0] : .concat(parts)
    }

    private static func rejectLegacyFilter(_ json: JSONValue) throws(Problem) {
        guard let elements = json.arrayValue, let op = elements.first?.stringValue else { return }
        let args = elements.dropFirst()
        let legacyOnly: Set<String> = ["!has", "!in", "none"]
        let comparisons: Set<String> = ["==", "!=", "<", "<=", ">", ">="]
        let isLegacy = legacyOnly.contains(op)
            || (comparisons.contains(op) && args.count == 2 && args.allSatisfy { $0.arrayValue == nil })
            || (op == "in" && args.count >= 2 && args[args.startIndex].stringValue != nil
                && args[args.startIndex + 1].arrayValue == nil)
            || ((op == "all" || op == "any") && args.contains { item in
                guard let sub = item.arrayValue else { return false }
                return (try? rejectLegacyFilter(.array(sub))) == nil
            })
        if isLegacy {
            throw .invalid("this is MapLibre's legacy filter syntax, which Frontline does not read; "
                + "write an expression such as [\"==\", [\"get\", \"class\"], \"road\"]")
        }
    }

    // MARK: - Parsing

    private mutating func parse(_ json: JSONValue, _ kind: ValueKind, topLevel: Bool,
                                zoomAllowed: Bool) throws(Problem) -> (Expression, ResultType) {
        guard let elements = json.arrayValue else {
            return try literal(StyleValue(json), kind)
        }
        let op = elements.first?.stringValue
        // As in MapLibre, a top-level array is a literal unless it starts with an operator's name.
        if topLevel {
            switch (kind, op) {
            case (.numberArray, nil), (.any, nil): return try literal(StyleValue(json), kind)
            case (.stringArray, let name?), (.any, let name?) where !Self.mapLibreOperators.contains(name):
                return try literal(StyleValue(json), kind)
            case (.stringArray, nil): return try literal(StyleValue(json), kind)
            default: break
            }
        }
        guard let op else {
            if elements.isEmpty { throw .invalid("expected \(kind.description), found an empty array") }
            if topLevel { throw .invalid("expected \(kind.description), found an array") }
            throw .invalid("an array inside an expression must be written [\"literal\", [...]]")
        }
        let args = Array(elements.dropFirst())
        let (expression, type) = try parseOperator(op, args, kind, topLevel: topLevel, zoomAllowed: zoomAllowed)
        guard type.fits(kind) else {
            throw .invalid("expected \(kind.description), but [\"\(op)\"] gives \(type.description)")
        }
        return (expression, type)
    }

    private func literal(_ value: StyleValue, _ kind: ValueKind) throws(Problem) -> (Expression, ResultType) {
        switch kind.literal(value) {
        case .success(let checked): return (.literal(checked), ResultType(checked))
        case .failure(let mismatch): throw .invalid(mismatch.message)
        }
    }

    private func requireCount(_ op: String, _ args: [JSONValue], _ counts: ClosedRange<Int>, _ shape: String) throws(Problem) {
        guard counts.contains(args.count) else { throw .invalid("[\"\(op)\"] expects \(shape), found \(args.count) arguments") }
    }

    private func propertyKey(_ op: String, _ args: [JSONValue]) throws(Problem) -> String {
        if args.count == 2 { throw .unsupported("[\"\(op)\"] with an object argument is not supported") }
        try requireCount(op, args, 1...1, "a property name")
        guard let key = args[0].stringValue else {
            if args[0].arrayValue != nil { throw .unsupported("[\"\(op)\"] with a computed property name is not supported") }
            throw .invalid("[\"\(op)\"] expects a property name, found \(args[0].typeDescription)")
        }
        return key
    }

    private mutating func parseOperator(_ op: String, _ args: [JSONValue], _ kind: ValueKind, topLevel: Bool,
                                        zoomAllowed: Bool) throws(Problem) -> (Expression, ResultType) {
        switch op {
        case "literal":
            try requireCount(op, args, 1...1, "one value")
            return try literal(StyleValue(args[0]), kind)
        case "get":
            return (.get(try propertyKey(op, args)), .value)
        case "has":
            return (.has(try propertyKey(op, args)), .boolean)
        case "zoom":
            try requireCount(op, args, 0...0, "no arguments")
            if !zoomAllowed && !isFilter {
                warnings.append("[\"zoom\"] may only be the input of a top-level \"interpolate\" or \"step\"; MapLibre rejects it elsewhere")
            }
            return (.zoom, .number)
        case "geometry-type":
            try requireCount(op, args, 0...0, "no arguments")
            return (.geometryType, .string)
        case "id":
            try requireCount(op, args, 0...0, "no arguments")
            return (.featureID, .value)
        case "==", "!=", "<", "<=", ">", ">=":
            if args.count == 3 { throw .unsupported("[\"\(op)\"] with a collator is not supported") }
            try requireCount(op, args, 2...2, "two values")
            let (a, ta) = try parse(args[0], .any, topLevel: false, zoomAllowed: zoomAllowed)
            let (b, tb) = try parse(args[1], .any, topLevel: false, zoomAllowed: zoomAllowed)
            let concrete: (ResultType) -> Bool = { $0 != .value && $0 != .null }
            if concrete(ta), concrete(tb), ta != tb {
                throw .invalid("[\"\(op)\"] cannot compare \(ta.description) with \(tb.description)")
            }
            if op != "==" && op != "!=", [ta, tb].contains(where: { concrete($0) && $0 != .number && $0 != .string }) {
                throw .invalid("[\"\(op)\"] compares numbers or strings only")
            }
            return (.compare(Expression.Comparison(rawValue: op)!, a, b), .boolean)
        case "!":
            try requireCount(op, args, 1...1, "one boolean")
            return (.not(try parse(args[0], .boolean, topLevel: false, zoomAllowed: zoomAllowed).0), .boolean)
        case "all", "any":
            var operands: [Expression] = []
            for arg in args { operands.append(try parse(arg, .boolean, topLevel: false, zoomAllowed: zoomAllowed).0) }
            return (op == "all" ? .all(operands) : .any(operands), .boolean)
        case "in":
            try requireCount(op, args, 2...2, "a value and an array or string")
            let needle = try parse(args[0], .any, topLevel: false, zoomAllowed: zoomAllowed).0
            let haystack = try parse(args[1], .any, topLevel: false, zoomAllowed: zoomAllowed).0
            return (.contains(needle: needle, haystack: haystack), .boolean)
        case "match":
            return try parseMatch(args, kind, zoomAllowed: zoomAllowed)
        case "case":
            guard args.count >= 3, args.count % 2 == 1 else {
                throw .invalid("[\"case\"] expects condition, output pairs and a fallback, found \(args.count) arguments")
            }
            var conditions: [Expression] = [], outputs: [Expression] = [], types: [ResultType] = []
            for pair in stride(from: 0, to: args.count - 1, by: 2) {
                conditions.append(try parse(args[pair], .boolean, topLevel: false, zoomAllowed: zoomAllowed).0)
                let (output, type) = try parse(args[pair + 1], kind, topLevel: false, zoomAllowed: zoomAllowed)
                outputs.append(output)
                types.append(type)
            }
            let (fallback, fallbackType) = try parse(args[args.count - 1], kind, topLevel: false, zoomAllowed: zoomAllowed)
            return (.conditional(conditions: conditions, outputs: outputs, fallback: fallback), Self.common(types + [fallbackType]))
        case "coalesce":
            guard !args.isEmpty else { throw .invalid("[\"coalesce\"] expects at least one value") }
            var operands: [Expression] = [], types: [ResultType] = []
            for arg in args {
                // MapLibre lets a zoom curve sit inside a top-level coalesce.
                let (operand, type) = try parse(arg, kind, topLevel: topLevel && arg.arrayValue?.first?.stringValue != nil,
                                                zoomAllowed: zoomAllowed)
                operands.append(operand)
                types.append(type)
            }
            return (.coalesce(operands), Self.common(types))
        case "to-string":
            try requireCount(op, args, 1...1, "one value")
            return (.toString(try parse(args[0], .any, topLevel: false, zoomAllowed: zoomAllowed).0), .string)
        case "to-number":
            guard !args.isEmpty else { throw .invalid("[\"to-number\"] expects at least one value") }
            var operands: [Expression] = []
            for arg in args { operands.append(try parse(arg, .any, topLevel: false, zoomAllowed: zoomAllowed).0) }
            return (.toNumber(operands), .number)
        case "concat":
            guard !args.isEmpty else { throw .invalid("[\"concat\"] expects at least one value") }
            var operands: [Expression] = []
            for arg in args { operands.append(try parse(arg, .any, topLevel: false, zoomAllowed: zoomAllowed).0) }
            return (.concat(operands), .string)
        case "interpolate":
            return try parseInterpolate(args, kind, topLevel: topLevel, zoomAllowed: zoomAllowed)
        case "step":
            return try parseStep(args, kind, topLevel: topLevel, zoomAllowed: zoomAllowed)
        default:
            if Self.mapLibreOperators.contains(op) {
                throw .unsupported("expression operator \"\(op)\" is not supported")
            }
            throw .invalid("unknown expression operator \"\(op)\"")
        }
    }

    /// One type when every branch agrees, `value` otherwise.
    private static func common(_ types: [ResultType]) -> ResultType {
        let concrete = types.filter { $0 != .null }
        guard let first = concrete.first else { return .null }
        return concrete.allSatisfy { $0 == first } ? first : .value
    }

    private mutating func parseMatch(_ args: [JSONValue], _ kind: ValueKind,
                                     zoomAllowed: Bool) throws(Problem) -> (Expression, ResultType) {
        guard args.count >= 4, args.count % 2 == 0 else {
            throw .invalid("[\"match\"] expects an input, label, output pairs and a fallback, found \(args.count) arguments")
        }
        let input = try parse(args[0], .any, topLevel: false, zoomAllowed: zoomAllowed).0
        var branches: [Expression.MatchKey: Int] = [:], outputs: [Expression] = [], types: [ResultType] = []
        var labelsAreNumbers: Bool?
        for pair in stride(from: 1, to: args.count - 1, by: 2) {
            let labels = args[pair].arrayValue ?? [args[pair]]
            if labels.isEmpty { throw .invalid("[\"match\"] has an empty label array") }
            for label in labels {
                let key: Expression.MatchKey
                switch label {
                case .number(let n): key = .number(n)
                case .string(let s): key = .string(s)
                default: throw .invalid("[\"match\"] labels must be numbers or strings, found \(label.typeDescription)")
                }
                let isNumber = label.numberValue != nil
                if let labelsAreNumbers, labelsAreNumbers != isNumber {
                    throw .invalid("[\"match\"] labels must be all numbers or all strings")
                }
                labelsAreNumbers = isNumber
                if branches[key] != nil { throw .invalid("[\"match\"] has the label \(label.stringValue.map { "\"\($0)\"" } ?? StyleValue.format(label.numberValue ?? 0)) twice") }
                branches[key] = outputs.count
            }
            let (output, type) = try parse(args[pair + 1], kind, topLevel: false, zoomAllowed: zoomAllowed)
            outputs.append(output)
            types.append(type)
        }
        let (fallback, fallbackType) = try parse(args[args.count - 1], kind, topLevel: false, zoomAllowed: zoomAllowed)
        return (.match(input: input, branches: branches, outputs: outputs, fallback: fallback), Self.common(types + [fallbackType]))
    }

    /// Stops: numbers in strictly ascending order, each followed by its output.
    private mutating func parseStops(_ op: String, _ args: ArraySlice<JSONValue>, _ kind: ValueKind,
                                     zoomAllowed: Bool) throws(Problem) -> ([Double], [Expression], [ResultType]) {
        var stops: [Double] = [], outputs: [Expression] = [], types: [ResultType] = []
        var index = args.startIndex
        while index < args.endIndex {
            guard let stop = args[index].numberValue, stop.isFinite else {
                throw .invalid("[\"\(op)\"] stop inputs must be numbers, found \(args[index].typeDescription)")
            }
            if let previous = stops.last, stop <= previous {
                throw .invalid("[\"\(op)\"] stop inputs must be in strictly ascending order (\(StyleValue.format(stop)) after \(StyleValue.format(previous)))")
            }
            let (output, type) = try parse(args[index + 1], kind, topLevel: false, zoomAllowed: zoomAllowed)
            stops.append(stop)
            outputs.append(output)
            types.append(type)
            index += 2
        }
        return (stops, outputs, types)
    }

    private mutating func parseInterpolate(_ args: [JSONValue], _ kind: ValueKind, topLevel: Bool,
                                           zoomAllowed: Bool) throws(Problem) -> (Expression, ResultType) {
        guard args.count >= 4, args.count % 2 == 0 else {
            throw .invalid("[\"interpolate\"] expects a type, an input and stop, output pairs, found \(args.count) arguments")
        }
        switch kind {
        case .any, .number, .color, .numberArray: break
        default: throw .invalid("expected \(kind.description), but [\"interpolate\"] gives numbers, colours or arrays of numbers")
        }
        let interpolation: Expression.Interpolation
        let typeArray = args[0].arrayValue ?? []
        switch typeArray.first?.stringValue {
        case "linear" where typeArray.count == 1:
            interpolation = .linear
        case "exponential" where typeArray.count == 2:
            guard let base = typeArray[1].numberValue, base > 0, base.isFinite else {
                throw .invalid("[\"interpolate\"] [\"exponential\", base] expects a positive number as the base")
            }
            interpolation = .exponential(base: base)
        case "cubic-bezier":
            throw .unsupported("interpolation [\"cubic-bezier\", …] is not supported")
        default:
            throw .invalid("[\"interpolate\"] expects [\"linear\"] or [\"exponential\", base] as its type")
        }
        let input = try parse(args[1], .number(), topLevel: false, zoomAllowed: topLevel || isFilter).0
        let (stops, outputs, types) = try parseStops("interpolate", args[2...], kind, zoomAllowed: zoomAllowed)
        let type = Self.common(types)
        guard [.value, .null, .number, .color, .array].contains(type) else {
            throw .invalid("[\"interpolate\"] outputs must be numbers, colours or arrays of numbers, found \(type.description)")
        }
        return (.interpolate(interpolation, input: input, stops: stops, outputs: outputs), type)
    }

    private mutating func parseStep(_ args: [JSONValue], _ kind: ValueKind, topLevel: Bool,
                                    zoomAllowed: Bool) throws(Problem) -> (Expression, ResultType) {
        guard args.count >= 4, args.count % 2 == 0 else {
            throw .invalid("[\"step\"] expects an input, a first output and stop, output pairs, found \(args.count) arguments")
        }
        let input = try parse(args[0], .number(), topLevel: false, zoomAllowed: topLevel || isFilter).0
        let (first, firstType) = try parse(args[1], kind, topLevel: false, zoomAllowed: zoomAllowed)
        let (stops, outputs, types) = try parseStops("step", args[2...], kind, zoomAllowed: zoomAllowed)
        return (.step(input: input, first: first, stops: stops, outputs: outputs), Self.common([firstType] + types))
    }
}
