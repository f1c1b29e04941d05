import FrontlineGeometry

extension ChangeOfControl {
    /// The change as a GeoJSON Feature (properties of the data contract).
    public var feature: GeoJSONFeature {
        GeoJSONFeature(geometry: geometry, properties: [
            ("from", .string(from.id)),
            ("to", .string(to.id)),
            ("from_name", .string(from.name)),
            ("to_name", .string(to.name)),
            ("from_date", .string(fromDate.description)),
            ("to_date", .string(toDate.description)),
            ("area_km2", .km2(areaKm2)),
            ("villages", .array(villages.map { .string($0.name) })),
            ("village_ids", .array(villages.map { .string($0.id) })),
            ("heights", .array(heights.map { .string($0.name) })),
            ("height_ids", .array(heights.map { .string($0.id) })),
        ])
    }
}

extension Array where Element == ChangeOfControl {
    /// A GeoJSON FeatureCollection of the changes.
    public var geoJSON: [UInt8] { JSONWriter.featureCollection(map(\.feature)) }

    /// A short table: from, to, area, the villages and heights inside.
    public func table(from: CalendarDate, to: CalendarDate, minimumAreaKm2: Double, language: String? = nil) -> String {
        var title = "Changes of control, \(from.longDescription) → \(to.longDescription)"
        title += " (pieces of \(formatQuantity(minimumAreaKm2)) km² or more)"
        guard !isEmpty else { return title + "\n\nNo ground changed hands.\n" }
        var table = TextTable(["From", "To", "Area km²", "Villages", "Heights"], [.left, .left, .right, .left, .left])
        for change in sorted(by: { $0.areaKm2 > $1.areaKm2 }) {
            table.add([change.from.name, change.to.name, formatQuantity(change.areaKm2),
                       list(change.villages.map { $0.name(in: language) }), list(change.heights.map { $0.name(in: language) })])
        }
        table.add(["Total", "", formatQuantity(reduce(0) { $0 + $1.areaKm2 }), "", ""])
        return title + "\n\n" + table.text + "\n"
    }

    private func list(_ names: [String]) -> String {
        if names.isEmpty { return "–" }
        guard names.count > 6 else { return names.joined(separator: ", ") }
        return names.prefix(5).joined(separator: ", ") + " and \(names.count - 5) more"
    }
}
