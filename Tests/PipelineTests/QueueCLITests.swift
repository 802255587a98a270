import XCTest
import Postgres
import Queue
import Reports
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `tideline queue …` and `tideline metrics` as an operator runs them, on a database holding jobs
/// no worker is running.
final class QueueCLITests: XCTestCase {
    var conninfo: String!
    var db: Connection!
    var dir: URL!

    override func setUpWithError() throws {
        guard Workdir.isBuilt else { throw XCTSkip("tideline is not built; run `swift build` first") }
        conninfo = try TestPostgres.freshDatabase()
        db = try Connection(conninfo)
        dir = try Workdir.make([:], manifest: "[]")
    }

    override func tearDown() { if let dir { try? FileManager.default.removeItem(at: dir) } }

    private func tideline(_ args: [String]) throws -> (Int32, String) {
        try Workdir.run(args, in: dir, env: ["DATABASE_URL": conninfo])
    }

    func testRuntimeErrorsAreOneLineAndUsageOnlyForUsage() throws {
        let (code, out) = try tideline(["queue", "show", "987654"])
        XCTAssertEqual(code, 1, out)
        XCTAssertTrue(out.contains("Error: no job 987654"), out)
        XCTAssertFalse(out.lowercased().contains("usage:"), "a runtime error prints no usage:\n\(out)")
        let (usageCode, usage) = try tideline(["queue", "show"])
        XCTAssertEqual(usageCode, 64, usage)
        XCTAssertTrue(usage.lowercased().contains("usage:"), usage)
        let (vc, version) = try tideline(["--version"])
        XCTAssertEqual(vc, 0)
        XCTAssertTrue(version.hasPrefix("tideline "), version)
    }

    /// A command that reads does not migrate; an older schema is named with what to run.
    func testReadingCommandsNameAnUnmigratedSchema() throws {
        let bare = try TestPostgres.freshDatabase(migrated: false)
        for args in [["report"], ["export", "series"], ["queue", "stats"]] {
            let (code, out) = try Workdir.run(args, in: dir, env: ["DATABASE_URL": bare])
            XCTAssertEqual(code, 1, out)
            XCTAssertTrue(out.contains("run `tideline migrate`"), "\(args): \(out)")
        }
    }

