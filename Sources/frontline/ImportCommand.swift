import ArgumentParser
import Foundation
import FrontlineData
import FrontlineFormats
import FrontlineGeometry
import FrontlineStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add snapshots of control, exported from a GIS, to a dataset's record.",
        discussion: """
            Each file is a snapshot of control on one date: polygons with the party holding them \
            (--party-property, matched to dataset.json's parties, or "none"). The date comes from \
            --date, from each feature's --date-property, or from the first YYYY-MM-DD in the file's \
            name. A folder means its files in name order. GeoJSON, GeoPackage, Shapefile, KML, \
            FlatGeobuf and CSV (WKT) are read through GDAL.

            Snapshots are applied in date order. Into a folder with no control yet, the first \
            becomes the record's base. Only what changed is written (docs/record.md); pieces under \
            --min-area are not changes. A snapshot dated inside the record is a correction: it \
            replaces the state from its date to the next recorded change. Importing the same \
            snapshots again changes nothing. All of it is written at the end, at once: a failed or \
            killed import leaves the record as it was. Into a database (--data postgresql://…) it is \
            one transaction, refused when another writer changed the record meanwhile (run it again).

            Example: frontline import exports/ --data mydata
            """
    )

    @OptionGroup var dataset: DatasetOptions
    @Option(help: ArgumentHelp("Seconds to wait for another writer of the record to finish before giving up.", valueName: "seconds"))
    var wait: Double = 10
    @Argument(help: ArgumentHelp("Snapshot files, or folders of them.", valueName: "file|dir")) var paths: [String]
    @Option(help: ArgumentHelp("The date of every snapshot.", valueName: "date")) var date: CalendarDate?
    @Option(help: ArgumentHelp("Take each feature's date from this property.", valueName: "name")) var dateProperty: String?
    @Option(help: ArgumentHelp("The property naming the party.", valueName: "name")) var partyProperty = "controlled_by"
    @Option(help: ArgumentHelp("Differences smaller than this, in km², are not changes.", valueName: "km2"))
    var minArea: Double = Dataset.defaultMinimumChangeKm2
    @Option(help: ArgumentHelp("The source recorded with the changes (default: the snapshot's file).", valueName: "text")) var source: String?

    func validate() throws {
        guard wait >= 0, wait.isFinite else { throw ValidationError("--wait must be 0 or more seconds") }
        guard date == nil || dateProperty == nil else { throw ValidationError("give --date or --date-property, not both") }
        guard minArea >= 0, minArea.isFinite else { throw ValidationError("--min-area must be 0 or more") }
    }

    func run() throws {
        let writer = try dataset.recordWriter(wait: wait)
        let data = try dataset.loadForWriting(writer)
        let parties = data.metadata.parties.map(\.id)
        let rule: SnapshotReader.DateRule = date.map { .fixed($0) } ?? dateProperty.map { .property($0) } ?? .fileName
        let reader = SnapshotReader(dateRule: rule, partyProperty: partyProperty, parties: Set(parties))
        let snapshots = try reportingFailures { try reader.read(try SnapshotReader.files(in: paths)) }
        guard !snapshots.isEmpty else {
            Console.error("frontline: no snapshot in \(paths.joined(separator: ", ")) (no polygon features)")
            throw ExitCode(1)
        }
        for (day, _) in snapshots where !data.metadata.temporalExtent.contains(day) {
            try data.requireInExtent(day)
        }
        let recorded = RecordedTime.now()
        let progress = ProgressReporter(label: "import", unit: "snapshots")
        var record = data.record
        var added = 0
        try reportingFailures {
            defer { progress.finish() }
            for (k, snapshot) in snapshots.enumerated() {
                let origin = source ?? Set(snapshot.pieces.map { ($0.origin.components(separatedBy: ": feature").first ?? $0.origin) }).sorted().joined(separator: ", ")
                let state = try ControlSnapshotInput(snapshot.pieces, on: snapshot.date, extent: data.metadata.bbox)
                if let current = record {
                    let (next, changes) = try current.importing(state, parties: parties, source: origin, recorded: recorded, minimumAreaKm2: minArea)
                    if !changes.isEmpty {
                        let report = try ControlRecord.effect(from: current, to: next, on: snapshot.date, within: changes.map(\.geometry))
                        progress.print(RecordReport.lines(try data.changesOfControl(report, from: snapshot.date, to: snapshot.date, minimumAreaKm2: minArea),
                                                                         on: snapshot.date))
                        let restored = changes.filter { $0.date != snapshot.date }
                        if let day = restored.first?.date {
                            progress.print("\(day)  correction: \(restored.count) change(s) put back the state recorded for \(day)")
                        }
                    }
                    added += changes.count
                    record = next
                } else {
                    guard data.control.isEmpty else {
                        throw RecordEditError("\(data.location) holds a control.geojson; import into a new dataset folder (with its dataset.json) to make a record")
                    }
                    record = try ControlRecord.starting(with: state, parties: parties, source: origin)
                    let areas = parties.compactMap { p in state.grounds[p].map { "\(data.party(p)?.name ?? p) \(RecordReport.km2(Geodesic.wgs84.areaKm2($0))) km²" } }
                    progress.print("\(snapshot.date)  base: \(areas.joined(separator: ", "))")
                }
                progress.update(k + 1, snapshots.count)
            }
        }
        guard let record else { return }
        // A snapshot speaks for the whole map: the edit looked at all of it (ground nil).
        let committed = try reportingFailures { try writer.commit(record, previous: data.record, ground: nil) }
        print(committed != nil ? "\(writer.location): \(snapshots.count) snapshot(s), \(added) change(s) recorded, \(record.changes.count) in the record"
                               : "\(writer.location): \(snapshots.count) snapshot(s), nothing changed")
    }
}

