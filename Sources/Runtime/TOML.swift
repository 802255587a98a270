import TOMLKit

/// `config/tideline.toml` read by TOMLKit (TOML 1.0 through toml++: multi-line arrays, inline
/// tables, literal strings, dates), flattened into dotted keys for `Config`: `[worker]` +
/// `lease = 30` → `worker.lease`, `[stages.extract]` + `concurrency = 2` →
/// `stages.extract.concurrency`. Errors name the line and what is wrong.
public enum TOMLValue: Equatable, Sendable {
    case string(String), integer(Int), float(Double), bool(Bool), array([TOMLValue])
}

public enum TOML {
    /// Parses a document into flat dotted keys and the line each key is written on (found in
    /// the text: TOMLKit gives positions for errors only), for messages about a key.
    public static func parse(_ text: String) throws -> (values: [String: TOMLValue], lines: [String: Int]) {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            // The configuration's own error; `Config.load` puts the file's path in front.
            throw Config.Invalid(key: "line \(e.source.begin.line)", reason: e.description)
        }
        var values: [String: TOMLValue] = [:]
        try flatten(table, prefix: "", into: &values)
        return (values, lines(of: Set(values.keys), in: text))
    }

    private static func flatten(_ table: TOMLTable, prefix: String, into out: inout [String: TOMLValue]) throws {
        for key in table.keys {
            guard let v = table[key] else { continue }
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let sub = v.table { try flatten(sub, prefix: path, into: &out) } else { out[path] = try value(v, key: path) }
        }
    }

    private static func value(_ v: TOMLValueConvertible, key: String) throws -> TOMLValue {
        if let b = v.bool { return .bool(b) }
        if let i = v.int { return .integer(i) }
        if let d = v.double { return .float(d) }
        if let s = v.string { return .string(s) }
        if let a = v.array { return .array(try (0..<a.count).map { try value(a[$0], key: key) }) }
        // Dates and times: as written (no setting takes one today).
        return .string(String(describing: v))
    }

    /// The line of each dotted key: the `[section]` it is under, then `name =` (or a dotted
    /// `a.b =`) on a line of its own. Keys written inline in a table value get their table's line.
    static func lines(of keys: Set<String>, in text: String) -> [String: Int] {
        var out: [String: Int] = [:]
        var section = ""
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") && !line.hasPrefix("[[") {
                section = line.dropFirst().prefix { $0 != "]" }.trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let eq = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            let name = line[..<eq].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\"", with: "")
            let full = section.isEmpty ? name : section + "." + name
            for key in keys where out[key] == nil && (key == full || key.hasPrefix(full + ".")) { out[key] = n + 1 }
        }
        return out
    }
}
