import CLibPQ
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection. Not shared between threads: each worker thread owns its own.
///
/// Every query goes through `PQexecParams` (or `PQexecPrepared`) with its values as parameters;
/// the only exception is `runScript`, kept for the static, multi-statement migration scripts.
public final class Connection: @unchecked Sendable {   // one owner thread at a time (see above); handed over, never shared
    /// What was passed to `PQconnectdb`: a `postgresql://` URL, a `key=value` conninfo, or ""
    /// (then libpq reads its own `PG*` environment variables).
    public let conninfo: String
    private var raw: OpaquePointer?
    private var listening: Set<String> = []
    /// Statements prepared on this connection (SQL text → server-side name); gone with it.
    private var prepared: [String: String] = [:]

    public init(_ conninfo: String = "") throws {
        self.conninfo = conninfo
        try connect()
    }

    deinit { if let raw { PQfinish(raw) } }

    private func connect() throws {
        if let raw { PQfinish(raw) }
        prepared = [:]
        raw = PQconnectdb(conninfo)
        guard let raw, PQstatus(raw) == CONNECTION_OK else {
            let msg = raw.flatMap { PQerrorMessage($0).map { String(cString: $0) } }?.trimmingTrailingNewlines() ?? "out of memory"
            throw PostgresError(kind: .connection, message: "cannot connect (\(Self.redacted(conninfo))): \(msg)",
                                hint: "check DATABASE_URL or the PG* variables, and that the server is running")
        }
        // Quiet NOTICEs (IF NOT EXISTS and friends) instead of printing them on stderr.
        PQsetNoticeProcessor(raw, { _, _ in }, nil)
        // A pipeline's tables grow from empty: a generic plan made for a prepared statement while
        // a table was small (a sequential scan) would stay in use when it is large. Prepared
        // statements keep their parse; each execution is planned for the table as it is. (Generic
        // plans were tried for the workers: a fifth less of PostgreSQL's CPU while the plans were
        // good, but a plan made while a table was nearly empty scanned it whole until autovacuum's
        // next ANALYZE, up to a minute later, and the run as a whole cost more.)
        _ = try check(PQexec(raw, "SET plan_cache_mode = force_custom_plan"))
        for channel in listening { try execute("LISTEN \(Self.quoteIdentifier(channel))") }
    }

    public var isConnected: Bool { raw.map { PQstatus($0) == CONNECTION_OK } ?? false }
    public var inTransaction: Bool {
        guard let raw else { return false }
        let s = PQtransactionStatus(raw)
        return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE
    }
    /// The server process serving this connection (`pg_backend_pid`).
    public var backendPID: Int32 { raw.map { PQbackendPID($0) } ?? 0 }

    /// Drops and re-opens the connection (after a server restart); LISTENs are renewed.
    public func reconnect() throws { try connect() }

    /// Runs one statement with parameters `$1 … $n`. A lost connection outside a transaction
    /// is re-opened and the statement retried once; inside a transaction the error is thrown,
    /// because the transaction is gone with it.
    /// A statement with parameters is prepared once per connection (`PQprepare`) and then run with
    /// `PQexecPrepared`, so a worker that runs it thousands of times parses it once. Every such text
    /// is a constant of the code (values always travel as parameters), so the cache is bounded.
    @discardableResult
    public func query(_ sql: String, _ params: [any PostgresEncodable] = []) throws -> QueryResult {
        do {
            return try exec(sql, params)
        } catch let e as PostgresError where e.isConnectionLoss && !inTransaction {
            try connect()
            return try exec(sql, params)
        }
    }

    /// `query` for statements whose rows are not needed.
    public func execute(_ sql: String, _ params: [any PostgresEncodable] = []) throws {
        _ = try query(sql, params)
    }

    /// The server-side name of a prepared statement, preparing it on first use.
    private func statementName(_ sql: String, parameters: Int) throws -> String {
        if let name = prepared[sql] { return name }
        let name = "tideline_\(prepared.count + 1)"
        _ = try check(PQprepare(raw, name, sql, Int32(parameters), nil))
        prepared[sql] = name
        return name
    }

