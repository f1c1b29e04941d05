import CGEOS

extension GeometryContext {
    /// Copies a ``Geometry`` into GEOS.
    public func make(_ geometry: Geometry) throws -> OwnedGeometry {
        OwnedGeometry(try makeRaw(geometry), in: self)
    }

    /// The union of many geometries in one GEOS call (`GEOSUnaryUnion_r` over a collection),
    /// much faster than folding pairwise unions.
    public func union(of geometries: [Geometry]) throws -> OwnedGeometry {
        if geometries.count == 1 { return try make(geometries[0]).unaryUnion() }
        let collection = try make(Geometry(kind: .geometryCollection, coordinates: [], ringEnds: [], members: geometries))
        return try collection.unaryUnion()
    }

    /// Builds a GEOS geometry that the caller owns.
    func makeRaw(_ g: Geometry) throws -> OpaquePointer {
        lastError = nil
        switch g.kind {
        case .point:
            guard g.positionCount == 1 else {
                return try created("GEOSGeom_createEmptyPoint_r") { GEOSGeom_createEmptyPoint_r(handle) }
            }
            let seq = try sequence(g, 0..<1)
            return try created("GEOSGeom_createPoint_r") { GEOSGeom_createPoint_r(handle, seq) }
        case .lineString:
            guard let range = g.ringRanges.first else {
                return try created("GEOSGeom_createEmptyLineString_r") { GEOSGeom_createEmptyLineString_r(handle) }
            }
            return try line(g, range)
        case .polygon:
            guard !g.ringEnds.isEmpty else {
                return try created("GEOSGeom_createEmptyPolygon_r") { GEOSGeom_createEmptyPolygon_r(handle) }
            }
            return try polygon(g, g.ringRanges, 0..<g.ringEnds.count)
        case .multiPoint:
            let parts = try g.ringRanges.map { r -> OpaquePointer in
                let seq = try sequence(g, r)
                return try created("GEOSGeom_createPoint_r") { GEOSGeom_createPoint_r(handle, seq) }
            }
            return try collection(GEOS_MULTIPOINT, parts)
        case .multiLineString:
            var parts: [OpaquePointer] = []
            do {
                for r in g.ringRanges { parts.append(try line(g, r)) }
            } catch { destroy(parts); throw error }
            return try collection(GEOS_MULTILINESTRING, parts)
        case .multiPolygon:
            let rings = g.ringRanges
            var parts: [OpaquePointer] = []
            do {
                for p in g.polygonRanges { parts.append(try polygon(g, rings, p)) }
            } catch { destroy(parts); throw error }
            return try collection(GEOS_MULTIPOLYGON, parts)
        case .geometryCollection:
            var parts: [OpaquePointer] = []
            do {
                for member in g.members { parts.append(try makeRaw(member)) }
            } catch { destroy(parts); throw error }
            return try collection(GEOS_GEOMETRYCOLLECTION, parts)
        }
    }

    private func created(_ operation: String, _ call: () -> OpaquePointer?) throws -> OpaquePointer {
        guard let p = call() else { throw failure(operation) }
        return p
    }

    private func destroy(_ parts: [OpaquePointer]) {
        for p in parts { GEOSGeom_destroy_r(handle, p) }
    }

    /// A coordinate sequence copied from the positions in `range` (`GEOSCoordSeq_copyFromBuffer_r`).
    private func sequence(_ g: Geometry, _ range: Range<Int>) throws -> OpaquePointer {
        let seq = g.coordinates.withUnsafeBufferPointer { buffer in
            GEOSCoordSeq_copyFromBuffer_r(handle, buffer.baseAddress! + 2 * range.lowerBound, UInt32(range.count), 0, 0)
        }
        guard let seq else { throw failure("GEOSCoordSeq_copyFromBuffer_r") }
        return seq
    }

    private func line(_ g: Geometry, _ range: Range<Int>) throws -> OpaquePointer {
        guard range.count >= 2 else {
            throw GeometryError(.invalidInput, operation: "GEOSGeom_createLineString_r", message: "a line needs at least 2 positions, got \(range.count)")
        }
        let seq = try sequence(g, range)
        // Takes ownership of seq, also on failure.
        return try created("GEOSGeom_createLineString_r") { GEOSGeom_createLineString_r(handle, seq) }
    }

    private func ring(_ g: Geometry, _ range: Range<Int>) throws -> OpaquePointer {
        guard range.count >= 4 else {
            throw GeometryError(.invalidInput, operation: "GEOSGeom_createLinearRing_r", message: "a ring needs at least 4 positions, got \(range.count)")
        }
        let seq = try sequence(g, range)
        return try created("GEOSGeom_createLinearRing_r") { GEOSGeom_createLinearRing_r(handle, seq) }
    }

    private func polygon(_ g: Geometry, _ rings: [Range<Int>], _ ringIndices: Range<Int>) throws -> OpaquePointer {
        guard !ringIndices.isEmpty else {
            throw GeometryError(.invalidInput, operation: "GEOSGeom_createPolygon_r", message: "a polygon needs a shell ring")
        }
        var made: [OpaquePointer] = []
        do {
            for i in ringIndices { made.append(try ring(g, rings[i])) }
        } catch { destroy(made); throw error }
        var holes = Array(made.dropFirst()).map { Optional($0) }
        // Takes ownership of shell and holes (not of the array).
        let polygon = holes.withUnsafeMutableBufferPointer { h in
            GEOSGeom_createPolygon_r(handle, made[0], h.baseAddress, UInt32(h.count))
        }
        guard let polygon else { throw failure("GEOSGeom_createPolygon_r") }
        return polygon
    }

