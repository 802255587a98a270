import ArgumentParser
import Foundation
import Reports
import Postgres
import Queue
import Runtime
import Stages
import Store

/// The main job: database up, migrations, the source folder enqueued, the four workers spawned,
/// the queue drained, a summary printed, the embedded server stopped.
struct Up: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the whole pipeline over a source folder (default seeds/) and print what landed.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Folder holding manifest.json and the documents it lists.") var source: String = "seeds"
    @Option(help: "Worker threads for every stage (default: each stage's stages.<stage>.concurrency).") var concurrency: Int?
    @Flag(help: "Clean (and so extract and aggregate) every stored document again, changed or not.") var reprocess = false
    @Option(help: "Give up waiting after this many seconds.") var timeout: Double = 1800

    func validate() throws {
        if let c = concurrency, c < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() throws {
        let started = Date()
        let (session, config) = try db.session()
        defer { session.close() }
        if session.isEmbedded { note("embedded PostgreSQL in .tideline/ (set DATABASE_URL to use another server)") }
        let conn = try session.connect()
        let applied = try Migrator.migrate(conn)
        if !applied.isEmpty { note("applied migrations \(applied.map(String.init).joined(separator: ", "))") }
        let runStart = try conn.query("SELECT now()::text").first!.decode(String.self, 0)

        let folder = URL(fileURLWithPath: source).standardizedFileURL
        let entries = try ManifestEntry.load(folder: folder)
        let jobs = try entries.map { e in
            try NewJob(stage: .fetch, encoding: FetchPayload(source: folder.appendingPathComponent(e.file).path, metadata: e.metadata),
                       dedupeKey: "fetch:\(folder.appendingPathComponent(e.file).path)")
        }
        try JobQueue.enqueue(conn, jobs)
        if reprocess {
            let docs = try DocumentStore.allIDs(conn)
            try JobQueue.enqueue(conn, try docs.map { try NewJob(stage: .clean, encoding: CleanPayload(documentID: $0.id)) })
            note("re-cleaning \(docs.count) stored document(s)")
        }
        note("enqueued \(entries.count) document(s) from \(folder.path)")

        let workers = try WorkerLocator.locate(log: note)
        var roots = config.fileRoots.map(\.path)
        // (A root contains the folder on a path boundary: /x does not contain /x-work.)
        if !roots.contains(where: { folder.path == $0 || folder.path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) { roots.append(folder.path) }
        var env = ProcessInfo.processInfo.environment
        env["TIDELINE_FETCH_ROOTS"] = roots.joined(separator: ":")
        // The workers stop when `up` dies, however it dies.
        env[WorkerMain.parentPIDVariable] = String(getpid())
        var children: [Process] = []
        for name in WorkerLocator.names {
            let p = Process()
            p.executableURL = workers[name]
            // Without --concurrency each worker takes its stage's setting from the configuration.
            p.arguments = ["--database-url", session.conninfo, "--poll-interval", "0.25", "--log-level", "warning"]
                + (concurrency.map { ["--concurrency", String($0)] } ?? []) + (db.config.map { ["--config", $0] } ?? [])
            p.environment = env
            try p.run()
            children.append(p)
        }
        let workerProcesses = children
        // SIGTERM: each worker finishes its jobs in hand within its shutdown deadline; one that
        // has not stopped by then (and a grace period) is killed, so `up` always ends.
        let grace = config.workerOptions(stage: Stage.fetch.rawValue).shutdownDeadline + 5
        let stopChildren: @Sendable () -> Void = {
            for p in workerProcesses where p.isRunning { p.terminate() }
            let deadline = Date().addingTimeInterval(grace)
            while workerProcesses.contains(where: \.isRunning), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            for p in workerProcesses where p.isRunning { kill(p.processIdentifier, SIGKILL) }
            for p in workerProcesses { p.waitUntilExit() }
        }
        // SIGINT, SIGTERM, SIGHUP: the workers drain and stop, then the session stops the server.
        session.beforeStop = { note("stopping workers"); stopChildren() }

        // Wait until nothing is available or running (twice in a row, so a hand-off in flight is seen).
        var idle = 0
        while idle < 2 {
            Thread.sleep(forTimeInterval: 0.2)
            // (Workers leaving because a signal stops the run are not failures.)
            session.parkWhileStopping()
            if let dead = children.first(where: { !$0.isRunning }) {
                stopChildren()
                throw ValidationError("\(dead.executableURL?.lastPathComponent ?? "a worker") exited with status \(dead.terminationStatus); see its messages above")
            }
            let pending = try conn.query("SELECT count(*) FROM jobs WHERE state IN ('available', 'running')").first!.decode(Int.self, 0)
            idle = pending == 0 ? idle + 1 : 0
            if Date().timeIntervalSince(started) > timeout {
                stopChildren()
                throw ValidationError("the queue did not drain within \(Int(timeout)) s (\(pending) job(s) pending); see `tideline queue stats`")
            }
        }
        stopChildren()
        try Summary.print(conn, since: runStart, elapsed: Date().timeIntervalSince(started))
        print("")
        print(TerminalReport.render(try ReportQueries.load(conn, filter: ReportFilter())), terminator: "")
        print("\nNext: `swift run tideline report --html report.html`, `swift run tideline export indicators --format csv`,")
        print("`swift run tideline queue stats`; `swift run tideline db start` keeps the database up for psql.")
    }
}
