import XCTest
import Postgres
@testable import Queue
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Steering the queue while workers run: pause and resume, retry of a dead job, a killed worker
/// shown as silent, and the metrics a scrape reads.
final class OperationsTests: ProbeTestCase {

    func testAPausedStageClaimsNothingUntilResumed() throws {
        let worker = try startProbe()
        defer { worker.terminate(); worker.waitUntilExit() }
        // The worker is up and idle before the pause.
        XCTAssertTrue(try eventually { try count(db, "SELECT count(*) FROM workers WHERE stage = 'probe' AND stopped_at IS NULL") == 1 })
        try QueueAdmin.setPaused(db, stage: "probe", paused: true)
        let ids = try JobQueue.enqueue(db, (0..<5).map { NewJob(stage: "probe", payload: "{\"n\": \($0)}") })
        // Not a sleep: wait until the worker has run a claim that started after the jobs were
        // there (read from the server's activity view) and has finished it; nothing was claimed.
        let enqueued = try db.query("SELECT clock_timestamp()::text").first!.decode(String.self, 0)
        XCTAssertTrue(try eventually(timeout: 15) {
            try count(db, """
                SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND query LIKE '%FOR UPDATE SKIP LOCKED%' AND state = 'idle'
                   AND query_start > $1::timestamptz
                """, [enqueued]) > 0
        }, "the worker claimed again after the jobs arrived")
        XCTAssertEqual(try count(db, "SELECT count(*) FROM jobs WHERE stage = 'probe' AND state = 'available'"), 5)
        XCTAssertTrue(try QueueAdmin.stats(db, stages: ["probe"]).first!.paused)

        try QueueAdmin.setPaused(db, stage: "probe", paused: false)
        XCTAssertTrue(try eventually(timeout: 15) { try ids.allSatisfy { try state(db, $0) == "succeeded" } })
        XCTAssertEqual(try count(db, "SELECT count(*) FROM probe_output"), 5)
    }

    /// Issue 15: retention by the maintenance leader removes old finished jobs of the states it
    /// is given, in batches, and nothing running, available or of other states; the processed
    /// counter does not go down.
    func testRetentionRemovesOldFinishedJobsOnly() throws {
        let ids = try JobQueue.enqueue(db, (0..<7).map { NewJob(stage: "probe", payload: "{\"n\": \($0)}") })
        try db.execute("""
            UPDATE jobs SET state = CASE WHEN id = ANY($1::bigint[]) THEN 'succeeded' ELSE 'dead' END,
                   started_at = now() - interval '2 days', finished_at = now() - interval '2 days'
             WHERE id = ANY($2::bigint[])
            """, [PostgresArray(Array(ids[0..<3])), PostgresArray(Array(ids[0..<5]))])
        try db.execute("UPDATE jobs SET finished_at = now() WHERE id = $1", [ids[2]])   // a recent success
        try db.execute("UPDATE jobs SET state = 'running', locked_by = 'w' WHERE id = $1", [ids[5]])
        let processedBefore = PrometheusText.render(try QueueAdmin.metrics(db, stages: ["probe"], silentAfter: 30))
            .split(separator: "\n").first { $0.hasPrefix("tideline_jobs_processed_total") }

        XCTAssertEqual(try Cleaner(retention: ["succeeded": 86_400], interval: 60, batch: 1).removeExpired(db), 2,
                       "two succeeded jobs older than a day, one per batch")
        XCTAssertEqual(try count(db, "SELECT count(*) FROM jobs"), 5)
        XCTAssertEqual(try state(db, ids[2]), "succeeded")
        XCTAssertEqual(try state(db, ids[3]), "dead", "dead jobs have their own retention")
        XCTAssertEqual(try state(db, ids[5]), "running")
        XCTAssertEqual(try state(db, ids[6]), "available")
        let processedAfter = PrometheusText.render(try QueueAdmin.metrics(db, stages: ["probe"], silentAfter: 30))
            .split(separator: "\n").first { $0.hasPrefix("tideline_jobs_processed_total") }
        XCTAssertEqual(processedAfter, processedBefore, "pruned jobs stay counted")

        // The leader of a running worker applies it on its own.
        let worker = try startProbe(["--retain-succeeded", "3600"])
        defer { worker.terminate(); worker.waitUntilExit() }
        try db.execute("UPDATE jobs SET finished_at = now() - interval '2 hours' WHERE id = $1", [ids[2]])
        XCTAssertTrue(try eventually(timeout: 15) { try count(db, "SELECT count(*) FROM jobs WHERE id = $1", [ids[2]]) == 0 })
        XCTAssertEqual(try state(db, ids[3]), "dead")
    }

