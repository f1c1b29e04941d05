import CGEOS

/// A GEOS STRtree over the bounding boxes of many geometries, answering "which items may
/// touch this box" with item indices. Lives in one ``GeometryContext``.
public final class SpatialIndex {
    private let context: GeometryContext
    private let tree: OpaquePointer
    /// The tree does not own what it indexes: the envelopes are kept here.
    private var envelopes: [OwnedGeometry] = []

    /// Indexes the bounding box of each geometry; empty geometries are left out.
    public init(_ geometries: [Geometry], in context: GeometryContext) throws {
        self.context = context
        // Node capacity 10, as Shapely uses.
        guard let tree = GEOSSTRtree_create_r(context.handle, 10) else { throw context.failure("GEOSSTRtree_create_r") }
        self.tree = tree
        for (i, g) in geometries.enumerated() {
            guard let box = g.boundingBox else { continue }
            try insert(box, item: i)
        }
    }

    /// Indexes bounding boxes directly.
    public init(boxes: [BoundingBox], in context: GeometryContext) throws {
        self.context = context
        guard let tree = GEOSSTRtree_create_r(context.handle, 10) else { throw context.failure("GEOSSTRtree_create_r") }
        self.tree = tree
        for (i, box) in boxes.enumerated() { try insert(box, item: i) }
    }

    deinit { GEOSSTRtree_destroy_r(context.handle, tree) }

    private func insert(_ box: BoundingBox, item: Int) throws {
        let envelope = try context.make(.rectangle(box))
        envelopes.append(envelope)
        // Items are indices, stored in the pointer itself (offset by one: NULL is not an item).
        GEOSSTRtree_insert_r(context.handle, tree, envelope.pointer, UnsafeMutableRawPointer(bitPattern: item + 1))
    }

    /// Indices of the items whose bounding box intersects `box`, in ascending order.
    public func query(_ box: BoundingBox) throws -> [Int] {
        let probe = try context.make(.rectangle(box))
        var found: [Int] = []
        withUnsafeMutablePointer(to: &found) { foundPointer in
            GEOSSTRtree_query_r(context.handle, tree, probe.pointer, { item, user in
                guard let item, let user else { return }
                user.assumingMemoryBound(to: [Int].self).pointee.append(Int(bitPattern: item) - 1)
            }, foundPointer)
        }
        return found.sorted()
    }
}
