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

        /// The name in the tile; for an object's members, the prefix of their names.
        public let name: String
        /// The value's kind.
        public let kind: Kind
        /// What it means, for TileJSON.
        public let description: String
        /// The scene feature's property that holds it.
        let key: String
        /// True when the property is an object whose members each become a field, named `name`
        /// followed by the member's name (`names.hy` becomes `name_hy`).
        let byMember: Bool

        init(_ name: String, _ kind: Kind, _ description: String, members key: String? = nil) {
            self.name = name
            self.kind = kind
            self.description = description
            self.key = key ?? name
            byMember = key != nil
        }

        /// The feature's values as the tile stores them (members in name order); none when
        /// absent, null or of another kind (a vector tile has no null: the key is left out).
        func values(in properties: [String: JSONValue]) -> [(key: String, value: VectorTile.Value)] {
            guard let found = properties[key] else { return [] }
            guard byMember else { return value(found).map { [(name, $0)] } ?? [] }
            return (found.objectValue ?? [:]).sorted { $0.key < $1.key }.compactMap { member, v in value(v).map { (name + member, $0) } }
        }

        private func value(_ found: JSONValue) -> VectorTile.Value? {
            switch (kind, found) {
            case (.string, .string(let s)): return .string(s)
            case (.boolean, .bool(let b)): return .bool(b)
            // Whole numbers as integers, as GeoJSON writers and readers expect them back.
            case (.number, .number(let d)) where d == d.rounded() && abs(d) < 9e15: return .int(Int64(d))
            case (.number, .number(let d)): return .double(d)
            default: return nil
            }
        }

        /// The field's entries in TileJSON: name → "Kind: description"; `members` names the
        /// members of an object field.
        func tileJSON(members: [String]) -> [(String, JSONValue)] {
            (byMember ? members.map { name + $0 } : [name]).map { ($0, .string("\(kind.rawValue): \(description)")) }
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
        fields.flatMap { $0.values(in: feature.properties) }
    }

    /// The layers of the tiles of a date, or, with `change`, of what changed since an earlier
    /// date (which adds the `changes` layer and the `changed` flags).
    public static func layers(change: Bool) -> [VectorLayerSchema] {
        change ? changeLayers : dateLayers
    }

    private static let dateLayers = make(change: false)
    private static let changeLayers = make(change: true)

    private static func make(change: Bool) -> [VectorLayerSchema] {
        let names = Field("name_", .string, "the name in this language, where known", members: "names")
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
                names,
                Field("place", .string, "its rank: city, town, village or hamlet, where known"),
                Field("capital", .boolean, "true for the capital"),
                Field("population", .number, "its population, where known"),
            ] + changed),
            VectorLayerSchema(id: "heights", description: "Heights (hills and ridges named in reports)", fields: [
                Field("id", .string, "the height's id, unique in the dataset"),
                Field("name", .string, "its name"),
                names,
                Field("elevation_m", .number, "its elevation in metres, where known"),
            ] + changed),
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

    /// This layer as an entry of TileJSON's `vector_layers`; `members` names the members of its
    /// object fields (the languages of the places' `names`).
    public func tileJSON(members: [String]) -> JSONValue {
        .object([
            "id": .string(id),
            "description": .string(description),
            "minzoom": .number(Double(VectorLayerSchema.zooms.lowerBound)),
            "maxzoom": .number(Double(VectorLayerSchema.zooms.upperBound)),
            "fields": .object(Dictionary(uniqueKeysWithValues: fields.flatMap { $0.tileJSON(members: members) })),
        ])
    }
}
