import Foundation
import Queue
import TextCore

/// `tideline report --html FILE`: one self-contained page for an analyst (no scripts, fonts or
/// styles from the network; it works offline and can be mailed): filters (search, region, kind,
/// period range), a chart on a time axis for every series with two or more periods, the sortable
/// indicator table with each figure's sources behind a <details> (the figure marked in its
/// sentence, web sources as links), the milestone timeline, and the queue last, for operators.
/// Labels are Chinese; the layout narrows to a phone's width.
public enum HTMLReport {
    public static func render(_ data: ReportData) -> String {
        var body = ""
        body += "<header><h1>Tideline 报告</h1><p>生成于 \(esc(data.generatedAt))"
        body += data.filter.isEmpty ? "" : " · 筛选：\(esc(String(TerminalReport.describe(data.filter).dropFirst(2))))"
        body += " · \(data.indicators.count) 行指标 · \(data.series.count) 个序列 · \(data.milestones.count) 个里程碑</p>"
        body += filters(data) + "</header>\n"
        body += chartsSection(data.series)
        body += indicatorSection(data.indicators)
        body += milestoneSection(data.milestones)
        body += queueSection(data.queue)
        return """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Tideline 报告</title>
        <style>\(style)</style></head>
        <body>
        \(body)<script>\(script)</script></body></html>

        """
    }

    /// Search, region, kind and period filters over the charts, the table and the timeline, run
    /// by the page's own script (no network): each filtered element carries its values in data-
    /// attributes.
    static func filters(_ data: ReportData) -> String {
        let regions = Set(data.indicators.map(\.region) + data.milestones.map(\.region)).filter { !$0.isEmpty }.sorted()
        var s = "<form id=\"filters\" role=\"search\" onsubmit=\"return false\">"
        s += "<input type=\"search\" id=\"q\" placeholder=\"搜索指标、主题或原文\" aria-label=\"搜索\">"
        s += "<select id=\"region\" aria-label=\"地区\"><option value=\"\">全部地区</option>"
        s += regions.map { "<option>\(esc($0))</option>" }.joined() + "</select>"
        s += "<select id=\"kind\" aria-label=\"类型\"><option value=\"\">全部类型</option>"
        s += ["actual", "target", "change"].map { "<option value=\"\($0)\">\(Labels.kind($0))</option>" }.joined() + "</select>"
        s += "<input id=\"since\" placeholder=\"自 2020\" aria-label=\"起始期间\" size=\"9\">"
        s += "<input id=\"until\" placeholder=\"至 2024-06\" aria-label=\"截止期间\" size=\"9\">"
        s += "<output id=\"shown\"></output></form>"
        return s
    }

    /// The data attributes the filter script reads.
    static func filterAttributes(text: String, region: String, kind: String?, period: String) -> String {
        "data-text=\"\(esc(text))\" data-region=\"\(esc(region))\" data-kind=\"\(esc(kind ?? ""))\" data-period=\"\(esc(period))\""
    }

    static func queueSection(_ queue: [QueueCount]) -> String {
        let pipeline = Stage.allCases.map(\.rawValue)
        let stages = pipeline + Set(queue.map(\.stage)).subtracting(pipeline).sorted()
        let states = ["available", "running", "succeeded", "dead", "cancelled"]
        var s = "<section id=\"queue\"><h2>队列（运维）</h2><div class=\"scroll\"><table class=\"queue\"><thead><tr><th>stage</th>"
        s += states.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>"
        for stage in stages where queue.contains(where: { $0.stage == stage }) {
            s += "<tr><td>\(esc(stage))</td>"
            for state in states {
                let n = queue.filter { $0.stage == stage && $0.state == state }.reduce(0) { $0 + $1.count }
                s += "<td class=\"num\(state == "dead" && n > 0 ? " bad" : "")\">\(n)</td>"
            }
            s += "</tr>"
        }
        if queue.isEmpty { s += "<tr><td colspan=\"6\">no jobs</td></tr>" }
        return s + "</tbody></table></div></section>\n"
    }

