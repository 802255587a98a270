import Foundation
import Postgres

/// The queue's metrics, read from the database, so one endpoint covers every worker on every
/// machine. Counters and the duration histogram count the jobs the table holds plus what pruning
/// rolled up into `job_totals` before deleting, so they never go down.
public struct MetricsSnapshot: Sendable, Equatable {
    public var jobs: [(stage: String, state: String, count: Int)]
    public var oldestAvailable: [(stage: String, seconds: Double)]
    public var processed: [(stage: String, count: Int)]
    public var failures: [(stage: String, count: Int)]
    public var durations: [(stage: String, buckets: [Int], sum: Double, count: Int)]
    public var workers: [(stage: String, status: String, count: Int)]
    public var paused: [(stage: String, paused: Bool)]

    public static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    public static func == (a: MetricsSnapshot, b: MetricsSnapshot) -> Bool {
        PrometheusText.render(a) == PrometheusText.render(b)
    }
}

extension QueueAdmin {
    public static func metrics(_ db: Connection, stages: [String], silentAfter: Double) throws -> MetricsSnapshot {
        let stats = try self.stats(db, stages: stages)
        var snap = MetricsSnapshot(jobs: [], oldestAvailable: [], processed: [], failures: [], durations: [], workers: [], paused: [])
        let states = JobState.allCases.map(\.rawValue)
        for s in stats {
            for state in states { snap.jobs.append((s.stage, state, s.counts[state] ?? 0)) }
            snap.oldestAvailable.append((s.stage, s.oldestAvailableSeconds))
            snap.processed.append((s.stage, s.counts["succeeded"] ?? 0))
            snap.paused.append((s.stage, s.paused))
        }
        // What pruning rolled up: added to what the table still holds.
        var totals: [String: (succeeded: Int, failures: Int, sum: Double, count: Int, buckets: [Int])] = [:]
        for r in try db.query("SELECT stage, succeeded, failures, duration_sum, duration_count, buckets::text FROM job_totals").rows {
            let buckets = try r.decode(String.self, 5).trimmingCharacters(in: CharacterSet(charactersIn: "{}"))
                .split(separator: ",").compactMap { Int($0) }
            totals[try r.decode(String.self, 0)] = (try r.decode(Int.self, 1), try r.decode(Int.self, 2), try r.decode(Double.self, 3),
                                                   try r.decode(Int.self, 4), buckets)
        }
        snap.processed = snap.processed.map { ($0.stage, $0.count + (totals[$0.stage]?.succeeded ?? 0)) }
        let failures = try db.query("""
            SELECT stage, coalesce(sum(jsonb_array_length(errors)), 0)::int FROM jobs GROUP BY stage
            """).rows.map { (try $0.decode(String.self, 0), try $0.decode(Int.self, 1)) }
        snap.failures = stats.map { s in (s.stage, (failures.first { $0.0 == s.stage }?.1 ?? 0) + (totals[s.stage]?.failures ?? 0)) }
        // Per stage and bucket index (width_bucket: i thresholds at or below the duration), then
        // made cumulative here.
        let rows = try db.query("""
            SELECT stage, width_bucket(d, $1::float8[]), count(*)::int, sum(d)::float8
              FROM (SELECT stage, extract(epoch FROM finished_at - started_at)::float8 AS d FROM jobs
                     WHERE state = 'succeeded' AND started_at IS NOT NULL AND finished_at IS NOT NULL) t
             GROUP BY 1, 2
            """, [PostgresArray(MetricsSnapshot.buckets)]).rows
        var perStage: [String: (counts: [Int], sum: Double, count: Int)] = [:]
        let n = MetricsSnapshot.buckets.count
        for (stage, t) in totals where t.count > 0 {
            var e = ([Int](repeating: 0, count: n), t.sum, t.count)
            for (index, c) in t.buckets.enumerated() where index < n { for k in index..<n { e.0[k] += c } }
            perStage[stage] = e
        }
        for r in rows {
            let stage = try r.decode(String.self, 0), index = try r.decode(Int.self, 1), c = try r.decode(Int.self, 2)
            var e = perStage[stage] ?? ([Int](repeating: 0, count: n), 0, 0)
            // Index i: below thresholds[i] (0-based), so it counts in every bucket from i on.
            for k in index..<n { e.counts[k] += c }
            e.sum += try r.decode(Double.self, 3); e.count += c
            perStage[stage] = e
        }
        for (stage, e) in perStage { snap.durations.append((stage, e.counts, e.sum, e.count)) }
        snap.durations.sort { $0.stage < $1.stage }
        var workerCounts: [String: [String: Int]] = [:]
        for w in try workers(db, silentAfter: silentAfter) where w.status != "stopped" {
            workerCounts[w.stage, default: [:]][w.status, default: 0] += 1
        }
        for s in stats.map(\.stage) {
            for status in ["running", "silent"] { snap.workers.append((s, status, workerCounts[s]?[status] ?? 0)) }
        }
        return snap
    }
}

