import Foundation
import FrontlineGeometry

extension DatasetLoader {
    /// A file of the record as committed: its bytes (with the stamp of the file they came from,
    /// nil for a `.pending` one), or what went wrong.
    enum CommittedFile: Sendable {
        case json(JSONValue, edited: Bool, stamp: FileStamp?)
        case problem(ValidationIssue)
    }

    /// Reads `control/`: the index, then the base and every day file it lists (in parallel),
    /// checked as the other layers are, or, when they are unchanged since a reader last read
    /// them, their ``LogCache``. Nil when there are errors (recorded in `issues`).
    mutating func readRecord(in directory: URL, parties: Set<String>?) -> ControlRecord? {
        let layout = RecordLayout(dataset: directory)
        let indexName = RecordLayout.displayName("record.json")
        let index: RecordIndex
        let key: String
        do {
            let bytes = Array(try Data(contentsOf: layout.index))
            key = RecordLayout.hash(bytes)
            index = try RecordIndex(json: try JSONParser.parse(bytes))
        } catch let error as RecordIndexError {
            issues.append(ValidationIssue(.error, .badValue, file: indexName, "\(error)"))
            return nil
        } catch {
            issues.append(ValidationIssue(.error, .malformedJSON, file: indexName, "cannot read the record's index: \(error)"))
            return nil
        }
        func checkpoints() -> [ControlRecord.Checkpoint] {
            (try? Data(contentsOf: CheckpointCache.url(layout, key: key), options: .alwaysMapped)).flatMap { CheckpointCache.read($0, key: key) } ?? []
        }
        // Parties are checked again: dataset.json may have changed since.
        if let (base, changes) = LogCache.read(layout, key: key),
           parties.map({ parties in base.allSatisfy { parties.contains($0.partyID) }
                         && changes.allSatisfy { $0.to == Party.none.id || parties.contains($0.to) } }) ?? true {
            return ControlRecord(baseDate: index.base.date, base: base, changes: changes, nextID: index.nextID, knownState: nil,
                                 checkpoints: checkpoints())
        }
        let issuesBefore = issues.count, readStart = FileStamp.now
        let entries = [index.base] + index.days
        let contents = (try? GeometryWorkers.map(entries) { _, entry in DatasetLoader.readCommitted(entry, in: layout) })
            ?? entries.map { DatasetLoader.readCommitted($0, in: layout) }

        var base: [BaseGround] = []
        var changes: [RecordedChange] = []
        var firstFileOfID: [Int: String] = [:]
        for (k, (entry, content)) in zip(entries, contents).enumerated() {
            let name = RecordLayout.displayName(entry.file)
            let json: JSONValue
            switch content {
            case .problem(let issue): issues.append(issue); continue
            case .json(let value, let edited, _):
                json = value
                if edited {
                    issues.append(ValidationIssue(.warning, .editedRecord, file: name,
                                                  "the file differs from what record.json says was committed (edited by hand?); read as it is"))
                }
            }
            if k == 0 {
                base = features(json, named: name, kinds: [.polygon, .multiPolygon]) { (r: inout FeatureReader, g: Geometry) -> BaseGround? in
                    let party = r.string("controlled_by")
                    if let party, let parties, !parties.contains(party) {
                        r.error(.unknownParty, "controlled_by", "\"\(party)\" is not a party of dataset.json (parties: \(parties.sorted().joined(separator: ", ")))")
                    }
                    let source = r.optionalString("source")
                    guard let party else { return nil }
                    return BaseGround(partyID: party, source: source, geometry: g)
                }
                continue
            }
            let day = features(json, named: name, kinds: [.polygon, .multiPolygon]) { (r: inout FeatureReader, g: Geometry) -> (Int, RecordedChange)? in
                let id = r.identifier("id")
                let date = r.date("date")
                if let date, date != entry.date {
                    r.error(.badDate, "date", "\(date) in the file of \(entry.date): a change belongs in the file of its date")
                }
                let to = r.string("to")
                if let to, to != Party.none.id, let parties, !parties.contains(to) {
                    r.error(.unknownParty, "to", "\"\(to)\" is neither a party of dataset.json (parties: \(parties.sorted().joined(separator: ", "))) nor \"none\"")
                }
                if let id {
                    if let first = firstFileOfID[id] {
                        r.error(.duplicateID, "id", "change \(id) is already recorded in \(first)")
                    } else {
                        firstFileOfID[id] = name
                    }
                }
                let source = r.optionalString("source"), recorded = r.optionalString("recorded")
                guard let id, let date, let to else { return nil }
                return (r.index, RecordedChange(id: id, date: date, to: to, source: source, recorded: recorded, geometry: g))
            }
            // Writers commit valid, snapped polygons: only a file edited since is checked here
            // (`frontline validate` checks them all).
            guard case .json(_, edited: true, _) = content else {
                changes += day.map(\.1)
                continue
            }
            var items = day.map { PolygonItem(index: $0.0, geometry: $0.1.geometry) }
            repairInvalid(&items, named: name)
            for (k, item) in items.enumerated() {
                var change = day[k].1
                change.geometry = item.geometry
                changes.append(change)
            }
        }
        if case .json(_, edited: true, _) = contents[0] {
            var baseItems = base.enumerated().map { PolygonItem(index: $0.offset, geometry: $0.element.geometry) }
            repairInvalid(&baseItems, named: RecordLayout.displayName(index.base.file))
            for k in base.indices { base[k].geometry = baseItems[k].geometry }
        }
        guard !issues.contains(where: { $0.severity == .error }) else { return nil }
        // Checkpoints hold for the files as committed: a file edited by hand since makes them stale.
        let edited = contents.contains { if case .json(_, edited: true, _) = $0 { return true } else { return false } }
        // Files read as committed, without a word to say, and not written moments ago: the next
        // reader may take them from the cache.
        let stamps = zip(entries, contents).compactMap { entry, content -> (file: String, stamp: FileStamp)? in
            if case .json(_, edited: false, let stamp?) = content, stamp.isSettled(before: readStart) { return (entry.file, stamp) }
            return nil
        }
        if stamps.count == entries.count && issues.count == issuesBefore {
            LogCache.write(LogCache.bytes(base: base, changes: changes, stamps: stamps, key: key), layout, key: key)
        }
        return ControlRecord(baseDate: index.base.date, base: base, changes: changes, nextID: index.nextID, knownState: nil,
                             checkpoints: edited ? [] : checkpoints())
    }

