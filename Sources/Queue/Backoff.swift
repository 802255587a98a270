/// Exponential backoff with full jitter: attempt n waits a random time in
/// [base·2^(n-1) / 2, base·2^(n-1)], capped at `max`. Jitter spreads retries of jobs
/// that failed together (a database restart) so they do not return together.
public struct Backoff: Sendable, Equatable {
    public var base: Double
    public var max: Double

    public init(base: Double = 1, max: Double = 300) { self.base = base; self.max = max }

    public func delay(afterAttempt attempt: Int, unit: Double = Double.random(in: 0...1)) -> Double {
        let exp = base * pow2(Swift.max(0, attempt - 1))
        let ceiling = Swift.min(max, exp)
        return ceiling / 2 + ceiling / 2 * unit
    }

    private func pow2(_ n: Int) -> Double { n >= 62 ? Double.greatestFiniteMagnitude : Double(1 << n) }
}
