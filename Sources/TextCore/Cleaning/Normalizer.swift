/// Per-line normalisation: full-width digits and Latin letters to ASCII, ASCII punctuation next to
/// hanzi to its full-width form, stray spaces between hanzi and digits (or CJK punctuation) removed,
/// and the line trimmed.
public enum Normalizer {
    @inline(__always) static func fullWidth(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s {
        case ",": return "，"
        case ";": return "；"
        case ":": return "："
        case "?": return "？"
        case "!": return "！"
        case "(": return "（"
        case ")": return "）"
        default: return nil
        }
    }

    public static func normalize(_ line: Substring) -> String {
        if isAlreadyNormal(line) { return String(line) }
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(line.unicodeScalars.count)
        for s in line.unicodeScalars {
            let v = s.value
            if (0xFF10...0xFF19).contains(v) || (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v)
                || v == 0xFF05 || v == 0xFF0E || v == 0xFF0B || v == 0xFF0D {
                scalars.append(Unicode.Scalar(v - 0xFEE0)!)   // ０-９, Ａ-Ｚ, ａ-ｚ, ％, ．, ＋, －
            } else if s == "\u{3000}" || s == "\u{00A0}" || s == "\t" || s == "\u{200B}" || s == "\u{FEFF}" || s == "\r" {
                scalars.append(" ")
            } else {
                scalars.append(s)
            }
        }
        // ASCII punctuation touching hanzi becomes full-width (not between two ASCII letters/digits).
        for i in scalars.indices {
            guard scalars[i].value < 0x80, let wide = fullWidth(scalars[i]) else { continue }
            let prev = i > 0 ? scalars[i - 1] : nil
            let next = i + 1 < scalars.count ? scalars[i + 1] : nil
            let hanNear = prev.map(CharClass.isHan) == true || next.map(CharClass.isHan) == true
                || prev.map(CharClass.isCJKPunct) == true
            let alnumBoth = prev.map(CharClass.isASCIIAlnum) == true && next.map(CharClass.isASCIIAlnum) == true
            if hanNear && !alnumBoth { scalars[i] = wide }
        }
        // Spaces between a hanzi and a digit, or next to CJK punctuation, are layout, not text.
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if s == " " {
                var j = i
                while j < scalars.count && scalars[j] == " " { j += 1 }
                let prev = out.last
                let next = j < scalars.count ? scalars[j] : nil
                if let prev, let next, !isStray(prev, next) { out.append(" ") }
                i = j
                continue
            }
            out.append(s)
            i += 1
        }
        return String(out)
    }

    /// True when no rule applies: no spaces or control characters, no ASCII punctuation that could
    /// widen, no full-width digit, letter, %, ., + or -. Read on UTF-8 bytes, most lines of a
    /// Chinese page take this path.
    static func isAlreadyNormal(_ line: Substring) -> Bool {
        var utf8 = line.utf8.makeIterator()
        var prev2: UInt8 = 0, prev1: UInt8 = 0
        while let b = utf8.next() {
            switch b {
            case 0x09, 0x0D, 0x20, 0x21, 0x28, 0x29, 0x2C, 0x3A, 0x3B, 0x3F: return false
            default: break
            }
            if prev2 == 0xEF {
                // U+FF00–U+FF5F are EF BC xx and EF BD xx; widths to fold sit among them.
                if prev1 == 0xBC, (0x85...0x8E).contains(b) && b != 0x8C && b != 0x88 && b != 0x89 && b != 0x8A || (0x90...0x99).contains(b) || (0xA1...0xBA).contains(b) { return false }
                if prev1 == 0xBD, (0x81...0x9A).contains(b) { return false }
                if prev1 == 0xBB, b == 0xBF { return false }
            }
            if prev2 == 0xE3, prev1 == 0x80, b == 0x80 { return false }       // U+3000
            if prev2 == 0xE2, prev1 == 0x80, b == 0x8B { return false }       // U+200B
            if prev1 == 0xC2, b == 0xA0 { return false }                      // U+00A0
            prev2 = prev1; prev1 = b
        }
        return true
    }

    static func isStray(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        if CharClass.isCJKPunct(a) || CharClass.isCJKPunct(b) { return true }
        if CharClass.isHan(a) && (CharClass.isDigit(b) || b == "%") { return true }
        if CharClass.isDigit(a) && CharClass.isHan(b) { return true }
        return false
    }
}
