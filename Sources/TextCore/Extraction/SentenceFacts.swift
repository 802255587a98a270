/// What one pass over a sentence finds before any rule runs: where each clause starts, its dates,
/// its places and the projects it names. Every rule reads these instead of rescanning the
/// sentence, so the cost per figure does not grow with the sentence.
struct SentenceFacts {
    /// For every position, the start of its clause (after the last ，；：).
    let clauseStart: [Int]
    let firstClauseEnd: Int?
    let dates: [DateFinder.Found]
    let mentions: [Regions.Mention]
    let projects: [(name: String, start: Int, end: Int)]
    private let announcementClauses: Set<Int>
    private let anaphoraEnds: [Int]

    static let projectSuffixes = WordMatcher(["项目", "工程", "产业园", "园区", "基地", "通道", "大桥", "码头", "机场", "中心"])
    static let projectStops: ScalarSet = ["，", "的", "在", "是", "了", "和", "与", "及", "该", "、", "“", "”", "：", "；", "为", "个", "项", "将", "已"]

    /// Dates a comparison word stands just before (比上年, 较一季度, 已超2020年全年).
    private let compared: Set<Int>
    private let sentenceScalars: [Unicode.Scalar]
    private var scalarsOpen: ArraySlice<Unicode.Scalar> { sentenceScalars.prefix(4) }

    init(_ sentence: Sentence, dates finder: DateFinder, regions: Regions, comparison: WordMatcher, lastYear: inout Int?) {
        let s = sentence.scalars
        sentenceScalars = s
        var starts = [Int](repeating: 0, count: s.count + 1)
        var current = 0
        var first: Int? = nil
        var announce = Set<Int>()
        for i in 0..<s.count {
            starts[i] = current
            if IndicatorRules.clauseBreaks.contains(s[i]) { if first == nil { first = i }; current = i + 1 }
            if IndicatorRules.announcement.match(s, at: i) != nil { announce.insert(starts[i]) }
        }
        starts[s.count] = current
        clauseStart = starts
        firstClauseEnd = first
        announcementClauses = announce
        dates = finder.find(in: s, lastYear: &lastYear)
        compared = Set(dates.filter { comparison.endsBefore(s, $0.start, within: 3) }.map(\.start))
        mentions = regions.mentions(in: s)
        anaphoraEnds = mentions.filter(\.isAnaphora).map(\.end)
        projects = Self.projectNames(in: s)
    }

    /// A relative day (昨日) or any date in a clause that reports news (记者从海关获悉).
    /// (A day-precise date announces when any clause of the sentence reports: 昨日，记者…获悉.)
    func isAnnouncement(_ d: DateFinder.Found) -> Bool {
        guard d.start < clauseStart.count else { return false }
        return announcementClauses.contains(clauseStart[d.start]) || d.value.count == 10 && !announcementClauses.isEmpty
    }

    func isCompared(_ d: DateFinder.Found) -> Bool { compared.contains(d.start) }

    /// Whether `i` opens its clause, dates and spaces before it aside (4月8日，定边县…; 2022年，凤县…).
    func opensClause(_ i: Int) -> Bool {
        guard i < clauseStart.count else { return false }
        var k = clauseStart[i]
        while k < i {
            if let d = dates.first(where: { $0.start == k }) { k = d.end; continue }
            if sentenceScalars[k] == " " { k += 1; continue }
            return false
        }
        return true
    }

    /// The sentence opens with 其中: a part of what the text just reported.
    var opensWithPart: Bool { scalarsOpen.starts(with: "其中".unicodeScalars) }

    /// Dates listed together for 分别 to spread: those of the figure's clause, or else the last
    /// run of dates joined only by 、/和 earlier in the sentence (2021年一季度、上半年，…增速分别…).
    func listedDates(before end: Int, from clause: Int) -> [DateFinder.Found] {
        let own = dates.filter { $0.start >= clause && $0.end <= end }
        if own.count > 1 { return own }
        var run: [DateFinder.Found] = []
        for d in dates where d.end <= clause {
            if let last = run.last, d.start - last.end <= 1, d.start == last.end || "、和".unicodeScalars.contains(sentenceScalars[last.end]) {
                run.append(d)
            } else { run = [d] }
        }
        return run.count > 1 ? run : own
    }

    /// The period this sentence establishes for the text after it: its last date that is neither
    /// compared with nor the day news came out.
    var establishedPeriod: DateFinder.Found? { dates.last { !isCompared($0) && !isAnnouncement($0) } }

    func pointsBack(before: Int) -> Bool { anaphoraEnds.contains { $0 <= before } }

    /// The last project named before `before` in this sentence.
    func project(before: Int) -> String? { projects.last(where: { $0.end <= before })?.name }

    /// The words of `s[from..<to]` without dates, places, home words and back-references: what
    /// may name a measure. (Sentences are capped in length, so these scans are bounded.)
    func labelWords(_ s: [Unicode.Scalar], from: Int, to: Int) -> [Unicode.Scalar] {
        guard from < to else { return [] }
        var keep = [Bool](repeating: true, count: to - from)
        for d in dates where d.end > from && d.start < to { for k in max(d.start, from)..<min(d.end, to) { keep[k - from] = false } }
        for m in mentions where m.end > from && m.start < to { for k in max(m.start, from)..<min(m.end, to) { keep[k - from] = false } }
        var out: [Unicode.Scalar] = []
        for k in from..<to where keep[k - from] { out.append(s[k]) }
        return out
    }

    /// 岱山双峰新城体育中心项目: a run of hanzi ending in a project word.
    static func projectNames(in s: [Unicode.Scalar]) -> [(name: String, start: Int, end: Int)] {
        var out: [(name: String, start: Int, end: Int)] = []
        var i = 0
        while i < s.count {
            guard let end = projectSuffixes.match(s, at: i) else { i += 1; continue }
            var start = i
            while start > 0, CharClass.isHan(s[start - 1]) || CharClass.isASCIIAlnum(s[start - 1]), i - start < 16,
                  !projectStops.contains(s[start - 1]) { start -= 1 }
            if i - start >= 2 { out.append((s.string(start..<end), start, end)) }
            i = end
        }
        return out
    }
}
