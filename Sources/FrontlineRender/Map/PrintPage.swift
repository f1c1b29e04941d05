import Foundation
import FrontlineGeometry

/// A paper size for printed maps.
public enum PaperSize: String, Sendable, CaseIterable {
    case a4
    case a4Landscape = "a4-landscape"
    case letter
    case letterLandscape = "letter-landscape"

    /// Width and height in inches (ISO A4 is 210 × 297 mm, US Letter 8.5 × 11 in).
    public var inches: (width: Double, height: Double) {
        switch self {
        case .a4: return (210 / 25.4, 297 / 25.4)
        case .a4Landscape: return (297 / 25.4, 210 / 25.4)
        case .letter: return (8.5, 11)
        case .letterLandscape: return (11, 8.5)
        }
    }
}

/// A report map on a printed page: the map inside the page's margins, framed, and an optional
/// note under it. PDF and SVG pages have the paper's size in points; a PNG page has it in pixels
/// at `dpi`.
public struct PrintPage: Sendable {
    /// The paper.
    public var paper: PaperSize
    /// Pixels per inch of a PNG page (300 by default: print quality).
    public var dpi: Double = 300
    /// A block of text under the map (a caption, a source, a disclaimer); nil for none.
    public var note: String?

    /// The margin on every side: 12 mm, in pixels of 1/96 inch.
    static let margin = 12 / 25.4 * 96
    /// The note's type size in pixels (10.5 pt) and the space between map and note.
    static let noteSize = 14.0, noteGap = 10.0
    /// The dpi range accepted.
    public static let dpiRange = Canvas.pageResolutions

    /// A page of `paper` with the default resolution and no note.
    public init(paper: PaperSize) { self.paper = paper }

    /// Draws the page: `map` makes a report map for the size in pixels it is given.
    func render(as format: Canvas.Format, map: (Int, Int) throws -> ReportMap) throws -> [UInt8] {
        let canvas = try Canvas(page: paper.inches, format: format, dpi: dpi)
        let pageWidth = paper.inches.width * 96, pageHeight = paper.inches.height * 96
        let m = PrintPage.margin
        let noteText = try note.flatMap { $0.isEmpty ? nil : $0 }.map {
            try canvas.layoutText($0, font: FontSpec(size: PrintPage.noteSize), maxWidth: pageWidth - 2 * m)
        }
        let noteBlock = noteText.map { $0.height + PrintPage.noteGap } ?? 0
        let mapWidth = Int((pageWidth - 2 * m).rounded(.down)), mapHeight = Int((pageHeight - 2 * m - noteBlock).rounded(.down))
        guard mapHeight >= 100 else { throw MapRequestError(.malformed, "the note is too long for the page: it leaves no room for the map") }
        canvas.paint(.white)
        try canvas.withSavedState {
            canvas.translate(x: m, y: m)
            canvas.newPath()
            canvas.rectangle(x: 0, y: 0, width: Double(mapWidth), height: Double(mapHeight))
            canvas.clipToPath()
            try map(mapWidth, mapHeight).draw(on: canvas)
        }
        canvas.newPath()
        canvas.rectangle(x: m, y: m, width: Double(mapWidth), height: Double(mapHeight))
        canvas.stroke(ReportFurniture.frame, width: 0.8)
        noteText?.draw(x: m, y: m + Double(mapHeight) + PrintPage.noteGap, color: ReportFurniture.ink)
        try canvas.check("print page")
        return try canvas.finish()
    }
}
