import Foundation
import Logging

public enum LogFormat: String, CaseIterable, Sendable { case text, json }

/// Bootstraps swift-log once per process: text lines, or one JSON object per line for collectors.
public enum LogSetup {
    private static let state = Mutex()

    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        guard state.once() else { return }
        LoggingSystem.bootstrap { label in
            var h: LogHandler = format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
    }

    /// A flag set once under a lock (bootstrap may be reached from more than one thread).
    private final class Mutex: @unchecked Sendable {   // `done` is only touched under `lock`
        private let lock = NSLock()
        private var done = false
        func once() -> Bool { lock.lock(); defer { lock.unlock() }; if done { return false }; done = true; return true }
    }
}

/// One JSON object per line on stderr, keys in a fixed order: `ts` (UTC, milliseconds), `level`,
/// `logger`, `msg`, then the metadata keys sorted (a job's lines carry `job` and `stage`; a
/// finished job's line `ms`). Numbers and booleans stay numbers and booleans; slashes are not
/// escaped, so a URL reads as written.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    private static let lock = NSLock()

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "{\"ts\":" + JSONText.quoted(Self.timestamp(Date())) + ",\"level\":" + JSONText.quoted(event.level.rawValue)
            + ",\"logger\":" + JSONText.quoted(label) + ",\"msg\":" + JSONText.quoted(event.message.description)
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key }) {
            line += "," + JSONText.quoted(k) + ":" + Self.json(v)
        }
        line += "}\n"
        Self.lock.lock()
        FileHandle.standardError.write(Data(line.utf8))
        Self.lock.unlock()
    }

    static func json(_ v: Logger.Metadata.Value) -> String {
        switch v {
        case .string(let s): return JSONText.quoted(s)
        case .stringConvertible(let c):
            if let b = c as? Bool { return b ? "true" : "false" }
            if c is any BinaryInteger { return c.description }
            if let d = c as? Double, d.isFinite { return c.description }
            return JSONText.quoted(c.description)
        case .array(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let d): return "{" + d.sorted { $0.key < $1.key }.map { JSONText.quoted($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
        }
    }


    /// 2026-11-26T19:45:01.123Z
    static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var t = time_t(ms / 1000)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(ms % 1000))
    }
}
