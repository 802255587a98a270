import Foundation
import Logging

/// What a worker loop does while the database is unreachable: one warning when it goes, one line
/// when it is back, and attempts spaced by a capped exponential backoff (0.25 s doubling to 10 s),
/// so an outage of minutes writes a few lines per worker, not one per attempt.
struct Outage {
    let loop: String
    private(set) var since: Date?
    private var delay = 0.25
    static let maxDelay = 10.0

    init(_ loop: String) { self.loop = loop }

    /// Notes a failed attempt; returns how long to wait before the next.
    mutating func failed(_ error: Error, logger: Logger) -> Double {
        if since == nil {
            since = Date()
            logger.warning("\(loop): the database is unreachable; retrying every \(delay)–\(Self.maxDelay) s until it is back: \(error)")
        } else {
            logger.debug("\(loop): still unreachable; next attempt in \(delay) s")
        }
        defer { delay = min(delay * 2, Self.maxDelay) }
        return delay
    }

    /// Notes a success: says once that the database is back.
    mutating func recovered(logger: Logger) {
        guard let s = since else { return }
        logger.info("\(loop): the database is reachable again after \(String(format: "%.1f", Date().timeIntervalSince(s))) s")
        since = nil
        delay = 0.25
    }
}
