// tideline: the operator's command. Starts the pipeline (`up`), migrates, enqueues, exports,
// inspects the queue and runs the benchmarks. The stages themselves run as tideline-<stage>.
import ArgumentParser

struct Tideline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tideline",
        abstract: "Chinese municipal news in, reporting tables out: a pipeline of four workers over a PostgreSQL job queue.",
        version: "tideline \(release) (Swift \(swiftVersion))",
        subcommands: [Up.self, Report.self, Export.self, Eval.self, QueueCommand.self, Metrics.self, Enqueue.self, Watch.self, Inspect.self, Preview.self, Migrate.self, DB.self, Bench.self])
}

/// The release, in `--version` and in the `tideline_build_info` metric.
let release = "0.6.0"

#if swift(>=6.3)
let swiftVersion = "6.3"
#else
let swiftVersion = "6"
#endif

Tideline.main()
