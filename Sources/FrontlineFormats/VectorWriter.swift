import CGDAL
import Foundation
import FrontlineGeometry

/// Writes features to a file in the format its extension names (see ``VectorFormat``), in
/// WGS84 longitude/latitude (EPSG:4326).
///
/// The file is written under a temporary name beside the target and renamed into place on
/// success, so a failed write leaves an existing file as it was. Polygonal layers are written as
/// MultiPolygon, lineal ones as MultiLineString (what Shapefile and GeoPackage expect of a layer
/// of mixed single and multi parts). Numbers become Integer64 or Real fields, booleans OGR
/// booleans, strings strings; arrays and objects are written as their JSON text.
public enum VectorWriter {
    /// Writes `features` to `path` as one layer named `layerName`; returns GDAL's warnings
    /// (such as values truncated to fit a Shapefile). Throws ``VectorFormatError``.
    @discardableResult
    public static func write(_ features: [GeoJSONFeature], to path: String, layerName: String) throws(VectorFormatError) -> [String] {
        let format = try VectorFormat(path: path)
        let target = URL(fileURLWithPath: path)
        if format == .geoJSON {
            do {
                try Data(JSONWriter.featureCollection(features)).write(to: target, options: .atomic)
            } catch {
                throw VectorFormatError(.cannotWrite, file: path, message: error.localizedDescription)
            }
            return []
        }
        let directory = target.deletingLastPathComponent()
        let staging = directory.appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).partial")
        // mkdir returns 0 on success, -1 with errno set (a missing or read-only folder).
        guard mkdir(staging.path, 0o755) == 0 else {
            throw VectorFormatError(.cannotWrite, file: path, message: "cannot create a file in \(directory.path): \(String(cString: strerror(errno)))")
        }
        defer { try? FileManager.default.removeItem(at: staging) }
        do {
            let (_, warnings) = try GDALSession.run { session in
                try writeLayer(features, to: staging.appendingPathComponent(target.lastPathComponent).path,
                               format: format, layerName: layerName, session)
            }
            try moveFiles(from: staging, to: directory, replacing: target, format: format)
            return warnings
        } catch let error as VectorFormatError {
            throw VectorFormatError(.cannotWrite, file: path, layer: error.layer, featureIndex: error.featureIndex, message: error.message)
        } catch {
            throw VectorFormatError(.cannotWrite, file: path, message: "\(error)")
        }
    }

    private static func writeLayer(_ features: [GeoJSONFeature], to path: String, format: VectorFormat, layerName: String, _ session: GDALSession) throws {
        func failure(_ fallback: String, feature: Int? = nil) -> VectorFormatError {
            VectorFormatError(.cannotWrite, file: path, layer: layerName, featureIndex: feature, message: session.lastError(or: fallback))
        }
        // GDALGetDriverByName returns NULL when GDAL was built without the driver.
        guard let driver = GDALGetDriverByName(format.driverName) else { throw failure("GDAL has no \(format.driverName) driver") }
        guard let dataset = OwnedDataset(creating: path, driver: driver), let handle = dataset.handle else {
            throw failure("cannot create the \(format.driverName) file")
        }
        guard let wgs84 = OwnedSpatialReference.wgs84() else { throw failure("cannot make the WGS84 CRS (is proj-data installed?)") }
        let layerType = LayerGeometryType(features.compactMap(\.geometry))
        var fields = FieldWriter(features)
        let created = withStringList(format.layerOptions) { options in
            // GDALDatasetCreateLayer returns NULL on failure; the layer belongs to the dataset.
            GDALDatasetCreateLayer(handle, layerName, wgs84.handle, layerType.ogrType, options)
        }
        guard let layer = created else { throw failure("cannot create the layer") }
        try fields.create(in: layer) { failure($0) }
        // The definition belongs to the layer.
        guard let definition = OGR_L_GetLayerDefn(layer) else { throw failure("the layer has no definition") }
        for (index, feature) in features.enumerated() {
            // OGR_F_Create returns a feature the caller destroys (NULL only when out of memory).
            guard let f = OGR_F_Create(definition) else { throw failure("cannot make a feature", feature: index) }
            defer { OGR_F_Destroy(f) }
            fields.set(feature.properties, on: f)
            if let geometry = feature.geometry {
                let g = try layerType.ogrGeometry(geometry) { failure($0, feature: index) }
                // OGR_F_SetGeometryDirectly takes ownership of g; returns OGRERR_NONE (0) on success.
                guard OGR_F_SetGeometryDirectly(f, g) == OGRERR_NONE else { throw failure("the geometry does not fit the layer", feature: index) }
            }
            session.reset()
            // OGR_L_CreateFeature returns OGRERR_NONE (0) on success.
            guard OGR_L_CreateFeature(layer, f) == OGRERR_NONE else { throw failure("cannot write the feature", feature: index) }
        }
        session.reset()
        dataset.close()
        if session.failed { throw failure("cannot finish the file") }
    }

    /// Renames every file written (a Shapefile's sidecars too) over the target's, then removes a
    /// Shapefile's index and code-page sidecars that this write did not make, which would be stale.
    private static func moveFiles(from staging: URL, to directory: URL, replacing target: URL, format: VectorFormat) throws {
        let written = try FileManager.default.contentsOfDirectory(atPath: staging.path)
        for name in written {
            let from = staging.appendingPathComponent(name).path, to = directory.appendingPathComponent(name).path
            // rename returns 0 on success, -1 with errno set; it replaces `to` atomically.
            guard rename(from, to) == 0 else {
                throw VectorFormatError(.cannotWrite, file: to, message: String(cString: strerror(errno)))
            }
        }
        guard format == .shapefile else { return }
        let base = target.deletingPathExtension().lastPathComponent
        for ext in ["qix", "sbn", "sbx", "cpg", "prj"] where !written.contains("\(base).\(ext)") {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent("\(base).\(ext)"))
        }
    }
}

/// Calls `body` with a NULL-terminated C list of strings (GDAL's `CSLConstList`), freed after.
func withStringList<T>(_ strings: [String], _ body: (CSLConstList?) -> T) -> T {
    // strdup returns NULL only when out of memory; GDAL then reads a shorter list.
    var copies = strings.map { strdup($0) } + [nil]
    defer { for copy in copies { free(copy) } }
    return copies.withUnsafeMutableBufferPointer { body($0.baseAddress) }
}
