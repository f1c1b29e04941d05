import ArgumentParser
import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import FrontlineStore

/// Options every command that reads a dataset shares.
struct DatasetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The dataset: a folder, or a PostGIS database postgresql://USER:PASSWORD@HOST:PORT/DB (default: $FRONTLINE_DATA, else geodata/).", valueName: "dir|url"))
    var data: String?

    /// `--data` as given, else `$FRONTLINE_DATA`, else `geodata`.
    private var given: String { data ?? ProcessInfo.processInfo.environment["FRONTLINE_DATA"] ?? "geodata" }

    /// The database, when `--data` names one.
    var database: DatabaseURL? { DatabaseURL(given) }

    /// The dataset folder (when `--data` names a folder).
    var directory: URL { URL(fileURLWithPath: given) }

    /// Where the data is, for messages (a database without its password).
    var location: String { database?.redacted ?? directory.path }

    /// Where the data is read from.
    var source: any DataSource {
        if let database { return DatabaseDataSource(url: database) }
        return FolderDataSource(directory: directory)
    }

    /// Loads the dataset (`whole`: with the whole record, however the store keeps it); on
    /// failure prints every issue to stderr and exits with 1.
    func load(whole: Bool = false) throws -> Dataset {
        do {
            let dataset = try whole ? source.loadWhole() : source.load()
            for warning in dataset.warnings { Console.error(warning.description) }
            return dataset
        } catch {
            throw Console.failure(loading: error, from: location)
        }
    }

    /// The map source over the dataset and the styles; on failure prints why and exits with 1.
    func mapSource(_ styles: StyleCatalog) throws -> MapSource {
        do {
            let source = try MapSource(source: self.source, styles: styles)
            for warning in source.data.dataset.warnings { Console.error(warning.description) }
            for style in source.data.styles.values { for warning in style.warnings { Console.error("warning: \(warning)") } }
            return source
        } catch {
            throw Console.failure(loading: error, from: location)
        }
    }
}

/// The language of place names.
struct LanguageOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Language of place names in tables and on maps: en, hy, az or ru (falls back to the plain name).", valueName: "lang"))
    var lang: String = "en"

    /// The language asked for; nil for the plain names.
    var code: String? { lang == "en" ? nil : lang }

    func validate() throws {
        guard LabelLanguage.codes.contains(lang) else {
            throw ValidationError("--lang must be one of \(LabelLanguage.codes.joined(separator: ", ")) (got '\(lang)')")
        }
    }
}

/// Where a command's output goes.
struct OutputOptions: ParsableArguments {
    init() {}
    init(output: String?) { self.output = output }

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func write(_ bytes: [UInt8]) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            Console.error("frontline: cannot write \(output): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }
}

enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints why data or styles could not be loaded; the error to end the command with (exit code 1).
    static func failure(loading error: any Error, from location: String) -> ExitCode {
        if let error = error as? DatasetError {
            Console.report(error)
            Console.error("frontline: cannot load the dataset in \(location): \(error.errors.count) error(s)")
        } else {
            Console.error("frontline: \(error)")
        }
        return ExitCode(1)
    }

    /// Prints a dataset's issues, one a line.
    static func report(_ error: DatasetError) {
        for issue in error.issues { Console.error(issue.description) }
    }

    /// Writes to standard error without a newline (progress bars).
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Runs library work for a command: what it throws is printed the way a user can act on it (a
/// dataset's issues one per line, anything else on one line) and ends the command with exit code 1.
/// Usage errors and exit codes pass through.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DatasetError {
        Console.report(error)
        throw ExitCode(1)
    } catch let error as GeometryError {
        Console.error("frontline: the geometry library failed on this data: \(error)")
        throw ExitCode(1)
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        Console.error("frontline: \(error)")
        throw ExitCode(1)
    }
}

extension Dataset {
    /// Runs an analysis, reporting what it throws (see ``reportingFailures(_:)``).
    func analyse<T>(_ body: (Dataset) throws -> T) throws -> T {
        try reportingFailures { try body(self) }
    }

    /// Checks the date against the temporal extent, printing the error and exiting with 1.
    func requireInExtent(_ date: CalendarDate) throws {
        try reportingFailures { try checkInExtent(date) }
    }
}
