import XCTest
import TestSupport
@testable import TextCore

final class NormalizerTests: XCTestCase {
    func testFullWidthDigitsAndLettersBecomeASCII() {
        XCTAssertEqual(Normalizer.normalize("ＧＤＰ增长５．２％"), "GDP增长5.2%")
    }

    func testASCIIPunctuationBetweenHanziBecomesFullWidth() {
        XCTAssertEqual(Normalizer.normalize("全会强调,要坚持(扩大)开放;发布时间:2024"), "全会强调，要坚持（扩大）开放；发布时间：2024")
        XCTAssertEqual(Normalizer.normalize("总额1,017,600元"), "总额1,017,600元", "a thousands separator stays")
        XCTAssertEqual(Normalizer.normalize("Copyright (c) 2024, Site"), "Copyright (c) 2024, Site")
    }

    func testStraySpacesBetweenHanziAndDigitsGo() {
        XCTAssertEqual(Normalizer.normalize("  签约项目 45个，总额 12.5亿元 。 "), "签约项目45个，总额12.5亿元。")
        XCTAssertEqual(Normalizer.normalize("11月 26日"), "11月26日")
        XCTAssertEqual(Normalizer.normalize("港口提速 物流降本"), "港口提速 物流降本", "a headline's phrase break stays")
    }
}

final class ShiftedPunctuationTests: XCTestCase {
    func testAShiftedBlockIsRepaired() {
        let lines = ["春风送暖袁万象更新遥我们要野勇毅前行冶袁", "坚持稳中求进尧以进促稳袁推动经济", "持续回升向好遥"]
        let (out, n) = ShiftedPunctuation.repair(lines)
        XCTAssertEqual(out, ["春风送暖，万象更新。我们要“勇毅前行”，", "坚持稳中求进、以进促稳，推动经济", "持续回升向好。"])
        XCTAssertEqual(n, 3)
    }

    func testOrdinaryTextWithTheSameHanziIsLeftAlone() {
        let lines = ["袁隆平院士的杂交水稻，在遥远的非洲扎根。", "野生动物保护区内，工作人员记录到新物种。", "曰：学而时习之。"]
        XCTAssertEqual(ShiftedPunctuation.repair(lines).lines, lines)
    }

    func testBylineAndContinuationMarkersAreRepairedWherever() {
        let (out, _) = ShiftedPunctuation.repair(["阴记者 王小明 通讯员 李华", "下转第3版荩", "阴天有雨，气温下降。"])
        XCTAssertEqual(out, ["■记者 王小明 通讯员 李华", "下转第3版▶", "阴天有雨，气温下降。"])
    }
}

final class PageMarkerTests: XCTestCase {
    func testContinuationMarkersAreStrippedAndRecorded() {
        XCTAssertEqual(PageMarkers.stripContinuations("项目建设提速。 下转第2版▶").0, "项目建设提速。")
        XCTAssertEqual(PageMarkers.stripContinuations("（上接第一版）全县").0, "全县")
        XCTAssertEqual(PageMarkers.stripContinuations("（下转第12版）").1, ["（下转第12版）"])
        XCTAssertEqual(PageMarkers.stripContinuations("第2版开设专栏").1, [], "a page reference in text is not a marker")
    }

    func testDatelinesAndTheirCredits() {
        XCTAssertEqual(PageMarkers.dateline("本报讯（记者 赵一 通讯员 钱二）昨天，")?.credit, "记者 赵一 通讯员 钱二")
        XCTAssertEqual(PageMarkers.dateline("本报讯（记者 赵一 通讯员 钱二）昨天，")?.rest, "昨天，")
        XCTAssertEqual(PageMarkers.dateline("本报杭州讯 近日，")?.rest, "近日，")
        XCTAssertEqual(PageMarkers.dateline("新华社北京5月3日电 记者从")?.rest, "记者从")
        XCTAssertNil(PageMarkers.dateline("本报记者从市统计局获悉"))
    }

    func testBylines() {
        XCTAssertEqual(PageMarkers.byline("■记者 孙悦"), "记者 孙悦")
        XCTAssertEqual(PageMarkers.byline("□记者 周航 通讯员 吴迪 郑凯"), "记者 周航 通讯员 吴迪 郑凯")
        XCTAssertEqual(PageMarkers.byline("本报评论员"), "本报评论员")
        XCTAssertNil(PageMarkers.byline("记者从市交通局了解到，全市新增公交线路5条。"))
    }
}