    func testAnOperatorInspectsAndSteersJobs() throws {
        let ids = try JobQueue.enqueue(db, (1...3).map { try NewJob(stage: .clean, encoding: ["document_id": $0]) })
        try db.execute("""
            UPDATE jobs SET state = 'dead', attempts = 5, finished_at = now(), last_error = 'boom: the test killed it',
                   errors = '[{"attempt": 5, "at": "2026-01-01T00:00:00Z", "error": "boom: the test killed it"}]'
             WHERE id = $1
            """, [ids[0]])

        let (sc, stats) = try tideline(["queue", "stats", "--json"])
        XCTAssertEqual(sc, 0, stats)
        let parsed = try JSONSerialization.jsonObject(with: Data(stats.utf8)) as? [[String: Any]]
        let clean = try XCTUnwrap(parsed?.first { $0["stage"] as? String == "clean" })
        XCTAssertEqual((clean["counts"] as? [String: Int])?["available"], 2)
        XCTAssertEqual((clean["counts"] as? [String: Int])?["dead"], 1)

        let (_, list) = try tideline(["queue", "list", "--stage", "clean", "--state", "dead"])
        XCTAssertTrue(list.contains("boom: the test killed it"), list)
        // Fitted to the terminal's width (COLUMNS when the output is not a terminal).
        let (_, narrow) = try Workdir.run(["queue", "list"], in: dir, env: ["DATABASE_URL": conninfo, "COLUMNS": "100"])
        for line in narrow.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 100, String(line)) }
        XCTAssertTrue(narrow.contains("…"), "the long payload and error are cut: \(narrow)")
        let (_, found) = try tideline(["queue", "list", "--search", "killed it", "--json"])
        let foundIDs = (try JSONSerialization.jsonObject(with: Data(found.utf8)) as? [[String: Any]])?.compactMap { $0["id"] as? Int }
        XCTAssertEqual(foundIDs, [Int(ids[0])], "search reads the errors: \(found)")
        let (_, byPayload) = try tideline(["queue", "list", "--search", "\"document_id\": 3", "--json"])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(byPayload.utf8)) as? [[String: Any]])?.compactMap { $0["id"] as? Int },
                       [Int(ids[2])], "and the payload: \(byPayload)")
        let (_, show) = try tideline(["queue", "show", String(ids[0])])
        XCTAssertTrue(show.contains("attempt 5 at 2026-01-01T00:00:00Z: boom"), show)

        let (rc, retry) = try tideline(["queue", "retry", "--stage", "clean", "--state", "dead"])
        XCTAssertEqual(rc, 0, retry)
        XCTAssertTrue(retry.contains("1 job(s) available again"), retry)
        let (cc, _) = try tideline(["queue", "cancel", String(ids[1])])
        XCTAssertEqual(cc, 0)
        XCTAssertEqual(try db.query("SELECT state FROM jobs WHERE id = $1", [ids[1]]).first?.decode(String.self, 0), "cancelled")
        let (again, message) = try tideline(["queue", "cancel", String(ids[1])])
        XCTAssertNotEqual(again, 0, "a cancelled job cannot be cancelled twice")
        XCTAssertTrue(message.contains("is not available"), message)
        let (bc, bulk) = try tideline(["queue", "cancel", "--stage", "clean", "--search", "\"document_id\": 3"])
        XCTAssertEqual(bc, 0, bulk)
        XCTAssertTrue(bulk.contains("1 job(s) cancelled"), bulk)
        XCTAssertEqual(try db.query("SELECT state FROM jobs WHERE id = $1", [ids[2]]).first?.decode(String.self, 0), "cancelled")
        XCTAssertEqual(try db.query("SELECT state FROM jobs WHERE id = $1", [ids[0]]).first?.decode(String.self, 0), "available",
                       "the retried job does not match the search and stays")

        _ = try tideline(["queue", "pause", "extract"])
        XCTAssertTrue(try tideline(["queue", "stats"]).1.contains("extract ‖"))
        _ = try tideline(["queue", "resume", "extract"])
        XCTAssertFalse(try tideline(["queue", "stats"]).1.contains("‖"))

        let (bad, usage) = try tideline(["queue", "pause", "translate"])
        XCTAssertNotEqual(bad, 0)
        XCTAssertTrue(usage.contains("unknown stage translate"), usage)
        let (dc, dry) = try tideline(["queue", "prune", "--older-than", "0s", "--dry-run"])
        XCTAssertEqual(dc, 0, dry)
        XCTAssertTrue(dry.contains("clean\tcancelled\t2") && dry.contains("would prune 2 finished job(s)"), dry)
        let (pc, prune) = try tideline(["queue", "prune", "--older-than", "0s"])
        XCTAssertEqual(pc, 0, prune)
        XCTAssertTrue(prune.contains("pruned 2 finished job(s)"), prune)
        let (_, watch) = try tideline(["queue", "watch", "--count", "1"])
        XCTAssertTrue(watch.contains("tideline queue watch"), watch)
        XCTAssertTrue(watch.contains("succeeded") && watch.contains("heartbeat"), "full headings into a pipe: \(watch)")
        // stats, workers and watch fit the terminal too: short headings first, then the last column cut.
        for args in [["queue", "stats"], ["queue", "watch", "--count", "1"], ["queue", "workers", "--all"]] {
            let (_, fitted) = try Workdir.run(args, in: dir, env: ["DATABASE_URL": conninfo, "COLUMNS": "60"])
            // The table lines (heading and a row per stage or worker); hints below may wrap.
            let tableLines = fitted.split(separator: "\n").filter { line in
                ["stage", "fetch", "clean", "extract", "aggregate"].contains { line.hasPrefix($0) }
            }
            XCTAssertFalse(tableLines.isEmpty, "\(args): \(fitted)")
            for line in tableLines { XCTAssertLessThanOrEqual(Format.width(String(line)), 60, "\(args): \(line)") }
        }
        let (_, statsNarrow) = try Workdir.run(["queue", "stats"], in: dir, env: ["DATABASE_URL": conninfo, "COLUMNS": "60"])
        XCTAssertTrue(statsNarrow.contains("avail") && !statsNarrow.contains("available"), statsNarrow)
    }

    func testAWatchedFolderEnqueuesNewAndChangedFilesOnly() throws {
        let inbox = dir.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try "本报讯 全市新增就业1万人。".write(to: inbox.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "本报讯 全市新增企业200家。".write(to: inbox.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let (code, out) = try tideline(["watch", "inbox", "--once", "--home-region", "某某市"])
        XCTAssertEqual(code, 0, out)
        XCTAssertTrue(out.contains("enqueued 2 new or changed file(s)"), out)
        let sources = try db.query("SELECT payload->>'source' FROM jobs WHERE stage = 'fetch' ORDER BY 1").rows.map { try $0.decode(String.self, 0) }
        XCTAssertEqual(sources.map { ($0 as NSString).lastPathComponent }, ["a.txt", "b.txt"])
    }

    func testConfiguredSourcesAreEnqueuedInOneCommand() throws {
        let (code, out) = try Workdir.run(["enqueue", "sources"], in: dir, env: [
            "DATABASE_URL": conninfo, "TIDELINE_SOURCES_PAGES": "https://news.example.cn/rss.xml",
            "TIDELINE_SOURCES_INDEXES": "https://www.example.gov.cn/col/col1/index.html", "TIDELINE_SOURCES_HOME_REGION": "某某市"])
        XCTAssertEqual(code, 0, out)
        let rows = try db.query("SELECT payload->>'source', payload->>'kind', payload#>>'{metadata,home_region}' FROM jobs ORDER BY id").rows
        XCTAssertEqual(try rows.map { try $0.decode(String.self, 0) }, ["https://news.example.cn/rss.xml", "https://www.example.gov.cn/col/col1/index.html"])
        XCTAssertEqual(try rows.map { try $0.decodeOptional(String.self, 1) }, [nil, "index"])
        XCTAssertEqual(try rows.first?.decode(String.self, 2), "某某市")
        let (none, message) = try tideline(["enqueue", "sources"])
        XCTAssertNotEqual(none, 0)
        XCTAssertTrue(message.contains("no sources configured"), message)
    }

    func testMetricsAreServedOverHTTP() throws {
        try JobQueue.enqueue(db, [try NewJob(stage: .extract, encoding: ["article_id": 1])])
        let port = Int.random(in: 20_000...60_000)
        let p = Process()
        p.executableURL = Workdir.tideline
        p.arguments = ["metrics", "--listen", "127.0.0.1:\(port)", "--database-url", conninfo]
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { p.terminate(); p.waitUntilExit() }
        var body = ""
        XCTAssertTrue(eventually(timeout: 20) {
            body = (try? String(contentsOf: URL(string: "http://127.0.0.1:\(port)/metrics")!, encoding: .utf8)) ?? ""
            return !body.isEmpty
        })
        XCTAssertTrue(body.contains("# TYPE tideline_jobs gauge"), body)
        XCTAssertTrue(body.contains("tideline_jobs{stage=\"extract\",state=\"available\"} 1"), body)
        XCTAssertTrue(body.contains("tideline_oldest_available_job_age_seconds{stage=\"extract\"}"), body)
        XCTAssertTrue(body.contains("\ntideline_up 1\n"), body)
        XCTAssertTrue(body.contains("tideline_build_info{version=\""), body)
        XCTAssertEqual(try String(contentsOf: URL(string: "http://127.0.0.1:\(port)/healthz")!, encoding: .utf8), "ok\n")
        XCTAssertEqual(try String(contentsOf: URL(string: "http://127.0.0.1:\(port)/readyz")!, encoding: .utf8), "ready\n")
    }

    /// With no database to read, the exporter still answers: `tideline_up 0` and the reason, so an
    /// alert can tell an outage from a dead exporter.
    func testMetricsSayTheDatabaseIsDownInASeries() throws {
        let (status, out) = try tideline(["metrics", "--once", "--database-url", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"])
        XCTAssertEqual(status, 0, out)
        XCTAssertTrue(out.contains("\ntideline_up 0\n"), out)
        XCTAssertTrue(out.contains("# tideline_up 0: "), out)
        XCTAssertTrue(out.contains("tideline_build_info{"), out)
    }
}
