import XCTest
@testable import TextCore

/// Every input the fuzzers (scripts/fuzz/run) or issue 19 found crashing the text core, kept in
/// Tests/Fuzz/regressions/, runs through clean or extract here: none may trap.
final class FuzzRegressionTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/regressions")

    private func inputs(_ target: String) throws -> [(String, [UInt8])] {
        let dir = root.appendingPathComponent(target)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().map {
            ($0, [UInt8](try Data(contentsOf: dir.appendingPathComponent($0))))
        }
    }

    func testCleanRegressionsDoNotTrap() throws {
        let cases = try inputs("clean")
        XCTAssertGreaterThanOrEqual(cases.count, 5, "issue 19's reproducers are kept")
        for (_, bytes) in cases {
            _ = try? Cleaner.clean(.init(bytes: bytes, contentType: nil, published: "2025-06-10", url: nil, sourceID: "fuzz"))
        }
    }

    func testExtractRegressionsDoNotTrap() throws {
        let extractor = Extractor(lexicon: testLexicon)
        let cases = try inputs("extract")
        XCTAssertFalse(cases.isEmpty)
        for (name, bytes) in cases {
            let out = extractor.extract(ArticleText(text: String(decoding: bytes, as: UTF8.self), published: "2025-06-10", homeRegion: "舟山市"))
            XCTAssertLessThanOrEqual(out.indicators.map { $0.evidence.unicodeScalars.count }.max() ?? 0, Sentence.maxLength, name)
        }
    }
}
