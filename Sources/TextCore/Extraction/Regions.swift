/// Places named in a sentence, through the gazetteer, resolved against the article's home region:
/// each with its extent, so rules can tell the figure's own clause from the rest. 全市/我市/城区
/// name the home region; 该区/该县 point back to the last place named; a place containing the home
/// region (浙江省 for a 舟山 paper) is the home region; a development zone after a place name
/// (榆林经开区, 宁波高新区) is a place of its own; a place outside the home region is marked, since
/// news names other places as destinations and partners (赴上海招商) more often than as subjects.
struct Regions {
    struct Mention {
        let start: Int; let end: Int; let place: String?; let level: Gazetteer.Level; let isHome: Bool; let isAnaphora: Bool
        /// Neither the home region nor inside it.
        var elsewhere = false
    }

    let gazetteer: Gazetteer
    private(set) var home: String?
    private(set) var homeIndex: Int?
    /// The home region's level character (市, 区, 县), read once: `homeBody` asks at every position.
    private(set) var homeLevel: Unicode.Scalar?
    let homeWords: WordMatcher
    let anaphora: WordMatcher
    let zones: WordMatcher

    init(lexicon: Lexicon, home: String?) {
        gazetteer = lexicon.gazetteer
        self.home = home
        homeIndex = home.flatMap { lexicon.gazetteer.index(named: $0) }
        homeLevel = home?.unicodeScalars.last
        homeWords = WordMatcher(lexicon.words(.home))
        anaphora = WordMatcher(lexicon.words(.anaphora))
        zones = WordMatcher(lexicon.words(.zone))
    }

    /// The same matchers resolved against another home region: built once per extractor, not per
    /// article (building the word matchers was a tenth of extraction time).
    func resolving(home: String?) -> Regions {
        var r = self
        r.home = home
        r.homeIndex = home.flatMap { gazetteer.index(named: $0) }
        r.homeLevel = home?.unicodeScalars.last
        return r
    }

    static let bodySuffixes: ScalarSet = ["局", "委", "办", "厅", "院", "部", "中"]  // 中: 中心

    /// The end of 市 (区, 县) when it opens a clause and a body of that government follows
    /// (市民政局, 区政务服务中心) and the home region is of that kind.
    func homeBody(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        guard let level = homeLevel, s[i] == level, level == "市" || level == "区" || level == "县",
              i == 0 || !CharClass.isHan(s[i - 1]) else { return nil }
        var j = i + 1
        while j < s.count, j - i <= 8, CharClass.isHan(s[j]) {
            if Self.bodySuffixes.contains(s[j]) { return i + 1 }
            j += 1
        }
        return nil
    }

    /// Every place, home word and back-reference in `s`, left to right, without overlaps.
    func mentions(in s: [Unicode.Scalar]) -> [Mention] {
        var out: [Mention] = []
        var i = 0
        while i < s.count {
            if let e = anaphora.match(s, at: i) {
                out.append(Mention(start: i, end: e, place: nil, level: .town, isHome: false, isAnaphora: true)); i = e; continue
            }
            // 市民政局, 区政务服务中心: a body of the home city or district at a clause's start.
            if let e = homeBody(s, at: i) {
                out.append(Mention(start: i, end: e, place: home, level: .city, isHome: true, isAnaphora: false)); i = e; continue
            }
            if let e = homeWords.match(s, at: i) {
                out.append(Mention(start: i, end: e, place: home, level: .city, isHome: true, isAnaphora: false)); i = e; continue
            }
            if let m = gazetteer.match(s, at: i, home: homeIndex) {
                let p = gazetteer.places[m.place]
                let chain = gazetteer.chain(m.place)
                let inside = homeIndex.map { chain.contains($0) } ?? true
                let contains = homeIndex.map { gazetteer.chain($0).contains(m.place) } ?? false
                if p.level <= .county, let z = zones.match(s, at: m.end) {
                    // 榆林经开区: the zone as written, a county-level place of the city before it.
                    var zone = Mention(start: i, end: z, place: s.string(i..<z), level: .county, isHome: false, isAnaphora: false)
                    zone.elsewhere = !inside
                    out.append(zone); i = z; continue
                }
                if contains {
                    out.append(Mention(start: i, end: m.end, place: home, level: .city, isHome: true, isAnaphora: false)); i = m.end; continue
                }
                // A place name inside a longer word (…路, …村 names) still names the place: kept.
                var mention = Mention(start: i, end: m.end, place: p.name, level: p.level, isHome: false, isAnaphora: false)
                mention.elsewhere = !inside
                out.append(mention)
                i = m.end; continue
            }
            i += 1
        }
        return out
    }
}
