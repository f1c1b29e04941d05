import CGDAL

/// An OGR spatial reference, with GIS axis order (longitude before latitude), released in `deinit`.
final class OwnedSpatialReference {
    let handle: OGRSpatialReferenceH

    private init(_ handle: OGRSpatialReferenceH) {
        self.handle = handle
        // Keep x = longitude / easting whatever the CRS's official axis order (EPSG:4326 says lat first).
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
    }

    /// WGS84 longitude/latitude (EPSG:4326); nil when PROJ's database is missing.
    static func wgs84() -> OwnedSpatialReference? {
        // OSRNewSpatialReference returns NULL only when out of memory.
        guard let h = OSRNewSpatialReference(nil) else { return nil }
        let srs = OwnedSpatialReference(h)
        // OSRImportFromEPSG returns OGRERR_NONE (0) on success.
        guard OSRImportFromEPSG(h, 4326) == OGRERR_NONE else { return nil }
        return srs
    }

    /// A copy of a spatial reference owned by someone else (a layer's).
    static func copy(of other: OGRSpatialReferenceH) -> OwnedSpatialReference? {
        // OSRClone returns NULL on failure.
        guard let h = OSRClone(other) else { return nil }
        return OwnedSpatialReference(h)
    }

    /// True when both describe the same CRS.
    func isSame(as other: OwnedSpatialReference) -> Bool {
        // OSRIsSame returns 1 when the same, 0 otherwise.
        OSRIsSame(handle, other.handle) == 1
    }

    deinit { OSRRelease(handle) }
}

/// A coordinate transformation between two spatial references, destroyed in `deinit`.
final class OwnedTransform {
    let handle: OGRCoordinateTransformationH

    /// The transformation, or nil when PROJ finds none (its message is GDAL's last error).
    init?(from source: OwnedSpatialReference, to target: OwnedSpatialReference) {
        // OCTNewCoordinateTransformation returns NULL when no transformation exists.
        guard let h = OCTNewCoordinateTransformation(source.handle, target.handle) else { return nil }
        handle = h
    }

    deinit { OCTDestroyCoordinateTransformation(handle) }
}
