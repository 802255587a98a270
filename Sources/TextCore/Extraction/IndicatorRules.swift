/// Indicators of one sentence, in one left-to-right pass over its figures. For each figure: the
/// words of its own clause name the measure (or, when they only say how it changed, the measure
/// carried from the figure before); its period is a date of its own clause, else the sentence's,
/// else the statistical period of the paragraph or article; its region is a place of its own
/// clause, else one named before it in the sentence, else the place carried from earlier text.
struct IndicatorRules {
    let scanner: QuantityScanner
    let label: MetricLabel
    let vocabulary: StatisticsVocabulary
    let change: WordMatcher
    let target: WordMatcher
    let targetSentence: WordMatcher
    let attributes: WordDictionary.WordSet
    let countUnits: WordDictionary.WordSet
    let conversion: WordMatcher
    let soFar: WordMatcher

    init(lexicon: Lexicon) {
        scanner = QuantityScanner(lexicon: lexicon)
        label = MetricLabel(lexicon: lexicon)
        vocabulary = lexicon.vocabulary
        change = WordMatcher(lexicon.words(.change))
        target = WordMatcher(lexicon.words(.target))
        targetSentence = WordMatcher(lexicon.words(.targetSentence))
        attributes = .init(lexicon.words(.attribute))
        countUnits = .init(lexicon.words(.countUnit))
        conversion = WordMatcher(lexicon.words(.conversion))
        soFar = WordMatcher(lexicon.words(.soFar))
    }

    static let clauseBreaks: ScalarSet = ["，", "；", "：", "。", "！", "？"]
    static let changeUnits = WordDictionary.WordSet(["%", "个百分点", "倍", "百分点"])
    static let accountUnits = WordDictionary.WordSet(["元", "%", "个百分点", "百分点", "倍", "美元"])
    /// Reporting words that make a dated clause an announcement (昨日，记者从海关获悉): its date is
    /// when the news came out, not the period of the statistics.
    static let announcement = WordMatcher(["获悉", "了解到", "获知", "发布会", "通报", "公布"])

