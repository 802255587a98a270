import Foundation
import Postgres
import Store

/// The database a CLI command works on: `--database-url`, else `DATABASE_URL` or the config file,
/// else the embedded server under `.tideline/`, started for the command and stopped after it — also
/// when the command is stopped by SIGINT, SIGTERM or SIGHUP (exit status 128+signal), and also when
/// a command before it was killed and left the server running (this one takes it over).
public final class DatabaseSession: @unchecked Sendable {   // `beforeStop` is set before signals can fire
    public let conninfo: String
    public let embedded: EmbeddedPostgres?
    private let startedHere: Bool
    private var signals: ShutdownSignals?
    /// Run on a shutdown signal before the server stops (`up` stops its workers there).
    public var beforeStop: (@Sendable () -> Void)?

    public init(explicit: String?, config: Config, stateDir: URL = URL(fileURLWithPath: ".tideline"),
                notice: (String) -> Void = { _ in }) throws {
        if let url = explicit ?? config.databaseURL {
            conninfo = url
            embedded = nil
            startedHere = false
        } else {
            let pg = try EmbeddedPostgres(root: stateDir)
            switch try pg.start(owner: .process(getpid())) {
            case .started: startedHere = true
            case .alreadyRunning: startedHere = false
            case .tookOver(let previous):
                notice("found the embedded PostgreSQL left running by a process that is gone (pid \(previous)); taking it over, and stopping it at the end")
                startedHere = true
            }
            embedded = pg
            conninfo = pg.conninfo
        }
        signals = ShutdownSignals { [weak self] sig in
            FileHandle.standardError.write(Data("\(ShutdownSignals.name(sig)): stopping what this command started\n".utf8))
            self?.markStopping()
            self?.beforeStop?()
            self?.close()
            exit(128 + sig)
        }
    }

    private let stateLock = NSLock()
    private var stopping = false
    private func markStopping() { stateLock.lock(); stopping = true; stateLock.unlock() }

    /// A shutdown signal arrived and the stop is under way: the command's own thread should wait
    /// for it (`parkWhileStopping`) rather than report what the stop does (workers exiting) as
    /// failures.
    public var isStopping: Bool { stateLock.lock(); defer { stateLock.unlock() }; return stopping }

    /// Blocks for good when a stop is under way: the signal handler ends the process.
    public func parkWhileStopping() {
        while isStopping { Thread.sleep(forTimeInterval: 3600) }
    }

    public var isEmbedded: Bool { embedded != nil }

    public func connect() throws -> Connection { try Connection(conninfo) }

    /// Stops the embedded server if this session started it.
    public func close() {
        signals?.cancel()
        signals = nil
        if startedHere { try? embedded?.stop() }
    }
}
