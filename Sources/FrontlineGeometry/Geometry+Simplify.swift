extension Geometry {
    /// A lighter copy for drawing: Douglas–Peucker on every ring and line with `tolerance` in
    /// the coordinates' units (half a pixel keeps the drawing identical). Lines keep their ends;
    /// a ring that would keep fewer than three corners is kept as it was, so nothing disappears.
    /// Polygons go through ``simplifiedCoverage(_:tolerance:)``, so that rings of one polygon that
    /// touch stay touching.
    public func simplifiedForDisplay(tolerance: Double) -> Geometry {
        guard tolerance > 0, !kind.isPuntal else { return self }
        switch kind {
        case .geometryCollection:
            return mappingMembers { $0.simplifiedForDisplay(tolerance: tolerance) }
        case .polygon, .multiPolygon:
            return Geometry.simplifiedCoverage([self], tolerance: tolerance)[0]
        default:
            var out = Geometry(kind: kind, coordinates: [], ringEnds: [])
            out.coordinates.reserveCapacity(coordinates.count / 2)
            for r in ringRanges {
                out.coordinates += Coverage.simplifiedArc(Array(coordinates[(2 * r.lowerBound)..<(2 * r.upperBound)]), squared: tolerance * tolerance)
                out.ringEnds.append(out.coordinates.count / 2)
            }
            return out
        }
    }
}