    private func collection(_ type: GEOSGeomTypes, _ parts: [OpaquePointer]) throws -> OpaquePointer {
        var members = parts.map { Optional($0) }
        // Takes ownership of the members (not of the array).
        let result = members.withUnsafeMutableBufferPointer { m in
            GEOSGeom_createCollection_r(handle, Int32(type.rawValue), m.baseAddress, UInt32(m.count))
        }
        guard let result else { throw failure("GEOSGeom_createCollection_r") }
        return result
    }
}

extension OwnedGeometry {
    /// Copies the geometry out of GEOS into a ``Geometry`` value.
    public func value() throws -> Geometry {
        var out = Geometry(kind: .geometryCollection, coordinates: [], ringEnds: [])
        try context.read(pointer, into: &out)
        return out
    }
}

extension GeometryContext {
    func read(_ p: OpaquePointer, into out: inout Geometry) throws {
        lastError = nil
        // Returns -1 on exception.
        let id = GEOSGeomTypeId_r(handle, p)
        guard id >= 0 else { throw failure("GEOSGeomTypeId_r") }
        let type = GEOSGeomTypes(rawValue: UInt32(id))
        switch type {
        case GEOS_POINT:
            out.kind = .point
            if GEOSisEmpty_r(handle, p) == 0 { try appendSequence(of: p, into: &out) }
        case GEOS_LINESTRING, GEOS_LINEARRING:
            out.kind = .lineString
            if GEOSisEmpty_r(handle, p) == 0 { try appendSequence(of: p, into: &out) }
        case GEOS_POLYGON:
            out.kind = .polygon
            if GEOSisEmpty_r(handle, p) == 0 { try appendPolygon(p, into: &out) }
        case GEOS_MULTIPOINT, GEOS_MULTILINESTRING, GEOS_MULTIPOLYGON:
            out.kind = type == GEOS_MULTIPOINT ? .multiPoint : type == GEOS_MULTILINESTRING ? .multiLineString : .multiPolygon
            let n = GEOSGetNumGeometries_r(handle, p)
            guard n >= 0 else { throw failure("GEOSGetNumGeometries_r") }
            for i in 0..<n {
                // Returns a pointer into p (not owned), NULL on exception.
                guard let part = GEOSGetGeometryN_r(handle, p, i) else { throw failure("GEOSGetGeometryN_r") }
                if GEOSisEmpty_r(handle, part) != 0 { continue }
                if type == GEOS_MULTIPOLYGON { try appendPolygon(part, into: &out) } else { try appendSequence(of: part, into: &out) }
            }
        case GEOS_GEOMETRYCOLLECTION:
            out.kind = .geometryCollection
            let n = GEOSGetNumGeometries_r(handle, p)
            guard n >= 0 else { throw failure("GEOSGetNumGeometries_r") }
            for i in 0..<n {
                guard let part = GEOSGetGeometryN_r(handle, p, i) else { throw failure("GEOSGetGeometryN_r") }
                var member = Geometry(kind: .geometryCollection, coordinates: [], ringEnds: [])
                try read(part, into: &member)
                out.members.append(member)
            }
        default:
            throw GeometryError(.unexpectedResult, operation: "GEOSGeomTypeId_r", message: "unknown geometry type \(id)")
        }
    }

    private func appendPolygon(_ p: OpaquePointer, into out: inout Geometry) throws {
        // Ring pointers belong to the polygon.
        guard let shell = GEOSGetExteriorRing_r(handle, p) else { throw failure("GEOSGetExteriorRing_r") }
        try appendSequence(of: shell, into: &out)
        let holes = GEOSGetNumInteriorRings_r(handle, p)
        guard holes >= 0 else { throw failure("GEOSGetNumInteriorRings_r") }
        for i in 0..<holes {
            guard let hole = GEOSGetInteriorRingN_r(handle, p, i) else { throw failure("GEOSGetInteriorRingN_r") }
            try appendSequence(of: hole, into: &out)
        }
        out.polygonEnds.append(out.ringEnds.count)
    }

    private func appendSequence(of p: OpaquePointer, into out: inout Geometry) throws {
        guard let seq = GEOSGeom_getCoordSeq_r(handle, p) else { throw failure("GEOSGeom_getCoordSeq_r") }
        var size: UInt32 = 0
        // Returns 0 on exception.
        guard GEOSCoordSeq_getSize_r(handle, seq, &size) != 0 else { throw failure("GEOSCoordSeq_getSize_r") }
        let start = out.coordinates.count
        out.coordinates.append(contentsOf: repeatElement(0, count: 2 * Int(size)))
        let ok = out.coordinates.withUnsafeMutableBufferPointer { buffer in
            GEOSCoordSeq_copyToBuffer_r(handle, seq, buffer.baseAddress! + start, 0, 0)
        }
        guard ok != 0 else { throw failure("GEOSCoordSeq_copyToBuffer_r") }
        out.ringEnds.append(out.coordinates.count / 2)
    }
}
