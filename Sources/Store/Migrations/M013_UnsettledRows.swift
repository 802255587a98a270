import Postgres

extension Migration {
    /// Reporting rows settled after their sources change, not in the same transaction (issue 13).
    ///
    /// An aggregate job writes its article's sources and the summaries, and marks the rows they
    /// feed as unsettled, with the change of their mentions; a settle job (the aggregate stage's
    /// other job, one queued at a time) recomputes every unsettled row once. A row that many
    /// articles feed in a burst is recomputed once per settle instead of once per article: `up`
    /// over `bench pipeline`'s 2,000-document corpus recomputed 18,099 rows before, 8,188 in 49
    /// settles after (pg_stat_statements).
    static let m013UnsettledRows = Migration(version: 13, name: "unsettled rows", sql: """
    CREATE TABLE indicator_rows_unsettled (
        metric text NOT NULL, region text NOT NULL, period text NOT NULL, kind text NOT NULL,
        mentions integer NOT NULL,   -- change of the row's mentions not yet applied
        PRIMARY KEY (metric, region, period, kind)
    );
    CREATE TABLE milestone_rows_unsettled (
        date text NOT NULL, action text NOT NULL, subject text NOT NULL,
        mentions integer NOT NULL,
        PRIMARY KEY (date, action, subject)
    );
    """)
}
