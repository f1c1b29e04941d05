import FrontlineGeometry

/// One layer of a vector file as read: its features in WGS84 longitude/latitude.
public struct VectorLayer: Sendable {
    /// The layer's name (for single-layer formats, usually the file's base name).
    public var name: String
    /// The features, in the file's order; properties in the layer's field order.
    public var features: [GeoJSONFeature]
    /// The layer's CRS as GDAL names it (e.g. "WGS 84 / Pseudo-Mercator"), nil when it has none.
    public var sourceCRS: String?

    /// Makes a layer.
    public init(name: String, features: [GeoJSONFeature], sourceCRS: String?) {
        self.name = name
        self.features = features
        self.sourceCRS = sourceCRS
    }
}
