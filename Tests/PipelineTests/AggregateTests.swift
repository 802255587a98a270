import XCTest
import Postgres
import Queue
import Stages
import TestSupport

/// The reporting tables on the seeds, against a real PostgreSQL: the issue's acceptance rows,
/// idempotency (the whole pipeline twice gives identical tables) and four aggregate workers at
/// once giving what one gives.
final class AggregateTests: XCTestCase {
    /// Everything an analyst reads, without ids and timestamps, in a fixed order.
    private func snapshot(_ db: Connection) throws -> [String] {
        let queries = [
            """
            SELECT metric, region, period, kind, value, value_max, unit, qualifier, mentions, first_published, last_published, conflict
              FROM indicators ORDER BY 1, 2, 3, 4
            """,
            """
            SELECT metric, region, period, stated_period, kind, source_id, metric_label, value, unit, evidence, start_offset, published
              FROM indicator_sources ORDER BY source_id, start_offset, metric, value
            """,
            "SELECT date, action, subject, document, region, planned, mentions FROM milestones ORDER BY 1, 2, 3",
            "SELECT date, action, subject, source_id, subject_label, evidence, start_offset FROM milestone_sources ORDER BY source_id, start_offset, date, action",
        ]
        var out: [String] = []
        for q in queries {
            // Whole rows, sorted as text: the order is total, whatever ties the columns leave.
            out += try db.query("SELECT (t.*)::text FROM (\(q)) t").rows.map { try $0.decode(String.self, 0) }.sorted()
            out.append("--")
        }
        return out
    }

    /// `prepare` may change the copied seeds (at `dir/src`) before `up` reads them.
    private func seededDatabase(prepare: (URL) throws -> Void = { _ in }) throws -> (conninfo: String, dir: URL) {
        guard Workdir.isBuilt else { throw XCTSkip("tideline is not built; run `swift build` first") }
        let conninfo = try TestPostgres.freshDatabase()
        let dir = try Workdir.seeds()
        try prepare(dir.appendingPathComponent("src"))
        let (code, out) = try Workdir.run(["up", "--source", "src"], in: dir, env: ["DATABASE_URL": conninfo])
        XCTAssertEqual(code, 0, out)
        return (conninfo, dir)
    }

