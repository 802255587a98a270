/// Finds the words of a list in scalars: longest match at a position, bucketed by first scalar so
/// a position costs one dictionary lookup and a few comparisons.
struct WordMatcher: Sendable {
    private let byFirst: [Unicode.Scalar: [[Unicode.Scalar]]]
    private let firsts: ScalarMask

    init(_ words: [String]) {
        var b: [Unicode.Scalar: [[Unicode.Scalar]]] = [:]
        for w in words { let s = Array(w.unicodeScalars); if let f = s.first { b[f, default: []].append(s) } }
        byFirst = b.mapValues { $0.sorted { $0.count > $1.count } }
        firsts = ScalarMask(b.keys)
    }

    /// The end of the longest word at `i`, or nil.
    func match(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        WorkCounter.add(1)
        guard i >= 0, i < s.count, firsts.mayContain(s[i]), let words = byFirst[s[i]] else { return nil }
        for w in words where s.matches(w, at: i) { return i + w.count }
        return nil
    }

    func contains(_ s: [Unicode.Scalar], in range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            if let e = match(s, at: i), e <= range.upperBound { return true }
            i += 1
        }
        return false
    }

    func isWord(_ s: [Unicode.Scalar]) -> Bool { match(s, at: 0) == s.count && !s.isEmpty }
}
