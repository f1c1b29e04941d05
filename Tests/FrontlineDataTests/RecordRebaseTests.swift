import FrontlineGeometry
import Testing
@testable import FrontlineData

/// ``ControlRecord/rebase(_:read:current:ground:)``: an edit re-applied on what another writer
/// committed meanwhile, or refused where that writer's changes meet the ground the edit looked at.
@Suite struct RecordRebaseTests {
    typealias T = RecordTests
    static let south = BoundingBox(minX: 0.06, minY: 0.02, maxX: 0.08, maxY: 0.03)
    static let overlapsSouth = BoundingBox(minX: 0.07, minY: 0.02, maxX: 0.09, maxY: 0.03)
    static let besideSouth = BoundingBox(minX: 0.08, minY: 0.02, maxX: 0.09, maxY: 0.03)

    /// The bite (change 1) on the halves.
    static let read = ControlRecord(baseDate: T.halves.baseDate, base: T.halves.base, changes: [T.change(1, "2024-01-02", "a", T.bite)])

    /// `record` with `changes` added (ids as given) and `removed` taken out.
    static func edit(_ record: ControlRecord, adding changes: [RecordedChange] = [], removing removed: Set<Int> = []) -> ControlRecord {
        ControlRecord(baseDate: record.baseDate, base: record.base, changes: record.changes.filter { !removed.contains($0.id) } + changes,
                      nextID: max(record.nextID, (changes.map(\.id).max() ?? 0) + 1))
    }

    @Test func anEditApartFromTheOtherWritersChangesTakesTheNextIds() throws {
        let mine = Self.edit(Self.read, adding: [T.change(2, "2024-01-03", "a", Self.south)])
        let theirs = Self.edit(Self.read, adding: [T.change(2, "2024-01-04", "none", Self.besideSouth)])
        // Sharing a side only is not meeting: two bites along one front.
        let commit = try ControlRecord.rebase(mine, read: Self.read, current: theirs, ground: [.rectangle(Self.south)])
        #expect(commit.record.changes.map(\.id) == [1, 3, 2], "in (date, id) order")
        #expect(commit.id(of: 2) == 3 && commit.record.nextID == 4)
        #expect(commit.record.changes.first { $0.id == 3 }?.to == "a")
        #expect(commit.record.changes.first { $0.id == 2 }?.to == "none", "the other writer's change stays as it was")
    }

    @Test func anEditWhoseGroundMeetsAnotherWritersChangeIsRefusedNamingIt() throws {
        let mine = Self.edit(Self.read, adding: [T.change(2, "2024-01-03", "a", Self.south)])
        let theirs = Self.edit(Self.read, adding: [T.change(2, "2024-01-04", "none", Self.overlapsSouth)])
        #expect(throws: RecordConflict.self) { try ControlRecord.rebase(mine, read: Self.read, current: theirs, ground: [.rectangle(Self.south)]) }
        do {
            _ = try ControlRecord.rebase(mine, read: Self.read, current: theirs, ground: [.rectangle(Self.south)])
        } catch let error as RecordConflict {
            #expect(error.description == "change 2 by another writer covers the same ground")
        }
        // An import looked at the whole map: any change in between refuses it.
        let far = Self.edit(Self.read, adding: [T.change(2, "2024-01-04", "none", BoundingBox(minX: 0, minY: 0.09, maxX: 0.01, maxY: 0.1))])
        #expect(throws: RecordConflict.self) { try ControlRecord.rebase(mine, read: Self.read, current: far, ground: nil) }
        #expect(try ControlRecord.rebase(mine, read: Self.read, current: far, ground: [.rectangle(Self.south)]).record.changes.count == 3)
    }

    @Test func revertingAChangeAnotherWriterTookBackOrAReplacedBaseIsRefused() throws {
        let mine = Self.edit(Self.read, removing: [1])
        let theirs = Self.edit(Self.read, removing: [1])
        do {
            _ = try ControlRecord.rebase(mine, read: Self.read, current: theirs, ground: [.rectangle(T.bite)])
            Issue.record("a revert of a change already taken back is refused")
        } catch let error as RecordConflict {
            #expect(error.description == "change 1, taken back by another writer, covered the same ground")
        }
        let rebased = ControlRecord(baseDate: Self.read.baseDate, base: [BaseGround(partyID: "a", geometry: .rectangle(T.extent))], changes: [])
        #expect(throws: RecordConflict.self) { try ControlRecord.rebase(mine, read: Self.read, current: rebased, ground: [.rectangle(T.bite)]) }
        #expect(throws: RecordConflict.self) { try ControlRecord.rebase(mine, read: Self.read, current: nil, ground: [.rectangle(T.bite)]) }
    }
}
