import Foundation
import Postgres
import Store

/// The database a CLI command works on: `--database-url`, else `DATABASE_URL` or the config file,
/// else the embedded server under `.tideline/`, started for the command and stopped after it.
public final class DatabaseSession {
    public let conninfo: String
    public let embedded: EmbeddedPostgres?
    private let startedHere: Bool

    public init(explicit: String?, config: Config, stateDir: URL = URL(fileURLWithPath: ".tideline")) throws {
        if let url = explicit ?? config.databaseURL {
            conninfo = url
            embedded = nil
            startedHere = false
        } else {
            let pg = try EmbeddedPostgres(root: stateDir)
            startedHere = try pg.start()
            embedded = pg
            conninfo = pg.conninfo
        }
    }

    public var isEmbedded: Bool { embedded != nil }

    public func connect() throws -> Connection { try Connection(conninfo) }

    /// Stops the embedded server if this session started it.
    public func close() {
        if startedHere { try? embedded?.stop() }
    }
}
