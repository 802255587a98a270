/// A query parameter as it goes over the wire: text, binary (bytea), or NULL.
/// Every value reaches the server through `PQexecParams`; SQL is never built from data.
public enum PostgresValue: Sendable, Equatable {
    case null
    case text(String)
    case binary([UInt8])
}

/// A Swift value that can be sent as a query parameter.
public protocol PostgresEncodable {
    var postgresValue: PostgresValue { get }
}

extension String: PostgresEncodable { public var postgresValue: PostgresValue { .text(self) } }
extension Substring: PostgresEncodable { public var postgresValue: PostgresValue { .text(String(self)) } }
extension Int: PostgresEncodable { public var postgresValue: PostgresValue { .text(String(self)) } }
extension Int32: PostgresEncodable { public var postgresValue: PostgresValue { .text(String(self)) } }
extension Int64: PostgresEncodable { public var postgresValue: PostgresValue { .text(String(self)) } }
extension Double: PostgresEncodable {
    public var postgresValue: PostgresValue {
        if isNaN { return .text("NaN") }
        if isInfinite { return .text(self > 0 ? "Infinity" : "-Infinity") }
        return .text(String(self))
    }
}
extension Bool: PostgresEncodable { public var postgresValue: PostgresValue { .text(self ? "t" : "f") } }
extension Array: PostgresEncodable where Element == UInt8 { public var postgresValue: PostgresValue { .binary(self) } }
extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresValue: PostgresValue { self?.postgresValue ?? .null }
}

/// A one-dimensional array parameter in PostgreSQL's text array syntax (`{"a","b",NULL}`),
/// cast in SQL (`$1::bigint[]`, `$2::jsonb[]`). Elements are quoted and escaped, never spliced.
public struct PostgresArray: PostgresEncodable, Sendable {
    public let elements: [String?]
    public init(_ elements: [String?]) { self.elements = elements }
    public init<T: BinaryInteger>(_ ints: [T]) { self.elements = ints.map { String($0) } }
    public init(_ doubles: [Double]) { self.elements = doubles.map { String($0) } }

    /// Built over UTF-8 bytes: appending scalar by scalar to a String was a fifth of the
    /// aggregate worker's CPU (`perf record` over `bench pipeline`). Only `"` and `\` are ASCII
    /// bytes that need escaping, and no byte of a multi-byte UTF-8 sequence is ASCII.
    public var postgresValue: PostgresValue {
        var out: [UInt8] = []
        out.reserveCapacity(2 + elements.reduce(0) { $0 + ($1?.utf8.count ?? 4) + 3 })
        out.append(UInt8(ascii: "{"))
        for (i, e) in elements.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            guard let e else { out.append(contentsOf: "NULL".utf8); continue }
            out.append(UInt8(ascii: "\""))
            for b in e.utf8 {
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
        return .text(String(decoding: out, as: UTF8.self))
    }
}
