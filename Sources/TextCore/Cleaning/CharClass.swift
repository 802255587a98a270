/// Character classes the cleaning and extraction rules share.
enum CharClass {
    @inline(__always) static func isHan(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0x20000...0x2FA1F).contains(v) || v == 0x3007
    }
    /// Full-width and CJK punctuation (，。、；：？！“”‘’（）《》【】…—·).
    @inline(__always) static func isCJKPunct(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x3000...0x303F).contains(v) || (0xFF01...0xFF0F).contains(v) || (0xFF1A...0xFF20).contains(v)
            || (0xFF3B...0xFF40).contains(v) || (0xFF5B...0xFF65).contains(v)
            || v == 0x2018 || v == 0x2019 || v == 0x201C || v == 0x201D || v == 0x2026 || v == 0x2014 || v == 0x00B7
    }
    @inline(__always) static func isASCIIAlnum(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (48...57).contains(v) || (65...90).contains(v) || (97...122).contains(v)
    }
    @inline(__always) static func isDigit(_ s: Unicode.Scalar) -> Bool { (48...57).contains(s.value) }
    @inline(__always) static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\u{3000}" || s == "\u{00A0}" || s == "\r" || s == "\u{200B}" || s == "\u{FEFF}"
    }
    /// Punctuation that ends a sentence or a paragraph.
    enum terminal {
        @inline(__always) static func contains(_ s: Unicode.Scalar) -> Bool {
            switch s { case "。", "！", "？", "；", "…", "!", "?", "」", "』": return true; default: return false }
        }
    }
    /// A closing quote or bracket ends a paragraph when what it closes does ("…。”").
    enum closers {
        @inline(__always) static func contains(_ s: Unicode.Scalar) -> Bool {
            switch s { case "”", "’", "）", ")", "》", "」": return true; default: return false }
        }
    }
}
