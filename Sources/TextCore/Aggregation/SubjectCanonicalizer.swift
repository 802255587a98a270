/// A milestone's subject as a reporting key: the same meeting or scheme written two ways by two
/// papers (中共舟山市委八届五次全体（扩大）会议, 市委八届五次全会) becomes one key.
///
/// Rules, in order: rewrites from `config/subject_rewrites.tsv` (officialese long forms to short
/// ones: 全体会议 → 全会, （扩大） → nothing, a leading 中共 → nothing); a leading city or county
/// name before its own party committee (舟山市委 → 市委); an action verb the
/// subject ends on (自由贸易试验区挂牌 → 自由贸易试验区); spaces and quotes.
public struct SubjectCanonicalizer: Sendable {
    private var rewrites: [(from: String, to: String, prefixOnly: Bool)] = []
    private var actionVerbs: [String] = []
    /// Party committees a place name may stand before (中共舟山市委 = 市委): not governments, whose
    /// full names open document titles.
    static let bodies = ["市委", "县委", "区委"]

    /// `rewrites`: lines of `from<TAB>to` (`^from` matches at the start only); `actionVerbs`: the
    /// verbs of `actions.tsv`.
    public init(rewrites: String = "", actionVerbs: [String] = []) {
        for line in rewrites.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let from = f.first, !from.isEmpty else { continue }
            let prefixOnly = from.hasPrefix("^")
            self.rewrites.append((prefixOnly ? String(from.dropFirst()) : from, f.count > 1 ? f[1] : "", prefixOnly))
        }
        // Longest first, so 制定出台 goes before 出台.
        self.actionVerbs = actionVerbs.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    public func canonicalize(_ subject: String, region: String?) -> String {
        var s = ReportKeyText.key(subject)
        for r in rewrites {
            if r.prefixOnly {
                if s.hasPrefix(r.from) { s = r.to + s.dropFirst(r.from.count) }
            } else if s.contains(r.from) {
                s = s.replacingAll(r.from, with: r.to)
            }
        }
        if let region, let short = Self.shortName(region) {
            for name in [region, short] where s.hasPrefix(name) {
                let rest = s.dropFirst(name.count)
                let body = name == region ? String(region.suffix(1)) + rest : String(rest)
                if Self.bodies.contains(where: { body.hasPrefix($0) }) { s = body; break }
            }
        }
        for verb in actionVerbs where s.count > verb.count + 1 && s.hasSuffix(verb) {
            s = String(s.dropLast(verb.count))
            break
        }
        return s.isEmpty ? ReportKeyText.key(subject) : s
    }

    /// 舟山市 → 舟山, 岱山县 → 岱山; names of two characters or less keep their suffix.
    static func shortName(_ region: String) -> String? {
        guard region.count >= 3, let last = region.last, "市县区".contains(last) else { return nil }
        return String(region.dropLast())
    }
}

extension String {
    /// Literal replacement without Foundation's Unicode folding.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
