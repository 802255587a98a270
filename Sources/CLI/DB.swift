import ArgumentParser
import Foundation
import Runtime

/// The embedded server outside of a command's lifetime, so an analyst can keep it up and open
/// `psql` (or Metabase, Grafana) on the reporting tables.
struct DB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop or locate the embedded PostgreSQL under .tideline/ (for psql and BI tools).",
        subcommands: [Start.self, Stop.self, Status.self])

    static func server() throws -> EmbeddedPostgres {
        try EmbeddedPostgres(root: URL(fileURLWithPath: ".tideline"))
    }

    static func psqlLine(_ pg: EmbeddedPostgres) -> String {
        "psql \"\(pg.conninfo)\""
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start the embedded server and leave it running; prints its conninfo.")
        func run() throws {
            let pg = try DB.server()
            switch try pg.start(owner: .detached) {
            case .started: note("started the embedded PostgreSQL in .tideline/ (stop it with `tideline db stop`)")
            case .alreadyRunning: note("the embedded PostgreSQL in .tideline/ was already running")
            case .tookOver(let pid): note("the embedded PostgreSQL in .tideline/ was left running by a process that is gone (pid \(pid)); it stays up now until `tideline db stop`")
            }
            print(pg.conninfo)
            note("open it with: \(DB.psqlLine(pg))")
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded server.")
        func run() throws {
            let pg = try DB.server()
            guard try pg.isRunning() else { note("the embedded PostgreSQL is not running"); return }
            try pg.stop()
            note("stopped the embedded PostgreSQL in .tideline/")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether the embedded server runs, and how to reach it.")
        func run() throws {
            let pg = try DB.server()
            if try pg.isRunning() {
                print("running: \(pg.conninfo)")
            } else {
                print("stopped (`tideline db start` starts it; commands start and stop it themselves)")
            }
        }
    }
}
