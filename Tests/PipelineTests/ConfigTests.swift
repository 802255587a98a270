import XCTest
import Queue
@testable import Runtime

/// Invalid configuration stops a program at start with the key and the reason.
final class ConfigTests: XCTestCase {
    private func load(_ toml: String, env: [String: String] = [:]) throws -> Config {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tl-config-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("config"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("config/tideline.toml")
        try toml.write(to: file, atomically: true, encoding: .utf8)
        return try Config.load(path: file.path, environment: env)
    }

    private func assertInvalid(_ toml: String, env: [String: String] = [:], key: String, reason: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try load(toml, env: env), file: file, line: line) { error in
            guard let invalid = error as? Config.Invalid else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertTrue(invalid.key.hasSuffix(key), invalid.description, file: file, line: line)
            XCTAssertTrue(invalid.description.contains(reason), invalid.description, file: file, line: line)
        }
    }

    func testBadValuesNameTheKeyAndTheReason() {
        assertInvalid("[worker]\nlease = -3\n", key: "worker.lease", reason: "greater than 0")
        assertInvalid("[worker]\npoll_interval = \"fast\"\n", key: "worker.poll_interval", reason: "expected a number")
        assertInvalid("[worker]\nleese = 3\n", key: "worker.leese", reason: "unknown setting")
        assertInvalid("[stages.extract]\nthreads = 4\n", key: "stages.extract.threads", reason: "known: concurrency, batch_size")
        assertInvalid("[fetch]\nroots = 7\n", key: "fetch.roots", reason: "array of folder paths")
        assertInvalid("[lexicons]\ndir = \"nowhere\"\n", key: "lexicons.dir", reason: "is not a folder")
        assertInvalid("[sources]\npages = [\"ftp://a.cn/x\"]\n", key: "sources.pages", reason: "not an http(s) URL")
        assertInvalid("[worker\nlease = 3\n", key: "tideline.toml", reason: "line 1: Error while parsing table header")
    }

    /// TOML 1.0 as other tools read it (the TOML spec's examples of what the config uses):
    /// multi-line arrays with trailing commas and comments, inline tables, literal strings.
    func testValidTOMLThatTheSpecAllowsIsRead() throws {
        let c = try load("""
            # spec: arrays may span lines, with comments and a trailing comma
            [sources]
            pages = [
              'https://news.example.cn/rss.xml',  # a literal string
              "https://www.example.gov.cn/col/col1/index.html",
            ]
            home_region = "某某市"

            [stages]
            extract = { concurrency = 3, batch_size = 8 }

            [worker]
            lease = 12.5
            """)
        XCTAssertEqual(c.sourcePages, ["https://news.example.cn/rss.xml", "https://www.example.gov.cn/col/col1/index.html"])
        XCTAssertEqual(c.sourceHomeRegion, "某某市")
        XCTAssertEqual(c.concurrency["extract"], 3, "an inline table")
        XCTAssertEqual(c.batchSize["extract"], 8)
        XCTAssertEqual(c.lease, 12.5)
    }

    /// An unknown key is named with its file and line, or its environment variable, and the
    /// closest known key.
    func testUnknownKeysSayWhereAndSuggestTheClosest() {
        assertInvalid("# tideline\n[worker]\nleese = 3\n", key: "worker.leese", reason: "did you mean worker.lease?")
        XCTAssertThrowsError(try load("[worker]\nleese = 3\n")) { error in
            XCTAssertTrue("\(error)".contains("tideline.toml:2: worker.leese"), "\(error)")
        }
        XCTAssertThrowsError(try load("", env: ["TIDELINE_WORKER_LEASEE": "5"])) { error in
            XCTAssertTrue("\(error)".contains("TIDELINE_WORKER_LEASEE, which sets worker.leasee"), "\(error)")
            XCTAssertTrue("\(error)".contains("did you mean TIDELINE_WORKER_LEASE?"), "\(error)")
        }
    }

    /// Every key offered as a suggestion is one `apply` takes.
    func testEveryKnownKeyIsAccepted() throws {
        for key in Config.knownKeys {
            do { _ = try load("", env: [Config.variable(for: key): "x"]) } catch {
                XCTAssertFalse("\(error)".contains("unknown setting"), "\(key): \(error)")
            }
        }
    }

