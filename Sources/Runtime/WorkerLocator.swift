import Foundation
import Queue

/// Finds the four worker executables beside the running `tideline` binary and, in a source
/// checkout where `swift run tideline` built only the CLI, builds the missing ones with SwiftPM.
public enum WorkerLocator {
    public static let names = Stage.allCases.map { "tideline-" + $0.rawValue }

    public static var ownDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Paths of the worker executables, building them first when some are missing.
    public static func locate(log: (String) -> Void) throws -> [String: URL] {
        let dir = ownDirectory
        var found: [String: URL] = [:]
        for n in names { found[n] = dir.appendingPathComponent(n) }
        let missing = names.filter { !FileManager.default.isExecutableFile(atPath: found[$0]!.path) }
        guard !missing.isEmpty else { return found }
        guard let package = packageRoot(from: dir) ?? packageRoot(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) else {
            throw RuntimeError("the worker executables \(missing.joined(separator: ", ")) are not beside \(dir.path), and no Package.swift was found to build them. Install all five tideline executables in one folder.")
        }
        let release = dir.path.contains("/release")
        log("building the worker executables (\(missing.joined(separator: ", "))); the first time takes a minute…")
        for name in missing {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["swift", "build", "--package-path", package.path, "--product", name] + (release ? ["-c", "release"] : [])
            p.standardOutput = FileHandle.nullDevice
            let err = Pipe()
            p.standardError = err
            try p.run()
            let errData = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else {
                throw RuntimeError("swift build --product \(name) failed: \(String(decoding: errData, as: UTF8.self).suffix(2000))")
            }
        }
        for n in missing where !FileManager.default.isExecutableFile(atPath: found[n]!.path) {
            throw RuntimeError("built \(n) but it is not at \(found[n]!.path)")
        }
        return found
    }

    static func packageRoot(from start: URL) -> URL? {
        var dir = start
        for _ in 0..<8 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path),
               FileManager.default.fileExists(atPath: dir.appendingPathComponent("Sources/Workers").path) { return dir }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        return nil
    }
}

