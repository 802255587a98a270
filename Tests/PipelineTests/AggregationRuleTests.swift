import XCTest
import Postgres
import Store
import TestSupport
import TextCore

/// The aggregation rules on synthetic extractions written straight into a fresh database, so each
/// rule is seen on its own: period filing, conflicts, mention counting, the tie between figures of
/// one sentence, withdrawal when a document is cleaned again, and rows settling after their sources.
final class AggregationRuleTests: XCTestCase {
    private var db: Connection!
    private var conninfo = ""
    private let keys = ReportStore.Keys(metric: { $0 }, subject: { subject, _ in subject })

    override func setUpWithError() throws {
        conninfo = try TestPostgres.freshDatabase()
        db = try Connection(conninfo)
    }

    /// One document with one article holding `extractions`, aggregated; returns the article id.
    @discardableResult
    private func article(_ source: String, published: String, _ extractions: [StoredExtraction]) throws -> Int64 {
        let doc = try XCTUnwrap(try DocumentStore.upsert(db, sourceID: source, contentHash: source + published, content: Array(source.utf8),
                                                          contentType: "text/plain", metadata: "{}"))
        let id = try ArticleStore.replace(db, documentID: doc, with: [
            .init(index: 0, headline: nil, byline: nil, published: published, source: nil, homeRegion: "甲市",
                  text: "…", paragraphOffsets: [0], markers: "[]")])[0]
        try ExtractionStore.replace(db, articleID: id, documentID: doc, with: try extractions.map { try $0.row() })
        try refresh(id)
        return id
    }

    /// As the aggregate stage does: the article's sources in one transaction, its rows settled in another.
    private func refresh(_ id: Int64) throws {
        XCTAssertTrue(try db.transaction { try ReportStore.refresh($0, articleID: id, keys: keys) }, "an article with figures marks rows")
        try db.transaction { _ = try ReportStore.settle($0) }
    }

    /// As the clean stage does, then the settle job it queues.
    private func forget(document source: String) throws {
        let id = try db.query("SELECT id FROM documents WHERE source_id = $1", [source]).first!.decode(Int64.self, 0)
        XCTAssertTrue(try db.transaction { try ReportStore.forget($0, documentIDs: [id]) })
        try db.transaction { _ = try ReportStore.settle($0) }
    }

    private func figure(_ value: Double, period: String?, metric: String = "工业增加值", start: Int = 0) -> StoredExtraction {
        .indicator(Indicator(metric: metric, region: "甲市", value: value, unit: "元", period: period,
                             evidence: "句\(start)", start: start, end: start + 10))
    }

    private func rows() throws -> [String] {
        try db.query("SELECT period || ' ' || value::text || ' m' || mentions || (CASE WHEN conflict THEN ' conflict' ELSE '' END) FROM indicators ORDER BY period, value")
            .rows.map { try $0.decode(String.self, 0) }
    }

    func testAnUndatedMentionJoinsTheOnePeriodItsFigureHasAndMovesWhenThatChanges() throws {
        try article("a", published: "2025-02-01", [figure(100, period: nil)])
        XCTAssertEqual(try rows(), [" 100 m1"], "alone it stays undated")
        try article("b", published: "2025-02-02", [figure(100, period: "2024")])
        XCTAssertEqual(try rows(), ["2024 100 m2"], "the undated mention is filed under the period another source gives")
        try article("c", published: "2025-02-03", [figure(100, period: "2023")])
        XCTAssertEqual(try rows(), [" 100 m1", "2023 100 m1", "2024 100 m1"], "two periods for one figure: it goes back to undated")
    }

    func testDisagreeingSourcesAreFlaggedAndTheLatestPublishedWins() throws {
        try article("a", published: "2025-01-10", [figure(100, period: "2024")])
        try article("b", published: "2025-03-10", [figure(120, period: "2024")])
        XCTAssertEqual(try rows(), ["2024 120 m2 conflict"])
    }

    func testTwoFiguresOfOneSentenceCountOnceAndTheFirstWrittenWins() throws {
        // The same sentence (same start) gives two figures filed under one key.
        try article("a", published: "2025-01-10", [figure(28.3, period: "2024", start: 5), figure(6.5, period: "2024", start: 5)])
        XCTAssertEqual(try rows(), ["2024 28.3 m1 conflict"], "the tie is broken by the figure's place in the article")
    }

