/// Date expressions in a sentence, resolved against the publication date with their precision kept:
/// absolute (2017年4月1日, 2024年2月, 2023-12-28, 2020年), relative (今年3月, 去年8月, 同年3月1日,
/// 昨天, 上月), month ranges (去年1~11月 → 2023-01/2023-11, 1月至8月) and the periods of official
/// statistics (一季度, 上半年, 前三季度, 前5个月, 全年, 今年以来). A period without a year is this
/// year's unless it would end after the publication month, then last year's (a bulletin published
/// in February reports 全年 of the year before).
public struct DateFinder: Sendable {
    public struct Found: Equatable, Sendable {
        /// YYYY, YYYY-MM, YYYY-MM-DD, or a range start/end.
        public var value: String
        public var start: Int
        public var end: Int
        public var isRange: Bool { value.contains("/") }
        /// A statistical period (一季度, 1-7月, 全年), as opposed to the day or month of an event.
        public var statistical = false
    }

    public let published: (y: Int, m: Int, d: Int)?

    public init(published: String?) {
        if let p = published, p.count >= 10, let y = Int(p.prefix(4)), let m = Int(p.dropFirst(5).prefix(2)), let d = Int(p.dropFirst(8).prefix(2)) {
            self.published = (y, m, d)
        } else { self.published = nil }
    }

    /// All dates in `s`, left to right. `lastYear` is the most recent year the text named before
    /// this sentence (for 同年/当年); it is updated as dates are found.
    public func find(in s: [Unicode.Scalar], lastYear: inout Int?) -> [Found] {
        var out: [Found] = []
        var i = 0
        while i < s.count {
            if let f = match(s, at: i, lastYear: lastYear) {
                out.append(f)
                if let y = Int(f.value.prefix(4)) { lastYear = y }
                i = f.end
            } else { i += 1 }
        }
        return out
    }

    private func number(_ s: [Unicode.Scalar], _ i: Int, maxDigits: Int) -> (Int, Int)? {
        var j = i, v = 0
        while j < s.count, j - i < maxDigits, CharClass.isDigit(s[j]) { v = v * 10 + Int(s[j].value - 48); j += 1 }
        if j == i || (j < s.count && CharClass.isDigit(s[j])) { return nil }
        return (v, j)
    }

    /// The end of the literal `w` at `i`. Compared byte by byte from the literal's UTF-8 (a
    /// `String`'s scalar view decodes through the standard library's general machinery, and this
    /// runs at every position a date may start).
    private func word(_ s: [Unicode.Scalar], _ i: Int, _ w: StaticString) -> Int? {
        w.withUTF8Buffer { bytes in
            var j = i, b = 0
            while b < bytes.count {
                guard j < s.count else { return nil }
                let lead = bytes[b]
                let n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                var v = n == 1 ? UInt32(lead) : UInt32(lead & (0xFF >> (n + 1)))
                for k in 1..<n { v = v << 6 | UInt32(bytes[b + k] & 0x3F) }
                guard s[j].value == v else { return nil }
                j += 1; b += n
            }
            return j
        }
    }

    private func fmt(_ y: Int, _ m: Int? = nil, _ d: Int? = nil) -> String {
        func pad(_ v: Int, _ width: Int) -> String { let t = String(v); return String(repeating: "0", count: max(0, width - t.count)) + t }
        var out = pad(y, 4)
        if let m { out += "-" + pad(m, 2) }
        if let d { out += "-" + pad(d, 2) }
        return out
    }

