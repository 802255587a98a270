import ArgumentParser
import Foundation
import Runtime
import TextCore
import Evaluation

/// Scores the pipeline's exports against a gold file, with the same rules and output as the
/// reference score.py: for users who label their own city's documents.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Score the exports against a hand-labelled gold file (GUIDE.md's rules).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The gold file (same form as seeds.json).") var gold: String
    @Flag(help: "List misses, false positives and failed clean checks.") var verbose = false
    @Option(help: "Exit 1 unless indicator F1 reaches this.") var minIndicatorF1: Double?
    @Option(help: "Exit 1 unless milestone F1 reaches this.") var minMilestoneF1: Double?
    @Option(help: "Exit 1 unless this share of clean checks pass.") var minClean: Double?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: gold) else { throw CLIError("cannot read the gold file \(gold)") }
        let scorer = try GoldScorer(goldJSON: data)
        let (session, _) = try db.session()
        defer { session.close() }
        let conn = try session.connectReading()
        func rows(_ what: String) throws -> [GoldScorer.Row] {
            try GoldScorer.rows(jsonl: try Exports.jsonl(try Exports.rows(conn, what)))
        }
        let ind = scorer.scoreIndicators(try rows("indicators"))
        let ms = scorer.scoreMilestones(try rows("milestones"))
        let clean = scorer.scoreClean(try rows("articles"))
        print(GoldScorer.report(indicators: ind, milestones: ms, clean: clean, verbose: verbose), terminator: "")
        var ok = true
        if let m = minIndicatorF1 { ok = ok && ind.f1 >= m }
        if let m = minMilestoneF1 { ok = ok && ms.f1 >= m }
        if let m = minClean { ok = ok && clean.ratio >= m }
        if !ok { throw ExitCode(1) }
    }
}