    func extract(_ sentence: Sentence, facts: SentenceFacts, state: inout ArticleState) -> [Indicator] {
        let s = sentence.scalars
        let quantities = scanner.scan(s)
        guard !quantities.isEmpty else { return [] }
        let evidence = sentence.text
        var out: [Indicator] = []
        var lastMeasure: String? = nil
        var countedNoun: String? = nil
        var spread: (labels: [String], next: Int, kind: String)? = nil
        var periodSpread: (periods: [String], next: Int, kind: String)? = nil
        var spreadMeasure: String? = nil
        var dateCursor = 0, mentionCursor = 0
        var sentencePeriod: String? = nil
        var sentenceRegion: String? = nil
        // Whether the sentence's last dated figure was a plan for this year (今年…, not yet past).
        var thisYearPlan = false
        // Where the last figure's following noun ended (47家500人以上企业): the next figure's
        // words start after it.
        var nounEnd = 0
        let sentenceTarget = facts.firstClauseEnd.map { targetSentence.contains(s, in: 0..<$0) } ?? false
        for (n, q) in quantities.enumerated() {
            let clauseStart = facts.clauseStart[q.start]
            // The figure's own words end where its qualifier or rate phrase begins; they start after
            // the clause break, the previous figure and the noun it took, and never after they end
            // (a rate phrase may reach back over the previous figure: 10%至30%, 每人每年…).
            let labelEnd = max(q.labelEnd, clauseStart)
            let preStart = min(max(n > 0 ? max(clauseStart, quantities[n - 1].end) : clauseStart, min(nounEnd, labelEnd)), labelEnd)
            // Dates before this figure: those of earlier clauses set the sentence's period; those of
            // its own clause are its own (a comparison date only for this figure).
            // (提升到11%: a level reached, not a change.)
            let isChange = Self.changeUnits.contains(q.unit) && change.contains(s, in: preStart..<labelEnd)
                && !(labelEnd > 0 && (s[labelEnd - 1] == "到" || s[labelEnd - 1] == "至"))
            var ownPeriod: String? = nil
            while dateCursor < facts.dates.count, facts.dates[dateCursor].start < q.start {
                let d = facts.dates[dateCursor]
                defer { dateCursor += 1 }
                if facts.isAnnouncement(d) { continue }
                // A compared date (已超2020年全年的…) is its own figure's period, unless the figure is
                // the change against it (同比去年增长7.3%); it never holds for later clauses.
                if facts.isCompared(d) {
                    // (较一季度的-7%: the figure is the compared period's own value.)
                    let valueOfIt = s.string(d.end..<labelEnd) == "的"
                    if d.start >= preStart && (!isChange || valueOfIt) { ownPeriod = d.value }
                    continue
                }
                if d.start >= preStart { ownPeriod = d.value }
                sentencePeriod = d.value
            }
            // Places before this figure, likewise.
            var ownRegion: String? = nil
            while mentionCursor < facts.mentions.count, facts.mentions[mentionCursor].start < q.start {
                let m = facts.mentions[mentionCursor]
                let place = m.isAnaphora ? state.place : m.place
                // A place elsewhere counts only as the subject opening its clause (赴上海 does not).
                if m.elsewhere && !facts.opensClause(m.start) { mentionCursor += 1; continue }
                if m.start >= clauseStart { if let place, ownRegion == nil || !m.isHome { ownRegion = place } }
                else if let place { sentenceRegion = place }
                if !m.isAnaphora, let p = m.place { state.place = p }
                mentionCursor += 1
            }
            // The words of the figure's own clause, without dates and places.
            let raw = facts.labelWords(s, from: preStart, to: labelEnd)
            var kind = isChange ? "change" : "actual"
            if !isChange, sentenceTarget || target.containsWord(s, in: clauseStart..<labelEnd, dictionary: label.dictionary) { kind = "target" }

            // 分别: the items listed before it take the figures in order.
            var metric: String
            if let sp = spread, sp.next < sp.labels.count, raw.allSatisfy({ $0 == "、" || $0 == "和" || $0 == " " }) {
                metric = sp.labels[sp.next]; spread?.next += 1; kind = sp.kind
            } else if let at = raw.firstIndex(of: "分别".scalars) {
                let items = Self.listItems(Array(raw[..<at]))
                let clauseDates = facts.listedDates(before: q.start, from: preStart)
                if clauseDates.count > 1, items.count <= clauseDates.count {
                    // 一季度、上半年分别增长…: the periods are spread, the measure carries.
                    periodSpread = (clauseDates.map(\.value), 1, kind); ownPeriod = clauseDates[0].value
                    let words = removeChangeWords(Array(raw[..<at]) + Array(raw[(at + 2)...]))
                    metric = label.clean(words.filter { $0 != "、" })
                } else if items.count > 1 {
                    var labels = Self.sharingModifier(items.map { label.clean(removeChangeWords($0)) })
                    // 进口原油、机电产品: the trade verb of the first item applies to all.
                    if let verb = label.objectFirstVerbs.first(where: { v in labels[0].endsWith(v) }) {
                        labels = labels.map { $0.endsWith(verb) ? $0 : $0 + verb }
                    }
                    spread = (labels, 1, kind)
                    metric = labels[0]
                } else {
                    metric = label.clean(removeChangeWords(Array(raw[..<at])))
                }
            } else {
                metric = label.clean(isChange ? removeChangeWords(raw) : raw, rate: q.unit == "%")
            }
            if let ps = periodSpread, ps.next < ps.periods.count, raw.allSatisfy({ $0 == "、" || $0 == "和" || $0 == " " }) {
                ownPeriod = ps.periods[ps.next]; periodSpread?.next += 1; kind = ps.kind
                if metric.isEmpty { metric = spreadMeasure ?? lastMeasure ?? "" }
            }
            // 按年平均汇率折算为11449美元: the same measure in another unit.
            let converted = conversion.contains(s, in: preStart..<labelEnd)
            if converted, let m = lastMeasure { metric = m }
            // 以21.6%的进出口额增幅领跑: what the figure measures follows it, after 的.
            // (Also after a bare verb: 享受10%至30%的补充性保障; and 按90元的省平均水平确定筹资标准
            // measures what is determined by it, 筹资标准.)
            if metric.isEmpty || label.dictionary.tag(of: metric) == "v", q.end < s.count, s[q.end] == "的" {
                let after = label.nounAfter(s, from: q.end + 1)
                let words = Array(after.noun.unicodeScalars)
                if change.contains(words, in: 0..<words.count) { kind = "change"; metric = label.clean(removeChangeWords(words)) }
                else if let object = label.objectAfterVerb(s, from: after.end) { metric = object }
                else if !words.isEmpty { metric = after.noun }
            }
            // A change, a share or an attribute of what came before names that measure.
            if kind == "change" && metric.isEmpty { metric = lastMeasure ?? "" }
            if metric.startsWith("占"), let m = lastMeasure { metric = m + metric }
            if attributes.contains(metric), let noun = countedNoun, !attributes.contains(noun) {
                // (总投资额 after its counted thing reads 集中签约项目总投资.)
                metric = noun + (metric.endsWith("总投资额") ? String(metric.dropLast()) : metric)
            }
            // A count's noun may follow the figure (47家500人以上企业).
            // When it does, it is the counted thing; a short verb before it stays (集中签约11个项目).
            // An amount opening its clause takes it too (7528.05万元稳岗返还资金已发放到位).
            if !Self.accountUnits.contains(q.unit) || metric.isEmpty {
                // (6类41项服务清单: figures sharing the noun skip to it.)
                var from = q.end
                for next in quantities[(n + 1)...] where next.start == from { from = next.end }
                let after = label.nounAfter(s, from: from)
                nounEnd = after.end
                if after.noun.unicodeScalars.count >= 2, !metric.endsWith(after.noun) {
                    metric = metric.unicodeScalars.count <= 4 && !isChange ? metric + after.noun : after.noun
                    // 5个项目已入驻 → 入驻项目: what the clause says of the counted thing.
                    if !Self.accountUnits.contains(q.unit), let predicate = label.predicateAfter(s, from: after.end), !metric.startsWith(predicate.text) {
                        metric = predicate.text + after.noun
                        nounEnd = predicate.end
                    }
                }
            }
            // The measure may be named in an earlier clause without a figure of its own
            // (全市固定资产投资平稳增长，…，增幅达到了9.2%).
            // Else, for a change, the measure the paragraph last named (增速分别为10.5%、9.1%).
            if metric.isEmpty, lastMeasure == nil {
                var end = clauseStart
                while metric.isEmpty, end > 0 {
                    let previous = facts.clauseStart[end - 1]
                    let named = label.clean(removeChangeWords(facts.labelWords(s, from: previous, to: end - 1)))
                    if vocabulary.canonical(named) != nil || !isChange && end == clauseStart { metric = named }
                    end = previous
                }
            }
            if metric.isEmpty { metric = lastMeasure ?? (isChange ? state.paragraphMeasure : nil) ?? "" }
            guard !metric.isEmpty else { continue }
            if periodSpread?.next == 1 { spreadMeasure = metric }
            if kind != "change" && !converted { lastMeasure = metric }
            state.paragraphMeasure = lastMeasure ?? state.paragraphMeasure
            if !Self.accountUnits.contains(q.unit), !isChange { countedNoun = metric.endsWith("数") ? String(metric.dropLast()) : metric }

            // 其中… is part of what the sentence before reported, for the same period.
            var period = ownPeriod ?? sentencePeriod ?? (facts.opensWithPart ? state.lastFigurePeriod : nil) ?? state.period
            state.noteFigurePeriod(period, paragraph: sentence.paragraph)
            // 今年落地…80个以上, published before the year is out: a plan for this year, unless the
            // clause reports what is done so far (今年以来, 截至, 已, 累计).
            // The plan goes on through the sentence's later figures that name no date of their own
            // (今年落地…80个以上，10亿元以上产业项目12个以上).
            if kind == "actual" {
                if let d = facts.dates.last(where: { $0.start >= preStart && $0.end <= q.start && !facts.isCompared($0) }) {
                    thisYearPlan = s.string(d.start..<d.end) == "今年" && !state.isPast(d.value)
                }
                if thisYearPlan, !soFar.contains(s, in: clauseStart..<labelEnd) { kind = "target" }
            } else if ownPeriod != nil { thisYearPlan = false }
            // A goal is for a time still ahead: an estimate of a period already past is a figure.
            if kind == "target", let p = period, state.isPast(p) { kind = "actual" }
            if kind == "target", let p = period { period = String(p.prefix(4)) }
            let region = ownRegion ?? sentenceRegion ?? state.place ?? state.home
            let measure = vocabulary.canonical(metric)
            out.append(Indicator(metric: presented(metric, kind: kind, unit: q.unit),
                                 metricKey: measure?.canonical ?? StatisticsVocabulary.normalize(metric),
                                 inVocabulary: measure != nil,
                                 subject: facts.project(before: q.start) ?? state.lastProject(ifPointedAt: facts, before: q.start),
                                 region: region, value: q.value, valueMax: q.valueMax, unit: q.unit, qualifier: q.qualifier,
                                 kind: kind, period: period, evidence: evidence,
                                 start: sentence.start, end: sentence.start + s.count))
        }
        return out
    }

