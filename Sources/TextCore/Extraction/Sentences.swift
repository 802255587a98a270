/// An article cut into sentences (at 。！？ and line ends), each with its offset in the article.
struct Sentence {
    let scalars: [Unicode.Scalar]
    let start: Int
    var text: String { String(String.UnicodeScalarView(scalars)) }

    static func split(_ text: String) -> [Sentence] {
        var out: [Sentence] = []
        var current: [Unicode.Scalar] = []
        var start = 0, i = 0
        for s in text.unicodeScalars {
            if s == "\n" {
                if !current.isEmpty { out.append(Sentence(scalars: current, start: start)) }
                current = []; start = i + 1
            } else {
                current.append(s)
                if s == "。" || s == "！" || s == "？" {
                    out.append(Sentence(scalars: current, start: start))
                    current = []; start = i + 1
                }
            }
            i += 1
        }
        if !current.isEmpty { out.append(Sentence(scalars: current, start: start)) }
        return out
    }
}

extension Array where Element == Unicode.Scalar {
    func matches(_ word: [Unicode.Scalar], at i: Int) -> Bool {
        guard i >= 0, i + word.count <= count else { return false }
        for k in 0..<word.count where self[i + k] != word[k] { return false }
        return true
    }
    func endsWith(_ word: [Unicode.Scalar], at end: Int) -> Bool { matches(word, at: end - word.count) }
    func string(_ r: Range<Int>) -> String {
        let lo = Swift.max(0, r.lowerBound), hi = Swift.min(count, r.upperBound)
        return lo < hi ? String(String.UnicodeScalarView(self[lo..<hi])) : ""
    }
    func firstIndex(of word: [Unicode.Scalar], from: Int = 0) -> Int? {
        var i = from
        while i + word.count <= count { if matches(word, at: i) { return i }; i += 1 }
        return nil
    }
}

extension String { var scalars: [Unicode.Scalar] { Array(unicodeScalars) } }