    static func chartsSection(_ series: [[IndicatorRow]]) -> String {
        guard !series.isEmpty else {
            return "<section id=\"charts\"><h2>序列</h2><p class=\"note\">还没有指标有两个或更多期间的数据。</p></section>\n"
        }
        var s = "<section id=\"charts\"><h2>序列</h2><div class=\"charts\">"
        for rows in series {
            let r = rows[0]
            let labels = Set(rows.flatMap { $0.sources.map(\.label) }).sorted().joined(separator: " ")
            s += "<figure class=\"chart\" \(filterAttributes(text: r.metric + " " + labels, region: r.region, kind: r.kind, period: rows.last!.period))"
            s += " data-first=\"\(esc(rows.first!.period))\">" + Chart.svg(rows) + "</figure>"
        }
        return s + "</div></section>\n"
    }

    static func indicatorSection(_ rows: [IndicatorRow]) -> String {
        var s = "<section id=\"indicators\"><h2>指标</h2><div class=\"scroll\"><table class=\"indicators sortable\"><thead><tr>"
        s += ["指标", "地区", "期间", "类型", "数值", "单位", "提及", "来源"].map { "<th scope=\"col\">\($0)</th>" }.joined()
        s += "</tr></thead><tbody>"
        let sorted = rows.sorted { ($0.metric, $0.region, $0.kind, $0.period) < ($1.metric, $1.region, $1.kind, $1.period) }
        for r in sorted {
            let labels = Set(r.sources.map(\.label)).sorted().joined(separator: " ")
            s += "<tr \(filterAttributes(text: r.metric + " " + labels + " " + r.sources.map(\.evidence).joined(separator: " "), region: r.region, kind: r.kind, period: r.period))"
            s += r.conflict ? " class=\"conflict\">" : ">"
            s += "<td>\(esc(r.metric))</td><td>\(esc(r.region))</td>"
            s += "<td class=\"nowrap\">\(esc(r.period.isEmpty ? "—" : r.period))</td><td>\(esc(Labels.kind(r.kind)))</td>"
            s += "<td class=\"num\" data-sort=\"\(r.value)\">\(esc(Labels.qualifier(r.qualifier)))\(esc(figure(r)))"
            s += r.conflict ? " <b title=\"来源的数值不一致\">!</b>" : ""
            s += "</td><td>\(esc(r.unit))</td><td class=\"num\" data-sort=\"\(r.mentions)\">\(r.mentions)</td>"
            s += "<td>\(sources(r.sources, value: r.value))</td></tr>"
        }
        if rows.isEmpty { s += "<tr><td colspan=\"8\">没有指标</td></tr>" }
        return s + "</tbody></table></div></section>\n"
    }

    /// The figure without the qualifier's symbol (the qualifier is written in words before it).
    static func figure(_ r: IndicatorRow) -> String {
        Format.number(r.value) + (r.valueMax.map { "–" + Format.number($0) } ?? "")
    }

    static func milestoneSection(_ rows: [MilestoneRow]) -> String {
        var s = "<section id=\"milestones\"><h2>里程碑</h2><ol class=\"timeline\">"
        for m in rows {
            s += "<li class=\"\(m.planned ? "planned" : "")\" \(filterAttributes(text: m.subject + " " + (m.document ?? "") + " " + m.sources.map(\.evidence).joined(separator: " "), region: m.region, kind: nil, period: m.date))>"
            s += "<time>\(esc(m.date))</time>"
            s += "<span class=\"action \(esc(m.action))\">\(esc(Labels.action(m.action)))\(m.planned ? "（计划）" : "")</span>"
            s += "<span class=\"subject\">\(esc(m.subject))</span>"
            if let d = m.document, d != m.subject { s += "<span class=\"doc\">《\(esc(d))》</span>" }
            if !m.region.isEmpty { s += "<span class=\"region\">\(esc(m.region))</span>" }
            s += sources(m.sources, value: nil) + "</li>"
        }
        if rows.isEmpty { s += "<li>没有里程碑</li>" }
        return s + "</ol></section>\n"
    }

