import Foundation

/// Lets idle worker threads sleep until a notification, a stop or the poll interval.
final class Wakeup: @unchecked Sendable {   // `generation` is only touched under `condition`
    private let condition = NSCondition()
    private var generation = 0

    func wait(timeout: Double, since seen: Int) {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while generation == seen {
            if !condition.wait(until: deadline) { return }
        }
    }

    var current: Int { condition.lock(); defer { condition.unlock() }; return generation }

    func signal() {
        condition.lock()
        generation &+= 1
        condition.broadcast()
        condition.unlock()
    }
}

/// A set of job ids under a lock: what this process is running now (the heartbeat's scope),
/// and how many of its threads are between a claim and adding what it claimed.
final class InFlight: @unchecked Sendable {   // `ids` and `claiming` are only touched under `lock`
    private let lock = NSLock()
    private var ids = Set<Int64>()
    private var claiming = 0
    func remove(_ old: [Int64]) { lock.lock(); ids.subtract(old); lock.unlock() }
    var all: [Int64] { lock.lock(); defer { lock.unlock() }; return Array(ids) }

    /// Runs a claim; its jobs join the set as it ends, in one step with the end of the claim.
    func claim(_ body: () throws -> [Job]) rethrows -> [Job] {
        lock.lock(); claiming += 1; lock.unlock()
        var jobs: [Job] = []
        defer { lock.lock(); claiming -= 1; ids.formUnion(jobs.map(\.id)); lock.unlock() }
        jobs = try body()
        return jobs
    }
    /// No thread holds jobs or is claiming some.
    var isIdle: Bool { lock.lock(); defer { lock.unlock() }; return ids.isEmpty && claiming == 0 }
}

/// Counters shared by a worker's threads.
final class Counters: @unchecked Sendable {   // the counts are only touched under `lock`
    private let lock = NSLock()
    private(set) var done: Int64 = 0
    private(set) var failed: Int64 = 0
    func add(done d: Int, failed f: Int) { lock.lock(); done += Int64(d); failed += Int64(f); lock.unlock() }
    var snapshot: (Int64, Int64) { lock.lock(); defer { lock.unlock() }; return (done, failed) }
}
