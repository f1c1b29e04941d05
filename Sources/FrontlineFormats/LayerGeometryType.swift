import CGDAL
import FrontlineGeometry

/// The one geometry type of a layer to write, and the conversion of each geometry to it:
/// polygons and multipolygons as MultiPolygon, lines as MultiLineString, points as Point or
/// MultiPoint, anything mixed as Unknown (which Shapefile refuses).
struct LayerGeometryType {
    let ogrType: OGRwkbGeometryType

    init(_ geometries: [Geometry]) {
        let kinds = Set(geometries.map(\.kind))
        if kinds.isEmpty { ogrType = wkbUnknown }
        else if kinds.allSatisfy(\.isPolygonal) { ogrType = wkbMultiPolygon }
        else if kinds.allSatisfy(\.isLineal) { ogrType = wkbMultiLineString }
        else if kinds == [.point] { ogrType = wkbPoint }
        else if kinds.allSatisfy(\.isPuntal) { ogrType = wkbMultiPoint }
        else { ogrType = wkbUnknown }
    }

    /// A new OGR geometry (the caller takes ownership) of the layer's type.
    func ogrGeometry(_ geometry: Geometry, _ failure: (String) -> VectorFormatError) throws -> OGRGeometryH {
        var bytes = geometry.wkb
        var made: OGRGeometryH?
        // OGR_G_CreateFromWkb returns OGRERR_NONE (0) and stores a new geometry on success.
        guard OGR_G_CreateFromWkb(&bytes, nil, &made, Int32(bytes.count)) == OGRERR_NONE, let g = made else {
            throw failure("the geometry cannot be converted for GDAL")
        }
        // The OGR_G_ForceTo… functions take ownership and return the converted geometry (or the same one).
        switch ogrType {
        case wkbMultiPolygon: return OGR_G_ForceToMultiPolygon(g)
        case wkbMultiLineString: return OGR_G_ForceToMultiLineString(g)
        case wkbMultiPoint: return OGR_G_ForceToMultiPoint(g)
        default: return g
        }
    }
}
