import Foundation
import FrontlineData
import FrontlineGeometry

/// One line of a map legend: a swatch drawn like the layer, and its label.
public struct LegendEntry: Sendable, Equatable {
    /// How the swatch is drawn.
    public enum Swatch: Sendable, Equatable {
        /// A filled box with an outline.
        case fill(Color, outline: Color?)
        /// A box filled with parallel lines over a tint.
        case hatch(Color, tint: Color)
        /// A short line (dash pattern in pixels).
        case line(Color, width: Double, dash: [Double])
        /// A dot.
        case circle(Color, radius: Double, stroke: Color?, strokeWidth: Double)
        /// A triangle standing on its base (a peak), corners `radius` from its centre.
        case triangle(Color, radius: Double, stroke: Color?, strokeWidth: Double)
    }

    /// The swatch.
    public var swatch: Swatch
    /// The label.
    public var label: String
}

/// The parts of a report map around the data: title and date line, legend, scale bar, north
/// arrow and source line. Each can be switched off.
public struct ReportFurniture: Sendable {
    /// Which parts to draw.
    public var title: String?
    /// "Control as of 26 March 2022", "Changes 1–28 March 2022".
    public var dateLine: String?
    /// Legend entries (no legend when empty).
    public var legend: [LegendEntry]
    /// Draw a scale bar.
    public var scaleBar: Bool
    /// Draw a north arrow.
    public var northArrow: Bool
    /// The source line (nil for none).
    public var attribution: String?
    /// The date line in large bold type (animation frames, where the date is what changes).
    public var largeDate = false
    /// A line under the date (an animation frame's key event), nil for none.
    public var caption: String?
    /// The locator inset, placed in a corner clear of what the map is about (nil for none).
    public var inset: LocatorInset?

    /// Makes a furniture set.
    public init(title: String?, dateLine: String?, legend: [LegendEntry], scaleBar: Bool = true, northArrow: Bool = true,
                attribution: String?) {
        self.title = title
        self.dateLine = dateLine
        self.legend = legend
        self.scaleBar = scaleBar
        self.northArrow = northArrow
        self.attribution = attribution
    }

    /// The date line for a subject, in words.
    public static func dateLine(for subject: MapSubject) -> String {
        switch subject {
        case .date(let d): return "Control as of \(d.longDescription)"
        case .change(let a, let b):
            if a.year == b.year && a.month == b.month { return "Changes \(a.day)–\(b.day) \(CalendarDate.monthName(b.month)) \(b.year)" }
            if a.year == b.year { return "Changes \(a.day) \(CalendarDate.monthName(a.month)) – \(b.longDescription)" }
            return "Changes \(a.longDescription) – \(b.longDescription)"
        }
    }

    static let margin = 14.0
    static let panel = Color(red: 1, green: 1, blue: 1, alpha: 0.88)
    static let ink = Color(r: 34, g: 34, b: 34)
    static let frame = Color(r: 120, g: 120, b: 120)

    /// The boxes (pixels) the furniture will cover, so that labels keep out of them.
    public func reservedAreas(on canvas: Canvas, viewport: Viewport) throws -> [BoundingBox] {
        try layout(on: canvas, viewport: viewport).map(\.box)
    }

    /// Draws everything on top of the map.
    public func draw(on canvas: Canvas, viewport: Viewport) throws {
        for part in try layout(on: canvas, viewport: viewport) { try part.draw(canvas) }
        try canvas.check("report furniture")
    }

    /// A placed part: its box and how to draw it.
    struct Part {
        var box: BoundingBox
        var draw: (Canvas) throws -> Void
    }

