import Foundation

/// The extractor's word lists, read from `config/`: units, qualifiers and their traps, milestone
/// actions, target and change cues, and one gazetteer file per city. Each is data, not code, so a
/// new city or a new unit is a line in a file.
public struct Lexicon: Sendable {
    public struct Unit: Sendable { public let written: String; public let base: String; public let factor: Double }
    public struct Qualifier: Sendable { public let word: String; public let before: Bool; public let qualifier: String }
    public struct Place: Sendable { public let name: String; public let level: Int; public let parent: String? }

    public var units: [Unit] = []
    public var qualifiers: [Qualifier] = []
    public var qualifierTraps: [String] = []
    public var actions: [(verb: String, action: String)] = []
    public var targetCues: [String] = []
    public var changeCues: [String] = []
    /// Every name and alias of every place, longest first.
    public var placeNames: [(alias: String, place: Place)] = []

    public init() {}

    /// Reads the lexicon files of a config folder. The unit and action lexicons are required:
    /// without them nothing could be extracted, and a silent empty result would look like news
    /// without figures.
    public static func load(configDir: URL) throws -> Lexicon {
        for required in ["units.tsv", "actions.tsv"] where !FileManager.default.fileExists(atPath: configDir.appendingPathComponent(required).path) {
            throw LexiconError("no \(required) in \(configDir.path): run from the project folder, or point --config (or TIDELINE_CONFIG) at a tideline.toml whose folder holds the lexicons")
        }
        var lex = Lexicon()
        func lines(_ name: String) -> [[String]] {
            guard let text = try? String(contentsOf: configDir.appendingPathComponent(name), encoding: .utf8) else { return [] }
            return text.split(separator: "\n").compactMap { line in
                let t = line.trimmingCharacters(in: .whitespaces)
                if t.isEmpty || t.hasPrefix("#") { return nil }
                return t.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            }
        }
        lex.units = lines("units.tsv").map { f in
            Unit(written: f[0], base: f.count > 1 && !f[1].isEmpty ? f[1] : f[0], factor: f.count > 2 ? Double(f[2]) ?? 1 : 1)
        }.sorted { $0.written.count > $1.written.count }
        lex.qualifiers = lines("qualifiers.tsv").filter { $0.count >= 3 }.map {
            Qualifier(word: $0[0], before: $0[1] == "before", qualifier: $0[2])
        }.sorted { $0.word.count > $1.word.count }
        lex.qualifierTraps = lines("qualifier_traps.txt").map { $0[0] }
        lex.actions = lines("actions.tsv").flatMap { f in f.dropFirst().map { (verb: $0, action: f[0]) } }
            .sorted { $0.verb.count > $1.verb.count }
        lex.targetCues = lines("target_cues.txt").map { $0[0] }
        lex.changeCues = lines("change_cues.txt").map { $0[0] }
        let levels = ["province": 1, "city": 2, "county": 3, "town": 4]
        let gazetteerDir = configDir.appendingPathComponent("gazetteer")
        for file in ((try? FileManager.default.contentsOfDirectory(atPath: gazetteerDir.path)) ?? []).sorted() where file.hasSuffix(".tsv") {
            for f in lines("gazetteer/" + file) where f.count >= 2 {
                let place = Place(name: f[0], level: levels[f[1]] ?? 4, parent: f.count > 2 && !f[2].isEmpty ? f[2] : nil)
                lex.placeNames.append((f[0], place))
                if f.count > 3 { for a in f[3].split(separator: ",") where !a.isEmpty { lex.placeNames.append((String(a), place)) } }
            }
        }
        lex.placeNames.sort { $0.alias.count > $1.alias.count }
        return lex
    }
}

public struct LexiconError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