    private func exec(_ sql: String, _ params: [any PostgresEncodable]) throws -> QueryResult {
        if raw == nil || PQstatus(raw) != CONNECTION_OK {
            if inTransaction { throw PostgresError(kind: .connection, message: "connection lost inside a transaction") }
            try connect()
        }
        let values = params.map { $0.postgresValue }
        var pointers: [UnsafeMutablePointer<CChar>?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        pointers.reserveCapacity(values.count)
        defer { for p in pointers { free(p) } }
        for v in values {
            switch v {
            case .null:
                pointers.append(nil); lengths.append(0); formats.append(0)
            case .text(let s):
                pointers.append(strdup(s)); lengths.append(0); formats.append(0)
            case .binary(let b):
                let p = malloc(max(b.count, 1))!.assumingMemoryBound(to: CChar.self)
                b.withUnsafeBytes { src in if let base = src.baseAddress { memcpy(p, base, b.count) } }
                pointers.append(p); lengths.append(Int32(b.count)); formats.append(1)
            }
        }
        let name = values.isEmpty ? nil : try statementName(sql, parameters: values.count)
        let result: OpaquePointer? = pointers.withUnsafeBufferPointer { ptrs in
            ptrs.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: max(ptrs.count, 1)) { vals in
                if let name {
                    return PQexecPrepared(raw, name, Int32(values.count), values.isEmpty ? nil : vals, lengths, formats, 0)
                }
                return PQexecParams(raw, sql, Int32(values.count), nil, values.isEmpty ? nil : vals,
                                    lengths, formats, 0)
            }
        }
        return try check(result)
    }

    private func check(_ result: OpaquePointer?) throws -> QueryResult {
        let status = result.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return QueryResult(result)
        default:
            let error = PostgresError.from(result: result, connection: raw)
            if let result { PQclear(result) }
            throw error
        }
    }

    /// Runs a static script of several statements with the simple query protocol.
    /// Only for the migration scripts compiled into the program, never for data.
    public func runScript(_ sql: String) throws {
        if raw == nil || PQstatus(raw) != CONNECTION_OK { try connect() }
        _ = try check(PQexec(raw, sql))
    }

    // MARK: Transactions

    /// Runs `body` between BEGIN and COMMIT; any error rolls back and is rethrown.
    public func transaction<T>(_ body: (Connection) throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body(self)
            try execute("COMMIT")
            return value
        } catch {
            if isConnected { try? execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: LISTEN / NOTIFY

    public struct Notification: Sendable, Equatable {
        public let channel: String
        public let payload: String
        public let senderPID: Int32
    }

    public func listen(_ channel: String) throws {
        try execute("LISTEN \(Self.quoteIdentifier(channel))")
        listening.insert(channel)
    }

    public func notify(_ channel: String, _ payload: String) throws {
        try execute("SELECT pg_notify($1, $2)", [channel, payload])
    }

    /// Waits on the connection's socket up to `timeout` seconds and returns what arrived.
    /// Returns at once when notifications are already queued. After a connection loss the
    /// connection is re-opened (and LISTENs renewed) and an empty list returned.
    public func waitForNotifications(timeout: Double) throws -> [Notification] {
        if raw == nil || PQstatus(raw) != CONNECTION_OK { try connect(); return [] }
        var got = drainNotifications()
        if !got.isEmpty { return got }
        var pfd = pollfd(fd: PQsocket(raw), events: Int16(POLLIN), revents: 0)
        let rc = poll(&pfd, 1, Int32(max(0, timeout * 1000)))
        if rc > 0 {
            if PQconsumeInput(raw) == 0 {
                try connect()
                return []
            }
            got = drainNotifications()
        }
        return got
    }

    private func drainNotifications() -> [Notification] {
        var out: [Notification] = []
        PQconsumeInput(raw)
        while let n = PQnotifies(raw) {
            out.append(Notification(channel: String(cString: n.pointee.relname),
                                    payload: String(cString: n.pointee.extra),
                                    senderPID: n.pointee.be_pid))
            PQfreemem(n)
        }
        return out
    }

    // MARK: Helpers

    /// Quotes a fixed identifier (a channel name known to the program, not user data).
    static func quoteIdentifier(_ s: String) -> String {
        "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }

    /// The conninfo with any password hidden, for error messages and logs.
    public static func redacted(_ conninfo: String) -> String {
        if conninfo.isEmpty { return "PG* environment" }
        var s = conninfo
        if let at = s.firstIndex(of: "@"), let scheme = s.range(of: "://"), scheme.upperBound < at {
            let creds = s[scheme.upperBound..<at]
            if let colon = creds.firstIndex(of: ":") { s.replaceSubrange(s.index(after: colon)..<at, with: "***") }
        }
        if let r = s.range(of: "password=") {
            let end = s[r.upperBound...].firstIndex(of: " ") ?? s.endIndex
            s.replaceSubrange(r.upperBound..<end, with: "***")
        }
        return s
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
