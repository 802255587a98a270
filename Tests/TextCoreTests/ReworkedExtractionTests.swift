import XCTest
@testable import TextCore

private let lexicon = testLexicon
private let extractor = Extractor(lexicon: lexicon)

private func extract(_ text: String, published: String = "2025-06-10", home: String = "嘉兴市", headline: String? = nil) -> Extracted {
    extractor.extract(ArticleText(text: text, headline: headline, published: published, homeRegion: home))
}

/// Sentences written for the mechanisms of issue 11, 12 and 19 (none from the dev sets).
final class ScriptNormalizerTests: XCTestCase {
    func testTraditionalPagesBecomeSimplifiedAndPinyinGoes() {
        let out = ScriptNormalizer.normalize("今年全市進出口總額達到三百億元，比上年增長(zhǎng)8.5%，這是經濟發展的結果。")
        XCTAssertTrue(out.convertedToSimplified)
        XCTAssertEqual(out.text, "今年全市进出口总额达到三百亿元，比上年增长8.5%，这是经济发展的结果。")
        XCTAssertEqual(out.pinyinRemoved, 1)
    }

    func testASimplifiedPageIsLeftAloneAndFootnotesLeaveNumbers() {
        let out = ScriptNormalizer.normalize("全市生产总值(GDP)[3]5230.5亿元，著名景区接待游客。")
        XCTAssertFalse(out.convertedToSimplified)
        XCTAssertEqual(out.text, "全市生产总值(GDP)5230.5亿元，著名景区接待游客。")
    }
}

final class IndicatorMechanismTests: XCTestCase {
    func testAGrowthRateNamesTheMeasureBeforeIt() {
        let out = extract("前三季度，全市外贸进出口总额812.3亿元，同比增长6.1%；其中，出口额590.2亿元，增长9.3%。", published: "2025-10-20")
        XCTAssertEqual(out.indicators.map(\.kind), ["actual", "change", "actual", "change"])
        XCTAssertEqual(out.indicators.map(\.metricKey), ["外贸进出口总值", "外贸进出口总值", "外贸出口总值", "外贸出口总值"])
        XCTAssertEqual(Set(out.indicators.map { $0.period ?? "-" }), ["2025-01/2025-09"])
        XCTAssertEqual(Set(out.indicators.map { $0.region ?? "-" }), ["嘉兴市"])
    }

    func testDistinctMeasuresKeepDistinctKeys() {
        let out = extract("上半年，全市工业增加值1200亿元，规模以上工业增加值980亿元，人均地区生产总值8.1万元。")
        XCTAssertEqual(out.indicators.map(\.metricKey), ["工业增加值", "规模以上工业增加值", "人均地区生产总值"])
    }

    func testGoodsNameTheTradeMeasureAndPlacesLeaveTheLabel() {
        let out = extract("1-8月，海宁市出口纺织服装48.6亿元，增长4.2%。")
        XCTAssertEqual(out.indicators.first?.metric, "纺织服装出口")
        XCTAssertEqual(out.indicators.first?.region, "海宁市")
        XCTAssertEqual(out.indicators.last?.metric, "纺织服装出口增速", "a change is its measure plus 增速")
        XCTAssertEqual(out.indicators.last?.metricKey, out.indicators.first?.metricKey)
    }

    func testAFigureAfterAComparisonWordKeepsItsOwnYear() {
        let out = extract("今年前三季度，全市出口额1620亿元，已超2024年全年的1580亿元。")
        XCTAssertEqual(out.indicators.map { $0.period ?? "-" }, ["2025-01/2025-09", "2024"])
    }

    func testCountsTakeTheNounAfterTheFigureAndAttributesTheCountedThing() {
        let out = extract("此次集中开工15个重点项目，总投资86.2亿元。")
        XCTAssertEqual(out.indicators.first?.metric, "集中开工重点项目数", "a count is the counted thing plus 数")
        XCTAssertEqual(out.indicators.last?.metric, "集中开工重点项目总投资")
    }

    func testTargetCuesAreScopedAndWordBound() {
        let out = extract("主要经济指标中，社会消费品零售总额增长5.1%。力争全年新增市场主体2万户。")
        XCTAssertEqual(out.indicators.map(\.kind), ["change", "target"])
    }

    func testAPlanForThisYearGoesOnThroughTheSentence() {
        let out = extract("今年全市新增规上企业60家以上，高新技术企业20家以上；截至5月底已完成投资30亿元。", published: "2025-06-10")
        XCTAssertEqual(out.indicators.map(\.kind), ["target", "target", "actual"])
        let past = extract("今年新增规上企业60家，高新技术企业20家。", published: "2025-12-31")
        XCTAssertEqual(past.indicators.map(\.kind), ["target", "target"], "the year is not yet over in December")
    }