    /// Every distinct mention behind a row, folded: the count shows, the sentences expand, the
    /// figure marked in its sentence, the source a link when it is a web page.
    static func sources(_ refs: [SourceRef], value: Double?) -> String {
        var seen = Set<[String]>()
        let distinct = refs.filter { seen.insert([$0.sourceID, $0.evidence]).inserted }
        guard !distinct.isEmpty else { return "" }
        var s = "<details><summary>\(distinct.count) 处来源</summary><ul>"
        for r in distinct {
            // The publication's name when known, else the file or page; a link when there is a URL
            // (only http and https: a manifest's url is data, never a javascript: link).
            let name = esc(r.name ?? Format.sourceName(r.sourceID))
            let link = r.url.flatMap { $0.hasPrefix("http://") || $0.hasPrefix("https://") ? $0 : nil }
            let cite = link.map { "<a href=\"\(esc($0))\" rel=\"noreferrer\" title=\"\(esc(r.sourceID))\">\(name)</a>" } ?? name
            s += "<li><q>\(marked(r.evidence, value: value))</q> <cite>\(cite)\(r.published.map { "，" + esc($0) } ?? "")</cite></li>"
        }
        return s + "</ul></details>"
    }

    /// The sentence, escaped, with the first number that reads as `value` (万/亿 folded in, as
    /// the text core reads numbers) wrapped in <mark>.
    static func marked(_ sentence: String, value: Double?) -> String {
        guard let value else { return esc(sentence) }
        let s = Array(sentence.unicodeScalars)
        func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
        func text(_ part: ArraySlice<Unicode.Scalar>) -> String { esc(String(String.UnicodeScalarView(part))) }
        var i = 0
        while i < s.count {
            let startsNumber = isDigit(s[i]) || ChineseNumber.isChineseNumeral(s[i])
            if startsNumber, i == 0 || !(isDigit(s[i - 1]) || s[i - 1] == "."),
               let n = ChineseNumber.arabic(s, at: i) ?? ChineseNumber.chinese(s, at: i) {
                if abs(n.value - value) <= 1e-9 * max(1, abs(value)) {
                    return text(s[..<i]) + "<mark>" + text(s[i..<n.end]) + "</mark>" + text(s[n.end...])
                }
                i = max(n.end, i + 1)
                continue
            }
            i += 1
        }
        return esc(sentence)
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
    body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:1.5rem auto;max-width:76rem;padding:0 1rem;color:#1d2733;background:#fff}
    h1{font-size:1.6rem;margin:0}header p{color:#5b6670;margin:.3rem 0 .8rem}h2{font-size:1.2rem;border-bottom:2px solid #d8e0e8;padding-bottom:.3rem;margin-top:2rem}
    #filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;position:sticky;top:0;background:#fff;padding:.5rem 0;z-index:1;border-bottom:1px solid #e6ebf0}
    #filters input,#filters select{font:inherit;padding:.3rem .4rem;border:1px solid #c4ced8;border-radius:4px}#filters input[type=search]{flex:1 1 14rem}#shown{color:#5b6670;font-size:.85rem}
    .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.3rem .5rem;border-bottom:1px solid #e6ebf0;text-align:left;vertical-align:top}
    th{background:#f3f6f9;font-weight:600;white-space:nowrap}table.sortable th{cursor:pointer}table.sortable th[aria-sort=ascending]:after{content:" ▲"}table.sortable th[aria-sort=descending]:after{content:" ▼"}
    td.nowrap{white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.bad{color:#b3261e;font-weight:700}
    tr.conflict td{background:#fff6e5}details summary{cursor:pointer;color:#2f6690;white-space:nowrap}details ul{margin:.3rem 0;padding-left:1.1rem}q{quotes:"“" "”"}mark{background:#ffe08a;padding:0 .1em}
    cite{color:#5b6670;font-style:normal;font-size:.8rem}cite a{color:#2f6690}
    .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(22rem,1fr));gap:1rem}.chart{margin:0;border:1px solid #e6ebf0;border-radius:6px;padding:.5rem}
    .chart text{font-size:11px;fill:#5b6670}.chart .title{font-size:13px;fill:#1d2733;font-weight:600}.chart polyline{fill:none;stroke:#2f6690;stroke-width:2}.chart circle{fill:#2f6690}
    .chart line.grid{stroke:#eef2f6}.chart line.tick{stroke:#c4ced8}
    ol.timeline{list-style:none;padding:0;border-left:3px solid #d8e0e8;margin-left:.5rem}ol.timeline li{padding:.4rem 0 .4rem 1rem;position:relative}
    ol.timeline li:before{content:"";position:absolute;left:-.5rem;top:.8rem;width:.7rem;height:.7rem;border-radius:50%;background:#2f6690}
    ol.timeline li.planned:before{background:#fff;border:2px solid #2f6690;width:.5rem;height:.5rem}
    time{font-variant-numeric:tabular-nums;font-weight:600;margin-right:.6rem}.action{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:3px;background:#e8f0f7;color:#2f6690;margin-right:.5rem}
    .doc,.region{color:#5b6670;margin-left:.4rem;font-size:.85rem}.note{color:#5b6670}[hidden]{display:none!important}
    table.indicators td:first-child{min-width:9em}
    @media (max-width:40rem){body{margin:.5rem auto;padding:0 .5rem}.charts{grid-template-columns:1fr}th,td{padding:.25rem .3rem;font-size:.8rem}h1{font-size:1.3rem}
      table.indicators{min-width:34rem}#filters select,#filters input{flex:1 1 8rem}}
    """

    /// Filtering and sorting, inline (the page stays one file that works offline).
    static let script = """
    (function(){
    var q=document.getElementById('q'),region=document.getElementById('region'),kind=document.getElementById('kind'),
        since=document.getElementById('since'),until=document.getElementById('until'),shown=document.getElementById('shown');
    function apply(){
      var t=q.value.trim(),r=region.value,k=kind.value,a=since.value.trim(),b=until.value.trim(),n=0,all=0;
      document.querySelectorAll('[data-text]').forEach(function(e){
        var p=e.dataset.period,first=e.dataset.first||p;
        var ok=(!t||e.dataset.text.indexOf(t)>=0)&&(!r||e.dataset.region===r)&&(!k||!e.dataset.kind||e.dataset.kind===k)
          &&(!a||(p&&p>=a))&&(!b||(first&&first.slice(0,b.length)<=b));
        e.hidden=!ok;all++;if(ok)n++;});
      shown.textContent=(t||r||k||a||b)?('显示 '+n+' / '+all):'';
    }
    [q,region,kind,since,until].forEach(function(e){e.addEventListener('input',apply);});
    // A filtered view can be linked: report.html#region=舟山市&q=参保
    var h=new URLSearchParams(location.hash.slice(1));
    [['q',q],['region',region],['kind',kind],['since',since],['until',until]].forEach(function(p){if(h.has(p[0]))p[1].value=h.get(p[0]);});
    apply();
    document.querySelectorAll('table.sortable th').forEach(function(th,i){
      th.addEventListener('click',function(){
        var tbody=th.closest('table').tBodies[0],asc=th.getAttribute('aria-sort')!=='ascending';
        th.parentNode.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
        var rows=Array.prototype.slice.call(tbody.rows);
        function key(row){var c=row.cells[i];if(!c)return '';var s=c.dataset.sort;return s!==undefined?parseFloat(s):c.textContent;}
        rows.sort(function(x,y){var a=key(x),b=key(y);var d=(typeof a==='number'&&typeof b==='number')?a-b:String(a).localeCompare(String(b),'zh');return asc?d:-d;});
        rows.forEach(function(row){tbody.appendChild(row);});
      });
    });
    })();
    """
}
