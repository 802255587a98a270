import Foundation
import ChildProcess
import Stages

/// A private PostgreSQL server in a folder of its own (`.tideline/` for `up`, a temporary folder for
/// the tests): initdb on first use, pg_ctl to start and stop, a unix socket and no TCP.
/// When run as root the server runs as the `postgres` system user, which owns the data folder.
public final class EmbeddedPostgres: @unchecked Sendable {   // immutable paths; the server's state lives in its files
    public let root: URL
    public let dataDir: URL
    public let socketDir: URL
    public let logFile: URL
    public let port = 5432
    /// Extra `postgresql.conf` settings (the tests turn fsync off).
    private let settings: [String: String]
    private let binDir: URL
    private let runAsPostgres: Bool

    public init(root: URL, settings: [String: String] = [:]) throws {
        self.root = root.standardizedFileURL
        self.dataDir = self.root.appendingPathComponent("pgdata")
        self.logFile = self.root.appendingPathComponent("postgres.log")
        // A unix socket path must fit in 107 bytes; fall back to a short folder under /tmp.
        let preferred = self.root.appendingPathComponent("run")
        if preferred.path.utf8.count + 20 < 100 {
            self.socketDir = preferred
        } else {
            self.socketDir = URL(fileURLWithPath: "/tmp/tideline-\(String(UInt32(truncatingIfNeeded: root.path.hashValue), radix: 16))")
        }
        self.settings = settings
        guard let bin = Self.findBinDir() else {
            throw RuntimeError("initdb and pg_ctl were not found on PATH or in /usr/lib/postgresql/*/bin. Install PostgreSQL (Debian: apt-get install -y postgresql) or set DATABASE_URL to a running server.")
        }
        self.binDir = bin
        self.runAsPostgres = geteuid() == 0
    }

