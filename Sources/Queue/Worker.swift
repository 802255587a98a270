import Foundation
import Logging
import Postgres

/// One worker process's runtime for one stage: `concurrency` threads that claim batches and hand
/// them off, a listener that wakes them on NOTIFY, and a maintainer that heartbeats and rescues.
public final class Worker: @unchecked Sendable {   // `stopping` under `stateLock`; the rest is set in init
    public let id: String
    public let handler: any StageHandler
    public let options: WorkerOptions
    private let conninfo: String
    private var logger: Logger

    private let wakeup = Wakeup()
    private let inFlight = InFlight()
    private let counters = Counters()
    private let stateLock = NSLock()
    private var stopping = false
    private let threadsDone = DispatchGroup()

    public init(conninfo: String, handler: any StageHandler, options: WorkerOptions, logger: Logger) {
        self.conninfo = conninfo
        self.handler = handler
        self.options = options
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        self.id = "\(host):\(pid):\(handler.stage):\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        self.logger = logger
        self.logger[metadataKey: "stage"] = .string(handler.stage)
        self.logger[metadataKey: "worker"] = .string(id)
    }

    public var isStopping: Bool { stateLock.lock(); defer { stateLock.unlock() }; return stopping }

    /// Asks the worker to stop claiming; in-flight batches finish (see `run`).
    public func stop() {
        stateLock.lock(); stopping = true; stateLock.unlock()
        wakeup.signal()
    }

    /// A connection once the database answers; nil when the worker is stopped while waiting.
    /// Throws at once what waiting cannot mend (a wrong password, a database that does not exist).
    public func waitForDatabase() throws -> Connection? {
        do { return try connectWithRetry() } catch where isStopping { return nil }
    }

    /// Runs until `stop()` (or, with `once`, until the stage has nothing available), then waits up
    /// to the shutdown deadline for in-flight jobs and releases whatever is still running.
    public func run() throws {
        let control = try connectWithRetry()
        try control.execute(JobQueries.registerWorker, [id, ProcessInfo.processInfo.hostName,
                                                        Int(ProcessInfo.processInfo.processIdentifier),
                                                        handler.stage, options.concurrency])
        logger.info("worker started", metadata: ["concurrency": "\(options.concurrency)",
                                                 "batch": "\(options.batchSize ?? handler.batchSize)"])
        for n in 0..<max(1, options.concurrency) { spawn("\(handler.stage)-\(n)") { [self] in try executorLoop() } }
        let background = DispatchGroup()
        if !options.once {
            spawn("listener", group: background) { [self] in try listenerLoop() }
        }
        spawn("maintainer", group: background) { [self] in try maintainerLoop() }

        if options.once {
            threadsDone.wait()
            stop()
        } else {
            while !isStopping { _ = threadsDone.wait(timeout: .now() + 0.2) }
            if threadsDone.wait(timeout: .now() + options.shutdownDeadline) == .timedOut {
                logger.warning("shutdown deadline passed with jobs in flight; releasing them")
            }
        }
        background.wait()
        let released = (try? JobQueue.release(control, worker: id)) ?? 0
        if released > 0 { logger.info("released unfinished jobs", metadata: ["count": "\(released)"]) }
        let (done, failed) = counters.snapshot
        try? control.execute(JobQueries.stopWorker, [id, done, failed])
        logger.info("worker stopped", metadata: ["done": "\(done)", "failed": "\(failed)"])
    }

    private func spawn(_ name: String, group: DispatchGroup? = nil, _ body: @escaping @Sendable () throws -> Void) {
        let g = group ?? threadsDone
        g.enter()
        let t = Thread { [self] in
            defer { g.leave() }
            do { try body() } catch {
                logger.error("\(name) thread ended: \(error)")
                if group == nil && !options.once { stop() }
            }
        }
        t.name = name
        t.start()
    }

    // MARK: Executors

