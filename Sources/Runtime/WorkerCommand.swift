import CProcessShims
import ArgumentParser
import Foundation
import Logging
import Postgres
import Queue
import Stages
import Store

/// The options every worker executable takes.
public struct WorkerFlags: ParsableArguments {
    @Option(help: "PostgreSQL URL or libpq conninfo (default: DATABASE_URL, then the PG* variables).")
    public var databaseURL: String?
    @Option(help: "Worker threads, each claiming and handing off on its own connection.")
    public var concurrency: Int?
    @Option(help: "Jobs per claim and per hand-off transaction.")
    public var batchSize: Int?
    @Flag(help: "Drain the stage's available jobs, then exit.")
    public var once = false
    @Option(help: "Configuration file.")
    public var config: String?
    @Option(name: .customLong("fetch-root"),
            help: "A folder file sources may be read from (repeatable); replaces fetch.roots. Relative to the working directory.")
    public var fetchRoots: [String] = []
    @Option(help: "Seconds without a heartbeat before a running job is rescued.")
    public var lease: Double?
    @Option(help: "Seconds between polls when no NOTIFY arrives.")
    public var pollInterval: Double?
    @Option(help: "Log format: text or json.")
    public var logFormat: String = "text"
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    public var logLevel: String = "info"

    public init() {}

    public func validate() throws {
        if let c = concurrency, c < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let b = batchSize, b < 1 { throw ValidationError("--batch-size must be at least 1") }
        guard LogFormat(rawValue: logFormat) != nil else { throw ValidationError("--log-format must be text or json") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level \(logLevel) is not a level") }
    }
}

/// The whole life of a worker process: config, logging, migrations, signals, the run loop.
/// Each `tideline-<stage>` main is one call to this.
public enum WorkerMain {
    public static func run(stage: Stage) -> Never {
        let flags: WorkerFlags
        do { flags = try WorkerFlags.parse(Array(CommandLine.arguments.dropFirst())) } catch {
            WorkerFlags.exit(withError: error)
        }
        LogSetup.bootstrap(format: LogFormat(rawValue: flags.logFormat) ?? .text,
                           level: Logger.Level(rawValue: flags.logLevel) ?? .info)
        let logger = Logger(label: "tideline-\(stage.rawValue)")
        exitWithParent(logger: logger)
        do {
            var config = try Config.load(path: flags.config)
            if !flags.fetchRoots.isEmpty { config.fileRoots = flags.fetchRoots.map { URL(fileURLWithPath: $0).standardizedFileURL } }
            var options = config.workerOptions(stage: stage.rawValue)
            if let c = flags.concurrency { options.concurrency = c }
            if let b = flags.batchSize { options.batchSize = b }
            if let l = flags.lease { options.lease = l }
            if let p = flags.pollInterval { options.pollInterval = p }
            options.once = flags.once
            options.schedules = try config.schedules()
            let conninfo = flags.databaseURL ?? config.databaseURL ?? ""
            let handler = try StageHandlers.make(stage, context: try StageContext.load(config: config))
            try runWorker(handler: handler, conninfo: conninfo, options: options, logger: logger)
            exit(0)
        } catch {
            logger.critical("\(error)")
            exit(1)
        }
    }

    /// Started by `tideline up` (which sets TIDELINE_PARENT_PID): the worker gets SIGTERM, and so
    /// drains and stops, when `up` dies, even by SIGKILL; if `up` is already gone, it stops now.
    static func exitWithParent(logger: Logger) {
        guard let parent = ProcessInfo.processInfo.environment[parentPIDVariable].flatMap(Int32.init) else { return }
        if tideline_set_parent_death_signal(SIGTERM) != 0 { logger.warning("cannot ask to be stopped with the parent process on this platform") }
        if getppid() != parent {
            logger.critical("the process that started this worker (pid \(parent)) is gone; stopping")
            exit(1)
        }
    }

    public static let parentPIDVariable = "TIDELINE_PARENT_PID"

    /// Migrates, installs the shutdown signals' handlers and runs `handler` until stopped.
    /// A worker started while the database is down waits for it (saying so once) instead of
    /// exiting, so services can start in any order.
    public static func runWorker(handler: any StageHandler, conninfo: String, options: WorkerOptions, logger: Logger) throws {
        let worker = Worker(conninfo: conninfo, handler: handler, options: options, logger: logger)
        let signals = ShutdownSignals { [worker] sig in
            logger.info("\(ShutdownSignals.name(sig)): finishing in-flight jobs, then stopping")
            worker.stop()
        }
        guard let db = try worker.waitForDatabase() else { signals.cancel(); return }
        let applied = try Schema.migrate(db)
        if !applied.isEmpty { logger.info("applied migrations \(applied)") }
        try worker.run()
        signals.cancel()
    }
}
