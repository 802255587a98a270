import Foundation

/// Milestones of one sentence: dated steps from the closed action list (GUIDE.md), in small steps
/// each with its own rule: date scope → event (a ceremony names its step) → action → subject →
/// 《document》 → planned. A date governs the verbs after it in its sentence (coordinated clauses
/// included) whether it opens the clause or follows the subject (市政府1月22日发布…).
struct MilestoneRules {
    let verbs: WordMatcher
    let actionOf: [String: String]
    let nominalTail: WordMatcher
    let ceremony: WordMatcher
    let gathering: WordMatcher
    let planned: WordMatcher
    let subjectTrailing: [String]
    let dictionary: WordDictionary

    init(lexicon: Lexicon) {
        verbs = WordMatcher(lexicon.actions.map(\.verb))
        var a: [String: String] = [:]
        for (v, action) in lexicon.actions where a[v] == nil { a[v] = action }
        actionOf = a
        nominalTail = WordMatcher(lexicon.words(.nominalTail))
        ceremony = WordMatcher(lexicon.words(.ceremony))
        gathering = WordMatcher(lexicon.words(.gathering))
        planned = WordMatcher(lexicon.words(.planned))
        subjectTrailing = lexicon.words(.subjectTrailing)
        dictionary = lexicon.dictionary
    }

    static let clauseEnds: ScalarSet = ["，", "。", "；", "！", "？", "："]
    static let timeOfDay: [[Unicode.Scalar]] = ["上午", "下午", "晚上", "中午", "凌晨", "起", "晚", "，", " ", "当天"].map(\.scalars)
    static let prepositions: ScalarSet = ["在", "从", "于", "由"]

    func extract(_ sentence: Sentence, facts: SentenceFacts, state: ArticleState) -> [Milestone] {
        let s = sentence.scalars
        let dates = facts.dates.filter { !$0.isRange && !Self.isNominal($0, s) }
        guard !dates.isEmpty else { return [] }
        var out: [Milestone] = []
        var dateCursor = -1
        var i = 0
        var consumedTo = 0
        while i < s.count {
            while dateCursor + 1 < dates.count, dates[dateCursor + 1].end <= i { dateCursor += 1 }
            guard i >= consumedTo, let verbEnd = verbs.match(s, at: i) else { i += 1; continue }
            var next = verbEnd
            defer { i = next }
            guard dateCursor >= 0 else { continue }
            let verb = s.string(i..<verbEnd)
            guard let action = actionOf[verb], isWordAt(s, i, verbEnd) else { continue }
            // 建成投用, 挂牌成立: two verbs of one step; the first names it.
            var e = verbEnd
            if let second = verbs.match(s, at: e) { e = second; next = second }
            // Step 1, scope: the nearest date before, unless a year-only date stands between a
            // more precise one and the verb (3月1日，2024年…签约仪式举行).
            var date = dates[dateCursor]
            if date.value.count == 4, let precise = dates[..<dateCursor].last(where: { $0.value.count > 4 }) { date = precise }
            // Nouns, not steps: 完成情况, 开工项目, 实施20周年.
            if nominalTail.match(s, at: e) != nil { continue }
            // (Only a number followed by 周年: 举行2022年…仪式 is a step.)
            if e < s.count, CharClass.isDigit(s[e]) || ChineseNumber.isChineseNumeral(s[e]),
               s.string(e..<min(s.count, e + 5)).contains("周年") { continue }
            // X启用暨Y揭牌仪式: part of a ceremony's name, read when the ceremony is.
            if e < s.count, s[e] == "暨" { continue }
            // 今年3月落户的X项目: an attributive verb right after its date names X's step.
            if e < s.count, s[e] == "的" {
                guard gapIsTimeOnly(s, from: date.end, to: i) else { continue }
                let subject = cutClause(s, from: e + 1)
                guard subject.count >= 2 else { continue }
                // 落户的X项目计划总投资约10亿元: when a figure follows, the project named is the subject.
                let named = subject.contains(where: { CharClass.isDigit(s[$0]) })
                    ? facts.projects.filter({ subject.contains($0.start) && $0.end <= subject.upperBound })
                        .max(by: { ($0.end, $1.start) < ($1.end, $0.start) })?.name : nil
                out.append(milestone(date, action, named ?? s.string(subject), nil, sentence, facts, state, verbAt: i))
                consumedTo = subject.upperBound
                continue
            }
            // Step 2, the object after the verb: a 《document》, a ceremony, or a phrase.
            var j = e
            while j < s.count, s[j] == "了" || s[j] == "于" { j += 1 }
            if j < s.count, s[j] == "《", let close = s.firstIndex(of: ["》"], from: j) {
                let title = s.string((j + 1)..<close)
                out.append(milestone(date, action, title, title, sentence, facts, state, verbAt: i))
                consumedTo = close
                continue
            }
            let object = cutClause(s, from: j)
            // 入驻事项1320项, 完成投资21.75亿元: a verb reporting a figure, not a step.
            // (A year in a title, 2020年度…的通知, is not a figure.)
            if object.contains(where: { CharClass.isDigit(s[$0]) && ($0 + 1 == s.count || !CharClass.isDigit(s[$0 + 1]) && !"年月日号".unicodeScalars.contains(s[$0 + 1])) })
                && !object.contains(where: { ceremony.match(s, at: $0) != nil || gathering.match(s, at: $0) != nil }) { continue }
            if let events = ceremonyEvents(s, object) {
                // 举行X集中开工仪式: the ceremony's own steps, not "held".
                for ev in events { out.append(milestone(date, ev.action, ev.subject, nil, sentence, facts, state, verbAt: i)) }
                consumedTo = object.upperBound
                continue
            }
            // 开放发展, 启动建设: a verb followed by one bare activity word is a compound, not a
            // step with a subject.
            if isBareActivity(s, object) { continue }
            // Verb at the clause's end (…推进会举行, …正式启用): the subject stands before it.
            var subject = s.string(object)
            let before = subjectBefore(s, from: date.end, to: i, clauseStart: facts.clauseStart[i])
            if subject.count < 2 || subject.unicodeScalars.allSatisfy({ CharClass.isCJKPunct($0) }) {
                if let events = ceremonyEvents(s, before.range), !before.range.isEmpty {
                    // X仪式举行 / X暨Y仪式举行: the event before the verb.
                    for ev in events { out.append(milestone(date, ev.action, ev.subject, nil, sentence, facts, state, verbAt: i)) }
                    continue
                }
                subject = before.text
            }
            // Nothing named around the verb (该码头预计…建成): the sentence's opening noun.
            if subject.count < 2 { subject = openingNoun(s, before: date.start) }
            if subject.count < 2, let project = state.projects.last ?? facts.projects.last?.name { subject = project }
            guard subject.count >= 2 else { continue }
            out.append(milestone(date, action, String(subject.prefix(60)), nil, sentence, facts, state, verbAt: i))
        }
        return out
    }

