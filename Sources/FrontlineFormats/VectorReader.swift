import CGDAL
import FrontlineGeometry

/// Reads any vector file GDAL reads (GeoJSON, GeoPackage, Shapefile, KML, FlatGeobuf, CSV, …)
/// into Frontline's values: geometries as ``Geometry`` in WGS84 longitude/latitude (reprojected
/// when the layer has another CRS; Z and M dropped; curves linearised), attributes as ``JSONValue``.
public enum VectorReader {
    /// Every layer of the file at `path`, read in one go on the calling thread.
    /// Throws ``VectorFormatError`` naming the file, layer and feature, with GDAL's message.
    public static func read(_ path: String) throws(VectorFormatError) -> (layers: [VectorLayer], warnings: [String]) {
        do {
            let (layers, warnings) = try GDALSession.run { session in try readLayers(path, session) }
            return (layers, warnings)
        } catch let error as VectorFormatError {
            throw error
        } catch {
            throw VectorFormatError(.cannotRead, file: path, message: "\(error)")
        }
    }

    private static func readLayers(_ path: String, _ session: GDALSession) throws -> [VectorLayer] {
        guard let dataset = OwnedDataset(opening: path), let handle = dataset.handle else {
            throw VectorFormatError(.cannotOpen, file: path, message: session.lastError(or: "not a vector file GDAL can read"))
        }
        guard let wgs84 = OwnedSpatialReference.wgs84() else {
            throw VectorFormatError(.cannotRead, file: path, message: session.lastError(or: "cannot make the WGS84 CRS (is proj-data installed?)"))
        }
        // GDALDatasetGetLayerCount returns the count (0 or more); layers belong to the dataset.
        return try (0..<GDALDatasetGetLayerCount(handle)).map { index in
            guard let layer = GDALDatasetGetLayer(handle, index) else {
                throw VectorFormatError(.cannotRead, file: path, message: session.lastError(or: "layer \(index) cannot be opened"))
            }
            return try readLayer(layer, path: path, wgs84: wgs84, session)
        }
    }

    private static func readLayer(_ layer: OGRLayerH, path: String, wgs84: OwnedSpatialReference, _ session: GDALSession) throws -> VectorLayer {
        // OGR_L_GetName never returns NULL; the string belongs to the layer.
        let name = String(cString: OGR_L_GetName(layer))
        var transform: OwnedTransform?
        var crsName: String?
        // OGR_L_GetSpatialRef returns NULL when the layer has no CRS (then lon/lat is assumed).
        if let layerCRS = OGR_L_GetSpatialRef(layer) {
            guard let source = OwnedSpatialReference.copy(of: layerCRS) else {
                throw VectorFormatError(.cannotRead, file: path, layer: name, message: session.lastError(or: "cannot copy the layer's CRS"))
            }
            crsName = OSRGetName(source.handle).map { String(cString: $0) }
            if !source.isSame(as: wgs84) {
                guard let t = OwnedTransform(from: source, to: wgs84) else {
                    throw VectorFormatError(.cannotRead, file: path, layer: name,
                                            message: session.lastError(or: "no transformation from \(crsName ?? "the layer's CRS") to WGS84"))
                }
                transform = t
            }
        }
        // The definition belongs to the layer.
        guard let definition = OGR_L_GetLayerDefn(layer) else {
            throw VectorFormatError(.cannotRead, file: path, layer: name, message: session.lastError(or: "the layer has no definition"))
        }
        let fields = FieldReader.fields(of: definition)
        var features: [GeoJSONFeature] = []
        OGR_L_ResetReading(layer)
        session.reset()
        // OGR_L_GetNextFeature returns a feature the caller destroys, or NULL at the end or on error.
        while let feature = OGR_L_GetNextFeature(layer) {
            defer { OGR_F_Destroy(feature) }
            let index = features.count
            do {
                let geometry = try OGR_F_GetGeometryRef(feature).map { try lonLat($0, transform, session) }
                features.append(GeoJSONFeature(geometry: geometry, properties: fields.values(of: feature)))
            } catch {
                throw VectorFormatError(.cannotRead, file: path, layer: name, featureIndex: index, message: "\(error)")
            }
        }
        if session.failed {
            throw VectorFormatError(.cannotRead, file: path, layer: name, featureIndex: features.count,
                                    message: session.lastError(or: "the feature cannot be read"))
        }
        return VectorLayer(name: name, features: features, sourceCRS: crsName)
    }

    /// The feature's geometry (owned by the feature, changed in place) as lon/lat ``Geometry``.
    private static func lonLat(_ geometry: OGRGeometryH, _ transform: OwnedTransform?, _ session: GDALSession) throws -> Geometry {
        var geometry = geometry
        var linear: OGRGeometryH?
        defer { if let linear { OGR_G_DestroyGeometry(linear) } }
        if OGR_GT_IsNonLinear(OGR_G_GetGeometryType(geometry)) != 0 {
            // OGR_G_GetLinearGeometry returns a new geometry (NULL on failure) approximating curves.
            guard let l = OGR_G_GetLinearGeometry(geometry, 0, nil) else {
                throw WKBError(session.lastError(or: "cannot approximate the curved geometry"))
            }
            linear = l
            geometry = l
        }
        if let transform {
            // OGR_G_Transform returns OGRERR_NONE (0) on success.
            guard OGR_G_Transform(geometry, transform.handle) == OGRERR_NONE else {
                throw WKBError(session.lastError(or: "cannot reproject the geometry to WGS84"))
            }
        }
        // OGR_G_WkbSize returns the byte count of the WKB export.
        var bytes = [UInt8](repeating: 0, count: Int(OGR_G_WkbSize(geometry)))
        // OGR_G_ExportToIsoWkb returns OGRERR_NONE (0) on success; ISO codes say Z/M as +1000/+2000/+3000.
        guard OGR_G_ExportToIsoWkb(geometry, wkbNDR, &bytes) == OGRERR_NONE else {
            throw WKBError(session.lastError(or: "cannot export the geometry as WKB"))
        }
        return try Geometry(wkb: bytes)
    }
}