    /// Nouns that name people: a count of them is the noun plus 数 (网格员数, 工作人员数).
    // (Word sets hash scalars: a Set<String> hashes through Unicode normalisation, per figure.)
    static let lengthUnits = WordDictionary.WordSet(["公里", "千米", "米"])
    static let areaUnits = WordDictionary.WordSet(["平方米", "平方公里", "公顷", "亩"])
    /// A measure ending in one of these already names a count or a ratio (就业人数, 增长率).
    static let countedEndings = ScalarSet(string: "数率量额比值")
    static let personNouns = ["人", "员", "干部", "职工", "工人", "居民", "者", "师", "生", "农户", "村民", "代表", "专家", "人才"]

    /// The label as a table header names it (GUIDE.md): a count is the counted thing plus 数
    /// (次数, 人数 for visits and people), a change is its measure plus 增速. The measure itself,
    /// carried to later figures and keyed by the vocabulary, stays bare.
    func presented(_ measure: String, kind: String, unit: String) -> String {
        if kind == "change" {
            return ["增速", "增幅", "增长率", "降幅"].contains(where: { measure.endsWith($0) }) ? measure : measure + "增速"
        }
        // A length or an area names itself (测试道路 125公里 → 测试道路里程, 新增绿化 8万平方米 → 新增绿化面积).
        if Self.lengthUnits.contains(unit), !measure.endsWith("里程"), !measure.endsWith("长度") { return measure + (measure.endsWith("路") ? "里程" : "长度") }
        if Self.areaUnits.contains(unit), !measure.endsWith("面积") { return measure + "面积" }
        guard countUnits.contains(unit), let last = measure.unicodeScalars.last, !Self.countedEndings.contains(last) else { return measure }
        if measure.endsWith("人口") { return measure }
        switch unit {
        case "次": return measure + "次数"
        case "人", "名": return Self.personNouns.contains(where: { measure.endsWith($0) }) ? measure + "数" : measure + "人数"
        case "人次": return measure + "人次"
        case "类": return measure + "类别数"
        default: return measure + "数"
        }
    }

