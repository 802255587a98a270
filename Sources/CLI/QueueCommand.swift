import ArgumentParser
import Foundation
import Postgres
import Queue
import Reports
import Runtime

/// Looking at and steering the queue without writing SQL. Every reading has `--json`.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Inspect and steer the job queue.",
        subcommands: [Stats.self, List.self, Show.self, Retry.self, Cancel.self, Pause.self, Resume.self, Prune.self,
                      Workers.self, Watch.self, Schedules.self])

    static var stages: [String] { Stage.allCases.map(\.rawValue) }

    static func stageArgument(_ s: String) throws -> String {
        guard stages.contains(s) else { throw ValidationError("unknown stage \(s): one of \(stages.joined(separator: ", "))") }
        return s
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        enc.keyEncodingStrategy = .convertToSnakeCase
        print(String(decoding: try enc.encode(value), as: UTF8.self))
    }

    /// Runs `body` on a connection to the configured database (the embedded one started for it).
    static func withDatabase<T>(_ db: DatabaseOptions, _ body: (Connection) throws -> T) throws -> T {
        let (session, _) = try db.session()
        defer { session.close() }
        return try body(try session.connectReading())
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per stage: jobs per state, oldest available job, throughput, dead jobs.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Throughput window in seconds.") var window: Double = 300
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let stats = try QueueCommand.withDatabase(db) { try QueueAdmin.stats($0, stages: QueueCommand.stages, window: window) }
            if json { try QueueCommand.printJSON(stats); return }
            print(OpsTable.stats(stats, window: window, width: Terminal.columns), terminator: "")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jobs, newest first, by stage and state.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "fetch, clean, extract or aggregate.") var stage: String?
        @Option(help: "available, running, succeeded, dead or cancelled.") var state: String?
        @Option(help: "At most this many.") var limit: Int = 20
        @Option(help: "Only jobs whose payload or errors contain this text (a URL, a document id, a message).") var search: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if let stage { _ = try QueueCommand.stageArgument(stage) }
            if let state, JobState(rawValue: state) == nil {
                throw ValidationError("unknown state \(state): one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            let jobs = try QueueCommand.withDatabase(db) { try QueueAdmin.list($0, stage: stage, state: state, search: search, limit: limit) }
            if json { try QueueCommand.printJSON(jobs); return }
            print(OpsTable.jobs(jobs, width: Terminal.columns), terminator: "")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One job: payload, attempts, error history, timings, its document and article.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The job's id.") var id: Int64
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            guard let detail = try QueueCommand.withDatabase(db, { try QueueAdmin.show($0, id: id) }) else {
                throw CLIError("no job \(id): `tideline queue list` shows the ids")
            }
            if json { try QueueCommand.printJSON(detail); return }
            print(OpsTable.detail(detail), terminator: "")
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run dead or cancelled jobs again: one by id, or all of a stage and state.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The job's id.") var id: Int64?
        @Option(help: "Every job of this stage (with --state).") var stage: String?
        @Option(help: "dead or cancelled (with --stage).") var state: String = "dead"

        func validate() throws {
            guard (id == nil) != (stage == nil) else { throw ValidationError("give a job id, or --stage S [--state dead|cancelled]") }
            if let stage { _ = try QueueCommand.stageArgument(stage) }
            guard ["dead", "cancelled"].contains(state) else { throw ValidationError("--state is dead or cancelled") }
        }

        func run() throws {
            let n = try QueueCommand.withDatabase(db) { conn -> Int in
                if let id { return try JobQueue.retry(conn, ids: [id]) }
                return try QueueAdmin.retry(conn, stage: stage!, state: state)
            }
            if let id, n == 0 { throw CLIError("job \(id) is not dead or cancelled; only those can be retried") }
            print("\(n) job(s) available again")
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel available jobs: one by id, or all of a stage (matching --search) (a running one finishes; `retry` undoes this).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The job's id.") var id: Int64?
        @Option(help: "Every available job of this stage.") var stage: String?
        @Option(help: "With --stage: only jobs whose payload or errors contain this text.") var search: String?

        func validate() throws {
            guard (id == nil) != (stage == nil) else { throw ValidationError("give a job id, or --stage S [--search TEXT]") }
            if let stage { _ = try QueueCommand.stageArgument(stage) }
            if search != nil && stage == nil { throw ValidationError("--search goes with --stage") }
        }

        func run() throws {
            if let stage {
                let n = try QueueCommand.withDatabase(db) { try QueueAdmin.cancel($0, stage: stage, search: search) }
                print("\(n) job(s) cancelled")
                return
            }
            guard let id, try QueueCommand.withDatabase(db, { try JobQueue.cancel($0, id: id) }) else {
                throw CLIError("job \(id ?? 0) is not available (running, finished or unknown): nothing cancelled")
            }
            print("job \(id) cancelled")
        }
    }

    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Workers of this stage claim nothing until `resume` (jobs in hand finish).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "fetch, clean, extract or aggregate.") var stage: String
        func validate() throws { _ = try QueueCommand.stageArgument(stage) }
        func run() throws { try QueueCommand.setPaused(db, stage, true) }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a paused stage's workers claim again.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "fetch, clean, extract or aggregate.") var stage: String
        func validate() throws { _ = try QueueCommand.stageArgument(stage) }
        func run() throws { try QueueCommand.setPaused(db, stage, false) }
    }

    static func setPaused(_ db: DatabaseOptions, _ stage: String, _ paused: Bool) throws {
        try withDatabase(db) { try QueueAdmin.setPaused($0, stage: stage, paused: paused) }
        print("\(stage) \(paused ? "paused" : "resumed")")
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete finished jobs (succeeded, dead, cancelled) older than a duration.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "A duration: 30s, 15m, 12h, 7d.") var olderThan: String
        @Flag(help: "Keep dead jobs (their errors) whatever their age.") var keepDead = false
        @Flag(help: "Say how many jobs of each stage and state would go; delete nothing.") var dryRun = false

        func validate() throws { _ = try Duration.seconds(olderThan) }

        func run() throws {
            let seconds = try Duration.seconds(olderThan)
            let states = keepDead ? ["succeeded", "cancelled"] : ["succeeded", "dead", "cancelled"]
            if dryRun {
                let counts = try QueueCommand.withDatabase(db) { try QueueAdmin.prunable($0, olderThan: seconds, states: states) }
                for c in counts { print("\(c.stage)\t\(c.state)\t\(c.count)") }
                print("would prune \(counts.reduce(0) { $0 + $1.count }) finished job(s) older than \(olderThan) (dry run: nothing deleted)")
                return
            }
            let n = try QueueCommand.withDatabase(db) { try QueueAdmin.prune($0, olderThan: seconds, states: states) }
            print("pruned \(n) finished job(s) older than \(olderThan)")
        }
    }

    struct Schedules: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The scheduled sources ([sources] with an interval): last tick enqueued and the next one.")
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "Print JSON.") var json = false

        struct Row: Codable { let schedule: String; let intervalSeconds: Double; let lastEnqueued: String?; let nextDue: String }

        func run() throws {
            let config = try db.loadConfig()
            let schedules = try config.schedules()
            let last = try QueueCommand.withDatabase(db) { try JobQueue.lastTicks($0) }
            let f = ISO8601DateFormatter()
            let rows = schedules.map { s in
                let nextTick = max(s.tick(at: Date()), (last[s.key]?.tick ?? Int64.min) + 1)
                return Row(schedule: s.key, intervalSeconds: s.interval, lastEnqueued: last[s.key]?.at,
                           nextDue: f.string(from: Date(timeIntervalSince1970: Double(nextTick) * s.interval)))
            }
            if json { try QueueCommand.printJSON(rows); return }
            if rows.isEmpty { print("no schedules: set `interval` under [sources] in the configuration (and list pages or indexes)"); return }
            for r in rows { print("\(r.schedule)  every \(Int(r.intervalSeconds)) s  last \(r.lastEnqueued ?? "never")  next \(r.nextDue)") }
        }
    }

    struct Workers: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every registered worker: host, pid, stage, heartbeat, jobs done; silent ones flagged.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Seconds without a heartbeat before a worker counts as silent.") var silentAfter: Double = 30
        @Flag(help: "Also list workers that stopped cleanly in the last hour.") var all = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let workers = try QueueCommand.withDatabase(db) { try QueueAdmin.workers($0, silentAfter: silentAfter) }
                .filter { all || $0.status != "stopped" }
            if json { try QueueCommand.printJSON(workers); return }
            print(OpsTable.workers(workers, width: Terminal.columns), terminator: "")
        }
    }

    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A live view of stats and workers, refreshed until Ctrl-C.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Seconds between refreshes.") var interval: Double = 2
        @Option(help: "Seconds without a heartbeat before a worker counts as silent.") var silentAfter: Double = 30
        @Option(help: "Stop after this many refreshes (0: never).") var count: Int = 0

        func run() throws {
            let (session, _) = try db.session()
            defer { session.close() }
            let conn = try session.connectReading()
            var n = 0
            while count == 0 || n < count {
                let stats = try QueueAdmin.stats(conn, stages: QueueCommand.stages, window: 60)
                let workers = try QueueAdmin.workers(conn, silentAfter: silentAfter).filter { $0.status != "stopped" }
                let now = ISO8601DateFormatter().string(from: Date())
                let width = Terminal.columns
                let title = "tideline queue watch · \(now) · every \(interval) s · Ctrl-C to stop"
                // Home the cursor and clear the screen, then draw the frame.
                print("\u{1B}[H\u{1B}[2J" + (width.map { Format.cut(title, columns: $0) } ?? title) + "\n")
                print(OpsTable.stats(stats, window: 60, width: width))
                print(OpsTable.workers(workers, width: width), terminator: "")
                fflush(nil)   // (every output stream: `stdout` is a C global Swift 6 will not touch)
                n += 1
                if count == 0 || n < count { Thread.sleep(forTimeInterval: interval) }
            }
        }
    }
}

/// `30s`, `15m`, `12h`, `7d`, `2w` → seconds.
enum Duration {
    static func seconds(_ s: String) throws -> Double {
        guard let v = Config.duration(s) else { throw ValidationError("\(s) is not a duration: write a number and s, m, h, d or w (7d)") }
        return v
    }
}
