import XCTest
import TextCore
import TestSupport

/// The clean core on the seed documents, scored by the project's copy of the gold labels with
/// the reference scorer's rules. No database: this is the pure core.
final class SeedGoldTests: XCTestCase {
    struct Entry: Decodable { let file: String; let published: String? }

    func testCleanPassesEveryGoldCheckOnTheSeeds() throws {
        let root = TestPostgres.packageRoot
        let gold = try Data(contentsOf: try XCTUnwrap(Bundle.module.url(forResource: "seeds", withExtension: "json", subdirectory: "Fixtures/gold")))
        let manifest = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: root.appendingPathComponent("seeds/manifest.json")))
        var rows: [GoldScorer.Row] = []
        for e in manifest {
            let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent("seeds").appendingPathComponent(e.file)))
            let out = try Cleaner.clean(.init(bytes: bytes, contentType: nil, published: e.published, url: nil, sourceID: e.file))
            for a in out.articles {
                rows.append(["doc": "seeds/" + e.file, "index": a.index, "headline": a.headline as Any? ?? NSNull(),
                             "published": a.published as Any? ?? NSNull(), "text": a.text])
            }
        }
        let score = try GoldScorer(goldJSON: gold).scoreClean(rows)
        XCTAssertEqual(score.failures, [])
        XCTAssertEqual(score.passed, 69)
    }
}