    /// 10亿元以上重大产业项目新落地数、新开工数: a later, shorter item shaped like the first's end
    /// (same first character) shares the first item's modifier.
    static func sharingModifier(_ labels: [String]) -> [String] {
        guard let first = labels.first else { return labels }
        return labels.enumerated().map { k, item in
            guard k > 0, first.count > item.count + 2, let head = item.first else { return item }
            let split = first.index(first.endIndex, offsetBy: -item.count)
            return first[split] == head ? String(first[..<split]) + item : item
        }
    }

    /// 新落地数、新开工数 → two items; 和/及 join the last two.
    static func listItems(_ s: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var items: [[Unicode.Scalar]] = [[]]
        for c in s {
            if c == "、" || c == "和" || c == "及" { items.append([]) } else { items[items.count - 1].append(c) }
        }
        return items.filter { !$0.isEmpty }
    }

    /// 同比增长 and the like, wherever they stand in the clause, as whole words of the
    /// segmentation (增加 in 增加值 stays).
    func removeChangeWords(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        let tokens = label.dictionary.segment(s)
        var k = 0
        while k < tokens.count {
            // A change word may span two tokens (名义 增长).
            if k + 1 < tokens.count, change.isWord(Array(s[tokens[k].start..<tokens[k + 1].end])) { k += 2; continue }
            if !change.isWord(Array(tokens[k].scalars)) { out += tokens[k].scalars }
            k += 1
        }
        return out
    }
}

extension WordMatcher {
    /// Whether a word of the list ends within `within` scalars before `at` (超2020年 → 超).
    func endsBefore(_ s: [Unicode.Scalar], _ at: Int, within: Int) -> Bool {
        var i = max(0, at - within - 2)
        while i < at {
            if let e = match(s, at: i), e <= at, e >= at - within { return true }
            i += 1
        }
        return false
    }

    /// Like `contains`, but a one-character cue counts only as a word of its own in the
    /// dictionary's segmentation (要 yes; 主要, 要求 no).
    func containsWord(_ s: [Unicode.Scalar], in range: Range<Int>, dictionary: WordDictionary) -> Bool {
        var i = range.lowerBound
        var tokens: [WordDictionary.Token] = []
        var segmented = false
        while i < range.upperBound {
            if let e = match(s, at: i), e <= range.upperBound {
                if e - i > 1 { return true }
                if !segmented { tokens = dictionary.segment(Array(s[range])); segmented = true }
                let local = i - range.lowerBound
                if tokens.contains(where: { $0.start == local && $0.end == local + 1 }) { return true }
            }
            i += 1
        }
        return false
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
