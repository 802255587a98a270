import XCTest
import Postgres
import Queue
import TestSupport

/// The worker runtime in this process: hand-off, wake-up, failure isolation.
final class WorkerTests: XCTestCase {
    var db: Connection!
    var conninfo: String!

    override func setUpWithError() throws {
        conninfo = try TestPostgres.freshDatabase()
        db = try Connection(conninfo)
        try db.execute("CREATE TABLE output (job_id bigint PRIMARY KEY, note text)")
    }

    /// The handler's writes, the next jobs and the completion commit together.
    func testHandOffWritesOutputEnqueuesNextAndCompletesInOneTransaction() throws {
        let handler = ClosureHandler(stage: "first", batchSize: 10) { job, tx in
            try tx.execute("INSERT INTO output VALUES ($1, 'first')", [job.id])
            return [NewJob(stage: "second", payload: "{\"from\": \(job.id)}")]
        }
        let ids = try JobQueue.enqueue(db, (0..<25).map { _ in NewJob(stage: "first") })
        try Worker(conninfo: conninfo, handler: handler, options: quickOptions { $0.once = true }, logger: testLogger).run()
        XCTAssertEqual(try count(db, "SELECT count(*) FROM jobs WHERE stage = 'first' AND state = 'succeeded'"), 25)
        XCTAssertEqual(try count(db, "SELECT count(*) FROM output WHERE job_id = ANY($1::bigint[])", [PostgresArray(ids)]), 25)
        XCTAssertEqual(try count(db, "SELECT count(DISTINCT payload->>'from') FROM jobs WHERE stage = 'second'"), 25)
    }

    /// A job that cannot share a batch is handed off alone; the rest of its claim goes back
    /// without counting an attempt and still travels in batches.
    func testAJobThatMustGoAloneIsHandedOffAlone() throws {
        let handler = ClosureHandler(stage: "s", batchSize: 8, solo: { $0.payload.contains("solo") }) { job, tx in
            try tx.execute("INSERT INTO output VALUES ($1, txid_current()::text)", [job.id])
            return []
        }
        let ids = try JobQueue.enqueue(db, (0..<24).map { NewJob(stage: "s", payload: $0 % 6 == 2 ? "{\"solo\": true}" : "{}") })
        try Worker(conninfo: conninfo, handler: handler, options: quickOptions { $0.once = true }, logger: testLogger).run()
        XCTAssertEqual(try count(db, "SELECT count(*) FROM jobs WHERE state = 'succeeded' AND attempts = 1"), 24, "released jobs lose no attempt")
        let soloIDs = ids.enumerated().filter { $0.offset % 6 == 2 }.map(\.element)
        XCTAssertEqual(try count(db, """
            SELECT count(*) FROM output o WHERE o.job_id = ANY($1::bigint[])
               AND (SELECT count(*) FROM output p WHERE p.note = o.note) = 1
            """, [PostgresArray(soloIDs)]), soloIDs.count, "each solo job in a transaction of its own")
        XCTAssertGreaterThan(try count(db, "SELECT count(*) FROM (SELECT note FROM output GROUP BY note HAVING count(*) > 1) t"), 0,
                             "the others still share transactions")
    }

    /// One bad job in a batch rolls back only itself: the batch is re-run job by job.
    func testOneFailingJobInABatchDoesNotSinkTheOthers() throws {
        let handler = ClosureHandler(stage: "s", batchSize: 50) { job, tx in
            try tx.execute("INSERT INTO output VALUES ($1, 'ok')", [job.id])
            if job.payload.contains("bad") { throw PermanentJobError("job \(job.id) is bad input") }
            return []
        }
        var jobs = (0..<20).map { _ in NewJob(stage: "s") }
        jobs[7] = NewJob(stage: "s", payload: "{\"bad\": true}")
        let ids = try JobQueue.enqueue(db, jobs)
        try Worker(conninfo: conninfo, handler: handler, options: quickOptions { $0.once = true }, logger: testLogger).run()
        XCTAssertEqual(try state(db, ids[7]), "dead")
        XCTAssertEqual(try db.query("SELECT last_error FROM jobs WHERE id = $1", [ids[7]]).first?.decode(String.self, 0), "job \(ids[7]) is bad input")
        XCTAssertEqual(try count(db, "SELECT count(*) FROM jobs WHERE state = 'succeeded'"), 19)
        XCTAssertEqual(try count(db, "SELECT count(*) FROM output"), 19, "the bad job's write was rolled back")
    }

    /// A transient error retries with backoff until it succeeds.
    func testTransientFailureRetriesUntilItSucceeds() throws {
        let handler = ClosureHandler(stage: "s", batchSize: 1) { job, tx in
            if job.attempt < 3 { throw TestFailure(description: "flaky attempt \(job.attempt)") }
            try tx.execute("INSERT INTO output VALUES ($1, 'third time')", [job.id])
            return []
        }
        let id = try JobQueue.enqueue(db, [NewJob(stage: "s", maxAttempts: 5)])[0]
        let w = BackgroundWorker(Worker(conninfo: conninfo, handler: handler, options: quickOptions(), logger: testLogger))
        defer { w.stop() }
        XCTAssertTrue(try eventually(timeout: 20) { try state(db, id) == "succeeded" })
        let row = try db.query("SELECT attempts, jsonb_array_length(errors) FROM jobs WHERE id = $1", [id]).first!
        XCTAssertEqual(try row.decode(Int.self, 0), 3)
        XCTAssertEqual(try row.decode(Int.self, 1), 2)
    }

    /// An idle worker wakes on NOTIFY, long before its (here 60 s) poll interval. Readiness is
    /// read from the server, not waited for: the listener's connection has run LISTEN and an
    /// executor's connection sits idle after a claim that found nothing. Then only a NOTIFY can
    /// bring the job in before the poll (the wait below is far shorter than the poll interval).
    func testListenWakesAnIdleWorkerWithoutWaitingForThePoll() throws {
        let handler = ClosureHandler(stage: "s", batchSize: 1) { _, _ in [] }
        let w = BackgroundWorker(Worker(conninfo: conninfo, handler: handler,
                                        options: quickOptions { $0.pollInterval = 60 }, logger: testLogger))
        defer { w.stop() }
        XCTAssertTrue(try eventually(timeout: 20) {
            try count(db, """
                SELECT (count(*) FILTER (WHERE query LIKE 'LISTEN %') > 0 AND count(*) FILTER (WHERE query LIKE '%FOR UPDATE SKIP LOCKED%' AND state = 'idle') > 0)::int
                  FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                """) == 1
        }, "the worker is listening and idle")
        let id = try JobQueue.enqueue(db, [NewJob(stage: "s")])[0]
        XCTAssertTrue(try eventually(timeout: 20) { try state(db, id) == "succeeded" }, "woken by NOTIFY, not by the 60 s poll")
    }

    /// A paused stage's workers claim nothing until it is resumed.
    func testPausedStageIsNotClaimed() throws {
        try db.execute("INSERT INTO stage_controls (stage, paused) VALUES ('s', true)")
        let id = try JobQueue.enqueue(db, [NewJob(stage: "s")])[0]
        XCTAssertEqual(try JobQueue.claim(db, stage: "s", limit: 1, worker: "w"), [])
        try db.execute("UPDATE stage_controls SET paused = false WHERE stage = 's'")
        XCTAssertEqual(try JobQueue.claim(db, stage: "s", limit: 1, worker: "w").map(\.id), [id])
    }
}
