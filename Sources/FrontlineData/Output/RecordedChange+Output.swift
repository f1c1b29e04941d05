import FrontlineGeometry

extension RecordedChange {
    /// The change as a GIS feature: id, date, to, to_name, area_km2 (geodesic), source, recorded.
    public func feature(party: Party?) -> GeoJSONFeature {
        GeoJSONFeature(geometry: geometry, properties: [
            ("id", .number(Double(id))), ("date", .string(date.description)), ("to", .string(to)),
            ("to_name", .string(party?.name ?? to)), ("area_km2", .km2(Geodesic.wgs84.areaKm2(geometry))),
            ("source", source.map { .string($0) } ?? .null), ("recorded", recorded.map { .string($0) } ?? .null),
        ])
    }
}
