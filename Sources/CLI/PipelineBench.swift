import ArgumentParser
import Foundation
import Postgres
import Queue
import Runtime
import Stages
import Store

/// `tideline bench pipeline --docs N`: the four stages over N distinct documents on a fresh
/// embedded PostgreSQL of its own, as `up` runs them. Prints documents/s overall and per stage,
/// CPU seconds per document of the workers and of PostgreSQL, and each worker's peak RSS.
struct PipelineBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pipeline",
        abstract: "The whole pipeline over N varied documents on a fresh database: throughput, CPU per document, memory.")
    @Option(help: "Documents in the corpus.") var docs: Int = 2_000
    @Option(help: "Folders with manifest.json whose text documents are varied into the corpus (default: seeds/, and ../shared/gold/dev/docs when present).")
    var source: [String] = []
    @Option(help: "Worker threads for every stage (default: each stage's stages.<stage>.concurrency).") var concurrency: Int?
    @Option(help: "Configuration file (default config/tideline.toml).") var config: String?
    @Option(help: "Give up after this many seconds.") var timeout: Double = 3_600
    @Option(help: "Folder for the corpus and the database (default: a temporary one, removed afterwards).") var workDir: String?

    func validate() throws {
        guard docs >= 1 else { throw ValidationError("--docs must be at least 1") }
        if let c = concurrency, c < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() throws {
        let folders = source.isEmpty ? ["seeds", "../shared/gold/dev/docs"].filter { FileManager.default.fileExists(atPath: $0 + "/manifest.json") } : source
        var bases: [(entry: ManifestEntry, text: String)] = []
        for folder in folders {
            for (entry, bytes) in try sourceDocuments(folder) {
                // Text and HTML only: their digits can be varied without breaking the format.
                guard let text = String(validating: bytes, as: UTF8.self) else { continue }
                bases.append((entry, text))
            }
        }
        guard !bases.isEmpty else { throw CLIError("no UTF-8 text documents in \(folders.joined(separator: ", "))") }

        let root = URL(fileURLWithPath: workDir ?? NSTemporaryDirectory() + "tideline-bench-\(getpid())")
        if workDir == nil { try? FileManager.default.removeItem(at: root) }
        let corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        var manifest: [ManifestEntry] = []
        var bytes = 0
        for i in 0..<docs {
            let (base, text) = bases[i % bases.count]
            let variant = i / bases.count
            var entry = base
            entry.file = String(format: "%06d_", i) + base.file
            entry.published = base.published.flatMap { CorpusVariant.shift(date: $0, days: variant) }
            let body = CorpusVariant.vary(text, variant: variant, serial: i)
            bytes += body.utf8.count
            try Data(body.utf8).write(to: corpus.appendingPathComponent(entry.file))
            manifest.append(entry)
        }
        try JSONEncoder().encode(manifest).write(to: corpus.appendingPathComponent("manifest.json"))
        note(String(format: "corpus: %d documents (%.1f MB) varied from %d in %@", docs, Double(bytes) / 1e6, bases.count, corpus.path))

        let cfg = try Config.load(path: config)
        let session = try DatabaseSession(explicit: nil, config: cfg, stateDir: root.appendingPathComponent("pg"), notice: note)
        defer {
            session.close()
            if workDir == nil { try? FileManager.default.removeItem(at: root) }
        }
        let conn = try session.connect()
        try Schema.migrate(conn)
        guard let postmaster = session.embedded?.postmasterPID else { throw CLIError("the benchmark's PostgreSQL did not start") }

        let jobs = try manifest.map { try FetchPayload(source: corpus.appendingPathComponent($0.file).path, metadata: $0.metadata).job() }
        let serverStart = ProcessUsage.serverCPUSeconds(postmaster: postmaster) ?? .nan
        let started = Date()
        try JobQueue.enqueue(conn, jobs)
        let fleet = try WorkerFleet(conninfo: session.conninfo, concurrency: concurrency, configPath: config, roots: [corpus.path],
                                    grace: cfg.workerOptions(stage: Stage.fetch.rawValue).shutdownDeadline + 5)
        session.beforeStop = { fleet.stop() }
        try fleet.waitUntilDrained(conn, session: session, timeout: timeout, started: started)
        let wall = Date().timeIntervalSince(started)
        // Read before the workers leave: their CPU and memory, and the server's with their backends.
        let workers = fleet.usage()
        let serverCPU = (ProcessUsage.serverCPUSeconds(postmaster: postmaster) ?? .nan) - serverStart
        fleet.stop()

        let stages = try conn.query("""
            SELECT stage, count(*) FILTER (WHERE state = 'succeeded')::int, count(*) FILTER (WHERE state = 'dead')::int,
                   extract(epoch FROM max(finished_at) - min(started_at))::float8,
                   coalesce(sum(extract(epoch FROM finished_at - started_at)), 0)::float8
              FROM jobs GROUP BY stage
            """).rows.map { r in
            (stage: try r.decode(String.self, 0), done: try r.decode(Int.self, 1), dead: try r.decode(Int.self, 2),
             span: try r.decodeOptional(Double.self, 3) ?? 0, busy: try r.decode(Double.self, 4))
        }
        let workerCPU = workers.map(\.cpuSeconds).reduce(0, +)
        print(String(format: "pipeline: %d documents in %.1f s wall = %.1f documents/s", docs, wall, Double(docs) / wall))
        print(String(format: "  CPU per document: workers %.2f ms, PostgreSQL %.2f ms (totals %.1f s and %.1f s)",
                     workerCPU / Double(docs) * 1000, serverCPU / Double(docs) * 1000, workerCPU, serverCPU))
        for stage in Stage.allCases {
            guard let s = stages.first(where: { $0.stage == stage.rawValue }) else { continue }
            let w = workers.first { $0.name == "tideline-" + stage.rawValue }
            print(String(format: "  %-9@ %6d jobs (%d dead) over %6.1f s = %7.1f jobs/s; worker CPU %6.1f s, peak RSS %5.0f MB",
                         stage.rawValue, s.done, s.dead, s.span, s.span > 0 ? Double(s.done) / s.span : 0,
                         w?.cpuSeconds ?? .nan, w?.peakRSSMB ?? .nan))
        }
        let rows = try conn.query("SELECT (SELECT count(*) FROM indicators)::int, (SELECT count(*) FROM milestones)::int").first!
        print("  reporting rows: \(try rows.decode(Int.self, 0)) indicators, \(try rows.decode(Int.self, 1)) milestones")
    }
}

