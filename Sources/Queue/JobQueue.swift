import Postgres

/// The queue's operations over a connection. Stateless: every function takes the connection
/// (or open transaction) it runs on, so a stage's hand-off can share one transaction.
public enum JobQueue {
    public static let channel = "tideline_jobs"

    /// Inserts jobs in one statement; returns the ids of those not dropped by their dedupe key.
    @discardableResult
    public static func enqueue(_ db: Connection, _ jobs: [NewJob]) throws -> [Int64] {
        guard !jobs.isEmpty else { return [] }
        let r = try db.query(JobQueries.enqueue, [
            PostgresArray(jobs.map { $0.stage }),
            PostgresArray(jobs.map { $0.payload }),
            PostgresArray(jobs.map { $0.priority }),
            PostgresArray(jobs.map { $0.delay }),
            PostgresArray(jobs.map { $0.maxAttempts }),
            PostgresArray(jobs.map { $0.dedupeKey }),
        ])
        return try r.rows.map { try $0.decode(Int64.self, 0) }
    }

    public static func claim(_ db: Connection, stage: String, limit: Int, worker: String) throws -> [Job] {
        let r = try db.query(JobQueries.claim, [stage, limit, worker])
        return try r.rows.map {
            Job(id: try $0.decode(Int64.self, 0), stage: stage, payload: try $0.decode(String.self, 1),
                attempt: try $0.decode(Int.self, 2), maxAttempts: try $0.decode(Int.self, 3))
        }
    }

    /// Marks jobs succeeded; returns how many were still this worker's to complete.
    public static func complete(_ db: Connection, ids: [Int64], worker: String) throws -> Int {
        try db.query(JobQueries.complete, [PostgresArray(ids), worker]).affectedRows
    }

    /// Records a failed attempt and returns the job's new state (nil when it was no longer ours).
    @discardableResult
    public static func fail(_ db: Connection, job: Job, worker: String, error: String,
                            permanent: Bool, backoff: Backoff) throws -> JobState? {
        let delay = backoff.delay(afterAttempt: job.attempt)
        let r = try db.query(JobQueries.fail, [job.id, worker, delay, permanent, error])
        return try r.first.flatMap { JobState(rawValue: try $0.decode(String.self, 0)) }
    }

    /// Puts a running job back to run after `seconds` without counting the attempt.
    public static func snooze(_ db: Connection, job: Job, worker: String, seconds: Double) throws {
        try db.execute(JobQueries.snooze, [job.id, worker, seconds])
    }

    /// Seconds until the stage's first snoozed job may run; nil when none waits.
    public static func nextSnoozed(_ db: Connection, stage: String) throws -> Double? {
        try db.query(JobQueries.nextSnoozed, [stage]).first?.decodeOptional(Double.self, 0)
    }

    public static func heartbeat(_ db: Connection, ids: [Int64], worker: String) throws {
        guard !ids.isEmpty else { return }
        try db.execute(JobQueries.heartbeatJobs, [PostgresArray(ids), worker])
    }

    /// Returns how many running jobs had outlived their lease and were rescued.
    @discardableResult
    public static func rescue(_ db: Connection, lease: Double) throws -> Int {
        try db.query(JobQueries.rescue, [lease]).first?.decode(Int.self, 0) ?? 0
    }

    /// Returns a worker's running jobs (all of them, or just `ids`) to `available`.
    @discardableResult
    public static func release(_ db: Connection, worker: String, ids: [Int64]? = nil) throws -> Int {
        try db.query(JobQueries.release, [worker, ids.map { PostgresArray($0) }]).first?.decode(Int.self, 0) ?? 0
    }

    /// Cancels an available job; false when it was running, finished or unknown.
    @discardableResult
    public static func cancel(_ db: Connection, id: Int64) throws -> Bool {
        try db.query(JobQueries.cancel, [id]).rowCount == 1
    }

    /// Returns dead or cancelled jobs to `available` with fresh attempts; returns how many.
    @discardableResult
    public static func retry(_ db: Connection, ids: [Int64]) throws -> Int {
        try db.query(JobQueries.retry, [PostgresArray(ids)]).first?.decode(Int.self, 0) ?? 0
    }
}

