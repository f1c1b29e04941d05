extension Geometry {
    /// The part of the geometry inside `box`, for drawing: rings are cut with Sutherland–Hodgman
    /// (exact for convex clip areas, but a concave ring may keep zero-width slivers along the
    /// box's edges, invisible when the box lies outside the view), lines with Liang–Barsky.
    /// Much cheaper than an overlay; not for analysis.
    public func clippedForDisplay(to box: BoundingBox) -> Geometry {
        guard let own = boundingBox else { return self }
        if own.minX >= box.minX && own.maxX <= box.maxX && own.minY >= box.minY && own.maxY <= box.maxY { return self }
        switch kind {
        case .geometryCollection:
            return mappingMembers { $0.clippedForDisplay(to: box) }
        case .point, .multiPoint:
            var out = Geometry(kind: kind, coordinates: [], ringEnds: [])
            for i in 0..<positionCount where box.contains(x: coordinates[2 * i], y: coordinates[2 * i + 1]) {
                out.coordinates += [coordinates[2 * i], coordinates[2 * i + 1]]
                out.ringEnds.append(out.positionCount)
            }
            return out
        case .lineString, .multiLineString:
            return clippedLines(to: box)
        case .polygon, .multiPolygon:
            return clippedRings(to: box)
        }
    }

    private func clippedRings(to box: BoundingBox) -> Geometry {
        var out = Geometry(kind: .multiPolygon, coordinates: [], ringEnds: [], polygonEnds: [])
        let rings = ringRanges
        var a: [Double] = [], b: [Double] = []
        for polygon in polygonRanges {
            let before = out.ringEnds.count
            for (k, ringIndex) in polygon.enumerated() {
                let r = rings[ringIndex]
                // Skip rings that miss the box; keep whole the ones inside it.
                var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
                for i in r {
                    let x = coordinates[2 * i], y = coordinates[2 * i + 1]
                    minX = Swift.min(minX, x); maxX = Swift.max(maxX, x); minY = Swift.min(minY, y); maxY = Swift.max(maxY, y)
                }
                if maxX < box.minX || minX > box.maxX || maxY < box.minY || minY > box.maxY {
                    if k == 0 { break }   // no shell, no polygon
                    continue
                }
                a.removeAll(keepingCapacity: true)
                a.append(contentsOf: coordinates[(2 * r.lowerBound)..<(2 * r.upperBound - 2)])   // open ring
                if !(minX >= box.minX && maxX <= box.maxX && minY >= box.minY && maxY <= box.maxY) {
                    for edge in 0..<4 {
                        Geometry.clipRing(a, &b, edge: edge, box: box)
                        swap(&a, &b)
                        if a.count < 6 { break }
                    }
                }
                guard a.count >= 6 else {
                    if k == 0 { break }
                    continue
                }
                out.coordinates.append(contentsOf: a)
                out.coordinates.append(a[0]); out.coordinates.append(a[1])
                out.ringEnds.append(out.positionCount)
            }
            if out.ringEnds.count > before { out.polygonEnds.append(out.ringEnds.count) }
        }
        if out.polygonEnds.count == 1 { out.kind = .polygon }
        return out
    }

    /// One Sutherland–Hodgman pass: keeps the part of the open ring `input` on the inner side of
    /// one box edge (0 left, 1 right, 2 bottom, 3 top).
    private static func clipRing(_ input: [Double], _ output: inout [Double], edge: Int, box: BoundingBox) {
        output.removeAll(keepingCapacity: true)
        let n = input.count / 2
        guard n > 0 else { return }
        @inline(__always) func inside(_ x: Double, _ y: Double) -> Bool {
            switch edge {
            case 0: return x >= box.minX
            case 1: return x <= box.maxX
            case 2: return y >= box.minY
            default: return y <= box.maxY
            }
        }
        @inline(__always) func cross(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> (Double, Double) {
            switch edge {
            case 0, 1:
                let x = edge == 0 ? box.minX : box.maxX
                return (x, y0 + (y1 - y0) * (x - x0) / (x1 - x0))
            default:
                let y = edge == 2 ? box.minY : box.maxY
                return (x0 + (x1 - x0) * (y - y0) / (y1 - y0), y)
            }
        }
        var px = input[2 * (n - 1)], py = input[2 * (n - 1) + 1]
        var pIn = inside(px, py)
        for i in 0..<n {
            let x = input[2 * i], y = input[2 * i + 1]
            let cIn = inside(x, y)
            if cIn {
                if !pIn { let (ix, iy) = cross(px, py, x, y); output.append(ix); output.append(iy) }
                output.append(x); output.append(y)
            } else if pIn {
                let (ix, iy) = cross(px, py, x, y); output.append(ix); output.append(iy)
            }
            px = x; py = y; pIn = cIn
        }
    }

    private func clippedLines(to box: BoundingBox) -> Geometry {
        var out = Geometry(kind: .multiLineString, coordinates: [], ringEnds: [])
        var open = false
        for r in ringRanges where r.count >= 2 {
            open = false
            for i in r.lowerBound..<(r.upperBound - 1) {
                let x0 = coordinates[2 * i], y0 = coordinates[2 * i + 1], x1 = coordinates[2 * i + 2], y1 = coordinates[2 * i + 3]
                var t0 = 0.0, t1 = 1.0
                let dx = x1 - x0, dy = y1 - y0
                var visible = true
                for (p, q) in [(-dx, x0 - box.minX), (dx, box.maxX - x0), (-dy, y0 - box.minY), (dy, box.maxY - y0)] {
                    if p == 0 { if q < 0 { visible = false; break } } else {
                        let t = q / p
                        if p < 0 { t0 = Swift.max(t0, t) } else { t1 = Swift.min(t1, t) }
                        if t0 > t1 { visible = false; break }
                    }
                }
                guard visible else {
                    if open { out.ringEnds.append(out.positionCount); open = false }
                    continue
                }
                if !open {
                    out.coordinates.append(x0 + t0 * dx); out.coordinates.append(y0 + t0 * dy)
                    open = true
                }
                out.coordinates.append(x0 + t1 * dx); out.coordinates.append(y0 + t1 * dy)
                if t1 < 1 { out.ringEnds.append(out.positionCount); open = false }
            }
            if open { out.ringEnds.append(out.positionCount) }
        }
        if out.ringEnds.count == 1 { out.kind = .lineString }
        return out
    }
}