/// Distinct documents made from a real one, for the pipeline benchmark: the last digit of each
/// figure changed, the publication date shifted, a numbered line appended. Dates in the text
/// (digits before 年/月/日/号) are kept, so periods still parse.
enum CorpusVariant {
    static func vary(_ text: String, variant: Int, serial: Int) -> String {
        guard variant > 0 else { return text + "\n（样本 \(serial)）\n" }
        var scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            guard ("0"..."9").contains(scalars[i]) else { i += 1; continue }
            var j = i
            while j < scalars.count, ("0"..."9").contains(scalars[j]) { j += 1 }
            let next = j < scalars.count ? scalars[j] : " "
            if !"年月日号".unicodeScalars.contains(next) {
                let d = Int(scalars[j - 1].value) - 48
                scalars[j - 1] = Unicode.Scalar(UInt8(48 + (d + variant) % 10))
            }
            i = j
        }
        return String(String.UnicodeScalarView(scalars)) + "\n（样本 \(serial)）\n"
    }

    /// YYYY-MM-DD plus `days`, or the date unchanged when it is not one.
    static func shift(date: String, days: Int) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        guard days > 0, let d = f.date(from: date) else { return date }
        return f.string(from: d.addingTimeInterval(Double(days) * 86_400))
    }
}
