/// Finds the quantities of a sentence: a number, its multiplier and unit from the lexicon, its
/// qualifier (约, 超, 余, 以上 …), a range's upper end (10%至30%), a rate's denominators
/// (每人每年90元 → 元/人/年). It leaves out what GUIDE.md says is not an indicator: numbers in
/// quotes and titles, ordinals (第二), counted slogans (八大平台, 五次全会), category bounds inside a
/// label (百亿元以上项目), and a bare 一.
struct QuantityScanner {
    struct Quantity {
        var value: Double
        var valueMax: Double?
        var unit: String
        var qualifier: String
        /// The number's first scalar, and the end of the quantity (unit and trailing qualifier included).
        var start: Int
        var end: Int
        /// Where the words that belong to the figure begin (a leading qualifier or rate phrase).
        var labelEnd: Int
    }

    static let rangeMarks: ScalarSet = ["至", "~", "～", "到", "-", "—"]
    let lexicon: Lexicon
    private let units: [(written: [Unicode.Scalar], unit: Lexicon.Unit)]
    private let before: [(word: [Unicode.Scalar], q: String)]
    private let after: [(word: [Unicode.Scalar], q: String)]
    private let traps: [[Unicode.Scalar]]
    private let notFigureAfter: WordMatcher

    init(lexicon: Lexicon) {
        self.lexicon = lexicon
        units = lexicon.units.map { ($0.written.scalars, $0) }
        before = lexicon.qualifiers.filter(\.before).map { ($0.word.scalars, $0.qualifier) }
        after = lexicon.qualifiers.filter { !$0.before }.map { ($0.word.scalars, $0.qualifier) }
        traps = lexicon.qualifierTraps.map(\.scalars)
        notFigureAfter = WordMatcher(lexicon.words(.notFigureAfter))
    }

    private func unit(at i: Int, in s: [Unicode.Scalar]) -> (Lexicon.Unit, Int)? {
        for u in units where s.matches(u.written, at: i) { return (u.unit, i + u.written.count) }
        return nil
    }

    private func number(at i: Int, in s: [Unicode.Scalar]) -> ChineseNumber.Parsed? {
        if CharClass.isDigit(s[i]) { return ChineseNumber.arabic(s, at: i) }
        if ChineseNumber.isChineseNumeral(s[i]) { return ChineseNumber.chinese(s, at: i) }
        return nil
    }

