/// A metric label as a statistician would head a table column: the noun phrase of the words
/// before (and, for counts, after) a figure, without dates, places, reporting verbs, adverbs,
/// particles or brackets. Works on the word dictionary's segmentation, so a word is dropped whole
/// (共 in 共计 yes, in 共享单车 no) and by its part of speech, with `label_words.tsv` for the
/// reporting verbs a dictionary cannot tell from content verbs (实现 vs 开工).
struct MetricLabel {
    let dictionary: WordDictionary
    let dropLeading: Set<String>
    let dropTrailing: Set<String>
    let tradeVerbs: [String]

    init(lexicon: Lexicon) {
        dictionary = lexicon.dictionary
        dropLeading = Set(lexicon.words(.dropLeading))
        dropTrailing = Set(lexicon.words(.dropTrailing))
        tradeVerbs = lexicon.words(.tradeVerb)
    }

    /// Parts of speech that never open a label (adverbs, pronouns, prepositions, conjunctions,
    /// particles, numerals, measure words, time and locality words, places, people).
    static let leadingTags: Set<String> = ["d", "r", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "m", "q", "t", "tg", "f", "y", "e", "o", "ns", "nr", "nrt", "w", "zg"]
    /// Parts of speech that never close one.
    static let trailingTags: Set<String> = ["d", "r", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "y", "e", "o", "w", "f"]

    /// `raw` is the text before the figure with dates, places and home words already cut out.
    func clean(_ raw: [Unicode.Scalar]) -> String {
        var s = Self.removeBracketed(raw)
        // Keep the head after the last 的 (城区符合条件的500人以上企业 → 500人以上企业).
        if let de = s.lastIndex(of: "的"), s.count - de - 1 >= 2 { s = Array(s[(de + 1)...]) }
        var tokens = dictionary.segment(s)
        var changed = true
        while changed && !tokens.isEmpty {
            changed = false
            if let t = tokens.first, dropLeading.contains(t.text) || Self.leadingTags.contains(t.tag) || Self.isPunct(t.text) {
                tokens.removeFirst(); changed = true; continue
            }
            if let t = tokens.last, dropTrailing.contains(t.text) || Self.trailingTags.contains(t.tag) || Self.isPunct(t.text) {
                tokens.removeLast(); changed = true
            }
        }
        guard let first = tokens.first, let last = tokens.last else { return "" }
        var label = Array(s[first.start..<last.end])
        // 出口机电产品 → 机电产品出口: the goods name the measure.
        for verb in tradeVerbs {
            let v = Array(verb.unicodeScalars)
            if label.count > v.count + 1, label.matches(v, at: 0), !"口总额量值增降率".unicodeScalars.contains(label[v.count]) {
                label = Array(label[v.count...]) + v
                break
            }
        }
        return String(String.UnicodeScalarView(label))
    }

    /// The noun a count names when it follows the figure (47家500人以上企业, 6个驻点招商工作站):
    /// words up to the first adverb, preposition, particle, punctuation or digit-led figure.
    func nounAfter(_ s: [Unicode.Scalar], from: Int) -> String {
        var j = from
        while j < s.count, j - from < 14, !Self.stops.contains(s[j]) { j += 1 }
        guard j > from else { return "" }
        let window = Array(s[from..<j])
        if window.count >= 2, window[0] == "以" && (window[1] == "上" || window[1] == "下") || window[0] == "左" && window[1] == "右" { return "" }
        var end = 0
        for t in dictionary.segment(window) {
            if Self.trailingTags.contains(t.tag) || dropTrailing.contains(t.text) || t.text == "的" { break }
            if t.tag.hasPrefix("v") && t.tag != "vn" && end > 0 { break }
            end = t.end
        }
        return String(String.UnicodeScalarView(window[..<end]))
    }

    static let stops: Set<Unicode.Scalar> = ["，", "；", "。", "、", "：", "（", "！", "？", "”", "“", " "]

    static func isPunct(_ t: String) -> Bool {
        t.unicodeScalars.allSatisfy { CharClass.isCJKPunct($0) || $0 == " " || ($0.value < 0x80 && !CharClass.isASCIIAlnum($0)) }
    }

    /// （…）, (…), 【…】 and ellipses carry notes, not the measure's name.
    static func removeBracketed(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var depth = 0
        for c in s {
            if c == "（" || c == "(" || c == "【" || c == "[" { depth += 1; continue }
            if c == "）" || c == ")" || c == "】" || c == "]" { depth = max(0, depth - 1); continue }
            if depth == 0 && c != "…" { out.append(c) }
        }
        return out
    }
}
