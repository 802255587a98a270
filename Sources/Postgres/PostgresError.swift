import CLibPQ

/// An error from the server or from libpq, with what a person needs to act on it.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable { case connection, query, decoding, usage }
    public let kind: Kind
    /// The five-character SQLSTATE (`23505` unique violation, `40001` serialization failure …), when the server sent one.
    public let sqlState: String?
    public let message: String
    public let detail: String?
    public let hint: String?

    public init(kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil) {
        self.kind = kind; self.message = message; self.sqlState = sqlState; self.detail = detail; self.hint = hint
    }

    public var description: String {
        var s = "PostgreSQL \(kind): \(message)"
        if let sqlState { s += " [SQLSTATE \(sqlState)]" }
        if let detail { s += " (detail: \(detail))" }
        if let hint { s += " (hint: \(hint))" }
        return s
    }

    /// True when the connection itself is gone and a retry on a new connection may succeed.
    /// A connection attempt that may succeed later (the server is down, starting or shutting
    /// down), as opposed to one that never will (a wrong password, a database that does not exist).
    public var isServerUnavailable: Bool {
        guard kind == .connection else { return isConnectionLoss }
        let m = message.lowercased()
        return ["connection refused", "no such file or directory", "could not connect", "timeout expired", "timed out",
                "the database system is starting up", "the database system is shutting down", "server closed the connection",
                "could not translate host name", "network is unreachable", "no route to host", "too many clients"]
            .contains { m.contains($0) }
    }

    public var isConnectionLoss: Bool {
        kind == .connection || (sqlState?.hasPrefix("08") ?? false) || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
    }

    static func from(result: OpaquePointer?, connection: OpaquePointer?) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            guard let result, let p = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: p)
        }
        let primary = field(UInt8(ascii: "M"))
            ?? connection.flatMap { PQerrorMessage($0).map { String(cString: $0) } }?.trimmingTrailingNewlines()
            ?? "unknown error"
        let lost = connection.map { PQstatus($0) == CONNECTION_BAD } ?? true
        return PostgresError(kind: lost ? .connection : .query, message: primary,
                             sqlState: field(UInt8(ascii: "C")), detail: field(UInt8(ascii: "D")),
                             hint: field(UInt8(ascii: "H")))
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == " " { s = s.dropLast() }
        return String(s)
    }
}
