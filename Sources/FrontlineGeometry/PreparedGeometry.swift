import CGEOS

/// A GEOS prepared geometry: an index over its base geometry for fast repeated predicates.
/// Keeps its base alive, since GEOS requires the base to outlive the prepared twin.
public final class PreparedGeometry {
    let pointer: OpaquePointer
    /// The geometry this one was prepared from.
    public let base: OwnedGeometry

    init(_ pointer: OpaquePointer, base: OwnedGeometry) {
        self.pointer = pointer
        self.base = base
    }

    deinit { GEOSPreparedGeom_destroy_r(base.context.handle, pointer) }

    /// True when `other` shares at least a point with the base (`GEOSPreparedIntersects_r`).
    public func intersects(_ other: OwnedGeometry) throws -> Bool {
        try base.context.predicate("GEOSPreparedIntersects_r") { GEOSPreparedIntersects_r(base.context.handle, pointer, other.pointer) }
    }

    /// True when `other` lies inside the base, boundary excluded (`GEOSPreparedContains_r`).
    public func contains(_ other: OwnedGeometry) throws -> Bool {
        try base.context.predicate("GEOSPreparedContains_r") { GEOSPreparedContains_r(base.context.handle, pointer, other.pointer) }
    }

    /// True when the point lies inside the base or on its boundary.
    public func intersects(x: Double, y: Double) throws -> Bool {
        let point = try base.context.make(.point(x, y))
        return try intersects(point)
    }
}
