import CGEOS

/// A geometry held by GEOS, owned by this object and freed with it. Lives in one
/// ``GeometryContext`` (and so on one thread); turn it back into a ``Geometry`` to share it.
public final class OwnedGeometry {
    let pointer: OpaquePointer
    /// The context this geometry was made in; kept alive as long as the geometry.
    public let context: GeometryContext

    init(_ pointer: OpaquePointer, in context: GeometryContext) {
        self.pointer = pointer
        self.context = context
    }

    deinit { GEOSGeom_destroy_r(context.handle, pointer) }

    private var handle: GEOSContextHandle_t { context.handle }

    // MARK: Overlay and repair

    /// The part of this geometry inside `other` (`GEOSIntersection_r`).
    public func intersection(_ other: OwnedGeometry) throws -> OwnedGeometry {
        try context.owned("GEOSIntersection_r") { GEOSIntersection_r(handle, pointer, other.pointer) }
    }

    /// The part of this geometry outside `other` (`GEOSDifference_r`).
    public func difference(_ other: OwnedGeometry) throws -> OwnedGeometry {
        try context.owned("GEOSDifference_r") { GEOSDifference_r(handle, pointer, other.pointer) }
    }

    /// The union of the two (`GEOSUnion_r`).
    public func union(_ other: OwnedGeometry) throws -> OwnedGeometry {
        try context.owned("GEOSUnion_r") { GEOSUnion_r(handle, pointer, other.pointer) }
    }

    /// The part of this geometry inside `other`, computed on a grid of `gridSize` with snap
    /// rounding (`GEOSIntersectionPrec_r`): slower, but never fails on nearly coincident edges.
    public func intersection(_ other: OwnedGeometry, gridSize: Double) throws -> OwnedGeometry {
        try context.owned("GEOSIntersectionPrec_r") { GEOSIntersectionPrec_r(handle, pointer, other.pointer, gridSize) }
    }

    /// ``difference(_:)`` on a grid of `gridSize` with snap rounding (`GEOSDifferencePrec_r`).
    public func difference(_ other: OwnedGeometry, gridSize: Double) throws -> OwnedGeometry {
        try context.owned("GEOSDifferencePrec_r") { GEOSDifferencePrec_r(handle, pointer, other.pointer, gridSize) }
    }

    /// ``union(_:)`` on a grid of `gridSize` with snap rounding (`GEOSUnionPrec_r`).
    public func union(_ other: OwnedGeometry, gridSize: Double) throws -> OwnedGeometry {
        try context.owned("GEOSUnionPrec_r") { GEOSUnionPrec_r(handle, pointer, other.pointer, gridSize) }
    }

    /// ``unaryUnion()`` on a grid of `gridSize` with snap rounding (`GEOSUnaryUnionPrec_r`).
    public func unaryUnion(gridSize: Double) throws -> OwnedGeometry {
        try context.owned("GEOSUnaryUnionPrec_r") { GEOSUnaryUnionPrec_r(handle, pointer, gridSize) }
    }

    /// The union of this geometry's own parts (`GEOSUnaryUnion_r`).
    public func unaryUnion() throws -> OwnedGeometry {
        try context.owned("GEOSUnaryUnion_r") { GEOSUnaryUnion_r(handle, pointer) }
    }

    /// A valid geometry covering the same ground (`GEOSMakeValidWithParams_r`, "structure" method,
    /// collapsed parts dropped: a bow-tie becomes two triangles, not a line).
    public func makeValid() throws -> OwnedGeometry {
        guard let params = GEOSMakeValidParams_create_r(handle) else { throw context.failure("GEOSMakeValidParams_create_r") }
        defer { GEOSMakeValidParams_destroy_r(handle, params) }
        // Both setters return 0 on exception.
        guard GEOSMakeValidParams_setMethod_r(handle, params, GEOS_MAKE_VALID_STRUCTURE) != 0,
              GEOSMakeValidParams_setKeepCollapsed_r(handle, params, 0) != 0
        else { throw context.failure("GEOSMakeValidParams_setMethod_r") }
        return try context.owned("GEOSMakeValidWithParams_r") { GEOSMakeValidWithParams_r(handle, pointer, params) }
    }

    /// The part inside the rectangle, fast and without full noding (`GEOSClipByRect_r`); the
    /// result may be invalid at the rectangle's edges, which is fine for drawing.
    public func clipped(to box: BoundingBox) throws -> OwnedGeometry {
        try context.owned("GEOSClipByRect_r") { GEOSClipByRect_r(handle, pointer, box.minX, box.minY, box.maxX, box.maxY) }
    }

