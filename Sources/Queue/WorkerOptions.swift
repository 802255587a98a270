/// How one worker process runs. Defaults suit a service; `up` and the tests shorten the timings.
public struct WorkerOptions: Sendable {
    /// Threads claiming and running jobs, each on its own connection.
    public var concurrency: Int = 1
    /// Jobs per claim; nil takes the handler's own choice.
    public var batchSize: Int? = nil
    /// Seconds between claims when no notification arrives.
    public var pollInterval: Double = 1
    /// Seconds without a heartbeat after which a running job is rescued.
    public var lease: Double = 30
    /// Drain the stage's available jobs (and those put back for later by `RetryLater`), then exit.
    public var once: Bool = false
    /// Seconds to finish in-flight jobs after SIGTERM before releasing them.
    public var shutdownDeadline: Double = 10
    public var backoff = Backoff()
    /// Attempts every job this worker enqueues gets (`worker.max_attempts`).
    public var maxAttempts = 5
    /// Whether a hand-off waits for its commit to reach disk. Off by default: a server crash can
    /// then lose the last fraction of a second of hand-offs, and those jobs simply run again (every
    /// stage is idempotent: outputs are replaced, never appended), while each commit no longer
    /// waits for a disk flush.
    public var synchronousCommit = false
    /// Jobs the maintenance leader enqueues on a schedule (`[sources] interval`).
    public var schedules: [Schedule] = []
    /// Seconds a finished job is kept, per state (`[queue] retain_*`); the maintenance leader
    /// removes older ones every `retentionInterval` seconds, rolling their counts into
    /// `job_totals` first. A state not listed is kept for ever.
    public var retention: [String: Double] = [:]
    public var retentionInterval: Double = 60

    public init() {}

    public var heartbeatInterval: Double { max(0.05, lease / 3) }
}
