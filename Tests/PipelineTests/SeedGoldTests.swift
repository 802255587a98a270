import XCTest
import TextCore
import Evaluation
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

    /// The three exports of a manifest folder, written by the project's own `tideline preview`.
    private func exports(_ folder: URL, into dir: URL) throws {
        guard Workdir.isBuilt else { throw XCTSkip("tideline is not built; run `swift build` first") }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = TestPostgres.packageRoot.appendingPathComponent("config/tideline.toml").path
        let (code, out) = try Workdir.run(["preview", "--config", config, "--source", folder.path, "--out", dir.path], in: dir)
        XCTAssertEqual(code, 0, out)
    }

    /// The shared scorers and data sets beside the checkout (`../shared`); CI lays them there,
    /// so a missing folder fails under CI and skips only on a bare checkout.
    private func shared() throws -> URL {
        let dir = TestPostgres.packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("gold/score.py").path) {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("CI must have ../shared beside the checkout") }
            throw XCTSkip("no ../shared beside the checkout")
        }
        return dir
    }

    private func python(_ args: [String], in dir: URL) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        p.currentDirectoryURL = dir
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func number(_ key: String, in line: String) -> Double {
        guard let r = line.range(of: key + "=") else { return -1 }
        return Double(line[r.upperBound...].prefix { $0.isNumber || $0 == "." }) ?? -1
    }

    /// The reference scorer (score.py, with labels) on the seeds and the 14 dev articles: the
    /// measured scores are the bars, so a drop fails. Issue 11 and 12 targets are higher (see README).
    func testExtractionBarsOnSeedsAndDevWithTheReferenceScorer() throws {
        let shared = try shared()
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("tideline-bars-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        try exports(TestPostgres.packageRoot.appendingPathComponent("seeds"), into: tmp.appendingPathComponent("seeds"))
        try exports(shared.appendingPathComponent("gold/dev/docs"), into: tmp.appendingPathComponent("dev"))
        // Bars a little under the scores measured when they were set (README, BENCHMARKS.md).
        for (name, gold, bars) in [("seeds", "gold/seeds.json", (p: 0.99, r: 0.99, label: 0.86, mf1: 0.99, attributes: 0.92)),
                                   ("dev", "gold/dev/gold.json", (p: 0.96, r: 0.96, label: 0.83, mf1: 0.99, attributes: 0.96))] {
            let out = tmp.appendingPathComponent(name)
            let report = try python([shared.appendingPathComponent("gold/score.py").path, "--gold", shared.appendingPathComponent(gold).path,
                                     "--articles", out.appendingPathComponent("articles.jsonl").path,
                                     "--indicators", out.appendingPathComponent("indicators.jsonl").path,
                                     "--milestones", out.appendingPathComponent("milestones.jsonl").path], in: shared)
            let lines = report.split(separator: "\n").map(String.init)
            let ind = try XCTUnwrap(lines.first { $0.hasPrefix("indicators:") }, report)
            let ms = try XCTUnwrap(lines.first { $0.hasPrefix("milestones:") }, report)
            XCTAssertGreaterThanOrEqual(number("P", in: ind), bars.p, "\(name): \(ind)")
            XCTAssertGreaterThanOrEqual(number("R", in: ind), bars.r, "\(name): \(ind)")
            XCTAssertGreaterThanOrEqual(number("label", in: ind), bars.label, "\(name): \(ind)")
            XCTAssertGreaterThanOrEqual(number("F1", in: ms), bars.mf1, "\(name): \(ms)")
            for attribute in ["qualifier", "period", "region", "kind"] {
                XCTAssertGreaterThanOrEqual(number(attribute, in: ind), bars.attributes, "\(name) \(attribute): \(ind)")
            }
            for attribute in ["action", "planned", "region"] {
                XCTAssertGreaterThanOrEqual(number(attribute, in: ms), bars.attributes, "\(name) \(attribute): \(ms)")
            }
        }
    }

    /// score_series.py on the 16 宁波 articles: found and cohesive points, as bars.
    func testSeriesBarsOnSeriesDev() throws {
        let shared = try shared()
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("tideline-series-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        try exports(shared.appendingPathComponent("series-dev/docs"), into: tmp)
        let report = try python([shared.appendingPathComponent("series-dev/score_series.py").path,
                                 tmp.appendingPathComponent("indicators.jsonl").path], in: shared)
        let last = try XCTUnwrap(report.split(separator: "\n").last.map(String.init), report)
        let found = Int(last.components(separatedBy: "found=").last?.prefix { $0.isNumber } ?? "") ?? -1
        let cohesive = Int(last.components(separatedBy: "cohesive=").last?.prefix { $0.isNumber } ?? "") ?? -1
        XCTAssertGreaterThanOrEqual(found, 81, last)
        XCTAssertGreaterThanOrEqual(cohesive, 79, last)
    }
}