final class LineSplittingTests: XCTestCase {
    func testLinesKeepTheirScalarOffsets() {
        let text = "舟山日报\n\n本报讯（记者 张三）全市𠀋新增\r\nlast"
        let lines = Cleaner.splitLines(text)
        XCTAssertEqual(lines.map(\.text), ["舟山日报", "", "本报讯（记者 张三）全市𠀋新增\r", "last"])
        let scalars = Array(text.unicodeScalars)
        for line in lines {
            let slice = String(String.UnicodeScalarView(scalars[line.offset..<(line.offset + line.text.unicodeScalars.count)]))
            XCTAssertEqual(slice, line.text)
        }
        XCTAssertEqual(Cleaner.splitLines("").map(\.text), [""])
    }

    func testAClosingQuoteAfterAFullStopEndsASentence() {
        XCTAssertTrue(Segmenter.endsSentence("他说：“好。”"))
        XCTAssertFalse(Segmenter.endsSentence("”"))
        XCTAssertFalse(Segmenter.endsSentence("《规划》"))
        XCTAssertFalse(Segmenter.endsSentence(""))
    }
}

final class LineJoinerTests: XCTestCase {
    func testNarrowColumnsAreJoinedAndShortLinesKept() {
        let lines = ["市政府召开常务会", "议，研究部署全市", "防汛防台工作。", "会议要求", "各地要压实责任，", "确保安全度汛。"]
        let groups = LineJoiner.paragraphs(lines, breaks: Array(repeating: false, count: lines.count))
        XCTAssertEqual(groups.map { LineJoiner.join($0.map { lines[$0] }) },
                       ["市政府召开常务会议，研究部署全市防汛防台工作。", "会议要求", "各地要压实责任，确保安全度汛。"])
    }

    func testALongLineCutByThePageLayoutIsJoined() {
        let lines = ["全市港口货物吞吐量持续增长，集装箱航线不断加密，去年新开通的国际航线达到了",
                     "十二条。"]
        let groups = LineJoiner.paragraphs(lines, breaks: [false, false])
        XCTAssertEqual(groups.count, 1)
    }

    func testLatinWordsKeepASpace() {
        XCTAssertEqual(LineJoiner.join(["使用eVTOL", "aircraft进行试飞"]), "使用eVTOL aircraft进行试飞")
        XCTAssertEqual(LineJoiner.join(["投资12", "3亿元"]), "投资123亿元")
    }
}

final class SegmenterEdgeTests: XCTestCase {
    private func lines(_ s: String) -> [Segmenter.Line] {
        s.split(separator: "\n").enumerated().map { Segmenter.Line(text: String($1), offset: $0) }
    }

    func testPageSplitsAtBylinesAndDatelinesAndDropsContinuations() {
        let page = lines("""
        全县夏粮收购工作全面展开
        ■记者 孙悦
        本报讯 近日，全县夏粮收购
        工作全面展开，已收购小麦
        1.2万吨。 下转第2版▶
        跨海大桥主体结构完工
        □记者 周航 通讯员 吴迪
        本报讯（记者 周航）昨天，
        跨海大桥主体结构完工。
        """)
        let articles = Segmenter.segmentPage(page)
        XCTAssertEqual(articles.count, 2)
        XCTAssertEqual(articles[0].text, "近日，全县夏粮收购工作全面展开，已收购小麦1.2万吨。")
        XCTAssertEqual(articles[0].byline, "记者 孙悦")
        XCTAssertEqual(articles[0].headline, "全县夏粮收购工作全面展开")
        XCTAssertEqual(articles[0].markers, ["下转第2版▶"])
        XCTAssertEqual(articles[1].headline, "跨海大桥主体结构完工")
        XCTAssertEqual(articles[1].text, "昨天，跨海大桥主体结构完工。")
    }

    func testASingleSubheadStaysInsideItsArticle() {
        let page = lines("""
        ■记者 孙悦
        本报讯 今年以来，我县持续推进项目建设，成效明显。
        一线探访
        走进园区，塔吊林立，一派繁忙景象。
        """)
        let articles = Segmenter.segmentPage(page)
        XCTAssertEqual(articles.count, 1)
        XCTAssertTrue(articles[0].text.contains("\n一线探访\n"))
    }
}

