import XCTest
import Postgres
import Queue
import Stages
import TestSupport
import TextCore

/// The fetch stage against a server on 127.0.0.1 that the tests start themselves, through the
/// real `tideline-fetch` worker: each case ends in the right state with the right message, and
/// nothing reaches clean twice.
final class FetchTests: XCTestCase {
    var server: TestHTTPServer!
    var conninfo: String!
    var db: Connection!
    var dir: URL!
    var worker: URL { TestPostgres.productsDirectory.appendingPathComponent("tideline-fetch") }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: worker.path) else { throw XCTSkip("tideline-fetch is not built; run `swift build` first") }
        server = try TestHTTPServer()
        conninfo = try TestPostgres.freshDatabase()
        db = try Connection(conninfo)
        dir = try Workdir.make([:], manifest: "[]")
        server.route("/robots.txt") { _ in .text("User-agent: *\nDisallow: /private/\n", type: "text/plain") }
    }

    override func tearDown() { if let dir { try? FileManager.default.removeItem(at: dir) } }

    /// Enqueues fetch jobs and runs the fetch worker until no job is available.
    @discardableResult
    private func fetch(_ urls: [String], kind: String? = nil, env extra: [String: String] = [:]) throws -> [Int64] {
        let ids = try JobQueue.enqueue(db, try urls.map {
            try NewJob(stage: .fetch, encoding: FetchPayload(source: $0, metadata: DocumentMetadata(homeRegion: "某某市"), kind: kind))
        })
        var env = ["TIDELINE_FETCH_ALLOW_HOSTS": "127.0.0.1:\(server.port)", "TIDELINE_FETCH_DELAY": "0", "TIDELINE_FETCH_TIMEOUT": "1.5",
                   "TIDELINE_FETCH_MAX_BYTES": "65536", "TIDELINE_WORKER_BACKOFF_BASE": "30"]
        for (k, v) in extra { env[k] = v }
        let (code, out) = try Workdir.run(["--once", "--database-url", conninfo, "--poll-interval", "0.1"], in: dir, env: env, executable: worker)
        XCTAssertEqual(code, 0, out)
        return ids
    }

    private func job(_ id: Int64) throws -> (state: String, error: String) {
        let r = try db.query("SELECT state, coalesce(last_error, '') FROM jobs WHERE id = $1", [id]).first!
        return (try r.decode(String.self, 0), try r.decode(String.self, 1))
    }

    private func scalar(_ sql: String, _ params: [any PostgresEncodable] = []) throws -> Int {
        try db.query(sql, params).first!.decode(Int.self, 0)
    }

    private func cleanJobsPerDocument() throws -> [Int] {
        try db.query("SELECT count(*)::int FROM jobs WHERE stage = 'clean' GROUP BY payload->>'document_id'").rows.map { try $0.decode(Int.self, 0) }
    }

    func testAGB18030ArticleIsStoredWithItsCharsetAndCleansToText() throws {
        let seed = try String(contentsOf: TestPostgres.packageRoot.appendingPathComponent("seeds/004_a3c65792d102ca2c.txt"), encoding: .utf8)
        let html = "<html><head><meta charset=\"gb2312\"><title>测试页面</title></head><body><div class=\"content\">"
            + seed.split(separator: "\n").map { "<p>\($0)</p>" }.joined() + "</div></body></html>"
        let body = gb18030(html)
        server.route("/news/gbk.html") { _ in .init(headers: ["Content-Type": "text/html; charset=GBK"], body: body) }
        let id = try fetch(["\(server.base)/news/gbk.html"])[0]
        let j = try job(id)
        XCTAssertEqual(j.state, "succeeded", j.error)
        let doc = try XCTUnwrap(try db.query("SELECT content, content_type, final_url FROM documents").first)
        XCTAssertEqual(try doc.decode([UInt8].self, 0), body, "stored as served")
        XCTAssertTrue(try doc.decode(String.self, 1).contains("GBK"))
        let cleaned = try Cleaner.clean(.init(bytes: body, contentType: try doc.decode(String.self, 1), published: "2024-01-01",
                                                       url: nil, sourceID: "gbk"))
        XCTAssertEqual(cleaned.charset.uppercased().hasPrefix("GB"), true, cleaned.charset)
        XCTAssertFalse(cleaned.articles.isEmpty)
    }

    func testAnIndexPageAndAFeedFanOutToTheirArticles() throws {
        for n in 1...5 { server.route("/col/a\(n).html") { _ in .text("<html><body><p>全市新增就业\(n)万人。</p></body></html>") } }
        server.route("/col/index.html") { _ in .text("""
            <html><body><a href="/about.html">关于</a><a href="a1.html">一</a><a href="/col/a2.html#top">二</a>
            <a href="http://127.0.0.1:9/col/a9.html">他站</a><a href="/col/a3.html">三</a><a href="/col/a1.html">一again</a></body></html>
            """) }
        server.route("/feed.xml") { [base = server.base] _ in .text("""
            <?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
            <item><title>四</title><link>\(base)/col/a4.html</link></item>
            <item><title>五</title><link><![CDATA[\(base)/col/a5.html]]></link></item></channel></rss>
            """, type: "application/rss+xml") }
        let ids = try fetch(["\(server.base)/col/index.html"], kind: "index")
        XCTAssertEqual(try job(ids[0]).state, "succeeded")
        // The index links three articles under /col/ on its own host (and /about.html, also on the
        // host: with no --link-prefix it is followed too); all are fetched by the same run.
        let fetched = Set(try db.query("SELECT source_id FROM documents").rows.map { try $0.decode(String.self, 0) })
        XCTAssertTrue(fetched.isSuperset(of: ["\(server.base)/col/a1.html", "\(server.base)/col/a2.html", "\(server.base)/col/a3.html"]), "\(fetched)")
        XCTAssertFalse(fetched.contains { $0.contains(":9/") }, "off-host links are not followed")
        XCTAssertFalse(fetched.contains("\(server.base)/col/index.html"), "the index itself is not an article")

        try fetch(["\(server.base)/feed.xml"])
        let after = Set(try db.query("SELECT source_id FROM documents").rows.map { try $0.decode(String.self, 0) })
        XCTAssertTrue(after.isSuperset(of: ["\(server.base)/col/a4.html", "\(server.base)/col/a5.html"]))
        XCTAssertEqual(try cleanJobsPerDocument().filter { $0 != 1 }, [], "nothing reaches clean twice")
    }

    /// Issue 15: a feed in `[sources]` with an interval, two fetch workers running as services for
    /// a few ticks: each tick is enqueued once across both (one job per tick, the feed asked once
    /// per job), and the feed's article is fetched and handed to clean once.
    func testAScheduledFeedIsFetchedOncePerTickAcrossTwoWorkers() throws {
        server.route("/col/a1.html") { _ in .text("<html><body><p>全市新增就业1万人。</p></body></html>") }
        server.route("/feed.xml") { [base = server.base] _ in .text("""
            <?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
            <item><title>一</title><link>\(base)/col/a1.html</link></item></channel></rss>
            """, type: "application/rss+xml") }
        let feed = "\(server.base)/feed.xml"
        let env = ["TIDELINE_FETCH_ALLOW_HOSTS": "127.0.0.1:\(server.port)", "TIDELINE_FETCH_DELAY": "0",
                   "TIDELINE_SOURCES_PAGES": feed, "TIDELINE_SOURCES_INTERVAL": "1"]
        let workers = try (0..<2).map { _ in
            try Workdir.launch(["--database-url", conninfo, "--poll-interval", "0.1", "--log-level", "warning"], in: dir, env: env, executable: worker)
        }
        defer { for w in workers where w.isRunning { w.terminate(); w.waitUntilExit() } }
        XCTAssertTrue(try eventually(timeout: 30) { try scalar("SELECT count(*)::int FROM schedule_ticks") >= 3 })
        for w in workers { w.terminate() }
        for w in workers { w.waitUntilExit() }

        let ticks = try scalar("SELECT count(*)::int FROM schedule_ticks WHERE schedule = $1", ["fetch:" + feed])
        let feedJobs = try scalar("SELECT count(*)::int FROM jobs WHERE stage = 'fetch' AND payload->>'source' = $1", [feed])
        XCTAssertEqual(try scalar("SELECT count(DISTINCT job_id)::int FROM schedule_ticks WHERE job_id IS NOT NULL"), feedJobs,
                       "one job per tick enqueued")
        XCTAssertLessThanOrEqual(feedJobs, ticks)
        XCTAssertGreaterThanOrEqual(feedJobs, ticks - 1, "a tick is dropped only while its previous job is still queued")
        let done = try scalar("SELECT count(*)::int FROM jobs WHERE stage = 'fetch' AND payload->>'source' = $1 AND state = 'succeeded'", [feed])
        XCTAssertEqual(server.requests(to: "/feed.xml").count, done, "the feed is asked once per job that ran")
        XCTAssertEqual(try cleanJobsPerDocument(), [1], "the article reaches clean once, however many ticks")
    }

    func testASecondFetchIsConditionalAndA304MakesNoWork() throws {
        server.route("/etag.html") { req in
            if req.headers["if-none-match"] == "\"v1\"" { return .init(status: 304) }
            return .init(headers: ["Content-Type": "text/html; charset=utf-8", "ETag": "\"v1\""],
                         body: Array("<html><body><p>全市新开工项目12个。</p></body></html>".utf8))
        }
        let first = try fetch(["\(server.base)/etag.html"])[0]
        let second = try fetch(["\(server.base)/etag.html"])[0]
        XCTAssertEqual(try job(first).state, "succeeded")
        XCTAssertEqual(try job(second).state, "succeeded")
        XCTAssertEqual(server.requests(to: "/etag.html").last?.headers["if-none-match"], "\"v1\"")
        XCTAssertEqual(try scalar("SELECT count(*)::int FROM jobs WHERE stage = 'clean'"), 1, "the 304 made no clean job")
    }

    /// Issue 14: gzip and deflate bodies of under 1 MB that inflate to 200 MB end as dead jobs at the cap on
    /// decoded bytes, and the worker never holds more than a few caps' worth of memory.
    func testCompressionBombsStopAtTheCapOnDecodedBytes() throws {
        /// 200 MB of zeros compressed by a shell pipeline.
        func compressed(_ command: String) throws -> [UInt8] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "head -c 200000000 /dev/zero | " + command]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let bytes = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
            p.waitUntilExit()
            return bytes
        }
        // gzip, and deflate (a zlib stream, as HTTP's "deflate" is).
        let bombs = [("gzip", try compressed("gzip -c")),
                     ("deflate", try compressed("python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 9))'"))]
        for (encoding, bomb) in bombs {
            XCTAssertLessThan(bomb.count, 1_000_000)
            server.route("/\(encoding).html") { _ in .init(headers: ["Content-Type": "text/html", "Content-Encoding": encoding], body: bomb) }
        }
        let ids = try fetch(bombs.map { server.base + "/\($0.0).html" }, env: ["TIDELINE_FETCH_MAX_BYTES": "1048576"])
        for id in ids {
            let j = try job(id)
            XCTAssertEqual(j.state, "dead", j.error)
            XCTAssertTrue(j.error.contains("larger than the 1048576-byte cap"), j.error)
        }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        XCTAssertLessThan(usage.ru_maxrss, 256 * 1024, "the largest child of this test, in KB: the fetch worker's peak stays within 256 MB")
    }

    /// Issue 14: a body with no length that never ends stops at the cap, the worker's memory with it.
    func testAnEndlessBodyStopsAtTheCap() throws {
        server.route("/endless.html") { _ in .init(headers: ["Content-Type": "text/html"], body: Array(repeating: 0x61, count: 65_536), endless: true) }
        let id = try fetch([server.base + "/endless.html"], env: ["TIDELINE_FETCH_MAX_BYTES": "1048576"])[0]
        let j = try job(id)
        XCTAssertEqual(j.state, "dead", j.error)
        XCTAssertTrue(j.error.contains("larger than the 1048576-byte cap"), j.error)
    }

    /// Issue 14: an allowed host:port does not open the host's other ports, on any redirect hop.
    func testARedirectToAnotherPortOfAnAllowedHostIsRefused() throws {
        server.route("/elsewhere.html") { _ in .init(status: 302, headers: ["Location": "http://127.0.0.1:5432/"]) }
        let id = try fetch([server.base + "/elsewhere.html"])[0]
        let j = try job(id)
        XCTAssertEqual(j.state, "dead", j.error)
        XCTAssertTrue(j.error.contains("127.0.0.1, a loopback address"), j.error)
    }

    func testFailuresEndInTheRightStateWithTheRightMessage() throws {
        server.route("/loop1") { [base = server.base] _ in .init(status: 302, headers: ["Location": "\(base)/loop2"]) }
        server.route("/loop2") { _ in .init(status: 302, headers: ["Location": "/loop1"]) }
        server.route("/slow.html") { _ in .init(headers: ["Content-Type": "text/html"], body: Array("<p>late</p>".utf8), delay: 4) }
        server.route("/big.html") { _ in .init(headers: ["Content-Type": "text/html"], body: [UInt8](repeating: 0x41, count: 200_000)) }
        server.route("/photo.jpg") { _ in .init(headers: ["Content-Type": "image/jpeg"], body: [0xFF, 0xD8, 0xFF]) }
        server.route("/private/a.html") { _ in .text("<p>内部</p>") }
        server.route("/flaky.html") { _ in .init(status: 503) }
        let ids = try fetch(["/missing.html", "/loop1", "/slow.html", "/big.html", "/photo.jpg", "/private/a.html", "/flaky.html"]
            .map { server.base + $0 })
        let expect: [(String, String)] = [
            ("dead", "answered 404"), ("dead", "more than 5 redirects"), ("available", "did not answer within 1.5 s"),
            ("dead", "larger than the 65536-byte cap"), ("dead", "not a supported type"),
            ("dead", "robots.txt of 127.0.0.1"), ("available", "answered 503; will retry"),
        ]
        for (id, (state, message)) in zip(ids, expect) {
            let j = try job(id)
            XCTAssertEqual(j.state, state, "job \(id): \(j.error)")
            XCTAssertTrue(j.error.contains(message), "job \(id): expected “\(message)” in “\(j.error)”")
        }
        XCTAssertEqual(try scalar("SELECT count(*)::int FROM documents"), 0)
    }

    func testOneRequestAtATimePerHostWithTheConfiguredDelay() throws {
        for n in 1...3 { server.route("/p\(n).html") { _ in .init(headers: ["Content-Type": "text/html"], body: Array("<p>\(n)</p>".utf8), delay: 0.2) } }
        try fetch((1...3).map { "\(server.base)/p\($0).html" }, env: ["TIDELINE_FETCH_DELAY": "0.5", "TIDELINE_STAGES_FETCH_CONCURRENCY": "3"])
        // Three worker threads, one host: requests (robots.txt first) start at least the delay apart.
        let times = server.requests.map(\.time).sorted()
        let state = try db.query("SELECT id::text, state, snoozes::text, attempts::text, coalesce(last_error, ''), errors::text FROM jobs WHERE stage = 'fetch'").rows.map { r in try (0..<6).map { try r.decode(String.self, $0) } }
        XCTAssertEqual(times.count, 4, "\(server.requests.map(\.path)) \(state)")
        for (a, b) in zip(times, times.dropFirst()) { XCTAssertGreaterThanOrEqual(b.timeIntervalSince(a), 0.45) }
        XCTAssertEqual(server.requests.first?.headers["user-agent"]?.hasPrefix("Tideline/"), true)
    }

    /// Issue 14: a host that does not answer holds one request slot, not the stage. The slow
    /// host's first page hangs past the timeout; its second waits its turn (put back, no attempt
    /// counted) instead of holding the other thread, which fetches every page of the normal host
    /// before the slow host's second request could even start.
    func testANeverAnsweringHostHoldsOneSlotNotTheStage() throws {
        let slow = try TestHTTPServer()
        slow.route("/robots.txt") { _ in .text("", type: "text/plain") }
        for n in 1...2 { slow.route("/s\(n).html") { _ in .init(headers: ["Content-Type": "text/html"], body: Array("<p>慢</p>".utf8), delay: 4) } }
        for n in 1...4 { server.route("/n\(n).html") { _ in .text("<p>全市新增就业\(n)万人。</p>") } }
        let ids = try fetch(["\(slow.base)/s1.html", "\(slow.base)/s2.html"] + (1...4).map { "\(server.base)/n\($0).html" },
                            env: ["TIDELINE_FETCH_ALLOW_HOSTS": "127.0.0.1:\(server.port),127.0.0.1:\(slow.port)",
                                  "TIDELINE_STAGES_FETCH_CONCURRENCY": "2"])
        for id in ids[2...] { XCTAssertEqual(try job(id).state, "succeeded") }
        for id in ids[..<2] {
            let j = try job(id)
            XCTAssertEqual(j.state, "available", "a timeout is retried later")
            XCTAssertTrue(j.error.contains("did not answer within 1.5 s"), j.error)
        }
        let slowStarts = slow.requests.filter { $0.path.hasPrefix("/s") }.map(\.time).sorted()
        XCTAssertEqual(slowStarts.count, 2, "one request at a time to the slow host, each tried once")
        let normalDone = try XCTUnwrap(server.requests.filter { $0.path.hasPrefix("/n") }.map(\.time).max())
        XCTAssertLessThan(normalDone, slowStarts[1], "the normal host was served while the slow one held its slot: "
                          + "\((server.requests + slow.requests).sorted { $0.time < $1.time }.map { "\($0.path)@\($0.time.timeIntervalSince1970)" })")
        XCTAssertEqual(try scalar("SELECT count(*)::int FROM jobs WHERE stage = 'fetch' AND attempts > 1"), 0, "waiting is not an attempt")
    }

    func testAPrivateAddressIsRefusedWithoutTheAllowList() throws {
        server.route("/a.html") { _ in .text("<p>全市新增就业1万人。</p>") }
        let id = try fetch(["\(server.base)/a.html"], env: ["TIDELINE_FETCH_ALLOW_HOSTS": ""])[0]
        let j = try job(id)
        XCTAssertEqual(j.state, "dead")
        XCTAssertTrue(j.error.contains("127.0.0.1, a loopback address"), j.error)
        XCTAssertTrue(j.error.contains("fetch.allow_hosts"), "the message says what to do: \(j.error)")
        XCTAssertTrue(server.requests.isEmpty, "no request left the worker")
    }

    func testAPDFPageBecomesText() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else {
            throw XCTSkip("pdftotext is not installed (Debian: apt-get install -y poppler-utils; .ci/run installs it)")
        }
        let pdf = try XCTUnwrap(Bundle.module.url(forResource: "epaper-page", withExtension: "pdf", subdirectory: "Fixtures/fetch"))
        let bytes = [UInt8](try Data(contentsOf: pdf))
        server.route("/epaper/page1.pdf") { _ in .init(headers: ["Content-Type": "application/pdf"], body: bytes) }
        let id = try fetch(["\(server.base)/epaper/page1.pdf"], env: ["TIDELINE_FETCH_MAX_BYTES": "1000000"])[0]
        let j = try job(id)
        XCTAssertEqual(j.state, "succeeded", j.error)
        let text = String(decoding: try db.query("SELECT content FROM documents").first!.decode([UInt8].self, 0), as: UTF8.self)
        XCTAssertTrue(text.contains("常住人口达125.3万人"), text)
    }
}
