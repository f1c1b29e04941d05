/// Polygons that share boundaries — areas of control that meet along a front — with the
/// junctions where their rings part ways found once, so that they can be simplified at any
/// tolerance with each shared stretch simplified once and both sides keeping the same line: no
/// slivers and no gaps open between neighbours.
///
/// Boundaries are shared where neighbours have the same vertices (a coverage, as the data
/// contract asks). Rings are cut into arcs at junctions, each arc is simplified once with its ends
/// fixed, and the rings are put back together from the simplified arcs. Rings that touch no other
/// keep their own simplification, from a start that does not depend on where the ring was begun,
/// so that an island and the hole it fills come out the same. Other geometries are simplified one
/// by one.
public struct Coverage: Sendable {
    /// The geometries, in their order.
    public let geometries: [Geometry]
    private let junctions: Set<Vertex>

    /// Finds the junctions of the polygons among `geometries`.
    public init(_ geometries: [Geometry]) {
        self.geometries = geometries
        // Junctions: positions whose neighbours differ from one pass of a ring to another.
        var junctions = Set<Vertex>()
        var neighbours: [Vertex: (Vertex, Vertex)] = [:]
        for g in geometries where g.kind.isPolygonal {
            for r in g.ringRanges where r.count >= 4 {
                let n = r.count - 1   // the last position repeats the first
                for k in 0..<n {
                    let v = g.vertex(r.lowerBound + k)
                    let p = g.vertex(r.lowerBound + (k + n - 1) % n), q = g.vertex(r.lowerBound + (k + 1) % n)
                    if let seen = neighbours[v] {
                        if !((seen.0 == p && seen.1 == q) || (seen.0 == q && seen.1 == p)) { junctions.insert(v) }
                    } else {
                        neighbours[v] = (p, q)
                    }
                }
            }
        }
        self.junctions = junctions
    }

    /// Every geometry simplified for display at `tolerance` (see ``Geometry/simplifiedForDisplay(tolerance:)``).
    public func simplified(tolerance: Double) -> [Geometry] {
        guard tolerance > 0 else { return geometries }
        var arcs: [ArcKey: [Double]] = [:]
        let squared = tolerance * tolerance
        return geometries.map { g in
            guard g.kind.isPolygonal else { return g.simplifiedForDisplay(tolerance: tolerance) }
            var out = Geometry(kind: g.kind, coordinates: [], ringEnds: [], polygonEnds: g.polygonEnds)
            out.coordinates.reserveCapacity(g.coordinates.count / 2)
            for r in g.ringRanges {
                let ring = Array(g.coordinates[(2 * r.lowerBound)..<(2 * r.upperBound)])
                out.coordinates += Coverage.simplifiedRing(ring, junctions: junctions, arcs: &arcs, squared: squared)
                out.ringEnds.append(out.coordinates.count / 2)
            }
            return out
        }
    }

    /// An arc in its canonical direction: in a coverage, its first edge and length name it.
    private struct ArcKey: Hashable {
        let first: Vertex, second: Vertex, last: Vertex, count: Int
    }

    /// One closed ring (flat, last position = first), simplified arc by arc.
    private static func simplifiedRing(_ ring: [Double], junctions: Set<Vertex>, arcs: inout [ArcKey: [Double]], squared: Double) -> [Double] {
        let n = ring.count / 2 - 1
        guard n >= 3 else { return ring }
        func x(_ k: Int) -> Double { ring[2 * (k % n)] }
        func y(_ k: Int) -> Double { ring[2 * (k % n) + 1] }
        func less(_ a: Int, _ b: Int) -> Bool { x(a) < x(b) || (x(a) == x(b) && y(a) < y(b)) }
        func same(_ a: Int, _ b: Int) -> Bool { x(a) == x(b) && y(a) == y(b) }
        /// Positions from `from` to `to` (ring indices, `to` may pass `n`), forwards or backwards.
        func positions(_ from: Int, _ to: Int, forward: Bool) -> [Double] {
            var out = [Double]()
            out.reserveCapacity(2 * (to - from + 1))
            for k in from...to {
                let i = forward ? k : to - (k - from)
                out.append(x(i))
                out.append(y(i))
            }
            return out
        }
        func key(_ from: Int, _ to: Int, forward: Bool) -> ArcKey {
            let (a, b, z) = forward ? (from, from + 1, to) : (to, to - 1, from)
            return ArcKey(first: Vertex(x(a), y(a)), second: Vertex(x(b), y(b)), last: Vertex(x(z), y(z)), count: to - from + 1)
        }
        let cuts = (0..<n).filter { junctions.contains(Vertex(ring[2 * $0], ring[2 * $0 + 1])) }
        var result: [Double] = []
        if cuts.isEmpty {
            // A ring of its own: start at its least position and go the way of its lesser neighbour.
            let start = (0..<n).min { less($0, $1) }!
            let forward = !less(start + n - 1, start + 1)
            let id = key(start, start + n, forward: forward)
            let simplified = arcs[id] ?? simplifiedLoop(positions(start, start + n, forward: forward), squared: squared)
            arcs[id] = simplified
            result = forward ? simplified : reversedPositions(simplified)
        } else {
            for (i, from) in cuts.enumerated() {
                let to = i + 1 < cuts.count ? cuts[i + 1] : cuts[0] + n
                // The canonical direction starts at the lesser end (or, for a loop, the lesser second position).
                let forward = same(from, to) ? !less(to - 1, from + 1) : !less(to, from)
                let id = key(from, to, forward: forward)
                let simplified = arcs[id] ?? simplifiedArc(positions(from, to, forward: forward), squared: squared)
                arcs[id] = simplified
                let piece = forward ? simplified : reversedPositions(simplified)
                result += result.isEmpty ? piece : Array(piece.dropFirst(2))
            }
        }
        // Fewer than three corners left (every arc within the tolerance of its chord, so the ring
        // is at most a tolerance wide): the ring as it was, rather than a line.
        return result.count >= 8 ? result : ring
    }

