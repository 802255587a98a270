/// A metric label as a statistician would head a table column: the noun phrase of the words
/// before (and, for counts, after) a figure, without dates, places, reporting verbs, adverbs,
/// particles or brackets. Works on the word dictionary's segmentation, so a word is dropped whole
/// (共 in 共计 yes, in 共享单车 no) and by its part of speech, with `label_words.tsv` for the
/// reporting verbs a dictionary cannot tell from content verbs (实现 vs 开工).
struct MetricLabel {
    let dictionary: WordDictionary
    let vocabulary: StatisticsVocabulary
    let dropLeading: WordDictionary.WordSet
    let dropTrailing: WordDictionary.WordSet
    let objectFirstVerbs: [String]
    let dropInner: WordDictionary.WordSet
    let copulas: WordDictionary.WordSet
    let homeWords: WordDictionary.WordSet

    init(lexicon: Lexicon) {
        dictionary = lexicon.dictionary
        vocabulary = lexicon.vocabulary
        dropLeading = .init(lexicon.words(.dropLeading))
        dropTrailing = .init(lexicon.words(.dropTrailing))
        objectFirstVerbs = lexicon.words(.objectVerb)
        dropInner = .init(lexicon.words(.dropInner))
        copulas = .init(lexicon.words(.copula))
        homeWords = .init(lexicon.words(.home))
    }

    /// Parts of speech that never open a label (adverbs, pronouns, prepositions, conjunctions,
    /// particles, numerals, measure words, time and locality words, places, people).
    static let leadingTags: Set<String> = ["d", "r", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "m", "q", "t", "tg", "f", "y", "e", "o", "ns", "nr", "nrt", "w", "zg"]
    /// Parts of speech that never close one.
    static let trailingTags: Set<String> = ["d", "r", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "y", "e", "o", "w", "f", "m", "a", "ad"]
    /// The tag of a token the rules built themselves (a quoted name, a class bound): kept whole.
    static let kept = "kept"

    /// `raw` is the text before the figure with dates, places and home words already cut out.
    func clean(_ raw: [Unicode.Scalar], rate: Bool = false) -> String {
        let s = Self.removeBracketed(raw)
        var tokens = tokens(s)
        // 政策实施以来…: a time adverbial ends at 以来.
        if let k = tokens.lastIndex(where: { $0.is("以来") }) { tokens = Array(tokens[(k + 1)...]) }
        // 科道、唯普等 (an enumeration of examples) names no measure; 招商推介等活动 keeps its class.
        // What introduces the enumeration (此次集中开工涉及…等) still names the measure.
        let introducer = tokens.firstIndex { $0.is("包括") || $0.is("涉及") }
        if let k = tokens.lastIndex(where: { $0.is("等") }) {
            if tokens[..<k].contains(where: { $0.is("、") }) {
                tokens = Array(tokens[..<(introducer ?? 0)]) + Array(tokens[(k + 1)...])
            } else { tokens.remove(at: k) }
        } else if let k = introducer, k > 0 { tokens = Array(tokens[..<k]) }
        // 建设泵房、清水池和中水回用管网12.315公里: a list's last item is what this figure measures.
        if tokens.contains(where: { $0.is("、") }), let k = tokens.lastIndex(where: { $0.is("、") || $0.is("和") || $0.is("及") }),
           k + 1 < tokens.count {
            tokens = Array(tokens[(k + 1)...])
        }
        // Keep the head after the last 的 (城区符合条件的500人以上企业 → 500人以上企业).
        if let de = tokens.lastIndex(where: { $0.is("的") }), tokens[(de + 1)...].reduce(0, { $0 + $1.length }) >= 2 {
            tokens = Array(tokens[(de + 1)...])
        }
        // 宜昌市人社局向…: an organisation and its preposition are the subject, not the measure.
        if let k = tokens.lastIndex(where: { $0.tag == "p" }), k > 0,
           tokens[..<k].indices.contains(where: { Self.isOrganisation(Self.text(Array(tokens[...$0]))) }) {
            tokens = Array(tokens[(k + 1)...])
        }
        // 用人单位发放稳岗返还资金: who acted goes; the verb and its object name the measure.
        // (A two-character verb with a phrase of its own after it: 参保 in 职工医保参保人员 is part
        // of the noun.)
        if let k = tokens.indices.dropFirst().last(where: { tokens[$0].tag == "v" && (tokens[$0].length >= 2 || dropLeading.contains(tokens[$0])) && !copulas.contains(tokens[$0]) }),
           tokens[..<k].contains(where: { $0.tag.startsWith("n") }), tokens[(k + 1)...].contains(where: { $0.tag.startsWith("n") || $0.tag == "vn" }),
           tokens[(k + 1)...].reduce(0, { $0 + $1.length }) >= 4,
           !tokens[..<k].contains(where: { $0.tag == "v" || $0.tag == Self.kept }) {
            tokens = Array(tokens[k...])
        }
        // 500人以上企业参保职工占所有企业参保职工总数的: A's share, A占比.
        if let k = tokens.firstIndex(where: { $0.is("占") }), k > 0 {
            tokens = Array(tokens[..<k]) + [.init(scalars: ArraySlice("占比".unicodeScalars), tag: Self.kept, start: tokens[k].start, end: tokens[k].end)]
        }
        var changed = true
        while changed && !tokens.isEmpty {
            changed = false
            // A label the vocabulary knows as it stands (完成投资, 农村居民人均可支配收入) is not trimmed further.
            if vocabulary.canonical(Self.text(tokens)) != nil { break }
            if let t = tokens.first, t.tag != Self.kept, t.scalars.last != "期",
               Self.leadingTags.contains(t.tag) || Self.isPunct(t) || dropLeading.contains(t) {
                tokens.removeFirst(); changed = true; continue
            }
            if let t = tokens.last, t.tag != Self.kept, dropTrailing.contains(t) || Self.trailingTags.contains(t.tag) || Self.isPunct(t) {
                tokens.removeLast(); changed = true; continue
            }
            // A noun phrase then a verb (地区生产总值修订, 进出口总额位居): the verb is the predicate;
            // for a rate it is what the rate measures (政策兑现100% → 政策兑现率).
            if rate, tokens.count > 1, let t = tokens.last, t.tag == "v", t.length > 1 {
                tokens.append(.init(scalars: ArraySlice("率".unicodeScalars), tag: "n", start: t.end, end: t.end))
                break
            }
            if tokens.count > 1, let t = tokens.last, t.tag == "v", t.length > 1,
               tokens.dropLast().contains(where: { $0.tag.startsWith("n") && $0.tag != "nr" }), tokens[tokens.count - 2].tag != "v" {
                tokens.removeLast(); changed = true
            }
        }
        // 规上工业企业实现增加值: a reporting verb inside the phrase goes too.
        if tokens.count > 2 { tokens.removeAll { dropInner.contains($0) } }
        guard !tokens.isEmpty else { return "" }
        var label = Array(Self.text(tokens).unicodeScalars)
        if label.last == "率" { return String(scalars: label) }
        // 出口机电产品 → 机电产品出口, 支出长护待遇 → 长护待遇支出: the object names the measure.
        for verb in objectFirstVerbs {
            let v = Array(verb.unicodeScalars)
            if label.count > v.count + 1, label.matches(v, at: 0), !"口总额量值增降率".unicodeScalars.contains(label[v.count]) {
                label = Array(label[v.count...]) + v
                break
            }
        }
        return String(scalars: label)
    }

