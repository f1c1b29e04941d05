import CGDAL

/// A GDAL dataset handle, closed exactly once (by ``close()`` or in `deinit`).
final class OwnedDataset {
    private(set) var handle: GDALDatasetH?

    /// Opens `path` read-only as vector data; nil when GDAL cannot (its message says why).
    init?(opening path: String) {
        // GDALOpenEx returns NULL when the file is missing or no vector driver recognises it.
        guard let h = GDALOpenEx(path, UInt32(GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR), nil, nil, nil) else { return nil }
        handle = h
    }

    /// Creates a new vector dataset at `path` with `driver`; nil when the driver refuses.
    init?(creating path: String, driver: GDALDriverH) {
        // GDALCreate returns NULL on failure; 0 × 0 raster, no bands, no type: a vector dataset.
        guard let h = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, nil) else { return nil }
        handle = h
    }

    /// Flushes and closes now; formats such as GeoPackage and FlatGeobuf finish their files here.
    func close() {
        // GDALClose returns nothing in GDAL 3.6: failures are reported through CPLGetLastErrorType.
        if let handle { GDALClose(handle) }
        handle = nil
    }

    deinit { close() }
}
