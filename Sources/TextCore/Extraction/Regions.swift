/// Places named in a sentence, through the gazetteer, resolved against the article's home region:
/// each with its extent, so rules can tell the figure's own clause from the rest. 全市/我市/城区
/// name the home region; 该区/该县 point back to the last place named.
struct Regions {
    struct Mention { let start: Int; let end: Int; let place: String?; let level: Gazetteer.Level; let isHome: Bool; let isAnaphora: Bool }

    let gazetteer: Gazetteer
    let home: String?
    let homeIndex: Int?
    let homeWords: WordMatcher
    let anaphora: WordMatcher

    init(lexicon: Lexicon, home: String?) {
        gazetteer = lexicon.gazetteer
        self.home = home
        homeIndex = home.flatMap { lexicon.gazetteer.index(named: $0) }
        homeWords = WordMatcher(lexicon.words(.home))
        anaphora = WordMatcher(lexicon.words(.anaphora))
    }

    /// Every place, home word and back-reference in `s`, left to right, without overlaps.
    func mentions(in s: [Unicode.Scalar]) -> [Mention] {
        var out: [Mention] = []
        var i = 0
        while i < s.count {
            if let e = anaphora.match(s, at: i) {
                out.append(Mention(start: i, end: e, place: nil, level: .town, isHome: false, isAnaphora: true)); i = e; continue
            }
            if let e = homeWords.match(s, at: i) {
                out.append(Mention(start: i, end: e, place: home, level: .city, isHome: true, isAnaphora: false)); i = e; continue
            }
            if let m = gazetteer.match(s, at: i, home: homeIndex) {
                let p = gazetteer.places[m.place]
                // A place name inside a longer word (…路, …村 names) still names the place: kept.
                out.append(Mention(start: i, end: m.end, place: p.name, level: p.level, isHome: m.place == homeIndex, isAnaphora: false))
                i = m.end; continue
            }
            i += 1
        }
        return out
    }
}
