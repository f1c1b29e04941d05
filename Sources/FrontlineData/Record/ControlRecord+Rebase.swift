import FrontlineGeometry

/// A committed edit of a record: the record as written, and the ids its new changes took.
public struct RecordCommit: Sendable {
    /// The record as committed.
    public var record: ControlRecord
    /// The committed id of each change the edit added, by the id it was computed with; they
    /// differ when another writer's changes took those ids first (``ControlRecord/rebase(_:read:current:ground:)``).
    public var ids: [Int: Int]

    /// A commit; `ids` holds only the ids that moved.
    public init(record: ControlRecord, ids: [Int: Int] = [:]) {
        self.record = record
        self.ids = ids
    }

    /// The committed id of a change the edit computed as `id`.
    public func id(of id: Int) -> Int { ids[id] ?? id }
}

/// Another writer changed the record, where an edit looked, while the edit was computed: nothing
/// was written. The message names the other writer's change.
public struct RecordConflict: Error, Sendable, CustomStringConvertible {
    /// What the other writer did.
    public var description: String
    init(_ description: String) { self.description = description }
}

extension ControlRecord {
    /// `edited`, an edit computed from `read` that looked only at `ground` (nil: at all of the
    /// map, as an import of snapshots does), applied to `current`, the record another writer has
    /// committed since: the edit's new changes, with ids after `current`'s, and the changes it
    /// took back. Throws ``RecordConflict`` when the other writer replaced the base, or added or
    /// took back a change whose ground meets `ground`: the edit was computed on a state that is
    /// no longer the record's there (docs/database.md, "Two writers at once").
    public static func rebase(_ edited: ControlRecord, read: ControlRecord?, current: ControlRecord?,
                              ground: [Geometry]?) throws -> RecordCommit {
        guard let read, let current else {
            // No record when the edit read it, and none now: the edit makes the first base.
            guard read == nil, current == nil else { throw RecordConflict("another writer replaced the whole record") }
            return RecordCommit(record: edited)
        }
        guard current.hasSameBase(as: read) else { throw RecordConflict("another writer replaced the record's base") }
        let others = current.changes(notIn: read).map { ($0, "change \($0.id) by another writer covers the same ground") }
            + read.changes(notIn: current).map { ($0, "change \($0.id), taken back by another writer, covered the same ground") }
        if let (_, what) = try others.first(where: { try meets($0.0.geometry, ground) }) { throw RecordConflict(what) }

        let added = edited.changes(notIn: read).sorted { $0.id < $1.id }
        let removed = Set(read.changes(notIn: edited).map(\.id))
        var next = current.nextID, ids: [Int: Int] = [:]
        let moved = added.map { change -> RecordedChange in
            var change = change
            if change.id != next { ids[change.id] = next }
            change.id = next
            next += 1
            return change
        }
        let changes = current.changes.filter { !removed.contains($0.id) } + moved
        return RecordCommit(record: ControlRecord(baseDate: current.baseDate, base: current.base, changes: changes, nextID: max(next, current.nextID)),
                            ids: ids)
    }

    /// True when `geometry`'s interior meets `ground`'s (nil: the whole map); ground that only
    /// shares a side does not (two bites along one front). A failed overlay counts as meeting.
    static func meets(_ geometry: Geometry, _ ground: [Geometry]?) throws -> Bool {
        guard let ground else { return true }
        guard let box = geometry.boundingBox else { return false }
        let near = ground.filter { $0.boundingBox?.intersects(box) ?? false }
        if near.isEmpty { return false }
        return try GeometryWorkers.map([near]) { context, near -> Bool in
            let own = try context.make(geometry)
            for other in near {
                guard let shared = try? own.recordIntersection(try context.make(other)).polygonalPart() else { return true }
                if !shared.isEmpty { return true }
            }
            return false
        }[0]
    }

    /// The changes of this record that `other` does not hold as they are here (by id, date,
    /// party, source, time and ground).
    public func changes(notIn other: ControlRecord) -> [RecordedChange] {
        let theirs = Dictionary(other.changes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return changes.filter { change in theirs[change.id].map { !$0.isSame(as: change) } ?? true }
    }

    /// True when `other` has the same base date and the same ground for each party.
    public func hasSameBase(as other: ControlRecord) -> Bool {
        guard baseDate == other.baseDate, base.count == other.base.count else { return false }
        let theirs = Dictionary(other.base.map { ($0.partyID, $0) }, uniquingKeysWith: { a, _ in a })
        return base.allSatisfy { ground in
            theirs[ground.partyID].map { $0.source == ground.source && $0.geometry.wkb == ground.geometry.wkb } ?? false
        }
    }
}

extension RecordedChange {
    /// The same change: id, date, party, source, time and ground (as WKB).
    func isSame(as other: RecordedChange) -> Bool {
        id == other.id && date == other.date && to == other.to && source == other.source && recorded == other.recorded
            && geometry.wkb == other.geometry.wkb
    }
}
