import ArgumentParser
import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import FrontlineTiles
import Synchronization

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Render every tile of a zoom range into a folder of Z/X/Y.png (or .mvt) files or an MBTiles file.",
        discussion: """
            Uses every core. Labels are placed once per zoom level, so they are never cut at tile edges. \
            MBTiles files follow the 1.3 specification (TMS rows, metadata with name, format, bounds, \
            center, minzoom, maxzoom, attribution and the date drawn).

            Examples:
              frontline seed --date 2022-03-26 --zoom 6-12 -o tiles/
              frontline seed --date 2022-03-26 --zoom 6-10 -o karabakh-2022-03-26.mbtiles
              frontline seed --date 2022-03-26 --zoom 6-14 --format mvt -o karabakh-2022-03-26-vector.mbtiles
            """
    )

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOptions
    @OptionGroup var styleOptions: StyleOptions
    @Option(help: ArgumentHelp("The date drawn (default: the dataset's default_date).", valueName: "date")) var date: CalendarDate?
    @Option(help: ArgumentHelp("Zoom levels, e.g. 6-12 or 10, within 0-18.", valueName: "min-max")) var zoom = ZoomRange(argument: "6-12")!
    @Option(help: ArgumentHelp("Area to cover, in degrees (default: the dataset's bbox).", valueName: "w,s,e,n")) var bbox: LonLatBox?
    @Option(help: "Device pixels per pixel (2 gives 512 px tiles).") var scale: Double = 1
    @Option(help: ArgumentHelp("png, or mvt for vector tiles (the server's .mvt; gzipped in MBTiles, format pbf).", valueName: "format"))
    var format: TileSeeder.Format = .png
    @Option(name: .shortAndLong, help: ArgumentHelp("A folder, or a file ending in .mbtiles.", valueName: "dir|file")) var output: String

    func validate() throws {
        guard scale == 1 || scale == 2 else { throw ValidationError("--scale must be 1 or 2") }
        guard format == .png || scale == 1 else { throw ValidationError("--scale is for PNG tiles: vector tiles have no pixels") }
    }

    func run() throws {
        let source = try dataset.mapSource(styleOptions.catalog)
        let data = source.data
        let day = date ?? data.metadata.defaultDate
        try data.dataset.requireInExtent(day)
        let seeder = TileSeeder(source: source, style: styleOptions.name, date: day, language: language.code, zooms: zoom.range,
                                bbox: bbox?.box ?? data.metadata.bbox, scale: scale, format: format)
        let destination: TileSeeder.Destination = output.hasSuffix(".mbtiles")
            ? .mbtiles(output) : .directory(URL(fileURLWithPath: output, isDirectory: true))
        let reporter = ProgressReporter(label: "seed \(day) z\(zoom.range.lowerBound)-\(zoom.range.upperBound)")
        let count = try reportingFailures {
            defer { reporter.finish() }
            return try seeder.run(to: destination) { done, total in reporter.update(done, total) }
        }
        Console.error("frontline: wrote \(count) tiles to \(output)")
    }
}

extension TileSeeder.Format: ExpressibleByArgument {}
