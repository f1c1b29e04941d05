import ArgumentParser
import FrontlineData

@main
struct Frontline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontline",
        abstract: "Maps, tiles and change-of-control data from dated areas of control.",
        discussion: """
            Reads a dataset folder (GeoJSON layers and dataset.json, see README) and answers who \
            held what ground on a date and what changed hands between two dates.

            Exit codes: 0 ok, 1 bad data or input, 64 usage error.
            """,
        version: FrontlineVersion.current,
        subcommands: [ServeCommand.self, RenderCommand.self, AnimateCommand.self, SeedCommand.self, ValidateCommand.self, ChangesCommand.self, SnapshotCommand.self, OverlapsCommand.self,
                      ImportCommand.self, RecordCommand.self, HistoryCommand.self, DatabaseCommand.self]
    )
}
