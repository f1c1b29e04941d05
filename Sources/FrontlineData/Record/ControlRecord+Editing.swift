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

/// A snapshot of control to import: each party's ground on a date, and where it was read.
public struct ControlSnapshotInput: Sendable {
    /// The date the snapshot describes.
    public var date: CalendarDate
    /// Party id → its ground (valid, within the dataset's extent; parties with none absent).
    public var grounds: [String: Geometry]
    /// Party id → the files and features its ground was read from, for messages.
    public var origins: [String: [String]]

    /// A snapshot of `grounds` on `date`.
    public init(date: CalendarDate, grounds: [String: Geometry], origins: [String: [String]] = [:]) {
        self.date = date
        self.grounds = grounds
        self.origins = origins
    }

    /// The pieces of a snapshot, repaired where invalid, united per party and clipped to `extent`
    /// (`none` pieces left out: ground nobody holds needs no polygon).
    public init(_ pieces: [SnapshotPiece], on date: CalendarDate, extent: BoundingBox) throws {
        let parties = Array(Set(pieces.map(\.partyID)).subtracting([Party.none.id])).sorted()
        let grounds = try GeometryWorkers.map(parties) { context, party -> Geometry in
            let own = pieces.filter { $0.partyID == party }.map(\.geometry)
            var ground: OwnedGeometry
            if own.count == 1, try context.make(own[0]).isValid() {
                ground = try context.make(own[0])
            } else {
                let valid = try own.map { g -> Geometry in
                    let owned = try context.make(g)
                    return try (try owned.isValid() ? owned : try owned.makeValid()).polygonalPart()
                }
                ground = try context.recordUnion(of: valid)
            }
            if let box = BoundingBox.union(of: own.compactMap(\.boundingBox)),
               box.minX < extent.minX || box.minY < extent.minY || box.maxX > extent.maxX || box.maxY > extent.maxY {
                ground = try ground.recordIntersection(try context.make(.rectangle(extent)))
            }
            return try ground.polygonalPart()
        }
        self.date = date
        self.grounds = [:]
        for (party, ground) in zip(parties, grounds) where !ground.isEmpty { self.grounds[party] = ground }
        origins = Dictionary(grouping: pieces, by: \.partyID).mapValues { $0.map(\.origin) }
    }

    /// The error for ground that parties `a` and `b` both hold, of `area` km² around `place`.
    func overlap(_ a: String, _ b: String, area: Double, place: (x: Double, y: Double)?) -> String {
        let files = Set((origins[a] ?? []) + (origins[b] ?? [])).map { $0.components(separatedBy: ": feature").first ?? $0 }
        return "on \(date) \(a) and \(b) both hold \(format(area)) km²"
            + (place.map { String(format: " around %.5f, %.5f (lon, lat)", $0.x, $0.y) } ?? "")
            + (files.isEmpty ? "" : " in \(Set(files).sorted().joined(separator: ", "))")
    }
}

extension ControlRecord {
    /// A record whose base is `snapshot`: the first snapshot of a record. Throws when two parties
    /// overlap by more than `toleranceKm2`, naming the date, the parties, the area and a place.
    public static func starting(with snapshot: ControlSnapshotInput, parties: [String], source: String?,
                                toleranceKm2: Double = Dataset.overlapToleranceKm2) throws -> ControlRecord {
        let held = snapshot.grounds.sorted { $0.key < $1.key }
        struct Pair: Sendable { var a: String; var b: String; var ga: Geometry; var gb: Geometry }
        var pairs: [Pair] = []
        for i in held.indices {
            for j in held.indices where j > i {
                if let a = held[i].value.boundingBox, let b = held[j].value.boundingBox, a.intersects(b) {
                    pairs.append(Pair(a: held[i].key, b: held[j].key, ga: held[i].value, gb: held[j].value))
                }
            }
        }
        let overlaps = try GeometryWorkers.map(pairs) { context, pair -> String? in
            let overlap = try context.make(pair.ga).recordIntersection(try context.make(pair.gb))
            let area = Geodesic.wgs84.areaKm2(try overlap.polygonalPart())
            return area > toleranceKm2 ? snapshot.overlap(pair.a, pair.b, area: area, place: try overlap.pointOnSurface()) : nil
        }.compactMap { $0 }
        guard overlaps.isEmpty else { throw RecordEditError("the snapshot's parties overlap: " + overlaps.joined(separator: "; ")) }
        let snapped = try GeometryWorkers.map(parties.filter { snapshot.grounds[$0] != nil }) { context, party in
            BaseGround(partyID: party, source: source, geometry: try context.make(snapshot.grounds[party]!).snapped(to: gridSize).polygonalPart())
        }
        return ControlRecord(baseDate: snapshot.date, base: snapped, changes: [])
    }

