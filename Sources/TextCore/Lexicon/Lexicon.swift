import Foundation

/// Everything the extractor knows about words, read once per worker from `config/` by one
/// validated loader: units, qualifiers and their traps, milestone actions, label words by role,
/// the statistics vocabulary, the gazetteer and the word dictionary. Each is data, not code: a new
/// unit, measure or place is a line in a file. A malformed line stops the loader with its file and
/// line, so a worker refuses to start rather than extract with half a lexicon.
public struct Lexicon: Sendable {
    public struct Unit: Sendable { public let written: String; public let base: String; public let factor: Double }
    public struct Qualifier: Sendable { public let word: String; public let before: Bool; public let qualifier: String }

    /// What a word does in a metric label or around a figure (`config/label_words.tsv`).
    public enum Role: String, Sendable, CaseIterable {
        /// Dropped from the front of a label: verbs and adverbs that report, not name (实现, 完成, 共).
        case dropLeading = "drop_leading"
        /// Dropped wherever they stand inside a label (规上工业企业实现增加值).
        case dropInner = "drop_inner"
        /// Dropped from the end of a label (达到, 为, 共计).
        case dropTrailing = "drop_trailing"
        /// A growth or fall: the figure is a change of the measure before it (增长, 下降).
        case change
        /// A goal or plan in the figure's own clause (力争, 目标, 计划).
        case target
        /// A goal or plan that governs the whole sentence when its first clause says it (建成后, 预计).
        case targetSentence = "target_sentence"
        /// A word before a date that makes the date a comparison, not the figure's period (超, 比).
        case comparison
        /// Words for the home region (全市, 我市, 城区).
        case home
        /// Development zones written after a place name (经开区, 高新区): 榆林经开区 is a place.
        case zone
        /// Words pointing back to the last place or project (该区, 该项目).
        case anaphora
        /// An attribute of what was just counted (总投资, 年度计划投资): the label takes the counted noun.
        case attribute
        /// Verbs written before the object that names the measure; a table header puts the object first
        /// (出口机电产品 → 机电产品出口, 落地产业项目 → 产业项目落地).
        case objectVerb = "object_verb"
        /// Verbs that link a measure to its value or share (占, 为, 是): never the measure's own verb.
        case copula
        /// What marks a figure of this year as done so far rather than planned (今年以来, 截至, 已).
        case soFar = "so_far"
        /// A conversion of the figure before into another unit (折算为…美元): the same measure.
        case conversion
        /// Units that count things: the label names the counted thing plus 数 (项目数, 次数, 人数).
        case countUnit = "count_unit"
        /// A number before these is part of a name, not a figure (届, 大).
        case notFigureAfter = "not_figure_after"
        /// After an action verb: the verb is part of a noun (完成情况, 签约仪式).
        case nominalTail = "nominal_tail"
        /// A ceremony: its name carries the step (集中开工仪式 → started).
        case ceremony
        /// A meeting or event: held.
        case gathering
        /// Wording that makes a step planned.
        case planned
        /// Adverbs between a milestone's subject and its verb.
        case subjectTrailing = "subject_trailing"
    }

    public var units: [Unit] = []
    public var qualifiers: [Qualifier] = []
    public var qualifierTraps: [String] = []
    public var actions: [(verb: String, action: String)] = []
    public var words: [Role: [String]] = [:]
    public var vocabulary = StatisticsVocabulary()
    public var gazetteer = Gazetteer()
    public var dictionary = WordDictionary()

    public init() {}

    public func words(_ role: Role) -> [String] { words[role] ?? [] }

    static let actionNames: Set<String> = ["issued", "effective", "established", "launched", "signed", "held", "started",
                                           "completed", "settled", "approved"]
    static let qualifierNames: Set<String> = ["exact", "approx", "more_than", "at_least", "less_than"]

