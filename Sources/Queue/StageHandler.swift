import Logging
import Postgres

/// What a stage does with one job. The runtime calls `handle` inside the batch's transaction:
/// the handler writes its output rows through `tx` and returns the next stage's jobs; the runtime
/// enqueues them and completes the job in that same transaction.
public protocol StageHandler: Sendable {
    var stage: String { get }
    /// How many jobs one claim takes (and one transaction hands off). Large for cheap jobs.
    var batchSize: Int { get }
    func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob]
}

extension StageHandler {
    public var batchSize: Int { 10 }
}
