import Foundation
import Logging
import Postgres

/// A piece of the queue's upkeep that one worker among all does: the maintenance leader (see
/// `Leadership`) runs each service every `interval` seconds on its maintenance connection. A
/// service logs what it did when it did something.
protocol MaintenanceService {
    var interval: Double { get }
    mutating func run(_ db: Connection, logger: Logger) throws
}

/// The services a worker's options ask for, in the order the leader runs them.
func maintenanceServices(_ options: WorkerOptions) -> [any MaintenanceService] {
    var services: [any MaintenanceService] = [Rescuer(lease: options.lease)]
    if !options.retention.isEmpty { services.append(Cleaner(retention: options.retention, interval: options.retentionInterval)) }
    if !options.schedules.isEmpty { services.append(PeriodicEnqueuer(schedules: options.schedules)) }
    return services
}
