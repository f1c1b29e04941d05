import Foundation
import FrontlineGeometry

/// A record edit that cannot be made; the message says why and what to do.
public struct RecordEditError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}

/// One party's ground in a snapshot to import: a feature of a file.
public struct SnapshotPiece: Sendable {
    /// The party (an id of dataset.json, or `none`).
    public var partyID: String
    /// Polygon or MultiPolygon in longitude/latitude.
    public var geometry: Geometry
    /// Where it was read from, for messages: the file and the feature (e.g. `a.gpkg: feature 3`).
    public var origin: String

    /// A piece read from `origin`.
    public init(partyID: String, geometry: Geometry, origin: String) {
        self.partyID = partyID
        self.geometry = geometry
        self.origin = origin
    }
}

extension ControlRecord {
    /// Each party's ground in a snapshot: its pieces repaired, united per party and clipped to
    /// `extent`. Throws when two parties overlap by more than `toleranceKm2`, naming the date,
    /// the parties, the area and a place inside the overlap.
    public static func snapshotState(_ pieces: [SnapshotPiece], on date: CalendarDate, extent: BoundingBox,
                                     toleranceKm2: Double = Dataset.overlapToleranceKm2) throws -> [String: Geometry] {
        let parties = Array(Set(pieces.map(\.partyID)).subtracting([Party.none.id])).sorted()
        let grounds = try GeometryWorkers.map(parties) { context, party -> Geometry in
            let own = try pieces.filter { $0.partyID == party }.map { piece -> Geometry in
                let g = try context.make(piece.geometry)
                return try (try g.isValid() ? g : try g.makeValid()).polygonalPart()
            }
            return try context.union(of: own).intersection(try context.make(.rectangle(extent))).snapped(to: ControlRecord.gridSize).polygonalPart()
        }
        var state: [String: Geometry] = [:]
        for (party, ground) in zip(parties, grounds) where !ground.isEmpty { state[party] = ground }
        let held = state.sorted { $0.key < $1.key }
        struct Pair: Sendable { var a: (String, Geometry); var b: (String, Geometry) }
        var pairs: [Pair] = []
        for i in held.indices {
            for j in held.indices where j > i {
                if let a = held[i].1.boundingBox, let b = held[j].1.boundingBox, a.intersects(b) { pairs.append(Pair(a: held[i], b: held[j])) }
            }
        }
        let overlaps = try GeometryWorkers.map(pairs) { context, pair -> String? in
            let overlap = try context.make(pair.a.1).intersection(try context.make(pair.b.1)).polygonalPart()
            let area = Geodesic.wgs84.areaKm2(overlap)
            guard area > toleranceKm2 else { return nil }
            let place = try context.make(overlap).pointOnSurface()
            let origins = pieces.filter { $0.partyID == pair.a.0 || $0.partyID == pair.b.0 }.map(\.origin)
            let files = Array(Set(origins.map { $0.components(separatedBy: ":").first ?? $0 })).sorted().joined(separator: ", ")
            return "on \(date) \(pair.a.0) and \(pair.b.0) both hold \(format(area)) km²"
                + (place.map { String(format: " around %.5f, %.5f (lon, lat)", $0.x, $0.y) } ?? "") + " in \(files)"
        }
        let found = overlaps.compactMap { $0 }
        guard found.isEmpty else { throw RecordEditError("the snapshot's parties overlap: " + found.joined(separator: "; ")) }
        return state
    }

