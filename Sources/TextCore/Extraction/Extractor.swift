/// The extract stage's core: an article's indicators and milestones, each with its evidence
/// sentence and offsets. Built from the grammar of numbers and dates and the lexicons in config/.
/// One pass over the sentences; what earlier text established (the place last named, the
/// statistical period of the paragraph, the projects named) is carried forward in `ArticleState`.
public struct Extractor: Sendable {
    let lexicon: Lexicon
    let indicators: IndicatorRules
    let milestones: MilestoneRules
    let comparison: WordMatcher
    let regions: Regions

    public init(lexicon: Lexicon) {
        self.lexicon = lexicon
        regions = Regions(lexicon: lexicon, home: nil)
        indicators = IndicatorRules(lexicon: lexicon)
        milestones = MilestoneRules(lexicon: lexicon)
        comparison = WordMatcher(lexicon.words(.comparison))
    }

    public func extract(_ article: ArticleText) -> Extracted {
        let regions = regions.resolving(home: article.homeRegion)
        let dates = DateFinder(published: article.published)
        var state = ArticleState(home: article.homeRegion, published: dates.published.map { ($0.y, $0.m) })
        var lastYear: Int? = nil
        // The headline's statistical period is the article's (宁波前三季度经济运行情况).
        if let headline = article.headline {
            let h = headline.scalars
            state.articlePeriod = dates.find(in: h, lastYear: &lastYear).first(where: \.statistical)?.value
            lastYear = nil
        }
        var out = Extracted()
        var seen = Set<String>()
        for sentence in Sentence.split(article.text) {
            let facts = SentenceFacts(sentence, dates: dates, regions: regions, comparison: comparison, lastYear: &lastYear)
            state.enter(paragraph: sentence.paragraph)
            if Self.isSectionHeading(sentence.scalars) { state.startSection() }
            let before = state
            out.indicators += indicators.extract(sentence, facts: facts, state: &state)
            // Milestones read the state as it was before this sentence's figures moved it.
            for m in milestones.extract(sentence, facts: facts, state: before) where seen.insert("\(m.date)|\(m.action)|\(m.subject)").inserted {
                out.milestones.append(m)
            }
            state.finish(sentence: facts)
        }
        return out
    }
}

extension Extractor {
    /// A line that is only a bracketed heading, 【…】 or [...] of up to 12 characters.
    static func isSectionHeading(_ s: [Unicode.Scalar]) -> Bool {
        let t = s.filter { !CharClass.isSpace($0) }
        guard t.count >= 3, t.count <= 14, let first = t.first, let last = t.last else { return false }
        return ((first == "【" && last == "】") || (first == "[" && last == "]"))
            && !t.dropFirst().dropLast().contains { $0 == "】" || $0 == "]" }
    }
}

/// What the text before a sentence established.
struct ArticleState {
    let home: String?
    /// The place the text last named (a place or 全市), for figures whose sentence names none.
    var place: String?
    /// The statistical period of the headline or lead, and of the current paragraph.
    var articlePeriod: String?
    var paragraphPeriod: String?
    var paragraph = -1
    var projects: [String] = []
    /// The period of the last figure, for a 其中 sentence that follows it.
    var lastFigurePeriod: String?
    /// The measure the paragraph last named, for a change that names none (增速分别为…).
    var paragraphMeasure: String?

    /// Year and month of publication: a goal whose period ended before it is a figure.
    let published: (y: Int, m: Int)?

    init(home: String?, published: (y: Int, m: Int)?) { self.home = home; self.published = published }

    /// Whether a date (YYYY, YYYY-MM, YYYY-MM-DD) lies after the publication month.
    func isFuture(_ date: String) -> Bool {
        guard let pub = published, let y = Int(date.prefix(4)) else { return false }
        if date.count == 4 { return y > pub.y }
        let m = Int(date.dropFirst(5).prefix(2)) ?? 1
        return (y, m) > (pub.y, pub.m)
    }

    /// Whether a period (YYYY, YYYY-MM, YYYY-MM/YYYY-MM) ended before the publication month.
    func isPast(_ period: String) -> Bool {
        guard let pub = published else { return false }
        let end = period.split(separator: "/").last.map(String.init) ?? period
        guard let y = Int(end.prefix(4)) else { return false }
        let m = end.count >= 7 ? Int(end.dropFirst(5).prefix(2)) ?? 12 : 12
        return (y, m) < (pub.y, pub.m)
    }

    /// A section heading (【攻坚清单】, 【记者手记】) starts a new part of the page: the place the
    /// previous part was about is not carried into it.
    mutating func startSection() { place = nil; projects = [] }

    mutating func enter(paragraph p: Int) {
        if p != paragraph { paragraph = p; paragraphPeriod = nil; paragraphMeasure = nil }
    }

    /// The lead's first figure with a year or a statistical period dates the article
    /// (去年全市实现地区生产总值… in a report on last year).
    mutating func noteFigurePeriod(_ period: String?, paragraph p: Int) {
        lastFigurePeriod = period
        if articlePeriod == nil, p <= 1, let period, period.count == 4 || period.contains("/") { articlePeriod = period }
    }

    var period: String? { paragraphPeriod ?? articlePeriod }

    /// 该项目 points back to the project the article last named.
    func lastProject(ifPointedAt facts: SentenceFacts, before: Int) -> String? {
        facts.pointsBack(before: before) ? projects.last : nil
    }

    mutating func finish(sentence facts: SentenceFacts) {
        if let p = facts.establishedPeriod, p.statistical {
            paragraphPeriod = p.value
            // The lead's period is the article's (a bulletin's 全年); later paragraphs keep theirs.
            if articlePeriod == nil, paragraph <= 1 { articlePeriod = p.value }
        }
        if let named = facts.mentions.last(where: { !$0.isAnaphora && $0.place != nil && (!$0.elsewhere || facts.opensClause($0.start)) })?.place {
            place = named
        }
        projects += facts.projects.map(\.name)
        if projects.count > 16 { projects.removeFirst(projects.count - 16) }
    }
}
