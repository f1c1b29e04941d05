import FrontlineGeometry

/// A plain-text table with aligned columns, for terminals.
public struct TextTable {
    /// How a column's cells line up.
    public enum Alignment { case left, right }

    /// Column titles, one per column.
    public var headers: [String]
    /// How each column's cells line up, one per column.
    public var alignments: [Alignment]
    /// Rows of cells, including continuation rows of a wrapped last cell.
    public var rows: [[String]] = []

    /// A table with these column headers and alignments.
    public init(_ headers: [String], _ alignments: [Alignment]) {
        self.headers = headers
        self.alignments = alignments
    }

    /// Widest the last column may be before its text wraps onto continuation lines.
    public var lastColumnWidth = 72

    /// Appends a row (missing cells are blank); a long last cell wraps at commas or spaces.
    public mutating func add(_ row: [String]) {
        guard let last = row.last, row.count == headers.count, last.count > lastColumnWidth else {
            rows.append(row)
            return
        }
        var lines: [String] = []
        var current = ""
        for word in last.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + 1 + word.count > lastColumnWidth {
                lines.append(current)
                current = String(word)
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        lines.append(current)
        rows.append(Array(row.dropLast()) + [lines[0]])
        for line in lines.dropFirst() { rows.append(Array(repeating: "", count: row.count - 1) + [line]) }
    }

    /// The table as lines of text: header, a rule, rows.
    public var text: String {
        let all = [headers] + rows
        let widths = headers.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            headers.indices.map { c -> String in
                let cell = c < cells.count ? cells[c] : ""
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return alignments[c] == .right ? pad + cell : (c == headers.count - 1 ? cell : cell + pad)
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

/// km² or km with one decimal, thousands separated; small non-zero values keep two significant digits.
func formatQuantity(_ v: Double) -> String {
    if v > 0 && v < 0.05 {
        var w = JSONWriter()
        w.fixed(v, decimals: 3)
        return w.text
    }
    let tenths = Int((v * 10).rounded())
    let whole = String(tenths / 10)
    var grouped = ""
    for (k, ch) in whole.reversed().enumerated() {
        if k > 0 && k % 3 == 0 { grouped.append(",") }
        grouped.append(ch)
    }
    return String(grouped.reversed()) + "." + String(abs(tenths % 10))
}