    func testAVerbBeforeItsObjectFollowsItInTheHeader() {
        let out = extract("去年全区落地亿元以上产业项目21个，出口机电产品35亿元。", published: "2025-03-01")
        XCTAssertEqual(out.indicators.map(\.metric), ["亿元以上产业项目落地数", "机电产品出口"])
    }

    func testASectionHeadingEndsThePlaceCarriedFromBefore() {
        let out = extract("南湖区新开工项目12个。\n【攻坚清单】\n今年新落地亿元以上产业项目30个以上。", published: "2025-03-01")
        XCTAssertEqual(out.indicators.map { $0.region ?? "" }, ["南湖区", "嘉兴市"])
        let plain = extract("南湖区新开工项目12个。\n今年新落地亿元以上产业项目30个以上。", published: "2025-03-01")
        XCTAssertEqual(plain.indicators.map { $0.region ?? "" }, ["南湖区", "南湖区"], "without a heading the place carries on")
    }

    func testAnnouncementDatesAreNotPeriods() {
        let out = extract("昨日，记者从海关获悉，全市外贸进出口总值300亿元。")
        XCTAssertNil(out.indicators.first?.period)
    }

    func testAPlaceOfTheDocumentsHomeWinsOverANamesake() {
        let zhoushan = extract("普陀区新增就业岗位1200个。", home: "舟山市")
        XCTAssertEqual(zhoushan.indicators.first?.region, "普陀区")
        let district = extract("冷水镇新建农田水利设施12处。", home: "钟祥市")
        XCTAssertEqual(district.indicators.first?.region, "冷水镇")
    }
}

final class MilestoneMechanismTests: XCTestCase {
    func testACeremonyNamesItsStep() {
        let out = extract("5月6日，平湖市举行2025年第二批重大项目集中开工仪式。")
        XCTAssertEqual(out.milestones.map(\.action), ["started"])
        XCTAssertEqual(out.milestones.first?.date, "2025-05-06")
        XCTAssertEqual(out.milestones.first?.region, "平湖市")
    }

    func testTwoStepsJoinedBy暨() {
        let out = extract("今天上午，桐乡市便民服务中心正式启用暨市数据局揭牌仪式举行。")
        XCTAssertEqual(Set(out.milestones.map(\.action)), ["launched", "established"])
    }

    func testSubjectDateVerbOrderAndACarriedDate() {
        let out = extract("市政府3月2日印发《关于促进民营经济发展的若干意见》，市发改委随即发布配套细则的通知。")
        XCTAssertEqual(out.milestones.first?.document, "关于促进民营经济发展的若干意见")
        XCTAssertEqual(out.milestones.map(\.date), ["2025-03-02", "2025-03-02"])
    }

    func testPlannedByWordingOrByADateStillAhead() {
        let out = extract("预计今年10月，新港大桥建成通车。2026年3月，海盐县城市书房将全面开放。", published: "2025-06-10")
        XCTAssertEqual(out.milestones.map(\.planned), [true, true])
        let done = extract("6月1日，海宁市民服务中心正式启用。", published: "2025-06-10")
        XCTAssertEqual(done.milestones.map(\.planned), [false])
    }

    func testADocumentTitleIsReadWholeAndAYearInANameIsNotTheDate() {
        let out = extract("3月15日，市政府印发《关于2025年推动经济高质量发展的若干政策（试行）》。", published: "2025-03-20")
        XCTAssertEqual(out.milestones.first?.document, "关于2025年推动经济高质量发展的若干政策（试行）")
        XCTAssertEqual(out.milestones.first?.date, "2025-03-15")
        let ceremony = extract("4月2日，2025年桐乡市一季度重大项目集中签约仪式举行。", published: "2025-04-03")
        XCTAssertEqual(ceremony.milestones.map(\.date), ["2025-04-02"])
        XCTAssertEqual(ceremony.milestones.map(\.action), ["signed"])
    }

    func testVerbsInsideWordsAndFiguresAreNotSteps() {
        let out = extract("3月20日，为第一批复工复产企业发放补贴；4月1日，新设立的服务中心入驻企业120家。")
        XCTAssertEqual(out.milestones, [])
    }

    func testACompoundOfTwoVerbsIsNotAStep() {
        let out = extract("2021年，省里支持港口全产业链开放发展。")
        XCTAssertEqual(out.milestones, [], "开放发展 opens nothing")
    }

