import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a short command to completion and returns its exit status and combined output.
/// posix_spawn and waitpid directly: Foundation's Process can miss a child's exit on Linux when
/// it ran as a grandchild's parent (pg_ctl starting a server), and wait forever.
public enum Subprocess {
    public struct Result: Sendable { public let code: Int32; public let output: String }

    public static func run(_ path: String, _ arguments: [String]) throws -> Result {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw SubprocessError("pipe() failed: errno \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        posix_spawn_file_actions_addclose(&actions, pipeFDs[1])
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(pipeFDs[1])
        guard rc == 0 else {
            close(pipeFDs[0])
            throw SubprocessError("cannot run \(path): \(String(cString: strerror(rc)))")
        }
        // Read until every writer has closed; a server that kept our pipe would keep us here, so
        // callers give servers a log file of their own (pg_ctl -l).
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(pipeFDs[0], &buffer, buffer.count)
            if n > 0 { output.append(contentsOf: buffer[0..<n]) } else if n == 0 || errno != EINTR { break }
        }
        close(pipeFDs[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(code: code, output: String(decoding: output, as: UTF8.self))
    }
}

public struct SubprocessError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}
