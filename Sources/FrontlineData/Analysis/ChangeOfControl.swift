import FrontlineGeometry

/// Ground that passed from one party to another between two dates.
public struct ChangeOfControl: Sendable {
    /// Who held it on `fromDate` (`none` possible).
    public var from: Party
    /// Who holds it on `toDate` (`none` possible).
    public var to: Party
    /// Earlier date of the comparison (A in changes(A, B)), on which `from` held the ground.
    public var fromDate: CalendarDate
    /// Later date of the comparison (B in changes(A, B)), on which `to` holds the ground.
    public var toDate: CalendarDate
    /// Geodesic area on the WGS84 ellipsoid.
    public var areaKm2: Double
    /// The ground, (Multi)Polygon in longitude/latitude.
    public var geometry: Geometry
    /// Villages inside (or on the edge of) the ground, in file order.
    public var villages: [Place]
    /// Heights inside (or on the edge of) the ground, in file order.
    public var heights: [Place]
}

extension Dataset {
    /// The default minimum area of a change: smaller slivers come from redrawn lines.
    public static let defaultMinimumChangeKm2 = 0.01

    /// changes(A, B): for every ordered pair of parties (p at `from`, q at `to`, p ≠ q, `none`
    /// included), the ground p held on `from` that q holds on `to`; pieces under
    /// `minimumAreaKm2` are dropped. Throws ``DatasetError`` when parties overlap on either date.
    public func changes(from: CalendarDate, to: CalendarDate,
                        minimumAreaKm2: Double = Dataset.defaultMinimumChangeKm2) throws -> [ChangeOfControl] {
        if let record = try record(for: min(from, to)...max(from, to)) {
            // Only the ground of the changes recorded between the dates is looked at.
            return try changesOfControl(try record.passages(from: from, to: to), from: from, to: to, minimumAreaKm2: minimumAreaKm2)
        }
        let snapshots = try consistentSnapshots(on: [from, to])
        let before = snapshots[0], after = snapshots[1]
        let parties = partiesWithNone

        struct Pair: Sendable { var from: Party; var to: Party; var a: Geometry; var b: Geometry }
        var pairs: [Pair] = []
        for p in parties {
            let a = before.ground(of: p.id)
            guard let boxA = a.boundingBox else { continue }
            for q in parties where q != p {
                let b = after.ground(of: q.id)
                guard let boxB = b.boundingBox, boxA.intersects(boxB) else { continue }
                pairs.append(Pair(from: p, to: q, a: a, b: b))
            }
        }
        let villages = self.villages, heights = self.heights
        let found = try GeometryWorkers.map(pairs) { context, pair -> ChangeOfControl? in
            let piece = try context.make(pair.a).intersection(try context.make(pair.b)).polygonalPart()
            let area = Geodesic.wgs84.areaKm2(piece)
            guard area >= minimumAreaKm2, area > 0 else { return nil }
            let inside = try PlaceLocator(piece, in: context)
            return ChangeOfControl(from: pair.from, to: pair.to, fromDate: from, toDate: to, areaKm2: area, geometry: piece,
                                   villages: try inside.filter(villages), heights: try inside.filter(heights))
        }
        return found.compactMap { $0 }
    }
}

/// Finds the places that lie in (or on the edge of) an area: a bounding-box test, then a
/// prepared-geometry test for the few that pass it.
struct PlaceLocator {
    let box: BoundingBox?
    let prepared: PreparedGeometry

    init(_ area: Geometry, in context: GeometryContext) throws {
        box = area.boundingBox
        prepared = try context.make(area).prepared()
    }

    func contains(_ place: Place) throws -> Bool {
        guard let box, box.contains(x: place.lon, y: place.lat) else { return false }
        return try prepared.intersects(x: place.lon, y: place.lat)
    }

    func filter(_ places: [Place]) throws -> [Place] {
        try places.filter(contains)
    }
}
