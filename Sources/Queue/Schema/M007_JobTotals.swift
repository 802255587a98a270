import Postgres

extension Migration {
    /// What pruning removes from `jobs` is first added here, so the processed, failure and
    /// duration counters the metrics expose never go down.
    static let m007JobTotals = Migration(version: 7, name: "job totals", sql: """
    CREATE TABLE job_totals (
        stage          text PRIMARY KEY,
        succeeded      bigint NOT NULL DEFAULT 0,
        failures       bigint NOT NULL DEFAULT 0,    -- failed attempts (each entry of a job's errors)
        duration_sum   double precision NOT NULL DEFAULT 0,
        duration_count bigint NOT NULL DEFAULT 0,
        buckets        bigint[] NOT NULL DEFAULT '{}' -- succeeded jobs per width_bucket index over the metrics' bounds
    );
    """)
}
