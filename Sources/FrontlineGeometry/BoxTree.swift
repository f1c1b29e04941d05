/// A static, Sendable R-tree over bounding boxes, packed once by Sort-Tile-Recursive and then
/// only read: the index that tiles and maps share across threads (a GEOS STRtree would live in
/// one context and so on one thread).
public struct BoxTree: Sendable {
    /// Children per node.
    public static let nodeCapacity = 16

    /// Node boxes level by level, leaves (the items' boxes, in packed order) first.
    private let levels: [[BoundingBox]]
    /// The item index of each leaf slot.
    private let items: [Int]

    /// Packs the boxes; the item of `boxes[i]` is `i`. Nil boxes (empty geometries) are left out.
    public init(_ boxes: [BoundingBox?]) {
        let present = boxes.enumerated().compactMap { i, b in b.map { (i, $0) } }
        let packed = BoxTree.sortTileRecursive(present)
        items = packed.map(\.0)
        var levels = [packed.map(\.1)]
        while let last = levels.last, last.count > 1 {
            levels.append(stride(from: 0, to: last.count, by: BoxTree.nodeCapacity).map { start in
                last[start..<min(start + BoxTree.nodeCapacity, last.count)].dropFirst().reduce(last[start]) { $0.union($1) }
            })
        }
        self.levels = levels
    }

    /// Number of items indexed.
    public var count: Int { items.count }

    /// Items whose box intersects `box`, in ascending order.
    public func query(_ box: BoundingBox) -> [Int] {
        guard let top = levels.last, !top.isEmpty else { return [] }
        var found: [Int] = []
        var stack: [(level: Int, node: Int)] = (0..<top.count).map { (levels.count - 1, $0) }
        while let (level, node) = stack.popLast() {
            guard levels[level][node].intersects(box) else { continue }
            if level == 0 {
                found.append(items[node])
            } else {
                let first = node * BoxTree.nodeCapacity
                for child in first..<min(first + BoxTree.nodeCapacity, levels[level - 1].count) {
                    stack.append((level - 1, child))
                }
            }
        }
        return found.sorted()
    }

    /// Orders the boxes so that each run of `nodeCapacity` is spatially compact: slices by x
    /// centre, then within each slice by y centre.
    private static func sortTileRecursive(_ boxes: [(Int, BoundingBox)]) -> [(Int, BoundingBox)] {
        guard boxes.count > nodeCapacity else { return boxes }
        let leaves = (boxes.count + nodeCapacity - 1) / nodeCapacity
        let slices = Int(Double(leaves).squareRoot().rounded(.up))
        let perSlice = slices * nodeCapacity
        let byX = boxes.sorted { $0.1.minX + $0.1.maxX < $1.1.minX + $1.1.maxX }
        return stride(from: 0, to: byX.count, by: perSlice).flatMap { start in
            byX[start..<min(start + perSlice, byX.count)].sorted { $0.1.minY + $0.1.maxY < $1.1.minY + $1.1.maxY }
        }
    }
}
