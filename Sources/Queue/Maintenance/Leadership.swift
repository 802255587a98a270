import Postgres

/// One maintainer among all workers leads the queue's upkeep. The lead is a session-level
/// advisory lock: released the moment the leader's connection ends (a crash included), so the
/// next maintainer to try takes over within its heartbeat.
enum Leadership {
    static let lockKey: Int64 = 0x7469_6465_6c65_6164 // "tidelead"

    /// Tries to become (or confirms being) the leader on this connection.
    static func tryLead(_ db: Connection) throws -> Bool {
        try db.query("SELECT pg_try_advisory_lock($1)", [lockKey]).first?.decode(Bool.self, 0) ?? false
    }
}
