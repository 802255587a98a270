/// An article cut into sentences (at 。！？ and line ends), each with its offset in the article
/// and its paragraph (line). A sentence longer than `maxLength` scalars is cut at its last clause
/// break (，；、) before the limit, or at the limit: every later rule then works on pieces of
/// bounded length, so the work per figure is bounded and extraction stays linear in the text.
struct Sentence {
    let scalars: [Unicode.Scalar]
    let start: Int
    let paragraph: Int
    var text: String { String(scalars: scalars) }

    static let maxLength = 400

    static func split(_ text: String) -> [Sentence] {
        var out: [Sentence] = []
        var current: [Unicode.Scalar] = []
        var start = 0, i = 0, paragraph = 0
        func emit() {
            guard !current.isEmpty else { return }
            out.append(Sentence(scalars: current, start: start, paragraph: paragraph))
            start += current.count
            current = []
        }
        for s in text.unicodeScalars {
            if s == "\n" {
                emit(); start = i + 1; paragraph += 1
            } else {
                current.append(s)
                if s == "。" || s == "！" || s == "？" {
                    emit(); start = i + 1
                } else if current.count >= maxLength {
                    // Cut at the last clause break in the second half, else here.
                    var cut = current.count
                    var k = current.count - 1
                    while k > maxLength / 2 { if current[k] == "，" || current[k] == "；" || current[k] == "、" { cut = k + 1; break }; k -= 1 }
                    let rest = Array(current[cut...])
                    current = Array(current[..<cut])
                    emit()
                    current = rest
                }
            }
            i += 1
        }
        emit()
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
        return lo < hi ? String(scalars: self[lo..<hi]) : ""
    }
    func firstIndex(of word: [Unicode.Scalar], from: Int = 0) -> Int? {
        var i = from
        while i + word.count <= count { if matches(word, at: i) { return i }; i += 1 }
        return nil
    }
}

extension String { var scalars: [Unicode.Scalar] { Array(unicodeScalars) } }
