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
        var conn = try session.connect()
        let stages = Stage.allCases.map(\.rawValue)
        let render = { () throws -> String in
            // A lost connection (database restart) is re-opened on the next scrape.
            do {
                return PrometheusText.render(try QueueAdmin.metrics(conn, stages: stages, silentAfter: silentAfter))
            } catch let e as PostgresError where e.isConnectionLoss {
                conn = try session.connect()
                throw e
            }
        }
        if once { print(try render(), terminator: ""); return }
        let server = try MetricsServer(address: listen)
        try server.bind()
        note("serving Prometheus metrics on http://\(server.host):\(server.port)/metrics")
        server.serve(render: render)
    }
}