    func testAnAttributiveStepNamesTheProjectNotItsFigures() {
        let out = extract("其中，今年2月落户的新材料产业园项目计划总投资约5亿元。", published: "2025-06-10")
        XCTAssertEqual(out.milestones.map(\.subject), ["新材料产业园项目"])
    }
}

/// Issue 19: inputs that crashed the text core, and a sentence built to be slow.
final class HostileTextTests: XCTestCase {
    func testUnicodeDigitsAndGraphemeSplitMarkersDoNotTrap() throws {
        for text in ["2000-1-\u{0661}", "发布时间：2000-1-\u{0661}", "下转第2版▶\u{FE0F}", "\u{0600}下转第2版", "转1版\u{0301}"] {
            _ = try? Cleaner.clean(.init(bytes: Array(text.utf8), contentType: nil, published: nil, url: nil, sourceID: "hostile"))
        }
        XCTAssertEqual(PageMarkers.stripContinuations("下转第2版▶\u{FE0F}").1.count, 1)
    }

    func testHTMLNestedPastTheParsersLimitKeepsItsTextAndSaysSo() throws {
        let html = "<html><body>" + String(repeating: "<div>", count: 5_000) + "<p>全市外贸进出口总值1957.7亿元。</p>"
            + String(repeating: "</div>", count: 5_000) + "</body></html>"
        let out = try Cleaner.clean(.init(bytes: Array(html.utf8), contentType: "text/html", published: "2025-06-10", url: nil, sourceID: "deep"))
        XCTAssertTrue(out.articles.contains { $0.text.contains("1957.7亿元") })
        XCTAssertTrue(out.warnings.contains { $0.contains("5003 levels deep") && $0.contains("256") }, "\(out.warnings)")
    }

    func testALongSentenceOfFiguresIsCutIntoBoundedPieces() {
        let n = 4_000
        let text = "全市新增项目" + String(repeating: "，增长1个", count: n) + "。"
        let out = extract(text)
        XCTAssertEqual(out.indicators.count, n)
        // Evidence is bounded by the sentence cap, so the work per figure does not grow with N.
        XCTAssertLessThanOrEqual(out.indicators.map { $0.evidence.unicodeScalars.count }.max() ?? 0, Sentence.maxLength)
    }

    /// Issue 19: doubling a hostile input doubles the work, counted in operations (dictionary
    /// probes, word-list, gazetteer, date and number lookups), never in seconds.
    func testWorkGrowsLinearlyWithHostileInput() throws {
        #if DEBUG
        let shapes: [(String, (Int) -> String)] = [
            ("figures joined by commas", { "全市新增项目" + String(repeating: "，增长1个", count: $0) + "。" }),
            ("figures with no break", { "全市新增项目" + String(repeating: "增长1个", count: $0) + "。" }),
            ("a clause of words", { "全市" + String(repeating: "重点产业项目建设推进", count: $0) + "完成投资5亿元。" }),
            ("dates and places", { String(repeating: "2024年3月舟山市定海区", count: $0) + "新增企业5家。" }),
        ]
        for (name, make) in shapes {
            let small = WorkCounter.measure { _ = extract(make(1_000)) }
            let large = WorkCounter.measure { _ = extract(make(2_000)) }
            XCTAssertGreaterThan(small, 1_000, "\(name): nothing was counted")
            let ratio = Double(large) / Double(small)
            print("linearity, \(name): \(small) → \(large) operations (×\(String(format: "%.2f", ratio)))")
            XCTAssert((1.8...2.2).contains(ratio), "\(name): twice the input took \(ratio)× the operations (\(small) → \(large))")
        }
        #else
        throw XCTSkip("operations are counted in debug builds only")
        #endif
    }
}

/// The later rules of issue 11, each on sentences written for it.
final class ContextAndLabelTests: XCTestCase {
    func testAPartKeepsThePeriodOfWhatItIsPartOf() {
        let out = extract("2024年全市规模以上工业企业数1520家。其中，高新技术企业610家。", published: "2025-03-01")
        XCTAssertEqual(out.indicators.map { $0.period ?? "-" }, ["2024", "2024"])
    }

    func testAConversionKeepsTheMeasure() {
        let out = extract("全市居民人均可支配收入58200元，按年平均汇率折算为8100美元，同比增长6.1%。", published: "2025-02-10")
        XCTAssertEqual(Set(out.indicators.map(\.metricKey)), ["全体居民人均可支配收入"])
    }

