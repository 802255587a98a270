/// Indicators of one sentence: each quantity, its metric label from the clause around it, subject,
/// region, period and kind.
struct IndicatorRules {
    let lexicon: Lexicon
    let scanner: QuantityScanner
    let targetCues: [[Unicode.Scalar]]
    let changeCues: [[Unicode.Scalar]]

    init(lexicon: Lexicon) {
        self.lexicon = lexicon
        scanner = QuantityScanner(lexicon: lexicon)
        targetCues = lexicon.targetCues.map(\.scalars)
        changeCues = lexicon.changeCues.map(\.scalars)
    }

    static let clauseBreaks: Set<Unicode.Scalar> = ["，", "；", "：", "。", "！", "？", "（", "）", "、"]
    static let leadingFillers: [String] = ["其中", "目前", "截至", "全市", "我市", "本市", "今年", "去年", "累计", "共计", "共有",
                                           "已", "共", "据了解", "同时", "此外", "另外", "以来"]
    static let trailingVerbs: [String] = ["达到", "达", "为", "是", "有", "共", "约", "超过", "超", "近", "突破", "逾", "累计", "共计"]
    /// Finds where a leading date ends in a label. Any publication date serves: only the date's
    /// extent is used, never its value; built once, not per figure.
    static let labelDates = DateFinder(published: "2000-01-01")
    static let postStops: Set<Unicode.Scalar> = ["，", "；", "。", "、", "：", "与", "和", "（", "！", "？"]

    func extract(sentence index: Int, context: ArticleContext) -> [Indicator] {
        let sentence = context.sentences[index]
        let s = sentence.scalars
        let quantities = scanner.scan(s)
        guard !quantities.isEmpty else { return [] }
        let dates = context.sentenceDates[index]
        var out: [Indicator] = []
        var spread: (items: [String], next: Int, clause: String)? = nil
        for (n, q) in quantities.enumerated() {
            // The clause before the figure, back to the previous figure or a clause break.
            var start = q.labelEnd
            let floor = n > 0 ? quantities[n - 1].end : 0
            while start > floor, !(Self.clauseBreaks.contains(s[start - 1]) && s[start - 1] != "、") { start -= 1 }
            var pre = s.string(start..<q.labelEnd)
            var clause = pre
            // “分别”: the metrics listed before it take the figures in order (新落地数、新开工数分别增长55%、63%).
            if let range = pre.range(of: "分别") {
                let items = String(pre[..<range.lowerBound]).split(whereSeparator: { $0 == "、" || $0 == "和" || $0 == "及" })
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                if items.count > 1 { spread = (items, 0, pre) }
            }
            if var sp = spread, sp.next < sp.items.count,
               pre.contains("分别") || pre.trimmingCharacters(in: CharacterSet(charactersIn: "、 ")).isEmpty {
                pre = sp.items[sp.next]; clause = sp.clause; sp.next += 1; spread = sp
            }
            let post = postNoun(s, from: q.end, quantities: quantities, n: n)
            var metric = clean(pre) + post
            if metric.isEmpty { continue }
            metric = String(metric.prefix(40))
            // Kind: a change when a change verb leads to the figure; a target when a goal word does.
            let lead = s.string(0..<q.start)
            var kind = "actual"
            if q.unit == "%", changeCues.contains(where: { lead.scalars.firstIndex(of: $0) != nil && clause.contains(String(String.UnicodeScalarView($0))) }) {
                kind = "change"
            } else if targetCues.contains(where: { lead.scalars.firstIndex(of: $0) != nil }) {
                kind = "target"
            }
            // Period: the sentence's date that comes before the figure (a target year is its year).
            var period = dates.last(where: { $0.start < q.start })?.value ?? dates.first?.value
            if kind == "target", let p = period { period = String(p.prefix(4)) }
            let subject = subjectOf(s, before: q.start, context: context)
            out.append(Indicator(metric: metric, subject: subject, region: context.sentenceRegions[index],
                                 value: q.value, valueMax: q.valueMax, unit: q.unit, qualifier: q.qualifier, kind: kind,
                                 period: period, evidence: sentence.text,
                                 start: sentence.start, end: sentence.start + s.count))
        }
        return out
    }

    /// The noun the figure counts when it comes after it: 66名党员干部, 6类41项服务清单, 26项新举措.
    private func postNoun(_ s: [Unicode.Scalar], from: Int, quantities: [QuantityScanner.Quantity], n: Int) -> String {
        var i = from
        // Skip figures that share the noun (6类41项服务清单).
        for next in quantities[(n + 1)...] where next.start == i { i = next.end }
        var j = i
        while j < s.count, j - i < 14, !Self.postStops.contains(s[j]), !CharClass.isDigit(s[j]) { j += 1 }
        let text = s.string(i..<j)
        return text.hasPrefix("以上") || text.hasPrefix("以下") || text.hasPrefix("左右") ? "" : text
    }

    private func clean(_ label: String) -> String {
        var l = label.trimmingCharacters(in: .whitespaces)
        var changed = true
        while changed {
            changed = false
            // Dates at the front (截至今年3月, 去年1~11月) are the period, not the metric.
            let scal = l.scalars
            var lastYear: Int? = nil
            if let d = Self.labelDates.find(in: scal, lastYear: &lastYear).first, d.start <= 2 {
                l = scal.string(d.end..<scal.count); changed = true
            }
            for f in Self.leadingFillers where l.hasPrefix(f) { l = String(l.dropFirst(f.count)); changed = true }
            for v in Self.trailingVerbs where l.hasSuffix(v) && l.count > v.count && !lexicon.qualifierTraps.contains(where: { l.hasSuffix($0) }) {
                l = String(l.dropLast(v.count)); changed = true
            }
            while let first = l.unicodeScalars.first, first == "，" || first == "的" || first == " " { l = String(l.unicodeScalars.dropFirst()); changed = true }
        }
        return l
    }

    /// The organisation or project the sentence is about: a city body at its start (市民政局), a
    /// project it names, or the project 该项目 points back to.
    private func subjectOf(_ s: [Unicode.Scalar], before: Int, context: ArticleContext) -> String? {
        let head = s.string(0..<before)
        if head.contains("该项目") || head.contains("该产业园") || head.hasPrefix("其中") { return context.projects.last }
        let names = ArticleContext.projectNames(in: Array(s[0..<before]))
        if let last = names.last { return last }
        // 市民政局领导班子… : the body named first.
        let scal = head.scalars
        if let i = scal.firstIndex(of: "市".scalars), i <= 2 {
            var j = i + 1
            while j < scal.count, j - i <= 8, CharClass.isHan(scal[j]) {
                if ["局", "委", "办", "部", "院"].contains(scal[j]) { return scal.string(i..<(j + 1)) }
                j += 1
            }
        }
        return nil
    }
}

import Foundation
