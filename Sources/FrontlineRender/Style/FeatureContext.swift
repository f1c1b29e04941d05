import FrontlineGeometry

/// What a style expression sees of one feature: the zoom being drawn, the feature's properties,
/// its geometry type and id. A plain struct, cheap to make once per feature and layer.
public struct FeatureContext: Sendable {
    /// The zoom level being drawn (fractional zooms allowed).
    public var zoom: Double
    /// The feature's GeoJSON properties.
    public var properties: [String: JSONValue]
    /// `Point`, `LineString` or `Polygon` (what `["geometry-type"]` returns).
    public var geometryType: String
    /// The feature's `id`, when it has one (what `["id"]` returns).
    public var id: JSONValue?

    /// Makes a context; the defaults suit zoom-only evaluation (a legend, a background).
    public init(zoom: Double, properties: [String: JSONValue] = [:], geometryType: String = "Point", id: JSONValue? = nil) {
        self.zoom = zoom
        self.properties = properties
        self.geometryType = geometryType
        self.id = id
    }
}
