import FrontlineGeometry

/// One layer's geometries in Web Mercator metres with a shared spatial index: built once per
/// dataset, read by every render thread. Item `i` is feature `i` of the dataset's layer array.
public struct IndexedLayer: Sendable {
    /// Web Mercator (EPSG:3857) geometries, in the order of the dataset's layer.
    public let geometries: [Geometry]
    /// Bounding box of each geometry (nil when empty).
    public let boxes: [BoundingBox?]
    /// Index over `boxes`.
    public let index: BoxTree

    init(_ lonLat: [Geometry], projection: Projection) throws {
        geometries = try lonLat.map { try projection.forward($0) }
        boxes = geometries.map(\.boundingBox)
        index = BoxTree(boxes)
    }

    /// Features whose bounding box meets `box` (Web Mercator metres), in layer order.
    public func candidates(in box: BoundingBox) -> [Int] { index.query(box) }
}

/// Every layer of a dataset projected to Web Mercator and indexed.
public struct ProjectedLayers: Sendable {
    /// Zones such as the peacekeeping zone and corridors (`zones.geojson`), in Web Mercator metres.
    public let zones: IndexedLayer
    /// Village points (`villages.geojson`), in Web Mercator metres.
    public let villages: IndexedLayer
    /// Height (hilltop) points (`heights.geojson`), in Web Mercator metres.
    public let heights: IndexedLayer
    /// Pipeline lines (`pipeline.geojson`), in Web Mercator metres.
    public let pipeline: IndexedLayer
    /// Event geometries of any type (`events.geojson`), in Web Mercator metres.
    public let events: IndexedLayer
    /// Context features drawn under everything (`basemap.geojson`), in Web Mercator metres.
    public let basemap: IndexedLayer
}

extension Dataset {
    /// Projects every layer to Web Mercator once (PROJ, EPSG:4326 → EPSG:3857) and indexes it.
    public func webMercatorLayers() throws -> ProjectedLayers {
        let projection = try Projection.webMercator()
        func layer(_ geometries: [Geometry]) throws -> IndexedLayer { try IndexedLayer(geometries, projection: projection) }
        func point(_ p: Place) -> Geometry { .point(p.lon, p.lat) }
        return ProjectedLayers(
            zones: try layer(zones.map(\.geometry)),
            villages: try layer(villages.map(point)), heights: try layer(heights.map(point)),
            pipeline: try layer(pipeline.map(\.geometry)), events: try layer(events.map(\.geometry)),
            basemap: try layer(basemap.map(\.geometry)))
    }
}
