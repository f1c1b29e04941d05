import ArgumentParser
import FrontlineData

struct OverlapsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overlaps",
        abstract: "How zones, places and the pipeline divide between the parties on a date.",
        discussion: """
            Each zone's area held by each party (km² and %), each village's and height's controlling \
            party, and the pipeline's length and pieces on each party's ground.

            Example: frontline overlaps --date 2022-03-10 --format table
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, table }

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOptions
    @Option(help: ArgumentHelp("The date (default: the dataset's default_date).", valueName: "date")) var date: CalendarDate?
    @Option(help: "Output format: json or table.") var format: Format = .json
    @OptionGroup var output: OutputOptions

    func run() throws {
        let data = try dataset.load(whole: true)
        let day = date ?? data.metadata.defaultDate
        try data.requireInExtent(day)
        let report = try data.analyse { try $0.overlaps(on: day) }
        switch format {
        case .json: try output.write(report.json)
        case .table: try output.write(report.table(language: language.code))
        }
    }
}
