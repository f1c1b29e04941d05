import ArgumentParser
import Foundation
import FrontlineStore

/// `frontline db`: a dataset in PostgreSQL/PostGIS (docs/database.md).
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Keep a dataset in PostgreSQL/PostGIS: make its tables, push a folder to it, pull it into a folder.",
        discussion: """
            Every command takes --data postgresql://USER:PASSWORD@HOST:PORT/DB (or FRONTLINE_DATA) and \
            then reads the dataset from the database: the same contract and the same answers as the \
            folder. `db init` makes the tables once (and migrates them after an update); `db push` \
            replaces the database's dataset with a folder's, in one transaction; `db pull` writes it \
            back into a new folder. Running servers on the database see each write within a second.
            """,
        subcommands: [Init.self, Push.self, Pull.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create or migrate Frontline's tables (schema `frontline`, PostGIS) in a database.",
            discussion: "Safe to run again: it applies only the migrations the database lacks. The role needs the right to CREATE EXTENSION postgis, unless it is already there."
        )

        @Argument(help: ArgumentHelp("The database.", valueName: "url"))
        var url: String

        func run() throws {
            let database = try databaseURL(url)
            let (from, to) = try reportingFailures { try DatabaseStore.initialize(database) }
            print(from == to ? "\(database): schema version \(to), nothing to do" : "\(database): schema version \(from) -> \(to)")
        }
    }

    struct Push: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "push",
            abstract: "Replace a database's dataset with a folder's (checked first), in one transaction."
        )

        @Argument(help: ArgumentHelp("The dataset folder.", valueName: "dir"))
        var folder: String
        @Argument(help: ArgumentHelp("The database (made with `frontline db init`).", valueName: "url"))
        var url: String

        func run() throws {
            let database = try databaseURL(url)
            let version = try reportingFailures {
                let store = try DatabaseStore(database)
                return try store.push(folder: URL(fileURLWithPath: folder))
            }
            print("\(database): pushed \(folder) (version \(version))")
        }
    }

    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pull",
            abstract: "Write a database's dataset into a new folder (layers as GeoJSON, the record as control/)."
        )

        @Argument(help: ArgumentHelp("The database.", valueName: "url"))
        var url: String
        @Argument(help: ArgumentHelp("A new (or empty) folder.", valueName: "dir"))
        var folder: String

        func run() throws {
            let database = try databaseURL(url)
            try reportingFailures { try DatabaseStore(database).pull(to: URL(fileURLWithPath: folder)) }
            print("\(folder): pulled from \(database)")
        }
    }
}

/// `text` as a database URL, or a usage error.
private func databaseURL(_ text: String) throws -> DatabaseURL {
    guard let url = DatabaseURL(text) else {
        throw ValidationError("'\(text)' is not a database URL: postgresql://USER:PASSWORD@HOST:PORT/DB")
    }
    return url
}
