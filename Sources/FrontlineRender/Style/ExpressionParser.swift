import FrontlineGeometry

/// Turns a property value or filter from style JSON into an ``Expression`` tree, typed as MapLibre
/// types it: literals are checked against the kind of value each place takes, operands whose type
/// is only known per feature get an assertion, constant parts are evaluated once, and anything
/// MapLibre refuses when a style loads is refused here too. Operators that MapLibre has but
/// Frontline does not evaluate are reported as ``Problem/unsupported(_:)`` (a warning: the
/// property is ignored); anything else wrong is ``Problem/invalid(_:)`` (an error).
struct ExpressionParser {
    /// Why a value could not be parsed.
    enum Problem: Error, Equatable {
        case invalid(String)
        case unsupported(String)
    }

    /// What the parser does with an operand whose type is only known per feature (`value`).
    private enum Annotation {
        /// Check the type per feature, an error when it does not fit (MapLibre's default).
        case assert
        /// Convert it, as `to-string` does (a top-level string property).
        case coerce
        /// Leave it: `coalesce` checks its operands together.
        case omit
    }

    /// `let` bindings in scope, innermost last; `var` is replaced by what it names.
    private var scopes: [[String: (Expression, ExpressionType)]] = []
    /// True once a `let` binds something that depends on the zoom: as the binding is not the
    /// top-level curve, MapLibre refuses it.
    private var zoomInBinding = false

