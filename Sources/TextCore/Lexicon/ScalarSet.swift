/// A set of scalars as a bitmap over the Basic Multilingual Plane (8 KB) plus a short list for the
/// rest: membership is a shift and a mask, where `Set<Unicode.Scalar>` hashes every probe through
/// SipHash. The text core asks "is this character one of …" at nearly every position of every
/// sentence (clause breaks, stop characters, the first characters of word lists), so this is the
/// type for those questions.
struct ScalarSet: Sendable, ExpressibleByArrayLiteral {
    private var bits = [UInt64](repeating: 0, count: 1024)
    private var astral: [Unicode.Scalar] = []

    init<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar {
        for c in scalars { insert(c) }
    }

    /// Each literal is a character of one scalar (`["，", "；"]`).
    init(arrayLiteral elements: Unicode.Scalar...) { self.init(elements) }

    /// The scalars of a string (`ScalarSet(string: "“”（）")`).
    init(string: String) { self.init(string.unicodeScalars) }

    mutating func insert(_ c: Unicode.Scalar) {
        if c.value < 0x10000 { bits[Int(c.value >> 6)] |= 1 << UInt64(c.value & 63) } else if !astral.contains(c) { astral.append(c) }
    }

    @inline(__always) func contains(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x10000 ? bits[Int(c.value >> 6)] & (1 << UInt64(c.value & 63)) != 0 : astral.contains(c)
    }
}
