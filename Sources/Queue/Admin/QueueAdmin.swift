import Foundation
import Postgres

/// What operators read and steer without writing SQL: the SQL behind `tideline queue …` and the
/// metrics endpoint. Reads go to the job table and the worker registry only.
public enum QueueAdmin {
    public struct StageStats: Sendable, Codable, Equatable {
        public var stage: String
        public var counts: [String: Int]
        public var oldestAvailableSeconds: Double
        /// Jobs finished (succeeded or dead) per minute over the window.
        public var throughputPerMinute: Double
        public var paused: Bool
    }

    /// Per stage: counts per state, oldest available job's age, throughput over the last `window`
    /// seconds, pause flag. Stages with no jobs at all still appear when they are known.
    public static func stats(_ db: Connection, stages: [String], window: Double = 300) throws -> [StageStats] {
        let rows = try db.query("""
            WITH s AS (SELECT DISTINCT stage FROM (SELECT unnest($1::text[]) AS stage UNION SELECT stage FROM jobs) x)
            SELECT s.stage,
                   coalesce((SELECT json_object_agg(state, n)::text FROM (SELECT state, count(*) AS n FROM jobs j
                              WHERE j.stage = s.stage GROUP BY state) c), '{}'),
                   coalesce(extract(epoch FROM now() - (SELECT min(run_at) FROM jobs j
                              WHERE j.stage = s.stage AND j.state = 'available' AND j.run_at <= now())), 0)::float8,
                   (SELECT count(*) FROM jobs j WHERE j.stage = s.stage AND j.state IN ('succeeded', 'dead')
                       AND j.finished_at > now() - make_interval(secs => $2))::float8 / ($2 / 60.0),
                   coalesce((SELECT paused FROM stage_controls c WHERE c.stage = s.stage), false)
              FROM s
             ORDER BY coalesce(array_position($1::text[], s.stage), 1000), s.stage
            """, [PostgresArray(stages), window]).rows
        return try rows.map { r in
            let counts = try JSONDecoder().decode([String: Int].self, from: Data(try r.decode(String.self, 1).utf8))
            return StageStats(stage: try r.decode(String.self, 0), counts: counts, oldestAvailableSeconds: try r.decode(Double.self, 2),
                              throughputPerMinute: try r.decode(Double.self, 3), paused: try r.decode(Bool.self, 4))
        }
    }

    public struct JobSummary: Sendable, Codable, Equatable {
        public var id: Int64, stage: String, state: String, attempts: Int, maxAttempts: Int
        public var runAt: String, createdAt: String, finishedAt: String?, lastError: String?, payload: String

        /// The columns of `jobs j` a summary reads, each named as `init(_:)` decodes it.
        static let columns = """
            j.id, j.stage, j.state, j.attempts, j.max_attempts, \(timestamp("j.run_at")) AS run_at,
            \(timestamp("j.created_at")) AS created_at, \(timestamp("j.finished_at")) AS finished_at,
            j.last_error, j.payload::text AS payload
            """

        init(_ r: Row) throws {
            id = try r.decode(Int64.self, "id"); stage = try r.decode(String.self, "stage"); state = try r.decode(String.self, "state")
            attempts = try r.decode(Int.self, "attempts"); maxAttempts = try r.decode(Int.self, "max_attempts")
            runAt = try r.decode(String.self, "run_at"); createdAt = try r.decode(String.self, "created_at")
            finishedAt = try r.decodeOptional(String.self, "finished_at")
            lastError = try r.decodeOptional(String.self, "last_error"); payload = try r.decode(String.self, "payload")
        }
    }

    /// `search`: text the payload, the last error or any earlier error contains (a source URL,
    /// a document id, a message).
    public static func list(_ db: Connection, stage: String?, state: String?, search: String? = nil, limit: Int) throws -> [JobSummary] {
        try db.query("""
            SELECT \(JobSummary.columns)
              FROM jobs j
             WHERE ($1::text IS NULL OR j.stage = $1) AND ($2::text IS NULL OR j.state = $2) AND \(matching("$4"))
             ORDER BY j.id DESC LIMIT $3
            """, [stage, state, limit, search]).rows.map(JobSummary.init)
    }

