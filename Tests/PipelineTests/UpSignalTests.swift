import XCTest
import Postgres
import Runtime
import TestSupport

/// Issue 18: `tideline up` stopped by SIGTERM, SIGHUP or SIGKILL leaves no worker or server of its
/// run behind, and the next `up` in the same folder completes with the tables of a run that was
/// never interrupted. Waits on readiness (the workers running, a job done), never on sleeps.
final class UpSignalTests: XCTestCase {
    /// The seeds, each also in 11 variants (a unique line appended), so a run is long enough to
    /// stop in the middle: 60 documents.
    private func corpus() throws -> URL {
        let seeds = TestPostgres.packageRoot.appendingPathComponent("seeds")
        struct Entry: Codable { var file: String; var published: String?; var home_region: String?; var source: String? }
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: seeds.appendingPathComponent("manifest.json")))
        var files: [String: [UInt8]] = [:]
        var manifest: [Entry] = []
        for e in entries {
            let bytes = [UInt8](try Data(contentsOf: seeds.appendingPathComponent(e.file)))
            for k in 0..<12 {
                var copy = e
                copy.file = k == 0 ? e.file : "v\(k)_" + e.file
                files[copy.file] = bytes + Array("\n（编号 \(k)）\n".utf8)
                manifest.append(copy)
            }
        }
        let json = String(decoding: try JSONEncoder().encode(manifest), as: UTF8.self)
        return try Workdir.make(files, manifest: json)
    }

    /// `tideline up` started with posix_spawn, not Foundation's Process: Process learns that a
    /// child ended when a descriptor the child inherited closes, and a server left behind by a
    /// SIGKILLed `up` holds it open, so `waitUntilExit` would wait for the server.
    private func startUp(in dir: URL) throws -> pid_t {
        var pid: pid_t = 0
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // (cd through the shell, which then becomes `tideline up`: the pid stays the same.)
        let args = ["/bin/sh", "-c", "cd \"$0\" && exec \"$1\" up --source src", dir.path, Workdir.tideline.path]
        let env = ProcessInfo.processInfo.environment.filter { $0.key != "DATABASE_URL" }.map { "\($0.key)=\($0.value)" }
        var cArgs = args.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, &cArgs, &cEnv)
        guard rc == 0 else { throw XCTSkip("posix_spawn failed: \(rc)") }
        return pid
    }

    /// Whether `pid` has ended; reaps it and returns its wait status when it has.
    private func ended(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid ? status : nil
    }

    /// Worker processes started by `up` with pid `parent` (they carry it in their environment).
    private func workers(of parent: Int32) -> [Int32] {
        let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return procs.compactMap(Int32.init).filter { pid in
            guard let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return env.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == "\(WorkerMain.parentPIDVariable)=\(parent)" }
        }
    }

    private func serverRunning(_ dir: URL) throws -> Bool {
        try EmbeddedPostgres(root: dir.appendingPathComponent(".tideline")).isRunning()
    }

    /// Polls `condition` until it holds or `limit` seconds pass (a bound, not a timing assertion).
    private func waitUntil(_ limit: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(limit)
        while Date() < end {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }

    private func tables(_ dir: URL) throws -> [String] {
        let pg = try EmbeddedPostgres(root: dir.appendingPathComponent(".tideline"))
        try pg.start()
        defer { try? pg.stop() }
        let db = try Connection(pg.conninfo)
        return try db.query("""
            SELECT metric || '|' || region || '|' || coalesce(period, '') || '|' || kind || '|' || value::text FROM indicators
            UNION ALL SELECT date || '|' || action || '|' || subject FROM milestones ORDER BY 1
            """).rows.map { try $0.decode(String.self, 0) }
    }

    func testUpStoppedBySignalsLeavesNothingRunningAndTheNextRunCompletes() throws {
        guard Workdir.isBuilt else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("tideline must be built in CI") }
            throw XCTSkip("tideline is not built; run `swift build` first")
        }
        let reference = try corpus()
        defer { try? FileManager.default.removeItem(at: reference) }
        let (code, out) = try Workdir.run(["up", "--source", "src"], in: reference)
        XCTAssertEqual(code, 0, out)
        let expected = try tables(reference)
        XCTAssertFalse(expected.isEmpty)

        let dir = try corpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        for sig in [SIGTERM, SIGHUP, SIGKILL] {
            let pid = try startUp(in: dir)
            // Mid-run: the four workers are up.
            var status: Int32? = nil
            XCTAssertTrue(waitUntil(120) { workers(of: pid).count == 4 }, "workers never started")
            kill(pid, sig)
            XCTAssertTrue(waitUntil(120) { status = status ?? ended(pid); return status != nil }, "up did not end after \(sig)")
            if sig != SIGKILL, let status {
                // Exited (not killed), with 128+signal.
                XCTAssertEqual(status & 0x7f, 0, "up ended by the signal itself")
                XCTAssertEqual((status >> 8) & 0xff, 128 + sig, "exit status for \(ShutdownSignals.name(sig))")
            }
            XCTAssertTrue(waitUntil(60) { workers(of: pid).isEmpty }, "workers of the stopped run remain after \(sig)")
            if sig != SIGKILL {
                XCTAssertFalse(try serverRunning(dir), "the embedded server remains after \(ShutdownSignals.name(sig))")
            }
        }
        // After SIGKILL the server may be left behind: the next run takes it over and stops it.
        let (code2, out2) = try Workdir.run(["up", "--source", "src"], in: dir)
        XCTAssertEqual(code2, 0, out2)
        XCTAssertFalse(try serverRunning(dir), "the next up stops the server it took over:\n\(out2)")
        XCTAssertEqual(try tables(dir), expected)
    }
}
