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

    public var postgresValue: PostgresValue {
        var out = "{"
        out.reserveCapacity(elements.count * 8)
        for (i, e) in elements.enumerated() {
            if i > 0 { out += "," }
            guard let e else { out += "NULL"; continue }
            out += "\""
            for ch in e.unicodeScalars {
                if ch == "\"" || ch == "\\" { out += "\\" }
                out.unicodeScalars.append(ch)
            }
            out += "\""
        }
        out += "}"
        return .text(out)
    }
}
