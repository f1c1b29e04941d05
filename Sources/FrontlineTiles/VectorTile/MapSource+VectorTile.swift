import FrontlineData
import FrontlineGeometry
import FrontlineRender

extension MapSource {
    /// One Mapbox Vector Tile of a subject (a date, or what changed up to it), layers and fields
    /// as ``VectorLayerSchema/layers(change:)`` describes them.
    public func vectorTile(_ data: MapData, _ subject: MapSubject, tile: TileCoordinate) throws -> [UInt8] {
        // Simplified to half a pixel of a 512 px tile, the size web maps draw vector tiles at: the
        // same simplification as the @2x PNG tiles, made once for both.
        let (scene, layers) = try simplifiedScene(data, subject, zoom: tile.z, scale: 2)
        return try VectorTile(scene: scene, simplified: layers, schema: VectorLayerSchema.layers(change: subject.earlierDate != nil), tile: tile).encoded()
    }

    /// TileJSON 3.0.0 for the vector tiles of a subject at `tiles` (a URL template with `{z}`,
    /// `{x}`, `{y}`): the raster TileJSON's description with `vector_layers` instead of a tile size.
    public func vectorTileJSON(_ data: MapData, _ subject: MapSubject, tiles: String) -> JSONValue {
        let m = data.metadata
        let date = subject.controlDate
        let shown = subject.earlierDate.map { "Changes of control from \($0.longDescription) to \(date.longDescription)" }
            ?? "Control as of \(date.longDescription)"
        let tileSet = TileSetMetadata(name: "\(m.title) — \(shown) (vector)", description: shown, attribution: m.attribution,
                                      bounds: m.bbox, zooms: VectorLayerSchema.zooms, date: date, keyDates: m.keyDates, tileSize: 512)
        var members = tileSet.tileJSON(tiles: tiles).objectValue ?? [:]
        members.removeValue(forKey: "tileSize")
        members["format"] = .string("pbf")
        if let from = subject.earlierDate { members["from"] = .string(from.description) }
        // The languages of the places' names, each a field `name_…`.
        let languages = ["villages": data.dataset.villages, "heights": data.dataset.heights].mapValues { Set($0.flatMap(\.names.keys)).sorted() }
        members["vector_layers"] = .array(VectorLayerSchema.layers(change: subject.earlierDate != nil).map { $0.tileJSON(members: languages[$0.id] ?? []) })
        return .object(members)
    }
}

extension MapSubject {
    /// The first date of a change; nil for a date.
    public var earlierDate: CalendarDate? {
        if case .change(let from, _) = self { return from }
        return nil
    }
}
