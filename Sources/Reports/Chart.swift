import Foundation

/// A line chart as inline SVG: one series (same metric, region, kind and unit) on a time axis,
/// each period placed at its date (a year at its middle, a month at its middle, a cumulative
/// range such as 2023-01/2023-09 at its last month), so uneven gaps look uneven; ticks on both
/// axes thinned to stay readable with a dozen or a hundred points; every point says its period,
/// figure and evidence on hover.
enum Chart {
    static let width = 360.0, height = 200.0
    static let left = 56.0, right = 14.0, top = 28.0, bottom = 30.0

    static func svg(_ rows: [IndicatorRow]) -> String {
        let dated = rows.compactMap { r in time(r.period).map { (r, $0) } }.sorted { $0.1 < $1.1 }
        guard let first = dated.first?.0 else { return "" }
        let values = dated.map(\.0.value)
        let ticksY = niceTicks(lo: min(0, values.min()!), hi: values.max()!)
        let lo = ticksY.first!, hi = ticksY.last!
        let t0 = dated.first!.1, t1 = dated.last!.1
        let span = max(t1 - t0, 1.0 / 12)
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ t: Double) -> Double { dated.count == 1 ? left + plotW / 2 : left + plotW * (t - t0) / span }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / max(hi - lo, 1e-12)) }
        let title = "\(first.metric) · \(first.region.isEmpty ? "地区不详" : first.region)\(first.kind == "actual" ? "" : " · " + Labels.kind(first.kind))（\(first.unit)）"
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLReport.esc(title))\">"
        s += "<text class=\"title\" x=\"4\" y=\"16\">\(HTMLReport.esc(title))</text>"
        for v in ticksY {
            s += "<line class=\"grid\" x1=\"\(left)\" y1=\"\(fmt(y(v)))\" x2=\"\(left + plotW)\" y2=\"\(fmt(y(v)))\"/>"
            s += "<text x=\"\(left - 4)\" y=\"\(fmt(y(v) + 4))\" text-anchor=\"end\">\(HTMLReport.esc(short(v)))</text>"
        }
        for (t, label) in timeTicks(from: t0, to: t0 + span) where dated.count > 1 {
            s += "<line class=\"tick\" x1=\"\(fmt(x(t)))\" y1=\"\(top + plotH)\" x2=\"\(fmt(x(t)))\" y2=\"\(top + plotH + 4)\"/>"
            // A label near an edge is anchored there, so it stays inside the chart.
            let anchor = x(t) > width - right - 22 ? "end" : x(t) < left + 22 ? "start" : "middle"
            s += "<text x=\"\(fmt(x(t)))\" y=\"\(fmt(top + plotH + 16))\" text-anchor=\"\(anchor)\">\(label)</text>"
        }
        if dated.count == 1 {
            s += "<text x=\"\(fmt(x(t0)))\" y=\"\(fmt(top + plotH + 16))\" text-anchor=\"middle\">\(HTMLReport.esc(first.period))</text>"
        }
        s += "<polyline points=\"\(dated.map { "\(fmt(x($0.1))),\(fmt(y($0.0.value)))" }.joined(separator: " "))\"/>"
        for (r, t) in dated {
            s += "<circle cx=\"\(fmt(x(t)))\" cy=\"\(fmt(y(r.value)))\" r=\"\(dated.count > 40 ? 2 : 3.5)\"><title>\(HTMLReport.esc(r.period))：\(HTMLReport.esc(Format.figure(r))) \(HTMLReport.esc(r.unit))"
            if let e = r.sources.first?.evidence { s += "\n\(HTMLReport.esc(e))" }
            s += "</title></circle>"
        }
        return s + "</svg>"
    }

    /// A period as a point in time, in years (2023.5 is mid-2023): `YYYY`, `YYYY-MM`, `YYYY-MM-DD`,
    /// and ranges `A/B` at B.
    static func time(_ period: String) -> Double? {
        let end = period.split(separator: "/").last.map(String.init) ?? period
        let parts = end.split(separator: "-").compactMap { Int($0) }
        guard let year = parts.first, parts.count == end.split(separator: "-").count, (1900...2200).contains(year) else { return nil }
        switch parts.count {
        case 1: return Double(year) + 0.5
        case 2: return Double(year) + (Double(parts[1]) - 0.5) / 12
        default: return Double(year) + (Double(parts[1] - 1) + Double(parts[2] - 1) / 31) / 12
        }
    }

    /// Year ticks (every n-th year so at most six show), or month ticks within a short span.
    static func timeTicks(from t0: Double, to t1: Double) -> [(Double, String)] {
        if t1 - t0 >= 1.5 {
            let years = Int(t0.rounded(.up))...max(Int(t0.rounded(.up)), Int(t1.rounded(.down)))
            let step = max(1, Int((Double(years.count) / 6).rounded(.up)))
            return years.filter { ($0 - years.lowerBound) % step == 0 }.map { (Double($0), String($0)) }
        }
        var out: [(Double, String)] = []
        var m = Int((t0 * 12).rounded(.up))
        let stepMonths = t1 - t0 > 0.75 ? 3 : 1
        while Double(m) / 12 <= t1 {
            if m % stepMonths == 0 { out.append((Double(m) / 12, String(format: "%d-%02d", m / 12, m % 12 + 1))) }
            m += 1
        }
        return out.count > 6 ? out.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) : out
    }

    /// Round steps (1, 2 or 5 × 10ⁿ) from `lo` to just above `hi`: four or five gridlines.
    static func niceTicks(lo: Double, hi: Double) -> [Double] {
        let range = max(hi - lo, abs(hi) * 1e-6, 1e-9)
        let raw = range / 4
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let start = (lo / step).rounded(.down) * step
        var ticks = [start]
        while ticks.last! < hi - step * 1e-9 || ticks.count < 2, ticks.count < 50 { ticks.append(ticks.last! + step) }
        return ticks
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Axis labels in the units Chinese reports use: 万 and 亿.
    static func short(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1e8 { return Format.number((v / 1e8 * 10).rounded() / 10) + "亿" }
        if a >= 1e4 { return Format.number((v / 1e4 * 10).rounded() / 10) + "万" }
        return Format.number((v * 100).rounded() / 100)
    }
}