    /// The changes that turn `state` into `target`, split into their polygons, those under
    /// `minimumAreaKm2` left out: per party the ground it gains, then the ground nobody holds
    /// any more (to `none`). `parties` gives the order.
    static func differences(from state: [String: Geometry], to target: [String: Geometry], parties: [String],
                            minimumAreaKm2: Double) throws -> [(to: String, geometry: Geometry)] {
        struct Job: Sendable { var to: String; var gained: Geometry; var had: Geometry }
        var jobs = parties.map { Job(to: $0, gained: target[$0] ?? .empty, had: state[$0] ?? .empty) }
        jobs.append(Job(to: Party.none.id, gained: .multiPolygon(state.values.flatMap(\.polygons)),
                        had: .multiPolygon(target.values.flatMap(\.polygons))))
        let found = try GeometryWorkers.map(jobs) { context, job -> [Geometry] in
            if job.gained.isEmpty { return [] }
            let gained = job.to == Party.none.id ? try context.make(job.gained).unaryUnion() : try context.make(job.gained)
            let had = job.to == Party.none.id ? try context.make(job.had).unaryUnion() : try context.make(job.had)
            let piece = job.had.isEmpty ? gained : try gained.difference(had)
            return try piece.snapped(to: ControlRecord.gridSize).polygonalPart().polygons.filter { Geodesic.wgs84.areaKm2($0) >= minimumAreaKm2 && $0.positionCount > 0 }
        }
        return zip(jobs, found).flatMap { job, polygons in polygons.map { (job.to, $0) } }
    }

    /// A record whose base is `state` on `date`: the first snapshot of a record.
    public static func starting(with state: [String: Geometry], on date: CalendarDate, parties: [String], source: String?) -> ControlRecord {
        ControlRecord(baseDate: date, base: parties.compactMap { p in state[p].map { BaseGround(partyID: p, source: source, geometry: $0) } },
                      changes: [])
    }

    /// This record with `snapshot` as the state on `date` (see docs/record.md): the changes that
    /// make the state on `date` equal the snapshot, and, when changes are recorded after `date`
    /// (a correction), the changes on the next recorded date that bring the state back to what
    /// it was then. Returns the record and the changes added (none when nothing differs by
    /// `minimumAreaKm2` or more).
    public func importing(_ snapshot: [String: Geometry], on date: CalendarDate, parties: [String],
                          source: String?, recorded: String?, minimumAreaKm2: Double) throws -> (ControlRecord, [RecordedChange]) {
        guard date >= baseDate else {
            throw RecordEditError("\(date) is before the record's base (\(baseDate)); a snapshot before the base cannot be imported")
        }
        var id = nextID
        func changes(_ found: [(to: String, geometry: Geometry)], on day: CalendarDate) -> [RecordedChange] {
            found.map { item in
                defer { id += 1 }
                return RecordedChange(id: id, date: day, to: item.to, source: source, recorded: recorded, geometry: item.geometry)
            }
        }
        let added = changes(try Self.differences(from: try state(on: date), to: snapshot, parties: parties, minimumAreaKm2: minimumAreaKm2), on: date)
        if added.isEmpty { return (self, []) }
        var record = ControlRecord(baseDate: baseDate, base: base, changes: self.changes + added, nextID: id)
        if let next = self.changes.first(where: { $0.date > date })?.date {
            let restore = changes(try Self.differences(from: try record.state(on: next), to: try state(on: next), parties: parties,
                                                       minimumAreaKm2: minimumAreaKm2), on: next)
            record = ControlRecord(baseDate: baseDate, base: base, changes: record.changes + restore, nextID: id)
            return (record, added + restore)
        }
        return (record, added)
    }

