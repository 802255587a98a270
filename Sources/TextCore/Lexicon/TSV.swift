import Foundation

/// The one reader of the lexicon files' form: tab-separated fields, `#` comments, blank lines
/// skipped, fields trimmed, each row with its 1-based line number for error messages.
enum TSV {
    static func rows(_ text: String) -> [(fields: [String], line: Int)] {
        var out: [(fields: [String], line: Int)] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            out.append((line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }, n + 1))
        }
        return out
    }
}
