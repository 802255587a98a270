import Runtime
import XCTest
import Postgres
@testable import Queue
import Store
import TestSupport

/// The queue's operations against a real PostgreSQL, in one process.
final class JobQueueTests: XCTestCase {
    var db: Connection!
    var conninfo: String!

    override func setUpWithError() throws {
        conninfo = try TestPostgres.freshDatabase()
        db = try Connection(conninfo)
    }

    func testMigrationsAreSerialisedAndRerunnable() throws {
        let fresh = try TestPostgres.freshDatabase(migrated: false)
        let group = DispatchGroup()
        let failures = Failures()
        for _ in 0..<4 {
            group.enter()
            Thread {
                defer { group.leave() }
                do { try Schema.migrate(try Connection(fresh)) } catch { failures.add("\(error)") }
            }.start()
        }
        group.wait()
        XCTAssertEqual(failures.all, [])
        let c = try Connection(fresh)
        XCTAssertEqual(try Schema.migrate(c), [])
        XCTAssertEqual(try Migrator.currentVersion(c), Schema.migrations.last!.version)
        // The queue and the pipeline each own their migrations; the versions are one sequence.
        XCTAssertEqual(Schema.migrations.map(\.version), Array(1...Schema.migrations.count))
        XCTAssertTrue(QueueSchema.migrations.contains { $0.sql.contains("CREATE TABLE jobs") })
    }

    func testClaimTakesAvailableJobsInPriorityOrderAndSkipsLockedOnes() throws {
        let ids = try JobQueue.enqueue(db, [NewJob(stage: "s", priority: 0), NewJob(stage: "s", priority: 5), NewJob(stage: "s", delay: 60)])
        XCTAssertEqual(ids.count, 3)
        let first = try JobQueue.claim(db, stage: "s", limit: 1, worker: "w1")
        XCTAssertEqual(first.map(\.id), [ids[1]], "higher priority first")
        XCTAssertEqual(first.first?.attempt, 1)
        // A row another transaction holds is skipped, not waited for.
        let other = try Connection(conninfo)
        try other.execute("BEGIN")
        try other.execute("SELECT id FROM jobs WHERE id = $1 FOR UPDATE", [ids[0]])
        XCTAssertEqual(try JobQueue.claim(db, stage: "s", limit: 10, worker: "w2"), [])
        try other.execute("ROLLBACK")
        XCTAssertEqual(try JobQueue.claim(db, stage: "s", limit: 10, worker: "w2").map(\.id), [ids[0]], "the delayed job waits for its run_at")
    }

    /// Completing and heartbeating go through the primary key, never the partial indexes on running
    /// jobs: those keep an entry for every job a worker has run until vacuum, and a completion
    /// that walked them grew with the corpus. The statistics here invite the partial index (many
    /// finished jobs, one running), as they did late in a long run.
    func testCompletionAndHeartbeatFindJobsByIDNotByWorker() throws {
        _ = try JobQueue.enqueue(db, (0..<2000).map { _ in NewJob(stage: "extract") })
        while case let jobs = try JobQueue.claim(db, stage: "extract", limit: 500, worker: "old"), !jobs.isEmpty {
            XCTAssertEqual(try JobQueue.complete(db, ids: jobs.map(\.id), worker: "old"), jobs.count)
        }
        _ = try JobQueue.enqueue(db, [NewJob(stage: "extract")])
        let running = try JobQueue.claim(db, stage: "extract", limit: 1, worker: "w")
        try db.execute("ANALYZE jobs")
        for sql in [JobQueries.complete, JobQueries.heartbeatJobs] {
            let plan = try db.query("EXPLAIN " + sql, [PostgresArray(running.map(\.id)), "w"]).rows.map { try $0.decode(String.self, 0) }.joined(separator: "\n")
            XCTAssertFalse(plan.contains("jobs_locked_by") || plan.contains("jobs_running"), plan)
        }
        try JobQueue.heartbeat(db, ids: running.map(\.id), worker: "w")
        XCTAssertEqual(try JobQueue.complete(db, ids: running.map(\.id), worker: "someone else"), 0, "not ours to complete")
        XCTAssertEqual(try JobQueue.complete(db, ids: running.map(\.id), worker: "w"), 1)
    }

    func testDedupeKeyIsUniqueOnlyWhileUnfinished() throws {
        XCTAssertEqual(try JobQueue.enqueue(db, [NewJob(stage: "s", dedupeKey: "k")]).count, 1)
        XCTAssertEqual(try JobQueue.enqueue(db, [NewJob(stage: "s", dedupeKey: "k")]).count, 0)
        XCTAssertEqual(try JobQueue.enqueue(db, [NewJob(stage: "other", dedupeKey: "k")]).count, 1, "keys are per stage")
        let job = try JobQueue.claim(db, stage: "s", limit: 1, worker: "w")[0]
        XCTAssertEqual(try JobQueue.complete(db, ids: [job.id], worker: "w"), 1)
        XCTAssertEqual(try JobQueue.enqueue(db, [NewJob(stage: "s", dedupeKey: "k")]).count, 1, "a finished job frees its key")
    }

