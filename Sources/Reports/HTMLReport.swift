import Foundation
import Queue

/// `tideline report --html FILE`: one self-contained page (no scripts or fonts from the network):
/// the queue summary, a chart (inline SVG) for every series with two or more periods, the
/// indicator table with each figure's sources behind a <details>, and the milestone timeline.
public enum HTMLReport {
    public static func render(_ data: ReportData) -> String {
        var body = ""
        body += "<header><h1>Tideline report</h1><p>Generated \(esc(data.generatedAt))"
        body += data.filter.isEmpty ? "" : " · filter: \(esc(String(TerminalReport.describe(data.filter).dropFirst(2))))"
        body += " · \(data.indicators.count) indicator rows · \(data.milestones.count) milestones</p></header>\n"
        body += queueSection(data.queue)
        body += chartsSection(data.series)
        body += indicatorSection(data.indicators)
        body += milestoneSection(data.milestones)
        return """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Tideline report</title>
        <style>\(style)</style></head>
        <body>
        \(body)</body></html>

        """
    }

    static func queueSection(_ queue: [QueueCount]) -> String {
        let pipeline = Stage.allCases.map(\.rawValue)
        let stages = pipeline + Set(queue.map(\.stage)).subtracting(pipeline).sorted()
        let states = ["available", "running", "retryable", "succeeded", "dead", "cancelled"]
        var s = "<section id=\"queue\"><h2>Queue</h2><table class=\"queue\"><thead><tr><th>stage</th>"
        s += states.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>"
        for stage in stages where queue.contains(where: { $0.stage == stage }) {
            s += "<tr><td>\(esc(stage))</td>"
            for state in states {
                let n = queue.filter { $0.stage == stage && $0.state == state }.reduce(0) { $0 + $1.count }
                s += "<td class=\"num\(state == "dead" && n > 0 ? " bad" : "")\">\(n)</td>"
            }
            s += "</tr>"
        }
        if queue.isEmpty { s += "<tr><td colspan=\"7\">no jobs</td></tr>" }
        return s + "</tbody></table></section>\n"
    }

    static func chartsSection(_ series: [[IndicatorRow]]) -> String {
        guard !series.isEmpty else {
            return "<section id=\"charts\"><h2>Series</h2><p class=\"note\">No metric has two or more periods yet.</p></section>\n"
        }
        var s = "<section id=\"charts\"><h2>Series</h2><div class=\"charts\">"
        for rows in series { s += Chart.svg(rows) }
        return s + "</div></section>\n"
    }

    static func indicatorSection(_ rows: [IndicatorRow]) -> String {
        var s = "<section id=\"indicators\"><h2>Indicators</h2><table class=\"indicators\"><thead><tr>"
        s += ["metric", "region", "period", "kind", "value", "unit", "qualifier", "sources"].map { "<th>\($0)</th>" }.joined()
        s += "</tr></thead><tbody>"
        let sorted = rows.sorted { ($0.metric, $0.region, $0.kind, $0.period) < ($1.metric, $1.region, $1.kind, $1.period) }
        for r in sorted {
            s += "<tr\(r.conflict ? " class=\"conflict\"" : "")><td>\(esc(r.metric))</td><td>\(esc(r.region))</td>"
            s += "<td class=\"nowrap\">\(esc(r.period.isEmpty ? "—" : r.period))</td><td>\(esc(r.kind))</td>"
            s += "<td class=\"num\" title=\"\(esc(r.sources.first?.evidence ?? ""))\">\(esc(Format.figure(r)))\(r.conflict ? " <b title=\"sources disagree\">!</b>" : "")</td>"
            s += "<td>\(esc(r.unit))</td><td>\(esc(r.qualifier))</td><td>\(sources(r.sources))</td></tr>"
        }
        if rows.isEmpty { s += "<tr><td colspan=\"8\">no indicators</td></tr>" }
        return s + "</tbody></table></section>\n"
    }

    static func milestoneSection(_ rows: [MilestoneRow]) -> String {
        var s = "<section id=\"milestones\"><h2>Milestones</h2><ol class=\"timeline\">"
        for m in rows {
            s += "<li class=\"\(m.planned ? "planned" : "")\"><time>\(esc(m.date))</time>"
            s += "<span class=\"action \(esc(m.action))\">\(esc(m.action))\(m.planned ? " (planned)" : "")</span>"
            s += "<span class=\"subject\">\(esc(m.subject))</span>"
            if let d = m.document, d != m.subject { s += "<span class=\"doc\">《\(esc(d))》</span>" }
            if !m.region.isEmpty { s += "<span class=\"region\">\(esc(m.region))</span>" }
            s += sources(m.sources) + "</li>"
        }
        if rows.isEmpty { s += "<li>no milestones</li>" }
        return s + "</ol></section>\n"
    }

    /// Every mention behind a figure, folded: the count shows, the sentences expand.
    static func sources(_ refs: [SourceRef]) -> String {
        guard !refs.isEmpty else { return "" }
        var s = "<details><summary>\(refs.count) source\(refs.count == 1 ? "" : "s")</summary><ul>"
        for r in refs {
            s += "<li><q>\(esc(r.evidence))</q> <cite>\(esc(Format.sourceName(r.sourceID)))\(r.published.map { ", " + esc($0) } ?? "")</cite></li>"
        }
        return s + "</ul></details>"
    }

    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static let style = """
    body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2733;background:#fff}
    h1{font-size:1.6rem;margin:0}header p{color:#5b6670;margin:.3rem 0 1.5rem}h2{font-size:1.2rem;border-bottom:2px solid #d8e0e8;padding-bottom:.3rem;margin-top:2rem}
    table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.3rem .5rem;border-bottom:1px solid #e6ebf0;text-align:left;vertical-align:top}
    th{background:#f3f6f9;font-weight:600}td.nowrap{white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.bad{color:#b3261e;font-weight:700}
    tr.conflict td{background:#fff6e5}details summary{cursor:pointer;color:#2f6690}details ul{margin:.3rem 0;padding-left:1.1rem}q{quotes:"“" "”"}cite{color:#5b6670;font-style:normal;font-size:.8rem}
    .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem}.chart{margin:0;border:1px solid #e6ebf0;border-radius:6px;padding:.5rem}
    .chart text{font-size:11px;fill:#5b6670}.chart .title{font-size:13px;fill:#1d2733;font-weight:600}.chart polyline{fill:none;stroke:#2f6690;stroke-width:2}.chart circle{fill:#2f6690}
    ol.timeline{list-style:none;padding:0;border-left:3px solid #d8e0e8;margin-left:.5rem}ol.timeline li{padding:.4rem 0 .4rem 1rem;position:relative}
    ol.timeline li:before{content:"";position:absolute;left:-.5rem;top:.8rem;width:.7rem;height:.7rem;border-radius:50%;background:#2f6690}
    ol.timeline li.planned:before{background:#fff;border:2px solid #2f6690;width:.5rem;height:.5rem}
    time{font-variant-numeric:tabular-nums;font-weight:600;margin-right:.6rem}.action{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:3px;background:#e8f0f7;color:#2f6690;margin-right:.5rem}
    .doc,.region{color:#5b6670;margin-left:.4rem;font-size:.85rem}.note{color:#5b6670}
    """
}
