/// Places named in text, through the gazetteer: 全市/我市/本市 and bodies of the city (市民政局)
/// are the home region; otherwise the most specific place the text names.
struct Regions {
    let lexicon: Lexicon
    let home: String?
    private let homeWords: [[Unicode.Scalar]] = ["全市", "我市", "本市", "市委", "市政府"].map(\.scalars)
    /// Aliases by their first character, longest first, so a position is checked against few.
    private let names: [Unicode.Scalar: [(alias: [Unicode.Scalar], place: Lexicon.Place)]]

    init(lexicon: Lexicon, home: String?) {
        self.lexicon = lexicon
        self.home = home
        self.names = Dictionary(grouping: lexicon.placeNames.map { ($0.alias.scalars, $0.place) }, by: { $0.0[0] })
    }

    /// The places in `s`, in order, without overlaps.
    func places(in s: [Unicode.Scalar]) -> [Lexicon.Place] {
        var out: [Lexicon.Place] = []
        var i = 0
        while i < s.count {
            if let hit = names[s[i]]?.first(where: { s.matches($0.alias, at: i) }) {
                out.append(hit.place); i += hit.alias.count
            } else { i += 1 }
        }
        return out
    }

    func mentionsHome(_ s: [Unicode.Scalar]) -> Bool {
        homeWords.contains { s.firstIndex(of: $0) != nil } || startsWithCityBody(s)
    }

    /// 市民政局, 市人力社保局 … at the start of a clause.
    private func startsWithCityBody(_ s: [Unicode.Scalar]) -> Bool {
        var i = 0
        while i < s.count {
            if s[i] == "市", i == 0 || !CharClass.isHan(s[i - 1]) || s[i - 1] == "，" {
                var j = i + 1
                while j < s.count, j - i <= 8, CharClass.isHan(s[j]) {
                    if ["局", "委", "办", "部", "院"].contains(s[j]) { return true }
                    j += 1
                }
            }
            i += 1
        }
        return false
    }

    /// The region a sentence speaks of: the most specific gazetteer place in it, else the home
    /// region when it names the city, else nil (the caller looks back or defaults).
    func region(of s: [Unicode.Scalar], mostSpecific: Bool) -> String? {
        let found = places(in: s)
        if mentionsHome(s) && found.allSatisfy({ $0.level <= 2 }) { return home }
        guard !found.isEmpty else { return nil }
        let pick = mostSpecific ? found.max(by: { $0.level < $1.level })! : found.first!
        return pick.name
    }
}
