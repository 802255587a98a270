import Foundation
import TestSupport

/// A folder laid out as a user's: sources with their manifest under src/, the config folder
/// beside them; and `tideline` run in it as a user runs it.
enum Workdir {
    static var tideline: URL { TestPostgres.productsDirectory.appendingPathComponent("tideline") }
    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: tideline.path) }

    static func make(_ files: [String: [UInt8]], manifest: String) throws -> URL {
        let dir = URL(fileURLWithPath: "/tmp/tl-up-\(UInt32.random(in: 0...UInt32.max))")
        let src = dir.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: src, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: src.appendingPathComponent(name)) }
        try manifest.write(to: src.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        // A deployment carries its config folder (lexicons, gazetteers) beside its sources.
        try FileManager.default.copyItem(at: TestPostgres.packageRoot.appendingPathComponent("config"), to: dir.appendingPathComponent("config"))
        return dir
    }

    /// The seeds and their manifest, copied into a new work folder.
    static func seeds() throws -> URL {
        let seeds = TestPostgres.packageRoot.appendingPathComponent("seeds")
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: seeds.path) where name.hasSuffix(".txt") {
            files[name] = [UInt8](try Data(contentsOf: seeds.appendingPathComponent(name)))
        }
        return try make(files, manifest: try String(contentsOf: seeds.appendingPathComponent("manifest.json"), encoding: .utf8))
    }

    /// Starts an executable in `dir` in the background, its output discarded, without the caller's
    /// DATABASE_URL; `env` is added to the environment.
    static func launch(_ args: [String], in dir: URL, env extra: [String: String] = [:], executable: URL) throws -> Process {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        for (k, v) in extra { env[k] = v }
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.currentDirectoryURL = dir
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Runs an executable (default `tideline`) in `dir`, without the caller's DATABASE_URL unless
    /// given; returns its exit status and its output (stdout and stderr together).
    static func run(_ args: [String], in dir: URL, env extra: [String: String] = [:], executable: URL? = nil) throws -> (Int32, String) {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        env.removeValue(forKey: "COLUMNS")   // output fitted to a terminal only when a test asks
        for (k, v) in extra { env[k] = v }
        // The output goes to a scratch file outside `dir`: some callers run in the package root.
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("tideline-test-out-\(UInt64.random(in: 0...UInt64.max)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let p = Process()
        p.executableURL = executable ?? tideline
        p.arguments = args
        p.currentDirectoryURL = dir
        p.environment = env
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        p.waitUntilExit()
        try handle.close()
        return (p.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
