import ArgumentParser
import Foundation
import Logging
import Postgres
import Queue
import Runtime
import Store
import TextCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks (not tests): queue throughput and latency.",
                                                    subcommands: [QueueBench.self, CleanBench.self, ExtractBench.self, PipelineBench.self])
}

/// `tideline bench queue`: enqueue N no-op jobs, drain them with W worker threads claiming B at a
/// time (each batch handed off in one transaction), then measure enqueue-to-start latency on an
/// idle queue woken by NOTIFY.
struct QueueBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "No-op jobs/s and enqueue-to-start latency.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "No-op jobs to drain.") var jobs: Int = 100_000
    @Option(help: "Worker threads (each with its own connection).") var workers: Int = 2
    @Option(help: "Jobs per claim and per hand-off transaction.") var batch: Int = 500
    @Option(help: "Single jobs enqueued one at a time for the latency run.") var samples: Int = 500

    struct NoOp: StageHandler {
        let stage = "bench"
        func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob] { [] }
    }

    func run() throws {
        LogSetup.bootstrap(format: .text, level: .warning)
        let (session, _) = try db.session()
        defer { session.close() }
        let conn = try session.connect()
        try Schema.migrate(conn)
        try conn.execute("DELETE FROM jobs WHERE stage = 'bench'")
        // Start from a table without the dead rows of earlier runs, so runs compare.
        try conn.execute("VACUUM (ANALYZE) jobs")
        let logger = Logger(label: "bench")

        // Throughput: a backlog of N jobs drained by W threads.
        let t0 = Date()
        var left = jobs
        while left > 0 {
            let n = min(left, 10_000)
            try JobQueue.enqueue(conn, [NewJob](repeating: NewJob(stage: "bench"), count: n))
            left -= n
        }
        let enqueueSeconds = Date().timeIntervalSince(t0)
        var options = WorkerOptions()
        options.concurrency = workers
        options.batchSize = batch
        options.once = true
        let t1 = Date()
        try Worker(conninfo: session.conninfo, handler: NoOp(), options: options, logger: logger).run()
        let drainSeconds = Date().timeIntervalSince(t1)
        let done = try conn.query("SELECT count(*) FROM jobs WHERE stage = 'bench' AND state = 'succeeded'").first!.decode(Int.self, 0)
        guard done == jobs else { throw CLIError("only \(done) of \(jobs) bench jobs succeeded") }
        print(String(format: "enqueue: %d jobs in %.2f s (%.0f jobs/s, statements of 10000)", jobs, enqueueSeconds, Double(jobs) / enqueueSeconds))
        print(String(format: "drain:   %d jobs in %.2f s = %.0f jobs/s (workers=%d, batch=%d, one hand-off transaction per batch)",
                     jobs, drainSeconds, Double(jobs) / drainSeconds, workers, batch))

        // Latency: an idle worker, jobs enqueued one at a time; enqueue-to-start from the job rows.
        try conn.execute("DELETE FROM jobs WHERE stage = 'bench'")
        options.once = false
        options.batchSize = 1
        let worker = Worker(conninfo: session.conninfo, handler: NoOp(), options: options, logger: logger)
        let thread = Thread { try? worker.run() }
        thread.start()
        Thread.sleep(forTimeInterval: 0.5)
        for _ in 0..<samples {
            try JobQueue.enqueue(conn, [NewJob(stage: "bench")])
            Thread.sleep(forTimeInterval: 0.01)
        }
        var waited = 0.0
        while try conn.query("SELECT count(*) FROM jobs WHERE stage = 'bench' AND state <> 'succeeded'").first!.decode(Int.self, 0) > 0 && waited < 30 {
            Thread.sleep(forTimeInterval: 0.1); waited += 0.1
        }
        worker.stop()
        while !Thread.current.isCancelled && thread.isExecuting { Thread.sleep(forTimeInterval: 0.05) }
        let p = try conn.query("""
            SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at) * 1000)
              FROM jobs WHERE stage = 'bench' AND state = 'succeeded'
            """).first!.decode(String.self, 0)
        let values = p.trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: ",").compactMap { Double($0) }
        if values.count == 3 {
            print(String(format: "latency: enqueue-to-start on an idle queue over %d jobs: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms (LISTEN/NOTIFY wake-up)",
                         samples, values[0], values[1], values[2]))
        }
        try conn.execute("DELETE FROM jobs WHERE stage = 'bench'")
    }
}

