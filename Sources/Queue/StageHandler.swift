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
    /// A whole batch in one call, for stages that gain from seeing it at once (aggregate locks all
    /// the batch's keys in one order). By default, `handle` for each job in turn.
    func handleBatch(_ jobs: [Job], tx: Connection, logger: Logger) throws -> [NewJob]
}

extension StageHandler {
    public var batchSize: Int { 10 }

    public func handleBatch(_ jobs: [Job], tx: Connection, logger: Logger) throws -> [NewJob] {
        var next: [NewJob] = []
        for job in jobs {
            var log = logger
            log[metadataKey: "job"] = .string(String(job.id))
            next += try handle(job, tx: tx, logger: log)
        }
        return next
    }
}
