/// Finds the words of a list in scalars: longest match at a position, bucketed by first scalar so
/// a position costs one dictionary lookup and a few comparisons.
struct WordMatcher: Sendable {
    private let byFirst: HashTable<[[Unicode.Scalar]]>
    private let firsts: ScalarSet

    init(_ words: [String]) {
        var b = HashTable<[[Unicode.Scalar]]>(capacity: words.count)
        var f = ScalarSet([])
        for w in words {
            let s = Array(w.unicodeScalars)
            guard let first = s.first else { continue }
            b.update(UInt64(first.value), default: []) { $0.append(s) }
            f.insert(first)
        }
        b.mapValuesInPlace { $0.sort { $0.count > $1.count } }
        byFirst = b
        firsts = f
    }

    /// The end of the longest word at `i`, or nil.
    func match(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        WorkCounter.add(1)
        guard i >= 0, i < s.count, firsts.contains(s[i]), let words = byFirst[UInt64(s[i].value)] else { return nil }
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