final class BoilerplateTests: XCTestCase {
    func testAWebPageLosesItsChromeAndKeepsHeadlineAndText() {
        let page = [
            "网站首页 | 政务公开 | 办事服务 | 互动交流",
            "当前位置：首页 > 新闻中心 > 部门动态",
            "我县启动农村人居环境整治提升行动",
            "发布时间：2025-03-18 10:20 来源：县农业农村局 浏览次数：236",
            "【字体：大 中 小】",
            "3月17日，我县召开农村人居环境整治提升行动部署会，全面启动今年的整治工作，计划完成改厕1200户。",
            "会议要求，各乡镇要对照任务清单，倒排工期，确保年底前全面完成整治任务，让群众看得见变化。",
            "上一篇：县政府召开第18次常务会议",
            "下一篇：我县举办春季招聘会",
            "主办单位：某某县人民政府办公室 承办单位：县大数据中心",
            "浙ICP备12345678号 浙公网安备 33010202000001号",
        ]
        let t = Boilerplate.trimPage(page)
        XCTAssertEqual(t.headline, "我县启动农村人居环境整治提升行动")
        XCTAssertEqual(t.body.map { page[$0] }, [page[5], page[6]])
        XCTAssertEqual(t.metaLine.flatMap(PageDate.find), "2025-03-18")
    }

    func testAPageThatIsAllBoilerplateHasNoArticle() {
        let html = """
        <html><body><div class="nav">首页 | 新闻</div><div>当前位置：首页 > 专题</div>
        <div class="footer">版权所有 © 2025 某某市人民政府 联系电话：0571-1234567</div></body></html>
        """
        XCTAssertThrowsError(try Cleaner.clean(.init(bytes: Array(html.utf8), contentType: "text/html", published: nil, url: nil, sourceID: "x.html"))) {
            XCTAssertEqual($0 as? Cleaner.Failure, .noText("x.html"))
        }
    }
}

final class CleanerTests: XCTestCase {
    func testGB18030HTMLPageBecomesOneArticleWithHeadlineAndDateFromThePage() throws {
        let html = """
        <!DOCTYPE html><html><head><meta charset="gb2312"><title>全市外贸进出口总额突破千亿元_某某市人民政府</title>
        <script>var x = "不应出现";</script><style>.a{}</style></head><body>
        <div class="breadcrumb">首页 &gt; 政务动态</div>
        <h1>全市外贸进出口总额突破千亿元</h1>
        <div class="info">发布日期：2025-01-20 来源：市商务局</div>
        <div class="content"><p>记者从市商务局获悉，去年全市外贸进出口总额达1056.3亿元，同比增长8.1%，规模创历史新高。</p>
        <p>其中，出口总额为732.5亿元，增长9.6%；进口总额323.8亿元，增长4.9%，结构持续优化。</p></div>
        <div class="footer">版权所有：某某市人民政府 网站标识码：3300000001</div></body></html>
        """
        let bytes = gb18030(html)
        let out = try Cleaner.clean(.init(bytes: bytes, contentType: "text/html", published: nil, url: nil, sourceID: "trade.html"))
        XCTAssertEqual(out.charset, "GB18030")
        XCTAssertEqual(out.articles.count, 1)
        let a = out.articles[0]
        XCTAssertEqual(a.headline, "全市外贸进出口总额突破千亿元")
        XCTAssertEqual(a.published, "2025-01-20")
        XCTAssertTrue(a.text.hasPrefix("记者从市商务局获悉"))
        XCTAssertFalse(a.text.contains("不应出现"))
        XCTAssertFalse(a.text.contains("版权所有"))
    }

    func testEmptyAndBinaryInputFailWithAMessage() {
        XCTAssertThrowsError(try Cleaner.clean(.init(bytes: Array(" \n\n ".utf8), contentType: nil, published: nil, url: nil, sourceID: "e.txt"))) {
            XCTAssertTrue("\($0)".contains("e.txt is empty"))
        }
        let junk: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        XCTAssertThrowsError(try Cleaner.clean(.init(bytes: junk, contentType: nil, published: nil, url: nil, sourceID: "j.bin"))) {
            XCTAssertTrue("\($0)".contains("j.bin is not text"))
        }
    }

    func testPublicationDateFallsBackToTheURL() throws {
        let out = try Cleaner.clean(.init(bytes: Array("本报讯 昨天，全县新建5G基站120个，实现乡镇全覆盖。".utf8), contentType: nil,
                                          published: nil, url: "https://news.example.cn/2024/09/15/art_1.html", sourceID: "a"))
        XCTAssertEqual(out.articles.first?.published, "2024-09-15")
    }
}
