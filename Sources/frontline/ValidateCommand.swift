import ArgumentParser
import FrontlineData

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a dataset against the data contract.",
        discussion: """
            Reports every problem with its file, feature index and property: malformed files, bad \
            geometry and dates, unknown parties, and, on every date where control changes, ground held \
            by two parties (an error above 0.01 km²) and gaps inside the held ground (warnings). A \
            record (control/) cannot hold overlaps: its files, ids and dates are checked, and its base. \
            Invalid polygons are repaired with a warning. Exits with 1 when there are errors.
            """
    )

    @OptionGroup var dataset: DatasetOptions

    func run() throws {
        let data = try dataset.load(whole: true)
        let consistency = try data.analyse { try $0.checkControlConsistency() }
        for issue in consistency { Console.error(issue.description) }
        let issues = data.warnings + consistency
        let errors = issues.filter { $0.severity == .error }.count
        let warnings = issues.count - errors
        let dates = data.controlChangeDates.count
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        let control = data.record.map { "a record of \(count($0.changes.count, "change"))" } ?? count(data.control.count, "control feature")
        print("\(data.location): \(control) on \(count(dates, "date")), "
              + "\(count(data.zones.count, "zone")), \(count(data.villages.count, "village")), \(count(data.heights.count, "height")), "
              + "\(count(data.pipeline.count, "pipeline")), \(count(data.events.count, "event")), \(count(data.basemap.count, "basemap feature"))")
        print("\(count(errors, "error")), \(count(warnings, "warning"))")
        if errors > 0 { throw ExitCode(1) }
    }
}
