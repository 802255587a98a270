/// Per-line normalisation: full-width digits and Latin letters to ASCII, ASCII punctuation next to
/// hanzi to its full-width form, stray spaces between hanzi and digits (or CJK punctuation) removed,
/// and the line trimmed.
public enum Normalizer {
    static let toFullWidth: [Unicode.Scalar: Unicode.Scalar] = [
        ",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）",
    ]

    public static func normalize(_ line: Substring) -> String {
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
            guard let wide = toFullWidth[scalars[i]] else { continue }
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

    static func isStray(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        if CharClass.isCJKPunct(a) || CharClass.isCJKPunct(b) { return true }
        if CharClass.isHan(a) && (CharClass.isDigit(b) || b == "%") { return true }
        if CharClass.isDigit(a) && CharClass.isHan(b) { return true }
        return false
    }
}