    /// The changes that turn `state` into `snapshot`, split into their polygons and snapped to
    /// the grid, those under `minimumAreaKm2` left out: per party the ground it gains, then the
    /// ground nobody holds any more (to `none`). Where the snapshot differs from the state, its
    /// parties must not overlap (elsewhere they cannot: the state has no overlaps).
    static func differences(from state: [String: Geometry], to snapshot: ControlSnapshotInput, parties: [String],
                            minimumAreaKm2: Double, toleranceKm2: Double = Dataset.overlapToleranceKm2) throws -> [(to: String, geometry: Geometry)] {
        let target = snapshot.grounds
        let all = parties + state.keys.filter { !parties.contains($0) }.sorted()
        // Per party, the ground gained and the ground lost: two overlays of its whole ground.
        let moved = try GeometryWorkers.map(all.flatMap { p in [(p, true), (p, false)] }) { context, job -> Geometry in
            let (party, gaining) = job
            let (a, b) = gaining ? (target[party], state[party]) : (state[party], target[party])
            guard let a else { return .empty }
            guard let b else { return a }
            // Two versions of a whole front with many nearly coincident edges: snap rounding on
            // the grid is faster here than the floating overlay, which fails and retries.
            return try context.make(a).difference(try context.make(b), gridSize: gridSize).polygonalPart()
        }
        let gained = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, moved[2 * $0]) })
        let lost = all.indices.map { moved[2 * $0 + 1] }.filter { !$0.isEmpty }
        struct Check: Sendable { var p: String; var q: String; var gained: Geometry; var held: Geometry }
        var checks: [Check] = []
        for p in all { for q in all where q != p { if let g = gained[p], !g.isEmpty, let h = target[q] { checks.append(Check(p: p, q: q, gained: g, held: h)) } } }
        let overlaps = try GeometryWorkers.map(checks) { context, check -> String? in
            guard let box = check.gained.boundingBox else { return nil }
            let overlap = try context.make(check.gained).recordIntersection(try context.recordPart(of: check.held, near: box))
            let area = Geodesic.wgs84.areaKm2(try overlap.polygonalPart())
            return area > toleranceKm2 ? snapshot.overlap(min(check.p, check.q), max(check.p, check.q), area: area, place: try overlap.pointOnSurface()) : nil
        }.compactMap { $0 }
        guard overlaps.isEmpty else { throw RecordEditError("the snapshot's parties overlap: " + Array(Set(overlaps)).sorted().joined(separator: "; ")) }

        // Ground lost by its holder and taken by no one passes to none.
        let freed = try GeometryWorkers.map(lost) { context, ground -> Geometry in
            var free = try context.make(ground)
            guard let box = ground.boundingBox else { return .empty }
            for held in target.values where held.boundingBox?.intersects(box) ?? false {
                free = try free.recordDifference(try context.recordPart(of: held, near: box))
            }
            return try free.polygonalPart()
        }
        let jobs = all.map { ($0, gained[$0] ?? .empty) } + [(Party.none.id, Geometry.multiPolygon(freed.flatMap(\.polygons)))]
        let pieces = try GeometryWorkers.map(jobs) { context, job -> [Geometry] in
            if job.1.isEmpty { return [] }
            return try context.make(job.1).snapped(to: gridSize).polygonalPart().polygons
                .filter { $0.positionCount > 0 && Geodesic.wgs84.areaKm2($0) >= minimumAreaKm2 }
        }
        return zip(jobs, pieces).flatMap { job, polygons in polygons.map { (job.0, $0) } }
    }

    /// This record with `snapshot` as the state on its date (see docs/record.md): the changes
    /// that make the state equal the snapshot, and, when changes are recorded after that date (a
    /// correction), the changes on the next recorded date that bring the state back to what it
    /// was then. Returns the record and the changes added (none when nothing differs by
    /// `minimumAreaKm2` or more).
    public func importing(_ snapshot: ControlSnapshotInput, parties: [String],
                          source: String?, recorded: String?, minimumAreaKm2: Double) throws -> (ControlRecord, [RecordedChange]) {
        let date = snapshot.date
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
        let before = try state(on: date)
        let added = changes(try Self.differences(from: before, to: snapshot, parties: parties, minimumAreaKm2: minimumAreaKm2), on: date)
        if added.isEmpty { return (self, []) }
        guard let next = self.changes.first(where: { $0.date > date })?.date else {
            // Appended: the new state of the date is the old one with the changes painted over it.
            let after = try Self.painted(before, with: added)
            return (ControlRecord(baseDate: baseDate, base: base, changes: self.changes + added, nextID: id, knownState: (date, after)), added)
        }
        let record = ControlRecord(baseDate: baseDate, base: base, changes: self.changes + added, nextID: id)
        // Put back all that differs, however small (but the slivers of floating point): the state
        // from `next` on must be what it was.
        let restore = changes(try Self.differences(from: try record.state(on: next), to: ControlSnapshotInput(date: next, grounds: try state(on: next)),
                                                   parties: parties, minimumAreaKm2: 1e-6), on: next)
        return (ControlRecord(baseDate: baseDate, base: base, changes: record.changes + restore, nextID: id), added + restore)
    }

    /// A whole-map state with `changes` painted over it in order.
    static func painted(_ state: [String: Geometry], with changes: [RecordedChange]) throws -> [String: Geometry] {
        let parties = Array(Set(state.keys).union(changes.map(\.to)).subtracting([Party.none.id])).sorted()
        let grounds = try GeometryWorkers.map(parties) { context, party -> Geometry in
            var ground = try state[party].map { try context.make($0) }
            for change in changes {
                let part = try context.make(change.geometry)
                if change.to == party {
                    ground = try ground.map { try $0.recordUnion(part) } ?? part
                } else if let g = ground {
                    ground = try g.recordDifference(part)
                }
            }
            return try ground?.polygonalPart() ?? .empty
        }
        var result: [String: Geometry] = [:]
        for (party, ground) in zip(parties, grounds) where !ground.isEmpty { result[party] = ground }
        return result
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
            var clipped = try (try g.isValid() ? g : try g.makeValid()).recordIntersection(try context.make(.rectangle(extent)))
            if let held { clipped = try clipped.recordDifference(try context.make(held)) }
            if let partiesGround {
                guard !partiesGround.isEmpty else { return .empty }
                clipped = try clipped.recordIntersection(try context.recordUnion(of: partiesGround))
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
        guard let box = BoundingBox.union(of: parts.compactMap(\.boundingBox)) else { return [] }
        let found = try GeometryWorkers.map([0]) { context, _ -> [Passage] in
            let area = try context.recordUnion(of: parts)
            let before = try old.paint(area, box: box, upTo: date, from: old.start(for: date), in: context, withNone: true)
            let after = try new.paint(area, box: box, upTo: date, from: new.start(for: date), in: context, withNone: true)
            return try passages(before, after)
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