    private init() {}

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
        "error",
    ]

    /// Parses a paint or layout property's value. As in MapLibre, `zoom` may only be the input of a
    /// top-level `step` or `interpolate` (possibly inside a top-level `coalesce`).
    static func parseProperty(_ json: JSONValue, kind: ValueKind) throws(Problem) -> Expression {
        var parser = ExpressionParser()
        let annotation: Annotation = kind == .string ? .coerce : .assert
        // The curve must be the expression written, not an assertion or conversion around it.
        let (written, type) = try parser.parseFolded(json, kind.expressionType, kind: kind, topLevel: true)
        guard !parser.zoomInBinding, zoomIsCurveInput(written) else {
            throw .invalid("[\"zoom\"] may only be the input of a top-level \"step\" or \"interpolate\"")
        }
        return try parser.annotate(written, type, kind.expressionType, annotation, source: Self.source(json)).0
    }

    /// Parses a layer's `filter` (a boolean expression, `zoom` anywhere; the legacy filter syntax is
    /// refused with a hint).
    static func parseFilter(_ json: JSONValue) throws(Problem) -> Expression {
        var parser = ExpressionParser()
        guard json.arrayValue != nil else {
            if case .bool(let b) = json { return .literal(.bool(b)) }
            throw .invalid("expected a boolean expression, found \(json.typeDescription)")
        }
        try rejectLegacyFilter(json)
        return try parser.parse(json, .boolean, kind: .boolean, topLevel: true).0
    }

    /// True when every `zoom` in `e` is the input of a curve at the top (or of the one curve in a
    /// top-level `coalesce`).
    private static func zoomIsCurveInput(_ e: Expression) -> Bool {
        guard e.dependsOnZoom else { return true }
        switch e {
        case .interpolate(_, .zoom, _, let outputs): return outputs.allSatisfy { !$0.dependsOnZoom }
        case .step(.zoom, let first, _, let outputs): return ([first] + outputs).allSatisfy { !$0.dependsOnZoom }
        case .coalesce(let operands):
            let zoomed = operands.filter(\.dependsOnZoom)
            return zoomed.count == 1 && zoomIsCurveInput(zoomed[0])
        default: return false
        }
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
            parts.append(.toString(.get(String(rest[afterOpen..<close]), from: nil)))
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

    /// Parses `json` where a result of type `expected` (nil: any) is wanted; `kind`, when given, also
    /// checks literals' content (ranges, keywords, colours). A part that depends on neither the
    /// feature nor the zoom is evaluated here, once: if that fails, the style does not load.
    private mutating func parse(_ json: JSONValue, _ expected: ExpressionType?, kind: ValueKind? = nil, topLevel: Bool = false,
                                annotation: Annotation = .assert) throws(Problem) -> (Expression, ExpressionType) {
        let (expression, type) = try parseFolded(json, expected, kind: kind, topLevel: topLevel)
        return try annotate(expression, type, expected, annotation, source: Self.source(json))
    }

    /// Parses `json`, evaluating it at once when it depends on neither the feature nor the zoom.
    private mutating func parseFolded(_ json: JSONValue, _ expected: ExpressionType?, kind: ValueKind?,
                                      topLevel: Bool) throws(Problem) -> (Expression, ExpressionType) {
        var (expression, type) = try parseUnannotated(json, expected, kind: kind, topLevel: topLevel)
        if case .literal = expression {
        } else if !expression.dependsOnFeature && !expression.dependsOnZoom && !expression.containsError {
            do { expression = .literal(try expression.evaluate(FeatureContext(zoom: 0))) } catch { throw .invalid(error.message) }
        }
        return (expression, type)
    }

    /// `["op"]`, naming an operator in messages; nil for a literal.
    private static func source(_ json: JSONValue) -> String? {
        json.arrayValue?.first?.stringValue.map { "[\"\($0)\"]" }
    }

    /// Checks `actual` against `expected`; a `value` gets an assertion (or a conversion) instead.
    private func annotate(_ e: Expression, _ actual: ExpressionType, _ expected: ExpressionType?,
                          _ annotation: Annotation, source: String?) throws(Problem) -> (Expression, ExpressionType) {
        guard let expected, expected != .value else { return (e, actual) }
        switch (expected, actual) {
        case (.string, .value) where annotation == .coerce:
            return (.toString(e), .string)
        case (.string, .value), (.number, .value), (.boolean, .value), (.object, .value), (.array, .value):
            return annotation == .omit ? (e, actual) : (.assert(expected, [e]), expected)
        case (.color, .value), (.color, .string):
            return annotation == .omit ? (e, actual) : (.toColor([e]), .color)
        case (.array, .array(.value, count: 0)):
            return (e, expected)
        default:
            guard expected.accepts(actual) else {
                throw .invalid("expected \(expected.phrase), " + (source.map { "but \($0) gives \(actual.phrase)" } ?? "found \(actual.phrase)"))
            }
            return (e, actual)
        }
    }

    private mutating func parseUnannotated(_ json: JSONValue, _ expected: ExpressionType?, kind: ValueKind?,
                                           topLevel: Bool) throws(Problem) -> (Expression, ExpressionType) {
        guard let elements = json.arrayValue else {
            if case .object = json { throw .invalid("a bare object is not a value; write [\"literal\", {...}]") }
            return try literal(StyleValue(json), kind)
        }
        let op = elements.first?.stringValue
        // As in MapLibre, a top-level array is a literal unless it starts with an operator's name.
        if topLevel, let kind {
            switch (kind, op) {
            case (.numberArray, nil), (.any, nil), (.stringArray, nil): return try literal(StyleValue(json), kind)
            // (Two cases: a `where` clause binds only the last pattern of a case.)
            case (.stringArray, let name?) where !Self.mapLibreOperators.contains(name):
                return try literal(StyleValue(json), kind)
            case (.any, let name?) where !Self.mapLibreOperators.contains(name):
                return try literal(StyleValue(json), kind)
            default: break
            }
        }
        guard let op else {
            if elements.isEmpty { throw .invalid("expected \(kind?.description ?? "a value"), found an empty array") }
            if topLevel { throw .invalid("expected \(kind?.description ?? "a value"), found an array") }
            throw .invalid("an array inside an expression must be written [\"literal\", [...]]")
        }
        return try parseOperator(op, Array(elements.dropFirst()), expected, kind: kind)
    }

    private func literal(_ value: StyleValue, _ kind: ValueKind?) throws(Problem) -> (Expression, ExpressionType) {
        guard let kind else { return (.literal(value), ExpressionType(of: value)) }
        switch kind.literal(value) {
        case .success(let checked): return (.literal(checked), ExpressionType(of: checked))
        case .failure(let mismatch): throw .invalid(mismatch.message)
        }
    }

    private func requireCount(_ op: String, _ args: [JSONValue], _ counts: ClosedRange<Int>, _ shape: String) throws(Problem) {
        guard counts.contains(args.count) else { throw .invalid("[\"\(op)\"] expects \(shape), found \(args.count) arguments") }
    }

    /// Parses each of `args` as a number.
    private mutating func numbers(_ args: [JSONValue]) throws(Problem) -> [Expression] {
        var operands: [Expression] = []
        for arg in args { operands.append(try parse(arg, .number).0) }
        return operands
    }

    /// Parses each of `args` as any value.
    private mutating func values(_ args: [JSONValue]) throws(Problem) -> [Expression] {
        var operands: [Expression] = []
        for arg in args { operands.append(try parse(arg, nil).0) }
        return operands
    }

    private static let arithmetic: [String: (Expression.Arithmetic, ClosedRange<Int>)] = [
        "+": (.add, 0...Int.max), "*": (.multiply, 0...Int.max), "min": (.min, 0...Int.max), "max": (.max, 0...Int.max),
        "-": (.subtract, 1...2), "/": (.divide, 2...2), "%": (.remainder, 2...2), "^": (.power, 2...2),
        "round": (.round, 1...1), "floor": (.floor, 1...1), "ceil": (.ceil, 1...1), "abs": (.abs, 1...1),
    ]

    private static let assertions: [String: ExpressionType] = ["number": .number, "string": .string, "boolean": .boolean, "object": .object]

    private mutating func parseOperator(_ op: String, _ args: [JSONValue], _ expected: ExpressionType?,
                                        kind: ValueKind?) throws(Problem) -> (Expression, ExpressionType) {
        if let (arithmetic, counts) = Self.arithmetic[op] {
            try requireCount(op, args, counts, counts.upperBound == 1 ? "one number" : "numbers")
            return (.arithmetic(arithmetic, try numbers(args)), .number)
        }
        if let type = Self.assertions[op] {
            guard !args.isEmpty else { throw .invalid("[\"\(op)\"] expects at least one value") }
            return (.assert(type, try values(args)), type)
        }
        switch op {
        case "literal":
            try requireCount(op, args, 1...1, "one value")
            return try literal(StyleValue(args[0]), kind)
        case "get", "has":
            try requireCount(op, args, 1...2, "a property name and an optional object")
            guard let key = args[0].stringValue else {
                if args[0].arrayValue != nil { throw .unsupported("[\"\(op)\"] with a computed property name is not supported") }
                throw .invalid("[\"\(op)\"] expects a property name, found \(args[0].typeDescription)")
            }
            var object: Expression?
            if args.count == 2 { object = try parse(args[1], .object).0 }
            return op == "get" ? (.get(key, from: object), .value) : (.has(key, in: object), .boolean)
        case "zoom":
            try requireCount(op, args, 0...0, "no arguments")
            return (.zoom, .number)
        case "geometry-type":
            try requireCount(op, args, 0...0, "no arguments")
            return (.geometryType, .string)
        case "id":
            try requireCount(op, args, 0...0, "no arguments")
            return (.featureID, .value)
        case "==", "!=", "<", "<=", ">", ">=":
            return try parseComparison(op, args)
        case "!":
            try requireCount(op, args, 1...1, "one boolean")
            return (.not(try parse(args[0], .boolean).0), .boolean)
        case "all", "any":
            var operands: [Expression] = []
            for arg in args { operands.append(try parse(arg, .boolean).0) }
            return (op == "all" ? .all(operands) : .any(operands), .boolean)
        case "in", "index-of":
            try requireCount(op, args, op == "in" ? 2...2 : 2...3, op == "in" ? "a value and an array or string" : "a value, an array or string and an optional start")
            let (needle, needleType) = try parse(args[0], nil)
            let (haystack, haystackType) = try parse(args[1], nil)
            switch needleType {
            case .boolean, .string, .number, .null, .value, .error: break
            default: throw .invalid("[\"\(op)\"] looks for a boolean, string, number or null, found \(needleType.phrase)")
            }
            try requireStringOrArray(op, haystackType)
            if op == "in" { return (.contains(needle: needle, haystack: haystack), .boolean) }
            var start: Expression?
            if args.count == 3 { start = try parse(args[2], .number).0 }
            return (.indexOf(needle: needle, haystack: haystack, from: start), .number)
        case "length":
            try requireCount(op, args, 1...1, "a string or an array")
            let (operand, type) = try parse(args[0], nil)
            try requireStringOrArray(op, type)
            return (.length(operand), .number)
        case "at":
            try requireCount(op, args, 2...2, "an index and an array")
            let index = try parse(args[0], .number).0
            let (array, type) = try parse(args[1], .array(.value, count: nil))
            guard case .array(let item, _) = type else { return (.at(index: index, array: array), .value) }
            return (.at(index: index, array: array), item)
        case "slice":
            try requireCount(op, args, 2...3, "a string or an array, a start and an optional end")
            let (input, type) = try parse(args[0], nil)
            try requireStringOrArray(op, type)
            let start = try parse(args[1], .number).0
            var end: Expression?
            if args.count == 3 { end = try parse(args[2], .number).0 }
            if case .array(let item, _) = type { return (.slice(input, start: start, end: end), .array(item, count: nil)) }
            return (.slice(input, start: start, end: end), type == .string ? .string : .value)
        case "match":
            return try parseMatch(args, expected, kind: kind)
        case "case":
            guard args.count >= 3, args.count % 2 == 1 else {
                throw .invalid("[\"case\"] expects condition, output pairs and a fallback, found \(args.count) arguments")
            }
            var conditions: [Expression] = [], outputs: [Expression] = []
            var outputType = expected == .value ? nil : expected
            for pair in stride(from: 0, to: args.count - 1, by: 2) {
                conditions.append(try parse(args[pair], .boolean).0)
                outputs.append(try parseOutput(args[pair + 1], &outputType, kind: kind))
            }
            let fallback = try parseOutput(args[args.count - 1], &outputType, kind: kind)
            return (.conditional(conditions: conditions, outputs: outputs, fallback: fallback), outputType ?? .error)
        case "coalesce":
            guard !args.isEmpty else { throw .invalid("[\"coalesce\"] expects at least one value") }
            var operands: [Expression] = [], fits = true
            var outputType = expected == .value ? nil : expected
            for arg in args {
                let (operand, type) = try parse(arg, outputType, kind: kind, annotation: .omit)
                operands.append(operand)
                if outputType == nil, type != .error { outputType = type }
                if let expected, !expected.accepts(type) { fits = false }
            }
            // As in MapLibre: operands of the wrong type make the whole coalesce a value, checked
            // (or converted) as one.
            return (.coalesce(operands), fits ? outputType ?? .value : .value)
        case "array":
            return try parseArrayAssertion(args)
        case "typeof", "to-boolean", "to-string":
            try requireCount(op, args, 1...1, "one value")
            let operand = try parse(args[0], nil).0
            switch op {
            case "typeof": return (.typeOf(operand), .string)
            case "to-boolean": return (.toBoolean(operand), .boolean)
            default: return (.toString(operand), .string)
            }
        case "to-number":
            guard !args.isEmpty else { throw .invalid("[\"to-number\"] expects at least one value") }
            return (.toNumber(try values(args)), .number)
        case "to-color":
            guard !args.isEmpty else { throw .invalid("[\"to-color\"] expects at least one value") }
            return (.toColor(try values(args)), .color)
        case "concat":
            return (.concat(try values(args)), .string)
        case "upcase", "downcase":
            try requireCount(op, args, 1...1, "one string")
            return (.changeCase(upper: op == "upcase", try parse(args[0], .string).0), .string)
        case "error":
            try requireCount(op, args, 1...1, "a message")
            return (.error(try parse(args[0], .string).0), .error)
        case "let":
            guard args.count >= 3, args.count % 2 == 1 else {
                throw .invalid("[\"let\"] expects name, value pairs and an expression, found \(args.count) arguments")
            }
            var bindings: [String: (Expression, ExpressionType)] = [:]
            for pair in stride(from: 0, to: args.count - 1, by: 2) {
                guard let name = args[pair].stringValue, !name.isEmpty,
                      name.unicodeScalars.allSatisfy({ $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }) else {
                    throw .invalid("[\"let\"] variable names are letters, digits and \"_\", found \(args[pair].stringValue.map { "\"\($0)\"" } ?? args[pair].typeDescription)")
                }
                let bound = try parse(args[pair + 1], nil)
                if bound.0.dependsOnZoom { zoomInBinding = true }
                bindings[name] = bound
            }
            scopes.append(bindings)
            defer { scopes.removeLast() }
            return try parse(args[args.count - 1], nil, kind: kind)
        case "var":
            try requireCount(op, args, 1...1, "a variable name")
            guard let name = args[0].stringValue else { throw .invalid("[\"var\"] expects a variable name, found \(args[0].typeDescription)") }
            for scope in scopes.reversed() {
                if let bound = scope[name] { return bound }
            }
            throw .invalid("unknown variable \"\(name)\": bind it in an enclosing [\"let\"] first")
        case "interpolate":
            return try parseInterpolate(args, expected, kind: kind)
        case "step":
            guard args.count >= 4, args.count % 2 == 0 else {
                throw .invalid("[\"step\"] expects an input, a first output and stop, output pairs, found \(args.count) arguments")
            }
            let input = try parse(args[0], .number).0
            var outputType = expected == .value ? nil : expected
            let first = try parseOutput(args[1], &outputType, kind: kind)
            let (stops, outputs) = try parseStops("step", args[2...], &outputType, kind: kind)
            return (.step(input: input, first: first, stops: stops, outputs: outputs), outputType ?? .error)
        default:
            if Self.mapLibreOperators.contains(op) {
                throw .unsupported("expression operator \"\(op)\" is not supported")
            }
            throw .invalid("unknown expression operator \"\(op)\"")
        }
    }

    private func requireStringOrArray(_ op: String, _ type: ExpressionType) throws(Problem) {
        switch type {
        case .string, .array, .value, .error: return
        default: throw .invalid("[\"\(op)\"] expects a string or an array, found \(type.phrase)")
        }
    }

    /// One output of `case`, `match`, `step` or `interpolate`: the first fixes the type of the others
    /// when the place does not.
    private mutating func parseOutput(_ json: JSONValue, _ outputType: inout ExpressionType?, kind: ValueKind?) throws(Problem) -> Expression {
        let (output, type) = try parse(json, outputType, kind: kind)
        if outputType == nil, type != .error { outputType = type }
        return output
    }

    /// `==` and `!=` take booleans, strings, numbers and null; the orderings strings and numbers.
    /// Two known types must be the same; an ordering checks a `value` against the other side's type.
    private mutating func parseComparison(_ op: String, _ args: [JSONValue]) throws(Problem) -> (Expression, ExpressionType) {
        if args.count == 3 { throw .unsupported("[\"\(op)\"] with a collator is not supported") }
        try requireCount(op, args, 2...2, "two values")
        var (a, ta) = try parse(args[0], nil)
        var (b, tb) = try parse(args[1], nil)
        let ordering = op != "==" && op != "!="
        for type in [ta, tb] {
            let comparable: [ExpressionType] = ordering ? [.number, .string, .value, .error] : [.boolean, .string, .number, .null, .value, .error]
            if !comparable.contains(type) { throw .invalid("[\"\(op)\"] cannot compare \(type.phrase)") }
        }
        if ta != .value, tb != .value, ta != .error, tb != .error, ta != tb {
            throw .invalid("[\"\(op)\"] cannot compare \(ta.phrase) with \(tb.phrase)")
        }
        if ordering, ta == .value, tb != .value, tb != .error { a = .assert(tb, [a]) }
        if ordering, tb == .value, ta != .value, ta != .error { b = .assert(ta, [b]) }
        return (.compare(Expression.Comparison(rawValue: op)!, a, b), .boolean)
    }

    /// `["array", value]`, `["array", itemType, value]` or `["array", itemType, length, value]`.
    private mutating func parseArrayAssertion(_ args: [JSONValue]) throws(Problem) -> (Expression, ExpressionType) {
        try requireCount("array", args, 1...3, "an optional item type and length, and a value")
        var item = ExpressionType.value, count: Int?
        if args.count >= 2 {
            switch args[0].stringValue {
            case "string": item = .string
            case "number": item = .number
            case "boolean": item = .boolean
            default: throw .invalid("[\"array\"] item types are string, number or boolean, found \(args[0].stringValue.map { "\"\($0)\"" } ?? args[0].typeDescription)")
            }
        }
        if args.count == 3 {
            guard let n = args[1].numberValue, n >= 0, n == n.rounded(), n < 1e9 else {
                throw .invalid("[\"array\"] expects a whole number as its length, found \(args[1].numberValue.map(StyleValue.format) ?? args[1].typeDescription)")
            }
            count = Int(n)
        }
        let type = ExpressionType.array(item, count: count)
        return (.assert(type, [try parse(args[args.count - 1], nil).0]), type)
    }

    private mutating func parseMatch(_ args: [JSONValue], _ expected: ExpressionType?,
                                     kind: ValueKind?) throws(Problem) -> (Expression, ExpressionType) {
        guard args.count >= 4, args.count % 2 == 0 else {
            throw .invalid("[\"match\"] expects an input, label, output pairs and a fallback, found \(args.count) arguments")
        }
        let (input, inputType) = try parse(args[0], nil)
        var branches: [Expression.MatchKey: Int] = [:], outputs: [Expression] = []
        var labelType: ExpressionType?
        var outputType = expected == .value ? nil : expected
        for pair in stride(from: 1, to: args.count - 1, by: 2) {
            let labels = args[pair].arrayValue ?? [args[pair]]
            if labels.isEmpty { throw .invalid("[\"match\"] has an empty label array") }
            for label in labels {
                let key: Expression.MatchKey, type: ExpressionType
                switch label {
                case .number(let n):
                    guard n == n.rounded() else { throw .invalid("[\"match\"] number labels must be whole numbers, found \(StyleValue.format(n))") }
                    guard Swift.abs(n) <= 9_007_199_254_740_991 else { throw .invalid("[\"match\"] number labels must be no larger than 9007199254740991") }
                    (key, type) = (.number(n), .number)
                case .string(let s):
                    (key, type) = (.string(s), .string)
                default:
                    throw .invalid("[\"match\"] labels must be numbers or strings, found \(label.typeDescription)")
                }
                if let labelType, labelType != type { throw .invalid("[\"match\"] labels must be all numbers or all strings") }
                labelType = type
                if branches[key] != nil { throw .invalid("[\"match\"] has the label \(label.stringValue.map { "\"\($0)\"" } ?? StyleValue.format(label.numberValue ?? 0)) twice") }
                branches[key] = outputs.count
            }
            outputs.append(try parseOutput(args[pair + 1], &outputType, kind: kind))
        }
        if let labelType, inputType != .value, inputType != .error, inputType != labelType {
            throw .invalid("[\"match\"] compares \(inputType.phrase) input with \(labelType.phrase) labels")
        }
        let fallback = try parseOutput(args[args.count - 1], &outputType, kind: kind)
        return (.match(input: input, branches: branches, outputs: outputs, fallback: fallback), outputType ?? .error)
    }

    /// Stops: numbers in strictly ascending order, each followed by its output.
    private mutating func parseStops(_ op: String, _ args: ArraySlice<JSONValue>, _ outputType: inout ExpressionType?,
                                     kind: ValueKind?) throws(Problem) -> ([Double], [Expression]) {
        var stops: [Double] = [], outputs: [Expression] = []
        var index = args.startIndex
        while index < args.endIndex {
            guard let stop = args[index].numberValue, stop.isFinite else {
                throw .invalid("[\"\(op)\"] stop inputs must be numbers, found \(args[index].typeDescription)")
            }
            if let previous = stops.last, stop <= previous {
                throw .invalid("[\"\(op)\"] stop inputs must be in strictly ascending order (\(StyleValue.format(stop)) after \(StyleValue.format(previous)))")
            }
            stops.append(stop)
            outputs.append(try parseOutput(args[index + 1], &outputType, kind: kind))
            index += 2
        }
        return (stops, outputs)
    }

    private mutating func parseInterpolate(_ args: [JSONValue], _ expected: ExpressionType?,
                                           kind: ValueKind?) throws(Problem) -> (Expression, ExpressionType) {
        guard args.count >= 4, args.count % 2 == 0 else {
            throw .invalid("[\"interpolate\"] expects a type, an input and stop, output pairs, found \(args.count) arguments")
        }
        let interpolation: Expression.Interpolation
        let typeArray = args[0].arrayValue ?? []
        switch typeArray.first?.stringValue {
        case "linear":
            interpolation = .linear
        case "exponential":
            guard typeArray.count >= 2, let base = typeArray[1].numberValue, base > 0, base.isFinite else {
                throw .invalid("[\"interpolate\"] [\"exponential\", base] expects a positive number as the base")
            }
            interpolation = .exponential(base: base)
        case "cubic-bezier":
            let points = typeArray.dropFirst().compactMap(\.numberValue)
            guard typeArray.count == 5, points.count == 4, points.allSatisfy({ (0...1).contains($0) }) else {
                throw .invalid("[\"interpolate\"] [\"cubic-bezier\", x1, y1, x2, y2] expects four numbers from 0 to 1")
            }
            interpolation = .cubicBezier(x1: points[0], y1: points[1], x2: points[2], y2: points[3])
        default:
            throw .invalid("[\"interpolate\"] expects [\"linear\"], [\"exponential\", base] or [\"cubic-bezier\", …] as its type")
        }
        let input = try parse(args[1], .number).0
        var outputType = expected == .value ? nil : expected
        let (stops, outputs) = try parseStops("interpolate", args[2...], &outputType, kind: kind)
        switch outputType {
        case .number?, .color?: break
        // An array's length must be known, unless the property fixes it.
        case .array(.number, let count)? where count != nil || expected != nil: break
        default:
            throw .invalid("[\"interpolate\"] blends numbers, colours and arrays of numbers, not \(outputType?.phrase ?? "errors")")
        }
        return (.interpolate(interpolation, input: input, stops: stops, outputs: outputs), outputType ?? .number)
    }
}