    func layout(on canvas: Canvas, viewport: Viewport) throws -> [Part] {
        var parts: [Part] = []
        let m = ReportFurniture.margin
        let w = Double(viewport.width), h = Double(viewport.height)
        let small = w < 700

        // Title block, top left.
        if title != nil || dateLine != nil || caption != nil {
            let textWidth = w - 2 * m - 90
            let dateFont = largeDate ? FontSpec(bold: true, size: min(64, max(22, h * 0.075))) : FontSpec(size: small ? 12 : 15)
            let titleText = try title.map { try canvas.layoutText($0, font: FontSpec(bold: !largeDate, size: small || largeDate ? 15 : 22), maxWidth: textWidth) }
            let dateText = try dateLine.map { try canvas.layoutText($0, font: dateFont, maxWidth: textWidth) }
            let captionText = try caption.map { try canvas.layoutText($0, font: FontSpec(size: small ? 11 : 14), maxWidth: min(textWidth, max(320, w * 0.45))) }
            let lines = [titleText, dateText, captionText].compactMap { $0 }
            let innerW = lines.map(\.width).max() ?? 0
            let innerH = lines.map(\.height).reduce(0, +) + 4 * Double(max(0, lines.count - 1))
            let box = BoundingBox(minX: m, minY: m, maxX: m + innerW + 20, maxY: m + innerH + 16)
            parts.append(Part(box: box) { c in
                ReportFurniture.drawPanel(c, box)
                var y = box.minY + 8
                for line in lines {
                    line.draw(x: box.minX + 10, y: y, color: ReportFurniture.ink)
                    y += line.height + 4
                }
            })
        }

        // Legend, bottom left.
        var legendTop = h - m, legendRight = m
        if !legend.isEmpty {
            let font = FontSpec(size: small ? 10 : 13)
            let texts = try legend.map { try canvas.layoutText($0.label, font: font) }
            let rowH = max(small ? 14 : 18, (texts.map(\.height).max() ?? 14) + (small ? 1 : 4))
            let swatchW = small ? 16.0 : 22, swatchH = small ? 10.0 : 14
            let heading = try canvas.layoutText("Legend", font: FontSpec(bold: true, size: small ? 11 : 13))
            let innerW = max(heading.width, swatchW + 8 + (texts.map(\.width).max() ?? 0))
            let innerH = heading.height + 4 + rowH * Double(legend.count)
            let box = BoundingBox(minX: m, minY: h - m - innerH - 16, maxX: m + innerW + 20, maxY: h - m)
            (legendTop, legendRight) = (box.minY, box.maxX)
            let entries = legend
            parts.append(Part(box: box) { c in
                ReportFurniture.drawPanel(c, box)
                heading.draw(x: box.minX + 10, y: box.minY + 8, color: ReportFurniture.ink)
                for (k, entry) in entries.enumerated() {
                    let top = box.minY + 8 + heading.height + 4 + rowH * Double(k)
                    ReportFurniture.drawSwatch(c, entry.swatch, x: box.minX + 10, y: top + (rowH - swatchH) / 2, width: swatchW, height: swatchH)
                    texts[k].draw(x: box.minX + 18 + swatchW, y: top + (rowH - texts[k].height) / 2, color: ReportFurniture.ink)
                }
            })
        }

        // Scale bar, above the legend (or bottom left).
        if scaleBar {
            let metresPerPixel = viewport.groundMetresPerPixel
            let target = w * 0.18 * metresPerPixel
            let length = ReportFurniture.roundLength(target)
            let barW = length / metresPerPixel
            let label = try canvas.layoutText(ReportFurniture.formatDistance(length), font: FontSpec(size: small ? 10 : 12))
            let zero = try canvas.layoutText("0", font: FontSpec(size: small ? 10 : 12))
            let boxW = barW + label.width + 24, boxH = label.height + 18
            let box = BoundingBox(minX: m, minY: legendTop - 8 - boxH, maxX: m + boxW, maxY: legendTop - 8)
            parts.append(Part(box: box) { c in
                ReportFurniture.drawPanel(c, box)
                let x0 = box.minX + 8, y0 = box.maxY - 10
                for k in 0..<4 {
                    c.newPath()
                    c.rectangle(x: x0 + barW * Double(k) / 4, y: y0 - 5, width: barW / 4, height: 5)
                    c.fill(k % 2 == 0 ? ReportFurniture.ink : .white, preserve: true)
                    c.stroke(ReportFurniture.ink, width: 1)
                }
                zero.draw(x: x0 - zero.width / 2, y: box.minY + 3, color: ReportFurniture.ink)
                label.draw(x: x0 + barW - label.width / 2 + 4, y: box.minY + 3, color: ReportFurniture.ink)
            })
        }

        // North arrow, top right.
        if northArrow {
            let size = small ? 28.0 : 36.0
            let n = try canvas.layoutText("N", font: FontSpec(bold: true, size: small ? 11 : 13))
            let box = BoundingBox(minX: w - m - size, minY: m, maxX: w - m, maxY: m + size + n.height + 4)
            parts.append(Part(box: box) { c in
                let cx = (box.minX + box.maxX) / 2, top = box.minY + n.height + 2
                n.draw(x: cx - n.width / 2, y: box.minY, color: ReportFurniture.ink, halo: .white, haloWidth: 2)
                c.newPath()
                c.polyline([(cx, top), (cx + size * 0.28, top + size), (cx, top + size * 0.72)], close: true)
                c.fill(ReportFurniture.ink, preserve: true)
                c.stroke(ReportFurniture.ink, width: 1, join: .round)
                c.newPath()
                c.polyline([(cx, top), (cx - size * 0.28, top + size), (cx, top + size * 0.72)], close: true)
                c.fill(.white, preserve: true)
                c.stroke(ReportFurniture.ink, width: 1, join: .round)
            })
        }

        // Source line, bottom right.
        if let attribution, !attribution.isEmpty {
            // Beside the legend, not over it.
            let room = w - m - 12 - legendRight - 8
            let text = try canvas.layoutText(attribution, font: FontSpec(size: small ? 9 : 11), maxWidth: min(w * 0.55, max(140, room)))
            let box = BoundingBox(minX: w - m - text.width - 12, minY: h - m - text.height - 8, maxX: w - m, maxY: h - m)
            parts.append(Part(box: box) { c in
                ReportFurniture.drawPanel(c, box, border: false)
                text.draw(x: box.minX + 6, y: box.minY + 4, color: ReportFurniture.ink)
            })
        }

        // A map too small to give an inset a corner (under twice its size, or every corner taken
        // by the title, legend and source line) goes without.
        if let inset, case let size = inset.size(mapWidth: viewport.width, mapHeight: viewport.height), 2 * size.width <= w, 2 * size.height <= h,
           let box = ReportFurniture.corner(for: size, clearOf: parts.map(\.box), subject: inset.subject.map { s in
               let (x0, y0) = viewport.transform.apply(s.minX, s.maxY), (x1, y1) = viewport.transform.apply(s.maxX, s.minY)
               return BoundingBox(minX: x0, minY: y0, maxX: x1, maxY: y1)
           }, width: w, height: h) {
            parts.append(Part(box: box) { c in try inset.draw(on: c, in: box) })
        }
        return parts
    }