    func testFailureBacksOffThenDiesWithItsErrorHistory() throws {
        let id = try JobQueue.enqueue(db, [NewJob(stage: "s", maxAttempts: 2)])[0]
        var job = try JobQueue.claim(db, stage: "s", limit: 1, worker: "w")[0]
        XCTAssertEqual(try JobQueue.fail(db, job: job, worker: "w", error: "boom 1", permanent: false, backoff: Backoff(base: 30, max: 60)), .available)
        let delay = try db.query("SELECT extract(epoch FROM run_at - now())::float8 FROM jobs WHERE id = $1", [id]).first!.decode(Double.self, 0)
        XCTAssertGreaterThan(delay, 10, "the retry waits out its backoff")
        XCTAssertEqual(try JobQueue.claim(db, stage: "s", limit: 1, worker: "w"), [])
        try db.execute("UPDATE jobs SET run_at = now() WHERE id = $1", [id])
        job = try JobQueue.claim(db, stage: "s", limit: 1, worker: "w")[0]
        XCTAssertEqual(job.attempt, 2)
        XCTAssertEqual(try JobQueue.fail(db, job: job, worker: "w", error: "boom 2", permanent: false, backoff: Backoff()), .dead)
        let row = try db.query("SELECT last_error, jsonb_array_length(errors), finished_at IS NOT NULL FROM jobs WHERE id = $1", [id]).first!
        XCTAssertEqual(try row.decode(String.self, 0), "boom 2")
        XCTAssertEqual(try row.decode(Int.self, 1), 2)
        XCTAssertTrue(try row.decode(Bool.self, 2))
    }

    func testPermanentErrorGoesStraightToDeadAndRetryRevivesIt() throws {
        let id = try JobQueue.enqueue(db, [NewJob(stage: "s", maxAttempts: 5)])[0]
        let job = try JobQueue.claim(db, stage: "s", limit: 1, worker: "w")[0]
        XCTAssertEqual(try JobQueue.fail(db, job: job, worker: "w", error: "not a document", permanent: true, backoff: Backoff()), .dead)
        XCTAssertEqual(try JobQueue.retry(db, ids: [id]), 1)
        XCTAssertEqual(try state(db, id), "available")
        XCTAssertEqual(try JobQueue.claim(db, stage: "s", limit: 1, worker: "w").first?.attempt, 1)
    }

    func testCancelOnlyTouchesAvailableJobs() throws {
        let ids = try JobQueue.enqueue(db, [NewJob(stage: "s"), NewJob(stage: "s", priority: 9)])
        _ = try JobQueue.claim(db, stage: "s", limit: 1, worker: "w")  // claims ids[1]
        XCTAssertTrue(try JobQueue.cancel(db, id: ids[0]))
        XCTAssertFalse(try JobQueue.cancel(db, id: ids[1]), "a running job is not cancelled under its worker")
        XCTAssertEqual(try state(db, ids[0]), "cancelled")
        XCTAssertEqual(try JobQueue.claim(db, stage: "s", limit: 5, worker: "w"), [])
    }

    func testRescuerReturnsJobsOfSilentWorkersAndCountsTheAttempt() throws {
        let ids = try JobQueue.enqueue(db, [NewJob(stage: "s", maxAttempts: 2), NewJob(stage: "s", maxAttempts: 1)])
        _ = try JobQueue.claim(db, stage: "s", limit: 2, worker: "gone")
        try db.execute("UPDATE jobs SET heartbeat_at = now() - interval '1 minute'")
        XCTAssertEqual(try JobQueue.rescue(db, lease: 30), 2)
        XCTAssertEqual(try state(db, ids[0]), "available")
        XCTAssertEqual(try state(db, ids[1]), "dead", "a rescue on the last attempt ends the job")
        let err = try db.query("SELECT last_error FROM jobs WHERE id = $1", [ids[0]]).first!.decode(String.self, 0)
        XCTAssertTrue(err.contains("stopped heartbeating"), err)
        XCTAssertEqual(try JobQueue.complete(db, ids: [ids[0]], worker: "gone"), 0, "the silent worker can no longer complete it")
    }

    func testBackoffGrowsExponentiallyWithJitterUpToTheCap() {
        let b = Backoff(base: 1, max: 10)
        XCTAssertEqual(b.delay(afterAttempt: 1, unit: 1), 1)
        XCTAssertEqual(b.delay(afterAttempt: 1, unit: 0), 0.5)
        XCTAssertEqual(b.delay(afterAttempt: 3, unit: 1), 4)
        XCTAssertEqual(b.delay(afterAttempt: 30, unit: 1), 10)
        XCTAssertEqual(b.delay(afterAttempt: 100, unit: 0), 5)
    }
}