/// `tideline bench clean`: the clean core over the seed documents repeated to at least `--megabytes`,
/// one thread (so the figure is per core), as plain text and as HTML pages built around them.
struct CleanBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clean", abstract: "Clean-core throughput in MB/s per core.")
    @Option(help: "Folder with manifest.json and the documents.") var source: String = "seeds"
    @Option(help: "Megabytes of input to clean per format.") var megabytes: Double = 50
    @Option(help: "Formats to measure: plain, html or both.") var format: String = "both"

    func validate() throws {
        guard ["plain", "html", "both"].contains(format) else { throw ValidationError("--format is plain, html or both") }
    }

    func run() throws {
        let docs = try sourceDocuments(source).map(\.bytes)
        let html = docs.map { doc -> [UInt8] in
            let paragraphs = String(decoding: doc, as: UTF8.self).split(separator: "\n").map { "<p>\($0)</p>" }.joined(separator: "\n")
            return Array(("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>新闻</title><script>var a=1;</script></head><body>"
                + "<div class=\"nav\">首页 | 新闻 | 政务</div><div>当前位置：首页 > 新闻</div><h1>标题</h1><div>发布时间：2024-01-04</div>"
                + paragraphs + "<div class=\"footer\">版权所有 联系电话：0580-1234567</div></body></html>").utf8)
        }
        for (name, inputs, type) in [("plain text", docs, "text/plain"), ("HTML", html, "text/html")]
            where format == "both" || (format == "plain") == (type == "text/plain") {
            let target = Int(megabytes * 1_000_000)
            var bytes = 0, articles = 0
            let start = Date()
            while bytes < target {
                for d in inputs {
                    let out = try Cleaner.clean(.init(bytes: d, contentType: type, published: "2024-01-01", url: nil, sourceID: "bench"))
                    bytes += d.count
                    articles += out.articles.count
                }
            }
            let seconds = Date().timeIntervalSince(start)
            print(String(format: "clean %@: %.1f MB in %.2f s = %.1f MB/s per core (%d articles)", name, Double(bytes) / 1e6, seconds,
                         Double(bytes) / 1e6 / seconds, articles))
        }
    }
}

/// `tideline bench extract`: the extractor over the seeds' clean articles repeated to at least
/// `--megabytes` of article text, one thread, no database.
struct ExtractBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Extractor throughput in MB/s per core.")
    @Option(help: "Folder with manifest.json and the documents.") var source: String = "seeds"
    @Option(help: "Megabytes of article text to extract from.") var megabytes: Double = 50
    @Option(help: "Folder holding the lexicons.") var lexiconDir: String = "config"
    @Option(help: "Instead of --source: one sentence of N figures (全市新增项目，增长1个，增长1个…), issue 19's hostile input.")
    var adversarial: Int?

    func run() throws {
        let loadStart = Date()
        let extractor = Extractor(lexicon: try Lexicon.load(lexiconDir: URL(fileURLWithPath: lexiconDir)))
        note(String(format: "lexicons loaded in %.2f s", Date().timeIntervalSince(loadStart)))
        var articles: [ArticleText] = []
        if let n = adversarial {
            articles = [ArticleText(text: "全市新增项目" + String(repeating: "，增长1个", count: n) + "。", published: "2025-06-10", homeRegion: "舟山市")]
        } else {
            for (e, bytes) in try sourceDocuments(source) {
                for a in try Cleaner.clean(.init(bytes: bytes, contentType: nil, published: e.published, url: nil, sourceID: e.file)).articles {
                    articles.append(ArticleText(text: a.text, headline: a.headline, published: a.published, homeRegion: e.homeRegion))
                }
            }
        }
        let target = Int(megabytes * 1_000_000)
        var bytes = 0, indicators = 0, milestones = 0
        let cpuStart = cpuSeconds()
        let start = Date()
        while bytes < target {
            for a in articles {
                let out = extractor.extract(a)
                bytes += a.text.utf8.count
                indicators += out.indicators.count
                milestones += out.milestones.count
            }
        }
        let seconds = Date().timeIntervalSince(start), cpu = cpuSeconds() - cpuStart
        print(String(format: "extract: %.1f MB of article text in %.2f s wall, %.2f CPU s = %.1f MB per CPU-second (%d indicators, %d milestones)",
                     Double(bytes) / 1e6, seconds, cpu, Double(bytes) / 1e6 / cpu, indicators, milestones))
    }
}

/// The documents a manifest folder lists, with their bytes: the benchmarks' input.
func sourceDocuments(_ source: String) throws -> [(entry: ManifestEntry, bytes: [UInt8])] {
    let folder = URL(fileURLWithPath: source)
    return try ManifestEntry.load(folder: folder).map { ($0, [UInt8](try Data(contentsOf: folder.appendingPathComponent($0.file)))) }
}

/// User plus system CPU time of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
