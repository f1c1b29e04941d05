import ArgumentParser
import Foundation
import FrontlineData
import FrontlineGeometry

/// Options every command that reads a dataset shares.
struct DatasetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The dataset folder (default: $FRONTLINE_DATA, else geodata/).", valueName: "dir"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("Language of place names in tables and on maps: en, hy, az or ru (falls back to the plain name).", valueName: "lang"))
    var lang: String = "en"

    var directory: URL {
        URL(fileURLWithPath: data ?? ProcessInfo.processInfo.environment["FRONTLINE_DATA"] ?? "geodata")
    }

    var language: String? { lang == "en" ? nil : lang }

    func validate() throws {
        guard ["en", "hy", "az", "ru"].contains(lang) else {
            throw ValidationError("--lang must be one of en, hy, az, ru (got '\(lang)')")
        }
    }

    /// Loads the dataset; on failure prints every issue to stderr and exits with 1.
    func load() throws -> Dataset {
        do {
            let dataset = try Dataset.load(from: directory)
            for warning in dataset.warnings { Console.error(warning.description) }
            return dataset
        } catch {
            for issue in error.issues { Console.error(issue.description) }
            Console.error("frontline: cannot load the dataset in \(directory.path): \(error.errors.count) error(s)")
            throw ExitCode(1)
        }
    }
}

extension CalendarDate: ExpressibleByArgument {
    /// Parses a `YYYY-MM-DD` command-line argument; nil when it is not a valid date.
    public init?(argument: String) { self.init(argument) }
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

    /// Writes to standard error without a newline (progress bars).
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension Dataset {
    /// Runs an analysis; data problems it finds (such as overlapping control) are printed as
    /// issues and end the command with exit code 1.
    func analyse<T>(_ body: (Dataset) throws -> T) throws -> T {
        do {
            return try body(self)
        } catch let error as DatasetError {
            for issue in error.issues { Console.error(issue.description) }
            throw ExitCode(1)
        } catch let error as GeometryError {
            Console.error("frontline: the geometry library failed on this data: \(error)")
            throw ExitCode(1)
        }
    }

    /// Checks the date against the temporal extent, printing the error and exiting with 1.
    func requireInExtent(_ date: CalendarDate) throws {
        do {
            try checkInExtent(date)
        } catch {
            Console.error("frontline: \(error)")
            throw ExitCode(1)
        }
    }
}
