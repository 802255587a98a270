import ArgumentParser
import Foundation
import Logging
import Postgres
import Runtime
import Store

/// Options every database command takes.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL or libpq conninfo. Default: DATABASE_URL, else the embedded server in .tideline/.")
    var databaseURL: String?
    @Option(help: "Configuration file (default config/tideline.toml).")
    var config: String?

    func loadConfig() throws -> Config { try Config.load(path: config) }

    func session() throws -> (DatabaseSession, Config) {
        let config = try loadConfig()
        return (try DatabaseSession(explicit: databaseURL, config: config, notice: note), config)
    }
}

extension DatabaseSession {
    /// A connection for a command that only reads or steers (report, export, queue, eval): it
    /// does not migrate, so an older schema is named, with what to run, instead of failing on a
    /// missing column.
    func connectReading() throws -> Connection {
        let conn = try connect()
        let pending = try Schema.pending(conn)
        guard pending.isEmpty else {
            throw CLIError("the database's schema is at version \(try Migrator.currentVersion(conn)) and this tideline needs \(pending.last!): run `tideline migrate` (workers and `tideline up` migrate when they start)")
        }
        return conn
    }
}

/// Prints to stderr (progress), keeping stdout for results.
func note(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// A runtime failure of a command: printed as one line (`Error: …`) with exit status 1. Usage
/// mistakes stay `ValidationError`, which also prints the usage.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