    static func text(_ tokens: [WordDictionary.Token]) -> String {
        String(scalars: tokens.lazy.map(\.scalars).joined())
    }

    static let organisationSuffixes = ["局", "委", "办", "厅", "部门", "政府", "海关", "公司", "集团", "银行", "中心"]
    static func isOrganisation(_ t: String) -> Bool { t.count >= 2 && organisationSuffixes.contains { t.endsWith($0) } }

    /// The dictionary's tokens, with two kinds kept whole: a quoted name (“三类500强”) and a
    /// class bound (亿元以上, 500人以上, 10亿元及以上, 百亿) — the class a count belongs to.
    func tokens(_ s: [Unicode.Scalar]) -> [WordDictionary.Token] {
        var out: [WordDictionary.Token] = []
        var i = 0
        while i < s.count {
            if s[i] == "“", let close = s[(i + 1)...].firstIndex(of: "”") {
                out.append(.init(scalars: s[i..<(close + 1)], tag: Self.kept, start: i, end: close + 1))
                i = close + 1
                continue
            }
            if let end = Self.classBound(s, at: i) {
                out.append(.init(scalars: s[i..<end], tag: Self.kept, start: i, end: end))
                i = end
                continue
            }
            var j = i + 1
            while j < s.count, s[j] != "“", Self.classBound(s, at: j) == nil { j += 1 }
            out += dictionary.segment(Array(s[i..<j])).map { $0.shifted(by: i) }
            i = j
        }
        return out
    }

    /// A number with a magnitude or unit and 以上/以下 (亿元以上, 500人以上, 10亿元及以上), or a bare
    /// magnitude before a noun (百亿项目): the end of the bound, or nil.
    static func classBound(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        guard i < s.count, i == 0 || !isNumberScalar(s[i - 1]) else { return nil }
        var j = i
        while j < s.count, isNumberScalar(s[j]) { j += 1 }
        let digitsEnd = j
        // A unit of up to two characters (元, 亿元, 万元, 人, 家, 吨).
        var k = j
        while k < s.count, k - j < 2, CharClass.isHan(s[k]), s[k] != "以", s[k] != "及" { k += 1 }
        for bound in boundWords {
            if s.matches(bound, at: j), digitsEnd > i { return j + bound.count }
            if s.matches(bound, at: k), digitsEnd > i || k > j { return k + bound.count }
        }
        // 百亿项目, 千亿级: a magnitude word standing as the class.
        if digitsEnd - i >= 2, s[digitsEnd - 1] == "亿" || s[digitsEnd - 1] == "万", digitsEnd < s.count, CharClass.isHan(s[digitsEnd]),
           s[i...].prefix(digitsEnd - i).allSatisfy({ ChineseNumber.isChineseNumeral($0) || $0 == "亿" || $0 == "万" }) {
            return digitsEnd
        }
        return nil
    }

