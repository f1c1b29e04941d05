import FrontlineGeometry

/// One layer of a ``Style``: what to draw (its type and dataset layer), when (zoom range, filter)
/// and how (paint and layout properties, evaluated per feature with MapLibre's defaults).
public struct StyleLayer: Sendable {
    /// The layer types Frontline draws.
    public enum LayerType: String, Sendable, CaseIterable {
        /// A colour over the whole map.
        case background
        /// Filled polygons.
        case fill
        /// Stroked lines (and polygon outlines).
        case line
        /// Circles at points.
        case circle
        /// Text labels at points.
        case symbol
    }

    /// The layer's unique id.
    public var id: String
    /// What the layer draws.
    public var type: LayerType
    /// The dataset layer it draws (`control`, `villages`, …); nil for a background.
    public var sourceLayer: String?
    /// The layer is drawn when `minZoom <= z`.
    public var minZoom: Double?
    /// The layer is drawn when `z < maxZoom`.
    public var maxZoom: Double?
    /// False when `layout.visibility` is `none`.
    public var visible: Bool
    /// The legend label (`metadata["frontline:legend"]`); `party` means one entry per party.
    public var legend: String?
    /// Hatching over the fill (`metadata["frontline:hatch"]`), fill layers only.
    public var hatch: Hatch?
    /// The shape a circle layer draws (`metadata["frontline:marker"]`); MapLibre draws circles.
    public var marker: Marker = .circle
    /// Below this zoom a circle layer leaves out the points no label names
    /// (`metadata["frontline:unlabelled-hidden-below-zoom"]`), except places that changed hands.
    public var unlabelledHiddenBelowZoom: Double?
    /// The layer's whole `metadata` object.
    public var metadata: [String: JSONValue]

    /// The parsed `filter`, nil for none.
    var filter: Expression?
    /// Every supported property of this layer type that has a value or a default, by name.
    var values: [String: PropertyValue]
    /// The names of the properties the style sets.
    var explicitlySet: Set<String>

    /// What a circle layer draws at each point.
    public enum Marker: String, Sendable, CaseIterable {
        /// A disc (MapLibre's circle).
        case circle
        /// A triangle standing on its base, the map sign of a peak, `circle-radius` from centre to corner.
        case triangle
    }

    /// The reserved legend label meaning "one legend entry per party".
    public static let partyLegend = "party"

    /// True when the layer is visible and `minzoom <= z < maxzoom`.
    public func isVisible(atZoom z: Double) -> Bool {
        visible && z >= (minZoom ?? -.infinity) && z < (maxZoom ?? .infinity)
    }

    /// True when the feature passes the layer's `filter` (always, without one); a filter that fails
    /// to evaluate for the feature leaves it out.
    public func passesFilter(_ feature: FeatureContext) -> Bool {
        guard let filter else { return true }
        return (try? filter.evaluate(feature)) == .bool(true)
    }

    /// A colour property's value for the feature; nil when the property is not a colour of this layer
    /// type or has no default (`fill-outline-color`: MapLibre then outlines in `fill-color`).
    public func color(_ property: String, _ feature: FeatureContext) -> Color? {
        values[property]?.value(feature) { value, kind in
            guard kind == .color else { return nil }
            switch value {
            case .color(let color): return color
            case .string(let text): return Color(css: text)
            default: return nil
            }
        }
    }

    /// A number property's value for the feature, kept within the property's range; nil when the
    /// property is not a number of this layer type or has no default (`symbol-sort-key`).
    public func number(_ property: String, _ feature: FeatureContext) -> Double? {
        values[property]?.value(feature) { value, kind in
            guard case .number(let minimum, let maximum) = kind, case .number(let n) = value, n.isFinite else { return nil }
            return min(maximum ?? .infinity, max(minimum ?? -.infinity, n))
        }
    }

    /// A text property's value: the label of `text-field` (tokens replaced, any value turned to text),
    /// or the keyword of `text-anchor`, `line-cap`, `line-join`.
    public func string(_ property: String, _ feature: FeatureContext) -> String? {
        values[property]?.value(feature) { value, kind in
            switch (kind, value) {
            case (.text, .object): return nil
            case (.text, _): return value.text
            case (.enumeration(let allowed), .string(let s)) where allowed.contains(s): return s
            default: return nil
            }
        }
    }

    /// A number-array property's value (`line-dasharray`, `text-offset`); nil when absent without a default.
    public func numbers(_ property: String, _ feature: FeatureContext) -> [Double]? {
        values[property]?.value(feature) { value, kind in
            guard case .numberArray(let count) = kind, case .array(let elements) = value,
                  count == nil || elements.count == count else { return nil }
            var result: [Double] = []
            result.reserveCapacity(elements.count)
            for element in elements {
                guard case .number(let n) = element, n.isFinite else { return nil }
                result.append(n)
            }
            return result
        }
    }

    /// A string-array property's value (`text-font`).
    public func strings(_ property: String, _ feature: FeatureContext) -> [String]? {
        values[property]?.value(feature) { value, kind in
            guard kind == .stringArray, case .array(let elements) = value, !elements.isEmpty else { return nil }
            var result: [String] = []
            for element in elements {
                guard case .string(let s) = element else { return nil }
                result.append(s)
            }
            return result
        }
    }

    /// True when one of `properties` can change from one feature to another.
    func dependsOnFeature(_ properties: [String]) -> Bool {
        properties.contains { values[$0]?.dependsOnFeature == true }
    }

    /// True when the style sets the property (rather than leaving MapLibre's default).
    public func isSet(_ property: String) -> Bool {
        explicitlySet.contains(property)
    }
}
