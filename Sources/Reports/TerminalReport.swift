/// The report `tideline report` and `tideline up` print: the latest figure per metric and region,
/// then the milestone timeline, in at most `width` columns (CJK characters count two).
public enum TerminalReport {
    public static func render(_ data: ReportData, width: Int = 100, evidence: Bool = false) -> String {
        var out: [String] = []
        let latest = data.latestIndicators
        let filter = describe(data.filter)
        out.append("INDICATORS: latest figure per metric and region (\(latest.count) of \(data.indicators.count) rows\(filter))")
        out.append(String(repeating: "─", count: width))
        // Fixed columns; the metric takes what is left.
        let region = 8, kind = 6, value = 16, unit = 8, mentions = 3
        let rest = max(24, width - (2 + region + kind + value + 1 + unit + mentions + 2 * 5))
        let period = min(15, max(8, rest / 3)), metric = rest - period
        func line(_ cols: [String]) -> String { trimRight("  " + cols.joined(separator: "  ")) }
        out.append(line([Format.cell("metric", metric), Format.cell("region", region), Format.cell("period", period),
                          Format.cell("kind", kind), Format.cell("value", value, right: true) + " " + Format.cell("unit", unit),
                          Format.cell("src", mentions, right: true)]))
        if latest.isEmpty { out.append("  (no indicators\(filter.isEmpty ? " yet: run `tideline up`" : " match the filter"))") }
        for row in latest {
            out.append(line([Format.cell(row.metric, metric), Format.cell(row.region, region),
                              Format.cell(row.period.isEmpty ? "—" : row.period, period), Format.cell(row.kind, kind),
                              Format.cell(Format.figure(row) + (row.conflict ? "!" : ""), value, right: true) + " " + Format.cell(row.unit, unit),
                              Format.cell(String(row.mentions), mentions, right: true)]))
            if evidence, let s = row.sources.first {
                out.append(trimRight("    " + Format.cell("“\(s.evidence)” \(Format.sourceName(s.sourceID))", width - 4)))
            }
        }
        if latest.contains(where: \.conflict) { out.append("  ! sources disagree on this figure: `tideline report --html` lists them") }

        out.append("")
        out.append("MILESTONES: timeline (\(data.milestones.count)\(filter))")
        out.append(String(repeating: "─", count: width))
        let date = 10, action = 11, mRegion = 8
        let subject = max(12, width - (2 + date + 1 + action + mRegion + mentions + 2 * 4))
        out.append(line([Format.cell("date", date + 1), Format.cell("action", action), Format.cell("subject", subject),
                          Format.cell("region", mRegion), Format.cell("src", mentions, right: true)]))
        if data.milestones.isEmpty { out.append("  (no milestones\(filter.isEmpty ? " yet" : " match the filter"))") }
        for m in data.milestones {
            let what = m.document.map { m.subject == $0 ? "《\($0)》" : "\(m.subject)《\($0)》" } ?? m.subject
            out.append(line([Format.cell(m.date + (m.planned ? "*" : ""), date + 1), Format.cell(m.action, action),
                              Format.cell(what, subject), Format.cell(m.region, mRegion),
                              Format.cell(String(m.mentions), mentions, right: true)]))
            if evidence, let s = m.sources.first {
                out.append(trimRight("    " + Format.cell("“\(s.evidence)” \(Format.sourceName(s.sourceID))", width - 4)))
            }
        }
        if data.milestones.contains(where: \.planned) { out.append("  * planned: a future step the text announces") }
        return out.joined(separator: "\n") + "\n"
    }

    static func describe(_ f: ReportFilter) -> String {
        var parts: [String] = []
        if let r = f.region { parts.append("region \(r)") }
        if let m = f.metric { parts.append("metric ~ \(m)") }
        if let s = f.since { parts.append("since \(s)") }
        return parts.isEmpty ? "" : "; " + parts.joined(separator: ", ")
    }

    static func trimRight(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }
}
