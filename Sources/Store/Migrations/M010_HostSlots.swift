extension Migration {
    /// A host's one request slot, reserved by a short statement that commits, so a fetch runs
    /// outside any transaction and a slow host holds a slot, not a database transaction or a
    /// worker's whole stage. A slot left by a worker that died frees itself at `busy_until`.
    static let m010HostSlots = Migration(version: 10, name: "host slots", sql: """
    ALTER TABLE fetch_hosts ADD COLUMN busy_until timestamptz;
    ALTER TABLE fetch_hosts ADD COLUMN busy_by text;
    -- Times a job was put back for later without a failure (RetryLater); a failure resets it.
    -- A worker run with --once waits for such jobs, not for ones backing off after a failure.
    ALTER TABLE jobs ADD COLUMN snoozes integer NOT NULL DEFAULT 0;
    """)
}
