import Postgres

extension Migration {
    /// A host's one request slot, reserved by a short statement that commits, so a fetch runs
    /// outside any transaction and a slow host holds a slot, not a database transaction or a
    /// worker's whole stage. A slot left by a worker that died frees itself at `busy_until`.
    static let m010HostSlots = Migration(version: 10, name: "host slots", sql: """
    ALTER TABLE fetch_hosts ADD COLUMN busy_until timestamptz;
    ALTER TABLE fetch_hosts ADD COLUMN busy_by text;
    """)
    // This migration also added `jobs.snoozes` when it shipped; that column is the queue's and is
    // now its migration M012 (IF NOT EXISTS: a database that ran the old M010 has it).
}
