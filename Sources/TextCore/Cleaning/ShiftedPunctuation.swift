/// Repairs e-paper text whose font mapped full-width punctuation onto the hanzi one GBK row
/// down (，→袁 。→遥 “→野 ”→冶 、→尧 ；→曰 …→噎 ▶→荩 ■→阴).
///
/// A line is repaired only when its neighbourhood is evidently shifted: several 袁/遥/尧 and few
/// real ，。、 around them. 袁隆平, 遥远 and 野生 in ordinary text, where real punctuation is all
/// around, stay as they are. Two markers are repaired anywhere because their position gives them
/// away: 阴 opening a byline (阴记者, 阴本报) and 荩 closing a page-continuation marker.
public enum ShiftedPunctuation {
    @inline(__always) static func shifted(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s {
        case "袁": return "，"
        case "遥": return "。"
        case "野": return "“"
        case "冶": return "”"
        case "尧": return "、"
        case "曰": return "；"
        case "噎": return "…"
        case "荩": return "▶"
        case "阴": return "■"
        default: return nil
        }
    }

    /// How many lines either side make up a line's neighbourhood.
    static let radius = 3

    /// Returns the lines with shifted stretches repaired, and how many lines were repaired.
    public static func repair(_ lines: [String]) -> (lines: [String], repaired: Int) {
        // One pass per line: the clause-end counts and whether any mapped hanzi occurs at all.
        let counts = lines.map { line -> (shifted: Int, real: Int, any: Bool) in
            var sh = 0, re = 0, any = false
            for s in line.unicodeScalars where s.value >= 0x3000 {
                switch s {
                case "袁", "遥", "尧": sh += 1
                case "，", "。", "、": re += 1
                default: if !any && shifted(s) != nil { any = true }
                }
            }
            return (sh, re, any || sh > 0)
        }
        var out = lines
        var repaired = 0
        // A line is judged with the lines before it and, separately, with the lines after it, so the
        // first and last lines of a shifted block are repaired even next to ordinary text.
        func window(_ range: ClosedRange<Int>) -> Bool {
            var sh = 0, re = 0
            for j in range { sh += counts[j].shifted; re += counts[j].real }
            return isShifted(shifted: sh, real: re)
        }
        for i in lines.indices {
            let before = max(0, i - radius)...i, after = i...min(lines.count - 1, i + radius)
            if counts[i].any && (window(before) || window(after)) {
                out[i] = String(scalars: lines[i].unicodeScalars.map { shifted($0) ?? $0 })
                repaired += 1
            } else if counts[i].any {
                out[i] = repairMarkers(lines[i])
            }
        }
        return (out, repaired)
    }

    static func isShifted(shifted: Int, real: Int) -> Bool {
        shifted >= 3 && real * 4 <= shifted
    }

    /// 阴 before a byline word and 荩 after a page marker are shifted wherever they stand.
    static func repairMarkers(_ line: String) -> String {
        var s = line
        if s.hasPrefix("阴"), let rest = Optional(s.dropFirst()),
           ["记者", "本报", "通讯员", "评论员", "摄影", "文/", "图/"].contains(where: { rest.hasPrefix($0) }) {
            s = "■" + rest
        }
        if s.hasSuffix("荩"), s.has("版") { s = String(s.dropLast()) + "▶" }
        return s
    }
}