    /// libpq conninfo for the server's socket.
    /// The server's main process, from postmaster.pid; nil when it is not running.
    public var postmasterPID: Int32? {
        guard let text = try? String(contentsOf: dataDir.appendingPathComponent("postmaster.pid"), encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }

    public var conninfo: String { "host=\(socketDir.path) port=\(port) dbname=postgres user=postgres" }

    public func conninfo(database: String) -> String { "host=\(socketDir.path) port=\(port) dbname=\(database) user=postgres" }

    /// Who keeps the server running: a process (the command that started it stops it when it ends)
    /// or nobody in particular (`tideline db start` leaves it up on purpose). Written to `owner`.
    public enum Owner: Equatable, Sendable {
        case process(Int32)
        case detached
    }

    /// What `start` found.
    public enum Start: Equatable, Sendable {
        /// Started now: stop it when done.
        case started
        /// Already running for a living owner (another command, or `db start`): leave it.
        case alreadyRunning
        /// Running for an owner that is gone (a `tideline up` killed before it could stop it): this
        /// caller is its owner now and stops it when done.
        case tookOver(previousOwner: Int32)
    }

    var ownerFile: URL { root.appendingPathComponent("owner") }

    func readOwner() -> Owner? {
        guard let text = try? String(contentsOf: ownerFile, encoding: .utf8) else { return nil }
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t == "detached" { return .detached }
        return Int32(t.replacingOccurrences(of: "pid ", with: "")).map(Owner.process)
    }

    func writeOwner(_ owner: Owner) {
        let text: String
        switch owner { case .detached: text = "detached\n"; case .process(let pid): text = "pid \(pid)\n" }
        try? text.write(to: ownerFile, atomically: true, encoding: .utf8)
    }

    static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    /// Starts the server (initialising the folder on first use) on behalf of `owner`.
    @discardableResult
    public func start(owner: Owner = .detached) throws -> Start {
        let fm = FileManager.default
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        try fm.createDirectory(at: socketDir, withIntermediateDirectories: true)
        if !fm.fileExists(atPath: dataDir.appendingPathComponent("PG_VERSION").path) {
            try initialise()
        }
        if try isRunning() {
            switch readOwner() {
            case .detached?:
                return .alreadyRunning
            case .process(let pid)? where pid != getpid() && Self.isAlive(pid):
                return .alreadyRunning
            case .process(let pid)?:
                writeOwner(owner)
                return .tookOver(previousOwner: pid)
            case nil:
                // Running with no owner recorded (a version before owners, or started by hand).
                return .alreadyRunning
            }
        }
        try giveToPostgres(socketDir)
        try? fm.removeItem(at: logFile)
        _ = fm.createFile(atPath: logFile.path, contents: nil)
        try giveToPostgres(logFile)
        let status = try run("pg_ctl", ["-D", dataDir.path, "-l", logFile.path, "-w", "-t", "60", "start"])
        guard status.code == 0 else {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            throw RuntimeError("pg_ctl could not start the server in \(dataDir.path): \(status.output)\n\(log.suffix(1500))")
        }
        writeOwner(owner)
        return .started
    }

    public func stop() throws {
        guard try isRunning() else { try? FileManager.default.removeItem(at: ownerFile); return }
        let status = try run("pg_ctl", ["-D", dataDir.path, "-m", "fast", "-w", "-t", "60", "stop"])
        guard status.code == 0 else { throw RuntimeError("pg_ctl could not stop the server: \(status.output)") }
        try? FileManager.default.removeItem(at: ownerFile)
    }

    /// Restarts the server (the tests use it to check reconnection).
    public func restart() throws {
        let status = try run("pg_ctl", ["-D", dataDir.path, "-l", logFile.path, "-m", "fast", "-w", "-t", "60", "restart"])
        guard status.code == 0 else { throw RuntimeError("pg_ctl could not restart the server: \(status.output)") }
    }

    public func isRunning() throws -> Bool {
        guard FileManager.default.fileExists(atPath: dataDir.appendingPathComponent("PG_VERSION").path) else { return false }
        return try run("pg_ctl", ["-D", dataDir.path, "status"]).code == 0
    }

    private func initialise() throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dataDir, withIntermediateDirectories: true)
        try giveToPostgres(root, recursive: false)
        try giveToPostgres(dataDir)
        if runAsPostgres {
            let probe = try runCommand("/usr/sbin/runuser", ["-u", "postgres", "--", "test", "-w", dataDir.path])
            guard probe.code == 0 else {
                throw RuntimeError("the postgres system user cannot write \(dataDir.path): a folder above it is closed to other users. Run from a folder others may enter (chmod o+x on its parents) or set DATABASE_URL.")
            }
        }
        let status = try run("initdb", ["-D", dataDir.path, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                        "--no-locale", "--no-sync"])
        guard status.code == 0 else { throw RuntimeError("initdb failed in \(dataDir.path): \(status.output)") }
        var conf = """

        # Tideline's embedded server: unix socket only, no TCP.
        listen_addresses = ''
        unix_socket_directories = '\(socketDir.path)'
        port = \(port)
        max_connections = 200
        shared_buffers = \(Self.sharedBuffersMB)MB

        """
        for (k, v) in settings.sorted(by: { $0.key < $1.key }) { conf += "\(k) = \(v)\n" }
        let confURL = dataDir.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: confURL)
        handle.seekToEndOfFile()
        handle.write(Data(conf.utf8))
        handle.closeFile()
    }

    /// A quarter of this machine's memory, as PostgreSQL's manual suggests for a dedicated server,
    /// between the default 128 MB and 1 GB. With 128 MB, `bench pipeline` at 20,000 documents
    /// (a 611 MB database) read the extractions it had just written back from the kernel five
    /// times over: the aggregate's read of them took 20.7 s instead of 3.3 s.
    static var sharedBuffersMB: Int {
        min(1024, max(128, Int(ProcessInfo.processInfo.physicalMemory / 4 / 1_048_576)))
    }

    private func giveToPostgres(_ url: URL, recursive: Bool = true) throws {
        guard runAsPostgres else { return }
        _ = try runCommand("/bin/chown", (recursive ? ["-R"] : []) + ["postgres:postgres", url.path])
    }

    private func run(_ tool: String, _ args: [String]) throws -> (code: Int32, output: String) {
        let path = binDir.appendingPathComponent(tool).path
        if runAsPostgres {
            return try runCommand("/usr/sbin/runuser", ["-u", "postgres", "--", path] + args)
        }
        return try runCommand(path, args)
    }

    private func runCommand(_ path: String, _ args: [String]) throws -> (code: Int32, output: String) {
        let r = try Subprocess.run(path, args)
        return (r.code, r.output)
    }

    /// initdb's folder: on PATH, else the newest /usr/lib/postgresql/N/bin.
    static func findBinDir() -> URL? {
        let fm = FileManager.default
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("initdb")
            if fm.isExecutableFile(atPath: candidate.path) {
                return candidate.resolvingSymlinksInPath().deletingLastPathComponent()
            }
        }
        let base = "/usr/lib/postgresql"
        let versions = ((try? fm.contentsOfDirectory(atPath: base)) ?? []).compactMap(Int.init).sorted(by: >)
        for v in versions where fm.isExecutableFile(atPath: "\(base)/\(v)/bin/initdb") {
            return URL(fileURLWithPath: "\(base)/\(v)/bin")
        }
        return nil
    }
}