    /// 该码头预计2026年…: the words before the date, without pointers and planning words.
    func openingNoun(_ s: [Unicode.Scalar], before: Int) -> String {
        guard before >= 2 else { return "" }
        var tokens = dictionary.segment(Array(s[0..<before]))
        while let t = tokens.first, t.tag == "r" || t.is("该") || t.is("这一") || t.is("此") { tokens.removeFirst() }
        while let t = tokens.last, planned.isWord(Array(t.scalars)) || t.tag == "p" || t.tag == "d" { tokens.removeLast() }
        guard let first = tokens.first, let last = tokens.last, !tokens.contains(where: { $0.is("，") }) else { return "" }
        // 新建成的政务服务中心: the noun after the last 的.
        let start = tokens.last(where: { $0.is("的") }).map { $0.end } ?? first.start
        return start < last.end ? s.string(start..<last.end) : ""
    }

    /// A year alone directly before a name (2024年株洲市一季度…仪式, 2020年度失业保险…) is part of
    /// that name, not a step's date.
    static func isNominal(_ d: DateFinder.Found, _ s: [Unicode.Scalar]) -> Bool {
        guard d.value.count == 4, d.end < s.count else { return false }
        let next = s[d.end]
        return CharClass.isHan(next) && !"起底初以内前后至末，".unicodeScalars.contains(next) || next == "度"
    }

    /// Whether the verb stands as a word in the dictionary's segmentation of its neighbourhood
    /// (批复 in 第一批复工复产 does not).
    func isWordAt(_ s: [Unicode.Scalar], _ i: Int, _ e: Int) -> Bool {
        let lo = max(0, i - 3), hi = min(s.count, e + 3)
        let tokens = dictionary.segment(Array(s[lo..<hi]))
        let starts = Set(tokens.map(\.start)), ends = Set(tokens.map(\.end))
        return starts.contains(i - lo) && ends.contains(e - lo)
    }

    /// Whether a phrase is a single dictionary word tagged as a verb (发展, 建设, 合作): an
    /// activity, which names nothing that could be launched or completed.
    func isBareActivity(_ s: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        guard (2...4).contains(range.count) else { return false }   // no longer word is an activity
        let tokens = dictionary.segment(Array(s[range]))
        return tokens.count == 1 && (tokens[0].tag == "v" || tokens[0].tag == "vn")
    }

    func gapIsTimeOnly(_ s: [Unicode.Scalar], from: Int, to: Int) -> Bool {
        var k = from
        outer: while k < to {
            for w in Self.timeOfDay where s.matches(w, at: k) { k += w.count; continue outer }
            return false
        }
        return true
    }

    /// From `from` to the end of the clause.
    func cutClause(_ s: [Unicode.Scalar], from: Int) -> Range<Int> {
        var k = from
        while k < s.count, !Self.clauseEnds.contains(s[k]) { k += 1 }
        return from..<k
    }

