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
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 1, "one chart: one series has two periods")
        XCTAssertTrue(html.contains("甬舟铁路&lt;金塘隧道&gt;"), "text is escaped")
        XCTAssertTrue(html.contains("<details><summary>1 source</summary>"))
        XCTAssertTrue(html.contains("class=\"num bad\">1<"), "dead jobs stand out in the queue summary")
        XCTAssertTrue(html.contains("(planned)"))
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
