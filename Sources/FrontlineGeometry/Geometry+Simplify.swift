extension Geometry {
    /// A lighter copy for drawing: Douglas–Peucker on every ring and line with `tolerance` in
    /// the coordinates' units (half a pixel keeps the drawing identical). Rings keep at least
    /// 4 positions and lines 2, so nothing disappears; topology is not preserved, which at half a
    /// pixel cannot show.
    public func simplifiedForDisplay(tolerance: Double) -> Geometry {
        guard tolerance > 0, !kind.isPuntal else { return self }
        if kind == .geometryCollection {
            var copy = self
            copy.members = members.map { $0.simplifiedForDisplay(tolerance: tolerance) }
            return copy
        }
        var out = Geometry(kind: kind, coordinates: [], ringEnds: [], polygonEnds: polygonEnds)
        out.coordinates.reserveCapacity(coordinates.count / 2)
        let minimum = kind.isPolygonal ? 4 : 2
        let squared = tolerance * tolerance
        coordinates.withUnsafeBufferPointer { c in
            var keep: [Bool] = []
            var stack: [(Int, Int)] = []
            for r in ringRanges {
                let n = r.count
                if n <= minimum {
                    for i in r { out.coordinates.append(c[2 * i]); out.coordinates.append(c[2 * i + 1]) }
                    out.ringEnds.append(out.coordinates.count / 2)
                    continue
                }
                keep = Array(repeating: false, count: n)
                keep[0] = true
                keep[n - 1] = true
                // A closed ring's first and last positions coincide: split it at its farthest point too.
                var splits = [(0, n - 1)]
                if kind.isPolygonal {
                    let (x0, y0) = (c[2 * r.lowerBound], c[2 * r.lowerBound + 1])
                    var far = 1, best = -1.0
                    for k in 1..<(n - 1) {
                        let dx = c[2 * (r.lowerBound + k)] - x0, dy = c[2 * (r.lowerBound + k) + 1] - y0
                        if dx * dx + dy * dy > best { best = dx * dx + dy * dy; far = k }
                    }
                    keep[far] = true
                    splits = [(0, far), (far, n - 1)]
                }
                stack = splits
                while let (a, b) = stack.popLast() {
                    guard b > a + 1 else { continue }
                    let ax = c[2 * (r.lowerBound + a)], ay = c[2 * (r.lowerBound + a) + 1]
                    let bx = c[2 * (r.lowerBound + b)], by = c[2 * (r.lowerBound + b) + 1]
                    let dx = bx - ax, dy = by - ay
                    let length2 = dx * dx + dy * dy
                    var worst = -1.0, index = a
                    for k in (a + 1)..<b {
                        let px = c[2 * (r.lowerBound + k)] - ax, py = c[2 * (r.lowerBound + k) + 1] - ay
                        let d2: Double
                        if length2 == 0 {
                            d2 = px * px + py * py
                        } else {
                            let cross = px * dy - py * dx
                            d2 = cross * cross / length2
                        }
                        if d2 > worst { worst = d2; index = k }
                    }
                    if worst > squared {
                        keep[index] = true
                        stack.append((a, index))
                        stack.append((index, b))
                    }
                }
                var kept = keep.reduce(0) { $0 + ($1 ? 1 : 0) }
                // Too few left for a ring: keep evenly spaced positions instead.
                if kept < minimum {
                    for k in stride(from: 0, to: n, by: max(1, n / minimum)) { keep[k] = true }
                    kept = minimum
                }
                for k in 0..<n where keep[k] {
                    out.coordinates.append(c[2 * (r.lowerBound + k)])
                    out.coordinates.append(c[2 * (r.lowerBound + k) + 1])
                }
                out.ringEnds.append(out.coordinates.count / 2)
            }
        }
        return out
    }
}
