import ArgumentParser
import Foundation
import Queue
import Runtime
import Stages
import Store

struct Enqueue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enqueue work: `enqueue fetch PATH|URL…` adds documents (files, web pages, feeds, PDFs) to the pipeline.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "fetch (then the sources), or `sources` for every source in config/tideline.toml's [sources].") var stage: String
    @Argument(help: "Files or http(s) URLs to fetch. A feed (RSS, Atom) is recognised and its articles fetched.") var sources: [String] = []
    @Option(help: "Publication date (YYYY-MM-DD) of the documents.") var published: String?
    @Option(help: "Home region (全市/我市 resolve to it).") var homeRegion: String?
    @Option(help: "Source name (the paper or site).") var sourceName: String?
    @Flag(help: "The URLs are index pages (an e-paper issue, a news column): fetch every article they link to.") var index = false
    @Option(help: "With --index: only links whose path starts with this (e.g. /col/col1229/).") var linkPrefix: String?

    func validate() throws {
        if stage == "sources" {
            guard sources.isEmpty else { throw ValidationError("`enqueue sources` takes no arguments: it reads [sources] in the configuration") }
            return
        }
        guard stage == Stage.fetch.rawValue else { throw ValidationError("only fetch jobs are enqueued by hand; later stages are enqueued by the pipeline") }
        guard !sources.isEmpty else { throw ValidationError("name at least one file or URL to fetch") }
        if index, let s = sources.first(where: { !$0.lowercased().hasPrefix("http") }) {
            throw ValidationError("--index takes http(s) URLs; \(s) is not one")
        }
        if linkPrefix != nil && !index { throw ValidationError("--link-prefix goes with --index") }
        if let problem = Intake.problem(with: DocumentMetadata(published: published, source: sourceName, homeRegion: homeRegion)) {
            throw ValidationError(problem)
        }
    }

    func run() throws {
        let (session, config) = try db.session()
        defer { session.close() }
        let conn = try session.connect()
        try Schema.migrate(conn)
        var meta = DocumentMetadata(published: published, source: sourceName, homeRegion: homeRegion)
        var jobs: [NewJob]
        var refused: [Intake.Refused] = []
        if stage == "sources" {
            meta.homeRegion = meta.homeRegion ?? config.sourceHomeRegion
            jobs = try config.sourcePages.map { try Self.fetchJob($0, meta) } + config.sourceIndexes.map { try Self.fetchJob($0, meta, kind: "index") }
            if jobs.isEmpty { throw CLIError("no sources configured: add pages or indexes under [sources] in config/tideline.toml") }
        } else {
            // Each source is checked here, in the caller's folder; a bad one is reported and the rest go in.
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            var accepted: [String] = []
            for source in sources {
                switch Intake.source(source, roots: config.fileRoots, cwd: cwd) {
                case .success(let s): accepted.append(s)
                case .failure(let why): refused.append(why)
                }
            }
            jobs = try accepted.map { try Self.fetchJob($0, meta, kind: index ? "index" : nil, linkPrefix: linkPrefix) }
        }
        let ids = try JobQueue.enqueue(conn, config.attempting(jobs))
        print("enqueued \(ids.count) fetch job(s)\(ids.count < jobs.count ? " (\(jobs.count - ids.count) already queued)" : "")")
        for r in refused { note("refused \(r)") }
        if !refused.isEmpty { throw ExitCode(1) }
    }

    static func fetchJob(_ source: String, _ meta: DocumentMetadata, kind: String? = nil, linkPrefix: String? = nil) throws -> NewJob {
        try FetchPayload(source: source, metadata: meta, kind: kind, linkPrefix: linkPrefix).job()
    }
}
