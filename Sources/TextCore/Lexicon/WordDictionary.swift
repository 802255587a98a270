import Foundation

/// A Chinese word list with frequencies and parts of speech in jieba's format (`word freq tag`
/// per line): jieba's own dictionary (Debian `python3-jieba`) plus the project's additions in
/// `config/words/`. Segmentation takes the most probable path through the word graph of a text,
/// as jieba does, without its HMM for unknown words (unknown runs stay one token, tagged `x`).
///
/// Words are keyed by a 64-bit hash of their scalars, and every prefix of every word is kept, so
/// a lookup extends a hash one scalar at a time and stops at the first prefix no word has: no
/// String is built per candidate. (Two of jieba's 349,046 words colliding in 64 bits has odds of
/// about 10⁻⁹; a collision would only mis-tag a word.)
public struct WordDictionary: Sendable {
    /// A word of a segmentation: its scalars (a slice of the text, no copy), part of speech,
    /// extent and hash. Rules compare words by hash (`is`, `WordSet`), so no String is built per
    /// token unless a rule needs its text.
    public struct Token: Sendable, Equatable {
        public let scalars: ArraySlice<Unicode.Scalar>
        public let tag: String
        public let start: Int
        public let end: Int
        public let hash: UInt64

        public init(scalars: ArraySlice<Unicode.Scalar>, tag: String, start: Int, end: Int) {
            self.scalars = scalars; self.tag = tag; self.start = start; self.end = end
            hash = WordDictionary.hash(scalars)
        }
        /// The same word at another offset.
        public func shifted(by d: Int) -> Token { Token(scalars: scalars, tag: tag, start: start + d, end: end + d, hash: hash) }
        private init(scalars: ArraySlice<Unicode.Scalar>, tag: String, start: Int, end: Int, hash: UInt64) {
            self.scalars = scalars; self.tag = tag; self.start = start; self.end = end; self.hash = hash
        }

        public var text: String { String(scalars: scalars) }
        public var length: Int { end - start }
        public func `is`(_ word: String) -> Bool { hash == WordDictionary.hash(word.unicodeScalars) }
    }

    /// A word or a prefix of one, under its hash: one table, so extending a candidate by a
    /// character is one probe that says both "go on" and "this is a word".
    /// Eight bytes, so a slot of the table (key and entry) is sixteen.
    private struct Entry { var freq: Float; var tag: UInt8; var isWord: Bool }
    private var entries = HashTable<Entry>(capacity: 1 << 20)
    private var wordCount = 0
    private var tags: [String] = []
    private var tagIndex: [String: UInt8] = [:]
    private var total = 0.0
    private(set) var maxLength = 1

    public var count: Int { wordCount }

    public init() {}