    /// The search condition on one text parameter (NULL matches every job).
    static func matching(_ parameter: String) -> String {
        "(\(parameter)::text IS NULL OR strpos(payload::text, \(parameter)) > 0 OR strpos(coalesce(last_error, ''), \(parameter)) > 0 OR strpos(errors::text, \(parameter)) > 0)"
    }

    /// Cancels every available job of a stage (that `search` matches, when given); returns how many.
    public static func cancel(_ db: Connection, stage: String, search: String?) throws -> Int {
        try db.query("""
            UPDATE jobs SET state = 'cancelled', finished_at = now()
             WHERE stage = $1 AND state = 'available' AND \(matching("$2"))
            """, [stage, search]).affectedRows
    }

    public struct JobDetail: Sendable, Codable, Equatable {
        public var job: JobSummary
        public var priority: Int, lockedBy: String?, startedAt: String?, heartbeatAt: String?, dedupeKey: String?
        /// Every failure: attempt, time, message.
        public var errors: String
        /// The document and article the job concerns, when its payload names one.
        public var document: String?, article: String?
    }

    public static func show(_ db: Connection, id: Int64) throws -> JobDetail? {
        guard let r = try db.query("""
            SELECT \(JobSummary.columns), j.priority, j.locked_by,
                   \(timestamp("j.started_at")) AS started_at, \(timestamp("j.heartbeat_at")) AS heartbeat_at, j.dedupe_key,
                   j.errors::text AS errors, coalesce(d.source_id, ad.source_id) AS document, a.headline AS article
              FROM jobs j
              LEFT JOIN documents d ON d.id = (j.payload->>'document_id')::bigint
              LEFT JOIN articles a ON a.id = (j.payload->>'article_id')::bigint
              LEFT JOIN documents ad ON ad.id = a.document_id
             WHERE j.id = $1
            """, [id]).first else { return nil }
        return JobDetail(job: try JobSummary(r), priority: try r.decode(Int.self, "priority"),
                         lockedBy: try r.decodeOptional(String.self, "locked_by"),
                         startedAt: try r.decodeOptional(String.self, "started_at"),
                         heartbeatAt: try r.decodeOptional(String.self, "heartbeat_at"),
                         dedupeKey: try r.decodeOptional(String.self, "dedupe_key"), errors: try r.decode(String.self, "errors"),
                         document: try r.decodeOptional(String.self, "document"), article: try r.decodeOptional(String.self, "article"))
    }

    /// Dead (or cancelled) jobs of a stage back to available; returns how many.
    public static func retry(_ db: Connection, stage: String, state: String) throws -> Int {
        let ids = try db.query("SELECT id FROM jobs WHERE stage = $1 AND state = $2", [stage, state]).rows.map { try $0.decode(Int64.self, 0) }
        return try JobQueue.retry(db, ids: ids)
    }

    public static func setPaused(_ db: Connection, stage: String, paused: Bool) throws {
        try db.execute("""
            INSERT INTO stage_controls (stage, paused, changed_at) VALUES ($1, $2, now())
            ON CONFLICT (stage) DO UPDATE SET paused = EXCLUDED.paused, changed_at = now()
            """, [stage, paused])
        // Resuming wakes the stage's idle workers at once instead of at their next poll.
        if !paused { try db.execute("SELECT pg_notify($1, $2)", [JobQueue.channel, stage]) }
    }

