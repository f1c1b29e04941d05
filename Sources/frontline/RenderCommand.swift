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

            A change map with no --bbox is framed on the ground that changed hands (at least 12 km \
            across); --around frames any map on a village or height. A map showing a small part of \
            the data has a locator inset in a corner clear of the change (--inset, --no-inset). \
            With --page, the map is laid out on A4 or Letter paper with margins and an optional \
            --note under it: a PDF page of that size, or a PNG at --dpi (300 by default).

            Examples:
              frontline render --date 2022-03-26 -o map.png
              frontline render --from 2022-03-01 --to 2022-03-28 --style print -o changes.pdf
              frontline render --date 2022-03-26 --around parukh --radius 10 -o parukh.png
              frontline render --from 2022-03-01 --to 2022-03-28 --page a4 --note "Source: …" -o report.pdf
              frontline render --date 2022-03-26 --tile 10/644/388 -o tile.png
            """
    )

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOptions
    @OptionGroup var styleOptions: StyleOptions
    @Option(help: ArgumentHelp("Draw the control on this date (default: the dataset's default_date).", valueName: "date"))
    var date: CalendarDate?
    @Option(help: ArgumentHelp("Draw the changes from this date (with --to).", valueName: "date")) var from: CalendarDate?
    @Option(help: ArgumentHelp("Draw the changes up to this date (with --from).", valueName: "date")) var to: CalendarDate?
    @Option(help: ArgumentHelp("Area to show, in degrees, west < east, south < north (default: the dataset's bbox).",
                               valueName: "w,s,e,n"))
    var bbox: LonLatBox?
    @OptionGroup var framing: FramingOptions
    @Option(help: ArgumentHelp("Map size in pixels, each 16 to 8192 (default: 1600x1200).", valueName: "WxH")) var size: PixelSize?
    @Option(help: "Device pixels per pixel for PNG (2 for high-dpi screens).") var scale: Double = 1
    @Option(help: ArgumentHelp("Render this XYZ tile instead of a report map (0 ≤ x, y < 2^z).", valueName: "z/x/y"))
    var tile: TileCoordinate?
    @Option(help: "The map title (default: the dataset's title).") var title: String?
    @Flag(help: "Leave out the title and date line.") var noTitle = false
    @Flag(help: "Leave out the legend.") var noLegend = false
    @Flag(help: "Leave out the scale bar.") var noScaleBar = false
    @Flag(help: "Leave out the north arrow.") var noNorthArrow = false
    @Flag(help: "Leave out the source line.") var noAttribution = false
    @Option(help: ArgumentHelp("Lay the map out on a printed page (PNG, SVG or PDF) with margins.",
                               valueName: "paper"))
    var page: PaperSize?
    @Option(help: ArgumentHelp("Pixels per inch of a PNG page, 72 to 600 (default: 300; with --page).", valueName: "dpi")) var dpi: Double?
    @Option(help: ArgumentHelp("A block of text under the map on the page (with --page).", valueName: "text")) var note: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Output file: .png, .svg or .pdf.", valueName: "file")) var output: String

    var format: Canvas.Format? { Canvas.Format(rawValue: URL(fileURLWithPath: output).pathExtension.lowercased()) }

    func validate() throws {
        if date != nil && (from != nil || to != nil) { throw ValidationError("give either --date or --from and --to, not both") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if let from, let to, from >= to { throw ValidationError("--from (\(from)) must be earlier than --to (\(to))") }
        guard format != nil else { throw ValidationError("-o must end in .png, .svg or .pdf (got '\(output)')") }
        guard scale >= 1, scale <= 4 else { throw ValidationError("--scale must be between 1 and 4") }
        if tile != nil, format != .png { throw ValidationError("tiles are PNG: -o must end in .png") }
        if bbox != nil, framing.around != nil { throw ValidationError("give either --bbox or --around, not both") }
        if tile != nil, framing.around != nil || framing.inset != nil || page != nil {
            throw ValidationError("a tile has no frame, inset or page: leave out --around, --inset and --page")
        }
        if page == nil {
            if dpi != nil { throw ValidationError("--dpi goes with --page (use --scale for a map's pixel density)") }
            if note != nil { throw ValidationError("--note goes with --page") }
        } else {
            if size != nil { throw ValidationError("--page sets the map's size: leave out --size") }
            if scale != 1 { throw ValidationError("--page sets the resolution with --dpi: leave out --scale") }
        }
        if let dpi, !PrintPage.dpiRange.contains(dpi) {
            throw ValidationError("--dpi must be \(Int(PrintPage.dpiRange.lowerBound)) to \(Int(PrintPage.dpiRange.upperBound)) (got \(dpi))")
        }
    }

    func run() throws {
        let source = try dataset.mapSource(styleOptions.catalog)
        let data = source.data
        let subject: MapSubject
        if let from, let to { subject = .change(from: from, to: to) } else { subject = .date(date ?? data.metadata.defaultDate) }
        let bytes: [UInt8] = try reportingFailures {
            if case .change(let a, _) = subject { try data.dataset.checkInExtent(a) }
            try data.dataset.checkInExtent(subject.controlDate)
            if let tile {
                return try source.tile(data, style: styleOptions.name, date: subject.controlDate, tile: tile, scale: scale,
                                       language: language.code)
            }
            var request = ReportRequest(subject: subject)
            request.style = styleOptions.name
            request.bbox = bbox?.box
            request.around = framing.focus
            request.inset = framing.inset
            let size = size ?? PixelSize(argument: "1600x1200")!
            (request.width, request.height) = (size.width, size.height)
            if let page {
                var layout = PrintPage(paper: page)
                layout.dpi = dpi ?? layout.dpi
                layout.note = note
                request.page = layout
            }
            request.scale = scale
            request.format = format!
            request.language = language.code
            request.title = title
            request.showTitle = !noTitle
            request.showLegend = !noLegend
            request.showScaleBar = !noScaleBar
            request.showNorthArrow = !noNorthArrow
            request.showAttribution = !noAttribution
            return try source.reportMap(data, request)
        }
        try OutputOptions(output: output).write(bytes)
    }
}

/// Where styles come from: the styles built into the program, and a folder that adds to or
/// overrides them.
struct StylesOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A folder of styles that add to or override the built-in ones (default, print); by default "
                               + "styles/ when the working directory has one.", valueName: "dir"))
    var styles: String?
    @Flag(help: "Treat unsupported style properties as errors instead of warnings.") var strict = false

    /// Every style on offer: the built-in ones, and those of the folder (`styles/` of the working
    /// directory when none is named, so that the repository's style files are served as edited).
    var catalog: StyleCatalog {
        var isFolder: ObjCBool = false
        let folder = styles ?? (FileManager.default.fileExists(atPath: "styles", isDirectory: &isFolder) && isFolder.boolValue ? "styles" : nil)
        return StyleCatalog(directory: folder.map { URL(fileURLWithPath: $0) }, strict: strict)
    }
}

/// Which style draws, and where styles come from.
struct StyleOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A style by name (built in, or in --styles), or a path to a style file.", valueName: "name|file"))
    var style: String = "default"
    @OptionGroup var folder: StylesOptions

    /// The style's name as the catalog knows it.
    var name: String { catalog.only ?? style }

    /// The catalog offering this style alone (a command drawing with one style reads no other).
    var catalog: StyleCatalog {
        var catalog = folder.catalog
        _ = catalog.select(style)
        return catalog
    }
}
