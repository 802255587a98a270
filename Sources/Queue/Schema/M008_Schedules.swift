import Postgres

extension Migration {
    /// One row per schedule and tick that was enqueued: the unique key that makes a tick enqueue
    /// at most once, whatever the number of workers and restarts.
    static let m008Schedules = Migration(version: 8, name: "schedules", sql: """
    CREATE TABLE schedule_ticks (
        schedule    text        NOT NULL,
        tick        bigint      NOT NULL,     -- floor(epoch seconds / interval)
        job_id      bigint,
        enqueued_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (schedule, tick)
    );
    """)
}
