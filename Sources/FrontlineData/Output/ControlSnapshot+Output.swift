import FrontlineGeometry

extension ControlSnapshot {
    /// One feature per party that holds ground (`none` last), in `parties`' order: properties
    /// `controlled_by`, `party_name`, `date`, `area_km2` (geodesic, 4 decimals).
    public func features(parties: [Party]) -> [GeoJSONFeature] {
        parties.compactMap { party in
            let ground = ground(of: party.id)
            guard !ground.isEmpty else { return nil }
            return GeoJSONFeature(geometry: ground, properties: [
                ("controlled_by", .string(party.id)),
                ("party_name", .string(party.name)),
                ("date", .string(date.description)),
                ("area_km2", .km2(Geodesic.wgs84.areaKm2(ground))),
            ])
        }
    }
}

extension JSONValue {
    /// An area in km² as outputs write it: 4 decimals (1 m² is 1e-6 km²; finer says nothing).
    static func km2(_ area: Double) -> JSONValue { .number((area * 10_000).rounded() / 10_000) }
}
