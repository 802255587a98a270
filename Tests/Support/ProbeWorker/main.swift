// tideline-probe-worker: a worker for a synthetic `probe` stage, used by the queue's process tests.
// Each job writes one row to probe_output inside the hand-off transaction, so
// the tests can count how many times each job's output was committed (the tests create the table). The payload can ask it to
// sleep (`sleep_ms`), to fail transiently (`fail: "transient"`), permanently (`fail: "permanent"`) or until allowed
// (`fail: "until_allowed"`, a row in probe_allow).
import Foundation
import Logging
import Postgres
import Queue
import Runtime

struct Probe: StageHandler {
    let stage = "probe"
    let batch: Int
    var batchSize: Int { batch }

    struct Payload: Decodable { var n: Int?; var sleep_ms: Int?; var fail: String? }

    func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob] {
        let p = try job.decodePayload(Payload.self)
        if let ms = p.sleep_ms { Thread.sleep(forTimeInterval: Double(ms) / 1000) }
        switch p.fail {
        case "permanent": throw PermanentJobError("probe job \(job.id) was told to fail permanently")
        case "until_allowed":
            // Dies until the test allows it (a row in probe_allow): for retrying dead jobs.
            let allowed = try tx.query("SELECT 1 FROM probe_allow WHERE job_id = $1", [job.id]).rowCount > 0
            if !allowed { throw PermanentJobError("probe job \(job.id) is not allowed yet") }
        case "transient": throw NSError(domain: "probe", code: 1, userInfo: [NSLocalizedDescriptionKey: "probe job \(job.id) failed on purpose"])
        default: break
        }
        try tx.execute("INSERT INTO probe_output (job_id, attempt, worker_pid) VALUES ($1, $2, $3)",
                       [job.id, job.attempt, Int(getpid())])
        return []
    }
}

let args = Array(CommandLine.arguments.dropFirst())
nonisolated func option(_ name: String) -> String? {
    let args = Array(CommandLine.arguments.dropFirst())
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
LogSetup.bootstrap(format: .text, level: option("--log-level").flatMap(Logger.Level.init(rawValue:)) ?? .warning)
let conninfo = option("--database-url") ?? ""
var options = WorkerOptions()
options.concurrency = Int(option("--concurrency") ?? "1") ?? 1
options.lease = Double(option("--lease") ?? "30") ?? 30
options.pollInterval = Double(option("--poll-interval") ?? "1") ?? 1
options.once = args.contains("--once")
options.backoff = Backoff(base: Double(option("--backoff") ?? "0.05") ?? 0.05, max: 1)
// --retain-succeeded SECONDS: the maintenance leader removes succeeded jobs older than that, every 0.2 s.
if let s = option("--retain-succeeded"), let seconds = Double(s) {
    options.retention = ["succeeded": seconds]
    options.retentionInterval = 0.2
}
// --schedule KEY:SECONDS: a probe job enqueued every SECONDS by the maintenance leader.
if let s = option("--schedule"), let colon = s.lastIndex(of: ":"), let interval = Double(s[s.index(after: colon)...]) {
    options.schedules = [Schedule(key: String(s[..<colon]), interval: interval, job: NewJob(stage: "probe", payload: "{}"))]
}
do {
    try WorkerMain.runWorker(handler: Probe(batch: Int(option("--batch") ?? "10") ?? 10), conninfo: conninfo,
                             options: options, logger: Logger(label: "probe"))
} catch {
    FileHandle.standardError.write(Data("probe worker: \(error)\n".utf8))
    exit(1)
}
