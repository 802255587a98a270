import Foundation

/// Number and text formatting shared by the terminal and HTML reports.
public enum Format {
    /// 1017600 → 1,017,600; 0.35 → 0.35; 955.6e8 → 95,560,000,000.
    static func number(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 {
            let digits = String(Int64(abs(v)))
            var out = ""
            for (i, c) in digits.enumerated() {
                if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
                out.append(c)
            }
            return (v < 0 ? "-" : "") + out
        }
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// A figure as a reader says it: value or range, with its qualifier (约, 超, ≥, <).
    static func figure(_ row: IndicatorRow) -> String {
        var s = number(row.value)
        if let m = row.valueMax { s += "–" + number(m) }
        switch row.qualifier {
        case "approx": return "≈" + s
        case "more_than": return ">" + s
        case "at_least": return "≥" + s
        case "less_than": return "<" + s
        default: return s
        }
    }

    /// Columns a string takes in a terminal: East Asian wide and full-width characters take two.
    public static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : ($1.properties.generalCategory == .nonspacingMark ? 0 : 1)) }
    }

    static func isWide(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
    }

    /// Cut to `columns` terminal columns (a wide character takes two), ending in … when cut.
    public static func cut(_ s: String, columns: Int) -> String {
        guard width(s) > columns else { return s }
        var out = "", used = 0
        for c in s {
            let w = width(String(c))
            if used + w > columns - 1 { break }
            out.append(c); used += w
        }
        return out + "…"
    }

    /// Cut to `columns` (ending in … when cut) and pad with spaces to exactly `columns`.
    public static func cell(_ s: String, _ columns: Int, right: Bool = false) -> String {
        let text = cut(s, columns: columns)
        let pad = String(repeating: " ", count: max(0, columns - width(text)))
        return right ? pad + text : text + pad
    }

    /// The file name of a source id (`main/seeds/002_…txt` → `002_…txt`); URLs stay whole.
    static func sourceName(_ id: String) -> String {
        if id.contains("://") { return id }
        return id.split(separator: "/").last.map(String.init) ?? id
    }
}