    /// A record file's parsed JSON. When its hash is not the one committed, a writer may have
    /// been killed between committing `record.json` and moving the new file into place: the
    /// committed bytes are then in `FILE.pending`.
    static func readCommitted(_ entry: RecordFileEntry, in layout: RecordLayout) -> CommittedFile {
        let name = RecordLayout.displayName(entry.file)
        let url = layout.url(entry.file)
        // `.pending` first: a writer renames it over FILE, so once it is gone FILE holds its bytes.
        var bytes: [UInt8]?
        var stamp: FileStamp?
        var edited = false
        if let pending = try? Array(Data(contentsOf: URL(fileURLWithPath: url.path + ".pending"))), RecordLayout.hash(pending) == entry.hash {
            bytes = pending
        } else if let read = FileStamp.read(url.path) {
            (bytes, stamp) = (read.bytes, read.stamp)
            edited = RecordLayout.hash(read.bytes) != entry.hash
        }
        guard let bytes else {
            return .problem(ValidationIssue(.error, .missingFile, file: name, "record.json lists the file but it cannot be read"))
        }
        do {
            return .json(try JSONParser.parse(bytes), edited: edited, stamp: stamp)
        } catch {
            return .problem(ValidationIssue(.error, .malformedJSON, file: name, "not valid JSON: \(error)"))
        }
    }
}

/// A polygon to check and repair, by its feature's index.
struct PolygonItem: PolygonFeature {
    var index: Int
    var geometry: Geometry
}

extension FeatureReader {
    /// A required whole number (a change's id).
    mutating func identifier(_ key: String) -> Int? {
        guard let value = properties[key], !value.isNull else {
            error(.missingProperty, key, "the property is missing; it must be a whole number")
            return nil
        }
        guard let n = value.numberValue, n == n.rounded(), n >= 1, n < 1e15 else {
            error(.wrongType, key, "expected a whole number from 1, found \(value.typeDescription)")
            return nil
        }
        return Int(n)
    }
}
