import Foundation

/// A job as a worker holds it after claiming it.
public struct Job: Sendable, Equatable {
    public let id: Int64
    public let stage: String
    /// The payload as JSON text.
    public let payload: String
    /// This attempt's number, counting from 1.
    public let attempt: Int
    public let maxAttempts: Int

    public init(id: Int64, stage: String, payload: String, attempt: Int, maxAttempts: Int) {
        self.id = id; self.stage = stage; self.payload = payload; self.attempt = attempt; self.maxAttempts = maxAttempts
    }

    /// Decodes the payload; a payload that does not decode is bad input and ends the job as dead.
    public func decodePayload<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(payload.utf8))
        } catch {
            throw PermanentJobError("job \(id) (\(stage)) has a payload that is not a valid \(T.self): \(error). Payload: \(payload.prefix(200))")
        }
    }
}

/// A job to enqueue.
public struct NewJob: Sendable, Equatable {
    public var stage: String
    public var payload: String
    public var priority: Int
    /// Seconds from now before the job may run.
    public var delay: Double
    public var maxAttempts: Int
    /// Unique among the stage's unfinished jobs: a second enqueue with the same key is dropped.
    public var dedupeKey: String?

    public init(stage: String, payload: String = "{}", priority: Int = 0, delay: Double = 0,
                maxAttempts: Int = 5, dedupeKey: String? = nil) {
        self.stage = stage; self.payload = payload; self.priority = priority; self.delay = delay
        self.maxAttempts = maxAttempts; self.dedupeKey = dedupeKey
    }

    /// A job whose payload is `value` encoded as JSON.
    public init<T: Encodable>(stage: Stage, encoding value: T, dedupeKey: String? = nil, maxAttempts: Int = 5) throws {
        let data = try JSONEncoder.sortedKeys.encode(value)
        self.init(stage: stage.rawValue, payload: String(decoding: data, as: UTF8.self),
                  maxAttempts: maxAttempts, dedupeKey: dedupeKey)
    }
}

extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}

/// Bad input: retrying cannot help, so the job goes straight to `dead` with this message.
public struct PermanentJobError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