    /// The subject between a date and a verb at the clause's end: without time-of-day words, a
    /// place introduced by 在/从, adverbs before the verb, and what stands before its last 的.
    func subjectBefore(_ s: [Unicode.Scalar], from: Int, to: Int, clauseStart: Int) -> (text: String, range: Range<Int>) {
        var a = max(from, clauseStart)
        outer: while a < to {
            for w in Self.timeOfDay where s.matches(w, at: a) { a += w.count; continue outer }
            break
        }
        var b = to
        var changed = true
        while changed {
            changed = false
            for w in subjectTrailing where b - a >= w.unicodeScalars.count && s.endsWith(w.scalars, at: b) { b -= w.unicodeScalars.count; changed = true }
        }
        // …在新城举行, …从起降场起飞: the place is where, not what.
        // (A preposition only as a word of its own: 由 in 自由贸易试验区 is not one.)
        if a < b {
            let tokens = dictionary.segment(Array(s[a..<b]))
            if let p = tokens.last(where: { $0.end - $0.start == 1 && Self.prepositions.contains(s[a + $0.start]) }), p.start >= 2 { b = a + p.start }
        }
        var text = s.string(a..<b)
        if let de = text.lastIndex(of: "的"), text.distance(from: de, to: text.endIndex) > 3 { text = String(text[text.index(after: de)...]) }
        return (text, a..<b)
    }

    /// A ceremony or gathering named in `range`: X集中开工仪式 → (started, X集中开工); X暨Y仪式
    /// → one event per part; X大会 → (held, X大会). Nil when the range names none.
    func ceremonyEvents(_ s: [Unicode.Scalar], _ range: Range<Int>) -> [(action: String, subject: String)]? {
        guard !range.isEmpty else { return nil }
        // The ceremony word closest to the end of the range.
        var k = range.upperBound - 1
        while k >= range.lowerBound {
            if let e = ceremony.match(s, at: k), e <= range.upperBound {
                let name = Array(s[range.lowerBound..<k])
                var events: [(String, String)] = []
                for part in Self.split(name, on: "暨") {
                    let steps = stepsIn(part)
                    let text = String(scalars: part)
                    if steps.count == 1, let step = steps.first { events.append((step, trimmedEvent(text))) }
                    else if !text.isEmpty { events.append(("held", text + s.string(k..<e))) }
                }
                return events.isEmpty ? nil : events
            }
            if let e = gathering.match(s, at: k), e <= range.upperBound, e == range.upperBound || !CharClass.isHan(s[e]) {
                let text = s.string(range.lowerBound..<e)
                return [("held", text)]
            }
            k -= 1
        }
        return nil
    }

    /// The distinct actions of the verbs inside a ceremony's name.
    func stepsIn(_ part: [Unicode.Scalar]) -> Set<String> {
        var out = Set<String>()
        var i = 0
        while i < part.count {
            if let e = verbs.match(part, at: i), let a = actionOf[part.string(i..<e)] { out.insert(a); i = e } else { i += 1 }
        }
        out.remove("held")
        return out
    }

    /// 龙港市政务客厅正式启用 → 龙港市政务客厅 正式启用 stays readable; only adverbs at its end go.
    func trimmedEvent(_ t: String) -> String {
        var t = t
        for w in subjectTrailing where t.endsWith(w) && t.count > w.count + 1 { t = String(t.dropLast(w.count)) }
        return t
    }

    static func split(_ s: [Unicode.Scalar], on sep: Unicode.Scalar) -> [[Unicode.Scalar]] {
        var parts: [[Unicode.Scalar]] = [[]]
        for c in s { if c == sep { parts.append([]) } else { parts[parts.count - 1].append(c) } }
        return parts.filter { !$0.isEmpty }
    }

    private func milestone(_ date: DateFinder.Found, _ action: String, _ subject: String, _ document: String?, _ sentence: Sentence,
                           _ facts: SentenceFacts, _ state: ArticleState, verbAt: Int) -> Milestone {
        let s = sentence.scalars
        // Planned: wording between the date's clause and the verb, or a date still ahead.
        let from = facts.clauseStart[min(date.start, s.count)]
        let plannedWording = planned.contains(s, in: from..<verbAt)
        // Region: the most specific place of the clause, else the place carried forward.
        var region: String? = nil
        var level = Gazetteer.Level.province
        for m in facts.mentions where m.start >= from && m.start < min(s.count, verbAt + 40) && !m.isAnaphora
            && (!m.elsewhere || facts.opensClause(m.start)) {
            if let p = m.place, region == nil || m.level > level { region = p; level = m.level }
        }
        return Milestone(date: date.value, action: action, subject: subject.trimmingCharacters(in: .whitespaces), document: document,
                         region: region ?? state.place ?? state.home, planned: plannedWording || state.isFuture(date.value),
                         evidence: sentence.text, start: sentence.start, end: sentence.start + s.count)
    }
}