    func testMaxAttemptsReachesEveryJobQueued() throws {
        let c = try load("[worker]\nmax_attempts = 2\n")
        XCTAssertEqual(c.workerOptions(stage: "clean").maxAttempts, 2, "the jobs a worker hands on")
        XCTAssertEqual(c.attempting([NewJob(stage: "fetch")]).map(\.maxAttempts), [2], "the jobs the CLI queues")
    }

    func testRetentionTakesDurationsOrForever() throws {
        let c = try load("[queue]\nretain_succeeded = \"3d\"\nretain_dead = \"forever\"\n[fetch]\nuser_agent = \"probe/1\"\n",
                         env: ["TIDELINE_QUEUE_RETAIN_CANCELLED": "1h"])
        XCTAssertEqual(c.retention, ["succeeded": 3 * 86_400, "cancelled": 3_600])
        XCTAssertEqual(c.workerOptions(stage: "clean").retention, c.retention)
        XCTAssertEqual(c.web.userAgent, "probe/1")
        assertInvalid("[queue]\nretain_dead = \"soon\"\n", key: "queue.retain_dead", reason: "not a duration")
    }

    func testTheEnvironmentOverridesTheFileAndIsCheckedTheSameWay() throws {
        let c = try load("[worker]\nlease = 30\n[stages.extract]\nconcurrency = 2\n",
                         env: ["TIDELINE_WORKER_LEASE": "5", "DATABASE_URL": "postgresql://db/x",
                               "TIDELINE_STAGES_AGGREGATE_BATCH_SIZE": "8", "TIDELINE_FETCH_ALLOW_HOSTS": "127.0.0.1, intranet.local"])
        XCTAssertEqual(c.lease, 5)
        XCTAssertEqual(c.concurrency["extract"], 2)
        XCTAssertEqual(c.databaseURL, "postgresql://db/x")
        XCTAssertEqual(c.batchSize["aggregate"], 8)
        XCTAssertEqual(c.web.allowHosts, ["127.0.0.1", "intranet.local"])
        assertInvalid("", env: ["TIDELINE_WORKER_LEASE": "soon"], key: "worker.lease", reason: "expected a number")
    }

    func testSourcesWithAnIntervalBecomeSchedules() throws {
        let c = try load("[sources]\npages = [\"https://a.cn/rss.xml\"]\nindexes = [\"https://a.cn/col/1/\"]\ninterval = \"30m\"\n")
        XCTAssertEqual(c.sourceInterval, 1800)
        XCTAssertEqual(try c.schedules().map(\.key), ["fetch:https://a.cn/rss.xml", "fetch-index:https://a.cn/col/1/"])
        XCTAssertEqual(try load("[sources]\npages = [\"https://a.cn/\"]\n").schedules().count, 0, "no interval, no schedule")
        assertInvalid("[sources]\ninterval = \"soon\"\n", key: "sources.interval", reason: "not a duration")
    }

    /// One documented base: a path written in the file is relative to the file's folder, one in a
    /// variable to the working directory; `lexicons.dir` does not move the base of `fetch.roots`.
    func testRelativePathsHaveOneBasePerOrigin() throws {
        let c = try load("[lexicons]\ndir = \".\"\n[fetch]\nroots = [\"inbox\", \"../shared\"]\n")
        let fileDir = c.fileDir
        XCTAssertEqual(fileDir.lastPathComponent, "config")
        XCTAssertEqual(c.lexiconDir.path, fileDir.path)
        XCTAssertEqual(c.fileRoots.map(\.path), [fileDir.appendingPathComponent("inbox").path,
                                                 fileDir.deletingLastPathComponent().appendingPathComponent("shared").path])
        let fromEnv = try load("", env: ["TIDELINE_FETCH_ROOTS": "inbox:/srv/papers"])
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        XCTAssertEqual(fromEnv.fileRoots.map(\.path), [cwd.appendingPathComponent("inbox").standardizedFileURL.path, "/srv/papers"])
    }

    func testANamedFileThatIsMissingIsAnError() {
        XCTAssertThrowsError(try Config.load(path: "/nonexistent/tideline.toml", environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("no such file"), "\(error)")
        }
    }
}
