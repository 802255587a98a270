/// The closed set of job states. Every transition the queue makes is listed here:
///
///     available --claim-------------------> running
///     running   --complete----------------> succeeded
///     running   --fail (attempts left)----> available   (run_at = now + backoff)
///     running   --fail (permanent/last)---> dead
///     running   --rescue (lease expired)--> available | dead (the attempt counts)
///     running   --release (shutdown)------> available   (the attempt does not count)
///     running   --snooze (RetryLater)-----> available   (later; the attempt does not count)
///     available --cancel------------------> cancelled
///     dead|cancelled --retry--------------> available   (attempts reset)
public enum JobState: String, CaseIterable, Sendable, Codable {
    case available, running, succeeded, dead, cancelled

    public var isFinished: Bool { self == .succeeded || self == .dead || self == .cancelled }
}

/// The four pipeline stages, in the order data flows.
public enum Stage: String, CaseIterable, Sendable, Codable {
    case fetch, clean, extract, aggregate
}
