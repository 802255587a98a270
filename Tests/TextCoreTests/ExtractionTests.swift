import XCTest
@testable import TextCore

private let lexicon = testLexicon

final class ChineseNumberTests: XCTestCase {
    func testArabicChineseAndMixedForms() {
        let cases: [(String, Double)] = [
            ("1017600", 1_017_600), ("1,017,600", 1_017_600), ("3.8亿", 3.8e8), ("1.2万亿", 1.2e12), ("101.76万", 1_017_600),
            ("五十亿", 5e9), ("一百零五", 105), ("十六", 16), ("两千三百万", 2.3e7), ("一万二千", 12_000), ("二十", 20),
            ("百分之五十五", 55), ("三分之一", 100.0 / 3),
        ]
        for (text, value) in cases {
            XCTAssertEqual(ChineseNumber.parse(text) ?? -1, value, accuracy: 1e-6, text)
        }
        XCTAssertNil(ChineseNumber.parse("一一"), "唯一一个 is not a number")
    }
}

final class DateFinderTests: XCTestCase {
    private func dates(_ text: String, published: String = "2025-06-10") -> [String] {
        var last: Int? = nil
        return DateFinder(published: published).find(in: Array(text.unicodeScalars), lastYear: &last).map(\.value)
    }

    func testAbsoluteRelativeAndRangesKeepTheirPrecision() {
        XCTAssertEqual(dates("2019年7月1日起施行"), ["2019-07-01"])
        XCTAssertEqual(dates("2018年3月，该区出台意见"), ["2018-03"])
        XCTAssertEqual(dates("2016年，全县"), ["2016"])
        XCTAssertEqual(dates("发布于2022-09-30"), ["2022-09-30"])
        XCTAssertEqual(dates("今年5月"), ["2025-05"])
        XCTAssertEqual(dates("去年9月起"), ["2024-09"])
        XCTAssertEqual(dates("去年1~10月"), ["2024-01/2024-10"])
        XCTAssertEqual(dates("昨天上午"), ["2025-06-09"])
        XCTAssertEqual(dates("昨天", published: "2025-03-01"), ["2025-02-28"])
        XCTAssertEqual(dates("上月"), ["2025-05"])
        XCTAssertEqual(dates("6月8日下午"), ["2025-06-08"])
        XCTAssertEqual(dates("12月30日", published: "2025-01-03"), ["2024-12-30"], "a day ahead of publication is last year's")
        XCTAssertEqual(dates("2021年出台办法，于同年10月1日起实施"), ["2021", "2021-10-01"])
        XCTAssertEqual(dates("电话0580-2281234"), [])
    }

    func testPeriodsOfOfficialStatistics() {
        let pub = "2025-10-20"
        XCTAssertEqual(dates("一季度全市", published: pub), ["2025-01/2025-03"])
        XCTAssertEqual(dates("今年上半年", published: pub), ["2025-01/2025-06"])
        XCTAssertEqual(dates("前三季度", published: pub), ["2025-01/2025-09"])
        XCTAssertEqual(dates("前5个月", published: pub), ["2025-01/2025-05"])
        XCTAssertEqual(dates("1月至8月", published: pub), ["2025-01/2025-08"])
        XCTAssertEqual(dates("1-7月份", published: pub), ["2025-01/2025-07"])
        XCTAssertEqual(dates("2019年前三季度", published: pub), ["2019-01/2019-09"])
        XCTAssertEqual(dates("9月份", published: pub), ["2025-09"])
    }

    func testABulletinPublishedEarlyReportsTheYearBefore() {
        let pub = "2025-10-20"
        XCTAssertEqual(dates("全年全市", published: "2025-02-24"), ["2024"])
        XCTAssertEqual(dates("四季度", published: "2025-01-25"), ["2024-10/2024-12"])
        XCTAssertEqual(dates("年度计划投资", published: pub), [], "年度 alone is an adjective")
    }
}

final class QuantityTests: XCTestCase {
    private func quantities(_ text: String) -> [(Double, String, String, Double?)] {
        QuantityScanner(lexicon: lexicon).scan(Array(text.unicodeScalars)).map { ($0.value, $0.unit, $0.qualifier, $0.valueMax) }
    }

    private func assertOne(_ text: String, _ value: Double, _ unit: String, _ qualifier: String = "exact", max: Double? = nil,
                           file: StaticString = #filePath, line: UInt = #line) {
        let q = quantities(text)
        XCTAssertEqual(q.count, 1, "\(text): \(q)", file: file, line: line)
        guard let first = q.first else { return }
        XCTAssertEqual(first.0, value, accuracy: Swift.max(1e-6, value * 1e-9), text, file: file, line: line)
        XCTAssertEqual(first.1, unit, text, file: file, line: line)
        XCTAssertEqual(first.2, qualifier, text, file: file, line: line)
        XCTAssertEqual(first.3, max, text, file: file, line: line)
    }

