import ArgumentParser
import FrontlineData

struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "The ground that changed hands between two dates.",
        discussion: """
            For every pair of parties (including "none", ground no party holds), the ground the first \
            held on --from that the second holds on --to, with its geodesic area and the villages and \
            heights inside. Pieces under --min-area are dropped so that a redrawn line is not a change.

            GeoJSON on standard output; with -o, the format of the file's extension (in a Shapefile, \
            field names are cut to 10 characters: village_ids becomes village_id; lists are JSON text).

            Example: frontline changes --from 2022-03-01 --to 2022-03-28 --format table
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case geojson, table }

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOptions
    @Option(help: ArgumentHelp("The earlier date.", valueName: "date")) var from: CalendarDate
    @Option(help: ArgumentHelp("The later date.", valueName: "date")) var to: CalendarDate
    @Option(help: ArgumentHelp("Drop pieces smaller than this, in km².", valueName: "km2")) var minArea: Double = Dataset.defaultMinimumChangeKm2
    @Option(help: "Output format: geojson or table.") var format: Format = .geojson
    @OptionGroup var output: FeatureOutputOptions

    func validate() throws {
        guard from < to else { throw ValidationError("--from (\(from)) must be earlier than --to (\(to))") }
        guard minArea >= 0, minArea.isFinite else { throw ValidationError("--min-area must be 0 or more") }
    }

    func run() throws {
        if format == .geojson { try output.checkFormat() }
        let data = try dataset.load()
        try data.requireInExtent(from)
        try data.requireInExtent(to)
        let changes = try data.analyse { try $0.changes(from: from, to: to, minimumAreaKm2: minArea) }
        switch format {
        case .geojson: try output.write(changes.map(\.feature), layerName: "changes")
        case .table: try output.text.write(changes.table(from: from, to: to, minimumAreaKm2: minArea, language: language.code))
        }
    }
}