    /// Reads the lexicon files of a config folder. Every file is required except `words/` and
    /// extra gazetteers: without them nothing could be extracted, and a silent empty result would
    /// look like news without figures.
    public static func load(lexiconDir: URL) throws -> Lexicon {
        let fm = FileManager.default
        func read(_ name: String) throws -> String { try configText(name, in: lexiconDir) }
        func rows(_ name: String) throws -> [(fields: [String], line: Int)] { TSV.rows(try read(name)) }
        var lex = Lexicon()
        for (f, line) in try rows("units.tsv") {
            var factor = 1.0
            if f.count > 2, !f[2].isEmpty {
                guard let v = Double(f[2]), v > 0 else { throw LexiconError("units.tsv:\(line): factor '\(f[2])' is not a positive number") }
                factor = v
            }
            lex.units.append(Unit(written: f[0], base: f.count > 1 && !f[1].isEmpty ? f[1] : f[0], factor: factor))
        }
        lex.units.sort { $0.written.count > $1.written.count }
        for (f, line) in try rows("qualifiers.tsv") {
            guard f.count >= 3, f[1] == "before" || f[1] == "after", qualifierNames.contains(f[2]) else {
                throw LexiconError("qualifiers.tsv:\(line): expected word<TAB>before|after<TAB>\(qualifierNames.sorted().joined(separator: "|"))")
            }
            lex.qualifiers.append(Qualifier(word: f[0], before: f[1] == "before", qualifier: f[2]))
        }
        lex.qualifiers.sort { $0.word.count > $1.word.count }
        lex.qualifierTraps = try rows("qualifier_traps.txt").map { $0.fields[0] }
        lex.actions = try actions(lexiconDir: lexiconDir)
        for (f, line) in try rows("label_words.tsv") {
            guard f.count >= 2, let role = Role(rawValue: f[0]) else {
                throw LexiconError("label_words.tsv:\(line): expected role<TAB>word with a role of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            lex.words[role, default: []] += f.dropFirst().filter { !$0.isEmpty }
        }
        for role in Role.allCases { lex.words[role] = (lex.words[role] ?? []).sorted { $0.count > $1.count } }
        try lex.vocabulary.add(contentsOf: try read("statistics_vocabulary.tsv"), file: "statistics_vocabulary.tsv")
        let gazetteerDir = lexiconDir.appendingPathComponent("gazetteer")
        let gazetteerFiles = ((try? fm.contentsOfDirectory(atPath: gazetteerDir.path)) ?? []).filter { $0.hasSuffix(".tsv") }
            .sorted { ($0 == "china.tsv" ? 0 : 1, $0) < ($1 == "china.tsv" ? 0 : 1, $1) }
        for file in gazetteerFiles {
            try lex.gazetteer.add(contentsOf: try read("gazetteer/" + file), file: "gazetteer/" + file)
        }
        if lex.gazetteer.isEmpty { throw LexiconError("no gazetteer in \(gazetteerDir.path): regions cannot be resolved without one") }
        lex.dictionary = try WordDictionaryCache.load(extraDir: lexiconDir.appendingPathComponent("words"))
        releaseLoaderGarbage()
        return lex
    }
}

extension Lexicon {
    /// A required file of the config folder; missing or unreadable is an error saying where to look.
    static func configText(_ name: String, in lexiconDir: URL) throws -> String {
        let url = lexiconDir.appendingPathComponent(name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw LexiconError("no readable UTF-8 \(name) in \(lexiconDir.path): run from the project folder, or point --config (or TIDELINE_CONFIG) at a tideline.toml whose folder holds the lexicons")
        }
        return text
    }

    /// `actions.tsv`: each action of GUIDE.md's list with the verbs that say it, longest verb first.
    static func actions(lexiconDir: URL) throws -> [(verb: String, action: String)] {
        var out: [(verb: String, action: String)] = []
        for (f, line) in TSV.rows(try configText("actions.tsv", in: lexiconDir)) {
            guard actionNames.contains(f[0]) else { throw LexiconError("actions.tsv:\(line): unknown action '\(f[0])' (GUIDE.md's list: \(actionNames.sorted().joined(separator: ", ")))") }
            out += f.dropFirst().filter { !$0.isEmpty }.map { (verb: $0, action: f[0]) }
        }
        return out.sorted { $0.verb.count > $1.verb.count }
    }

    /// What the aggregate stage needs of the config folder, without the word dictionary and the
    /// gazetteer: milestone subjects as keys (`subject_rewrites.tsv` and the verbs of `actions.tsv`).
    public static func subjects(lexiconDir: URL) throws -> SubjectCanonicalizer {
        SubjectCanonicalizer(rewrites: try configText("subject_rewrites.tsv", in: lexiconDir),
                             actionVerbs: try actions(lexiconDir: lexiconDir).map(\.verb))
    }
}

/// Loading parses several MB of text into hundreds of thousands of short-lived strings and rows.
/// glibc keeps their freed chunks scattered across its bins, and every later small allocation
/// then walks them (`unlink_chunk` was 17% of extraction time). Consolidating once after loading
/// gives extraction an orderly heap.
private func releaseLoaderGarbage() {
    #if os(Linux)
    _ = glibcMallocTrim(0)
    #endif
}

#if os(Linux)
@_silgen_name("malloc_trim") private func glibcMallocTrim(_ pad: Int) -> Int32
#endif

/// The word dictionary is large (jieba's holds 349,046 words): read once per process and shared.
enum WordDictionaryCache {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: [String: WordDictionary] = [:]   // guarded by `lock`

    static func load(extraDir: URL) throws -> WordDictionary {
        lock.lock(); defer { lock.unlock() }
        if let d = cached[extraDir.path] { return d }
        let env = ProcessInfo.processInfo.environment[WordDictionary.environmentVariable]
        let candidates = (env.map { [$0] } ?? []) + WordDictionary.systemPaths
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw LexiconError("no word dictionary at \(candidates.joined(separator: " or ")): install Debian's python3-jieba (apt-get install python3-jieba) or set TIDELINE_WORD_DICTIONARY to a jieba-format dict.txt")
        }
        var dict = WordDictionary()
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw LexiconError("cannot read the word dictionary \(path)") }
        try dict.add(contentsOf: text, file: path)
        for file in ((try? FileManager.default.contentsOfDirectory(atPath: extraDir.path)) ?? []).sorted() where file.hasSuffix(".txt") {
            let url = extraDir.appendingPathComponent(file)
            guard let extra = try? String(contentsOf: url, encoding: .utf8) else { throw LexiconError("cannot read \(url.path)") }
            try dict.add(contentsOf: extra, file: "words/" + file)
        }
        cached[extraDir.path] = dict
        return dict
    }
}

public struct LexiconError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
