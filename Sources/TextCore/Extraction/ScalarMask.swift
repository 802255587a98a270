/// A set of Basic Multilingual Plane scalars as a bitmap (8 KB): membership is a shift and a mask,
/// where a `Set` or `Dictionary` would hash. Used to skip, at most positions of a text, the lookups
/// of word lists and the gazetteer (which start with few of the characters news is written in).
/// Scalars outside the BMP always answer true, so callers fall back to their exact lookup.
struct ScalarMask: Sendable {
    private var bits = [UInt64](repeating: 0, count: 1024)

    init<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar {
        for c in scalars where c.value < 0x10000 { bits[Int(c.value >> 6)] |= 1 << UInt64(c.value & 63) }
    }

    @inline(__always) func mayContain(_ c: Unicode.Scalar) -> Bool {
        c.value >= 0x10000 || bits[Int(c.value >> 6)] & (1 << UInt64(c.value & 63)) != 0
    }
}
