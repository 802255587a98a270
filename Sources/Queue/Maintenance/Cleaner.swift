import Logging
import Postgres

/// Retention: finished jobs older than their state's retention are deleted in batches, their
/// counts rolled into `job_totals` in the same statement (`QueueAdmin.prune`), so the metrics'
/// counters never go down. Running and available jobs are never touched.
struct Cleaner: MaintenanceService {
    /// Seconds a finished job is kept, per state; a state not listed is kept for ever.
    let retention: [String: Double]
    let interval: Double
    var batch = 1_000
    /// At most this many batches per state and pass; the next pass goes on.
    var maxBatches = 10

    func run(_ db: Connection, logger: Logger) throws {
        let n = try removeExpired(db)
        if n > 0 { logger.info("removed \(n) finished job(s) past their retention") }
    }

    /// Returns how many jobs were removed.
    func removeExpired(_ db: Connection) throws -> Int {
        var removed = 0
        for (state, seconds) in retention.sorted(by: { $0.key < $1.key }) {
            precondition(JobState(rawValue: state)?.isFinished == true, "retention applies to finished states only")
            for _ in 0..<maxBatches {
                let n = try QueueAdmin.prune(db, olderThan: seconds, states: [state], limit: batch)
                removed += n
                if n < batch { break }
            }
        }
        return removed
    }
}
