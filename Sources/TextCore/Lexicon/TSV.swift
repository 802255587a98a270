/// The one reader of the lexicon files' form: tab-separated fields, `#` comments, blank lines
/// skipped, fields trimmed, each row with its 1-based line number for error messages.
enum TSV {
    static func rows(_ text: String) -> [(fields: [String], line: Int)] {
        var out: [(fields: [String], line: Int)] = []
        var n = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            let line = trimmed(raw)
            if line.isEmpty || line.first == "#" { continue }
            out.append((line.split(separator: "\t", omittingEmptySubsequences: false).map { String(trimmed($0)) }, n))
        }
        return out
    }

    /// Spaces, tabs and carriage returns at either end (the files are written with ASCII layout).
    private static func trimmed(_ s: Substring) -> Substring {
        var t = s
        while let c = t.first, c == " " || c == "\t" || c == "\r" { t = t.dropFirst() }
        while let c = t.last, c == " " || c == "\t" || c == "\r" { t = t.dropLast() }
        return t
    }
}