/// Prometheus' text exposition format (version 0.0.4).
public enum PrometheusText {
    /// Whether this scrape could read the queue, and which release answers: a database outage is
    /// a series (`tideline_up 0`, alertable), not a failed scrape that looks like a dead exporter.
    public static func status(up: Bool, release: String, swift: String, error: String? = nil) -> String {
        var out = "# HELP tideline_up Whether this scrape read the queue from PostgreSQL (1) or could not (0).\n# TYPE tideline_up gauge\n"
        if let error { out += "# tideline_up 0: \(error.split(whereSeparator: \.isNewline).joined(separator: " "))\n" }
        out += "tideline_up \(up ? 1 : 0)\n"
        out += "# HELP tideline_build_info The release serving these metrics.\n# TYPE tideline_build_info gauge\n"
        out += "tideline_build_info{version=\"\(esc(release))\",swift=\"\(esc(swift))\"} 1\n"
        return out
    }

    public static func render(_ m: MetricsSnapshot) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("tideline_jobs", "gauge", "Jobs in the queue by stage and state.")
        for j in m.jobs { out += "tideline_jobs{stage=\"\(esc(j.stage))\",state=\"\(esc(j.state))\"} \(j.count)\n" }
        family("tideline_oldest_available_job_age_seconds", "gauge", "Age of the oldest job waiting to be claimed.")
        for o in m.oldestAvailable { out += "tideline_oldest_available_job_age_seconds{stage=\"\(esc(o.stage))\"} \(num(o.seconds))\n" }
        family("tideline_jobs_processed_total", "counter", "Jobs that succeeded (pruned ones included).")
        for p in m.processed { out += "tideline_jobs_processed_total{stage=\"\(esc(p.stage))\"} \(p.count)\n" }
        family("tideline_job_failures_total", "counter", "Failed attempts, retried or dead (among the jobs the table holds).")
        for f in m.failures { out += "tideline_job_failures_total{stage=\"\(esc(f.stage))\"} \(f.count)\n" }
        family("tideline_job_duration_seconds", "histogram", "Claim to completion of succeeded jobs.")
        for d in m.durations {
            for (i, b) in MetricsSnapshot.buckets.enumerated() where i < d.buckets.count {
                out += "tideline_job_duration_seconds_bucket{stage=\"\(esc(d.stage))\",le=\"\(num(b))\"} \(d.buckets[i])\n"
            }
            out += "tideline_job_duration_seconds_bucket{stage=\"\(esc(d.stage))\",le=\"+Inf\"} \(d.count)\n"
            out += "tideline_job_duration_seconds_sum{stage=\"\(esc(d.stage))\"} \(num(d.sum))\n"
            out += "tideline_job_duration_seconds_count{stage=\"\(esc(d.stage))\"} \(d.count)\n"
        }
        family("tideline_workers", "gauge", "Registered workers by stage: running, or silent (no recent heartbeat).")
        for w in m.workers { out += "tideline_workers{stage=\"\(esc(w.stage))\",status=\"\(w.status)\"} \(w.count)\n" }
        family("tideline_stage_paused", "gauge", "1 when the stage is paused.")
        for p in m.paused { out += "tideline_stage_paused{stage=\"\(esc(p.stage))\"} \(p.paused ? 1 : 0)\n" }
        return out
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func num(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
