extension Geometry {
    /// Where a name of this feature goes, within `box` when one is given: a point itself; the
    /// middle (by length) of a line's longest part; the centre of the largest circle inside a
    /// polygon (found to about 1/500 of its size), outside the `avoiding` boxes (a map's legend
    /// and title). Nil when nothing of it lies in `box`.
    public func labelPoint(within box: BoundingBox? = nil, avoiding: [BoundingBox] = []) throws -> (x: Double, y: Double)? {
        // An area's name keeps off the edges of the view (a tenth of its smaller side), where it would be cut.
        let inset = kind.isPolygonal ? box.map { 0.1 * Swift.min($0.width, $0.height) } ?? 0 : 0
        let g = box.map { clippedForDisplay(to: $0.expanded(by: -inset)) } ?? self
        guard !g.isEmpty, let extent = g.boundingBox else { return nil }
        if g.kind.isPuntal { return g.position(0) }
        if g.kind.isLineal { return g.middleOfLongestLine() }
        guard g.kind.isPolygonal else { return ((extent.minX + extent.maxX) / 2, (extent.minY + extent.maxY) / 2) }
        let context = try GeometryContext()
        var area = try context.make(g)
        // Clipped by rectangles the result may be invalid at their edges: made valid before the
        // overlay with the boxes avoided.
        if !avoiding.isEmpty { area = try area.makeValid() }
        for hidden in avoiding where hidden.intersects(extent) {
            let rest = try area.difference(try context.make(.rectangle(hidden)))
            if try rest.isEmpty() { break }
            area = rest
        }
        return try area.inscribedCentre(tolerance: max(extent.width, extent.height) / 500)
    }

    /// The point halfway along the longest part of a (multi)line.
    private func middleOfLongestLine() -> (x: Double, y: Double)? {
        func length(_ r: Range<Int>) -> Double {
            guard r.count > 1 else { return 0 }
            var total = 0.0
            for i in r.lowerBound..<(r.upperBound - 1) {
                let (x0, y0) = position(i), (x1, y1) = position(i + 1)
                total += ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).squareRoot()
            }
            return total
        }
        guard let longest = ringRanges.max(by: { length($0) < length($1) }), !longest.isEmpty else { return nil }
        var left = length(longest) / 2
        for i in longest.lowerBound..<(longest.upperBound - 1) {
            let (x0, y0) = position(i), (x1, y1) = position(i + 1)
            let step = ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).squareRoot()
            if step >= left, step > 0 {
                let t = left / step
                return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            }
            left -= step
        }
        return position(longest.upperBound - 1)
    }
}