    /// Where Debian puts jieba's dictionary; `TIDELINE_WORD_DICTIONARY` overrides it.
    public static let environmentVariable = "TIDELINE_WORD_DICTIONARY"
    public static let systemPaths = ["/usr/lib/python3/dist-packages/jieba/dict.txt", "/usr/share/jieba/dict.txt"]

    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always) static func step(_ h: UInt64, _ c: Unicode.Scalar) -> UInt64 { (h ^ UInt64(c.value)) &* 0x0000_0100_0000_01b3 }
    static func hash<S: Sequence>(_ scalars: S) -> UInt64 where S.Element == Unicode.Scalar {
        scalars.reduce(seed, step)
    }

    /// Adds the lines of a jieba-format file. A line without a frequency gets a modest one; a
    /// later file's entry replaces an earlier one (the project's words win).
    /// (Read over UTF-8 bytes, fields split at ASCII spaces: 349,046 lines split as `Character`s
    /// took a second per worker start.)
    public mutating func add(contentsOf text: String, file: String) throws {
        try TSV.forEachLine(text) { line, lineNumber in
            var fields: [Range<Int>] = []
            var at = line.startIndex
            while at < line.endIndex, fields.count < 3 {
                while at < line.endIndex, line[at] == UInt8(ascii: " ") || line[at] == UInt8(ascii: "\r") { at += 1 }
                let start = at
                while at < line.endIndex, line[at] != UInt8(ascii: " "), line[at] != UInt8(ascii: "\r") { at += 1 }
                if at > start { fields.append(start..<at) }
            }
            guard let word = fields.first, line[word.lowerBound] != UInt8(ascii: "#") else { return }
            var freq = 100.0
            if fields.count > 1 {
                let text = String(decoding: line[fields[1]], as: UTF8.self)
                guard let v = Self.integer(line[fields[1]]) ?? Double(text) else {
                    throw LexiconError("\(file):\(lineNumber): frequency '\(text)' is not a number")
                }
                freq = v
            }
            let tag = fields.count > 2 ? String(decoding: line[fields[2]], as: UTF8.self) : "n"
            insert(String(decoding: line[word], as: UTF8.self).unicodeScalars, freq: freq, tag: tag)
        }
    }

    /// Digits only (jieba's frequencies): read without going through a `String`.
    private static func integer(_ bytes: UnsafeBufferPointer<UInt8>.SubSequence) -> Double? {
        guard !bytes.isEmpty, bytes.count < 16 else { return nil }
        var v = 0
        for b in bytes {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            v = v * 10 + Int(b - UInt8(ascii: "0"))
        }
        return Double(v)
    }

    private mutating func insert(_ word: String.UnicodeScalarView, freq: Double, tag: String) {
        var h = Self.seed, length = 0
        for c in word {
            h = Self.step(h, c); length += 1
            if !entries.contains(h) { entries[h] = Entry(freq: 0, tag: 0, isWord: false) }
        }
        guard length > 0 else { return }
        let t: UInt8
        if let known = tagIndex[tag] { t = known } else { t = UInt8(truncatingIfNeeded: tags.count); tags.append(tag); tagIndex[tag] = t }
        if let old = entries[h], old.isWord { total -= Double(old.freq) } else { wordCount += 1 }
        entries[h] = Entry(freq: Float(freq), tag: t, isWord: true)
        total += freq
        maxLength = max(maxLength, length)
    }

    /// Words compared by hash: membership of a token is one lookup.
    public struct WordSet: Sendable {
        private var hashes = HashTable<Bool>()
        public init(_ words: [String]) { for w in words { hashes[WordDictionary.hash(w.unicodeScalars)] = true } }
        public func contains(_ t: Token) -> Bool { hashes.contains(t.hash) }
        public func contains(_ word: String) -> Bool { hashes.contains(WordDictionary.hash(word.unicodeScalars)) }
    }

    public func tag(of word: String) -> String? { wordEntry(Self.hash(word.unicodeScalars)).map { tags[Int($0.tag)] } }
    public func contains(_ word: String) -> Bool { wordEntry(Self.hash(word.unicodeScalars)) != nil }
    private func wordEntry(_ h: UInt64) -> Entry? { entries[h].flatMap { $0.isWord ? $0 : nil } }

    /// The most probable segmentation of `s` (jieba's DAG + dynamic programming, right to left).
    /// Runs of characters the dictionary does not know are joined into one token tagged `x`
    /// (Latin letters and digits are one token each run, tagged `eng` / `m`).
    public func segment(_ s: [Unicode.Scalar]) -> [Token] {
        let n = s.count
        guard n > 0 else { return [] }
        let logTotal = log(max(total, 1))
        // best[i]: (log probability of s[i...], end of the first word, its tag or nil when unknown).
        var best = [(Double, Int, UInt8?)](repeating: (0, 0, nil), count: n + 1)
        var i = n - 1
        var probes = n
        defer { WorkCounter.add(probes) }
        while i >= 0 {
            var choice: (Double, Int, UInt8?) = (-Double.infinity, i + 1, nil)
            if let run = Self.asciiRun(s, i) {
                choice = (best[run].0 - 8, run, nil)
            } else {
                var h = Self.seed, k = i
                while k < n, k - i < maxLength {
                    h = Self.step(h, s[k]); k += 1; probes += 1
                    guard let e = entries[h] else { break }
                    if e.isWord, e.freq > 0 {
                        let p = log(Double(e.freq)) - logTotal + best[k].0
                        if p > choice.0 { choice = (p, k, e.tag) }
                    }
                }
                if choice.0 == -Double.infinity { choice = (-logTotal + best[i + 1].0, i + 1, nil) }
            }
            best[i] = choice
            i -= 1
        }
        var out: [Token] = []
        var at = 0
        var unknownStart: Int? = nil
        func flushUnknown(_ end: Int) {
            if let u = unknownStart { out.append(Token(scalars: s[u..<end], tag: "x", start: u, end: end)); unknownStart = nil }
        }
        while at < n {
            let (_, end, tag) = best[at]
            if end - at == 1, tag == nil, CharClass.isHan(s[at]) {
                if unknownStart == nil { unknownStart = at }
            } else {
                flushUnknown(at)
                let word = s[at..<end]
                let name = tag.map { tags[Int($0)] } ?? (word.allSatisfy { CharClass.isDigit($0) || $0 == "." } ? "m"
                    : CharClass.isASCIIAlnum(s[at]) ? "eng" : "w")
                out.append(Token(scalars: word, tag: name, start: at, end: end))
            }
            at = end
        }
        flushUnknown(n)
        return out
    }

    /// A run of ASCII letters and digits (with a decimal point) starting at i: one token.
    private static func asciiRun(_ s: [Unicode.Scalar], _ i: Int) -> Int? {
        guard CharClass.isASCIIAlnum(s[i]) else { return nil }
        var j = i + 1
        while j < s.count, CharClass.isASCIIAlnum(s[j]) || (s[j] == "." && j + 1 < s.count && CharClass.isDigit(s[j + 1])) { j += 1 }
        return j
    }
}
