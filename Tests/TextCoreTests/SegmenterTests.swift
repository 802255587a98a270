import XCTest
@testable import TextCore

final class SegmenterTests: XCTestCase {
    private func lines(_ s: String) -> [Segmenter.Line] {
        s.split(separator: "\n").enumerated().map { Segmenter.Line(text: String($1), offset: $0) }
    }

    func testHeadlineBlockAfterAnArticleStartsANewOne() {
        let page = lines("""
        ■本报评论员
        春风送暖，万象更新。今天
        的会议释放了强烈的信号。
        港口建设提速 物流成本下降
        我县各乡镇学习贯彻全会精神
        在新起点上奋力谱写新篇章
        日前，临港新区综合码头项目主体结构已经完成，
        该项目总投资约3亿元。
        """)
        let articles = Segmenter.segmentPage(page)
        XCTAssertEqual(articles.count, 2, articles.map(\.text).joined(separator: "\n---\n"))
        XCTAssertTrue(articles.last?.text.hasPrefix("日前，临港新区") == true || articles.last?.text.contains("\n日前，临港新区") == true)
        XCTAssertEqual(articles.first?.byline, "本报评论员")
    }
}
