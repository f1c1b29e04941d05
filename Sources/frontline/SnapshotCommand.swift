import ArgumentParser
import FrontlineData

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Each party's ground on a date, as GIS features.",
        discussion: """
            One feature per party holding ground on the date, and one for "none" (ground inside the \
            dataset's bbox that no party holds): the dissolved ground, with controlled_by, party_name, \
            date and area_km2 (geodesic). GeoJSON on standard output; with -o, the format of the \
            file's extension (a Shapefile's field names are cut to 10 characters: controlled_by \
            becomes controlled).

            Example: frontline snapshot --date 2022-03-26 -o snapshot.gpkg
            """
    )

    @OptionGroup var dataset: DatasetOptions
    @Option(help: ArgumentHelp("The date (default: the dataset's default_date).", valueName: "date")) var date: CalendarDate?
    @OptionGroup var output: FeatureOutputOptions

    func run() throws {
        try output.checkFormat()
        let data = try dataset.load()
        let day = date ?? data.metadata.defaultDate
        try data.requireInExtent(day)
        let features = try data.analyse { try $0.snapshot(on: day).features(parties: $0.partiesWithNone) }
        try output.write(features, layerName: "snapshot")
    }
}