    func scan(_ s: [Unicode.Scalar]) -> [Quantity] {
        WorkCounter.add(s.count)
        var out: [Quantity] = []
        var quoteDepth = 0, titleDepth = 0
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "“" { quoteDepth += 1 } else if c == "”" { quoteDepth = max(0, quoteDepth - 1) }
            if c == "《" { titleDepth += 1 } else if c == "》" { titleDepth = max(0, titleDepth - 1) }
            // A quantity opens with a digit or a Chinese numeral (百分之 too): elsewhere, no parse.
            guard quoteDepth == 0, titleDepth == 0, CharClass.isDigit(c) || ChineseNumber.isChineseNumeral(c) else { i += 1; continue }
            if i > 0, CharClass.isDigit(s[i - 1]) || s[i - 1] == "." || ChineseNumber.isChineseNumeral(s[i - 1]) && ChineseNumber.isChineseNumeral(c) {
                i += 1; continue
            }
            if let q = quantity(at: i, in: s) {
                out.append(q)
                i = q.end
                continue
            }
            i += 1
        }
        return out
    }

    private func quantity(at i: Int, in s: [Unicode.Scalar]) -> Quantity? {
        var value: Double, j: Int, chinese = false, percentFromWords = false
        if let f = ChineseNumber.fraction(s, at: i) {
            value = f.value; j = f.end; percentFromWords = true
        } else if let n = number(at: i, in: s) {
            value = n.value; j = n.end; chinese = n.chinese
        } else { return nil }
        // Ordinals and numbered names: 第二, 二十届, 八大平台, 十六次党代会 (`not_figure_after`).
        if i > 0, s[i - 1] == "第" { return nil }
        if notFigureAfter.match(s, at: j) != nil { return nil }
        var qualifier = "exact"
        if j < s.count, s[j] == "余" || s[j] == "多" { qualifier = "more_than"; j += 1 }
        var unitName: String
        var valueMax: Double? = nil
        if percentFromWords {
            unitName = "%"
        } else if let (u, e) = unit(at: j, in: s) {
            value *= u.factor
            unitName = u.base
            j = e
        } else if j + 1 < s.count, Self.rangeMarks.contains(s[j]), let n2 = number(at: j + 1, in: s), let (u, e) = unit(at: n2.end, in: s) {
            // 5~10个, 0.5至1.2个百分点: the unit comes once, after the range.
            value *= u.factor
            if n2.value * u.factor > value { valueMax = n2.value * u.factor }
            unitName = u.base
            j = e
        } else { return nil }
        // A bare 一 (一个, 一批) is an article, not a count; a single Chinese digit counts only when
        // the clause ends with it (签约项目三个。), never before a noun (四套班子).
        if chinese && !percentFromWords {
            let numeralLength = s[i..<j].prefix { ChineseNumber.isChineseNumeral($0) }.count
            if value == 1 && numeralLength == 1 { return nil }
            if numeralLength == 1 && j < s.count && CharClass.isHan(s[j]) && !s.matches("以上".scalars, at: j) { return nil }
        }
        // 三个“一号工程”, 两个“维护”: a count of slogans.
        if j < s.count, s[j] == "“" { return nil }
        // 五次全会, 三次全体会议: a meeting's number.
        if unitName == "次", j < s.count, s[j] == "全" { return nil }
        // A range: 10%至30%.
        if valueMax == nil, j < s.count, Self.rangeMarks.contains(s[j]), j + 1 < s.count, let n2 = number(at: j + 1, in: s) {
            var k = n2.end
            var v2 = n2.value
            if let (u2, e2) = unit(at: k, in: s), u2.base == unitName { v2 *= u2.factor; k = e2 }
            if v2 > value { valueMax = v2; j = k }
        }
        // 69.25元/亩: a rate written with a slash and its denominator unit.
        if j + 1 < s.count, s[j] == "/", CharClass.isHan(s[j + 1]) {
            var k = j + 1
            while k < s.count, k - j <= 3, CharClass.isHan(s[k]), !"的，。；、".unicodeScalars.contains(s[k]) { k += 1 }
            let denominator = s.string((j + 1)..<k)
            if lexicon.units.contains(where: { $0.written == denominator }) || ["年", "月", "日", "天", "亩", "人", "户", "吨"].contains(denominator) {
                unitName += "/" + denominator; j = k
            }
        }
        // After the unit: 以上 / 以下 / 左右. 以上 before a noun is a category bound in a label.
        for a in after where s.matches(a.word, at: j) {
            let k = j + a.word.count
            if (a.q == "at_least" || a.q == "less_than"), k < s.count, CharClass.isHan(s[k]) { return nil }
            qualifier = a.q
            j = k
            break
        }
        // Before the number: 约, 超, 近, 突破 … unless the character belongs to another word (签约).
        var labelEnd = i
        for b in before where s.endsWith(b.word, at: i) {
            let start = i - b.word.count
            if traps.contains(where: { t in (0..<t.count).contains { off in s.matches(t, at: start - off) && start - off + t.count >= i } }) { break }
            if qualifier == "exact" { qualifier = b.q }
            labelEnd = start
            break
        }
        // A rate: 每人每年90元 → 元/人/年.
        var k = labelEnd
        while k > 0, s[k - 1] == "按" || s[k - 1] == "为" { k -= 1 }
        // The 每X每Y phrase may stand a few words before the number (每户每月补贴200元).
        var denominators: [String] = []
        var r = labelEnd
        var look = labelEnd
        while look > 0, labelEnd - look < 8, !["，", "。", "；", "、"].contains(s[look - 1]) {
            if look >= 2, s[look - 2] == "每", CharClass.isHan(s[look - 1]) { r = look; break }
            look -= 1
        }
        while r >= 2, s[r - 2] == "每", CharClass.isHan(s[r - 1]) {
            denominators.insert(String(s[r - 1]), at: 0); r -= 2
        }
        if !denominators.isEmpty {
            unitName += "/" + denominators.joined(separator: "/")
            // 筹资标准为每人每年90元: the rate phrase belongs to the unit, not to the label.
            labelEnd = min(labelEnd, r)
        }
        return Quantity(value: value, valueMax: valueMax, unit: unitName, qualifier: qualifier, start: i, end: j, labelEnd: labelEnd)
    }
}