    /// Deletes finished jobs (succeeded, dead, cancelled) older than `seconds`; returns how many.
    /// In the same statement their counts, failures and durations are added to `job_totals`, so
    /// the metrics' counters never go down.
    /// `limit` deletes at most that many, oldest first (the retention leader works in batches, so
    /// no statement holds locks on a large part of the table).
    public static func prune(_ db: Connection, olderThan seconds: Double, states: [String] = ["succeeded", "dead", "cancelled"],
                             limit: Int? = nil) throws -> Int {
        try db.query("""
            WITH gone AS (
                DELETE FROM jobs WHERE id IN (
                    SELECT id FROM jobs WHERE state = ANY($2::text[]) AND finished_at < now() - make_interval(secs => $1)
                     ORDER BY finished_at LIMIT $4)
                RETURNING stage, state, jsonb_array_length(errors) AS failures,
                          CASE WHEN state = 'succeeded' AND started_at IS NOT NULL
                               THEN extract(epoch FROM finished_at - started_at)::float8 END AS d),
            per_bucket AS (
                SELECT stage, width_bucket(d, $3::float8[]) AS b, count(*) AS n FROM gone WHERE d IS NOT NULL GROUP BY 1, 2),
            per_stage AS (
                SELECT g.stage, count(*) FILTER (WHERE g.state = 'succeeded') AS succeeded, sum(g.failures) AS failures,
                       coalesce(sum(g.d), 0) AS duration_sum, count(g.d) AS duration_count,
                       (SELECT array_agg(coalesce((SELECT n FROM per_bucket p WHERE p.stage = g.stage AND p.b = i), 0) ORDER BY i)
                          FROM generate_series(0, cardinality($3::float8[])) i) AS buckets
                  FROM gone g GROUP BY g.stage),
            rolled AS (
                INSERT INTO job_totals AS t (stage, succeeded, failures, duration_sum, duration_count, buckets)
                SELECT stage, succeeded, failures, duration_sum, duration_count, buckets FROM per_stage
                ON CONFLICT (stage) DO UPDATE
                   SET succeeded = t.succeeded + EXCLUDED.succeeded, failures = t.failures + EXCLUDED.failures,
                       duration_sum = t.duration_sum + EXCLUDED.duration_sum, duration_count = t.duration_count + EXCLUDED.duration_count,
                       buckets = (SELECT array_agg(coalesce(a, 0) + coalesce(b, 0) ORDER BY k)
                                    FROM unnest(t.buckets, EXCLUDED.buckets) WITH ORDINALITY AS u(a, b, k))
                RETURNING 1)
            SELECT count(*)::int FROM gone
            """, [seconds, PostgresArray(states), PostgresArray(MetricsSnapshot.buckets), limit]).first!.decode(Int.self, 0)
    }

    /// What `prune` would delete, per stage and state (the same condition, read only).
    public struct StateCount: Sendable, Equatable { public let stage: String, state: String, count: Int }

    public static func prunable(_ db: Connection, olderThan seconds: Double, states: [String]) throws -> [StateCount] {
        try db.query("""
            SELECT stage, state, count(*)::int FROM jobs
             WHERE state = ANY($2::text[]) AND finished_at < now() - make_interval(secs => $1)
             GROUP BY 1, 2 ORDER BY 1, 2
            """, [seconds, PostgresArray(states)]).rows.map {
            StateCount(stage: try $0.decode(String.self, 0), state: try $0.decode(String.self, 1), count: try $0.decode(Int.self, 2))
        }
    }

    public struct WorkerRow: Sendable, Codable, Equatable {
        public var id: String, host: String, pid: Int, stage: String, concurrency: Int
        public var startedAt: String, heartbeatAt: String, stoppedAt: String?
        public var jobsDone: Int, jobsFailed: Int
        public var secondsSinceHeartbeat: Double
        /// running, stopped, or silent (no heartbeat for longer than the threshold, not stopped).
        public var status: String
    }

    /// Registered workers: running ones, those stopped in the last hour, and silent ones.
    public static func workers(_ db: Connection, silentAfter: Double) throws -> [WorkerRow] {
        try db.query("""
            SELECT id, host, pid, stage, concurrency, \(timestamp("started_at")), \(timestamp("heartbeat_at")),
                   \(timestamp("stopped_at")), jobs_done, jobs_failed, extract(epoch FROM now() - heartbeat_at)::float8
              FROM workers
             WHERE stopped_at IS NULL OR stopped_at > now() - interval '1 hour'
             ORDER BY stage, host, pid
            """).rows.map { r in
            let stopped = try r.decodeOptional(String.self, 7)
            let age = try r.decode(Double.self, 10)
            return WorkerRow(id: try r.decode(String.self, 0), host: try r.decode(String.self, 1), pid: try r.decode(Int.self, 2),
                             stage: try r.decode(String.self, 3), concurrency: try r.decode(Int.self, 4),
                             startedAt: try r.decode(String.self, 5), heartbeatAt: try r.decode(String.self, 6), stoppedAt: stopped,
                             jobsDone: try r.decode(Int.self, 8), jobsFailed: try r.decode(Int.self, 9), secondsSinceHeartbeat: age,
                             status: stopped != nil ? "stopped" : (age > silentAfter ? "silent" : "running"))
        }
    }

    private static func timestamp(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }
}
