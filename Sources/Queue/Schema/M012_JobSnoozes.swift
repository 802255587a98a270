import Postgres

extension Migration {
    /// Times a job was put back for later without a failure (`RetryLater`); a failure resets it.
    /// A worker run with --once waits for such jobs, not for ones backing off after a failure.
    /// (First added by M010 with the fetch stage's host slots; a database that has it already
    /// keeps it.)
    static let m012JobSnoozes = Migration(version: 12, name: "job snoozes", sql: """
    ALTER TABLE jobs ADD COLUMN IF NOT EXISTS snoozes integer NOT NULL DEFAULT 0;
    """)
}
