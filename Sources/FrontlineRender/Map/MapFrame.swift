import Foundation
import FrontlineData
import FrontlineGeometry

/// A village or height to centre a map on, and how far around it to show.
public struct PlaceFocus: Sendable, Hashable {
    /// The place's `id` in `villages.geojson` or `heights.geojson`.
    public var id: String
    /// Ground kilometres shown on each side of the place (the map is at least twice this across).
    public var radiusKm: Double

    /// The radius used when none is given: a 12 km wide view, the least a change map shows.
    public static let defaultRadiusKm = 6.0
    /// The radii accepted: from a hamlet's surroundings to the whole region.
    public static let radiusRange = 0.5...500.0

    /// Makes a focus.
    public init(id: String, radiusKm: Double = PlaceFocus.defaultRadiusKm) {
        self.id = id
        self.radiusKm = radiusKm
    }
}

/// Where a report map looks: its area in Web Mercator metres (before it is widened to the
/// canvas's aspect ratio), chosen from what was asked and what the map shows.
public enum MapFrame {
    /// The least width and height, in ground metres, of a map framed on a change.
    public static let minimumGroundMetres = 12_000.0
    /// The share of the framed area's larger side added on every side of the change, so that it
    /// sits in the middle of the map, clear of the title, legend and inset in the corners.
    static let padding = 0.35

    /// The frame of a report map: `bbox` when given; else around `focus`; else, on a change map,
    /// the ground that changed hands and the places in it; else the dataset's bbox. `subject` is
    /// what the map is about (the change, else the place it is centred on), which the inset must
    /// not hide.
    static func area(of scene: MapScene, dataset: Dataset, bbox: BoundingBox?, focus: PlaceFocus?) throws
        -> (area: BoundingBox, subject: BoundingBox?)
    {
        try area(changed: changedArea(of: [scene]), dataset: dataset, bbox: bbox, focus: focus)
    }

    /// The frame of a map about the ground in `changed` (nil when nothing changed); see above.
    static func area(changed: BoundingBox?, dataset: Dataset, bbox: BoundingBox?, focus: PlaceFocus?) throws
        -> (area: BoundingBox, subject: BoundingBox?)
    {
        let projection = try Projection.webMercator()
        if let bbox { return (try projection.forwardBox(bbox), changed) }
        if let focus {
            let area = try around(focus, in: dataset)
            let centre = BoundingBox(minX: (area.minX + area.maxX) / 2, minY: (area.minY + area.maxY) / 2,
                                     maxX: (area.minX + area.maxX) / 2, maxY: (area.minY + area.maxY) / 2)
            return (area, changed ?? centre)
        }
        let extent = try projection.forwardBox(dataset.metadata.bbox)
        if let changed { return (padded(changed).kept(within: extent), changed) }
        return (extent, nil)
    }

    /// The box (Web Mercator metres) of the ground that changed hands in the scenes, and of the
    /// villages and heights that changed hands with it; nil when nothing changed.
    static func changedArea(of scenes: [MapScene]) -> BoundingBox? {
        var boxes: [BoundingBox] = []
        for scene in scenes {
            boxes += scene.layer("changes").features.map(\.box)
            for name in ["villages", "heights"] {
                boxes += scene.layer(name).features.filter { $0.properties["changed"] == .bool(true) }.map(\.box)
            }
        }
        return BoundingBox.union(of: boxes)
    }

    /// `box` with room around it, at least ``minimumGroundMetres`` across each way.
    static func padded(_ box: BoundingBox) -> BoundingBox {
        let pad = padding * max(box.width, box.height)
        var framed = box.expanded(by: pad)
        let latitude = WebMercator.latitude(y: (box.minY + box.maxY) / 2)
        // Web Mercator stretches ground by 1 / groundScale at this latitude.
        let least = minimumGroundMetres / WebMercator.groundScale(atLatitude: latitude)
        if framed.width < least { framed = BoundingBox(minX: framed.minX - (least - framed.width) / 2, minY: framed.minY,
                                                       maxX: framed.maxX + (least - framed.width) / 2, maxY: framed.maxY) }
        if framed.height < least { framed = BoundingBox(minX: framed.minX, minY: framed.minY - (least - framed.height) / 2,
                                                        maxX: framed.maxX, maxY: framed.maxY + (least - framed.height) / 2) }
        return framed
    }

    /// The square of `focus.radiusKm` ground kilometres on each side of the place.
    static func around(_ focus: PlaceFocus, in dataset: Dataset) throws -> BoundingBox {
        guard focus.radiusKm.isFinite, PlaceFocus.radiusRange.contains(focus.radiusKm) else {
            throw MapRequestError(.malformed, "the radius must be \(PlaceFocus.radiusRange.lowerBound) to \(Int(PlaceFocus.radiusRange.upperBound)) km (got \(focus.radiusKm))")
        }
        guard let place = dataset.villages.first(where: { $0.id == focus.id }) ?? dataset.heights.first(where: { $0.id == focus.id }) else {
            throw MapRequestError(.unknownPlace, "no village or height has the id '\(focus.id)' (the ids are in villages.geojson and heights.geojson)")
        }
        let (lon, lat) = (place.lon, place.lat)
        let half = focus.radiusKm * 1000 / WebMercator.groundScale(atLatitude: lat)
        let x = WebMercator.x(longitude: lon), y = WebMercator.y(latitude: lat)
        return BoundingBox(minX: x - half, minY: y - half, maxX: x + half, maxY: y + half)
    }

    /// True when a map of `frame` shows so small a part of the data's `extent` (under a quarter of
    /// its area) that a reader needs a locator inset to place it.
    static func needsInset(frame: BoundingBox, extent: BoundingBox) -> Bool {
        frame.width * frame.height < 0.25 * extent.width * extent.height
    }
}

extension BoundingBox {
    /// The box moved inside `outer` along each axis where it sticks out (and cut to `outer`
    /// where it is wider): a frame padded around a change near the data's edge shows data, not
    /// the veiled ground beyond it. What lay inside `outer` and the box stays inside the result.
    func kept(within outer: BoundingBox) -> BoundingBox {
        func axis(_ lo: Double, _ hi: Double, _ outerLo: Double, _ outerHi: Double) -> (Double, Double) {
            if hi - lo >= outerHi - outerLo { return (outerLo, outerHi) }
            if lo < outerLo { return (outerLo, hi + outerLo - lo) }
            if hi > outerHi { return (lo - (hi - outerHi), outerHi) }
            return (lo, hi)
        }
        let (x0, x1) = axis(minX, maxX, outer.minX, outer.maxX), (y0, y1) = axis(minY, maxY, outer.minY, outer.maxY)
        return BoundingBox(minX: x0, minY: y0, maxX: x1, maxY: y1)
    }
}