    func testTheSeedsGiveTheAcceptanceRowsAndTheSameTablesWhenRunAgain() throws {
        let (conninfo, dir) = try seededDatabase()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try Connection(conninfo)

        // Two papers' sentences report 955.6亿元: one row, two sources.
        let pair = try db.query("SELECT metric, period, mentions FROM indicators WHERE value = 95560000000 AND unit = '元'").rows
        XCTAssertEqual(pair.count, 1)
        XCTAssertEqual(try pair.first?.decode(Int.self, 2), 2)
        XCTAssertEqual(try db.query("SELECT count(*) FROM indicator_sources WHERE value = 95560000000").first?.decode(Int.self, 0), 2)

        let latest = try XCTUnwrap(try db.query("""
            SELECT value, unit, period, evidence FROM latest_indicators WHERE metric = $1 AND region = $2
            """, ["长期护理保险参保人数", "舟山市"]).first)
        XCTAssertEqual(try latest.decode(Double.self, 0), 1_017_600)
        XCTAssertEqual(try latest.decode(String.self, 1), "人")

        // The report as JSON: typed values, every row with its sources.
        let (rjc, json) = try Workdir.run(["report", "--json", "--metric", "参保"], in: dir, env: ["DATABASE_URL": conninfo])
        XCTAssertEqual(rjc, 0, json)
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], json)
        let rows = try XCTUnwrap(parsed["indicators"] as? [[String: Any]], json)
        let row = try XCTUnwrap(rows.first { $0["metric"] as? String == "长期护理保险参保人数" && $0["is_latest"] as? Bool == true }, json)
        XCTAssertEqual(row["value"] as? Double, 1_017_600)
        XCTAssertFalse((row["sources"] as? [[String: Any]] ?? []).isEmpty)
        XCTAssertEqual(try latest.decode(String.self, 2), "2026-03")
        XCTAssertTrue(try latest.decode(String.self, 3).contains("101.76万人"))

        let effective = try db.query("""
            SELECT subject, evidence FROM milestone_timeline WHERE date = '2024-03-01' AND action = 'effective'
            """).rows
        XCTAssertTrue(try effective.contains { try $0.decode(String.self, 0).contains("多层次长期护理保障体系") })
        XCTAssertEqual(try db.query("""
            SELECT count(*) FROM indicators i WHERE NOT EXISTS (SELECT 1 FROM indicator_sources s
             WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind))
            """).first?.decode(Int.self, 0), 0, "no row outlives its sources")
        XCTAssertEqual(try db.query("""
            SELECT count(*) FROM milestones m
             WHERE m.mentions <> (SELECT count(DISTINCT (s.article_id, s.start_offset)) FROM milestone_sources s
                                   WHERE (s.date, s.action, s.subject) = (m.date, m.action, m.subject))
            """).first?.decode(Int.self, 0), 0, "a mention is a sentence, however many extractions it gave")

        // The whole pipeline again, every document re-cleaned: identical tables.
        let before = try snapshot(db)
        let (code, out) = try Workdir.run(["up", "--source", "src", "--reprocess"], in: dir, env: ["DATABASE_URL": conninfo])
        XCTAssertEqual(code, 0, out)
        XCTAssertTrue(out.contains("长期护理保险参保人数"), "up ends with the report:\n\(out)")
        XCTAssertEqual(try snapshot(db), before)

        // The reports read the same tables.
        let (rc, report) = try Workdir.run(["report", "--region", "舟山市"], in: dir, env: ["DATABASE_URL": conninfo])
        XCTAssertEqual(rc, 0, report)
        XCTAssertTrue(report.contains("1,017,600"), report)
        XCTAssertTrue(report.contains("2024-03-01   effective"), report)
        let (_, since) = try Workdir.run(["report", "--since", "2026"], in: dir, env: ["DATABASE_URL": conninfo])
        XCTAssertFalse(since.contains("2023-12-27"), since)

        // The reporting rows as an export: one line per row, fixed columns, provenance.
        let (ec, eout) = try Workdir.run(["export", "series", "--format", "csv", "--bom", "-o", "series.csv"], in: dir, env: ["DATABASE_URL": conninfo])
        XCTAssertEqual(ec, 0, eout)
        // (Bytes: reading the file as a String would drop the byte order mark.)
        let bytes = try Data(contentsOf: dir.appendingPathComponent("series.csv"))
        XCTAssertTrue(bytes.starts(with: Data("\u{FEFF}metric_key,region,period,kind,value,value_max,unit,qualifier,mentions,conflict,".utf8)))
        let csv = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(csv.contains("长期护理保险参保人数,舟山市,2026-03,actual,1017600,,人,"), csv)
        let (jc, jsonl) = try Workdir.run(["export", "series"], in: dir, env: ["DATABASE_URL": conninfo])
        XCTAssertEqual(jc, 0, jsonl)
        let rowCount = try db.query("SELECT count(*) FROM indicators").first!.decode(Int.self, 0)
        XCTAssertEqual(jsonl.split(separator: "\n").filter { $0.hasPrefix("{\"metric_key\":") }.count, rowCount)
    }

    /// An aggregate job is an article to fold in or a settle; a settle is handed off alone.
    func testASettleJobGoesAloneAndArticleJobsShareBatches() throws {
        let context = StageContext(fileRoots: [], lexiconDir: TestPostgres.packageRoot.appendingPathComponent("config"))
        let handler = try AggregateHandler(context: context)
        func job(_ new: NewJob) -> Job { Job(id: 1, stage: new.stage, payload: new.payload, attempt: 1, maxAttempts: 5) }
        let settle = job(try SettlePayload.job())
        let article = job(try NewJob(stage: .aggregate, encoding: ArticlePayload(articleID: 7)))
        XCTAssertEqual(try settle.decodePayload(AggregateWork.self), .settle)
        XCTAssertEqual(try article.decodePayload(AggregateWork.self), .article(7))
        XCTAssertFalse(handler.canShareBatch(settle))
        XCTAssertTrue(handler.canShareBatch(article))
        XCTAssertEqual(try SettlePayload.job().dedupeKey, "settle:report_rows", "one settle queued or running at a time")
        XCTAssertThrowsError(try Job(id: 2, stage: "aggregate", payload: #"{"settle": "everything"}"#, attempt: 1, maxAttempts: 5)
            .decodePayload(AggregateWork.self))
    }

    func testFourAggregateWorkersGiveWhatOneGives() throws {
        let (conninfo, dir) = try seededDatabase()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try Connection(conninfo)
        let single = try snapshot(db)
        XCTAssertGreaterThan(single.count, 40)

        // Empty the reporting tables, then enqueue every article's aggregate job three times over,
        // shuffled, so that four workers contend for the same rows.
        try db.execute("""
            TRUNCATE indicator_sources, milestone_sources, indicators, milestones, indicator_row_figures, figure_periods,
                     milestone_variants, indicator_rows_unsettled, milestone_rows_unsettled
            """)
        let articles = try db.query("SELECT id FROM articles").rows.map { try $0.decode(Int64.self, 0) }
        let jobs = try (articles + articles + articles).shuffled().map {
            try NewJob(stage: .aggregate, encoding: ArticlePayload(articleID: $0))
        }
        try JobQueue.enqueue(db, jobs)
        let worker = TestPostgres.productsDirectory.appendingPathComponent("tideline-aggregate")
        let processes = try (0..<4).map { _ in
            try Workdir.launch(["--database-url", conninfo, "--once", "--poll-interval", "0.05"], in: dir, executable: worker)
        }
        for p in processes { p.waitUntilExit(); XCTAssertEqual(p.terminationStatus, 0) }
        let left = try db.query("SELECT count(*) FROM jobs WHERE stage = 'aggregate' AND state <> 'succeeded'").first!.decode(Int.self, 0)
        XCTAssertEqual(left, 0, "every aggregate job succeeded")
        XCTAssertEqual(try snapshot(db), single)
    }

    /// The HTML report opened in headless Chromium: it renders (a screenshot of real size) and
    /// its DOM holds the tables, the timeline and the evidence. Skipped when Chromium is absent.
    func testTheHTMLReportRendersInHeadlessChromium() throws {
        let browsers = ["chromium", "chromium-browser", "google-chrome"]
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        guard let chromium = browsers.lazy.compactMap({ name in
            path.map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
                .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        }).first else {
            // .ci/run installs Chromium: there, its absence is a failure, not a skip.
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("CI must have Chromium (.ci/run installs it)") }
            throw XCTSkip("Chromium is not installed (Debian: apt-get install -y chromium); the HTML report is checked by ReportsTests only")
        }
        // One seed says where its page is on the web, as a manifest can.
        let (conninfo, dir) = try seededDatabase { src in
            let file = src.appendingPathComponent("manifest.json")
            var entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]])
            entries[0]["url"] = "https://epaper.example.cn/zsrb/2024-01-04/1.html"
            try JSONSerialization.data(withJSONObject: entries).write(to: file)
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        let (code, out) = try Workdir.run(["report", "--html", page.path], in: dir, env: ["DATABASE_URL": conninfo])
        XCTAssertEqual(code, 0, out)

        // A desktop and a phone: both render (TIDELINE_SCREENSHOTS=DIR keeps them to look at).
        let keep = ProcessInfo.processInfo.environment["TIDELINE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
        for width in [1400, 390] {
            let shot = (keep ?? dir).appendingPathComponent("report-\(width).png")
            let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=\(width),2400"]
            let (shotCode, shotOut) = try Workdir.run(flags + ["--screenshot=\(shot.path)", page.absoluteString], in: dir, executable: chromium)
            XCTAssertEqual(shotCode, 0, shotOut)
            let png = try Data(contentsOf: shot)
            XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG")
            XCTAssertGreaterThan(png.count, 20_000, "a page with content at \(width) px, not a blank screenshot")
        }

        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,2400"]
        let (domCode, dom) = try Workdir.run(flags + ["--dump-dom", page.absoluteString], in: dir, executable: chromium)
        XCTAssertEqual(domCode, 0)
        XCTAssertTrue(dom.contains("id=\"indicators\""), dom)
        XCTAssertTrue(dom.contains("1,017,600"))
        XCTAssertTrue(dom.contains("多层次长期护理保障体系"))
        XCTAssertTrue(dom.contains("<details>"), "evidence folds open")
        XCTAssertTrue(dom.contains("id=\"filters\""), "the page has its filters")
        XCTAssertTrue(dom.contains("<mark>"), "figures are marked in their sentences")
        XCTAssertFalse(dom.contains("hidden=\"\""), "nothing hidden without a filter")
        XCTAssertTrue(dom.contains("<a href=\"https://epaper.example.cn/zsrb/2024-01-04/1.html\""), "the web page is linked")
        XCTAssertTrue(dom.contains(">舟山日报</a>") && dom.contains("<cite>舟山日报，"), "sources cited by the publication's name")

        // The script filters: a linked view of one metric hides the other rows.
        let (filteredCode, filtered) = try Workdir.run(flags + ["--dump-dom", page.absoluteString + "#q=%E5%8F%82%E4%BF%9D"], in: dir, executable: chromium)
        XCTAssertEqual(filteredCode, 0)
        XCTAssertTrue(filtered.contains("hidden=\"\""), "rows not about 参保 are hidden")
        XCTAssertTrue(filtered.contains("显示 "), "the count of what is shown")
    }
}
