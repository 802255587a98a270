import Foundation
import Logging

public enum LogFormat: String, CaseIterable, Sendable { case text, json }

/// Bootstraps swift-log once per process: text lines, or one JSON object per line for collectors.
public enum LogSetup {
    nonisolated(unsafe) private static var done = false

    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var h: LogHandler = format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
    }
}

/// One JSON object per line on stderr: time, level, message, label and every metadata key
/// (a job's lines carry `job` and `stage`).
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
        var object: [String: Any] = [
            "ts": ISO8601DateFormatter().string(from: Date()),
            "level": event.level.rawValue,
            "msg": event.message.description,
            "logger": label,
        ]
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { object[k] = "\(v)" }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        Self.lock.lock()
        FileHandle.standardError.write(data + Data("\n".utf8))
        Self.lock.unlock()
    }
}
