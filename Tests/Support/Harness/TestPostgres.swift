import Foundation
import Postgres
import Runtime
import Store

/// A real, throwaway PostgreSQL server for the tests, started through the project's own
/// EmbeddedPostgres (initdb + pg_ctl, unix socket, as the postgres user when root). One server per
/// test process; each test gets a fresh database, so tests run in any order and twice in a row.
public enum TestPostgres {
    nonisolated(unsafe) private static var server: EmbeddedPostgres?   // only touched under `lock`
    private static let lock = NSLock()

    public static func shared() throws -> EmbeddedPostgres {
        lock.lock(); defer { lock.unlock() }
        if let server { return server }
        let root = URL(fileURLWithPath: "/tmp/tideline-test-\(getpid())")
        try? FileManager.default.removeItem(at: root)
        // Durability is not under test: fsync off makes the suite faster.
        let pg = try EmbeddedPostgres(root: root, settings: ["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"])
        try pg.start()
        server = pg
        atexit {
            try? TestPostgres.server?.stop()
            if let root = TestPostgres.server?.root { try? FileManager.default.removeItem(at: root) }
        }
        return pg
    }

    /// A new, migrated database; returns its conninfo.
    public static func freshDatabase(migrated: Bool = true) throws -> String {
        let pg = try shared()
        let name = "t_\(UInt64.random(in: 0...UInt64.max))"
        let admin = try Connection(pg.conninfo)
        try admin.execute("SELECT 1")
        _ = try admin.query("CREATE DATABASE \(name)")   // a generated identifier, not data
        let conninfo = pg.conninfo(database: name)
        if migrated { try Schema.migrate(try Connection(conninfo)) }
        return conninfo
    }

    /// The folder holding the built executables (the test bundle sits beside them).
    public static var productsDirectory: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        if dir.lastPathComponent.hasSuffix(".xctest") || dir.path.contains(".xctest/") {
            while dir.pathExtension != "xctest" && dir.path != "/" { dir = dir.deletingLastPathComponent() }
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    /// The package's root folder (for seeds/ and config/).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }
}

/// Starts an executable and returns the process.
public func launch(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, quiet: Bool = true) throws -> Process {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    if let environment { p.environment = environment }
    if quiet { p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice }
    try p.run()
    return p
}

/// Polls `condition` until it holds or `timeout` seconds pass.
public func eventually(timeout: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}