    private func executorLoop() throws {
        let db = try connectWithRetry()
        try prepareForHandOffs(db)
        let batch = max(1, options.batchSize ?? handler.batchSize)
        var limit = batch
        var outage = Outage("executor")
        while !isStopping {
            let seen = wakeup.current
            var jobs: [Job] = []
            do {
                jobs = try inFlight.claim { try JobQueue.claim(db, stage: handler.stage, limit: limit, worker: id) }
                // A job that must be handed off alone goes by itself; the rest of its batch goes
                // back at once (attempts not counted), and claims take one job at a time until
                // one comes that can share a batch again.
                if jobs.count > 1, let solo = jobs.firstIndex(where: { !handler.canShareBatch($0) }) {
                    let back = jobs.indices.filter { $0 != solo }.map { jobs[$0].id }
                    try JobQueue.release(db, worker: id, ids: back)
                    inFlight.remove(back)
                    jobs = [jobs[solo]]
                    limit = 1
                } else if let first = jobs.first {
                    limit = handler.canShareBatch(first) ? batch : 1
                }
                outage.recovered(logger: logger)
            } catch let e as PostgresError where e.isConnectionLoss {
                // Jobs claimed before the loss are no longer heartbeated: the rescuer returns them.
                inFlight.remove(jobs.map(\.id))
                pause(outage.failed(e, logger: logger))
                try? db.reconnect()
                try? prepareForHandOffs(db)
                continue
            } catch {
                // The thread ends (see `spawn`); what it claimed must not be heartbeated for ever.
                inFlight.remove(jobs.map(\.id))
                throw error
            }
            if jobs.isEmpty {
                // --once drains what is available, jobs put back for later included; not jobs
                // backing off after a failure.
                if options.once {
                    // Another thread of this worker may yet put jobs back (the rest of a batch
                    // split for a job that goes alone): stay until none holds any.
                    if !inFlight.isIdle {
                        wakeup.wait(timeout: options.pollInterval, since: seen)
                        continue
                    }
                    let wait: Double?
                    do { wait = try JobQueue.nextSnoozed(db, stage: handler.stage) } catch let e as PostgresError where e.isConnectionLoss {
                        pause(outage.failed(e, logger: logger))
                        try? db.reconnect()
                        continue
                    }
                    guard let wait else { return }
                    Thread.sleep(forTimeInterval: min(max(wait, 0.02), options.pollInterval))
                    continue
                }
                wakeup.wait(timeout: options.pollInterval, since: seen)
                continue
            }
            process(jobs, on: db)
            inFlight.remove(jobs.map(\.id))
        }
    }

    /// The hand-off: the handler's writes, the next stage's jobs and the completion commit together.
    /// A batch that fails is rolled back and its jobs re-run one by one, so one bad job costs only
    /// itself; a job that fails alone is recorded as a failed attempt.
    private func process(_ jobs: [Job], on db: Connection) {
        // Preparation first, outside any transaction: a job whose preparation fails is recorded
        // at once and the rest go on.
        let started = Date()
        var prepared: [Int64: any PreparedWork] = [:]
        var ready: [Job] = []
        for job in jobs {
            var log = logger
            log[metadataKey: "job"] = .string(String(job.id))
            do {
                if let p = try handler.prepare(job, db: db, logger: log) { prepared[job.id] = p }
                ready.append(job)
            } catch let e as PostgresError where e.isConnectionLoss {
                logger.warning("connection lost while preparing job \(job.id); the rescuer will return it: \(e)", metadata: ["job": "\(job.id)"])
                try? db.reconnect()
                return
            } catch {
                recordFailure(job, error: error, on: db)
            }
        }
        if !ready.isEmpty { commit(ready, prepared: prepared, on: db, started: started) }
    }

    private func commit(_ jobs: [Job], prepared: [Int64: any PreparedWork], on db: Connection, started: Date) {
        do {
            try handOff(jobs, prepared: prepared, on: db)
            counters.add(done: jobs.count, failed: 0)
            // One line per finished job, at debug (at info a busy stage would write thousands a
            // minute; failures are logged at warning and error): its id, and the batch's time.
            let ms = Int((Date().timeIntervalSince(started) * 1000).rounded())
            for job in jobs {
                logger.debug("job succeeded", metadata: ["job": .stringConvertible(job.id), "ms": .stringConvertible(ms),
                                                        "batch": .stringConvertible(jobs.count)])
            }
        } catch let e as PostgresError where e.isConnectionLoss {
            // The transaction died with the connection: nothing was written. Stop heartbeating
            // these jobs so the rescuer returns them after the lease.
            logger.warning("connection lost during a batch of \(jobs.count); the rescuer will return it: \(e)",
                           metadata: ["jobs": "\(jobs.map(\.id))"])
            try? db.reconnect()
        } catch {
            if jobs.count > 1 {
                for job in jobs { commit([job], prepared: prepared, on: db, started: started) }
                return
            }
            recordFailure(jobs[0], error: error, on: db)
        }
    }

    private func handOff(_ jobs: [Job], prepared: [Int64: any PreparedWork], on db: Connection) throws {
        try db.transaction { tx in
            let next = try handler.handleBatch(jobs, prepared: prepared, tx: tx, logger: logger)
            try JobQueue.enqueue(tx, next.map { var j = $0; j.maxAttempts = options.maxAttempts; return j })
            let completed = try JobQueue.complete(tx, ids: jobs.map(\.id), worker: id)
            guard completed == jobs.count else { throw LostJobs(expected: jobs.count, completed: completed) }
        }
    }

