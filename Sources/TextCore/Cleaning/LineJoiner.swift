/// Re-joins lines that the layout cut: newspaper columns wrapped every few characters and
/// paragraphs broken by a PDF page layout. A line is continued by the next when it does not end a
/// sentence and fills its column (its length is close to the widest lines around it, or it is long
/// anyway); short lines without final punctuation are headlines, subheads and bylines and stay.
public enum LineJoiner {
    /// How many lines either side estimate the column width.
    static let radius = 6

    /// `lines` are non-blank normalised lines; `breaks[i]` true forbids joining line i to i+1
    /// (the segmenter's structural lines). Returns groups of line indices, one per paragraph.
    /// `widths` are the lines' lengths as laid out (before a dateline was cut off the front), when
    /// they differ from the text's.
    public static func paragraphs(_ lines: [String], breaks: [Bool], widths: [Int]? = nil) -> [[Int]] {
        let lengths = widths ?? lines.map { $0.unicodeScalars.count }
        var groups: [[Int]] = []
        var current: [Int] = []
        for i in lines.indices {
            current.append(i)
            let last = i == lines.count - 1
            if last || breaks[i] || !continues(i, lines: lines, lengths: lengths) {
                groups.append(current)
                current = []
            }
        }
        return groups
    }

    static func continues(_ i: Int, lines: [String], lengths: [Int]) -> Bool {
        guard let lastScalar = lines[i].unicodeScalars.last else { return false }
        if CharClass.terminal.contains(lastScalar) { return false }
        if CharClass.closers.contains(lastScalar), Segmenter.endsSentence(lines[i]) { return false }
        if lastScalar == "：" || lastScalar == ":" { return false }
        // No paragraph ends on a comma, an enumeration comma or an opening quote.
        if lastScalar == "，" || lastScalar == "、" || lastScalar == "“" || lastScalar == "（" || lastScalar == "《" { return true }
        let len = lengths[i]
        if len >= 40 { return true }
        // A long line that is already mid-sentence (it has commas) and stops without a full stop
        // was cut by the layout; headlines have no commas.
        if len >= 24 && lines[i].unicodeScalars.contains(where: { $0 == "，" || $0 == "、" }) { return true }
        let width = Double(columnWidth(around: i, lengths: lengths))
        // A line much wider than its neighbours is a headline set across columns, not column text.
        return len >= 6 && Double(len) >= 0.8 * width && Double(len) <= 1.25 * width
    }

    /// The column's width near line i: the median length of the lines around it (not counting
    /// it), so neither a wide headline nor a paragraph's short last line sets it.
    static func columnWidth(around i: Int, lengths: [Int]) -> Int {
        let lo = max(0, i - radius), hi = min(lengths.count - 1, i + radius)
        guard hi > lo else { return lengths[i] }
        // At most 2 × radius values: sort them on the stack, not in a fresh array per line.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * radius) { window in
            var n = 0
            for j in lo...hi where j != i { window[n] = lengths[j]; n += 1 }
            var used = UnsafeMutableBufferPointer(rebasing: window[0..<n])
            used.sort()
            return used[n / 2]
        }
    }

    /// Joins a paragraph's lines: no space between CJK text, one space between Latin words.
    public static func join(_ parts: [String]) -> String {
        var out = ""
        for p in parts {
            if let a = out.unicodeScalars.last, let b = p.unicodeScalars.first,
               CharClass.isASCIIAlnum(a) && CharClass.isASCIIAlnum(b), !(CharClass.isDigit(a) && CharClass.isDigit(b)) {
                out += " "
            }
            out += p
        }
        return out
    }
}
