import FrontlineGeometry
import FrontlineRender

extension VectorTile {
    /// Units of buffer around the tile, on every side, out of ``extent``: lines and polygon edges
    /// run on past the tile's edge, so that clients clipping at the edge draw no seams and strokes
    /// end out of sight.
    public static let buffer = 64
    /// Units across a tile.
    public static let extent = 4096

    /// The tile `tile` of a scene: for each layer of `schema`, the scene's features that reach the
    /// tile and its buffer, their geometry taken from `simplified` (the scene simplified for the
    /// tile's zoom, see ``MapSource/simplifiedScene(_:_:zoom:scale:language:)``), clipped and
    /// rounded to the tile's grid, with the schema's fields. Features with nothing left after
    /// clipping and rounding are left out.
    public init(scene: MapScene, simplified: [String: [FrontlineGeometry.Geometry]], schema: [VectorLayerSchema],
                tile: TileCoordinate) throws {
        let bounds = tile.bounds
        let unit = bounds.width / Double(VectorTile.extent)
        let area = bounds.expanded(by: unit * Double(VectorTile.buffer))
        // One GEOS context for the tile's polygons, on this thread only.
        let context = try GeometryContext()
        for described in schema {
            let source = scene.layer(described.id)
            var layer = Layer(name: described.id, extent: VectorTile.extent)
            for i in source.candidates(in: area) {
                let feature = source.features[i]
                let clipped = try VectorTile.clipped(simplified[described.id]?[i] ?? feature.geometry, to: area, unit: unit, in: context)
                guard let geometry = Geometry(clipped, bounds: bounds, extent: VectorTile.extent) else { continue }
                layer.add(geometry, properties: described.properties(of: feature))
            }
            layers.append(layer)
        }
    }

    /// The part of `g` inside `box`, polygons valid on the tile's grid of `unit`. Polygons go
    /// through GEOS's rectangle clipping (`GEOSClipByRect_r`), which cuts a concave ring into
    /// separate rings (the Sutherland–Hodgman clip of the PNG tiles, ``Geometry/clippedForDisplay(to:)``,
    /// would leave zero-width spurs along the buffer's edges, which clients stroke as lines), then
    /// snap rounding onto the grid (`GEOSGeom_setPrecision_r`): rounding each position on its own
    /// can make edges cross, and the specification asks for valid rings. Web Mercator's grid of a
    /// tile unit is the tile's own grid, since tile edges fall on whole multiples of it. Points and
    /// lines are clipped exactly by `clippedForDisplay`, and rounded when encoded.
    static func clipped(_ g: FrontlineGeometry.Geometry, to box: BoundingBox, unit: Double, in context: GeometryContext) throws
        -> FrontlineGeometry.Geometry
    {
        guard g.kind.isPolygonal, let own = g.boundingBox else { return g.clippedForDisplay(to: box) }
        let whole = try context.make(g)
        let inside = own.minX >= box.minX && own.maxX <= box.maxX && own.minY >= box.minY && own.maxY <= box.maxY
        let part = inside ? whole : try whole.clipped(to: box)
        if let snapped = try? part.snapped(to: unit) { return try snapped.polygonalPart() }
        // GEOS refuses to snap a ring that crosses itself (as one change of the default data
        // does): mended first (make-valid) and snapped, or else rounded position by position
        // when encoded, as lines are.
        let mended = try part.makeValid()
        return try ((try? mended.snapped(to: unit)) ?? mended).polygonalPart()
    }
}
