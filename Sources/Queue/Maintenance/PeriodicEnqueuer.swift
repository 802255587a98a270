import Foundation
import Logging
import Postgres

/// Enqueues each schedule's job once per tick across all workers and restarts (a row per
/// schedule and tick in `schedule_ticks` is the unique key). A tick missed while no worker ran
/// is not made up: the next one comes at its time (the policy README states).
struct PeriodicEnqueuer: MaintenanceService {
    let schedules: [Schedule]
    /// Ticks this process has already tried, so it asks the database once per tick.
    private var tried: [String: Int64] = [:]
    var interval: Double { 0 }   // every maintenance tick: each schedule knows its own interval

    init(schedules: [Schedule]) { self.schedules = schedules }

    mutating func run(_ db: Connection, logger: Logger) throws {
        let n = try JobQueue.enqueueDue(db, schedules: schedules, tried: &tried)
        if n > 0 { logger.info("enqueued \(n) scheduled job(s)") }
    }
}
