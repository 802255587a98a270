/// China's administrative divisions (province → prefecture → county → township), with their
/// parent chains and the short names news writes (宁波, 定海). Read from `config/gazetteer/`:
/// `china.tsv` (built by `scripts/gazetteer/` from a dated public dataset, keyed by division
/// code) and any local files of the older `name level parent aliases` form.
///
/// Names repeat across China (普陀区 in 舟山 and 上海, 朝阳区, hundreds of 城关镇), so a name is
/// resolved against the document's home region: a candidate inside the home region (or its
/// province) wins; elsewhere, only a unique prefecture or county is taken, never a township.
public struct Gazetteer: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case province = 1, city, county, town
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        init?(_ word: Substring) {
            switch word {
            case "province": self = .province
            case "city": self = .city
            case "county": self = .county
            case "town": self = .town
            default: return nil
            }
        }
    }
    public struct Place: Sendable, Equatable {
        public let name: String
        public let level: Level
        public let parent: Int?
    }

    public private(set) var places: [Place] = []
    /// Every name and alias: scalars → place indices, bucketed by their first two scalars (a
    /// position of text costs one lookup and a comparison or two), longest first.
    private var byStart = HashTable<[(alias: [Unicode.Scalar], places: [Int], isShort: Bool)]>()
    /// The scalars an alias starts with, to skip the lookup at most positions.
    private var firsts = ScalarSet([])
    /// The two-scalar keys of `byStart`, to skip the table at most positions that pass `firsts`.
    private var pairs = KeyFilter()
    private var byName: [String: [Int]] = [:]
    /// Every alias with its places, across all files read (a local file adds to the national one).
    private var aliasTable: [String: (places: [Int], isShort: Bool)] = [:]

    public init() {}

    public var isEmpty: Bool { places.isEmpty }

    /// Reads one gazetteer file; `file` names it in errors.
    public mutating func add(contentsOf text: String, file: String) throws {
        var codes: [String: Int] = [:]
        var pending: [(index: Int, parentKey: String, line: Int)] = []
        var aliases: [(String, Int, Bool)] = []
        for (f, lineNumber) in TSV.rows(text) {
            let coded = f.first.map { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } } ?? false
            // code name level parent_code aliases | name level parent_name aliases
            let nameAt = coded ? 1 : 0
            guard f.count > nameAt + 1, !f[nameAt].isEmpty else { throw LexiconError("\(file):\(lineNumber): expected name and level") }
            guard let level = Level(Substring(f[nameAt + 1])) else {
                throw LexiconError("\(file):\(lineNumber): unknown level '\(f[nameAt + 1])' (province, city, county or town)")
            }
            let parentKey = f.count > nameAt + 2 ? String(f[nameAt + 2]) : ""
            // A local file (names, not codes) adds aliases to a place the national file already
            // has (六横镇 under 普陀区 gets 六横), rather than a second place of the same name.
            if !coded, let known = byName[f[nameAt]]?.first(where: { i in
                places[i].level == level && (parentKey.isEmpty || places[i].parent.map { places[$0].name == parentKey } == true)
            }) {
                if f.count > nameAt + 3 {
                    for a in f[nameAt + 3].split(separator: ",") where !a.isEmpty { aliases.append((String(a), known, true)) }
                }
                continue
            }
            let index = places.count
            places.append(Place(name: String(f[nameAt]), level: level, parent: nil))
            if coded { codes[String(f[0])] = index }
            if !parentKey.isEmpty { pending.append((index, parentKey, lineNumber)) }
            aliases.append((String(f[nameAt]), index, false))
            if f.count > nameAt + 3 {
                for a in f[nameAt + 3].split(separator: ",") where !a.isEmpty { aliases.append((String(a), index, true)) }
            }
            byName[String(f[nameAt]), default: []].append(index)
        }
        for p in pending {
            let parent = codes[p.parentKey] ?? byName[p.parentKey]?.first
            guard let parent else { throw LexiconError("\(file):\(p.line): parent '\(p.parentKey)' is not in the gazetteer") }
            let old = places[p.index]
            places[p.index] = Place(name: old.name, level: old.level, parent: parent)
        }
        for (alias, index, short) in aliases {
            var entry = aliasTable[alias] ?? ([], short)
            if !entry.places.contains(index) { entry.places.append(index) }
            entry.isShort = entry.isShort && short
            aliasTable[alias] = entry
        }
        // The lookup buckets, rebuilt once per file; a one-character alias is never a place name.
        var buckets = HashTable<[(alias: [Unicode.Scalar], places: [Int], isShort: Bool)]>(capacity: aliasTable.count)
        var filter = KeyFilter()
        for (alias, entry) in aliasTable {
            let scalars = Array(alias.unicodeScalars)
            guard scalars.count >= 2 else { continue }
            let key = Self.key(scalars[0], scalars[1])
            buckets.update(key, default: []) { $0.append((scalars, entry.places, entry.isShort)) }
            filter.insert(key)
        }
        pairs = filter
        buckets.mapValuesInPlace { $0.sort { $0.alias.count > $1.alias.count } }
        byStart = buckets
        firsts = ScalarSet(aliasTable.keys.compactMap { $0.unicodeScalars.first })
    }

    @inline(__always) static func key(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> UInt64 { UInt64(a.value) << 32 | UInt64(b.value) }

    public func chain(_ index: Int) -> [Int] {
        var out = [index]
        var at = places[index].parent
        while let p = at, out.count < 8 { out.append(p); at = places[p].parent }
        return out
    }

    public func index(named name: String) -> Int? { byName[name]?.first }

    /// A place named at `i`: the longest alias there, resolved against the home region.
    /// Returns the place and the alias's end.
    public func match(_ s: [Unicode.Scalar], at i: Int, home: Int?) -> (place: Int, end: Int)? {
        WorkCounter.add(1)
        guard i + 1 < s.count, firsts.contains(s[i]), CharClass.isHan(s[i]) else { return nil }
        let key = Self.key(s[i], s[i + 1])
        guard pairs.mayContain(key), let bucket = byStart[key] else { return nil }
        for entry in bucket where s.matches(entry.alias, at: i) {
            if let pick = resolve(entry.places, home: home, short: entry.isShort) { return (pick, i + entry.alias.count) }
        }
        return nil
    }

    /// Among same-named places: one inside the home region, else inside its province, else a
    /// unique city or county (a township or a short name only near home).
    func resolve(_ candidates: [Int], home: Int?, short: Bool) -> Int? {
        if let home {
            let homeChain = chain(home)
            if let near = candidates.first(where: { $0 == home || chain($0).contains(home) }) { return near }
            if let up = candidates.first(where: { homeChain.contains($0) }) { return up }
            if let province = homeChain.last, let inProvince = candidates.first(where: { chain($0).contains(province) }) {
                return inProvince
            }
        }
        let wide = candidates.filter { places[$0].level <= .county }
        if wide.count == 1, !short || places[wide[0]].level <= .city { return wide[0] }
        return nil
    }
}
