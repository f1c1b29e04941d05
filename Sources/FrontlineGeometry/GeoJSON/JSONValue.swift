/// A parsed JSON value. Arrays made only of numbers (at any uniform depth, such as GeoJSON
/// coordinates) are kept flat as ``NumberArray`` instead of one value per number: that is what
/// makes reading a large GeoJSON file fast.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// A nested array of numbers with the same depth everywhere, stored flat.
    case numbers(NumberArray)

    /// The member `key` of an object, nil otherwise.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number, if this is one.
    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements, if this is an array (a flat number array is expanded).
    public var arrayValue: [JSONValue]? {
        switch self {
        case .array(let elements): return elements
        case .numbers(let numbers): return numbers.elements
        default: return nil
        }
    }

    /// True for `null`.
    public var isNull: Bool { self == .null }

    /// The JSON type's name, for error messages ("a string", "an array", …).
    public var typeDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array, .numbers: return "an array"
        case .object: return "an object"
        }
    }
}

/// Nested arrays of numbers stored flat: `values` in reading order, and for each nesting level
/// the element count of every array at that level (level 0 is the outermost array).
public struct NumberArray: Sendable, Equatable {
    /// Every number, in reading order.
    public var values: [Double]
    /// `counts[level][k]`: the number of elements of the k-th array at that level.
    public var counts: [[Int]]

    /// Makes a flat number array.
    public init(values: [Double] = [], counts: [[Int]] = []) {
        self.values = values
        self.counts = counts
    }

    /// Nesting depth: 1 for `[1, 2]`, 2 for `[[1, 2]]`.
    public var depth: Int { counts.count }

    /// The outermost array's elements as ordinary JSON values.
    public var elements: [JSONValue] {
        var valueIndex = 0
        var cursors = Array(repeating: 0, count: counts.count)
        func build(_ level: Int) -> JSONValue {
            let n = counts[level][cursors[level]]
            cursors[level] += 1
            if level == counts.count - 1 {
                defer { valueIndex += n }
                return .array(values[valueIndex..<(valueIndex + n)].map { .number($0) })
            }
            return .array((0..<n).map { _ in build(level + 1) })
        }
        guard !counts.isEmpty, case .array(let top) = build(0) else { return [] }
        return top
    }
}
