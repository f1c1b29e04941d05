import FrontlineData
import FrontlineGeometry
import FrontlineRender

/// One layer of Frontline's vector tiles: the scene's source-layer of the same name, the fields its
/// features carry and what they mean. The tiles are filled from it and TileJSON's `vector_layers`
/// is written from it, so the two cannot disagree.
public struct VectorLayerSchema: Sendable {
    /// A property of the layer's features.
    public struct Field: Sendable {
        /// What a value is, in the tile's `Value` message.
        public enum Kind: String, Sendable {
            case string = "String", number = "Number", boolean = "Boolean"
        }

        /// The name in the tile.
        public let name: String
        /// The value's kind.
        public let kind: Kind
        /// What it means, for TileJSON.
        public let description: String
        /// Where the scene feature holds it: a property, or a member of an object property
        /// (`names.hy` becomes `name_hy`).
        let key: String, member: String?

        init(_ name: String, _ kind: Kind, _ description: String, from key: String? = nil, member: String? = nil) {
            self.name = name
            self.kind = kind
            self.description = description
            self.key = key ?? name
            self.member = member
        }

        /// The feature's value as the tile stores it; nil when absent, null or of another kind
        /// (a vector tile has no null: the key is left out).
        func value(in properties: [String: JSONValue]) -> VectorTile.Value? {
            var found = properties[key]
            if let member { found = found?[member] }
            switch (kind, found) {
            case (.string, .string(let s)?): return .string(s)
            case (.boolean, .bool(let b)?): return .bool(b)
            // Whole numbers as integers, as GeoJSON writers and readers expect them back.
            case (.number, .number(let d)?) where d == d.rounded() && abs(d) < 9e15: return .int(Int64(d))
            case (.number, .number(let d)?): return .double(d)
            default: return nil
            }
        }
    }

    /// The layer's name (`source-layer` in a style), also the scene's source-layer it comes from.
    public let id: String
    /// What the layer shows.
    public let description: String
    /// Its fields.
    public let fields: [Field]

    /// Zooms TileJSON offers. At zoom 14 a tile unit is 0.6 m (Web Mercator), finer than any line
    /// of the data: clients draw deeper zooms from zoom 14's tiles rather than ask for more.
    public static let zooms = 0...14

    /// A feature's properties, in the order of the fields.
    func properties(of feature: MapScene.Feature) -> [(key: String, value: VectorTile.Value)] {
        fields.compactMap { field in field.value(in: feature.properties).map { (field.name, $0) } }
    }

    /// The layers of a dataset's tiles: of a date, or, with `change`, of what changed since an
    /// earlier date (which adds the `changes` layer and the `changed` flags).
    public static func layers(of dataset: Dataset, change: Bool) -> [VectorLayerSchema] {
        func names(_ places: [Place]) -> [Field] {
            Set(places.flatMap(\.names.keys)).sorted().map {
                Field("name_\($0)", .string, "the name in the language \($0), where known", from: "names", member: $0)
            }
        }
        let changed = change ? [Field("changed", .boolean, "true when inside ground that changed hands between `from` and the date")] : []
        var layers = [
            VectorLayerSchema(id: "control", description: "Who holds what ground on the date: one feature per area of control", fields: [
                Field("controlled_by", .string, "the id of the party holding the ground (dataset.json's parties)"),
                Field("party_name", .string, "that party's name"),
            ]),
            VectorLayerSchema(id: "zones", description: "Zones in force on the date (peacekeeping zone, corridors)", fields: [
                Field("name", .string, "the zone's name"),
                Field("kind", .string, "its kind: peacekeeping, corridor, …"),
            ]),
            VectorLayerSchema(id: "villages", description: "Villages and towns", fields: [
                Field("id", .string, "the village's id, unique in the dataset"),
                Field("name", .string, "its name"),
            ] + names(dataset.villages) + [Field("population", .number, "its population, where known")] + changed),
            VectorLayerSchema(id: "heights", description: "Heights (hills and ridges named in reports)", fields: [
                Field("id", .string, "the height's id, unique in the dataset"),
                Field("name", .string, "its name"),
            ] + names(dataset.heights) + [Field("elevation_m", .number, "its elevation in metres, where known")] + changed),
            VectorLayerSchema(id: "pipeline", description: "The gas pipeline and its status on the date", fields: [
                Field("name", .string, "the pipeline's name"),
                Field("status", .string, "flowing or cut on the date, where known"),
            ]),
        ]
        if change {
            layers.append(VectorLayerSchema(id: "changes", description: "The ground that changed hands between `from` and the date: one feature per pair of parties", fields: [
                Field("from", .string, "the id of the party that held it on `from` (none: no party)"),
                Field("to", .string, "the id of the party that holds it on the date (none: no party)"),
                Field("from_name", .string, "the name of the party that held it"),
                Field("to_name", .string, "the name of the party that holds it"),
                Field("area_km2", .number, "the geodesic area of the whole change in km² (not only of the part in the tile)"),
            ]))
        }
        return layers
    }

    /// This layer as an entry of TileJSON's `vector_layers`.
    public var tileJSON: JSONValue {
        .object([
            "id": .string(id),
            "description": .string(description),
            "minzoom": .number(Double(VectorLayerSchema.zooms.lowerBound)),
            "maxzoom": .number(Double(VectorLayerSchema.zooms.upperBound)),
            "fields": .object(Dictionary(uniqueKeysWithValues: fields.map { ($0.name, .string("\($0.kind.rawValue): \($0.description)")) })),
        ])
    }
}
