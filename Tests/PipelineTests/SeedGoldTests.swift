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

    struct FullEntry: Decodable { let file: String; let published: String?; let home_region: String? }

    /// Clean, then extract, on the seeds; scored as score.py scores them, against issue 3's bars.
    func testExtractionMeetsTheGoldBarsOnTheSeeds() throws {
        let root = TestPostgres.packageRoot
        let gold = try Data(contentsOf: try XCTUnwrap(Bundle.module.url(forResource: "seeds", withExtension: "json", subdirectory: "Fixtures/gold")))
        let manifest = try JSONDecoder().decode([FullEntry].self, from: Data(contentsOf: root.appendingPathComponent("seeds/manifest.json")))
        let extractor = Extractor(lexicon: try Lexicon.load(configDir: root.appendingPathComponent("config")))
        var indicators: [GoldScorer.Row] = [], milestones: [GoldScorer.Row] = []
        for e in manifest {
            let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent("seeds").appendingPathComponent(e.file)))
            for a in try Cleaner.clean(.init(bytes: bytes, contentType: nil, published: e.published, url: nil, sourceID: e.file)).articles {
                let found = extractor.extract(ArticleText(text: a.text, headline: a.headline, published: a.published, homeRegion: e.home_region))
                for i in found.indicators {
                    indicators.append(["doc": e.file, "metric": i.metric, "subject": i.subject ?? NSNull(), "region": i.region ?? NSNull(),
                                       "value": i.value, "value_max": i.valueMax ?? NSNull(), "unit": i.unit, "qualifier": i.qualifier,
                                       "kind": i.kind, "period": i.period ?? NSNull(), "evidence": i.evidence])
                }
                for m in found.milestones {
                    milestones.append(["doc": e.file, "date": m.date, "action": m.action, "subject": m.subject,
                                       "document": m.document ?? NSNull(), "region": m.region ?? NSNull(), "planned": m.planned])
                }
            }
        }
        let scorer = try GoldScorer(goldJSON: gold)
        let ind = scorer.scoreIndicators(indicators), ms = scorer.scoreMilestones(milestones)
        let report = GoldScorer.report(indicators: ind, milestones: ms, clean: nil, verbose: true)
        XCTAssertGreaterThanOrEqual(ind.precision, 0.95, report)
        XCTAssertGreaterThanOrEqual(ind.recall, 0.95, report)
        XCTAssertGreaterThanOrEqual(ms.f1, 0.95, report)
        for (name, value) in ind.attributes + ms.attributes {
            if let value { XCTAssertGreaterThanOrEqual(value, 0.9, "\(name)\n\(report)") }
        }
    }
}
