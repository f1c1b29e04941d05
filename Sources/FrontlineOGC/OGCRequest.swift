import FrontlineData
import FrontlineRender

/// The key-value parameters of an OGC request (`?SERVICE=WMS&REQUEST=GetMap&…`): names are
/// case-insensitive (WMS 1.3.0 §6.8.1), values are not.
public struct OGCParameters: Sendable {
    private let values: [String: String]

    /// The parameters of a query, by name; a name given twice keeps its first value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, String) {
        var values: [String: String] = [:]
        for (name, value) in pairs where values[name.uppercased()] == nil { values[name.uppercased()] = value }
        self.values = values
    }

    /// The value of `name`, nil when absent.
    public subscript(_ name: String) -> String? { values[name.uppercased()] }

    /// The value of `name`; a `MissingParameterValue` exception when absent or empty.
    func required(_ name: String, _ version: OGCVersion) throws(OGCException) -> String {
        guard let value = self[name], !value.isEmpty else {
            throw OGCException(.missingParameterValue, "the parameter \(name) is missing", version: version, locator: name)
        }
        return value
    }
}

/// The services and versions answered, which decide parameter names, axis order and the form of exceptions.
public enum OGCVersion: String, Sendable {
    case wms130 = "1.3.0"
    case wms111 = "1.1.1"
    case wmts100 = "1.0.0"
}

/// An OGC exception: a code from the standard (or none) and a message, reported as the
/// service's XML exception document.
public struct OGCException: Error, Sendable, CustomStringConvertible {
    /// The exception codes of WMS 1.3.0 (§ H.2) and OWS Common used here.
    public enum Code: String, Sendable {
        case invalidFormat = "InvalidFormat"
        case invalidCRS = "InvalidCRS"
        case invalidSRS = "InvalidSRS"
        case layerNotDefined = "LayerNotDefined"
        case styleNotDefined = "StyleNotDefined"
        case layerNotQueryable = "LayerNotQueryable"
        case invalidPoint = "InvalidPoint"
        case invalidDimensionValue = "InvalidDimensionValue"
        case missingDimensionValue = "MissingDimensionValue"
        case operationNotSupported = "OperationNotSupported"
        case missingParameterValue = "MissingParameterValue"
        case invalidParameterValue = "InvalidParameterValue"
        case tileOutOfRange = "TileOutOfRange"
        case noApplicableCode = "NoApplicableCode"
    }

    public var code: Code?
    public var message: String
    public var version: OGCVersion
    /// The parameter at fault (WMTS reports it).
    public var locator: String?
    /// True when the store could not answer now (``DataUnavailable``): 503, to be asked again.
    public var unavailable = false

    public init(_ code: Code?, _ message: String, version: OGCVersion, locator: String? = nil) {
        self.code = code
        self.message = message
        self.version = version
        self.locator = locator
    }

    /// The exception for an error the service did not foresee (the data's or the drawing's).
    public init(_ error: any Error, version: OGCVersion) {
        self.init(.noApplicableCode, "\(error)", version: version)
        unavailable = error is DataUnavailable
    }

    public var description: String { "\(code?.rawValue ?? "error"): \(message)" }

    /// The exception document.
    public var document: OGCDocument {
        var x = XMLWriter()
        switch version {
        case .wms130:
            x.open("ServiceExceptionReport", ["version": "1.3.0", "xmlns": "http://www.opengis.net/ogc",
                                              "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                                              "xsi:schemaLocation": "http://www.opengis.net/ogc http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd"])
            x.element("ServiceException", message, code.map { ["code": $0.rawValue] } ?? [:])
            x.close()
            return OGCDocument(x.bytes, type: "text/xml", status: status)
        case .wms111:
            x.open("ServiceExceptionReport", ["version": "1.1.1"])
            x.element("ServiceException", message, code.map { ["code": $0.rawValue] } ?? [:])
            x.close()
            return OGCDocument(x.bytes, type: "application/vnd.ogc.se_xml", status: status)
        case .wmts100:
            x.open("ows:ExceptionReport", ["xmlns:ows": "http://www.opengis.net/ows/1.1", "version": "1.0.0", "xml:lang": "en"])
            var attributes = ["exceptionCode": (code ?? .noApplicableCode).rawValue]
            if let locator { attributes["locator"] = locator }
            x.open("ows:Exception", attributes)
            x.element("ows:ExceptionText", message)
            x.close()
            x.close()
            return OGCDocument(x.bytes, type: "text/xml", status: status)
        }
    }

    /// 400 for what the client asked wrongly, 404 for a tile outside the matrix, 503 when the
    /// store cannot answer now, 500 for the rest.
    var status: Int {
        if unavailable { return 503 }
        switch code {
        case .noApplicableCode?: return 500
        case .tileOutOfRange?: return 404
        default: return 400
        }
    }
}

/// An answer: its bytes, media type and HTTP status.
public struct OGCDocument: Sendable {
    public var bytes: [UInt8]
    public var type: String
    public var status: Int

    public init(_ bytes: [UInt8], type: String, status: Int = 200) {
        self.bytes = bytes
        self.type = type
        self.status = status
    }
}

/// The `TIME` of a request: a day, or two days for the changes between them. QGIS sends a
/// date-time (`2022-03-01T00:00:00Z`, with or without seconds' fractions); only its date counts.
enum OGCTime {
    static func subject(_ text: String?, in data: MapData, version: OGCVersion) throws(OGCException) -> MapSubject {
        guard let text, !text.isEmpty else { return .date(data.metadata.defaultDate) }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let extent = data.metadata.temporalExtent
        func day(_ value: String) throws(OGCException) -> CalendarDate {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased() == "current" { return extent.upperBound }
            guard trimmed.utf8.count >= 10, let date = CalendarDate(String(trimmed.prefix(10))),
                  trimmed.utf8.count == 10 || trimmed.dropFirst(10).first == "T" else {
                throw OGCException(.invalidDimensionValue, "TIME \(value) is not a date (YYYY-MM-DD, or a date-time such as 2022-03-01T00:00:00Z)",
                                   version: version, locator: "TIME")
            }
            guard extent.contains(date) else {
                throw OGCException(.invalidDimensionValue, "TIME \(date) is outside the data, which runs from \(extent.lowerBound) to \(extent.upperBound)",
                                   version: version, locator: "TIME")
            }
            return date
        }
        switch parts.count {
        case 1: return .date(try day(parts[0]))
        case 2:
            let from = try day(parts[0]), to = try day(parts[1])
            guard from < to else {
                throw OGCException(.invalidDimensionValue, "TIME \(text): a range's start must be before its end", version: version, locator: "TIME")
            }
            return .change(from: from, to: to)
        default:
            throw OGCException(.invalidDimensionValue, "TIME \(text): give a date, or two dates as start/end (no period)", version: version, locator: "TIME")
        }
    }
}
