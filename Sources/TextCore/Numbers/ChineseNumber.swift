/// Numbers as Chinese news writes them: Arabic with decimals and thousands separators, Chinese
/// numerals (五十亿, 一百零五, 两), and the two mixed (3.8亿, 1.2万亿, 101.76万). Parsing starts at a
/// position in an array of scalars and reports how far the number reaches.
public enum ChineseNumber {
    static func digit(_ s: Unicode.Scalar) -> Int? {
        switch s {
        case "零", "〇": return 0
        case "一": return 1
        case "二", "两": return 2
        case "三": return 3
        case "四": return 4
        case "五": return 5
        case "六": return 6
        case "七": return 7
        case "八": return 8
        case "九": return 9
        default: return nil
        }
    }
    static func smallUnit(_ s: Unicode.Scalar) -> Int? {
        switch s { case "十": return 10; case "百": return 100; case "千": return 1000; default: return nil }
    }
    static func bigUnit(_ s: Unicode.Scalar) -> Double? {
        switch s { case "万": return 1e4; case "亿": return 1e8; default: return nil }
    }
    public static func isChineseNumeral(_ s: Unicode.Scalar) -> Bool { digit(s) != nil || smallUnit(s) != nil }

    public struct Parsed: Equatable, Sendable {
        public var value: Double
        /// Index just past the number (multipliers 万/亿 included).
        public var end: Int
        public var chinese: Bool
    }

    /// Parses an Arabic number at `i`, with a following 万/亿/万亿 multiplier folded in.
    public static func arabic(_ s: [Unicode.Scalar], at i: Int) -> Parsed? {
        var j = i
        var text = ""
        var sawPoint = false   // (a flag: String.contains(".") goes through Foundation's NSString search)
        while j < s.count {
            let c = s[j]
            if CharClass.isDigit(c) { text.unicodeScalars.append(c); j += 1; continue }
            if c == ",", j + 3 < s.count + 1, !text.isEmpty, j + 3 <= s.count - 1 || j + 3 == s.count,
               (1...3).allSatisfy({ j + $0 < s.count && CharClass.isDigit(s[j + $0]) }),
               !(j + 4 < s.count && CharClass.isDigit(s[j + 4])) { j += 1; continue }
            if c == ".", !text.isEmpty, !sawPoint, j + 1 < s.count, CharClass.isDigit(s[j + 1]) {
                text.unicodeScalars.append(c); j += 1; sawPoint = true; continue
            }
            break
        }
        guard !text.isEmpty, var value = Double(text) else { return nil }
        (value, j) = multipliers(s, value, j)
        return Parsed(value: value, end: j, chinese: false)
    }

    static func multipliers(_ s: [Unicode.Scalar], _ v: Double, _ j: Int) -> (Double, Int) {
        var value = v, k = j
        if k < s.count, s[k] == "千", k + 1 < s.count, s[k + 1] == "万" { value *= 1e7; k += 2 }
        else if k < s.count, s[k] == "百", k + 1 < s.count, s[k + 1] == "万" { value *= 1e6; k += 2 }
        // 3千多项, 5千余人: 千 as a multiplier, unless it opens a unit (千瓦, 千米, 千克, 千瓦时).
        else if k < s.count, s[k] == "千", !(k + 1 < s.count && "瓦米克焦卡".unicodeScalars.contains(s[k + 1])) { value *= 1e3; k += 1 }
        while k < s.count, let m = bigUnit(s[k]) { value *= m; k += 1 }
        return (value, k)
    }

    /// Parses a Chinese numeral at `i` (一百零五, 五十亿, 两千三百万, 十六).
    public static func chinese(_ s: [Unicode.Scalar], at i: Int) -> Parsed? {
        var j = i
        var total = 0.0, section = 0.0, current = 0.0
        var sawAny = false
        while j < s.count {
            let c = s[j]
            if let d = digit(c) {
                // Two digits side by side (一一, 唯一一个) do not make a number.
                if j > i, digit(s[j - 1]) != nil, !(s[j - 1] == "零" || s[j - 1] == "〇") { return nil }
                current = Double(d); sawAny = true; j += 1
            } else if let u = smallUnit(c) {
                section += (current == 0 && !sawAny || current == 0 && u == 10 ? 1 : current) * Double(u)
                current = 0; sawAny = true; j += 1
            } else if let b = bigUnit(c), sawAny {
                section += current
                if b == 1e8 { total = (total + section) * b } else { total += section * b }
                section = 0; current = 0; j += 1
            } else { break }
        }
        guard sawAny else { return nil }
        return Parsed(value: total + section + current, end: j, chinese: true)
    }

    /// `百分之五十五` → 55 (reported in %); `三分之一` → 0.333….
    public static func fraction(_ s: [Unicode.Scalar], at i: Int) -> (value: Double, end: Int, percent: Bool)? {
        if i + 3 <= s.count, s[i] == "百", s[i + 1] == "分", s[i + 2] == "之" {
            if let n = arabic(s, at: i + 3) ?? chinese(s, at: i + 3) { return (n.value, n.end, true) }
        }
        if let d = arabic(s, at: i) ?? chinese(s, at: i), d.end + 2 < s.count, s[d.end] == "分", s[d.end + 1] == "之",
           let n = arabic(s, at: d.end + 2) ?? chinese(s, at: d.end + 2), d.value != 0 {
            return (n.value / d.value * 100, n.end, true)
        }
        return nil
    }

    /// Convenience for tests and callers with a string: the number at the start of `text`.
    public static func parse(_ text: String) -> Double? {
        let s = Array(text.unicodeScalars)
        if let f = fraction(s, at: 0), f.end == s.count { return f.value }
        guard let p = arabic(s, at: 0) ?? chinese(s, at: 0), p.end == s.count else { return nil }
        return p.value
    }
}
