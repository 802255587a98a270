extension String {
    /// A string from Unicode scalars, encoded straight into the string's UTF-8 storage: one
    /// allocation, where `String(String.UnicodeScalarView(scalars))` appends scalar by scalar and
    /// regrows (it was the largest single allocator in extraction).
    init<C: Collection>(scalars: C) where C.Element == Unicode.Scalar {
        var capacity = 0
        for c in scalars { capacity += UTF8.width(c) }
        guard capacity > 0 else { self = ""; return }
        self.init(unsafeUninitializedCapacity: capacity) { buffer in
            var i = 0
            for c in scalars {
                UTF8.encode(c) { byte in buffer[i] = byte; i += 1 }
            }
            return i
        }
    }
}
