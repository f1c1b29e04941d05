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
        abstract: "Render every tile of a zoom range into a folder of Z/X/Y.png files or an MBTiles file.",
        discussion: """
            Uses every core. Labels are placed once per zoom level, so they are never cut at tile edges. \
            MBTiles files follow the 1.3 specification (TMS rows, metadata with name, format, bounds, \
            center, minzoom, maxzoom, attribution and the date drawn).

            Examples:
              frontline seed --date 2022-03-26 --zoom 6-12 -o tiles/
              frontline seed --date 2022-03-26 --zoom 6-10 -o karabakh-2022-03-26.mbtiles
            """
    )

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var styleOptions: StyleOptions
    @Option(help: ArgumentHelp("The date drawn (default: the dataset's default_date).", valueName: "date")) var date: CalendarDate?
    @Option(help: ArgumentHelp("Zoom levels, e.g. 6-12 or 10.", valueName: "min-max")) var zoom: String = "6-12"
    @Option(help: ArgumentHelp("Area to cover, in degrees (default: the dataset's bbox).", valueName: "w,s,e,n")) var bbox: String?
    @Option(help: "Device pixels per pixel (2 gives 512 px tiles).") var scale: Double = 1
    @Option(name: .shortAndLong, help: ArgumentHelp("A folder, or a file ending in .mbtiles.", valueName: "dir|file")) var output: String

    func zoomRange() throws -> ClosedRange<Int> {
        let parts = zoom.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0 != nil }),
              let low = parts.first!, let high = parts.last!, low >= 0, high <= 18, low <= high else {
            throw ValidationError("--zoom must be Z or MIN-MAX within 0-18 (got '\(zoom)')")
        }
        return low...high
    }

    func validate() throws {
        _ = try zoomRange()
        guard scale == 1 || scale == 2 else { throw ValidationError("--scale must be 1 or 2") }
        if let bbox { _ = try RenderCommand.parseBBox(bbox) }
    }

    func run() throws {
        let data = try dataset.load()
        let style = try styleOptions.load()
        let day = date ?? data.metadata.defaultDate
        try data.requireInExtent(day)
        let area = try bbox.map(RenderCommand.parseBBox) ?? data.metadata.bbox
        let zooms = try zoomRange()
        let count = try data.analyse { data -> Int in
            let scene = try MapScene(dataset: data, projected: try data.webMercatorLayers(), subject: .date(day), language: dataset.language)
            let seeder = TileSeeder(tiles: TileRenderer(renderer: MapRenderer(style: style, scene: scene)), zooms: zooms, bbox: area, scale: scale)
            let destination: TileSeeder.Destination = output.hasSuffix(".mbtiles")
                ? .mbtiles(output) : .directory(URL(fileURLWithPath: output, isDirectory: true))
            let metadata = [
                "name": "\(data.metadata.title) — \(day)", "format": "png", "type": "overlay", "version": "1.3",
                "description": "Control as of \(day.longDescription), style \(style.name)",
                "bounds": [area.minX, area.minY, area.maxX, area.maxY].map { String($0) }.joined(separator: ","),
                "center": "\((area.minX + area.maxX) / 2),\((area.minY + area.maxY) / 2),\(zooms.lowerBound + (zooms.upperBound - zooms.lowerBound) / 2)",
                "minzoom": String(zooms.lowerBound), "maxzoom": String(zooms.upperBound),
                "attribution": data.metadata.attribution, "date": day.description,
            ]
            let reporter = ProgressReporter(label: "seed \(day) z\(zooms.lowerBound)-\(zooms.upperBound)")
            defer { reporter.finish() }
            do {
                return try seeder.run(to: destination, metadata: metadata) { done, total in reporter.update(done, total) }
            } catch {
                Console.error("frontline: cannot write tiles to \(output): \(error)")
                throw ExitCode(1)
            }
        }
        Console.error("frontline: wrote \(count) tiles to \(output)")
    }
}

/// A progress bar on a terminal; a line every 10 % otherwise (logs stay short).
final class ProgressReporter: Sendable {
    private let label: String
    private let terminal = isatty(2) == 1
    private let state = Mutex<(shown: Int, start: Date)>((-1, Date()))

    init(label: String) { self.label = label }

    func update(_ done: Int, _ total: Int) {
        guard total > 0 else { return }
        let percent = done * 100 / total
        state.withLock { s in
            let step = terminal ? percent : percent / 10 * 10
            guard step > s.shown else { return }
            s.shown = step
            let elapsed = Date().timeIntervalSince(s.start)
            let rate = elapsed > 0 ? Double(done) / elapsed : 0
            if terminal {
                let width = 30, filled = width * done / total
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                Console.write("\r\(label) \(bar) \(percent)% \(done)/\(total) tiles, \(Int(rate)) tiles/s ")
            } else {
                Console.error("\(label): \(percent)% (\(done)/\(total) tiles, \(Int(rate)) tiles/s)")
            }
        }
    }

    func finish() {
        if terminal { Console.write("\n") }
    }
}
