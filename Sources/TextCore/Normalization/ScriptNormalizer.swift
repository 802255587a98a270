import CLibOpenCC
import Foundation

/// Text as mirror sites and Hong Kong or Taiwan pages publish it, made comparable with the
/// mainland's: traditional characters to simplified (OpenCC's standard `t2s` configuration,
/// phrase-aware), pinyin annotations that mirror sites insert after characters removed
/// (`增長(zhǎng)` → `增长`), and footnote marks glued to numbers separated (`(GDP)[2]9946.66` →
/// `(GDP)9946.66`).
///
/// Decision on offsets: the article text the pipeline stores is this normalised text; evidence
/// and its offsets refer to it. The original bytes stay in the `documents` table, so nothing is
/// lost, and every later stage reads one script.
public enum ScriptNormalizer {
    public struct Result: Sendable {
        public var text: String
        /// Written in traditional script (converted unless OpenCC's data could not be opened).
        public var isTraditional: Bool
        public var convertedToSimplified: Bool
        public var pinyinRemoved: Int
        public var footnotesRemoved: Int
    }

    public static func normalize(_ text: String) -> Result {
        var scalars = Array(text.unicodeScalars)
        let pinyin = removePinyinAnnotations(&scalars)
        let notes = removeFootnoteMarks(&scalars)
        var out = String(scalars: scalars)
        var converted = false
        let traditional = looksTraditional(scalars)
        if traditional, let simplified = OpenCC.t2s.convert(out) {
            out = simplified; converted = true
        }
        return Result(text: out, isTraditional: traditional, convertedToSimplified: converted, pinyinRemoved: pinyin, footnotesRemoved: notes)
    }

    /// A page is converted when it is written in traditional script: at least three of the most
    /// frequent traditional-only characters, making 1% of its hanzi. A simplified page quoting one
    /// traditional name is left alone (t2s is not the identity on every simplified text).
    static func looksTraditional(_ s: [Unicode.Scalar]) -> Bool {
        var han = 0, trad = 0
        for c in s {
            if CharClass.isHan(c) { han += 1; if traditionalMarkers.contains(c) { trad += 1 } }
        }
        return trad >= 3 && trad * 100 >= han
    }

    static let traditionalMarkers = ScalarSet("這個們來國會為區億經濟進與發長對說時產業現實關開體當點動從後質務標應種設計內總權據資義處門機組問題項導費達運環際歲數場連兩還電網歷萬車氣線屬辦價張請難雙議讓術農藝縣鄉鎮條營參統報壓廣貿貨衛醫療護險養覺觀證劃將規則認識優勢"
        .unicodeScalars)

    static let toneVowels = ScalarSet("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ".unicodeScalars)

    /// `(zhǎng)` or `（zhǎng）` right after a hanzi: one pinyin syllable with a tone mark.
    static func removePinyinAnnotations(_ s: inout [Unicode.Scalar]) -> Int {
        removeSpans(&s) { s, i, out in
            guard s[i] == "(" || s[i] == "（", let last = out.last, CharClass.isHan(last) else { return nil }
            var j = i + 1, tone = false
            while j < s.count, j - i <= 7, isPinyinLetter(s[j]) { if toneVowels.contains(s[j]) { tone = true }; j += 1 }
            return tone && j > i + 1 && j < s.count && (s[j] == ")" || s[j] == "）") ? j + 1 : nil
        }
    }

    static func isPinyinLetter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || toneVowels.contains(c)
    }

    /// `[2]` or `［2］` directly before a digit: a footnote reference that would glue into the number.
    static func removeFootnoteMarks(_ s: inout [Unicode.Scalar]) -> Int {
        removeSpans(&s) { s, i, _ in
            guard s[i] == "[" || s[i] == "［" else { return nil }
            var j = i + 1
            while j < s.count, j - i <= 3, CharClass.isDigit(s[j]) { j += 1 }
            return j > i + 1 && j + 1 < s.count && (s[j] == "]" || s[j] == "］") && CharClass.isDigit(s[j + 1]) ? j + 1 : nil
        }
    }

    /// Removes every span `span` recognises (it returns the span's end, given the text, a position
    /// and what has been kept so far); returns how many were removed. One pass, one copy at most.
    static func removeSpans(_ s: inout [Unicode.Scalar],
                            _ span: ([Unicode.Scalar], Int, [Unicode.Scalar]) -> Int?) -> Int {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var removed = 0, i = 0
        while i < s.count {
            if let end = span(s, i, out) { removed += 1; i = end; continue }
            out.append(s[i]); i += 1
        }
        if removed > 0 { s = out }
        return removed
    }
}

/// One OpenCC converter per configuration, opened once and shared. OpenCC's converter is not
/// documented as thread-safe, so calls are serialised by a lock; conversion runs only on pages
/// that are in traditional script.
final class OpenCC: @unchecked Sendable {   // `handle` is only touched under `lock`.
    private let handle: opencc_t?
    private let lock = NSLock()

    static let t2s = OpenCC(config: "t2s.json")

    init(config: String) {
        let h = opencc_open(config)
        // opencc_open returns (opencc_t)-1 on failure.
        handle = (h == nil || Int(bitPattern: h) == -1) ? nil : h
    }

    deinit { if let handle { opencc_close(handle) } }

    var isAvailable: Bool { handle != nil }

    func convert(_ text: String) -> String? {
        guard let handle else { return nil }
        lock.lock(); defer { lock.unlock() }
        let utf8 = Array(text.utf8)
        guard let out = opencc_convert_utf8(handle, utf8.map { CChar(bitPattern: $0) }, utf8.count) else { return nil }
        defer { opencc_convert_utf8_free(out) }
        return String(cString: out)
    }
}
