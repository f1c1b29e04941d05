import FrontlineGeometry

/// Reads one feature's properties, turning every defect into a ``ValidationIssue`` that names
/// the file, the feature and the property.
struct FeatureReader {
    let file: String
    let index: Int
    let properties: [String: JSONValue]
    var issues: [ValidationIssue] = []

    init(file: String, index: Int, properties: [String: JSONValue]) {
        self.file = file
        self.index = index
        self.properties = properties
    }

    mutating func error(_ code: ValidationIssue.Code, _ property: String?, _ message: String) {
        issues.append(ValidationIssue(.error, code, file: file, feature: index, property: property, message))
    }

    mutating func warning(_ code: ValidationIssue.Code, _ property: String?, _ message: String) {
        issues.append(ValidationIssue(.warning, code, file: file, feature: index, property: property, message))
    }

    var hasErrors: Bool { issues.contains { $0.severity == .error } }

    /// A required non-empty string.
    mutating func string(_ key: String) -> String? {
        guard let value = properties[key], !value.isNull else {
            error(.missingProperty, key, "the property is missing; it must be a string")
            return nil
        }
        guard let s = value.stringValue else {
            error(.wrongType, key, "expected a string, found \(value.typeDescription)")
            return nil
        }
        guard !s.isEmpty else {
            error(.badValue, key, "must not be empty")
            return nil
        }
        return s
    }

    /// An optional string (absent or null gives nil).
    mutating func optionalString(_ key: String) -> String? {
        guard let value = properties[key], !value.isNull else { return nil }
        guard let s = value.stringValue else {
            error(.wrongType, key, "expected a string or null, found \(value.typeDescription)")
            return nil
        }
        return s
    }

    /// An optional number (absent or null gives nil).
    mutating func optionalNumber(_ key: String) -> Double? {
        guard let value = properties[key], !value.isNull else { return nil }
        guard let n = value.numberValue, n.isFinite else {
            error(.wrongType, key, "expected a number or null, found \(value.typeDescription)")
            return nil
        }
        return n
    }

    /// A required date.
    mutating func date(_ key: String) -> CalendarDate? {
        guard let value = properties[key], !value.isNull else {
            error(.missingProperty, key, "the property is missing; it must be a date YYYY-MM-DD")
            return nil
        }
        return parseDate(value, key)
    }

    /// An optional date (absent or null gives nil, meaning "still so" for `valid_to`).
    mutating func optionalDate(_ key: String) -> (present: Bool, date: CalendarDate?) {
        guard let value = properties[key], !value.isNull else { return (false, nil) }
        return (true, parseDate(value, key))
    }

    private mutating func parseDate(_ value: JSONValue, _ key: String) -> CalendarDate? {
        guard let s = value.stringValue else {
            error(.wrongType, key, "expected a date string YYYY-MM-DD, found \(value.typeDescription)")
            return nil
        }
        guard let d = CalendarDate(s) else {
            error(.badDate, key, "\"\(s)\" is not a date (expected YYYY-MM-DD, e.g. 2022-03-24)")
            return nil
        }
        return d
    }

    /// The validity period from `valid_from` and `valid_to`.
    mutating func period() -> ValidityPeriod? {
        let from = date("valid_from")
        let to = optionalDate("valid_to")
        guard let from, !(to.present && to.date == nil) else { return nil }
        if let end = to.date, end <= from {
            error(.dateOrder, "valid_to", "valid_to \(end) must be later than valid_from \(from) (a feature holds on valid_from <= D < valid_to)")
            return nil
        }
        return ValidityPeriod(from: from, to: to.date)
    }
}
