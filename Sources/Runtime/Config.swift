import Foundation
import Queue
import Stages
import TextCore

/// Tideline's configuration: `config/tideline.toml`, then environment variables on top
/// (`DATABASE_URL`, `TIDELINE_<SECTION>_<KEY>`), then command-line flags. Invalid values fail at
/// start with the key and the reason.
public struct Config: Sendable {
    /// TIDELINE_ variables that are not settings: the config file's path, the word dictionary's
    /// path, the pid `up` gives its workers, the fuzzer's lexicon folder.
    static let notSettings: Set<String> = ["TIDELINE_CONFIG", WordDictionary.environmentVariable, WorkerMain.parentPIDVariable,
                                           "TIDELINE_CONFIG_DIR"]

    public var databaseURL: String?
    public var pollInterval: Double = 1
    public var synchronousCommit = false
    public var lease: Double = 30
    public var shutdownDeadline: Double = 10
    public var maxAttempts: Int = 5
    public var backoff = Backoff()
    /// Per-stage worker threads and claim batch sizes.
    public var concurrency: [String: Int] = [:]
    public var batchSize: [String: Int] = [:]
    /// The folder of the configuration file: the base of every relative path written in it
    /// (`lexicons.dir`, `fetch.roots`). A relative path in a TIDELINE_* variable or a flag is
    /// relative to the working directory instead, as paths on a command line are.
    public let fileDir: URL
    /// Where the lexicons and gazetteers live: `lexicons.dir`, by default the file's folder.
    public var lexiconDir: URL
    public var fileRoots: [URL] = []
    /// HTTP politeness and safety for the fetch stage.
    public var web = WebPolicy()
    public var maxDocumentBytes = 20 * 1024 * 1024
    /// Sources the city publishes (`[sources]`): pages and feeds fetched as they are, and index
    /// pages whose linked articles are fetched. `tideline enqueue sources` queues them all.
    public var sourcePages: [String] = []
    public var sourceIndexes: [String] = []
    public var sourceHomeRegion: String?
    /// Seconds between fetches of each `[sources]` entry; nil: only when enqueued by hand.
    public var sourceInterval: Double?
    /// Seconds finished jobs are kept, per state (`[queue] retain_succeeded`, `retain_dead`,
    /// `retain_cancelled`; "forever" keeps them). Succeeded and cancelled jobs a week, dead ones
    /// a month by default: long enough to inspect, short enough that the table stays small.
    public var retention: [String: Double] = ["succeeded": 7 * 86_400, "cancelled": 7 * 86_400, "dead": 30 * 86_400]

    /// Keys set by the environment rather than the file (their paths are relative to the
    /// working directory).
    var fromEnvironment: Set<String> = []

    public init(fileDir: URL) { self.fileDir = fileDir; self.lexiconDir = fileDir }

    /// A path of the configuration resolved against its base (see `fileDir`).
    func path(_ key: String, _ path: String) -> URL {
        let base = fromEnvironment.contains(key) ? URL(fileURLWithPath: FileManager.default.currentDirectoryPath) : fileDir
        return URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let key: String, reason: String
        public var description: String { "invalid configuration: \(key): \(reason)" }
    }

