import CGDAL
import FrontlineGeometry

/// A layer's attribute fields, and how each becomes a ``JSONValue``: integers and reals as
/// numbers, OGR booleans as booleans, lists as arrays, JSON strings parsed, dates as ISO 8601
/// text (`2022-03-26`, `2022-03-26T10:00:00`), anything else as GDAL's text for it.
struct FieldReader {
    private struct Field {
        var name: String
        var type: OGRFieldType
        var subtype: OGRFieldSubType
    }

    private var fields: [Field]

    /// The fields of a layer definition (handles owned by the layer).
    static func fields(of definition: OGRFeatureDefnH) -> FieldReader {
        FieldReader(fields: (0..<OGR_FD_GetFieldCount(definition)).compactMap { i in
            // OGR_FD_GetFieldDefn returns NULL only for an index out of range.
            guard let field = OGR_FD_GetFieldDefn(definition, i) else { return nil }
            return Field(name: String(cString: OGR_Fld_GetNameRef(field)), type: OGR_Fld_GetType(field), subtype: OGR_Fld_GetSubType(field))
        })
    }

    /// The feature's attributes, in field order; unset and null fields are `null`.
    func values(of feature: OGRFeatureH) -> [(String, JSONValue)] {
        fields.enumerated().map { (i, field) in (field.name, value(feature, Int32(i), field)) }
    }

    private func value(_ feature: OGRFeatureH, _ i: Int32, _ field: Field) -> JSONValue {
        // OGR_F_IsFieldSetAndNotNull returns 1 when the field holds a value.
        guard OGR_F_IsFieldSetAndNotNull(feature, i) == 1 else { return .null }
        var count: Int32 = 0
        switch field.type {
        case OFTInteger:
            let n = OGR_F_GetFieldAsInteger(feature, i)
            return field.subtype == OFSTBoolean ? .bool(n != 0) : .number(Double(n))
        case OFTInteger64:
            return .number(Double(OGR_F_GetFieldAsInteger64(feature, i)))
        case OFTReal:
            return .number(OGR_F_GetFieldAsDouble(feature, i))
        case OFTIntegerList:
            // The list functions return an array owned by the feature and its length in `count`.
            let list = OGR_F_GetFieldAsIntegerList(feature, i, &count)
            return .array((0..<Int(count)).map { .number(Double(list![$0])) })
        case OFTInteger64List:
            let list = OGR_F_GetFieldAsInteger64List(feature, i, &count)
            return .array((0..<Int(count)).map { .number(Double(list![$0])) })
        case OFTRealList:
            let list = OGR_F_GetFieldAsDoubleList(feature, i, &count)
            return .array((0..<Int(count)).map { .number(list![$0]) })
        case OFTStringList:
            // A NULL-terminated list owned by the feature.
            var strings: [JSONValue] = []
            if let list = OGR_F_GetFieldAsStringList(feature, i) {
                var k = 0
                while let s = list[k] { strings.append(.string(String(cString: s))); k += 1 }
            }
            return .array(strings)
        case OFTDate, OFTDateTime, OFTTime:
            return .string(dateText(feature, i, field.type))
        default:
            // OGR_F_GetFieldAsString never returns NULL; the text belongs to the feature.
            let text = String(cString: OGR_F_GetFieldAsString(feature, i))
            if field.type == OFTString, field.subtype == OFSTJSON, let parsed = try? JSONParser.parse(text) { return parsed }
            return .string(text)
        }
    }

    private func dateText(_ feature: OGRFeatureH, _ i: Int32, _ type: OGRFieldType) -> String {
        var year: Int32 = 0, month: Int32 = 0, day: Int32 = 0, hour: Int32 = 0, minute: Int32 = 0, zone: Int32 = 0
        var second: Float = 0
        // OGR_F_GetFieldAsDateTimeEx returns TRUE (1) on success.
        guard OGR_F_GetFieldAsDateTimeEx(feature, i, &year, &month, &day, &hour, &minute, &second, &zone) == 1 else {
            return String(cString: OGR_F_GetFieldAsString(feature, i))
        }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let date = "\(year)-\(two(month))-\(two(day))"
        let wholeSecond = Int32(second)
        let time = "\(two(hour)):\(two(minute)):\(two(wholeSecond))"
        switch type {
        case OFTDate: return date
        case OFTTime: return time
        default: return date + "T" + time
        }
    }
}
