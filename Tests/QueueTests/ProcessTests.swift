import XCTest
import Postgres
import Queue
import Runtime
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Worker processes against one database: the properties the queue exists for.
final class ProcessTests: ProbeTestCase {

    /// Several processes, several threads each, thousands of jobs: every job's output exactly once.
    func testSeveralWorkerProcessesProcessEveryJobExactlyOnce() throws {
        let total = 3000
        try JobQueue.enqueue(db, (0..<total).map { NewJob(stage: "probe", payload: "{\"n\": \($0)}") })
        let workers = try (0..<3).map { _ in try startProbe(["--concurrency", "2", "--batch", "25", "--once"]) }
        for w in workers { w.waitUntilExit() }
        for w in workers { XCTAssertEqual(w.terminationStatus, 0) }
        XCTAssertEqual(try count(db, "SELECT count(*) FROM jobs WHERE stage = 'probe' AND state = 'succeeded'"), total)
        XCTAssertEqual(try count(db, "SELECT count(*) FROM probe_output"), total)
        XCTAssertEqual(try count(db, "SELECT count(DISTINCT job_id) FROM probe_output"), total)
        XCTAssertGreaterThan(try count(db, "SELECT count(DISTINCT worker_pid) FROM probe_output"), 1, "the work was shared")
    }

    /// kill -9 in the middle of a job: the job is rescued after the lease, completes, and its output
    /// exists exactly once.
    func testKilledWorkersJobIsRescuedAndCompletesOnce() throws {
        let id = try JobQueue.enqueue(db, [NewJob(stage: "probe", payload: "{\"sleep_ms\": 60000}")])[0]
        let victim = try startProbe(["--lease", "1"])
        XCTAssertTrue(try eventually(timeout: 15) { try state(db, id) == "running" })
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        XCTAssertEqual(try count(db, "SELECT count(*) FROM probe_output"), 0, "nothing committed before the kill")
        // Let the next attempt be quick, then start a rescuer-worker.
        try db.execute("UPDATE jobs SET payload = '{}' WHERE id = $1", [id])
        let survivor = try startProbe(["--lease", "1"])
        defer { survivor.terminate(); survivor.waitUntilExit() }
        XCTAssertTrue(try eventually(timeout: 30) { try state(db, id) == "succeeded" })
        XCTAssertEqual(try count(db, "SELECT count(*) FROM probe_output WHERE job_id = $1", [id]), 1)
        let row = try db.query("SELECT attempts, errors::text FROM jobs WHERE id = $1", [id]).first!
        XCTAssertEqual(try row.decode(Int.self, 0), 2, "the killed attempt counts")
        XCTAssertTrue(try row.decode(String.self, 1).contains("stopped heartbeating"))
    }

    /// One maintenance leader among the workers; when it dies (SIGKILL), another leads within a lease.
    func testAnotherWorkerLeadsMaintenanceWhenTheLeaderDies() throws {
        func leaders() throws -> [Int] {
            try db.query("""
                SELECT pid FROM pg_locks
                 WHERE locktype = 'advisory' AND granted AND objsubid = 1
                   AND ((classid::bigint << 32) | objid::bigint) = $1
                """, [Int64(0x7469_6465_6c65_6164)]).rows.map { try $0.decode(Int.self, 0) }
        }
        let first = try startProbe(["--lease", "1"])
        XCTAssertTrue(try eventually(timeout: 15) { try leaders().count == 1 })
        let firstLeader = try leaders()
        let second = try startProbe(["--lease", "1"])
        defer { second.terminate(); second.waitUntilExit() }
        XCTAssertTrue(try eventually(timeout: 15) { try count(db, "SELECT count(*) FROM workers WHERE stopped_at IS NULL") == 2 })
        XCTAssertEqual(try leaders(), firstLeader, "one leader, and it stays")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        XCTAssertTrue(try eventually(timeout: 15) { let l = try leaders(); return l.count == 1 && l != firstLeader },
                      "the second worker leads once the first is gone")
    }