    /// Loads `path` (a missing default file is fine; a missing named file is an error) and applies
    /// the environment.
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Config {
        let explicit = path ?? environment["TIDELINE_CONFIG"]
        let file = URL(fileURLWithPath: explicit ?? "config/tideline.toml").standardizedFileURL
        var config = Config(fileDir: file.deletingLastPathComponent())
        var values: [String: TOMLValue] = [:]
        // Where each key was set, for messages: "file:line" or the environment variable.
        var origins: [String: String] = [:]
        if FileManager.default.fileExists(atPath: file.path) {
            let text: String
            do { text = try String(contentsOf: file, encoding: .utf8) } catch {
                throw Invalid(key: file.path, reason: "cannot read: \(error.localizedDescription)")
            }
            do {
                let parsed = try TOML.parse(text)
                values = parsed.values
                for (key, line) in parsed.lines { origins[key] = "\(file.path):\(line)" }
            } catch let e as Invalid {
                throw Invalid(key: file.path, reason: "\(e.key): \(e.reason)")
            }
        } else if explicit != nil {
            throw Invalid(key: file.path, reason: "no such file")
        }
        // Environment overrides: TIDELINE_WORKER_LEASE=5 → worker.lease.
        for (k, v) in environment where k.hasPrefix("TIDELINE_") && !Self.notSettings.contains(k) {
            let parts = k.dropFirst("TIDELINE_".count).lowercased().split(separator: "_", maxSplits: 1)
            guard parts.count == 2 else { continue }
            var key = "\(parts[0]).\(parts[1])"
            // TIDELINE_STAGES_EXTRACT_CONCURRENCY=4 → stages.extract.concurrency.
            if parts[0] == "stages", let sep = parts[1].firstIndex(of: "_") {
                key = "stages.\(parts[1][..<sep]).\(parts[1][parts[1].index(after: sep)...])"
            }
            values[key] = Int(v).map(TOMLValue.integer) ?? Double(v).map(TOMLValue.float) ?? .string(v)
            origins[key] = k
            config.fromEnvironment.insert(key)
        }
        do { try config.apply(values) } catch let e as Invalid {
            // Say where the key was set, and for an unknown one the closest known key.
            var reason = e.reason
            if reason == "unknown setting", let near = Self.closestKnownKey(to: e.key) {
                reason += "; did you mean \(origins[e.key]?.hasPrefix("TIDELINE_") == true ? Self.variable(for: near) : near)?"
            }
            guard let origin = origins[e.key] else { throw Invalid(key: e.key, reason: reason) }
            throw Invalid(key: origin.hasPrefix("TIDELINE_") ? "\(origin), which sets \(e.key)" : "\(origin): \(e.key)", reason: reason)
        }
        if let url = environment["DATABASE_URL"], !url.isEmpty { config.databaseURL = url }
        if config.fileRoots.isEmpty { config.fileRoots = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)] }
        return config
    }

    /// Every key `apply` takes (a test checks each is accepted), for suggestions.
    static let knownKeys = [
        "database.url", "worker.poll_interval", "worker.lease", "worker.shutdown_deadline", "worker.max_attempts",
        "worker.backoff_base", "worker.backoff_max", "worker.synchronous_commit", "lexicons.dir", "sources.pages",
        "sources.indexes", "sources.home_region", "sources.interval", "queue.retain_succeeded", "queue.retain_dead",
        "queue.retain_cancelled", "fetch.user_agent", "fetch.delay", "fetch.timeout", "fetch.max_redirects",
        "fetch.max_bytes", "fetch.robots", "fetch.allow_hosts", "fetch.roots",
    ] + Stage.allCases.flatMap { ["stages.\($0.rawValue).concurrency", "stages.\($0.rawValue).batch_size"] }

    /// The known key fewest edits away, if it is close (a typo, not another word).
    static func closestKnownKey(to key: String) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for i in 1...max(a.count, 1) where !a.isEmpty {
                var next = [i] + Array(repeating: 0, count: b.count)
                for j in 1...max(b.count, 1) where !b.isEmpty {
                    next[j] = min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
                row = next
            }
            return row[b.count]
        }
        let k = Array(key)
        guard let best = knownKeys.map({ (key: $0, d: distance(k, Array($0))) }).min(by: { $0.d < $1.d }) else { return nil }
        return best.d <= max(2, key.count / 5) ? best.key : nil
    }

    /// `worker.lease` → `TIDELINE_WORKER_LEASE`.
    static func variable(for key: String) -> String {
        "TIDELINE_" + key.replacingOccurrences(of: ".", with: "_").uppercased()
    }

    mutating func apply(_ values: [String: TOMLValue]) throws {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "database.url": databaseURL = try string(key, value)
            case "worker.poll_interval": pollInterval = try positive(key, value)
            case "worker.lease": lease = try positive(key, value)
            case "worker.shutdown_deadline": shutdownDeadline = try positive(key, value)
            case "worker.max_attempts": maxAttempts = Int(try positive(key, value))
            case "worker.backoff_base": backoff.base = try positive(key, value)
            case "worker.backoff_max": backoff.max = try positive(key, value)
            case "worker.synchronous_commit":
                switch value {
                case .bool(let b): synchronousCommit = b
                case .string(let s) where s == "true" || s == "false": synchronousCommit = s == "true"
                default: throw Invalid(key: key, reason: "expected true or false")
                }
            case "lexicons.dir":
                // Units, qualifiers, actions, synonyms and gazetteer/, relative to tideline.toml's
                // folder: a folder of its own when a deployment keeps its lexicons elsewhere.
                let dir = path(key, try string(key, value))
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
                    throw Invalid(key: key, reason: "\(dir.path) is not a folder")
                }
                lexiconDir = dir
            case "sources.pages", "sources.indexes":
                let urls: [String]
                switch value {
                case .array(let items): urls = try items.map { try string(key, $0) }
                case .string(let s): urls = s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                default: throw Invalid(key: key, reason: "expected an array of http(s) URLs")
                }
                if let bad = urls.first(where: { !$0.lowercased().hasPrefix("http://") && !$0.lowercased().hasPrefix("https://") }) {
                    throw Invalid(key: key, reason: "\(bad) is not an http(s) URL")
                }
                if key == "sources.pages" { sourcePages = urls } else { sourceIndexes = urls }
            case "sources.home_region": sourceHomeRegion = try string(key, value)
            case "sources.interval":
                // Seconds, or a duration: 90s, 30m, 6h, 1d.
                switch value {
                case .string(let s):
                    guard let d = Self.duration(s), d >= 1 else { throw Invalid(key: key, reason: "'\(s)' is not a duration of a second or more (90s, 30m, 6h, 1d)") }
                    sourceInterval = d
                default: sourceInterval = try positive(key, value)
                }
            case "queue.retain_succeeded", "queue.retain_dead", "queue.retain_cancelled":
                let state = String(key.dropFirst("queue.retain_".count))
                switch value {
                case .string("forever"): retention[state] = nil
                case .string(let s):
                    guard let d = Self.duration(s) else { throw Invalid(key: key, reason: "'\(s)' is not a duration (90s, 30m, 6h, 7d, 2w) or forever") }
                    retention[state] = d
                default: retention[state] = try positive(key, value, allowZero: true)
                }
            case "fetch.user_agent": web.userAgent = try string(key, value)
            case "fetch.delay": web.delay = try positive(key, value, allowZero: true)
            case "fetch.timeout": web.timeout = try positive(key, value)
            case "fetch.max_redirects": web.maxRedirects = Int(try positive(key, value, allowZero: true))
            case "fetch.max_bytes": maxDocumentBytes = Int(try positive(key, value))
            case "fetch.robots":
                switch value {
                case .bool(let b): web.obeyRobots = b
                case .string(let s) where s == "true" || s == "false": web.obeyRobots = s == "true"
                default: throw Invalid(key: key, reason: "expected true or false")
                }
            case "fetch.allow_hosts":
                // Hosts exempt from the private-address refusal; ',' separated in TIDELINE_FETCH_ALLOW_HOSTS.
                switch value {
                case .array(let items): web.allowHosts = try items.map { try string(key, $0) }
                case .string(let s): web.allowHosts = s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                default: throw Invalid(key: key, reason: "expected an array of host names or addresses")
                }
            case "fetch.roots":
                // An array in the file; a ':'-separated list in TIDELINE_FETCH_ROOTS.
                let paths: [String]
                switch value {
                case .array(let items): paths = try items.map { try string(key, $0) }
                case .string(let s): paths = s.split(separator: ":").map(String.init)
                default: throw Invalid(key: key, reason: "expected an array of folder paths")
                }
                fileRoots = paths.map { path(key, $0) }
            default:
                let parts = key.split(separator: ".")
                if parts.count == 3, parts[0] == "stages", Stage(rawValue: String(parts[1])) != nil {
                    let n = Int(try positive(key, value))
                    switch parts[2] {
                    case "concurrency": concurrency[String(parts[1])] = n
                    case "batch_size": batchSize[String(parts[1])] = n
                    default: throw Invalid(key: key, reason: "unknown setting (known: concurrency, batch_size)")
                    }
                } else if parts.first == "paths" || parts.first == "log" {
                    continue // read by the parts that use them
                } else {
                    throw Invalid(key: key, reason: "unknown setting")
                }
            }
        }
    }

    private func string(_ key: String, _ v: TOMLValue) throws -> String {
        guard case .string(let s) = v else { throw Invalid(key: key, reason: "expected a string in double quotes") }
        return s
    }

    private func positive(_ key: String, _ v: TOMLValue, allowZero: Bool = false) throws -> Double {
        let d: Double
        switch v {
        case .integer(let i): d = Double(i)
        case .float(let f): d = f
        case .string(let s):
            guard let parsed = Double(s) else { throw Invalid(key: key, reason: "expected a number, got \"\(s)\"") }
            d = parsed
        default: throw Invalid(key: key, reason: "expected a number")
        }
        if allowZero { guard d >= 0 else { throw Invalid(key: key, reason: "must be 0 or more, got \(d)") } }
        else { guard d > 0 else { throw Invalid(key: key, reason: "must be greater than 0, got \(d)") } }
        return d
    }

    /// `90s`, `30m`, `6h`, `1d`, `2w`, or a number of seconds.
    public static func duration(_ s: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        if let v = Double(s) { return v >= 0 ? v : nil }
        guard let u = s.last, let f = units[u], let v = Double(s.dropLast()), v >= 0 else { return nil }
        return v * f
    }

    /// The `[sources]` entries as schedules (when `sources.interval` is set): a fetch job per page
    /// and per index page, keyed by the URL.
    public func schedules() throws -> [Schedule] {
        guard let interval = sourceInterval else { return [] }
        let meta = DocumentMetadata(homeRegion: sourceHomeRegion)
        return try sourcePages.map { url in
            Schedule(key: "fetch:" + url, interval: interval,
                     job: attempting([try FetchPayload(source: url, metadata: meta).job()])[0])
        } + sourceIndexes.map { url in
            Schedule(key: "fetch-index:" + url, interval: interval,
                     job: attempting([try FetchPayload(source: url, metadata: meta, kind: "index").job()])[0])
        }
    }

    /// Jobs as this configuration queues them: `worker.max_attempts` attempts each.
    public func attempting(_ jobs: [NewJob]) -> [NewJob] {
        jobs.map { var j = $0; j.maxAttempts = maxAttempts; return j }
    }

    /// Worker options for `stage` from this configuration.
    public func workerOptions(stage: String) -> WorkerOptions {
        var o = WorkerOptions()
        o.concurrency = concurrency[stage] ?? 1
        o.batchSize = batchSize[stage]
        o.pollInterval = pollInterval
        o.lease = lease
        o.shutdownDeadline = shutdownDeadline
        o.backoff = backoff
        o.maxAttempts = maxAttempts
        o.synchronousCommit = synchronousCommit
        o.retention = retention
        return o
    }
}
