import Foundation

/// A Chinese word list with frequencies and parts of speech in jieba's format (`word freq tag`
/// per line): jieba's own dictionary (Debian `python3-jieba`) plus the project's additions in
/// `config/words/`. Segmentation takes the most probable path through the word graph of a text,
/// as jieba does, without its HMM for unknown words (unknown runs stay one token, tagged `x`).
public struct WordDictionary: Sendable {
    public struct Entry: Sendable { public let logProb: Double; public let tag: String }
    public struct Token: Sendable, Equatable {
        public let text: String
        public let tag: String
        public let start: Int
        public let end: Int
    }

    private var entries: [String: (freq: Double, tag: String)] = [:]
    private var total = 0.0
    private(set) var maxLength = 1

    public var count: Int { entries.count }

    public init() {}

    /// Where Debian puts jieba's dictionary; `TIDELINE_WORD_DICTIONARY` overrides it.
    public static let systemPaths = ["/usr/lib/python3/dist-packages/jieba/dict.txt", "/usr/share/jieba/dict.txt"]

    /// Adds the lines of a jieba-format file. A line without a frequency gets a modest one; a
    /// later file's entry replaces an earlier one's tag (the project's words win).
    public mutating func add(contentsOf text: String, file: String) throws {
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = line.split(separator: " ")
            guard let word = f.first, !word.isEmpty else { continue }
            var freq = 100.0
            if f.count > 1 {
                guard let v = Double(f[1]) else { throw LexiconError("\(file):\(lineNumber): frequency '\(f[1])' is not a number") }
                freq = v
            }
            let tag = f.count > 2 ? String(f[2]) : "n"
            let w = String(word)
            if let old = entries[w] { total -= old.freq }
            entries[w] = (freq, tag)
            total += freq
            maxLength = max(maxLength, w.unicodeScalars.count)
        }
    }

    public func tag(of word: String) -> String? { entries[word]?.tag }
    public func contains(_ word: String) -> Bool { entries[word] != nil }

    /// The most probable segmentation of `s` (jieba's DAG + dynamic programming, right to left).
    /// Runs of characters the dictionary does not know are joined into one token tagged `x`
    /// (Latin letters and digits are one token each run, tagged `eng` / `m`).
    public func segment(_ s: [Unicode.Scalar]) -> [Token] {
        let n = s.count
        guard n > 0 else { return [] }
        let logTotal = log(max(total, 1))
        // best[i]: (log probability of s[i...], end of the first word).
        var best = [(Double, Int)](repeating: (0, 0), count: n + 1)
        var i = n - 1
        while i >= 0 {
            var choice = (-Double.infinity, i + 1)
            if let run = Self.asciiRun(s, i) {
                choice = (best[run].0 - 8, run)
            } else {
                var k = i + 1
                var key = String.UnicodeScalarView()
                while k <= n, k - i <= maxLength {
                    key.append(s[k - 1])
                    if let e = entries[String(key)], e.freq > 0 {
                        let p = log(e.freq) - logTotal + best[k].0
                        if p > choice.0 { choice = (p, k) }
                    }
                    k += 1
                }
                if choice.0 == -Double.infinity { choice = (log(1) - logTotal + best[i + 1].0, i + 1) }
            }
            best[i] = choice
            i -= 1
        }
        var out: [Token] = []
        var at = 0
        var unknownStart: Int? = nil
        func flushUnknown(_ end: Int) {
            if let u = unknownStart { out.append(Token(text: string(s, u, end), tag: "x", start: u, end: end)); unknownStart = nil }
        }
        while at < n {
            let end = best[at].1
            let text = string(s, at, end)
            if end - at == 1, entries[text] == nil, CharClass.isHan(s[at]) {
                if unknownStart == nil { unknownStart = at }
            } else {
                flushUnknown(at)
                let tag = entries[text]?.tag ?? (text.unicodeScalars.allSatisfy { CharClass.isDigit($0) || $0 == "." } ? "m"
                    : CharClass.isASCIIAlnum(s[at]) ? "eng" : "w")
                out.append(Token(text: text, tag: tag, start: at, end: end))
            }
            at = end
        }
        flushUnknown(n)
        return out
    }

    private func string(_ s: [Unicode.Scalar], _ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(s[a..<b])) }

    /// A run of ASCII letters and digits (with a decimal point) starting at i: one token.
    private static func asciiRun(_ s: [Unicode.Scalar], _ i: Int) -> Int? {
        guard CharClass.isASCIIAlnum(s[i]) else { return nil }
        var j = i + 1
        while j < s.count, CharClass.isASCIIAlnum(s[j]) || (s[j] == "." && j + 1 < s.count && CharClass.isDigit(s[j + 1])) { j += 1 }
        return j
    }
}
