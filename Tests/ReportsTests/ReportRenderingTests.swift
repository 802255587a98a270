import XCTest
@testable import Reports

/// The renderers over rows written for the tests (not the seeds): widths, series, escaping.
final class ReportRenderingTests: XCTestCase {
    private func source(_ evidence: String) -> SourceRef {
        SourceRef(sourceID: "city/news/2025/0412.html", published: "2025-04-12", evidence: evidence, label: "x")
    }

    private func row(_ metric: String, _ period: String, _ value: Double, unit: String = "人", region: String = "宁波市",
                     qualifier: String = "exact", conflict: Bool = false, latest: Bool = true) -> IndicatorRow {
        IndicatorRow(metric: metric, region: region, period: period, kind: "actual", value: value, valueMax: nil, unit: unit,
                     qualifier: qualifier, mentions: 1, conflict: conflict, isLatest: latest, sources: [source("截至\(period)，\(metric)\(Int(value))\(unit)。")])
    }

    private var data: ReportData {
        ReportData(
            indicators: [row("城镇新增就业人数", "2024", 152_300, latest: false), row("城镇新增就业人数", "2025-03", 40_100),
                         row("一个名字非常非常非常非常长的指标名称用来测试截断是否正确处理", "", 12, unit: "个", qualifier: "at_least"),
                         row("港口货物吞吐量", "2024", 1.32e9, unit: "吨", region: "舟山市", conflict: true)],
            milestones: [MilestoneRow(date: "2025-06", action: "completed", subject: "甬舟铁路<金塘隧道>", document: nil,
                                      region: "舟山市", planned: true, mentions: 2, sources: [source("预计2025年6月完工。")]),
                         MilestoneRow(date: "2024-01-01", action: "effective", subject: "居家养老服务条例",
                                      document: "宁波市居家养老服务条例", region: "宁波市", planned: false, mentions: 1,
                                      sources: [source("自2024年1月1日起施行。")])],
            queue: [QueueCount(stage: "clean", state: "succeeded", count: 7), QueueCount(stage: "extract", state: "dead", count: 1)],
            filter: ReportFilter(), generatedAt: "2026-11-23 10:00:00 UTC")
    }

    func testTheRowsMarkedLatestAreListedAndSeriesAreCharted() {
        let latest = data.latestIndicators
        XCTAssertEqual(latest.count, 3)
        XCTAssertEqual(latest.first { $0.metric == "城镇新增就业人数" }?.period, "2025-03")
        XCTAssertEqual(data.series.count, 1, "only the metric with two periods gets a chart")
        XCTAssertEqual(data.series.first?.map(\.period), ["2024", "2025-03"])
    }

    func testTheTerminalReportFitsItsWidthInColumnsNotCharacters() {
        for width in [80, 100, 140] {
            let text = TerminalReport.render(data, width: width, evidence: true)
            for line in text.split(separator: "\n") {
                XCTAssertLessThanOrEqual(Format.width(String(line)), width, "too wide at \(width): \(line)")
            }
        }
        let text = TerminalReport.render(data)
        XCTAssertTrue(text.contains("40,100"))
        XCTAssertTrue(text.contains("1,320,000,000!"), "a conflict is marked")
        XCTAssertTrue(text.contains("≥12"))
        XCTAssertTrue(text.contains("2025-06*"), "planned milestones are starred")
        XCTAssertTrue(text.contains("…"), "long names are cut, not wrapped")
        XCTAssertTrue(text.contains("居家养老服务条例《宁波市居家养老服务条例》"))
    }

    func testAnEmptyReportSaysWhatToDo() {
        let empty = ReportData(indicators: [], milestones: [], queue: [], filter: ReportFilter(), generatedAt: "now")
        XCTAssertTrue(TerminalReport.render(empty).contains("run `tideline up`"))
        let filtered = ReportData(indicators: [], milestones: [], queue: [], filter: ReportFilter(region: "温州市"), generatedAt: "now")
        XCTAssertTrue(TerminalReport.render(filtered).contains("match the filter"))
    }

