/// The statistics vocabulary (`config/statistics_vocabulary.tsv`): standard measures of municipal
/// and statistical reporting, each with its canonical name (the National Bureau of Statistics'
/// where one exists), the dimension of its unit and the other wordings of the same measure.
/// A metric label maps to a canonical name only through a whole-label match of a name or alias
/// (after normalisation), so 工业增加值 never files under 规模以上工业增加值.
public struct StatisticsVocabulary: Sendable {
    public enum Dimension: String, Sendable, CaseIterable {
        case amount, count, people, rate, area, mass, volume, energy, length, index, days, other
    }
    public struct Measure: Sendable { public let canonical: String; public let dimension: Dimension }

    /// Keyed by a 64-bit hash of the normalised name's scalars (as the word dictionary is): a
    /// `String` key would be hashed through Unicode normalisation on every lookup, and this is
    /// looked up for every label at every trimming step.
    private var byName: [UInt64: Int] = [:]
    public private(set) var measures: [Measure] = []

    public init() {}

    public mutating func add(contentsOf text: String, file: String) throws {
        for (f, lineNumber) in TSV.rows(text) {
            guard f.count >= 2, !f[0].isEmpty else { throw LexiconError("\(file):\(lineNumber): expected canonical<TAB>dimension<TAB>aliases") }
            guard let dim = Dimension(rawValue: f[1]) else {
                throw LexiconError("\(file):\(lineNumber): unknown dimension '\(f[1])' (one of \(Dimension.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let index = measures.count
            measures.append(Measure(canonical: f[0], dimension: dim))
            let names = [f[0]] + (f.count > 2 ? f[2].split(separator: "|").map(String.init) : [])
            for name in names where !name.isEmpty {
                let key = WordDictionary.hash(Self.normalize(name).unicodeScalars)
                if let other = byName[key], other != index {
                    throw LexiconError("\(file):\(lineNumber): '\(name)' already names \(measures[other].canonical)")
                }
                byName[key] = index
            }
        }
    }

    /// The canonical name of a label, or nil when the vocabulary does not know it.
    public func canonical(_ label: String) -> Measure? {
        let key = Array(Self.normalize(label).unicodeScalars)
        if let i = byName[WordDictionary.hash(key)] { return measures[i] }
        // 额/总额/总量 endings written or left out: 出口额 = 出口, 进出口总额 = 进出口总值 when listed.
        for suffix in Self.droppableEndings where key.count > suffix.count + 1 && key.endsWith(suffix, at: key.count) {
            if let i = byName[WordDictionary.hash(key[..<(key.count - suffix.count)])] { return measures[i] }
        }
        return nil
    }

    static let droppableEndings: [[Unicode.Scalar]] = ["额", "总额", "总量", "量", "数"].map { Array($0.unicodeScalars) }

    static let ignored = ScalarSet("“”\"‘’'「」()（）".unicodeScalars)

    /// Spaces, quotes and brackets carry no meaning in a measure's name.
    public static func normalize(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { CharClass.isSpace($0) || ignored.contains($0) }) else { return s }
        return String(scalars: s.unicodeScalars.filter {
            !CharClass.isSpace($0) && !ignored.contains($0)
        })
    }
}
