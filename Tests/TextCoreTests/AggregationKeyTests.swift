import XCTest
@testable import TextCore

/// Reporting keys from labels written for the tests (other cities, other meetings).
final class AggregationKeyTests: XCTestCase {
    let subjects = SubjectCanonicalizer(rewrites: "^中共\t\n（扩大）\t\n全体会议\t全会\n", actionVerbs: ["挂牌", "成立", "开通", "实施"])

    func testAPartyPlenumWrittenTwoWaysIsOneKey() {
        XCTAssertEqual(subjects.canonicalize("中共宁波市委十四届六次全体（扩大）会议", region: "宁波市"), "市委十四届六次全会")
        XCTAssertEqual(subjects.canonicalize("市委十四届六次全会", region: "宁波市"), "市委十四届六次全会")
        XCTAssertEqual(subjects.canonicalize("中共象山县委十五届四次全体会议", region: "象山县"), "县委十五届四次全会")
    }

    func testAGovernmentNameOpeningADocumentTitleStays() {
        XCTAssertEqual(subjects.canonicalize("温州市人民政府关于加快养老服务发展的实施意见", region: "温州市"),
                       "温州市人民政府关于加快养老服务发展的实施意见")
    }

    func testATrailingActionVerbAndQuotesGo() {
        XCTAssertEqual(subjects.canonicalize("湖州南太湖新区挂牌", region: "湖州市"), "湖州南太湖新区")
        XCTAssertEqual(subjects.canonicalize("“浙里办”适老版 开通", region: nil), "浙里办适老版")
        XCTAssertEqual(subjects.canonicalize("挂牌", region: nil), "挂牌", "a subject is never emptied")
    }

    func testKeyTextDropsSpacesAndQuotes() {
        XCTAssertEqual(ReportKeyText.key("“长期护理保险” 参保人数"), "长期护理保险参保人数")
    }
}
