import XCTest
import TestSupport
@testable import TextCore

final class DecodingTests: XCTestCase {
    /// "温州市统计局：全市生产总值增长6%。" in GB18030.
    let gbText = "温州市统计局：全市生产总值增长6%。"

    func testUTF8WithAndWithoutBOM() {
        let plain = Array("宁波港吞吐量".utf8)
        XCTAssertEqual(TextDecoding.decode(plain).text, "宁波港吞吐量")
        XCTAssertEqual(TextDecoding.decode([0xEF, 0xBB, 0xBF] + plain).text, "宁波港吞吐量")
        XCTAssertEqual(TextDecoding.decode(plain).charset, "UTF-8")
    }

    func testGB18030IsDetectedFromInvalidUTF8() {
        let bytes = gb18030(gbText)
        let d = TextDecoding.decode(bytes)
        XCTAssertEqual(d.charset, "GB18030")
        XCTAssertEqual(d.text, gbText)
        XCTAssertEqual(d.invalidBytes, 0)
    }

    func testCharsetFromHTTPHeaderAndMetaTag() {
        let bytes = gb18030(gbText)
        XCTAssertEqual(TextDecoding.decode(bytes, httpContentType: "text/html; charset=GBK").text, gbText)
        let html = Array("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>".utf8)
            + gb18030("杭州") + Array("</body></html>".utf8)
        XCTAssertTrue(TextDecoding.decode(html).text.contains("杭州"))
        XCTAssertEqual(TextDecoding.metaCharset(Array("<meta charset=\"gbk\">".utf8)[...]), "gbk")
        XCTAssertEqual(TextDecoding.charset(inContentType: "text/html;charset=\"UTF-8\""), "utf-8")
    }

    func testInvalidBytesBecomeReplacementCharactersAndAreCounted() {
        let bytes = Array("前".utf8) + [0xFF] + Array("后".utf8)
        let d = TextDecoding.decode(bytes, httpContentType: "text/plain; charset=utf-8")
        XCTAssertEqual(d.text, "前\u{FFFD}后")
        XCTAssertEqual(d.invalidBytes, 1)
        XCTAssertEqual(d.warnings.count, 1)
        // A GB18030 stream cut in the middle of a character keeps what came before it.
        let cut = gb18030("嘉兴") + [0x81]
        let g = TextDecoding.decode(cut, httpContentType: "charset=gb18030")
        XCTAssertTrue(g.text.hasPrefix("嘉兴"))
        XCTAssertEqual(g.invalidBytes, 1)
    }

    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hex(Array("".utf8)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
