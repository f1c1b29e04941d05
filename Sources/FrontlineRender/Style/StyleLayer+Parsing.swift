import FrontlineGeometry

extension StyleLayer {
    /// The dataset layers a style layer may draw (`changes` only on change maps).
    public static let sourceLayers = ["control", "zones", "villages", "heights", "pipeline", "events", "basemap", "changes"]

    private static let layerKeys: Set<String> = [
        "id", "type", "source", "source-layer", "minzoom", "maxzoom", "filter", "layout", "paint", "metadata",
    ]

    /// Parses the layer at `index` of a style's `layers`; nil when it is skipped (with a warning).
    static func parse(_ json: JSONValue, index: Int, file: String,
                      issues: inout IssueCollector) throws(StyleError) -> StyleLayer? {
        let unnamed = StyleLocation(file: file, layer: "#\(index)")
        guard case .object(let members) = json else {
            throw StyleError(unnamed, "expected a layer object, found \(json.typeDescription)")
        }
        guard let id = members["id"]?.stringValue, !id.isEmpty else {
            throw StyleError(StyleLocation(file: file, layer: "#\(index)", property: "id"),
                             "every layer needs an \"id\" string, found \(members["id"]?.typeDescription ?? "none")")
        }
        func at(_ property: String? = nil, _ section: StyleLocation.Section = .layer) -> StyleLocation {
            StyleLocation(file: file, layer: id, property: property, section: section)
        }
        guard let typeName = members["type"]?.stringValue else {
            throw StyleError(at("type"), "expected one of \(LayerType.allCases.map(\.rawValue).joined(separator: ", ")), found \(members["type"]?.typeDescription ?? "none")")
        }
        guard let type = LayerType(rawValue: typeName) else {
            try issues.warn(at("type"), "layer type \"\(typeName)\" is not supported and the layer is skipped")
            return nil
        }
        for key in members.keys.sorted() where !layerKeys.contains(key) {
            try issues.warn(at(key), "is not supported and is ignored")
        }
        let sourceLayer = try parseSource(members, type: type, at: at, issues: &issues)
        let minZoom = try zoom(members["minzoom"], at("minzoom"))
        let maxZoom = try zoom(members["maxzoom"], at("maxzoom"))
        if let minZoom, let maxZoom, minZoom >= maxZoom {
            try issues.warn(at("maxzoom"), "is not above \"minzoom\", so the layer is never drawn")
        }

        var metadata: [String: JSONValue] = [:]
        if let value = members["metadata"] {
            guard case .object(let object) = value else { throw StyleError(at("metadata"), "expected an object, found \(value.typeDescription)") }
            metadata = object
        }
        let settings = try parseMetadata(metadata, type: type, at: at, issues: &issues)

        var layer = StyleLayer(id: id, type: type, sourceLayer: sourceLayer, minZoom: minZoom, maxZoom: maxZoom, visible: true,
                               legend: settings.legend, hatch: settings.hatch, metadata: metadata, filter: nil, values: [:], explicitlySet: [])
        layer.marker = settings.marker
        layer.unlabelledHiddenBelowZoom = settings.unlabelledHiddenBelowZoom
        var expressions: [String: Expression] = [:]
        for section in [StyleLocation.Section.layout, .paint] {
            guard let value = members[section.rawValue] else { continue }
            guard case .object(let properties) = value else {
                throw StyleError(at(section.rawValue), "expected an object, found \(value.typeDescription)")
            }
            for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
                if section == .layout && name == "visibility" {
                    guard let visibility = value.stringValue, visibility == "visible" || visibility == "none" else {
                        throw StyleError(at(name, section), "expected \"visible\" or \"none\", found \(value.stringValue.map { "\"\($0)\"" } ?? value.typeDescription)")
                    }
                    layer.visible = visibility == "visible"
                    continue
                }
                if let expression = try parseProperty(name, value, section: section, type: type, at: at(name, section), issues: &issues) {
                    expressions[name] = expression
                }
            }
        }
        for property in StyleProperty.properties(of: type) {
            if let expression = expressions[property.name] {
                layer.values[property.name] = PropertyValue(property, expression)
                layer.explicitlySet.insert(property.name)
            } else if let defaultValue = property.defaultValue {
                layer.values[property.name] = PropertyValue(property, .literal(defaultValue))
            }
        }

        if let filter = members["filter"] {
            if type == .background {
                try issues.warn(at("filter"), "background layers take no filter; it is ignored")
            } else {
                do {
                    layer.filter = try ExpressionParser.parseFilter(filter)
                } catch {
                    switch error {
                    case .invalid(let message):
                        throw StyleError(at("filter"), message)
                    case .unsupported(let message):
                        try issues.warn(at("filter"), message + "; the layer is skipped")
                        return nil
                    }
                }
            }
        }
        return layer
    }

    private static func parseSource(_ members: [String: JSONValue], type: LayerType, at: (String?, StyleLocation.Section) -> StyleLocation,
                                    issues: inout IssueCollector) throws(StyleError) -> String? {
        if type == .background {
            for key in ["source", "source-layer"] where members[key] != nil {
                try issues.warn(at(key, .layer), "background layers take no \"\(key)\"; it is ignored")
            }
            return nil
        }
        guard let source = members["source"]?.stringValue, source == "dataset" else {
            let found = members["source"].map { $0.stringValue.map { "\"\($0)\"" } ?? $0.typeDescription } ?? "none"
            throw StyleError(at("source", .layer), "expected \"dataset\" (the only source Frontline provides), found \(found)")
        }
        guard let sourceLayer = members["source-layer"]?.stringValue, sourceLayers.contains(sourceLayer) else {
            let found = members["source-layer"].map { $0.stringValue.map { "\"\($0)\"" } ?? $0.typeDescription } ?? "none"
            throw StyleError(at("source-layer", .layer), "expected one of \(sourceLayers.joined(separator: ", ")), found \(found)")
        }
        return sourceLayer
    }

    private static func zoom(_ value: JSONValue?, _ location: StyleLocation) throws(StyleError) -> Double? {
        guard let value else { return nil }
        guard let zoom = value.numberValue, zoom >= 0, zoom <= 24 else {
            throw StyleError(location, "expected a zoom from 0 to 24, found \(value.numberValue.map(StyleValue.format) ?? value.typeDescription)")
        }
        return zoom
    }

    private static func parseMetadata(_ metadata: [String: JSONValue], type: LayerType, at: (String?, StyleLocation.Section) -> StyleLocation,
                                      issues: inout IssueCollector) throws(StyleError)
        -> (legend: String?, hatch: Hatch?, marker: StyleLayer.Marker, unlabelledHiddenBelowZoom: Double?)
    {
        var legend: String?
        var hatch: Hatch?
        var marker = StyleLayer.Marker.circle
        var hiddenBelow: Double?
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where key.hasPrefix("frontline:") {
            let location = at(key, .metadata)
            switch key {
            case "frontline:legend":
                guard let text = value.stringValue, !text.isEmpty else {
                    throw StyleError(location, "expected the legend label (a string), found \(value.typeDescription)")
                }
                legend = text
            case "frontline:hatch":
                guard type == .fill else {
                    try issues.warn(location, "only fill layers can be hatched; it is ignored")
                    continue
                }
                hatch = try parseHatch(value, location, issues: &issues)
            case "frontline:marker":
                guard type == .circle else {
                    try issues.warn(location, "only circle layers have a marker; it is ignored")
                    continue
                }
                guard let name = value.stringValue, let parsed = StyleLayer.Marker(rawValue: name) else {
                    throw StyleError(location, "expected one of \(StyleLayer.Marker.allCases.map(\.rawValue).joined(separator: ", ")), found \(value.stringValue.map { "\"\($0)\"" } ?? value.typeDescription)")
                }
                marker = parsed
            case "frontline:unlabelled-hidden-below-zoom":
                guard type == .circle else {
                    try issues.warn(location, "only circle layers can leave out unlabelled points; it is ignored")
                    continue
                }
                hiddenBelow = try zoom(value, location)
            default:
                try issues.warn(location, "is not a Frontline setting (frontline:legend, frontline:hatch, frontline:marker, frontline:unlabelled-hidden-below-zoom) and is ignored")
            }
        }
        return (legend, hatch, marker, hiddenBelow)
    }

    private static func parseHatch(_ value: JSONValue, _ location: StyleLocation,
                                   issues: inout IssueCollector) throws(StyleError) -> Hatch {
        guard case .object(let members) = value else {
            throw StyleError(location, "expected an object {angle, spacing, width, color}, found \(value.typeDescription)")
        }
        var hatch = Hatch()
        func number(_ key: String, positive: Bool) throws(StyleError) -> Double? {
            guard let value = members[key] else { return nil }
            guard let n = value.numberValue, n.isFinite, !positive || n > 0 else {
                throw StyleError(location, "\"\(key)\": expected \(positive ? "a positive number" : "a number"), found \(value.numberValue.map(StyleValue.format) ?? value.typeDescription)")
            }
            return n
        }
        hatch.angle = try number("angle", positive: false) ?? hatch.angle
        hatch.spacing = try number("spacing", positive: true) ?? hatch.spacing
        hatch.width = try number("width", positive: true) ?? hatch.width
        if let color = members["color"] {
            guard let text = color.stringValue, let parsed = Color(css: text) else {
                throw StyleError(location, "\"color\": expected a colour, found \(color.stringValue.map { "\"\($0)\"" } ?? color.typeDescription)")
            }
            hatch.color = parsed
        }
        for key in members.keys.sorted() where !["angle", "spacing", "width", "color"].contains(key) {
            try issues.warn(location, "\"\(key)\" is not a hatch setting (angle, spacing, width, color) and is ignored")
        }
        return hatch
    }

    /// Parses one paint or layout property; nil when it is unsupported (after a warning).
    private static func parseProperty(_ name: String, _ value: JSONValue, section: StyleLocation.Section, type: LayerType,
                                      at location: StyleLocation, issues: inout IssueCollector) throws(StyleError) -> Expression? {
        guard let property = StyleProperty.supported[name] else {
            try issues.warn(location, "is not supported and is ignored")
            return nil
        }
        guard property.layerType == type else {
            try issues.warn(location, "is not supported and is ignored: it belongs to \(property.layerType.rawValue) layers, not \(type.rawValue) layers")
            return nil
        }
        guard property.section == section else {
            try issues.warn(location, "is not supported and is ignored: it is a \(property.section.rawValue) property")
            return nil
        }
        if property.kind == .text, let text = value.stringValue {
            return ExpressionParser.parseTokenString(text)
        }
        do {
            return try ExpressionParser.parseProperty(value, kind: property.kind)
        } catch {
            switch error {
            case .invalid(let message):
                throw StyleError(location, message)
            case .unsupported(let message):
                try issues.warn(location, message + "; the property is ignored")
                return nil
            }
        }
    }
}