    /// Month, day, or month range after a year (or alone): 3月1日, 8月, 1~11月.
    private func monthPart(_ s: [Unicode.Scalar], _ i: Int, year: Int, start: Int) -> Found? {
        guard let (m1, j) = number(s, i, maxDigits: 2), (1...12).contains(m1) else { return nil }
        if j < s.count, ["~", "～", "-", "—", "至", "到"].contains(s[j]), let (m2, k) = number(s, j + 1, maxDigits: 2),
           (1...12).contains(m2), m2 > m1, let e = word(s, k, "月") {
            var f = Found(value: fmt(year, m1) + "/" + fmt(year, m2), start: start, end: e)
            f.statistical = true
            return f
        }
        guard let afterMonth = word(s, j, "月") else { return nil }
        // 1月至8月, 1月—8月: a range with 月 on both ends.
        if afterMonth < s.count, ["~", "～", "-", "—", "至", "到"].contains(s[afterMonth]),
           let (m2, k) = number(s, afterMonth + 1, maxDigits: 2), (1...12).contains(m2), m2 > m1, let e = word(s, k, "月") {
            var f = Found(value: fmt(year, m1) + "/" + fmt(year, m2), start: start, end: e)
            f.statistical = true
            return f
        }
        if let (d, k) = number(s, afterMonth, maxDigits: 2), (1...31).contains(d), let e = word(s, k, "日") ?? word(s, k, "号") {
            return Found(value: fmt(year, m1, d), start: start, end: e)
        }
        return Found(value: fmt(year, m1), start: start, end: afterMonth)
    }

    static let quarters: [(StaticString, Int)] = [("一季度", 1), ("二季度", 2), ("三季度", 3), ("四季度", 4), ("1季度", 1), ("2季度", 2),
                                            ("3季度", 3), ("4季度", 4), ("首季度", 1), ("第一季度", 1), ("第二季度", 2), ("第三季度", 3), ("第四季度", 4)]
    /// Relative years and their offset from the publication year (nil: the year the text last named).
    static let relativeYears: [(StaticString, Int?)] = [("今年", 0), ("去年", -1), ("前年", -2), ("明年", 1), ("同年", nil), ("当年", nil), ("本年", 0)]
    static let relativeDays: [(StaticString, Int)] = [("昨天", -1), ("昨日", -1), ("今天", 0), ("今日", 0), ("前天", -2)]

    /// 一季度, 上半年, 前三季度, 前5个月, 全年, 以来 at `i`: the months they cover (1...12 bounds).
    private func periodWords(_ s: [Unicode.Scalar], _ i: Int) -> (first: Int, last: Int?, end: Int)? {
        guard i < s.count else { return nil }
        for (w, q) in Self.quarters { if let e = word(s, i, w) { return ((q - 1) * 3 + 1, q * 3, e) } }
        if let e = word(s, i, "上半年") { return (1, 6, e) }
        if let e = word(s, i, "下半年") { return (7, 12, e) }
        if let e = word(s, i, "前三季度") ?? word(s, i, "前3季度") { return (1, 9, e) }
        if let e = word(s, i, "前两季度") ?? word(s, i, "前二季度") { return (1, 6, e) }
        if let e = word(s, i, "全年") ?? word(s, i, "年度") { return (1, 12, e) }
        if let e = word(s, i, "以来") ?? word(s, i, "年初以来") { return (1, nil, e) }
        // 前5个月, 前五个月, 前8月
        if let k = word(s, i, "前") {
            var n: Int? = nil, j = k
            if let (v, e) = number(s, k, maxDigits: 2) { n = v; j = e }
            else if j < s.count, let d = ChineseNumber.digit(s[j]) { n = d; j += 1 }
            else if word(s, j, "十一") != nil { n = 11; j += 2 }
            else if word(s, j, "十二") != nil { n = 12; j += 2 }
            else if j < s.count, s[j] == "十" { n = 10; j += 1 }
            if let n, (1...12).contains(n), let e = word(s, j, "个月") ?? word(s, j, "月") { return (1, n, e) }
        }
        return nil
    }

    /// A period or month part after a year (or alone with the year implied).
    private func afterYear(_ s: [Unicode.Scalar], _ k: Int, year: Int, explicit: Bool, start: Int) -> Found? {
        if let p = periodWords(s, k) {
            var y = year
            let last = p.last ?? (published.map { $0.y == year ? max(1, $0.m) : 12 } ?? 12)
            // No year written and the period ends after the publication month: last year's.
            // 全年 alone: last year's in a report of the early months (a bulletin), else this year's
            // (全年力争…, 全年预计…).
            let wholeYear = p.first == 1 && p.last == 12
            if !explicit, let pub = published, y == pub.y,
               wholeYear ? pub.m <= 4 : last > pub.m || (last == pub.m && pub.d < 20 && p.last != nil) { y -= 1 }
            var f: Found
            if p.first == 1 && p.last == 12 { f = Found(value: fmt(y), start: start, end: p.end) }
            else if p.last == nil { f = Found(value: fmt(y), start: start, end: p.end) }
            else { f = Found(value: fmt(y, p.first) + "/" + fmt(y, last), start: start, end: p.end) }
            if p.first == last { f.value = fmt(y, p.first) }
            f.statistical = true
            return f
        }
        return monthPart(s, k, year: year, start: start)
    }

