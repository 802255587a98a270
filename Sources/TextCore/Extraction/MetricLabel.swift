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
    let dropInner: Set<String>

    init(lexicon: Lexicon) {
        dictionary = lexicon.dictionary
        dropLeading = Set(lexicon.words(.dropLeading))
        dropTrailing = Set(lexicon.words(.dropTrailing))
        tradeVerbs = lexicon.words(.tradeVerb)
        dropInner = Set(lexicon.words(.dropInner))
    }

    /// Parts of speech that never open a label (adverbs, pronouns, prepositions, conjunctions,
    /// particles, numerals, measure words, time and locality words, places, people).
    static let leadingTags: Set<String> = ["d", "r", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "m", "q", "t", "tg", "f", "y", "e", "o", "ns", "nr", "nrt", "w", "zg"]
    /// Parts of speech that never close one.
    static let trailingTags: Set<String> = ["d", "r", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "y", "e", "o", "w", "f", "m", "a", "ad"]

    /// `raw` is the text before the figure with dates, places and home words already cut out.
    func clean(_ raw: [Unicode.Scalar]) -> String {
        var s = Self.removeBracketed(raw)
        // Keep the head after the last 的 (城区符合条件的500人以上企业 → 500人以上企业).
        if let de = s.lastIndex(of: "的"), s.count - de - 1 >= 2 { s = Array(s[(de + 1)...]) }
        var tokens = tokensKeepingQuotes(s)
        // 科道、唯普等 / 包括A、B: examples listed before 等, or after 包括, are not the measure.
        if let k = tokens.lastIndex(where: { $0.text == "等" }) { tokens = Array(tokens[(k + 1)...]) }
        if let k = tokens.firstIndex(where: { $0.text == "包括" || $0.text == "涉及" }), k > 0 { tokens = Array(tokens[..<k]) }
        // 宜昌市人社局向…: an organisation and its preposition are the subject, not the measure.
        if let k = tokens.lastIndex(where: { $0.tag == "p" }), k > 0, tokens[..<k].contains(where: { Self.isOrganisation($0.text) }) {
            tokens = Array(tokens[(k + 1)...])
        }
        var changed = true
        while changed && !tokens.isEmpty {
            changed = false
            let remaining = tokens.count > 1 ? tokens[tokens.count - 1].end - tokens[1].start : 0
            if let t = tokens.first, !t.text.hasSuffix("期"),
               dropLeading.contains(t.text) && remaining > 2 || Self.leadingTags.contains(t.tag) || Self.isPunct(t.text) {
                tokens.removeFirst(); changed = true; continue
            }
            if let t = tokens.last, dropTrailing.contains(t.text) || Self.trailingTags.contains(t.tag) || Self.isPunct(t.text) {
                tokens.removeLast(); changed = true; continue
            }
            // A noun phrase then a verb (地区生产总值修订, 进出口总额位居): the verb is the predicate.
            if tokens.count > 1, let t = tokens.last, t.tag == "v",
               tokens.dropLast().contains(where: { $0.tag.hasPrefix("n") && $0.tag != "nr" }), tokens[tokens.count - 2].tag != "v" {
                tokens.removeLast(); changed = true
            }
        }
        // 规上工业企业实现增加值: a reporting verb inside the phrase goes too.
        if tokens.count > 2 { tokens.removeAll { dropInner.contains($0.text) } }
        guard !tokens.isEmpty else { return "" }
        var label = tokens.flatMap { Array($0.text.unicodeScalars) }
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

    static let organisationSuffixes = ["局", "委", "办", "厅", "部门", "政府", "海关", "公司", "集团", "银行", "中心"]
    static func isOrganisation(_ t: String) -> Bool { t.count >= 2 && organisationSuffixes.contains { t.hasSuffix($0) } }

    /// The dictionary's tokens, with a quoted name (“三类500强”) kept as one token.
    func tokensKeepingQuotes(_ s: [Unicode.Scalar]) -> [WordDictionary.Token] {
        var out: [WordDictionary.Token] = []
        var i = 0
        while i < s.count {
            if s[i] == "“", let close = s[(i + 1)...].firstIndex(of: "”") {
                out.append(.init(text: s.string(i..<(close + 1)), tag: "nz", start: i, end: close + 1))
                i = close + 1
                continue
            }
            var j = i
            while j < s.count, s[j] != "“" { j += 1 }
            out += dictionary.segment(Array(s[i..<j])).map { .init(text: $0.text, tag: $0.tag, start: $0.start + i, end: $0.end + i) }
            i = j
        }
        return out
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
        for t in tokensKeepingQuotes(window) {
            // 500人以上企业: a class bound inside the noun.
            if t.text == "以上" || t.text == "以下" || t.text == "及以上" { end = t.end; continue }
            if Self.trailingTags.contains(t.tag) || dropTrailing.contains(t.text) || t.text == "的" { break }
            if t.tag.hasPrefix("v") && t.tag != "vn" && end > 0 { break }
            end = t.end
        }
        return String(String.UnicodeScalarView(window[..<end]))
    }

    static let stops: Set<Unicode.Scalar> = ["，", "；", "。", "、", "：", "（", "！", "？", " "]

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
