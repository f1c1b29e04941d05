import ArgumentParser
import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw a map of a date, or of the changes between two dates, as PNG, SVG or PDF; or one tile.",
        discussion: """
            With --date, the control on that date; with --from and --to, the ground that changed hands \
            hatched in the colour of the party that gained it, over the control of the later date. The \
            format follows the extension of -o. A report map has a title, a date line, a legend, a scale \
            bar, a north arrow and the source line; each can be switched off. With --tile Z/X/Y, one \
            256 px XYZ tile (512 px with --scale 2) without furniture.

            Examples:
              frontline render --date 2022-03-26 -o map.png
              frontline render --from 2022-03-01 --to 2022-03-28 --style print -o changes.pdf
              frontline render --date 2022-03-26 --tile 10/644/388 -o tile.png
            """
    )

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var styleOptions: StyleOptions
    @Option(help: ArgumentHelp("Draw the control on this date (default: the dataset's default_date).", valueName: "date"))
    var date: CalendarDate?
    @Option(help: ArgumentHelp("Draw the changes from this date (with --to).", valueName: "date")) var from: CalendarDate?
    @Option(help: ArgumentHelp("Draw the changes up to this date (with --from).", valueName: "date")) var to: CalendarDate?
    @Option(help: ArgumentHelp("Area to show, in degrees (default: the dataset's bbox).", valueName: "w,s,e,n")) var bbox: String?
    @Option(help: ArgumentHelp("Map size in pixels.", valueName: "WxH")) var size: String = "1600x1200"
    @Option(help: "Device pixels per pixel for PNG (2 for high-dpi screens).") var scale: Double = 1
    @Option(help: ArgumentHelp("Render this XYZ tile instead of a report map.", valueName: "z/x/y")) var tile: String?
    @Option(help: "The map title (default: the dataset's title).") var title: String?
    @Flag(help: "Leave out the title and date line.") var noTitle = false
    @Flag(help: "Leave out the legend.") var noLegend = false
    @Flag(help: "Leave out the scale bar.") var noScaleBar = false
    @Flag(help: "Leave out the north arrow.") var noNorthArrow = false
    @Flag(help: "Leave out the source line.") var noAttribution = false
    @Option(name: .shortAndLong, help: ArgumentHelp("Output file: .png, .svg or .pdf.", valueName: "file")) var output: String

    var format: Canvas.Format? { Canvas.Format(rawValue: URL(fileURLWithPath: output).pathExtension.lowercased()) }

    func validate() throws {
        if date != nil && (from != nil || to != nil) { throw ValidationError("give either --date or --from and --to, not both") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if let from, let to, from >= to { throw ValidationError("--from (\(from)) must be earlier than --to (\(to))") }
        guard format != nil else { throw ValidationError("-o must end in .png, .svg or .pdf (got '\(output)')") }
        guard scale >= 1, scale <= 4 else { throw ValidationError("--scale must be between 1 and 4") }
        if let tile {
            guard TileCoordinate(tile) != nil else { throw ValidationError("--tile must be z/x/y with 0 <= x, y < 2^z and z <= \(TileCoordinate.maximumZoom) (got '\(tile)')") }
            guard format == .png else { throw ValidationError("tiles are PNG: -o must end in .png") }
        }
        _ = try parsedSize()
        _ = try parsedBBox()
    }

    func parsedSize() throws -> (Int, Int) {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (16...8192).contains(parts[0]), (16...8192).contains(parts[1]) else {
            throw ValidationError("--size must be WxH in pixels, each 16 to 8192 (got '\(size)')")
        }
        return (parts[0], parts[1])
    }

    func parsedBBox() throws -> BoundingBox? {
        try bbox.map(RenderCommand.parseBBox)
    }

    /// `west,south,east,north` in degrees.
    static func parseBBox(_ bbox: String) throws -> BoundingBox {
        let v = bbox.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard v.count == 4, v[0] < v[2], v[1] < v[3], v[0] >= -180, v[2] <= 180, v[1] >= -85.06, v[3] <= 85.06 else {
            throw ValidationError("--bbox must be west,south,east,north in degrees with west < east and south < north (got '\(bbox)')")
        }
        return BoundingBox(minX: v[0], minY: v[1], maxX: v[2], maxY: v[3])
    }

    func run() throws {
        let data = try dataset.load()
        let style = try styleOptions.load()
        let subject: MapSubject
        if let from, let to { subject = .change(from: from, to: to) } else { subject = .date(date ?? data.metadata.defaultDate) }
        if case .change(let a, _) = subject { try data.requireInExtent(a) }
        try data.requireInExtent(subject.controlDate)

        let bytes: [UInt8] = try data.analyse { data in
            let scene = try MapScene(dataset: data, projected: try data.webMercatorLayers(), subject: subject, language: dataset.language)
            let renderer = MapRenderer(style: style, scene: scene)
            if let tile, let coordinate = TileCoordinate(tile) {
                return try TileRenderer(renderer: renderer).render(coordinate, scale: scale)
            }
            let (width, height) = try parsedSize()
            let viewport = try Viewport.fitting(lonLat: try parsedBBox() ?? data.metadata.bbox, width: width, height: height)
            let furniture = ReportFurniture(
                title: noTitle ? nil : (title ?? data.metadata.title),
                dateLine: noTitle ? nil : ReportFurniture.dateLine(for: subject),
                legend: noLegend ? [] : renderer.legend(zoom: viewport.zoom, in: viewport.bounds),
                scaleBar: !noScaleBar, northArrow: !noNorthArrow,
                attribution: noAttribution ? nil : data.metadata.attribution)
            return try ReportMap(renderer: renderer, bbox: try parsedBBox() ?? data.metadata.bbox, width: width, height: height,
                                 scale: scale, furniture: furniture).render(as: format!)
        }
        try OutputOptions(output: output).write(bytes)
    }
}

/// Where styles come from and how strictly they are read.
struct StyleOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A style in the styles folder by name, or a path to a style file.", valueName: "name|file"))
    var style: String = "default"
    @Option(help: ArgumentHelp("Where named styles are found.", valueName: "dir")) var styles: String = "styles"
    @Flag(help: "Treat unsupported style properties as errors instead of warnings.") var strict = false

    /// Loads the style, printing its warnings; a bad style ends the command with exit code 1.
    func load() throws -> Style {
        do {
            let loaded = try Style.resolve(style, stylesDirectory: URL(fileURLWithPath: styles), strict: strict)
            for warning in loaded.warnings { Console.error("warning: \(warning)") }
            return loaded
        } catch {
            Console.error("frontline: \(error)")
            throw ExitCode(1)
        }
    }
}
