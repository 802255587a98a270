/// A map from 64-bit keys (scalar hashes, two scalars packed) to values, by open addressing with
/// linear probing. Swift's `Dictionary` hashes every key through seeded SipHash, which was a fifth
/// of extraction time: the word graph probes the dictionary once per character of every clause,
/// the gazetteer once per position. Keys here are already well mixed or are mixed by one multiply,
/// and a key sits beside its value, so a probe is usually one cache line of a table too large for
/// the cache (the word dictionary's). Built once when lexicons load; read-only after.
struct HashTable<Value: Sendable>: Sendable {
    /// An empty slot has no value (an Optional of a class reference or of a struct with spare bits
    /// costs no extra space).
    private var slots: [(key: UInt64, value: Value?)]
    private(set) var count = 0
    private var mask: Int

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: (0, nil), count: size)
        mask = size - 1
    }

    /// Fibonacci hashing: one multiply spreads packed scalars (whose low bits vary little) over
    /// the table; the top bits of the product are the best mixed.
    @inline(__always) private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always) private func find(_ key: UInt64) -> Int {
        var i = home(key)
        while slots[i].value != nil, slots[i].key != key { i = (i + 1) & mask }
        return i
    }

    subscript(key: UInt64) -> Value? {
        get { slots[find(key)].value }
        set {
            guard let newValue else { preconditionFailure("HashTable does not remove keys") }
            let i = find(key)
            if slots[i].value == nil { count += 1 }
            slots[i] = (key, newValue)
            if count * 2 > mask + 1 { grow() }
        }
    }

    func contains(_ key: UInt64) -> Bool { slots[find(key)].value != nil }

    /// Changes the value of a key in place (a bucket's list), inserting `fallback` first if absent.
    mutating func update(_ key: UInt64, default fallback: @autoclosure () -> Value, _ change: (inout Value) -> Void) {
        var value = self[key] ?? fallback()
        change(&value)
        self[key] = value
    }

    /// Every value in place (sorting buckets once they are complete).
    mutating func mapValuesInPlace(_ change: (inout Value) -> Void) {
        for i in slots.indices where slots[i].value != nil { change(&slots[i].value!) }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: (0, nil), count: (mask + 1) * 2)
        mask = slots.count - 1
        for slot in old where slot.value != nil { slots[find(slot.key)] = slot }
    }
}