    private func match(_ s: [Unicode.Scalar], at i: Int, lastYear: Int?) -> Found? {
        WorkCounter.add(1)
        // Every date starts with a digit or one of these characters; most positions end here.
        switch s[i] {
        case "0"..."9", "今", "去", "前", "明", "同", "当", "本", "昨", "上", "下", "一", "二", "三", "四", "首", "第", "全", "年": break
        default: return nil
        }
        // Inside a longer number (a phone number, 12345年) there is no date.
        if i > 0, CharClass.isDigit(s[i - 1]) { return nil }
        // 2024年2月1日, 2024年2月, 2024年, 2023-12-28
        if let (y, j) = number(s, i, maxDigits: 4), j - i == 4, (1900...2100).contains(y) {
            if let k = word(s, j, "年") {
                return afterYear(s, k, year: y, explicit: true, start: i) ?? Found(value: fmt(y), start: i, end: k)
            }
            if j < s.count, s[j] == "-", let (m, k) = number(s, j + 1, maxDigits: 2), (1...12).contains(m),
               k < s.count, s[k] == "-", let (d, e) = number(s, k + 1, maxDigits: 2), (1...31).contains(d) {
                return Found(value: fmt(y, m, d), start: i, end: e)
            }
            return nil
        }
        guard let pub = published else { return nil }
        // 今年/去年/前年/明年/同年/当年, then an optional month part.
        for (w, offset) in Self.relativeYears {
            guard let k = word(s, i, w) else { continue }
            let year = offset.map { pub.y + $0 } ?? lastYear
            guard let year else { return nil }
            return afterYear(s, k, year: year, explicit: true, start: i) ?? Found(value: fmt(year), start: i, end: k)
        }
        // 昨天, 今天, 前天, 上月, 本月
        for (w, delta) in Self.relativeDays {
            if let k = word(s, i, w) {
                let (y, m, d) = Self.shift(pub, days: delta)
                return Found(value: fmt(y, m, d), start: i, end: k)
            }
        }
        // 一季度, 上半年, 前三季度, 全年 … with the year implied.
        // (年度 alone is an adjective: 年度计划投资.)
        if s[i] != "年", let f = afterYear(s, i, year: pub.y, explicit: false, start: i), f.statistical { return f }
        if let k = word(s, i, "上月") { return Found(value: pub.m == 1 ? fmt(pub.y - 1, 12) : fmt(pub.y, pub.m - 1), start: i, end: k) }
        if let k = word(s, i, "本月") { return Found(value: fmt(pub.y, pub.m), start: i, end: k) }
        // 11月26日, 3月, 1~11月 with no year: this year, or last year when it would lie ahead.
        if CharClass.isDigit(s[i]), let f = monthPart(s, i, year: pub.y, start: i) {
            if let m = Int(f.value.dropFirst(5).prefix(2)) {
                let d = f.value.count >= 10 ? Int(f.value.dropFirst(8).prefix(2)) ?? 1 : 1
                if (m, d) > (pub.m, pub.d + 7) || m > pub.m + 1 {
                    return monthPart(s, i, year: pub.y - 1, start: i)
                }
            }
            return f
        }
        return nil
    }

    static func shift(_ date: (y: Int, m: Int, d: Int), days: Int) -> (Int, Int, Int) {
        var (y, m, d) = date
        d += days
        func daysIn(_ y: Int, _ m: Int) -> Int {
            switch m { case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28; case 4, 6, 9, 11: return 30; default: return 31 }
        }
        while d < 1 { m -= 1; if m < 1 { m = 12; y -= 1 }; d += daysIn(y, m) }
        while d > daysIn(y, m) { d -= daysIn(y, m); m += 1; if m > 12 { m = 1; y += 1 } }
        return (y, m, d)
    }
}

import Foundation
