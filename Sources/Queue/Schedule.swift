import Foundation
import Postgres

/// A job enqueued every `interval` seconds (a source re-fetched hourly, say). Ticks are numbered
/// floor(time / interval); the maintenance leader enqueues the current tick's job once, recorded
/// in `schedule_ticks` in the same transaction, so any number of workers and restarts enqueue each
/// tick at most once. Missed ticks are not caught up: after an outage the current tick runs, once.
public struct Schedule: Sendable, Equatable {
    /// Unique name (the source, for fetch schedules).
    public var key: String
    public var interval: Double
    public var job: NewJob

    public init(key: String, interval: Double, job: NewJob) {
        self.key = key; self.interval = interval; self.job = job
    }

    public func tick(at date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / interval).rounded(.down)) }
}

extension JobQueue {
    /// Enqueues the current tick of each schedule that has not been enqueued yet; returns how many.
    /// `tried` remembers the tick last tried per schedule, so a leader checking every heartbeat
    /// goes to the database only when a new tick has begun.
    @discardableResult
    public static func enqueueDue(_ db: Connection, schedules: [Schedule], tried: inout [String: Int64], now: Date = Date()) throws -> Int {
        var enqueued = 0
        for s in schedules where tried[s.key] != s.tick(at: now) {
            try db.transaction { tx in
                let claimed = try tx.query("""
                    INSERT INTO schedule_ticks (schedule, tick) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING tick
                    """, [s.key, s.tick(at: now)]).rowCount == 1
                guard claimed else { return }
                if let id = try enqueue(tx, [s.job]).first {
                    try tx.execute("UPDATE schedule_ticks SET job_id = $3 WHERE schedule = $1 AND tick = $2", [s.key, s.tick(at: now), id])
                }
                enqueued += 1
            }
            tried[s.key] = s.tick(at: now)
        }
        return enqueued
    }

    /// Each schedule's last enqueued tick, for `tideline queue schedules`.
    public static func lastTicks(_ db: Connection) throws -> [String: (tick: Int64, at: String)] {
        var out: [String: (tick: Int64, at: String)] = [:]
        for r in try db.query("""
            SELECT DISTINCT ON (schedule) schedule, tick, to_char(enqueued_at, 'YYYY-MM-DD HH24:MI:SS')
              FROM schedule_ticks ORDER BY schedule, tick DESC
            """).rows {
            out[try r.decode(String.self, 0)] = (try r.decode(Int64.self, 1), try r.decode(String.self, 2))
        }
        return out
    }
}