    /// Where a box of `size` goes: the first corner (top right, bottom right, top left, bottom
    /// left), stacked against the furniture already there, that stays on the map and clear of
    /// the furniture and of `subject` (pixels); failing that, the corner that covers least of it;
    /// nil when the furniture leaves no corner room.
    static func corner(for size: (width: Double, height: Double), clearOf taken: [BoundingBox], subject: BoundingBox?,
                       width w: Double, height h: Double) -> BoundingBox? {
        let m = margin, gap = 8.0
        func stacked(_ box: BoundingBox, down: Bool) -> BoundingBox {
            // Pushed past every part it meets, down from the top or up from the bottom.
            var b = box
            while let hit = taken.first(where: { $0.intersects(b.expanded(by: gap / 2)) }) {
                let shift = down ? hit.maxY + gap - b.minY : b.maxY - (hit.minY - gap)
                b = BoundingBox(minX: b.minX, minY: b.minY + (down ? shift : -shift), maxX: b.maxX, maxY: b.maxY + (down ? shift : -shift))
            }
            return b
        }
        let right = w - m - size.width, bottom = h - m - size.height
        let candidates = [
            stacked(BoundingBox(minX: right, minY: m, maxX: w - m, maxY: m + size.height), down: true),
            stacked(BoundingBox(minX: right, minY: bottom, maxX: w - m, maxY: h - m), down: false),
            stacked(BoundingBox(minX: m, minY: m, maxX: m + size.width, maxY: m + size.height), down: true),
            stacked(BoundingBox(minX: m, minY: bottom, maxX: m + size.width, maxY: h - m), down: false),
        ].filter { $0.minY >= 0 && $0.maxY <= h }
        func covered(_ b: BoundingBox) -> Double {
            guard let s = subject?.expanded(by: gap) else { return 0 }
            return max(0, min(b.maxX, s.maxX) - max(b.minX, s.minX)) * max(0, min(b.maxY, s.maxY) - max(b.minY, s.minY))
        }
        return candidates.first { covered($0) == 0 } ?? candidates.min { covered($0) < covered($1) }
    }

