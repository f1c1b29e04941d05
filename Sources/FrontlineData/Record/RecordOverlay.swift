import FrontlineGeometry

/// The overlays of the record: GEOS's floating-point overlay, fast; when it cannot node nearly
/// coincident edges (a TopologyException, which snapshots that redraw the same line with tiny
/// differences provoke), the same overlay again with snap rounding on the record's grid, which
/// cannot fail that way.
extension OwnedGeometry {
    func recordIntersection(_ other: OwnedGeometry) throws -> OwnedGeometry {
        do { return try intersection(other) } catch { return try polygonal().intersection(try other.polygonal(), gridSize: ControlRecord.gridSize) }
    }

    func recordDifference(_ other: OwnedGeometry) throws -> OwnedGeometry {
        do { return try difference(other) } catch { return try polygonal().difference(try other.polygonal(), gridSize: ControlRecord.gridSize) }
    }

    func recordUnion(_ other: OwnedGeometry) throws -> OwnedGeometry {
        do { return try union(other) } catch { return try polygonal().union(try other.polygonal(), gridSize: ControlRecord.gridSize) }
    }

    /// Only the polygons: an overlay's result may hold lines and points where edges collapsed,
    /// which the snap-rounding overlay refuses as input.
    private func polygonal() throws -> OwnedGeometry { try context.make(try polygonalPart()) }
}

extension GeometryContext {
    /// The part of a large geometry near `box` (`GEOSClipByRect`, linear and without noding, on a
    /// box widened a little so that no edge lies on its sides): what an overlay with a small
    /// geometry inside `box` needs, without noding the whole of the large one.
    func recordPart(of geometry: Geometry, near box: BoundingBox) throws -> OwnedGeometry {
        let owned = try make(geometry)
        guard let whole = geometry.boundingBox, !(whole.minX >= box.minX && whole.maxX <= box.maxX && whole.minY >= box.minY && whole.maxY <= box.maxY) else {
            return owned
        }
        // GEOS's rectangle clipping refuses some rings it meets collapsed: then the whole of it.
        return (try? owned.clipped(to: box.expanded(by: 1e-4))) ?? owned
    }

    /// ``union(of:)`` with the record's fallback.
    func recordUnion(of geometries: [Geometry]) throws -> OwnedGeometry {
        do { return try union(of: geometries) } catch {
            return try make(Geometry(kind: .geometryCollection, coordinates: [], ringEnds: [], members: geometries))
                .unaryUnion(gridSize: ControlRecord.gridSize)
        }
    }
}