/// Lines that say what an edit of the record did.
enum RecordReport {
    /// `2022-03-24  Karabakh Armenian forces → Azerbaijani forces  4.31 km²  villages: Parukh`, one a change.
    static func lines(_ changes: [ChangeOfControl], on date: CalendarDate, language: String? = nil) -> String {
        if changes.isEmpty { return "\(date)  no ground changes hands" }
        return changes.map { c in
            var line = "\(date)  \(c.from.name) → \(c.to.name)  \(km2(c.areaKm2)) km²"
            if !c.villages.isEmpty { line += "  villages: " + c.villages.map { $0.name(in: language) }.joined(separator: ", ") }
            if !c.heights.isEmpty { line += "  heights: " + c.heights.map { $0.name(in: language) }.joined(separator: ", ") }
            return line
        }.joined(separator: "\n")
    }

    /// Two decimals, more for small areas so that they don't read as 0.
    static func km2(_ value: Double) -> String {
        String(format: value >= 0.1 ? "%.2f" : "%.4f", value)
    }
}

/// When a change was recorded: UTC, to the second.
enum RecordedTime {
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

extension DatasetOptions {
    /// Refuses, before any lock is taken or folder made, a folder whose control is a
    /// `control.geojson`: it is edited by hand, and `import` into a new folder makes a record of it.
    func refuseLegacyControl() throws {
        let legacy = directory.appendingPathComponent(Dataset.File.control.rawValue).path
        guard FileManager.default.fileExists(atPath: legacy), !RecordLayout(dataset: directory).exists else { return }
        Console.error("frontline: \(directory.path) holds a control.geojson, not a record; `frontline import \(legacy) --data NEWDIR` "
                      + "makes a record of it in a new dataset folder (with its dataset.json)")
        throw ExitCode(1)
    }

    /// The writer of the record `--data` names: a folder's, which takes the folder's lock (waiting
    /// up to `wait` seconds for another writer), or a database's, which connects (and waits as
    /// long for another writer's commit).
    func recordWriter(wait: Double) throws -> any RecordStoreWriter {
        if let database { return try reportingFailures { try DatabaseRecordWriter(database, wait: wait) } }
        try refuseLegacyControl()
        return try reportingFailures { try RecordWriter(dataset: directory, wait: wait) }
    }

    /// Loads the dataset for an edit of its record through `writer`: one with no control yet is fine.
    func loadForWriting(_ writer: any RecordStoreWriter) throws -> Dataset {
        do {
            let dataset = try writer.loadForEditing()
            for warning in dataset.warnings { Console.error(warning.description) }
            return dataset
        } catch {
            throw Console.failure(loading: error, from: location)
        }
    }
}