    func testRetryingADeadJobCompletesIt() throws {
        let id = try JobQueue.enqueue(db, [NewJob(stage: "probe", payload: "{\"fail\": \"until_allowed\"}")])[0]
        let worker = try startProbe()
        defer { worker.terminate(); worker.waitUntilExit() }
        XCTAssertTrue(try eventually(timeout: 15) { try state(db, id) == "dead" })
        let dead = try XCTUnwrap(try QueueAdmin.show(db, id: id))
        XCTAssertTrue(dead.job.lastError?.contains("not allowed yet") == true)
        XCTAssertTrue(dead.errors.contains("not allowed yet"), "the error history keeps the failure")

        try db.execute("INSERT INTO probe_allow VALUES ($1)", [id])
        XCTAssertEqual(try QueueAdmin.retry(db, stage: "probe", state: "dead"), 1)
        XCTAssertTrue(try eventually(timeout: 15) { try state(db, id) == "succeeded" })
        XCTAssertEqual(try count(db, "SELECT count(*) FROM probe_output WHERE job_id = $1", [id]), 1)
        let after = try XCTUnwrap(try QueueAdmin.show(db, id: id))
        XCTAssertTrue(after.errors.contains("not allowed yet"), "retry keeps the history")
    }

    func testAKilledWorkerShowsAsSilentAndAStoppedOneAsStopped() throws {
        let victim = try startProbe(["--lease", "0.6"])
        let clean = try startProbe(["--lease", "0.6"])
        XCTAssertTrue(try eventually { try QueueAdmin.workers(db, silentAfter: 1).filter { $0.status == "running" }.count == 2 })
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        clean.terminate()
        clean.waitUntilExit()
        XCTAssertTrue(try eventually(timeout: 10) {
            try QueueAdmin.workers(db, silentAfter: 1).contains { $0.pid == Int(victim.processIdentifier) && $0.status == "silent" }
        })
        let rows = try QueueAdmin.workers(db, silentAfter: 1)
        XCTAssertEqual(rows.first { $0.pid == Int(clean.processIdentifier) }?.status, "stopped")
        let metrics = PrometheusText.render(try QueueAdmin.metrics(db, stages: ["probe"], silentAfter: 1))
        XCTAssertTrue(metrics.contains("tideline_workers{stage=\"probe\",status=\"silent\"} 1"), metrics)
    }

    func testMetricsCountJobsAndDurationsPerStage() throws {
        try JobQueue.enqueue(db, (0..<4).map { NewJob(stage: "probe", payload: "{\"n\": \($0)}") }
                             + [NewJob(stage: "probe", payload: "{\"fail\": \"permanent\"}")])
        let worker = try startProbe(["--once"])
        worker.waitUntilExit()
        let text = PrometheusText.render(try QueueAdmin.metrics(db, stages: ["probe"], silentAfter: 30))
        XCTAssertTrue(text.contains("tideline_jobs{stage=\"probe\",state=\"succeeded\"} 4"), text)
        XCTAssertTrue(text.contains("tideline_jobs{stage=\"probe\",state=\"dead\"} 1"), text)
        XCTAssertTrue(text.contains("tideline_job_failures_total{stage=\"probe\"} 1"), text)
        XCTAssertTrue(text.contains("tideline_job_duration_seconds_bucket{stage=\"probe\",le=\"+Inf\"} 4"), text)
        XCTAssertTrue(text.contains("tideline_job_duration_seconds_count{stage=\"probe\"} 4"), text)
        // Buckets are cumulative: never decreasing.
        let buckets = text.split(separator: "\n").filter { $0.hasPrefix("tideline_job_duration_seconds_bucket") }
            .compactMap { Int($0.split(separator: " ").last!) }
        XCTAssertEqual(buckets, buckets.sorted())
        // Every sample line is `name{labels} number`.
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertNotNil(Double(line.split(separator: " ").last!), String(line))
        }
        XCTAssertEqual(try QueueAdmin.prune(db, olderThan: 3600), 0, "nothing is an hour old")
        XCTAssertEqual(try QueueAdmin.prune(db, olderThan: 0), 5)

        // Counters survive pruning (issue 15): the same processed, failure and duration figures
        // after the jobs are gone; the gauges of jobs held drop to zero.
        func counters(_ text: String) -> [String] {
            text.split(separator: "\n").map(String.init).filter {
                $0.hasPrefix("tideline_jobs_processed_total") || $0.hasPrefix("tideline_job_failures_total")
                    || $0.hasPrefix("tideline_job_duration_seconds")
            }
        }
        func sum(_ lines: [String]) -> Double { Double(lines.first { $0.contains("_sum") }?.split(separator: " ").last ?? "") ?? -1 }
        let after = PrometheusText.render(try QueueAdmin.metrics(db, stages: ["probe"], silentAfter: 30))
        // (The duration sum is compared as a number: added in another order, its last digits differ.)
        XCTAssertEqual(counters(after).filter { !$0.contains("_sum") }, counters(text).filter { !$0.contains("_sum") })
        XCTAssertEqual(sum(counters(after)), sum(counters(text)), accuracy: 1e-9)
        XCTAssertTrue(after.contains("tideline_jobs{stage=\"probe\",state=\"succeeded\"} 0"), after)
        try JobQueue.enqueue(db, [NewJob(stage: "probe", payload: "{\"n\": 9}")])
        try startProbe(["--once"]).waitUntilExit()
        XCTAssertEqual(try QueueAdmin.prune(db, olderThan: 0), 1)
        let again = PrometheusText.render(try QueueAdmin.metrics(db, stages: ["probe"], silentAfter: 30))
        XCTAssertTrue(again.contains("tideline_jobs_processed_total{stage=\"probe\"} 5"), again)
        XCTAssertTrue(again.contains("tideline_job_duration_seconds_count{stage=\"probe\"} 5"), again)
    }
}
