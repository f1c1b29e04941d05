import Foundation
import FrontlineGeometry
import Synchronization

/// Ground that passes to a party on a date: one entry of a record's log of changes.
public struct RecordedChange: Sendable {
    /// Unique within the record; increases with the order of recording.
    public var id: Int
    /// First date on which `to` holds the ground.
    public var date: CalendarDate
    /// The party that holds the ground from `date` on, or `none`.
    public var to: String
    /// Where the report comes from, when given.
    public var source: String?
    /// When it was recorded (UTC, ISO 8601), when a command recorded it.
    public var recorded: String?
    /// Polygon or MultiPolygon in longitude/latitude.
    public var geometry: Geometry

    /// A change; `recorded` is left out of records built by tools, so that they are reproducible.
    public init(id: Int, date: CalendarDate, to: String, source: String? = nil, recorded: String? = nil, geometry: Geometry) {
        self.id = id
        self.date = date
        self.to = to
        self.source = source
        self.recorded = recorded
        self.geometry = geometry
    }
}

/// One party's ground in the record's base.
public struct BaseGround: Sendable {
    /// The party (`controlled_by`).
    public var partyID: String
    /// Where the line comes from, when given.
    public var source: String?
    /// Polygon or MultiPolygon in longitude/latitude.
    public var geometry: Geometry

    /// One party's ground.
    public init(partyID: String, source: String? = nil, geometry: Geometry) {
        self.partyID = partyID
        self.source = source
        self.geometry = geometry
    }
}

/// A record of control: a base state on a date and a log of the changes since, each passing
/// some ground to a party (see docs/record.md). The state on D is the base with every change
/// dated on or before D painted over it in (date, id) order. Plain data with a private cache of
/// whole-map states; share it freely.
public struct ControlRecord: Sendable {
    /// The date of the base; before it, no party holds anything.
    public let baseDate: CalendarDate
    /// The ground of each party on `baseDate`.
    public let base: [BaseGround]
    /// The log, sorted by (date, id).
    public let changes: [RecordedChange]
    /// The next free id.
    public let nextID: Int
    /// Whole-map states kept to start painting from (see ``Checkpoint``), by `applied`.
    public let checkpoints: [Checkpoint]

    /// The first day of the state `base` gives: `baseDate`, or for a part of a record
    /// (``init(part:from:baseDate:changes:nextID:checkpoints:cellSize:)``) the date of the
    /// checkpoint it starts from.
    let startDate: CalendarDate
    /// Bounding box of each change, by index in `changes`.
    let boxes: [BoundingBox?]
    /// The side of the grid's cells in degrees (``cellSize(of:)``): a store keeps it with the
    /// record, so that a part of it read by query paints the same cells.
    public let cellSize: Double
    private let cache: StateCache

    /// A record; `changes` are sorted by (date, id).
    public init(baseDate: CalendarDate, base: [BaseGround], changes: [RecordedChange], nextID: Int? = nil) {
        self.init(baseDate: baseDate, base: base, changes: changes, nextID: nextID, knownState: nil)
    }

    /// A record with the checkpoints a store kept for it (they must be this record's: see
    /// ``checkpointed(every:reusing:)``).
    public init(baseDate: CalendarDate, base: [BaseGround], changes: [RecordedChange], nextID: Int?, checkpoints: [Checkpoint]) {
        self.init(baseDate: baseDate, base: base, changes: changes, nextID: nextID, knownState: nil, checkpoints: checkpoints)
    }

    /// The part of a record a store reads to answer questions about some dates (see
    /// ``QueriedRecord``): `start` is each party's ground on `startDate`, with every change up to
    /// then painted in (the base, or a checkpoint's state, with the base's sources); `changes`
    /// are those dated after `startDate`, up to and including the first date after the dates
    /// asked about; `checkpoints` count their `applied` from `start`; `cellSize` is the whole
    /// record's (``cellSize(medianSide:)``), so that the part paints the same cells. It answers
    /// as the whole record for every date from `startDate` to the day before its last change.
    public init(part start: [BaseGround], from startDate: CalendarDate, baseDate: CalendarDate, changes: [RecordedChange],
                nextID: Int, checkpoints: [Checkpoint], cellSize: Double) {
        self.init(baseDate: baseDate, base: start, changes: changes, nextID: nextID, knownState: nil, checkpoints: checkpoints,
                  startDate: startDate, cellSize: cellSize)
    }

