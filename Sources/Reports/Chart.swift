import Foundation

/// A small line chart as inline SVG: one series (same metric, region, kind and unit), periods on
/// the x axis in order and evenly spaced (they mix years, months and ranges), values on y from 0.
enum Chart {
    static let width = 320.0, height = 180.0
    static let left = 56.0, right = 24.0, top = 28.0, bottom = 34.0

    static func svg(_ rows: [IndicatorRow]) -> String {
        guard let first = rows.first else { return "" }
        let values = rows.map(\.value)
        let lo = min(0, values.min()!), hi = max(values.max()!, lo + 1)
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ i: Int) -> Double { rows.count == 1 ? left + plotW / 2 : left + plotW * Double(i) / Double(rows.count - 1) }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / (hi - lo)) }
        let title = "\(first.metric) · \(first.region)\(first.kind == "actual" ? "" : " · " + first.kind) (\(first.unit))"
        var s = "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLReport.esc(title))\">"
        s += "<text class=\"title\" x=\"4\" y=\"16\">\(HTMLReport.esc(title))</text>"
        // Axes and the top and bottom of the scale.
        s += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotH)\" stroke=\"#c4ced8\"/>"
        s += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#c4ced8\"/>"
        s += "<text x=\"\(left - 4)\" y=\"\(top + 4)\" text-anchor=\"end\">\(HTMLReport.esc(short(hi)))</text>"
        s += "<text x=\"\(left - 4)\" y=\"\(top + plotH)\" text-anchor=\"end\">\(HTMLReport.esc(short(lo)))</text>"
        let points = rows.enumerated().map { "\(fmt(x($0.offset))),\(fmt(y($0.element.value)))" }.joined(separator: " ")
        s += "<polyline points=\"\(points)\"/>"
        for (i, r) in rows.enumerated() {
            s += "<circle cx=\"\(fmt(x(i)))\" cy=\"\(fmt(y(r.value)))\" r=\"3.5\"><title>\(HTMLReport.esc(r.period)): \(HTMLReport.esc(Format.figure(r))) \(HTMLReport.esc(r.unit))"
            if let e = r.sources.first?.evidence { s += " — \(HTMLReport.esc(e))" }
            s += "</title></circle>"
            // The last label ends at its point, so a long period (2023-01/2023-11) stays inside.
            let anchor = i == rows.count - 1 && rows.count > 1 ? "end" : "middle"
            s += "<text x=\"\(fmt(x(i)))\" y=\"\(fmt(top + plotH + 16))\" text-anchor=\"\(anchor)\">\(HTMLReport.esc(r.period))</text>"
        }
        return s + "</svg></figure>"
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Axis labels in the units Chinese reports use: 万 and 亿.
    static func short(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1e8 { return Format.number((v / 1e8 * 10).rounded() / 10) + "亿" }
        if a >= 1e4 { return Format.number((v / 1e4 * 10).rounded() / 10) + "万" }
        return Format.number(v)
    }
}
