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
        let applied = try Schema.migrate(conn)
        if !applied.isEmpty { note("applied migrations \(applied.map(String.init).joined(separator: ", "))") }
        let runStart = try conn.query("SELECT now()::text").first!.decode(String.self, 0)

        let folder = URL(fileURLWithPath: source).standardizedFileURL
        let entries = try ManifestEntry.load(folder: folder)
        // Each entry checked at the door: a bad one is reported by its file and reason, the rest run.
        var refused: [Intake.Refused] = []
        var jobs: [NewJob] = []
        for e in entries {
            let path = folder.appendingPathComponent(e.file).path
            if let problem = Intake.problem(with: e.metadata) { refused.append(.init(source: e.file, reason: problem)); continue }
            if case .failure(let why) = Intake.source(path, roots: [folder], cwd: folder) { refused.append(.init(source: e.file, reason: why.reason)); continue }
            jobs.append(try FetchPayload(source: path, metadata: e.metadata).job())
        }
        for r in refused { note("refused manifest entry \(r)") }
        try JobQueue.enqueue(conn, config.attempting(jobs))
        if reprocess {
            let docs = try DocumentStore.allIDs(conn)
            try JobQueue.enqueue(conn, config.attempting(try docs.map { try NewJob(stage: .clean, encoding: CleanPayload(documentID: $0.id)) }))
            note("re-cleaning \(docs.count) stored document(s)")
        }
        note("enqueued \(jobs.count) document(s) from \(folder.path)")

        var roots = config.fileRoots.map(\.path)
        if !config.fileRoots.contains(where: { Intake.contains($0, folder) }) { roots.append(folder.path) }
        let fleet = try WorkerFleet(conninfo: session.conninfo, concurrency: concurrency, configPath: db.config, roots: roots,
                                    grace: config.workerOptions(stage: Stage.fetch.rawValue).shutdownDeadline + 5)
        // SIGINT, SIGTERM, SIGHUP: the workers drain and stop, then the session stops the server.
        session.beforeStop = { note("stopping workers"); fleet.stop() }
        try fleet.waitUntilDrained(conn, session: session, timeout: timeout, started: started, progressSince: runStart)
        fleet.stop()
        try Summary.print(conn, since: runStart, elapsed: Date().timeIntervalSince(started))
        print("")
        print(TerminalReport.render(try ReportQueries.load(conn, filter: ReportFilter())), terminator: "")
        print("\nNext: `swift run tideline report --html report.html`, `swift run tideline export indicators --format csv`,")
        print("`swift run tideline queue stats`; `swift run tideline db start` keeps the database up for psql.")
        if !refused.isEmpty {
            note("\(refused.count) manifest entr\(refused.count == 1 ? "y was" : "ies were") refused (above)")
            throw ExitCode(1)
        }
    }
}