    /// This record with `area` passing to `party` on `date`, clipped to `extent`, less what
    /// `party` already holds then (for `none`: only what some party holds). Throws when nothing
    /// would change.
    public func recording(_ area: Geometry, to party: String, on date: CalendarDate, extent: BoundingBox,
                          source: String?, recorded: String?) throws -> (ControlRecord, RecordedChange) {
        guard date >= baseDate else { throw RecordEditError("\(date) is before the record's base (\(baseDate))") }
        let state = try state(on: date)
        let held = state[party]
        // `none` holds what no party holds: only ground some party holds can pass to it.
        let partiesGround = party == Party.none.id ? Array(state.values) : nil
        let ground = try GeometryWorkers.map([area]) { context, area -> Geometry in
            let g = try context.make(area)
            var clipped = try (try g.isValid() ? g : try g.makeValid()).intersection(try context.make(.rectangle(extent)))
            if let held { clipped = try clipped.difference(try context.make(held)) }
            if let partiesGround {
                guard !partiesGround.isEmpty else { return .empty }
                clipped = try clipped.intersection(try context.union(of: partiesGround))
            }
            return try clipped.snapped(to: ControlRecord.gridSize).polygonalPart()
        }[0]
        guard !ground.isEmpty, Geodesic.wgs84.areaKm2(ground) > 0 else {
            throw RecordEditError(partiesGround != nil ? "no party holds any of the area on \(date) (within the dataset's extent): nothing changes"
                                  : held == nil ? "the area lies outside the dataset's extent: nothing changes"
                                  : "\(party) already holds all of the area on \(date) (within the dataset's extent): nothing changes")
        }
        let change = RecordedChange(id: nextID, date: date, to: party, source: source, recorded: recorded, geometry: ground)
        return (ControlRecord(baseDate: baseDate, base: base, changes: changes + [change], nextID: nextID + 1), change)
    }

    /// This record without change `id`.
    public func reverting(_ id: Int) throws -> (ControlRecord, RecordedChange) {
        guard let change = changes.first(where: { $0.id == id }) else {
            throw RecordEditError("there is no change \(id) in the record (`frontline history` lists them)")
        }
        return (ControlRecord(baseDate: baseDate, base: base, changes: changes.filter { $0.id != id }, nextID: nextID), change)
    }

    /// What differs between two records on `date` within `region`: for each (holder in `old`,
    /// holder in `new`), the ground that passed. The effect of an edit, for its report.
    public static func effect(from old: ControlRecord, to new: ControlRecord, on date: CalendarDate,
                              within region: [Geometry]) throws -> [Passage] {
        let parts = region.flatMap(\.polygons)
        guard let box = parts.compactMap(\.boundingBox).reduce(nil, { (a: BoundingBox?, b) in a.map { $0.union(b) } ?? b }) else { return [] }
        let found = try GeometryWorkers.map([0]) { context, _ -> [Passage] in
            let area = try context.union(of: parts)
            let before = try old.paint(area, box: box, upTo: date, in: context, withNone: true)
            let after = try new.paint(area, box: box, upTo: date, in: context, withNone: true)
            var passages: [Passage] = []
            for (p, a) in before.sorted(by: { $0.key < $1.key }) {
                for (q, b) in after.sorted(by: { $0.key < $1.key }) where q != p {
                    let piece = try a.intersection(b).polygonalPart()
                    if !piece.isEmpty { passages.append(Passage(from: p, to: q, geometry: piece)) }
                }
            }
            return passages
        }
        return found[0]
    }
}

extension Dataset {
    /// Passages as changes of control between `from` and `to`, with the villages and heights in
    /// them, those under `minimumAreaKm2` left out; in the parties' order, `none` last.
    public func changesOfControl(_ passages: [ControlRecord.Passage], from: CalendarDate, to: CalendarDate,
                                 minimumAreaKm2: Double = 0) throws -> [ChangeOfControl] {
        let villages = self.villages, heights = self.heights
        let found = try GeometryWorkers.map(passages) { context, passage -> ChangeOfControl? in
            let area = Geodesic.wgs84.areaKm2(passage.geometry)
            guard area > 0, area >= minimumAreaKm2, let p = party(passage.from), let q = party(passage.to) else { return nil }
            let inside = try PlaceLocator(passage.geometry, in: context)
            return ChangeOfControl(from: p, to: q, fromDate: from, toDate: to, areaKm2: area, geometry: passage.geometry,
                                   villages: try inside.filter(villages), heights: try inside.filter(heights))
        }
        let order = Dictionary(uniqueKeysWithValues: partiesWithNone.enumerated().map { ($1.id, $0) })
        return found.compactMap { $0 }.sorted { (order[$0.from.id]!, order[$0.to.id]!) < (order[$1.from.id]!, order[$1.to.id]!) }
    }
}