    func testCleaningADocumentAgainWithdrawsItsRowsAndRefilesTheRest() throws {
        try article("a", published: "2025-01-10", [figure(100, period: nil)])
        try article("b", published: "2025-01-11", [figure(100, period: "2024")])
        XCTAssertEqual(try rows(), ["2024 100 m2"])
        try forget(document: "b")
        XCTAssertEqual(try rows(), [" 100 m1"], "without the dated source the mention is undated again")
    }

    /// The rows keep their counts from summaries and deltas (M009); whatever happens to the
    /// sources, they must equal a count made from scratch.
    func testRowsKeptByDeltasEqualARecountFromTheSources() throws {
        func milestone(_ subject: String, planned: Bool, start: Int, document: String? = nil) -> StoredExtraction {
            .milestone(Milestone(date: "2025-06-01", action: "开工", subject: subject, document: document, region: "甲市",
                                 planned: planned, evidence: "句\(start)", start: start, end: start + 10))
        }
        try article("a", published: "2025-01-10", [figure(100, period: nil, start: 0), figure(100, period: nil, metric: "总投资", start: 0),
                                                    milestone("大桥", planned: true, start: 3)])
        try article("b", published: "2025-01-11", [figure(100, period: "2024", start: 2), figure(7, period: "2024", start: 2),
                                                   milestone("大桥", planned: false, start: 1, document: "方案")])
        let c = try article("c", published: "2025-01-12", [figure(100, period: nil, start: 4), figure(100, period: nil, start: 9),
                                                           figure(100, period: "2023", metric: "总投资"), milestone("大桥", planned: true, start: 0)])
        try article("d", published: "2025-01-13", [figure(8, period: "2024", start: 1)])
        // Aggregated again, as a retried job would; then a document cleaned away, which refiles.
        try refresh(c)
        try forget(document: "b")
        try article("e", published: "2025-01-14", [figure(100, period: "2024", start: 0)])

        func text(_ sql: String) throws -> [String] { try db.query("SELECT t::text FROM (\(sql)) t").rows.map { try $0.decode(String.self, 0) } }
        let kept = try text("""
            SELECT metric, region, period, kind, mentions, conflict, first_published, last_published FROM indicators ORDER BY 1, 2, 3, 4
            """)
        XCTAssertEqual(kept, try text("""
            SELECT metric, region, period, kind, count(DISTINCT (article_id, start_offset))::int,
                   count(DISTINCT (value, coalesce(value_max, 'NaN'), unit)) > 1, min(published), max(published)
              FROM indicator_sources GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            """))
        XCTAssertEqual(kept.count, 2, "工业增加值 2024 (the undated mentions filed there) and 总投资 2023: \(kept)")
        XCTAssertEqual(try text("SELECT date, action, subject, document, region, planned, mentions FROM milestones ORDER BY 1, 2, 3"), try text("""
            SELECT date, action, subject, max(document), max(coalesce(region, '')), bool_and(planned),
                   count(DISTINCT (article_id, start_offset))::int
              FROM milestone_sources GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """))
        XCTAssertEqual(try text("SELECT * FROM indicator_row_figures ORDER BY 1, 2, 3, 4, 5, 6, 7"), try text("""
            SELECT metric, region, period, kind, value, coalesce(value_max, 'NaN'), unit, count(*)::int
              FROM indicator_sources GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
            """))
    }

