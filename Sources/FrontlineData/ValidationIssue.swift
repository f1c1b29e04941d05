import FrontlineGeometry

/// One problem found in a dataset, with what a person needs to find and fix it.
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    /// Errors stop the dataset from loading; warnings are reported and the data is used.
    public enum Severity: String, Sendable, Comparable {
        case error, warning
        /// Errors sort before warnings.
        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    /// What kind of problem this is; stable names for tools and tests.
    public enum Code: String, Sendable, CaseIterable {
        case malformedJSON = "malformed-json"
        case emptyFile = "empty-file"
        case missingFile = "missing-file"
        case unreadableFile = "unreadable-file"
        case notFeatureCollection = "not-feature-collection"
        case invalidFeature = "invalid-feature"
        case wrongGeometryType = "wrong-geometry-type"
        case invalidGeometry = "invalid-geometry"
        case unclosedRing = "unclosed-ring"
        case tooFewPositions = "too-few-positions"
        case invalidCoordinate = "invalid-coordinate"
        case missingProperty = "missing-property"
        case wrongType = "wrong-type"
        case badValue = "bad-value"
        case badDate = "bad-date"
        case dateOrder = "date-order"
        case dateOutsideExtent = "date-outside-extent"
        case unknownParty = "unknown-party"
        case duplicateID = "duplicate-id"
        case overlappingControl = "overlapping-control"
        case invalidRingRepaired = "invalid-ring-repaired"
        case coverageGap = "coverage-gap"
        case editedRecord = "edited-record"
    }

    /// Error or warning.
    public var severity: Severity
    /// What kind of problem.
    public var code: Code
    /// The file, relative to the dataset folder (`control.geojson`).
    public var file: String
    /// The 0-based index of the feature in its file's `features`, when one feature is at fault.
    public var featureIndex: Int?
    /// The property (or `geometry`) at fault.
    public var property: String?
    /// What is wrong and, where it helps, what to do.
    public var message: String
    /// A place that shows the problem (longitude, latitude), for overlaps and gaps.
    public var location: (lon: Double, lat: Double)?

    /// Makes an issue.
    public init(_ severity: Severity, _ code: Code, file: String, feature: Int? = nil, property: String? = nil,
                _ message: String, location: (lon: Double, lat: Double)? = nil) {
        self.severity = severity
        self.code = code
        self.file = file
        self.featureIndex = feature
        self.property = property
        self.message = message
        self.location = location
    }

    /// Equal when every field matches, location included.
    public static func == (a: ValidationIssue, b: ValidationIssue) -> Bool {
        a.severity == b.severity && a.code == b.code && a.file == b.file && a.featureIndex == b.featureIndex
            && a.property == b.property && a.message == b.message
            && a.location?.lon == b.location?.lon && a.location?.lat == b.location?.lat
    }

    /// `error: control.geojson: feature 3: valid_from: "2021-13-01" is not a date (expected YYYY-MM-DD) [bad-date]`
    public var description: String {
        var s = "\(severity.rawValue): \(file)"
        if let featureIndex { s += ": feature \(featureIndex)" }
        if let property { s += ": \(property)" }
        s += ": \(message)"
        if let location { s += " (near \(format(location.lon)), \(format(location.lat)))" }
        return s + " [\(code.rawValue)]"
    }

    private func format(_ v: Double) -> String {
        var w = JSONWriter()
        w.fixed(v, decimals: 4)
        return w.text
    }
}

/// The dataset could not be loaded; `issues` lists every problem found (errors and warnings).
public struct DatasetError: Error, Sendable, CustomStringConvertible {
    /// Everything found, errors first.
    public var issues: [ValidationIssue]

    /// An error made of these issues.
    public init(issues: [ValidationIssue]) { self.issues = issues }

    /// Only the errors.
    public var errors: [ValidationIssue] { issues.filter { $0.severity == .error } }

    /// Every error on its own indented line, after a count.
    public var description: String {
        let errors = self.errors
        return "the dataset has \(errors.count) error\(errors.count == 1 ? "" : "s"):\n" + errors.map { "  \($0)" }.joined(separator: "\n")
    }
}