    static func drawPanel(_ c: Canvas, _ box: BoundingBox, border: Bool = true) {
        c.newPath()
        c.rectangle(x: box.minX, y: box.minY, width: box.width, height: box.height)
        c.fill(panel, preserve: border)
        if border { c.stroke(frame, width: 0.8) }
    }

    static func drawSwatch(_ c: Canvas, _ swatch: LegendEntry.Swatch, x: Double, y: Double, width: Double, height: Double) {
        c.withSavedState {
            switch swatch {
            case .fill(let color, let outline):
                c.newPath()
                c.rectangle(x: x, y: y, width: width, height: height)
                c.fill(color, preserve: true)
                c.stroke(outline ?? color.withOpacity(1), width: 1)
            case .hatch(let color, let tint):
                c.newPath()
                c.rectangle(x: x, y: y, width: width, height: height)
                c.fill(tint, preserve: true)
                c.clipToPath()
                c.newPath()
                var k = -height
                while k < width + height {
                    c.polyline([(x + k, y + height), (x + k + height, y)])
                    k += 5
                }
                c.stroke(color, width: 1.5)
                c.newPath()
                c.rectangle(x: x, y: y, width: width, height: height)
                c.stroke(color, width: 1)
            case .line(let color, let lineWidth, let dash):
                c.newPath()
                c.polyline([(x, y + height / 2), (x + width, y + height / 2)])
                c.stroke(color, width: min(lineWidth, height), dash: dash, cap: .butt)
            case .circle(let color, let radius, let stroke, let strokeWidth):
                c.newPath()
                c.circle(x: x + width / 2, y: y + height / 2, radius: min(radius, height / 2))
                c.fill(color, preserve: stroke != nil)
                if let stroke { c.stroke(stroke, width: strokeWidth) }
            case .triangle(let color, let radius, let stroke, let strokeWidth):
                c.newPath()
                c.triangle(x: x + width / 2, y: y + height / 2 + min(radius, height / 2) / 4, radius: min(radius, height / 2))
                c.fill(color, preserve: stroke != nil)
                if let stroke { c.stroke(stroke, width: strokeWidth, join: .round) }
            }
        }
    }

    /// The largest 1, 2 or 5 × 10ⁿ metres not above `metres`.
    static func roundLength(_ metres: Double) -> Double {
        guard metres > 0 else { return 1 }
        let power = pow(10, floor(log10(metres)))
        for step in [5.0, 2.0, 1.0] where step * power <= metres { return step * power }
        return power
    }

    static func formatDistance(_ metres: Double) -> String {
        metres >= 1000 ? "\(Int((metres / 1000).rounded())) km" : "\(Int(metres.rounded())) m"
    }
}
