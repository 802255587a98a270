import Logging
import Postgres

/// What a stage does with one job. The runtime calls `prepare` first, outside any transaction
/// (network I/O belongs there: it must not hold a transaction or row locks open while a remote
/// host takes its time), then `handle` inside the batch's transaction with what `prepare`
/// returned: the handler writes its output rows through `tx` and returns the next stage's jobs;
/// the runtime enqueues them and completes the job in that same transaction.
public protocol StageHandler: Sendable {
    var stage: String { get }
    /// How many jobs one claim takes (and one transaction hands off). Large for cheap jobs.
    var batchSize: Int { get }
    func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob]
    /// Work before the hand-off, on the worker's connection in autocommit. Nil: nothing to do.
    func prepare(_ job: Job, db: Connection, logger: Logger) throws -> (any PreparedWork)?
    /// `handle` with what `prepare` returned; by default `prepare`'s result is not needed.
    func handle(_ job: Job, prepared: (any PreparedWork)?, tx: Connection, logger: Logger) throws -> [NewJob]
    /// A whole batch in one call, for stages that gain from seeing it at once (aggregate locks all
    /// the batch's keys in one order). By default, `handle` for each job in turn.
    func handleBatch(_ jobs: [Job], prepared: [Int64: any PreparedWork], tx: Connection, logger: Logger) throws -> [NewJob]
    /// False for a job that must be handed off alone (a web fetch: its request would hold up the
    /// rest of a batch while the host takes its time; a settle, whose transaction must hold no
    /// other lock). By default every job shares.
    func canShareBatch(_ job: Job) -> Bool
}

/// What a handler's `prepare` hands to its `handle` (a fetched response, say).
public protocol PreparedWork: Sendable {}

/// Not now: the job goes back to the queue to run after `seconds`, its attempt not counted (a
/// host whose one request slot is taken, a politeness delay not yet passed).
public struct RetryLater: Error, CustomStringConvertible, Sendable {
    public let seconds: Double
    public let reason: String
    public init(seconds: Double, reason: String) { self.seconds = seconds; self.reason = reason }
    public var description: String { "\(reason); again in \(seconds) s" }
}

extension StageHandler {
    public var batchSize: Int { 10 }

    public func prepare(_ job: Job, db: Connection, logger: Logger) throws -> (any PreparedWork)? { nil }

    public func canShareBatch(_ job: Job) -> Bool { true }

    public func handle(_ job: Job, prepared: (any PreparedWork)?, tx: Connection, logger: Logger) throws -> [NewJob] {
        try handle(job, tx: tx, logger: logger)
    }

    public func handleBatch(_ jobs: [Job], prepared: [Int64: any PreparedWork], tx: Connection, logger: Logger) throws -> [NewJob] {
        var next: [NewJob] = []
        for job in jobs {
            var log = logger
            log[metadataKey: "job"] = .string(String(job.id))
            next += try handle(job, prepared: prepared[job.id], tx: tx, logger: log)
        }
        return next
    }
}

/// A handler that works on whole batches (clean, extract, aggregate): one job is a batch of one.
public protocol BatchStageHandler: StageHandler {}

extension BatchStageHandler {
    public func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob] {
        try handleBatch([job], prepared: [:], tx: tx, logger: logger)
    }
}
