import Foundation
import Queue
import Reports

/// Plain-text tables for the queue commands.
enum OpsTable {
    static func age(_ seconds: Double) -> String {
        if seconds < 90 { return String(format: "%.1f s", seconds) }
        if seconds < 5400 { return String(format: "%.0f min", seconds / 60) }
        if seconds < 172_800 { return String(format: "%.1f h", seconds / 3600) }
        return String(format: "%.1f d", seconds / 86400)
    }

    /// Short headings of the job states, for a narrow terminal.
    static let shortState: [String: String] = ["available": "avail", "running": "run", "succeeded": "done",
                                               "failed": "fail", "dead": "dead", "cancelled": "canc"]

    /// `width`: the terminal's columns (headings shorten, then the last column is cut); nil for
    /// a pipe or a file.
    static func stats(_ stats: [QueueAdmin.StageStats], window: Double, width: Int? = nil) -> String {
        let states = JobState.allCases.map(\.rawValue)
        var table = TextTable([("stage", "stage")] + states.map { ($0, shortState[$0] ?? $0) }
                              + [("oldest", "oldest"), ("per min (\(Int(window / 60)) min)", "/min")])
        for s in stats {
            // An empty stage has no oldest job: a dash, not "0.0 s".
            let oldest = (s.counts["available"] ?? 0) > 0 ? age(s.oldestAvailableSeconds) : "–"
            table.add([s.stage + (s.paused ? " ‖" : "")] + states.map { String(s.counts[$0] ?? 0) }
                      + [oldest, String(format: "%.1f", s.throughputPerMinute)])
        }
        var out = table.render(width: width)
        let dead = stats.reduce(0) { $0 + ($1.counts["dead"] ?? 0) }
        if dead > 0 { out += "\(dead) dead job(s): `tideline queue list --state dead`, then `tideline queue retry`\n" }
        if stats.contains(where: \.paused) { out += "‖ paused: `tideline queue resume STAGE`\n" }
        return out
    }

    /// `width`: the terminal's columns (the last column is cut to fit, counting wide characters
    /// as two); nil when the output is not a terminal (the whole text).
    static func jobs(_ jobs: [QueueAdmin.JobSummary], width: Int? = nil) -> String {
        var table = TextTable([("id", "id"), ("stage", "stage"), ("state", "state"), ("tries", "tries"), ("created", "created"),
                               ("payload / last error", "payload / error")])
        for j in jobs {
            table.add([String(j.id), j.stage, j.state, "\(j.attempts)/\(j.maxAttempts)", j.createdAt,
                       j.lastError.map { "\(j.payload)  ✗ \($0)" } ?? j.payload])
        }
        var out = table.render(width: width)
        if jobs.isEmpty { out += "(no jobs match)\n" }
        return out
    }

    static func detail(_ d: QueueAdmin.JobDetail) -> String {
        let j = d.job
        var lines = [
            "job \(j.id) · stage \(j.stage) · \(j.state) · attempt \(j.attempts) of \(j.maxAttempts) · priority \(d.priority)",
            "payload:   \(j.payload)",
        ]
        if let doc = d.document { lines.append("document:  \(doc)") }
        if let a = d.article { lines.append("article:   \(a)") }
        lines.append("created:   \(j.createdAt)")
        lines.append("run at:    \(j.runAt)")
        if let s = d.startedAt { lines.append("started:   \(s)") }
        if let h = d.heartbeatAt { lines.append("heartbeat: \(h)") }
        if let f = j.finishedAt { lines.append("finished:  \(f)") }
        if let w = d.lockedBy { lines.append("worker:    \(w)") }
        if let k = d.dedupeKey { lines.append("dedupe:    \(k)") }
        let errors = (try? JSONSerialization.jsonObject(with: Data(d.errors.utf8))) as? [[String: Any]] ?? []
        lines.append(errors.isEmpty ? "errors:    none" : "errors:")
        for e in errors {
            lines.append("  attempt \(e["attempt"] ?? "?") at \(e["at"] ?? "?"): \(e["error"] ?? "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func workers(_ workers: [QueueAdmin.WorkerRow], width: Int? = nil) -> String {
        var table = TextTable([("stage", "stage"), ("status", "status"), ("done / failed", "done/fail"), ("heartbeat", "beat"),
                               ("pid", "pid"), ("threads", "thr"), ("started", "started"), ("host", "host")])
        for w in workers {
            table.add([w.stage, w.status == "silent" ? "SILENT" : w.status, "\(w.jobsDone) / \(w.jobsFailed)",
                       age(w.secondsSinceHeartbeat) + " ago", String(w.pid), String(w.concurrency), w.startedAt, w.host])
        }
        var out = table.render(width: width)
        if workers.isEmpty { out += "(no running workers; `--all` adds those stopped in the last hour)\n" }
        if workers.contains(where: { $0.status == "silent" }) {
            out += "SILENT: no heartbeat lately and no clean stop; the process died or hangs. Its jobs are rescued after the lease.\n"
        }
        return out
    }
}
