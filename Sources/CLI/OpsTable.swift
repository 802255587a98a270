import Foundation
import Queue
import Reports

/// Plain-text tables for the queue commands.
enum OpsTable {
    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s.padding(toLength: n, withPad: " ", startingAt: 0) }

    static func age(_ seconds: Double) -> String {
        if seconds < 90 { return String(format: "%.1f s", seconds) }
        if seconds < 5400 { return String(format: "%.0f min", seconds / 60) }
        if seconds < 172_800 { return String(format: "%.1f h", seconds / 3600) }
        return String(format: "%.1f d", seconds / 86400)
    }

    static func stats(_ stats: [QueueAdmin.StageStats], window: Double) -> String {
        let states = JobState.allCases.map(\.rawValue)
        var out = pad("stage", 11) + states.map { pad($0, 11) }.joined() + pad("oldest", 10) + "per min (\(Int(window / 60)) min)\n"
        for s in stats {
            out += pad(s.stage + (s.paused ? " ‖" : ""), 11) + states.map { pad(String(s.counts[$0] ?? 0), 11) }.joined()
            out += pad(age(s.oldestAvailableSeconds), 10) + String(format: "%.1f", s.throughputPerMinute) + "\n"
        }
        let dead = stats.reduce(0) { $0 + ($1.counts["dead"] ?? 0) }
        if dead > 0 { out += "\(dead) dead job(s): `tideline queue list --state dead`, then `tideline queue retry`\n" }
        if stats.contains(where: \.paused) { out += "‖ paused: `tideline queue resume STAGE`\n" }
        return out
    }

    /// `width`: the terminal's columns (the last column is cut to fit, counting wide characters
    /// as two); nil when the output is not a terminal (the whole text).
    static func jobs(_ jobs: [QueueAdmin.JobSummary], width: Int? = nil) -> String {
        var out = pad("id", 9) + pad("stage", 10) + pad("state", 10) + pad("tries", 6) + pad("created", 25) + "payload / last error\n"
        for j in jobs {
            let detail = j.lastError.map { "\(j.payload)  ✗ \($0)" } ?? j.payload
            out += pad(String(j.id), 9) + pad(j.stage, 10) + pad(j.state, 10) + pad("\(j.attempts)/\(j.maxAttempts)", 6)
                + pad(j.createdAt, 25) + (width.map { Format.cut(detail, columns: max(20, $0 - 60)) } ?? detail) + "\n"
        }
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

    static func workers(_ workers: [QueueAdmin.WorkerRow]) -> String {
        var out = pad("stage", 10) + pad("status", 9) + pad("host", 16) + pad("pid", 8) + pad("threads", 8) + pad("started", 25)
            + pad("heartbeat", 11) + "done / failed\n"
        for w in workers {
            out += pad(w.stage, 10) + pad(w.status == "silent" ? "SILENT" : w.status, 9) + pad(w.host, 16) + pad(String(w.pid), 8)
                + pad(String(w.concurrency), 8) + pad(w.startedAt, 25) + pad(age(w.secondsSinceHeartbeat) + " ago", 11)
                + "\(w.jobsDone) / \(w.jobsFailed)\n"
        }
        if workers.isEmpty { out += "(no running workers; `--all` adds those stopped in the last hour)\n" }
        if workers.contains(where: { $0.status == "silent" }) {
            out += "SILENT: no heartbeat lately and no clean stop; the process died or hangs. Its jobs are rescued after the lease.\n"
        }
        return out
    }
}