    /// Douglas–Peucker on an open line, its ends kept.
    static func simplifiedArc(_ line: [Double], squared: Double) -> [Double] {
        let n = line.count / 2
        guard n > 2 else { return line }
        return douglasPeucker(line, through: [0, n - 1], squared: squared)
    }

    /// Douglas–Peucker on a closed loop: split at the position farthest from its start.
    private static func simplifiedLoop(_ loop: [Double], squared: Double) -> [Double] {
        let n = loop.count / 2
        var far = 1, best = -1.0
        for k in 1..<(n - 1) {
            let dx = loop[2 * k] - loop[0], dy = loop[2 * k + 1] - loop[1]
            if dx * dx + dy * dy > best { (best, far) = (dx * dx + dy * dy, k) }
        }
        return douglasPeucker(loop, through: [0, far, n - 1], squared: squared)
    }

    /// The positions Douglas–Peucker keeps between each pair of the given (kept) indices.
    private static func douglasPeucker(_ c: [Double], through fixed: [Int], squared: Double) -> [Double] {
        var keep = Array(repeating: false, count: c.count / 2)
        for i in fixed { keep[i] = true }
        for (a, b) in zip(fixed, fixed.dropFirst()) { markDouglasPeucker(c, a, b, squared, &keep) }
        var out = [Double]()
        for k in keep.indices where keep[k] {
            out.append(c[2 * k])
            out.append(c[2 * k + 1])
        }
        return out
    }

    /// Marks the positions strictly between `a` and `b` that Douglas–Peucker keeps.
    private static func markDouglasPeucker(_ c: [Double], _ a: Int, _ b: Int, _ squared: Double, _ keep: inout [Bool]) {
        var stack = [(a, b)]
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            let ax = c[2 * a], ay = c[2 * a + 1]
            let dx = c[2 * b] - ax, dy = c[2 * b + 1] - ay
            let length2 = dx * dx + dy * dy
            var worst = -1.0, index = a
            for k in (a + 1)..<b {
                let px = c[2 * k] - ax, py = c[2 * k + 1] - ay
                let cross = px * dy - py * dx
                let d2 = length2 == 0 ? px * px + py * py : cross * cross / length2
                if d2 > worst { (worst, index) = (d2, k) }
            }
            if worst > squared {
                keep[index] = true
                stack.append((a, index))
                stack.append((index, b))
            }
        }
    }

    private static func reversedPositions(_ c: [Double]) -> [Double] {
        var out = [Double]()
        out.reserveCapacity(c.count)
        for k in stride(from: c.count / 2 - 1, through: 0, by: -1) { out.append(c[2 * k]); out.append(c[2 * k + 1]) }
        return out
    }
}

extension Geometry {
    /// ``Coverage/simplified(tolerance:)`` of these geometries, for one tolerance.
    public static func simplifiedCoverage(_ geometries: [Geometry], tolerance: Double) -> [Geometry] {
        Coverage(geometries).simplified(tolerance: tolerance)
    }

    fileprivate func vertex(_ i: Int) -> Vertex { Vertex(coordinates[2 * i], coordinates[2 * i + 1]) }
}

/// A position as an exact, hashable key (-0 and 0 are one).
private struct Vertex: Hashable {
    let x: UInt64, y: UInt64
    init(_ x: Double, _ y: Double) {
        self.x = (x + 0).bitPattern
        self.y = (y + 0).bitPattern
    }
}