    /// A record whose whole-map state on a date is already known (an import just painted it).
    init(baseDate: CalendarDate, base: [BaseGround], changes: [RecordedChange], nextID: Int?,
         knownState: (date: CalendarDate, state: [String: Geometry])?, checkpoints: [Checkpoint] = [],
         startDate: CalendarDate? = nil, cellSize: Double? = nil) {
        self.baseDate = baseDate
        self.startDate = startDate ?? baseDate
        self.base = base
        let sorted = changes.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        self.changes = sorted
        self.nextID = max(nextID ?? 1, (sorted.map(\.id).max() ?? 0) + 1)
        boxes = sorted.map(\.geometry.boundingBox)
        self.cellSize = cellSize ?? Self.cellSize(for: boxes)
        self.checkpoints = checkpoints.filter { $0.applied <= sorted.count }.sorted { $0.applied < $1.applied }
        cache = StateCache(limit: 8)
        if let knownState, let period = period(around: knownState.date) { cache.store(knownState.state, on: period.from) }
    }

    /// The base date and every date on which a change is recorded, sorted.
    public var dates: [CalendarDate] {
        var result = [baseDate]
        for change in changes where change.date != result.last { result.append(change.date) }
        return result
    }

    /// The dates between which the whole state stays as on `date`: from the last recorded date
    /// on or before it, to the next one after it (nil when none follows). Nil before the base.
    public func period(around date: CalendarDate) -> ValidityPeriod? {
        guard date >= baseDate else { return nil }
        let upTo = count(upTo: date)
        return ValidityPeriod(from: upTo > 0 ? max(startDate, changes[upTo - 1].date) : startDate,
                              to: upTo < changes.count ? changes[upTo].date : nil)
    }

    /// How many changes are dated on or before `date` (the interval index: a binary search).
    func count(upTo date: CalendarDate) -> Int {
        var low = 0, high = changes.count
        while low < high {
            let mid = (low + high) / 2
            if changes[mid].date <= date { low = mid + 1 } else { high = mid }
        }
        return low
    }

    // MARK: Questions

    /// Each party's ground on `date` (parties holding nothing are absent; `none` is not given).
    public func state(on date: CalendarDate) throws -> [String: Geometry] {
        // Cached by the first day of the state: every date up to the next change shares it.
        guard let key = period(around: date)?.from else { return [:] }
        if let cached = cache.state(on: key) { return cached }
        let state = try computeState(on: date)
        cache.store(state, on: key)
        return state
    }

    private func computeState(on date: CalendarDate) throws -> [String: Geometry] {
        guard date >= baseDate else { return [:] }
        let start = start(for: date)
        let applied = Array(start.applied..<count(upTo: date))
        var result: [String: Geometry] = [:]
        if applied.isEmpty {
            for (party, ground) in start.grounds where !ground.isEmpty {
                result[party] = result[party].map { .multiPolygon($0.polygons + ground.polygons) } ?? ground
            }
            return result
        }
        // Painted cell by cell; ground no change touched is as it was at the start.
        let clusters = self.clusters(of: applied)
        let painted = try mapCells(clusters, starts: [start]) { context, cluster, made -> (region: Geometry, owners: [String: Geometry]) in
            let region = try self.region(of: cluster, in: context)
            let owners = try paint(region, box: cluster.box, upTo: date, from: start, made: made[0], in: context)
            return (try region.polygonalPart(), try owners.mapValues { try $0.polygonalPart() })
        }
        let touched = painted.map(\.region)
        let parties = Array(Set(start.grounds.map(\.party)).union(applied.map { changes[$0].to }).subtracting([Party.none.id])).sorted()
        let assembled = try GeometryWorkers.map(parties) { context, party -> Geometry in
            var pieces = painted.compactMap { $0.owners[party] }.filter { !$0.isEmpty }
            let own = start.grounds.filter { $0.party == party }.map(\.geometry)
            if !own.isEmpty {
                let untouched = try context.recordUnion(of: own).recordDifference(try context.recordUnion(of: touched))
                pieces.append(try untouched.polygonalPart())
            }
            pieces = pieces.filter { !$0.isEmpty }
            return pieces.isEmpty ? .empty : try context.recordUnion(of: pieces).polygonalPart().removingSlivers(smallerThan: Self.sliverArea)
        }
        for (party, ground) in zip(parties, assembled) where !ground.isEmpty { result[party] = ground }
        return result
    }