    func testUnitsMultipliersAndQualifiers() {
        assertOne("全县新增就业岗位2.3万个", 23_000, "个")
        assertOne("实现营业收入约4.6亿元", 4.6e8, "元", "approx")
        assertOne("游客接待量超过1200万人次", 1.2e7, "人次", "more_than")
        assertOne("改造老旧小区120余个", 120, "个", "more_than")
        assertOne("新建绿道30公里以上，", 30, "公里", "at_least")
        assertOne("空置率不到5%", 5, "%", "less_than")
        assertOne("占地面积近800亩", 800, "亩", "approx")
        assertOne("粮食产量达五十万吨", 500_000, "吨")
        assertOne("每户每月补贴200元", 200, "元/户/月")
        assertOne("贷款利率下调0.5至1.2个百分点", 0.5, "个百分点", max: 1.2)
        assertOne("拟新建驿站5~10个", 5, "个", max: 10)
        assertOne("补贴比例为20%~40%", 20, "%", max: 40)
    }

    func testThingsThatAreNotIndicators() {
        XCTAssertTrue(quantities("全面推进“十四五”规划和“千万工程”").isEmpty)
        XCTAssertTrue(quantities("围绕六大产业集群，召开区委三届六次全会").isEmpty)
        XCTAssertTrue(quantities("市第一人民医院，详见第3版").isEmpty)
        XCTAssertTrue(quantities("78岁的老人讲起往事，联系电话0571-12345678").isEmpty)
        XCTAssertTrue(quantities("五百亿元以上产业集群培育").isEmpty, "a category bound inside a label")
        XCTAssertTrue(quantities("这是全省唯一一个试点，一批企业受益").isEmpty)
        XCTAssertTrue(quantities("落实两个“毫不动摇”，三套班子领导出席").isEmpty)
        XCTAssertEqual(quantities("签约项目18个").map(\.2), ["exact"], "约 in 签约 is not approx")
    }
}

final class ExtractorTests: XCTestCase {
    private let extractor = Extractor(lexicon: lexicon)

    private func article(_ text: String, published: String = "2025-06-10", home: String = "舟山市") -> Extracted {
        extractor.extract(ArticleText(text: text, published: published, homeRegion: home))
    }

    func testMetricRegionPeriodAndKindComeFromTheSentence() {
        let out = article("截至今年5月，全市新能源汽车保有量达3.2万辆，同比增长36%。")
        XCTAssertEqual(out.indicators.count, 2)
        let stock = out.indicators[0]
        XCTAssertEqual(stock.value, 32_000)
        XCTAssertEqual(stock.unit, "辆")
        XCTAssertTrue(stock.metric.contains("新能源汽车保有量"), stock.metric)
        XCTAssertEqual(stock.region, "舟山市")
        XCTAssertEqual(stock.period, "2025-05")
        XCTAssertEqual(stock.kind, "actual")
        XCTAssertEqual(out.indicators[1].kind, "change")
        XCTAssertEqual(out.indicators[1].unit, "%")
    }

    func testFenbieSpreadsValuesOverListedMetrics() {
        let out = article("全县规上工业增加值、工业投资分别增长8.2%、12.5%。")
        XCTAssertEqual(out.indicators.map(\.value), [8.2, 12.5])
        XCTAssertTrue(out.indicators[0].metric.contains("规上工业增加值"), out.indicators[0].metric)
        XCTAssertTrue(out.indicators[1].metric.contains("工业投资"), out.indicators[1].metric)
        XCTAssertEqual(out.indicators.map(\.kind), ["change", "change"])
    }

    func testTargetsAndCountedNounsAfterTheNumber() {
        let out = article("今年要力争新增规上企业50家以上。新区已培育120名乡村工匠。")
        XCTAssertEqual(out.indicators.first?.kind, "target")
        XCTAssertEqual(out.indicators.first?.qualifier, "at_least")
        XCTAssertEqual(out.indicators.first?.period, "2025")
        XCTAssertTrue(out.indicators.last?.metric.contains("乡村工匠") == true, out.indicators.last?.metric ?? "")
    }

    func testRegionsFromTheGazetteerAndLookingBack() {
        let out = article("位于岱山的海上风电项目进展顺利。该项目总投资约48亿元，其中一期投资12亿元。")
        XCTAssertEqual(out.indicators.map(\.region), ["岱山县", "岱山县"])
        XCTAssertEqual(out.indicators.first?.subject, "海上风电项目")
    }

    func testMilestonesWithActionSubjectDocumentAndPlanned() {
        let out = article("""
        6月8日上午，全市数字经济发展大会在新城召开。
        2023年5月，市政府办公室印发《关于加快发展海洋经济的实施意见》，于同年7月1日起实施数字化改革方案。
        该码头预计2026年12月建成投用。
        """)
        let byDate = Dictionary(grouping: out.milestones, by: \.date)
        XCTAssertEqual(byDate["2025-06-08"]?.first?.action, "held")
        XCTAssertTrue(byDate["2025-06-08"]?.first?.subject.contains("数字经济发展大会") == true)
        XCTAssertEqual(byDate["2023-05"]?.first?.action, "issued")
        XCTAssertEqual(byDate["2023-05"]?.first?.document, "关于加快发展海洋经济的实施意见")
        XCTAssertEqual(byDate["2023-07-01"]?.first?.action, "effective")
        let done = byDate["2026-12"]?.first { $0.action == "completed" }
        XCTAssertEqual(done?.planned, true)
        XCTAssertEqual(done?.subject, "码头")
    }

    func testUndatedClaimsAndNominalVerbsAreNotMilestones() {
        let out = article("我市已制定实施一系列政策。会上通报了2024年目标任务完成情况。")
        XCTAssertEqual(out.milestones, [])
    }
}