    /// Snapped to a grid of `gridSize` (e.g. 1e-6 degrees), kept valid (`GEOSGeom_setPrecision_r`):
    /// what is then written with as many decimals reads back as the same valid geometry.
    public func snapped(to gridSize: Double) throws -> OwnedGeometry {
        try context.owned("GEOSGeom_setPrecision_r") { GEOSGeom_setPrecision_r(handle, pointer, gridSize, 0) }
    }

    /// Simplified with the Douglas–Peucker tolerance, keeping the topology of this geometry
    /// (`GEOSTopologyPreserveSimplify_r`).
    public func simplified(tolerance: Double) throws -> OwnedGeometry {
        try context.owned("GEOSTopologyPreserveSimplify_r") { GEOSTopologyPreserveSimplify_r(handle, pointer, tolerance) }
    }

    /// The smallest rectangle holding the geometry (`GEOSEnvelope_r`).
    public func envelope() throws -> OwnedGeometry {
        try context.owned("GEOSEnvelope_r") { GEOSEnvelope_r(handle, pointer) }
    }

    /// A point guaranteed to lie on the geometry (`GEOSPointOnSurface_r`), nil when empty.
    public func pointOnSurface() throws -> (x: Double, y: Double)? {
        if try isEmpty() { return nil }
        let point = try context.owned("GEOSPointOnSurface_r") { GEOSPointOnSurface_r(handle, pointer) }
        let value = try point.value()
        return value.positionCount > 0 ? value.position(0) : nil
    }

    /// The centre of the largest circle inside the polygon (`GEOSMaximumInscribedCircle_r`, found to
    /// within `tolerance`; it returns a line from the centre to the nearest edge, NULL on error):
    /// where a name fits best. Nil when empty.
    public func inscribedCentre(tolerance: Double) throws -> (x: Double, y: Double)? {
        if try isEmpty() { return nil }
        let line = try context.owned("GEOSMaximumInscribedCircle_r") { GEOSMaximumInscribedCircle_r(handle, pointer, tolerance) }
        let value = try line.value()
        return value.positionCount > 0 ? value.position(0) : nil
    }

    /// Only the polygonal parts (a collection from an overlay may hold lines and points too).
    public func polygonalPart() throws -> Geometry {
        let value = try self.value()
        let polygons = value.polygons
        return Geometry.multiPolygon(polygons)
    }

    // MARK: Predicates and measures

    /// True when GEOS finds the geometry valid (`GEOSisValid_r`: 1 valid, 0 invalid, 2 exception).
    public func isValid() throws -> Bool {
        try context.predicate("GEOSisValid_r") { GEOSisValid_r(handle, pointer) }
    }

    /// GEOS's reason for invalidity ("Valid Geometry" when valid).
    public func validityReason() throws -> String {
        context.lastError = nil
        guard let reason = GEOSisValidReason_r(handle, pointer) else { throw context.failure("GEOSisValidReason_r") }
        defer { GEOSFree_r(handle, reason) }
        return String(cString: reason)
    }

    /// True when the geometries share at least a point (`GEOSIntersects_r`).
    public func intersects(_ other: OwnedGeometry) throws -> Bool {
        try context.predicate("GEOSIntersects_r") { GEOSIntersects_r(handle, pointer, other.pointer) }
    }

    /// True when the geometry has no positions (`GEOSisEmpty_r`).
    public func isEmpty() throws -> Bool {
        try context.predicate("GEOSisEmpty_r") { GEOSisEmpty_r(handle, pointer) }
    }

    /// Planar area in the units of the coordinates squared (`GEOSArea_r`, returns 0 on exception).
    public func planarArea() throws -> Double {
        var area = 0.0
        context.lastError = nil
        guard GEOSArea_r(handle, pointer, &area) != 0 else { throw context.failure("GEOSArea_r") }
        return area
    }

    /// A prepared twin for fast repeated predicates against this geometry.
    public func prepared() throws -> PreparedGeometry {
        context.lastError = nil
        guard let prepared = GEOSPrepare_r(handle, pointer) else { throw context.failure("GEOSPrepare_r") }
        return PreparedGeometry(prepared, base: self)
    }
}

extension Geometry {
    /// A MultiPolygon made of the given polygons (a Polygon when there is one, empty when none).
    public static func multiPolygon(_ polygons: [Geometry]) -> Geometry {
        if polygons.count == 1 { return polygons[0] }
        var result = Geometry(kind: .multiPolygon, coordinates: [], ringEnds: [], polygonEnds: [])
        for polygon in polygons {
            let offset = result.positionCount
            let ringOffset = result.ringEnds.count
            result.coordinates += polygon.coordinates
            result.ringEnds += polygon.ringEnds.map { $0 + offset }
            result.polygonEnds += polygon.polygonEnds.map { $0 + ringOffset }
        }
        return result
    }
}