    /// The ground that passed between `from` and `to` (`from` < `to`): for each (previous holder,
    /// new holder) with `none` included, the ground the first held on `from` and the second holds
    /// on `to`. Only the ground of the changes dated after `from` and up to `to` is looked at.
    public func passages(from: CalendarDate, to: CalendarDate) throws -> [Passage] {
        let (first, last) = from <= to ? (from, to) : (to, from)
        let lower = count(upTo: first), upper = count(upTo: last)
        let between = Array(lower..<upper)
        if between.isEmpty { return [] }
        let clusters = self.clusters(of: between)
        let starts = [start(for: from), start(for: to)]
        let found = try mapCells(clusters, starts: starts) { context, cluster, made -> [Passage] in
            // The whole cell: ground no change touched is held by the same party on both dates,
            // so it adds no passage, and no union of the cell's changes is needed.
            let before = try paint(nil, box: cluster.box, upTo: from, from: starts[0], made: made[0], in: context, withNone: true)
            let after = try paint(nil, box: cluster.box, upTo: to, from: starts[1], made: made[1], in: context, withNone: true)
            return try Self.passages(before, after)
        }
        var byPair: [String: [Passage]] = [:]
        for passage in found.joined() { byPair[passage.from + "\u{0}" + passage.to, default: []].append(passage) }
        let groups = byPair.keys.sorted().map { byPair[$0]! }
        // Each pair's pieces lie in distinct cells: only those that meet across a cell's side
        // are united, a few at a time, rather than every piece of the pair in one union.
        let touching = groups.map { Self.touchingSets($0.map(\.geometry)) }
        let jobs = zip(groups, touching).enumerated().flatMap { g, pair in pair.1.map { (group: g, pieces: $0.map { pair.0[$0].geometry }) } }
        let united = try GeometryWorkers.map(jobs) { context, job -> Geometry in
            job.pieces.count == 1 ? job.pieces[0] : try context.recordUnion(of: job.pieces).polygonalPart()
        }
        var polygons = [[Geometry]](repeating: [], count: groups.count)
        for (job, geometry) in zip(jobs, united) { polygons[job.group] += geometry.polygons }
        return zip(groups, polygons).map { group, polygons in
            Passage(from: group[0].from, to: group[0].to, geometry: Geometry.multiPolygon(polygons).removingSlivers(smallerThan: Self.sliverArea))
        }
    }

    /// Rings smaller than this (square degrees, about 10 m²) are slivers that painting cell by
    /// cell leaves along the cells' sides, not ground: they are left out of states and passages.
    static let sliverArea = 1e-9

