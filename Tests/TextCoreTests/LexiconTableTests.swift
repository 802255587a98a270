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
