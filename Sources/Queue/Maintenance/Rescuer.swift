import Logging
import Postgres

/// Returns running jobs whose worker stopped heartbeating for longer than the lease to
/// `available` (or `dead` on their last attempt), twice per lease.
struct Rescuer: MaintenanceService {
    let lease: Double
    var interval: Double { lease / 2 }

    func run(_ db: Connection, logger: Logger) throws {
        let n = try JobQueue.rescue(db, lease: lease)
        if n > 0 { logger.warning("rescued \(n) job(s) whose worker stopped heartbeating") }
    }
}
