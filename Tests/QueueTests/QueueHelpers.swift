import Foundation
import Logging
import Postgres
import Queue
import TestSupport
import XCTest

/// A handler defined by a closure, for in-process worker tests.
struct ClosureHandler: StageHandler {
    let stage: String
    let batchSize: Int
    let body: @Sendable (Job, Connection) throws -> [NewJob]
    /// Jobs that must be handed off alone.
    var solo: @Sendable (Job) -> Bool = { _ in false }
    init(stage: String, batchSize: Int, solo: @escaping @Sendable (Job) -> Bool = { _ in false },
         body: @escaping @Sendable (Job, Connection) throws -> [NewJob]) {
        self.stage = stage; self.batchSize = batchSize; self.solo = solo; self.body = body
    }
    func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob] { try body(job, tx) }
    func canShareBatch(_ job: Job) -> Bool { !solo(job) }
}

struct TestFailure: Error, CustomStringConvertible { let description: String }

func state(_ db: Connection, _ id: Int64) throws -> String {
    try db.query("SELECT state FROM jobs WHERE id = $1", [id]).first!.decode(String.self, 0)
}

func count(_ db: Connection, _ sql: String, _ params: [any PostgresEncodable] = []) throws -> Int {
    try db.query(sql, params).first!.decode(Int.self, 0)
}

/// Runs a worker on a background thread until `stop()`.
final class BackgroundWorker {
    let worker: Worker
    private let done = DispatchSemaphore(value: 0)
    init(_ worker: Worker) {
        self.worker = worker
        let w = worker, d = done
        Thread { try? w.run(); d.signal() }.start()
    }
    func stop(timeout: Double = 15) { worker.stop(); _ = done.wait(timeout: .now() + timeout) }
}

func quickOptions(_ configure: (inout WorkerOptions) -> Void = { _ in }) -> WorkerOptions {
    var o = WorkerOptions()
    o.pollInterval = 0.1
    o.lease = 5
    o.backoff = Backoff(base: 0.05, max: 0.2)
    o.shutdownDeadline = 5
    configure(&o)
    return o
}

let testLogger: Logger = {
    var l = Logger(label: "test")
    l.logLevel = .critical
    return l
}()

/// Errors collected from several threads.
final class Failures: @unchecked Sendable {   // `items` is only touched under `lock`
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}

/// Tests that run the `tideline-probe-worker` executable against a fresh database with a
/// `probe_output` table (one row per committed job output) and a `probe_allow` table.
class ProbeTestCase: XCTestCase {
    var db: Connection!
    var conninfo: String!
    var probe: URL { TestPostgres.productsDirectory.appendingPathComponent("tideline-probe-worker") }

    override func setUpWithError() throws {
        conninfo = try TestPostgres.freshDatabase()
        db = try Connection(conninfo)
        try db.execute("CREATE TABLE probe_output (job_id bigint NOT NULL, attempt int NOT NULL, worker_pid int NOT NULL)")
        try db.execute("CREATE TABLE probe_allow (job_id bigint PRIMARY KEY)")
        guard FileManager.default.isExecutableFile(atPath: probe.path) else {
            throw XCTSkip("tideline-probe-worker is not built at \(probe.path); run `swift build` first")
        }
    }

    func startProbe(_ extra: [String] = []) throws -> Process {
        try launch(probe, ["--database-url", conninfo, "--poll-interval", "0.1"] + extra)
    }
}
