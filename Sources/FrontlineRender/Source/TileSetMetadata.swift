import FrontlineData
import FrontlineGeometry

/// What describes a set of XYZ tiles of one date and style, for web maps (TileJSON 3.0.0) and
/// for files (the MBTiles 1.3 metadata table): one description, two spellings.
public struct TileSetMetadata: Sendable {
    /// A human-readable name.
    public var name: String
    /// What the tiles show.
    public var description: String
    /// The dataset's source line (plain text; escaped as HTML where the format asks for HTML).
    public var attribution: String
    /// The area covered, in longitude/latitude.
    public var bounds: BoundingBox
    /// The zoom levels offered.
    public var zooms: ClosedRange<Int>
    /// The date shown.
    public var date: CalendarDate
    /// The dataset's key dates.
    public var keyDates: [KeyDate]
    /// Tile size in pixels (512 for `@2x`).
    public var tileSize: Int

    /// A description from its parts.
    public init(name: String, description: String, attribution: String, bounds: BoundingBox, zooms: ClosedRange<Int>,
                date: CalendarDate, keyDates: [KeyDate], tileSize: Int) {
        self.name = name
        self.description = description
        self.attribution = attribution
        self.bounds = bounds
        self.zooms = zooms
        self.date = date
        self.keyDates = keyDates
        self.tileSize = tileSize
    }

    /// The zoom a client starts at: 8 (the dataset's region) within the offered zooms.
    public var centreZoom: Int { min(max(8, zooms.lowerBound), zooms.upperBound) }

    /// TileJSON 3.0.0 whose tiles are at `tiles` (a URL template with `{z}`, `{x}`, `{y}`).
    public func tileJSON(tiles: String) -> JSONValue {
        .object([
            "tilejson": .string("3.0.0"),
            "name": .string(name),
            "description": .string(description),
            "attribution": .string(TileSetMetadata.htmlEscaped(attribution)),
            "scheme": .string("xyz"),
            "tiles": .array([.string(tiles)]),
            "minzoom": .number(Double(zooms.lowerBound)), "maxzoom": .number(Double(zooms.upperBound)),
            "bounds": .array([bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].map { .number($0) }),
            "center": .array([.number((bounds.minX + bounds.maxX) / 2), .number((bounds.minY + bounds.maxY) / 2), .number(Double(centreZoom))]),
            "tileSize": .number(Double(tileSize)),
            "date": .string(date.description),
            "key_dates": TileSetMetadata.json(keyDates),
        ])
    }

    /// The rows of an MBTiles 1.3 `metadata` table (name → value).
    public var mbtiles: [String: String] {
        [
            "name": name, "description": description, "format": "png", "type": "overlay", "version": "1.3",
            "attribution": TileSetMetadata.htmlEscaped(attribution),
            "bounds": [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].map { String($0) }.joined(separator: ","),
            "center": "\((bounds.minX + bounds.maxX) / 2),\((bounds.minY + bounds.maxY) / 2),\(centreZoom)",
            "minzoom": String(zooms.lowerBound), "maxzoom": String(zooms.upperBound),
            "date": date.description,
        ]
    }

    /// Key dates as JSON: `[{"date", "label"}]`, as TileJSON and `/dates.json` give them.
    public static func json(_ keyDates: [KeyDate]) -> JSONValue {
        .array(keyDates.map { .object(["date": .string($0.date.description), "label": .string($0.label)]) })
    }

    /// `&`, `<`, `>` and `"` as HTML entities: attribution is shown as HTML by web maps.
    public static func htmlEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
