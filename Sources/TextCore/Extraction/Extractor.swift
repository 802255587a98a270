/// The extract stage's core: an article's indicators and milestones, each with its evidence
/// sentence and offsets. Built from the grammar of numbers and dates and the lexicons in config/.
public struct Extractor: Sendable {
    let lexicon: Lexicon

    public init(lexicon: Lexicon) { self.lexicon = lexicon }

    public func extract(_ article: ArticleText) -> Extracted {
        let sentences = Sentence.split(article.text)
        let regions = Regions(lexicon: lexicon, home: article.homeRegion)
        let dates = DateFinder(published: article.published)
        var context = ArticleContext(sentences: sentences, regions: regions, dates: dates)
        var out = Extracted()
        let indicators = IndicatorRules(lexicon: lexicon)
        let milestones = MilestoneRules(lexicon: lexicon)
        for index in sentences.indices {
            context.advance(to: index)
            out.indicators += indicators.extract(sentence: index, context: context)
            out.milestones += milestones.extract(sentence: index, context: context)
        }
        var seen = Set<String>()
        out.milestones = out.milestones.filter { seen.insert("\($0.date)|\($0.action)|\($0.subject)").inserted }
        return out
    }
}

/// What the rules know of the article around a sentence: the dates found so far (for 同年), the
/// region each sentence speaks of, the projects it has named.
struct ArticleContext {
    let sentences: [Sentence]
    let regions: Regions
    let dates: DateFinder
    private(set) var sentenceDates: [[DateFinder.Found]] = []
    private(set) var sentenceRegions: [String?] = []
    private(set) var projects: [String] = []
    private var lastYear: Int?

    init(sentences: [Sentence], regions: Regions, dates: DateFinder) {
        self.sentences = sentences; self.regions = regions; self.dates = dates
    }

    static let anaphora: [[Unicode.Scalar]] = ["该", "其中", "此", "这一", "这个"].map(\.scalars)
    static let projectSuffixes: [[Unicode.Scalar]] = ["项目", "工程", "中心", "产业园", "园区", "基地", "通道", "大桥", "码头", "机场"].map(\.scalars)

    mutating func advance(to index: Int) {
        while sentenceDates.count <= index {
            let s = sentences[sentenceDates.count].scalars
            sentenceDates.append(dates.find(in: s, lastYear: &lastYear))
            // A sentence's region: its own place; or, when it points back (该项目, 其中), the
            // previous sentence's; or the home region.
            var region = regions.region(of: s, mostSpecific: false)
            if region == nil, Self.anaphora.contains(where: { s.firstIndex(of: $0) != nil }), let prev = sentenceRegions.last {
                region = prev
            }
            sentenceRegions.append(region ?? regions.home)
            projects += Self.projectNames(in: s)
        }
    }

    /// 岱山双峰新城体育中心项目 in "近日，岱山双峰新城体育中心项目雏形已现": a run of hanzi ending
    /// in a project word, not starting with 该.
    static func projectNames(in s: [Unicode.Scalar]) -> [String] {
        var out: [String] = []
        for suffix in projectSuffixes {
            var from = 0
            while let at = s.firstIndex(of: suffix, from: from) {
                var start = at
                while start > 0, CharClass.isHan(s[start - 1]), at - start < 14,
                      !["，", "的", "在", "是", "了", "和", "与", "及", "该"].contains(s[start - 1]) { start -= 1 }
                if at - start >= 2 { out.append(s.string(start..<(at + suffix.count))) }
                from = at + suffix.count
            }
        }
        return out
    }
}
