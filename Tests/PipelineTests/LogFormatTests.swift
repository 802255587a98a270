import XCTest
import Logging
@testable import Runtime

/// The JSON log line: typed values, millisecond UTC timestamps, slashes as written.
final class LogFormatTests: XCTestCase {
    func testValuesKeepTheirTypesAndTextIsEscapedOnlyWhereJSONNeedsIt() {
        XCTAssertEqual(JSONLogHandler.json(.stringConvertible(42)), "42")
        XCTAssertEqual(JSONLogHandler.json(.stringConvertible(Int64(7))), "7")
        XCTAssertEqual(JSONLogHandler.json(.stringConvertible(1.5)), "1.5")
        XCTAssertEqual(JSONLogHandler.json(.stringConvertible(true)), "true")
        XCTAssertEqual(JSONLogHandler.json(.string("42")), "\"42\"", "a string stays a string")
        XCTAssertEqual(JSONLogHandler.json(.array([.stringConvertible(1), .string("a")])), "[1,\"a\"]")
        XCTAssertEqual(JSONText.quoted("http://x.cn/a \"b\"\n舟山"), "\"http://x.cn/a \\\"b\\\"\\n舟山\"")
        XCTAssertEqual(JSONText.quoted("\u{1}"), "\"\\u0001\"")
    }

    func testTimestampsAreUTCWithMilliseconds() {
        XCTAssertEqual(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 1_764_186_301.1239)), "2025-11-26T19:45:01.123Z")
    }
}
