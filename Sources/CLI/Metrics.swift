import ArgumentParser
import Foundation
import Postgres
import Queue
import Runtime

/// Prometheus metrics read from the database: one endpoint for every worker on every machine.
struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve Prometheus metrics (queue depth, oldest job, processed and failed, durations, workers) over HTTP.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "HOST:PORT to listen on.") var listen: String = "127.0.0.1:9464"
    @Option(help: "Seconds without a heartbeat before a worker counts as silent.") var silentAfter: Double = 30
    @Flag(help: "Print the metrics once to standard output and exit.") var once = false

    func run() throws {
        let (session, _) = try db.session()
        defer { session.close() }
        // Connected lazily and again after a loss, so the exporter starts and keeps answering while
        // the database is down, saying so in `tideline_up`.
        var conn: Connection? = nil
        let stages = Stage.allCases.map(\.rawValue)
        let render = { () -> String in
            do {
                let c = try conn ?? session.connect()
                conn = c
                return PrometheusText.render(try QueueAdmin.metrics(c, stages: stages, silentAfter: silentAfter))
                    + PrometheusText.status(up: true, release: release, swift: swiftVersion)
            } catch {
                if (error as? PostgresError)?.isConnectionLoss ?? true { conn = nil }
                return PrometheusText.status(up: false, release: release, swift: swiftVersion, error: "\(error)")
            }
        }
        if once { print(render(), terminator: ""); return }
        let server = try MetricsServer(address: listen)
        try server.bind()
        note("serving Prometheus metrics on http://\(server.host):\(server.port)/metrics (liveness /healthz, readiness /readyz)")
        server.serve(render: render, ready: { render().contains("\ntideline_up 1\n") })
    }
}