    /// Issue 15: a worker started before its database waits for it, says so once, and works once
    /// the server is up; a worker given a database that does not exist stops at once with the reason.
    func testAWorkerStartedBeforeItsDatabaseWaitsForIt() throws {
        let root = URL(fileURLWithPath: "/tmp/tideline-late-\(UInt32.random(in: 0...UInt32.max))")
        let pg = try EmbeddedPostgres(root: root, settings: ["fsync": "off"])
        defer { try? pg.stop(); try? FileManager.default.removeItem(at: root) }
        let log = root.appendingPathComponent("worker.log")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let worker = Process()
        worker.executableURL = probe
        worker.arguments = ["--database-url", pg.conninfo, "--poll-interval", "0.1"]
        let out = try FileHandle(forWritingTo: log)
        worker.standardOutput = out
        worker.standardError = out
        try worker.run()
        defer { worker.terminate(); worker.waitUntilExit() }
        XCTAssertTrue(try eventually(timeout: 15) { (try String(contentsOf: log, encoding: .utf8)).contains("unreachable") })
        try pg.start()
        let db = try Connection(pg.conninfo)
        XCTAssertTrue(eventually(timeout: 30) {
            (try? db.query("SELECT count(*) FROM workers WHERE stopped_at IS NULL").first?.decode(Int.self, 0)) == 1
        }, "the worker registered once the server was up")
        try db.execute("CREATE TABLE probe_output (job_id bigint NOT NULL, attempt int NOT NULL, worker_pid int NOT NULL)")
        let id = try JobQueue.enqueue(db, [NewJob(stage: "probe", payload: "{}")])[0]
        XCTAssertTrue(try eventually(timeout: 15) { try state(db, id) == "succeeded" })
        XCTAssertTrue(worker.isRunning)
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").filter { $0.contains("unreachable") }
        XCTAssertEqual(lines.count, 1, "one line for the outage, not one per attempt:\n\(lines.joined(separator: "\n"))")

        let wrong = try launch(probe, ["--database-url", pg.conninfo(database: "no_such_db"), "--once"])
        wrong.waitUntilExit()
        XCTAssertNotEqual(wrong.terminationStatus, 0, "a database that does not exist is not waited for")
    }