    private func recordFailure(_ job: Job, error: Error, on db: Connection) {
        if error is LostJobs {
            logger.warning("job \(job.id) was rescued by another worker before it committed; its output was rolled back",
                           metadata: ["job": "\(job.id)"])
            return
        }
        if let later = error as? RetryLater {
            do {
                try JobQueue.snooze(db, job: job, worker: id, seconds: later.seconds)
                logger.debug("job \(job.id) waits: \(later)", metadata: ["job": "\(job.id)"])
            } catch {
                logger.error("could not put job \(job.id) back: \(error)", metadata: ["job": "\(job.id)"])
            }
            return
        }
        let permanent = error is PermanentJobError
        let message = String(describing: error)
        do {
            let state = try JobQueue.fail(db, job: job, worker: id, error: message, permanent: permanent, backoff: options.backoff)
            counters.add(done: 0, failed: 1)
            var log = logger
            log[metadataKey: "job"] = .string(String(job.id))
            if state == .dead {
                log.error("job dead after attempt \(job.attempt): \(message)")
            } else {
                log.warning("job failed (attempt \(job.attempt) of \(job.maxAttempts)), will retry: \(message)")
            }
        } catch {
            logger.error("could not record the failure of job \(job.id): \(error)", metadata: ["job": "\(job.id)"])
        }
    }

    // MARK: Listener and maintainer

    private func listenerLoop() throws {
        let db = try connectWithRetry()
        try db.listen(JobQueue.channel)
        var outage = Outage("listener")
        while !isStopping {
            do {
                let got = try db.waitForNotifications(timeout: 0.25)
                if got.contains(where: { $0.payload == handler.stage }) { wakeup.signal() }
                if db.isConnected { outage.recovered(logger: logger) }
            } catch {
                pause(outage.failed(error, logger: logger))
                try? db.reconnect()
            }
        }
    }

    private func maintainerLoop() throws {
        let db = try connectWithRetry()
        // Every maintainer heartbeats its jobs and itself; one among all workers leads the
        // queue's upkeep (Maintenance/: rescuer, cleaner, periodic enqueuer), the others keep
        // trying, and one takes over within a heartbeat of the leader's connection ending.
        var services = maintenanceServices(options)
        var lastRun = [Date](repeating: .distantPast, count: services.count)
        var leading = false
        var outage = Outage("maintainer")
        while !isStopping || !inFlight.all.isEmpty {
            do {
                try JobQueue.heartbeat(db, ids: inFlight.all, worker: id)
                let (done, failed) = counters.snapshot
                try db.execute(JobQueries.heartbeatWorker, [id, done, failed])
                if !leading, !isStopping, try Leadership.tryLead(db) {
                    leading = true
                    logger.info("leading queue maintenance")
                }
                if leading {
                    for i in services.indices where Date().timeIntervalSince(lastRun[i]) >= services[i].interval {
                        try services[i].run(db, logger: logger)
                        lastRun[i] = Date()
                    }
                }
                outage.recovered(logger: logger)
            } catch {
                // The lock went with the connection.
                leading = false
                pause(outage.failed(error, logger: logger))
                try? db.reconnect()
            }
            if isStopping && options.once { break }
            Thread.sleep(forTimeInterval: min(options.heartbeatInterval, 0.5))
            if isStopping && threadsDoneQuick() { break }
        }
    }

    private func threadsDoneQuick() -> Bool { threadsDone.wait(timeout: .now()) == .success }

    private func connectWithRetry() throws -> Connection {
        var outage = Outage("connect")
        while true {
            do {
                let db = try Connection(conninfo)
                outage.recovered(logger: logger)
                return db
            } catch let e as PostgresError where e.isServerUnavailable && !isStopping {
                pause(outage.failed(e, logger: logger))
            }
        }
    }

    /// Session settings of an executor's connection (set again after a reconnect).
    private func prepareForHandOffs(_ db: Connection) throws {
        if !options.synchronousCommit { try db.execute("SET synchronous_commit = off") }
    }

    /// Sleeps up to `seconds`, returning early when the worker is asked to stop.
    private func pause(_ seconds: Double) {
        let until = Date().addingTimeInterval(seconds)
        while !isStopping, Date() < until { Thread.sleep(forTimeInterval: min(0.1, until.timeIntervalSinceNow)) }
    }
}

/// The completion found fewer of the batch's jobs still ours than it holds: some were rescued.
struct LostJobs: Error, CustomStringConvertible {
    let expected: Int, completed: Int
    var description: String { "only \(completed) of \(expected) jobs were still held by this worker at commit" }
}
