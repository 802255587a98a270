/// A one-hash Bloom filter over 64-bit keys in 128 KB: answers "certainly absent" for most keys
/// without touching a table too large for the cache. The gazetteer keys its names by their first
/// two characters, and nearly every position of a text starts some place name's first character,
/// but few start a name's first two: this filter turns most of those lookups into one bit test.
struct KeyFilter: Sendable {
    private var bits = [UInt64](repeating: 0, count: 1 << 14)

    init() {}

    @inline(__always) private static func bit(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 44) }

    mutating func insert(_ key: UInt64) {
        let b = Self.bit(key)
        bits[b >> 6] |= 1 << UInt64(b & 63)
    }

    @inline(__always) func mayContain(_ key: UInt64) -> Bool {
        let b = Self.bit(key)
        return bits[b >> 6] & (1 << UInt64(b & 63)) != 0
    }
}
