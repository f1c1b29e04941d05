/// The vector formats Frontline writes, chosen by the output file's extension. (It reads
/// whatever GDAL reads: see ``VectorReader``.)
public enum VectorFormat: String, Sendable, CaseIterable {
    /// RFC 7946 GeoJSON (`.geojson`, `.json`), written by Frontline's own writer so that it is
    /// byte-identical to what the commands print.
    case geoJSON = "GeoJSON"
    /// OGC GeoPackage (`.gpkg`).
    case geoPackage = "GPKG"
    /// ESRI Shapefile (`.shp` and its sidecars). Field names longer than 10 characters are
    /// truncated by GDAL (`controlled_by` → `controlled`, `village_ids` → `village_id`);
    /// strings longer than 254 bytes are truncated with a warning.
    case shapefile = "ESRI Shapefile"
    /// Keyhole Markup Language (`.kml`); properties go into `ExtendedData`.
    case kml = "KML"
    /// FlatGeobuf (`.fgb`), with a spatial index.
    case flatGeobuf = "FlatGeobuf"
    /// Comma-separated values with the geometry as WKT in the first column, `WKT` (`.csv`).
    case csv = "CSV"

    /// The format of a path with this extension (case-insensitive).
    /// Throws ``VectorFormatError/Code/unknownFormat`` naming the supported extensions otherwise.
    public init(path: String) throws(VectorFormatError) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.contains(".") ? String(name.split(separator: ".").last!).lowercased() : ""
        guard let format = Self.allCases.first(where: { $0.extensions.contains(ext) }) else {
            throw VectorFormatError(.unknownFormat, file: path, message:
                "unknown output format \(ext.isEmpty ? "(no extension)" : "'.\(ext)'"); use one of \(Self.supportedExtensions)")
        }
        self = format
    }

    /// The extensions that select this format, without the dot.
    public var extensions: [String] {
        switch self {
        case .geoJSON: return ["geojson", "json"]
        case .geoPackage: return ["gpkg"]
        case .shapefile: return ["shp"]
        case .kml: return ["kml"]
        case .flatGeobuf: return ["fgb"]
        case .csv: return ["csv"]
        }
    }

    /// Every supported extension, for messages and help: `.geojson, .json, .gpkg, …`.
    public static var supportedExtensions: String {
        allCases.flatMap(\.extensions).map { "." + $0 }.joined(separator: ", ")
    }

    /// The GDAL driver's short name.
    var driverName: String { rawValue }

    /// GDAL layer creation options (`KEY=VALUE`).
    var layerOptions: [String] {
        switch self {
        // Without it GDAL recodes text to ISO-8859-1 and loses Armenian and Azerbaijani names.
        case .shapefile: return ["ENCODING=UTF-8"]
        case .csv: return ["GEOMETRY=AS_WKT"]
        case .geoJSON, .geoPackage, .kml, .flatGeobuf: return []
        }
    }
}