    /// `pieces` (in distinct cells, so overlapping at most on a side) in sets whose boxes meet,
    /// directly or through others of the set: pieces of different sets cannot touch.
    static func touchingSets(_ pieces: [Geometry]) -> [[Int]] {
        let boxes = pieces.map { $0.boundingBox?.expanded(by: 1e-9) }
        var parent = Array(pieces.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        // A sweep from west to east: each box against those that start before it ends.
        let order = pieces.indices.filter { boxes[$0] != nil }.sorted { boxes[$0]!.minX < boxes[$1]!.minX }
        for (k, i) in order.enumerated() {
            for j in order[(k + 1)...] {
                guard boxes[j]!.minX <= boxes[i]!.maxX else { break }
                if boxes[i]!.intersects(boxes[j]!) { parent[root(j)] = root(i) }
            }
        }
        var sets: [Int: [Int]] = [:]
        for i in pieces.indices where boxes[i] != nil { sets[root(i), default: []].append(i) }
        return sets.keys.sorted().map { sets[$0]! }
    }

    /// For each (holder in `before`, other holder in `after`), the ground they share.
    static func passages(_ before: [String: OwnedGeometry], _ after: [String: OwnedGeometry]) throws -> [Passage] {
        var passages: [Passage] = []
        for (p, a) in before.sorted(by: { $0.key < $1.key }) {
            for (q, b) in after.sorted(by: { $0.key < $1.key }) where q != p {
                let piece = try a.recordIntersection(b).polygonalPart()
                if !piece.isEmpty { passages.append(Passage(from: p, to: q, geometry: piece)) }
            }
        }
        return passages
    }

    /// Ground that passed from one holder to another (party ids, `none` included).
    public struct Passage: Sendable {
        /// Who held it before.
        public var from: String
        /// Who holds it after.
        public var to: String
        /// Polygon or MultiPolygon in longitude/latitude.
        public var geometry: Geometry
    }

    // MARK: Painting

    /// The changes that meet one cell of the record's grid. The order of changes only matters
    /// where they overlap; painted cell by cell, each question is a few small overlays per
    /// cell, however many changes the record holds elsewhere.
    struct Cluster: Sendable {
        var members: [Int]
        var box: BoundingBox
    }

    /// The cells met by the changes at `indices`, each with those changes, in cell order.
    func clusters(of indices: [Int]) -> [Cluster] {
        var cells: [Int64: [Int]] = [:]
        let size = cellSize
        for i in indices {
            guard let box = boxes[i] else { continue }
            for x in Int64((box.minX / size).rounded(.down))...Int64((box.maxX / size).rounded(.down)) {
                for y in Int64((box.minY / size).rounded(.down))...Int64((box.maxY / size).rounded(.down)) {
                    cells[(x << 32) ^ (y & 0xffff_ffff), default: []].append(i)
                }
            }
        }
        return cells.keys.sorted().map { key in
            let x = Double(key >> 32), y = Double(Int32(truncatingIfNeeded: key))
            return Cluster(members: cells[key]!, box: BoundingBox(minX: x * size, minY: y * size, maxX: (x + 1) * size, maxY: (y + 1) * size))
        }
    }

    /// The ground of a cell's changes within the cell: each change clipped to the cell first,
    /// so that a long change costs each cell only its own part.
    func region(of cluster: Cluster, in context: GeometryContext) throws -> OwnedGeometry {
        let cell = try context.make(.rectangle(cluster.box))
        let parts = try cluster.members.map { try context.recordPart(of: changes[$0].geometry, near: cluster.box).recordIntersection(cell).polygonalPart() }
        return try context.recordUnion(of: parts.filter { !$0.isEmpty })
    }

    /// The side of a grid cell in degrees: a power of two near the typical size of a change
    /// (the median of their boxes' longer sides), so that most changes meet a few cells.
    public static func cellSize(of changes: [RecordedChange]) -> Double { cellSize(for: changes.map(\.geometry.boundingBox)) }

    static func cellSize(for boxes: [BoundingBox?]) -> Double {
        let sides = boxes.compactMap { $0.map { max($0.width, $0.height) } }.sorted()
        return cellSize(medianSide: sides.isEmpty ? nil : sides[sides.count / 2])
    }

    /// The cell size for changes whose boxes' longer sides, sorted, have `medianSide` at index
    /// count / 2 (nil: no change has a box).
    public static func cellSize(medianSide: Double?) -> Double {
        guard let medianSide else { return 1 }
        return min(1, pow(2, (log2(max(medianSide, 1.0 / 256))).rounded()))
    }

    /// Where painting a date starts: every change before `applied` is in `grounds`.
    struct Start: Sendable {
        var applied: Int
        var grounds: [(party: String, geometry: Geometry)]
    }

    /// The latest checkpoint on or before `date`, or the base (also when the checkpoint's cached
    /// ground cannot be decoded: the answer is the same, only slower).
    func start(for date: CalendarDate) -> Start {
        if let checkpoint = checkpoints.last(where: { $0.date <= date }), let state = try? checkpoint.state {
            return Start(applied: checkpoint.applied, grounds: state.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
        return Start(applied: 0, grounds: base.map { ($0.partyID, $0.geometry) })
    }

    /// Who holds each part of `region` (inside `box`; nil: the whole box) on `date`: the start
    /// clipped to it, then every later change up to `date` whose box meets it, in order. With
    /// `withNone`, the ground no party holds is given as `none`.
    func paint(_ region: OwnedGeometry?, box: BoundingBox, upTo date: CalendarDate, from start: Start, made: [OwnedGeometry]? = nil,
               in context: GeometryContext, withNone: Bool = false) throws -> [String: OwnedGeometry] {
        // The part of `near` (a ground or change near `box`) in the region. For the whole box,
        // GEOS's rectangle clipping: exact, and much cheaper than an overlay with the rectangle.
        func within(_ near: OwnedGeometry) throws -> OwnedGeometry {
            guard let region else {
                // It refuses some rings it meets collapsed: then the overlay.
                return try (try? near.clipped(to: box)) ?? near.recordIntersection(try context.make(.rectangle(box)))
            }
            return try ((try? near.clipped(to: box.expanded(by: 1e-4))) ?? near).recordIntersection(region)
        }
        var owners: [String: OwnedGeometry] = [:]
        if date >= baseDate {
            for (k, (party, ground)) in start.grounds.enumerated() {
                guard let groundBox = ground.boundingBox, groundBox.intersects(box) else { continue }
                let part = try within(made?[k] ?? context.make(ground))
                owners[party] = try owners[party].map { try $0.recordUnion(part) } ?? part
            }
            for i in start.applied..<max(start.applied, count(upTo: date)) {
                guard let changeBox = boxes[i], changeBox.intersects(box) else { continue }
                let change = changes[i]
                let part = try within(context.make(change.geometry))
                if try part.isEmpty() { continue }
                for (party, ground) in owners where party != change.to { owners[party] = try ground.recordDifference(part) }
                if change.to != Party.none.id {
                    owners[change.to] = try owners[change.to].map { try $0.recordUnion(part) } ?? part
                }
            }
        }
        owners.removeValue(forKey: Party.none.id)
        if withNone {
            let held = Array(owners.values)
            // Painted grounds never overlap: when their areas fill the region, nothing is free.
            let area = try region?.planarArea() ?? box.width * box.height, heldArea = try held.reduce(0) { $0 + (try $1.planarArea()) }
            if area - heldArea > 1e-12 * max(area, 1e-12) {
                var free = try region ?? context.make(.rectangle(box))
                for ground in held { free = try free.recordDifference(ground) }
                owners[Party.none.id] = free
            }
        }
        return owners
    }

    /// `body` applied to every cell, on every core: the cells go in batches (neighbours, as
    /// cells are sorted by column), and each batch copies the starts' whole grounds into GEOS
    /// once and clips them to its own box, so that each cell clips only the batch's part.
    func mapCells<R: Sendable>(_ cells: [Cluster], starts: [Start],
                               _ body: @Sendable (GeometryContext, Cluster, [[OwnedGeometry]]) throws -> R) throws -> [R] {
        let size = max(1, cells.count / (GeometryWorkers.count * 4))
        let batches = stride(from: 0, to: cells.count, by: size).map { Array(cells[$0..<min(cells.count, $0 + size)]) }
        return try GeometryWorkers.map(batches) { context, batch -> [R] in
            // Wider than the cells' own clips (paint: 1e-4), so that the batch's sides stay out of them.
            let box = BoundingBox.union(of: batch.map(\.box))!.expanded(by: 2e-4)
            // GEOS's rectangle clipping refuses some rings it meets collapsed: then the whole ground.
            let made = try starts.map { start in
                try start.grounds.map { ground in
                    let whole = try context.make(ground.geometry)
                    return (try? whole.clipped(to: box)) ?? whole
                }
            }
            return try batch.map { try body(context, $0, made) }
        }.flatMap { $0 }
    }

    // MARK: Checkpoints

    /// A whole-map state kept so that questions start near their date instead of at the base:
    /// the first `applied` changes (every change up to `date`) painted over the base. Derived
    /// data, rebuilt by writers (``checkpointed(every:reusing:)``) and cached beside the record.
    public struct Checkpoint: Sendable {
        /// The date of the state: every change up to it is in.
        public var date: CalendarDate
        /// How many changes are painted in.
        public var applied: Int
        /// Each party's ground, decoded on first use when read from the cache.
        public var state: [String: Geometry] { get throws { try ground.state() } }
        private let ground: CheckpointGround

        /// A checkpoint whose state is at hand.
        public init(date: CalendarDate, applied: Int, state: [String: Geometry]) {
            self.init(date: date, applied: applied, ground: CheckpointGround(state))
        }

        /// A checkpoint whose state `loader` reads when a question first needs it (a store's rows).
        public init(date: CalendarDate, applied: Int, loading loader: @escaping @Sendable () throws -> [String: Geometry]) {
            self.init(date: date, applied: applied, ground: CheckpointGround(loading: loader))
        }

        init(date: CalendarDate, applied: Int, ground: CheckpointGround) {
            self.date = date
            self.applied = applied
            self.ground = ground
        }

        /// True when both are the same checkpoint (one kept by ``ControlRecord/checkpointed(every:reusing:)``).
        public func isSame(as other: Checkpoint) -> Bool { ground === other.ground }

        /// Each party's ground as WKB, sorted by party (the cache's bytes).
        public func wkb() throws -> [(party: String, wkb: [UInt8])] { try ground.wkb() }
    }

    /// This record with a checkpoint after about every `interval` changes (at the end of a
    /// date), each painted from the one before; those of `reusing` that still hold (no change
    /// before them differs) are kept.
    public func checkpointed(every interval: Int = 16, reusing previous: ControlRecord? = nil) throws -> ControlRecord {
        var kept: [Checkpoint] = []
        if let previous {
            var same = 0
            while same < min(changes.count, previous.changes.count), changes[same].id == previous.changes[same].id { same += 1 }
            // A checkpoint holds while every change before it is the same, and no change now on its date comes after it.
            kept = previous.checkpoints.filter { $0.applied <= same && count(upTo: $0.date) == $0.applied }
        }
        var record = ControlRecord(baseDate: baseDate, base: base, changes: changes, nextID: nextID, knownState: nil, checkpoints: kept)
        var next = (kept.last?.applied ?? 0) + interval
        while next <= changes.count {
            let date = changes[next - 1].date
            let applied = count(upTo: date)
            let state = try record.computeState(on: date)
            record = ControlRecord(baseDate: baseDate, base: base, changes: changes, nextID: nextID, knownState: nil,
                                   checkpoints: record.checkpoints + [Checkpoint(date: date, applied: applied, state: state)])
            next = applied + interval
        }
        return record
    }
}

/// Whole-map states by date, the most recently used kept up to a count.
private final class StateCache: Sendable {
    private struct Entry { var date: CalendarDate; var state: [String: Geometry] }
    private let entries = Mutex<[Entry]>([])
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func state(on date: CalendarDate) -> [String: Geometry]? {
        entries.withLock { entries in
            guard let i = entries.firstIndex(where: { $0.date == date }) else { return nil }
            let entry = entries.remove(at: i)
            entries.append(entry)
            return entry.state
        }
    }

    func store(_ state: [String: Geometry], on date: CalendarDate) {
        entries.withLock { entries in
            entries.removeAll { $0.date == date }
            entries.append(Entry(date: date, state: state))
            if entries.count > limit { entries.removeFirst(entries.count - limit) }
        }
    }
}
