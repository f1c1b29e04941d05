import CGDAL
import FrontlineGeometry

/// The attribute fields of a layer to write, one per property name in order of first
/// appearance, typed by the values they hold: all integers → Integer64, all numbers → Real,
/// all booleans → Integer (boolean subtype), anything else → String (non-strings as JSON text).
struct FieldWriter {
    private enum Kind { case integer, real, boolean, text }
    private var names: [String] = []
    private var kinds: [Kind] = []
    private var positions: [String: Int] = [:]
    /// The OGR field index of each property, known once created (drivers may add their own fields).
    private var indices: [Int32] = []

    init(_ features: [GeoJSONFeature]) {
        var values: [[JSONValue]] = []
        for feature in features {
            for (name, value) in feature.properties {
                let k = positions[name] ?? { positions[name] = names.count; names.append(name); values.append([]); return names.count - 1 }()
                if value != .null { values[k].append(value) }
            }
        }
        kinds = values.map { column in
            if column.isEmpty { return .text }
            let numbers = column.compactMap(\.numberValue)
            if numbers.count == column.count {
                return numbers.allSatisfy { $0 == $0.rounded() && abs($0) < 9e15 } ? .integer : .real
            }
            if column.allSatisfy({ if case .bool = $0 { return true } else { return false } }) { return .boolean }
            return .text
        }
    }

    /// Creates the fields in `layer`; GDAL may launder the names (Shapefile: 10 characters).
    mutating func create(in layer: OGRLayerH, _ failure: (String) -> VectorFormatError) throws {
        for (name, kind) in zip(names, kinds) {
            let type: OGRFieldType = switch kind {
            case .integer: OFTInteger64
            case .real: OFTReal
            case .boolean: OFTInteger
            case .text: OFTString
            }
            // OGR_Fld_Create returns a definition the caller destroys (NULL only when out of memory).
            guard let field = OGR_Fld_Create(name, type) else { throw failure("cannot define the field \(name)") }
            defer { OGR_Fld_Destroy(field) }
            if kind == .boolean { OGR_Fld_SetSubType(field, OFSTBoolean) }
            // OGR_L_CreateField returns OGRERR_NONE (0) on success; bApproxOK = 1 lets the driver adapt the type.
            guard OGR_L_CreateField(layer, field, 1) == OGRERR_NONE, let definition = OGR_L_GetLayerDefn(layer) else {
                throw failure("cannot create the field \(name)")
            }
            indices.append(OGR_FD_GetFieldCount(definition) - 1)
        }
    }

    /// Sets the feature's fields from its properties; absent properties stay unset.
    func set(_ properties: [(String, JSONValue)], on feature: OGRFeatureH) {
        for (name, value) in properties {
            guard let k = positions[name] else { continue }
            let i = indices[k]
            switch (kinds[k], value) {
            case (_, .null): OGR_F_SetFieldNull(feature, i)
            case (.integer, .number(let n)): OGR_F_SetFieldInteger64(feature, i, Int64(n))
            case (.real, .number(let n)): OGR_F_SetFieldDouble(feature, i, n)
            case (.boolean, .bool(let b)): OGR_F_SetFieldInteger(feature, i, b ? 1 : 0)
            case (_, .string(let s)): OGR_F_SetFieldString(feature, i, s)
            default:
                var writer = JSONWriter()
                writer.value(value)
                OGR_F_SetFieldString(feature, i, writer.text)
            }
        }
    }
}
