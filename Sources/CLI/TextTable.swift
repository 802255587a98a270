import Reports

/// A plain-text table whose columns are as wide as their widest cell (wide characters counted as
/// two), fitted to a terminal: when it is too wide, columns take their short headings, and then
/// the last column is cut. Into a pipe or a file (`width` nil) nothing is cut.
struct TextTable {
    /// Each column's heading and the shorter one used on a narrow terminal.
    var headings: [(full: String, short: String)]
    var rows: [[String]] = []

    init(_ headings: [(full: String, short: String)]) { self.headings = headings }

    mutating func add(_ cells: [String]) {
        precondition(cells.count == headings.count, "a row needs one cell per column")
        rows.append(cells)
    }

    func render(width: Int?) -> String {
        var titles = headings.map(\.full)
        var widths = columnWidths(titles)
        if let width, total(widths) > width {
            titles = headings.map(\.short)
            widths = columnWidths(titles)
        }
        if let width, total(widths) > width, let last = widths.indices.last {
            widths[last] = max(4, width - (total(widths) - widths[last]))
        }
        return ([titles] + rows).map { cells in
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? Format.cut(cell, columns: widths[i]) : Format.cell(cell, widths[i])
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    private func columnWidths(_ titles: [String]) -> [Int] {
        titles.indices.map { i in ([titles[i]] + rows.map { $0[i] }).map(Format.width).max() ?? 0 }
    }

    private func total(_ widths: [Int]) -> Int { widths.reduce(0, +) + 2 * max(0, widths.count - 1) }
}