    static let boundWords: [[Unicode.Scalar]] = ["及以上", "以上", "以下"].map(\.scalars)

    static func isNumberScalar(_ c: Unicode.Scalar) -> Bool {
        CharClass.isDigit(c) || c == "." || ChineseNumber.isChineseNumeral(c) || c == "万" || c == "亿"
    }

    /// The noun a count names when it follows the figure (47家500人以上企业, 6个驻点招商工作站):
    /// words up to the first adverb, preposition, particle, punctuation or verb. Returns the noun
    /// and where it ends, so the next figure's words start after it.
    func nounAfter(_ s: [Unicode.Scalar], from: Int) -> (noun: String, end: Int) {
        var j = from
        while j < s.count, j - from < 14, !Self.stops.contains(s[j]) { j += 1 }
        guard j > from else { return ("", from) }
        let window = Array(s[from..<j])
        if window.count >= 2, window[0] == "以" && (window[1] == "上" || window[1] == "下") || window[0] == "左" && window[1] == "右" { return ("", from) }
        var end = 0
        let tokens = tokens(window)
        for (k, t) in tokens.enumerated() {
            if t.tag == Self.kept { end = t.end; continue }
            if Self.trailingTags.contains(t.tag) || t.tag == "t" || dropTrailing.contains(t) || t.is("的") || homeWords.contains(t) { break }
            // 事项“一张身份证办成事”: a quotation after the noun is what is said of it (predicateAfter).
            if end > 0 && t.scalars.first == "“" { break }
            // (A verb inside a compound noun continues it: 稳岗返还资金; a reporting verb does not:
            // 难题取得实质性进展. A verb ending the clause after a noun is nominal: 补充性保障.)
            let nextIsNoun = k + 1 < tokens.count && tokens[k + 1].tag.startsWith("n")
            let endsWindow = k + 1 == tokens.count || Self.isPunct(tokens[k + 1])
            if t.tag.startsWith("v") && t.tag != "vn" && end > 0, dropLeading.contains(t) || !(nextIsNoun || endsWindow) { break }
            end = t.end
        }
        return (String(scalars: window[..<end]), from + end)
    }

    /// What a counted noun's clause says of it (5个项目已入驻, 140项事项全市通办, 220项事项“一张身份
    /// 证办成事”): a short predicate to the clause's end, without adverbs; it qualifies the count.
    func predicateAfter(_ s: [Unicode.Scalar], from: Int) -> (text: String, end: Int)? {
        var j = from
        while j < s.count, j - from <= 10, !Self.stops.contains(s[j]) { j += 1 }
        guard j > from, j - from <= 10, j == s.count || Self.stops.contains(s[j]) else { return nil }
        let rest = Array(s[from..<j])
        if rest.first == "“", rest.last == "”" { return (String(scalars: rest), j) }
        guard !rest.contains(where: { CharClass.isDigit($0) || ChineseNumber.isChineseNumeral($0) }) else { return nil }
        var tokens = tokens(rest)
        while let t = tokens.first, t.tag == "d" || t.tag == "t" || dropTrailing.contains(t) { tokens.removeFirst() }
        guard let last = tokens.last, last.tag == "v" || last.tag == "vn", tokens.allSatisfy({ !Self.isPunct($0) }) else { return nil }
        return (Self.text(tokens), j)
    }

    /// A verb and its object filling the rest of the clause (…确定筹资标准): the object.
    func objectAfterVerb(_ s: [Unicode.Scalar], from: Int) -> String? {
        var j = from
        while j < s.count, j - from <= 12, !Self.stops.contains(s[j]) { j += 1 }
        guard j > from, j == s.count || Self.stops.contains(s[j]) else { return nil }
        let tokens = tokens(Array(s[from..<j]))
        guard tokens.count >= 2, tokens[0].tag == "v", tokens.dropFirst().allSatisfy({ $0.tag.startsWith("n") || $0.tag == "vn" }) else { return nil }
        return Self.text(Array(tokens.dropFirst()))
    }

    static let stops: ScalarSet = ["，", "；", "。", "、", "：", "（", "！", "？", " "]

    static func isPunct(_ t: WordDictionary.Token) -> Bool {
        t.scalars.allSatisfy { CharClass.isCJKPunct($0) || $0 == " " || ($0.value < 0x80 && !CharClass.isASCIIAlnum($0)) }
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
