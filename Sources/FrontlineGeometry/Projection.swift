import CPROJ

/// A PROJ coordinate transformation, owned here and freed with it. Not `Sendable`: creating
/// one costs about a millisecond, so keep one per thread and reuse it.
public final class Projection {
    private let context: OpaquePointer
    /// Set once at the end of init; nil only while init is failing.
    private var transform: OpaquePointer?
    /// Messages PROJ logged since the last call (its error numbers alone say little).
    private var log: [String] = []

    /// WGS84 longitude/latitude (EPSG:4326) to Web Mercator metres (EPSG:3857).
    public static func webMercator() throws -> Projection {
        try Projection(from: "EPSG:4326", to: "EPSG:3857")
    }

    /// A transformation between two CRS strings, with longitude/latitude order for geographic ones.
    public init(from source: String, to target: String) throws {
        guard let context = proj_context_create() else {
            throw GeometryError(.projection, operation: "proj_context_create", message: "cannot create a PROJ context")
        }
        self.context = context
        let me = Unmanaged.passUnretained(self).toOpaque()
        proj_log_func(context, me) { user, _, message in
            guard let user, let message else { return }
            Unmanaged<Projection>.fromOpaque(user).takeUnretainedValue().log.append(String(cString: message))
        }
        // Returns NULL on error, with the reason logged.
        guard let raw = proj_create_crs_to_crs(context, source, target, nil) else {
            throw GeometryError(.projection, operation: "proj_create_crs_to_crs", message: lastMessage(or: "cannot transform \(source) to \(target)"))
        }
        defer { proj_destroy(raw) }
        // EPSG:4326 is latitude-first by definition; normalise to the longitude-first order of GeoJSON.
        guard let normalized = proj_normalize_for_visualization(context, raw) else {
            throw GeometryError(.projection, operation: "proj_normalize_for_visualization", message: lastMessage(or: "cannot normalise axis order"))
        }
        self.transform = normalized
    }

    deinit {
        if let transform { proj_destroy(transform) }
        proj_context_destroy(context)
    }

    private func lastMessage(or fallback: String) -> String {
        defer { log.removeAll() }
        return log.last ?? fallback
    }

    /// A longitude/latitude box in Web Mercator metres (latitudes clamped to the square world).
    public func forwardBox(_ box: BoundingBox) throws -> BoundingBox {
        let corners = try forward(.lineString([(box.minX, max(box.minY, -WebMercator.maximumLatitude)),
                                               (box.maxX, min(box.maxY, WebMercator.maximumLatitude))]))
        return BoundingBox(minX: corners.coordinates[0], minY: corners.coordinates[1], maxX: corners.coordinates[2], maxY: corners.coordinates[3])
    }

    /// Transforms every position of the geometry (members included) in one call per part.
    public func forward(_ geometry: Geometry) throws -> Geometry {
        var out = geometry
        try forwardInPlace(&out.coordinates)
        out.members = try geometry.members.map(forward)
        return out
    }

    /// Transforms interleaved x, y pairs in place (`proj_trans_generic`).
    public func forwardInPlace(_ coordinates: inout [Double]) throws {
        guard let transform, !coordinates.isEmpty else { return }
        let n = coordinates.count / 2
        let stride = 2 * MemoryLayout<Double>.stride
        proj_errno_reset(transform)
        let done = coordinates.withUnsafeMutableBufferPointer { c -> Int in
            proj_trans_generic(transform, PJ_FWD, c.baseAddress, stride, n, c.baseAddress! + 1, stride, n, nil, 0, 0, nil, 0, 0)
        }
        let errno = proj_errno(transform)
        guard done == n, errno == 0 else {
            throw GeometryError(.projection, operation: "proj_trans_generic", message: lastMessage(or: "transformed \(done) of \(n) positions (PROJ error \(errno))"))
        }
        guard coordinates.allSatisfy(\.isFinite) else {
            throw GeometryError(.projection, operation: "proj_trans_generic", message: "a position falls outside the projection's domain")
        }
    }
}
