import Foundation
import Postgres
import Queue
import Runtime

/// The four stage workers run as child processes of a command (`up`, `bench pipeline`): started
/// together, watched until the queue drains, stopped within their deadline (then killed), and
/// read for what they used.
final class WorkerFleet: @unchecked Sendable {   // `processes` is fixed at init; Process is thread-safe
    let processes: [Process]
    private let grace: Double

    /// Starts one process per stage. Without `concurrency` each worker takes its stage's
    /// setting from the configuration.
    init(conninfo: String, concurrency: Int?, configPath: String?, roots: [String], grace: Double, logLevel: String = "warning") throws {
        let workers = try WorkerLocator.locate(log: note)
        var env = ProcessInfo.processInfo.environment
        // The workers stop when their parent dies, however it dies.
        env[WorkerMain.parentPIDVariable] = String(getpid())
        var started: [Process] = []
        for name in WorkerLocator.names {
            let p = Process()
            p.executableURL = workers[name]
            p.arguments = ["--database-url", conninfo, "--poll-interval", "0.25", "--log-level", logLevel]
                + (concurrency.map { ["--concurrency", String($0)] } ?? []) + (configPath.map { ["--config", $0] } ?? [])
                + roots.flatMap { ["--fetch-root", $0] }
            p.environment = env
            try p.run()
            started.append(p)
        }
        processes = started
        self.grace = grace
    }

    /// SIGTERM: each worker finishes its jobs in hand within its shutdown deadline; one that has
    /// not stopped by then (and a grace period) is killed, so the command always ends.
    func stop() {
        for p in processes where p.isRunning { p.terminate() }
        let deadline = Date().addingTimeInterval(grace)
        while processes.contains(where: \.isRunning), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        for p in processes where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        for p in processes { p.waitUntilExit() }
    }

    /// Waits until no job is available or running (twice in a row, so a hand-off in flight is
    /// seen). Throws when a worker exits or the timeout passes; the fleet is then stopped.
    func waitUntilDrained(_ conn: Connection, session: DatabaseSession, timeout: Double, started: Date = Date(),
                          progressSince: String? = nil) throws {
        var idle = 0
        var pause = 0.2
        // Progress on stderr: a live line on a terminal, a line every 10 s otherwise.
        let live = isatty(STDERR_FILENO) == 1
        var lastProgress = Date()
        defer { if live, progressSince != nil { FileHandle.standardError.write(Data("\n".utf8)) } }
        while idle < 2 {
            Thread.sleep(forTimeInterval: pause)
            if let since = progressSince, Date().timeIntervalSince(lastProgress) >= (live ? 0.5 : 10) {
                let line = try progress(conn, since: since, elapsed: Date().timeIntervalSince(started))
                FileHandle.standardError.write(Data((live ? "\r\u{1B}[K" + line : line + "\n").utf8))
                lastProgress = Date()
            }
            // (Workers leaving because a signal stops the run are not failures.)
            session.parkWhileStopping()
            if let dead = processes.first(where: { !$0.isRunning }) {
                stop()
                throw CLIError("\(dead.executableURL?.lastPathComponent ?? "a worker") exited with status \(dead.terminationStatus); see its messages above")
            }
            // Whether any job is available or running: one probe of each partial index, not a count
            // (counting a backlog of thousands five times a second was PostgreSQL's own work).
            let probeStarted = Date()
            let busy = try conn.query("""
                SELECT EXISTS (SELECT 1 FROM jobs WHERE state = 'available') OR EXISTS (SELECT 1 FROM jobs WHERE state = 'running')
                """).first!.decode(Bool.self, 0)
            idle = busy ? 0 : idle + 1
            // A probe walks the index entries of finished jobs until vacuum removes them: 1 ms at
            // 2,000 documents, 12 ms at 20,000 (pg_stat_statements). While jobs remain, waiting 50
            // times as long as the last probe took keeps the watching under 2% of a core (between
            // 0.2 and 1 s, so the end is seen within a second); an idle queue is confirmed at once.
            pause = busy ? min(1, max(0.2, 50 * Date().timeIntervalSince(probeStarted))) : 0.2
            if Date().timeIntervalSince(started) > timeout {
                stop()
                throw CLIError("the queue did not drain within \(Int(timeout)) s; see `tideline queue stats` for what is pending")
            }
        }
    }

    /// `fetch 5/5 · clean 3/5 · extract 1/9 · aggregate 0/9 · 12 s`: jobs of this run done of queued.
    private func progress(_ conn: Connection, since: String, elapsed: Double) throws -> String {
        let counts = try conn.query("""
            SELECT stage, count(*) FILTER (WHERE state IN ('succeeded', 'dead', 'cancelled'))::int, count(*)::int,
                   count(*) FILTER (WHERE state = 'dead')::int
              FROM jobs WHERE created_at >= $1::timestamptz GROUP BY stage
            """, [since]).rows.map { (try $0.decode(String.self, 0), try $0.decode(Int.self, 1), try $0.decode(Int.self, 2), try $0.decode(Int.self, 3)) }
        let parts = Stage.allCases.compactMap { stage -> String? in
            guard let c = counts.first(where: { $0.0 == stage.rawValue }) else { return nil }
            return "\(stage.rawValue) \(c.1)/\(c.2)" + (c.3 > 0 ? " (\(c.3) dead)" : "")
        }
        return (parts + [String(format: "%.0f s", elapsed)]).joined(separator: " · ")
    }

    /// CPU seconds and peak resident memory of each running worker, from /proc (Linux).
    func usage() -> [(name: String, cpuSeconds: Double, peakRSSMB: Double)] {
        processes.map { p in
            let name = p.executableURL?.lastPathComponent ?? "?"
            return (name, ProcessUsage.cpuSeconds(pid: p.processIdentifier) ?? .nan, ProcessUsage.peakRSSMB(pid: p.processIdentifier) ?? .nan)
        }
    }
}

/// What a process used, read from /proc: the benchmarks' CPU accounting for workers and for
/// PostgreSQL (whose exited backends are counted in the postmaster's children times).
enum ProcessUsage {
    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// utime + stime (+ cutime + cstime with `children`) of a live process.
    static func cpuSeconds(pid: Int32, children: Bool = false) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3; utime, stime, cutime, cstime are 14–17.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 15 else { return nil }
        let own = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        let reaped = children ? (Double(fields[13]) ?? 0) + (Double(fields[14]) ?? 0) : 0
        return (own + reaped) / ticksPerSecond
    }

    static func peakRSSMB(pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kb / 1024
    }

    /// A process's children (their pids), from /proc.
    static func children(of pid: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap(Int32.init).filter { child in
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid
        }
    }

    /// CPU seconds of a server so far: the postmaster, its exited children and its live ones.
    static func serverCPUSeconds(postmaster pid: Int32) -> Double? {
        guard let main = cpuSeconds(pid: pid, children: true) else { return nil }
        return main + children(of: pid).compactMap { cpuSeconds(pid: $0) }.reduce(0, +)
    }
}