    func testTheHTMLPageIsSelfContainedEscapedAndCharted() {
        let html = HTMLReport.render(data)
        XCTAssertFalse(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"),
                       "no network references but the SVG namespace")
        XCTAssertFalse(html.contains("<script src"), "the page's script is inline")
        XCTAssertFalse(html.contains("<link"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 1, "one chart: one series has two periods")
        XCTAssertTrue(html.contains("甬舟铁路&lt;金塘隧道&gt;"), "text is escaped")
        XCTAssertTrue(html.contains("<details><summary>1 处来源</summary>"))
        XCTAssertTrue(html.contains("class=\"num bad\">1<"), "dead jobs stand out in the queue summary")
        XCTAssertTrue(html.contains("建成（计划）"), "actions and kinds in Chinese")
        XCTAssertTrue(html.contains("不少于12"), "a qualifier in words")
        XCTAssertTrue(html.contains("id=\"filters\""))
        XCTAssertTrue(html.contains("data-region=\"舟山市\""), "rows carry what the filters read")
        XCTAssertLessThan(html.range(of: "id=\"charts\"")!.lowerBound, html.range(of: "id=\"queue\"")!.lowerBound, "analysts first, the queue last")
        XCTAssertTrue(html.contains("<mark>40100</mark>"), "the figure is marked in its sentence: \(html)")
    }

    func testEvidenceMarksTheNumberThatReadsAsTheFigureAndLinksWebSources() {
        XCTAssertEqual(HTMLReport.marked("参保人数达101.76万人，增长3%。", value: 1_017_600), "参保人数达<mark>101.76万</mark>人，增长3%。")
        XCTAssertEqual(HTMLReport.marked("增长3%，达到5<6。", value: 7), "增长3%，达到5&lt;6。", "no match: the sentence, escaped")
        XCTAssertEqual(HTMLReport.marked("两项，共三千万元", value: 3e7), "两项，共<mark>三千万</mark>元")
        let refs = [SourceRef(sourceID: "https://news.example.cn/a.html", published: "2025-01-02", evidence: "句", label: "x"),
                    SourceRef(sourceID: "https://news.example.cn/a.html", published: "2025-01-02", evidence: "句", label: "y")]
        let html = HTMLReport.sources(refs, value: nil)
        XCTAssertTrue(html.contains("<summary>1 处来源</summary>"), "the same sentence twice is one source: \(html)")
        XCTAssertTrue(html.contains("<a href=\"https://news.example.cn/a.html\""), html)
        // A file source cites its publication by name, linked to the manifest's URL.
        let paper = HTMLReport.sources([SourceRef(sourceID: "src/000.txt", published: "2024-01-04", evidence: "句", label: "x",
                                                  name: "舟山日报", url: "https://epaper.example.cn/1.html")], value: nil)
        XCTAssertTrue(paper.contains("<a href=\"https://epaper.example.cn/1.html\" rel=\"noreferrer\" title=\"src/000.txt\">舟山日报</a>，2024-01-04"), paper)
        let hostile = HTMLReport.sources([SourceRef(sourceID: "a.txt", published: nil, evidence: "句", label: "x",
                                                    name: "<b>报</b>", url: "javascript:alert(1)")], value: nil)
        XCTAssertFalse(hostile.contains("href") || hostile.contains("<b>"), "only http(s) links, names escaped: \(hostile)")
    }

    func testTheTimeAxisPlacesPeriodsAtTheirDatesWithReadableTicks() {
        XCTAssertEqual(Chart.time("2023"), 2023.5)
        XCTAssertEqual(Chart.time("2023-01/2023-09"), 2023 + 8.5 / 12)
        XCTAssertNil(Chart.time("去年"))
        let ticks = Chart.timeTicks(from: 2010.5, to: 2024.5)
        XCTAssertLessThanOrEqual(ticks.count, 7, "fourteen years: every few years labelled, not every point")
        XCTAssertEqual(ticks.first?.1, "2011")
        XCTAssertEqual(Chart.timeTicks(from: 2024.04, to: 2024.96).map(\.1), ["2024-04", "2024-07", "2024-10"])
        XCTAssertEqual(Chart.niceTicks(lo: 0, hi: 1_017_600), [0, 500_000, 1_000_000, 1_500_000])
        // A dozen monthly points: one chart, every point drawn, ticks thinned.
        let months = (1...12).map { row("月度指标", String(format: "2024-%02d", $0), Double($0 * 10)) }
        let svg = Chart.svg(months)
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 12)
        XCTAssertLessThanOrEqual(svg.components(separatedBy: "class=\"tick\"").count - 1, 7)
    }

    func testNumbersReadTheWayReportsWriteThem() {
        XCTAssertEqual(Format.number(1_017_600), "1,017,600")
        XCTAssertEqual(Format.number(95_560_000_000), "95,560,000,000")
        XCTAssertEqual(Format.number(0.35), "0.35")
        XCTAssertEqual(Format.number(-1200), "-1,200")
        XCTAssertEqual(Chart.short(95_560_000_000), "955.6亿")
        XCTAssertEqual(Chart.short(1_017_600), "101.8万")
        XCTAssertEqual(Format.width("长护险ab"), 8)
        XCTAssertEqual(Format.cell("长护险参保人数", 7), "长护险…")
    }
}