    func testAStoredExtractionThatDoesNotDecodeNamesItsRow() throws {
        let doc = try XCTUnwrap(try DocumentStore.upsert(db, sourceID: "bad", contentHash: "x", content: [1], contentType: "text/plain", metadata: "{}"))
        let id = try ArticleStore.replace(db, documentID: doc, with: [
            .init(index: 0, headline: nil, byline: nil, published: nil, source: nil, homeRegion: nil, text: "…", paragraphOffsets: [0], markers: "[]")])[0]
        try ExtractionStore.replace(db, articleID: id, documentID: doc, with: [.init(kind: "indicator", data: #"{"metric": "x"}"#, evidence: "e", start: 0, end: 1)])
        let extraction = try db.query("SELECT id FROM extractions").first!.decode(Int64.self, 0)
        XCTAssertThrowsError(try db.transaction { try ReportStore.refresh($0, articleID: id, keys: keys) }) { error in
            XCTAssertTrue("\(error)".contains("extraction \(extraction) does not decode"), "\(error)")
        }
    }

    /// Rows settle after their sources: marks add up until a settle, which recomputes each row
    /// once and leaves nothing marked; withdrawing what was never aggregated marks nothing.
    func testRowsMarkedByManyArticlesSettleOnceWithTheirMentionsSummed() throws {
        func marks() throws -> [String] {
            try db.query("SELECT period || ' m' || mentions FROM indicator_rows_unsettled ORDER BY 1").rows.map { try $0.decode(String.self, 0) }
        }
        var ids: [Int64] = []
        for (i, value) in [100.0, 100, 120].enumerated() {
            let doc = try XCTUnwrap(try DocumentStore.upsert(db, sourceID: "s\(i)", contentHash: "h\(i)", content: [1], contentType: "text/plain", metadata: "{}"))
            let id = try ArticleStore.replace(db, documentID: doc, with: [
                .init(index: 0, headline: nil, byline: nil, published: "2025-01-1\(i)", source: nil, homeRegion: "甲市",
                      text: "…", paragraphOffsets: [0], markers: "[]")])[0]
            try ExtractionStore.replace(db, articleID: id, documentID: doc, with: [try figure(value, period: "2024").row()])
            XCTAssertTrue(try db.transaction { try ReportStore.refresh($0, articleID: id, keys: keys) })
            ids.append(id)
        }
        XCTAssertEqual(try rows(), [], "no row before a settle")
        XCTAssertEqual(try marks(), ["2024 m3"], "one mark per row, its mentions summed")
        let settled = try db.transaction { try ReportStore.settle($0) }
        XCTAssertEqual(settled.indicators, 1)
        XCTAssertEqual(try rows(), ["2024 120 m3 conflict"])
        XCTAssertEqual(try marks(), [])
        XCTAssertEqual(try db.transaction { try ReportStore.settle($0) }.indicators, 0, "a second settle finds nothing")

        let unaggregated = try XCTUnwrap(try DocumentStore.upsert(db, sourceID: "new", contentHash: "n", content: [1], contentType: "text/plain", metadata: "{}"))
        XCTAssertFalse(try db.transaction { try ReportStore.forget($0, documentIDs: [unaggregated]) }, "nothing to withdraw, nothing to settle")
        XCTAssertFalse(try db.transaction { try ReportStore.forget($0, articleIDs: [ids[2] + 1000]) })
    }

    /// A settle waits for a transaction that has marked rows and not yet committed, and then sees
    /// what it wrote: no mark is left behind a settle that had already started.
    func testASettleWaitsForMarksInFlightAndSettlesThem() throws {
        try article("a", published: "2025-01-10", [figure(100, period: "2024")])
        let doc = try XCTUnwrap(try DocumentStore.upsert(db, sourceID: "b", contentHash: "b", content: [1], contentType: "text/plain", metadata: "{}"))
        let b = try ArticleStore.replace(db, documentID: doc, with: [
            .init(index: 0, headline: nil, byline: nil, published: "2025-03-10", source: nil, homeRegion: "甲市",
                  text: "…", paragraphOffsets: [0], markers: "[]")])[0]
        try ExtractionStore.replace(db, articleID: b, documentID: doc, with: [try figure(120, period: "2024").row()])

        // The marker's transaction stays open while a settle starts on another connection.
        try db.execute("BEGIN")
        XCTAssertTrue(try ReportStore.refresh(db, articleID: b, keys: keys))
        let settler = try Connection(conninfo)
        let settlerPID = try settler.query("SELECT pg_backend_pid()").first!.decode(Int.self, 0)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Int, any Error> = .success(-1)   // written before `done` is signalled, read after
        Thread.detachNewThread {
            result = Result { try settler.transaction { try ReportStore.settle($0).indicators } }
            done.signal()
        }
        // Wait until the settle is blocked on the barrier (a condition read from pg_locks, not a sleep).
        let waiting = "SELECT count(*) FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND NOT granted"
        var finishedEarly = false
        while try db.query(waiting, [settlerPID]).first!.decode(Int.self, 0) == 0 {
            if done.wait(timeout: .now() + .milliseconds(20)) == .success { finishedEarly = true; break }
        }
        XCTAssertFalse(finishedEarly, "the settle must wait for the marker's transaction")
        try db.execute("COMMIT")
        if !finishedEarly { done.wait() }
        XCTAssertEqual(try result.get(), 1, "the settle saw the mark committed while it waited")
        XCTAssertEqual(try rows(), ["2024 120 m2 conflict"])
    }
}