    func testPeriodsListedInAnEarlierClauseAreSpread() {
        let out = extract("2024年一季度、上半年，全市社会消费品零售总额均保持增长，增速分别达到6.2%和5.8%。", published: "2025-01-20")
        XCTAssertEqual(out.indicators.map { $0.period ?? "-" }, ["2024-01/2024-03", "2024-01/2024-06"])
        XCTAssertEqual(Set(out.indicators.map(\.metricKey)), ["社会消费品零售总额"])
    }

    func testClassBoundsAndEnumerationsStayInTheLabel() {
        let out = extract("此次集中签约涉及智能制造、新材料等25个亿元以上项目。")
        XCTAssertEqual(out.indicators.first?.metric, "集中签约亿元以上项目数")
    }

    func testWhatTheClauseSaysOfACountedNounQualifiesIt() {
        let out = extract("园区新引进的8个项目已投产。")
        XCTAssertEqual(out.indicators.first?.metric, "投产项目数")
    }

    func testAShareAndTheRateOfAVerb() {
        let share = extract("全市民营企业进出口额占全市进出口总额的68.2%。")
        XCTAssertEqual(share.indicators.first?.metric, "民营企业进出口额占比")
        let rate = extract("截至目前，全县补贴资金发放100%。")
        XCTAssertEqual(rate.indicators.first?.metric, "补贴资金发放率")
    }

    func testAListsLastItemIsWhatItsFigureMeasures() {
        let out = extract("新建提升泵站2座、调蓄池1座和配套管网8.6公里。")
        XCTAssertEqual(out.indicators.last?.metric, "配套管网长度")
    }

    func testAPlanForThisYearAndAnEstimateOfThePast() {
        let plan = extract("今年新开工重大项目60个以上。", published: "2025-03-05")
        XCTAssertEqual(plan.indicators.first?.kind, "target")
        let estimate = extract("据初步预计，上半年全市地区生产总值2410亿元左右。", published: "2025-07-20")
        XCTAssertEqual(estimate.indicators.first?.kind, "actual")
        XCTAssertEqual(estimate.indicators.first?.period, "2025-01/2025-06")
    }

    func testZonesArePlacesAndPlacesElsewhereAreNotSubjectsUnlessTheyOpenTheClause() {
        let zone = extract("嘉兴经开区新增规上企业35家。")
        XCTAssertEqual(zone.indicators.first?.region, "嘉兴经开区")
        let trip = extract("全市赴上海开展招商推介活动12次。")
        XCTAssertEqual(trip.indicators.first?.region, "嘉兴市")
    }
}

final class LexiconLoaderTests: XCTestCase {
    func testALocalGazetteerAddsAliasesToTheNationalPlace() throws {
        var g = Gazetteer()
        try g.add(contentsOf: "330000\t浙江省\tprovince\t\t浙江\n330400\t嘉兴市\tcity\t330000\t嘉兴\n330481\t海宁市\tcounty\t330400\t海宁\n330481101\t长安镇\ttown\t330481\t\n", file: "national.tsv")
        try g.add(contentsOf: "长安镇\ttown\t海宁市\t长安\n", file: "local.tsv")
        XCTAssertEqual(g.places.filter { $0.name == "长安镇" }.count, 1, "no second 长安镇")
        let home = g.index(named: "嘉兴市")
        let found = g.match(Array("长安新增就业".unicodeScalars), at: 0, home: home)
        XCTAssertEqual(found.map { g.places[$0.place].name }, "长安镇")
    }

    func testMalformedLexiconLinesNameTheirFileAndLine() {
        var v = StatisticsVocabulary()
        XCTAssertThrowsError(try v.add(contentsOf: "地区生产总值\tamount\tGDP\n人均地区生产总值\tamount\tGDP\n", file: "vocab.tsv")) { error in
            XCTAssertTrue("\(error)".contains("vocab.tsv:2"), "\(error)")
        }
        var g = Gazetteer()
        XCTAssertThrowsError(try g.add(contentsOf: "嘉兴市\tprefecture\t\t\n", file: "g.tsv")) { error in
            XCTAssertTrue("\(error)".contains("g.tsv:1"), "\(error)")
        }
    }

    func testSegmentationTakesTheMostProbablePath() throws {
        var d = WordDictionary()
        try d.add(contentsOf: "外贸 100 n\n进出口 300 vn\n总值 200 n\n进出 10 v\n口总 1 n\n", file: "words.txt")
        XCTAssertEqual(d.segment(Array("外贸进出口总值".unicodeScalars)).map(\.text), ["外贸", "进出口", "总值"])
        XCTAssertEqual(d.tag(of: "进出口"), "vn")
    }
}