    /// Issue 15: an outage while a worker runs writes one line per loop when the database goes
    /// and one when it is back, however many attempts it lasts (the attempts show at debug only),
    /// and the worker carries on afterwards.
    func testAnOutageWhileRunningWritesALineWhenItGoesAndOneWhenItIsBack() throws {
        let root = URL(fileURLWithPath: "/tmp/tideline-outage-\(UInt32.random(in: 0...UInt32.max))")
        let pg = try EmbeddedPostgres(root: root, settings: ["fsync": "off"])
        defer { try? pg.stop(); try? FileManager.default.removeItem(at: root) }
        try pg.start()
        var db = try Connection(pg.conninfo)
        try Schema.migrate(db)
        try db.execute("CREATE TABLE probe_output (job_id bigint NOT NULL, attempt int NOT NULL, worker_pid int NOT NULL)")
        let log = root.appendingPathComponent("worker.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let worker = Process()
        worker.executableURL = probe
        worker.arguments = ["--database-url", pg.conninfo, "--poll-interval", "0.1", "--concurrency", "2", "--log-level", "debug"]
        let out = try FileHandle(forWritingTo: log)
        worker.standardOutput = out
        worker.standardError = out
        try worker.run()
        defer { worker.terminate(); worker.waitUntilExit() }
        XCTAssertTrue(eventually(timeout: 30) {
            (try? db.query("SELECT count(*) FROM workers WHERE stopped_at IS NULL").first?.decode(Int.self, 0)) == 1
        })
        func lines(_ text: String) throws -> [Substring] {
            try String(contentsOf: log, encoding: .utf8).split(separator: "\n").filter { $0.contains(text) }
        }

        try pg.stop()
        // The outage lasts until the worker has tried a dozen times in all.
        XCTAssertTrue(try eventually(timeout: 60) { try lines("still unreachable").count >= 12 },
                      (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        try pg.start()
        db = try Connection(pg.conninfo)
        let id = try JobQueue.enqueue(db, [NewJob(stage: "probe", payload: "{}")])[0]
        XCTAssertTrue(try eventually(timeout: 30) { try state(db, id) == "succeeded" }, "the worker carries on")
        XCTAssertTrue(try eventually(timeout: 30) { try lines("reachable again").count >= 1 })

        // Two executors, the listener and the maintainer: at most a line each way per loop.
        let gone = try lines("the database is unreachable"), back = try lines("reachable again")
        XCTAssertLessThanOrEqual(gone.count, 4, gone.joined(separator: "\n"))
        XCTAssertLessThanOrEqual(back.count, 4, back.joined(separator: "\n"))
        XCTAssertTrue(worker.isRunning)
    }

    /// Issue 15: a schedule of one second across two workers and a leader killed on the way: each
    /// tick enqueued exactly once, and ticks keep coming after the takeover.
    func testEachTickOfAScheduleIsEnqueuedOnceAcrossWorkersAndALeaderDeath() throws {
        let first = try startProbe(["--lease", "1", "--schedule", "every-second:1"])
        let second = try startProbe(["--lease", "1", "--schedule", "every-second:1"])
        defer { for w in [first, second] where w.isRunning { w.terminate(); w.waitUntilExit() } }
        XCTAssertTrue(try eventually(timeout: 20) { try count(db, "SELECT count(*) FROM schedule_ticks") >= 2 })
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let before = try count(db, "SELECT count(*) FROM schedule_ticks")
        XCTAssertTrue(try eventually(timeout: 20) { try count(db, "SELECT count(*) FROM schedule_ticks") >= before + 2 }, "the survivor leads and enqueues")
        second.terminate(); second.waitUntilExit()
        let ticks = try count(db, "SELECT count(*) FROM schedule_ticks")
        XCTAssertEqual(try count(db, "SELECT count(*) FROM jobs WHERE stage = 'probe'"), ticks, "one job per tick")
        XCTAssertEqual(try count(db, "SELECT count(DISTINCT job_id) FROM schedule_ticks"), ticks)
    }

    /// SIGTERM: the worker stops claiming, finishes the job in hand, and exits cleanly.
    func testSigtermFinishesTheJobInHandThenExits() throws {
        let ids = try JobQueue.enqueue(db, [NewJob(stage: "probe", payload: "{\"sleep_ms\": 1500}"),
                                            NewJob(stage: "probe", priority: -1)])
        let worker = try startProbe(["--batch", "1"])
        XCTAssertTrue(try eventually(timeout: 15) { try state(db, ids[0]) == "running" })
        worker.terminate()
        worker.waitUntilExit()
        XCTAssertEqual(worker.terminationStatus, 0)
        XCTAssertEqual(try state(db, ids[0]), "succeeded", "the in-flight job was finished")
        XCTAssertEqual(try state(db, ids[1]), "available", "nothing new was claimed after SIGTERM")
        XCTAssertNotNil(try db.query("SELECT stopped_at FROM workers").first?.decodeOptional(String.self, 0))
    }

    /// Transient failures retry with backoff; permanent ones die at once; both keep their messages.
    func testRetryAndPermanentFailureAcrossProcesses() throws {
        let ids = try JobQueue.enqueue(db, [NewJob(stage: "probe", payload: "{\"fail\": \"transient\"}", maxAttempts: 3),
                                            NewJob(stage: "probe", payload: "{\"fail\": \"permanent\"}", maxAttempts: 3)])
        let worker = try startProbe(["--backoff", "0.05"])
        defer { worker.terminate(); worker.waitUntilExit() }
        XCTAssertTrue(try eventually(timeout: 20) { try state(db, ids[0]) == "dead" && state(db, ids[1]) == "dead" })
        let transient = try db.query("SELECT attempts, jsonb_array_length(errors), last_error FROM jobs WHERE id = $1", [ids[0]]).first!
        XCTAssertEqual(try transient.decode(Int.self, 0), 3)
        XCTAssertEqual(try transient.decode(Int.self, 1), 3)
        XCTAssertTrue(try transient.decode(String.self, 2).contains("failed on purpose"))
        let permanent = try db.query("SELECT attempts, last_error FROM jobs WHERE id = $1", [ids[1]]).first!
        XCTAssertEqual(try permanent.decode(Int.self, 0), 1)
        XCTAssertTrue(try permanent.decode(String.self, 1).contains("told to fail permanently"))
    }
}
