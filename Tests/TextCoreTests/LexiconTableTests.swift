import XCTest
@testable import TextCore

/// The lookup structures under the lexicons: exact answers, whatever the keys.
final class LexiconTableTests: XCTestCase {
    func testHashTableKeepsEveryKeyThroughGrowth() {
        var t = HashTable<Int>()
        // Key 0, keys that share their low bits, and enough keys to grow the table many times.
        let keys: [UInt64] = [0, 1, 1 << 32, 2 << 32, UInt64.max] + (0..<5_000).map { UInt64($0) &* 0x1_0000_0001 }
        for (i, k) in keys.enumerated() { t[k] = i }
        let distinct = Set(keys)
        XCTAssertEqual(t.count, distinct.count)
        for k in distinct { XCTAssertEqual(t[k], keys.lastIndex(of: k), "key \(k)") }
        XCTAssertNil(t[12345])
        XCTAssertFalse(t.contains(3))
    }

    func testHashTableUpdatesInPlace() {
        var t = HashTable<[String]>()
        t.update(7, default: []) { $0.append("a") }
        t.update(7, default: []) { $0.append("b") }
        t.mapValuesInPlace { $0.reverse() }
        XCTAssertEqual(t[7], ["b", "a"])
        XCTAssertEqual(t.count, 1)
    }

    func testScalarSetIsExactInsideAndOutsideTheBasicPlane() {
        let s = ScalarSet(string: "，。𠀀")
        XCTAssertTrue(s.contains("，"))
        XCTAssertTrue(s.contains("𠀀"))
        XCTAssertFalse(s.contains("、"))
        XCTAssertFalse(s.contains("𠀁"))
        let literal: ScalarSet = ["a", "中"]
        XCTAssertTrue(literal.contains("中"))
        XCTAssertFalse(literal.contains("b"))
    }

    func testTSVRowsTrimFieldsSkipCommentsAndReadCRLF() {
        let rows = TSV.rows("港口\t吞吐量\r\n# 注释\n\n 宁波 \t city \t\t别名\n")
        XCTAssertEqual(rows.map(\.fields), [["港口", "吞吐量"], ["宁波", "city", "", "别名"]])
        XCTAssertEqual(rows.map(\.line), [1, 4])
    }

    func testWordLinesReadFrequencyAndTagAndNameABadLine() throws {
        var d = WordDictionary()
        try d.add(contentsOf: "吞吐量 300 n\r\n集装箱 2000.5 n\n# 注释\n港口\n", file: "test.txt")
        XCTAssertEqual(d.count, 3)
        XCTAssertEqual(d.tag(of: "吞吐量"), "n")
        XCTAssertEqual(d.segment(Array("集装箱吞吐量".unicodeScalars)).map(\.text), ["集装箱", "吞吐量"])
        XCTAssertThrowsError(try d.add(contentsOf: "港口 12\n码头 多 n\n", file: "bad.txt")) { error in
            XCTAssertTrue("\(error)".contains("bad.txt:2"), "\(error)")
        }
    }

    func testKeyFilterNeverForgetsAKey() {
        var f = KeyFilter()
        let keys = (0..<10_000).map { UInt64($0) &* 0x9E37_79B9 }
        for k in keys { f.insert(k) }
        XCTAssertTrue(keys.allSatisfy(f.mayContain))
        // One bit per key in 2^20: most absent keys are told apart.
        let absent = (1..<10_000).map { UInt64($0) << 40 | 0x5A5A }.filter { !keys.contains($0) }
        XCTAssertLessThan(absent.filter(f.mayContain).count, absent.count / 10)
    }
}
