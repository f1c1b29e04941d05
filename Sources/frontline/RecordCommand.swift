import ArgumentParser
import Foundation
import FrontlineData
import FrontlineFormats
import FrontlineGeometry

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record that some ground passed to a party on a date, or take a change back.",
        discussion: """
            The analyst's daily step: the ground of AREA (any file GDAL reads; its polygons, clipped \
            to the dataset's extent) passes to PARTY on --date and stays with it until the ground's \
            next recorded change; what PARTY already held is left out. Prints what changed hands \
            (km², villages, heights). --revert ID takes change ID (see `frontline history`) out of \
            the record. The record is written at once, after the change is checked; a second writer \
            waits for the first (--wait), then is refused. In a database (--data \
            postgresql://…) the edit is one transaction; another writer's change of the same ground \
            in the meantime makes it refused (run it again).

            Examples:
              frontline record --date 2022-03-24 --to azerbaijani parukh.gpkg --source "Az MoD"
              frontline record --revert 42 --data mydata
            """
    )

    @OptionGroup var dataset: DatasetOptions
    @Option(help: ArgumentHelp("Seconds to wait for another writer of the record to finish before giving up.", valueName: "seconds"))
    var wait: Double = 10
    @Argument(help: ArgumentHelp("The ground that changed hands: a file of polygons.", valueName: "area")) var area: String?
    @Option(help: ArgumentHelp("The first day on which PARTY holds the ground.", valueName: "date")) var date: CalendarDate?
    @Option(help: ArgumentHelp("The party that takes the ground (an id of dataset.json, or none).", valueName: "party")) var to: String?
    @Option(help: ArgumentHelp("Where the report comes from.", valueName: "text")) var source: String?
    @Option(help: ArgumentHelp("Take change ID out of the record instead.", valueName: "id")) var revert: Int?
    @Flag(help: "Print what would change; write nothing.") var dryRun = false

    func validate() throws {
        guard wait >= 0, wait.isFinite else { throw ValidationError("--wait must be 0 or more seconds") }
        if revert != nil {
            guard area == nil, date == nil, to == nil else { throw ValidationError("--revert takes no AREA, --date or --to") }
        } else {
            guard area != nil, date != nil, to != nil else { throw ValidationError("give AREA, --date and --to (or --revert ID)") }
        }
    }

    func run() throws {
        let writer = try dataset.recordWriter(wait: wait)
        let data = try dataset.loadForWriting(writer)
        guard let record = data.record else {
            Console.error("frontline: \(writer.location) holds no record yet: `frontline import` a first snapshot (docs/record.md)")
            throw ExitCode(1)
        }
        let (next, change, day, ground) = try edit(record, data)
        let report = try reportingFailures {
            try data.changesOfControl(try ControlRecord.effect(from: record, to: next, on: day, within: [change.geometry]), from: day, to: day)
        }
        if revert != nil { print("change \(change.id) of \(change.date) taken back:") }
        print(RecordReport.lines(report, on: day))
        if dryRun {
            print("dry run: nothing written")
            return
        }
        let committed = try reportingFailures { try writer.commit(next, previous: record, ground: [ground]) }
        if revert == nil { print("recorded as change \(committed?.id(of: change.id) ?? change.id)") }
    }

    /// The edited record, the change added or taken back, its date, and the ground the edit
    /// looked at (AREA as given, or the change taken back): another writer's change there, at
    /// the same time, makes a database refuse the commit.
    private func edit(_ record: ControlRecord, _ data: Dataset) throws -> (ControlRecord, RecordedChange, CalendarDate, Geometry) {
        if let revert {
            let (next, change) = try reportingFailures { try record.reverting(revert) }
            return (next, change, change.date, change.geometry)
        }
        guard let area, let date, let to else { throw ExitCode(64) }
        guard to == Party.none.id || data.party(to) != nil else {
            Console.error("frontline: --to \(to) is not a party of dataset.json (parties: \(data.metadata.parties.map(\.id).joined(separator: ", ")), or none)")
            throw ExitCode(1)
        }
        try data.requireInExtent(date)
        let ground = try reportingFailures { () throws -> Geometry in
            let (layers, _) = try VectorReader.read(area)
            let polygons = layers.flatMap(\.features).compactMap(\.geometry).flatMap { g in
                g.kind == .geometryCollection ? g.members.flatMap(\.polygons) : g.polygons
            }
            guard !polygons.isEmpty else { throw RecordEditError("\(area) holds no polygon") }
            return Geometry.multiPolygon(polygons)
        }
        let (next, change) = try reportingFailures {
            try record.recording(ground, to: to, on: date, extent: data.metadata.bbox, source: source, recorded: RecordedTime.now())
        }
        return (next, change, date, ground)
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The changes recorded in a dataset's record.",
        discussion: """
            One line per change: its id (for `frontline record --revert`), date, the party that took \
            the ground, its area (km², geodesic), source and when it was recorded. With -o, features \
            in the format of the file's extension (GeoJSON, GeoPackage, Shapefile, KML, FlatGeobuf, CSV).

            Example: frontline history --from 2022-03-01 --to 2022-03-31 --data mydata
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, geojson }

    @OptionGroup var dataset: DatasetOptions
    @Option(help: ArgumentHelp("The first date listed.", valueName: "date")) var from: CalendarDate?
    @Option(help: ArgumentHelp("The last date listed.", valueName: "date")) var to: CalendarDate?
    @Option(help: "Output format on standard output: table or geojson.") var format: Format = .table
    @OptionGroup var output: FeatureOutputOptions

    func validate() throws {
        if let from, let to, to < from { throw ValidationError("--to (\(to)) must not be earlier than --from (\(from))") }
    }

    func run() throws {
        if output.output != nil { try output.checkFormat() }
        let data = try dataset.load(whole: true)
        guard let record = data.record else {
            Console.error("frontline: \(dataset.location) holds control.geojson, not a record: it has no history (`frontline import` makes one)")
            throw ExitCode(1)
        }
        let listed = record.changes.filter { c in (from.map { c.date >= $0 } ?? true) && (to.map { c.date <= $0 } ?? true) }
        let features = listed.map { $0.feature(party: data.party($0.to)) }
        if format == .geojson || output.output != nil { return try output.write(features, layerName: "history") }
        var table = TextTable(["id", "date", "to", "km²", "recorded", "source"], [.right, .left, .left, .right, .left, .left])
        for (change, feature) in zip(listed, features) {
            let area = feature.properties.first { $0.0 == "area_km2" }?.1.numberValue ?? 0
            table.add([String(change.id), change.date.description, data.party(change.to)?.name ?? change.to,
                       RecordReport.km2(area), change.recorded ?? "", change.source ?? ""])
        }
        print("base \(record.baseDate); \(listed.count) of \(record.changes.count) change(s)")
        if !listed.isEmpty { print(table.text, terminator: "") }
    }
}
