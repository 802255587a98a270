import CLibPQ

/// The rows a query returned, read in text format and decoded on access.
public final class QueryResult: @unchecked Sendable {   // a PGresult is read-only once returned (libpq)
    private let raw: OpaquePointer?
    public let rowCount: Int
    public let columnCount: Int
    /// Rows changed by INSERT/UPDATE/DELETE (`PQcmdTuples`).
    public let affectedRows: Int

    init(_ raw: OpaquePointer?) {
        self.raw = raw
        self.rowCount = raw.map { Int(PQntuples($0)) } ?? 0
        self.columnCount = raw.map { Int(PQnfields($0)) } ?? 0
        self.affectedRows = raw.flatMap { PQcmdTuples($0).map { Int(String(cString: $0)) ?? 0 } } ?? 0
    }

    deinit { if let raw { PQclear(raw) } }

    public var columns: [String] {
        (0..<columnCount).map { String(cString: PQfname(raw, Int32($0))) }
    }

    public func columnIndex(_ name: String) -> Int? {
        let i = Int(PQfnumber(raw, name))
        return i >= 0 ? i : nil
    }

    public var rows: [Row] { (0..<rowCount).map { Row(result: self, index: $0) } }
    public var first: Row? { rowCount > 0 ? Row(result: self, index: 0) : nil }

    func text(row: Int, column: Int) -> String? {
        guard row < rowCount, column < columnCount,
              PQgetisnull(raw, Int32(row), Int32(column)) == 0 else { return nil }
        return String(cString: PQgetvalue(raw, Int32(row), Int32(column)))
    }

    /// The value's bytes without building a String (for bytea).
    func bytes(row: Int, column: Int) -> UnsafeBufferPointer<UInt8>? {
        guard row < rowCount, column < columnCount,
              PQgetisnull(raw, Int32(row), Int32(column)) == 0,
              let p = PQgetvalue(raw, Int32(row), Int32(column)) else { return nil }
        let n = Int(PQgetlength(raw, Int32(row), Int32(column)))
        return p.withMemoryRebound(to: UInt8.self, capacity: n) { UnsafeBufferPointer(start: $0, count: n) }
    }
}

/// One row; columns are addressed by position or by name.
public struct Row {
    let result: QueryResult
    let index: Int

    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ column: Int) throws -> T {
        guard let v = try decodeOptional(type, column) else {
            throw PostgresError(kind: .decoding, message: "column \(result.columns[column]) is NULL, expected \(T.self)")
        }
        return v
    }

    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ name: String) throws -> T {
        try decode(type, try position(name))
    }

    public func decodeOptional<T: PostgresDecodable>(_ type: T.Type = T.self, _ column: Int) throws -> T? {
        if T.self == [UInt8].self {
            guard let buf = result.bytes(row: index, column: column) else { return nil }
            guard let v = ByteaHex.decode(buf) else {
                throw PostgresError(kind: .decoding, message: "column \(result.columns[column]) is not bytea hex")
            }
            return (v as! T)
        }
        guard let s = result.text(row: index, column: column) else { return nil }
        guard let v = T(postgresText: s) else {
            throw PostgresError(kind: .decoding, message: "column \(result.columns[column]) value \(s.prefix(40)) is not a \(T.self)")
        }
        return v
    }

    public func decodeOptional<T: PostgresDecodable>(_ type: T.Type = T.self, _ name: String) throws -> T? {
        try decodeOptional(type, try position(name))
    }

    private func position(_ name: String) throws -> Int {
        guard let i = result.columnIndex(name) else {
            throw PostgresError(kind: .decoding, message: "no column \(name) in result (have \(result.columns.joined(separator: ", ")))")
        }
        return i
    }
}

/// A Swift type that can be read from a column in text format.
public protocol PostgresDecodable {
    init?(postgresText: String)
}

extension String: PostgresDecodable { public init?(postgresText: String) { self = postgresText } }
extension Int: PostgresDecodable { public init?(postgresText: String) { self.init(postgresText) } }
extension Int32: PostgresDecodable { public init?(postgresText: String) { self.init(postgresText) } }
extension Int64: PostgresDecodable { public init?(postgresText: String) { self.init(postgresText) } }
extension Double: PostgresDecodable {
    public init?(postgresText: String) {
        switch postgresText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self.init(postgresText)
        }
    }
}
extension Bool: PostgresDecodable {
    public init?(postgresText: String) {
        switch postgresText { case "t", "true": self = true; case "f", "false": self = false; default: return nil }
    }
}
extension Array: PostgresDecodable where Element == UInt8 {
    public init?(postgresText: String) {
        guard let v = Array(postgresText.utf8).withUnsafeBufferPointer({ ByteaHex.decode($0) }) else { return nil }
        self = v
    }
}

/// bytea's text output (`\x48656c6c6f`).
enum ByteaHex {
    static func decode(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard s.count >= 2, s[0] == UInt8(ascii: "\\"), s[1] == UInt8(ascii: "x"), s.count % 2 == 0 else { return nil }
        var out = [UInt8](); out.reserveCapacity((s.count - 2) / 2)
        var i = 2
        while i < s.count {
            guard let hi = nibble(s[i]), let lo = nibble(s[i + 1]) else { return nil }
            out.append(hi << 4 | lo); i += 2
        }
        return out
    }
    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
