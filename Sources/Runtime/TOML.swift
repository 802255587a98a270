/// The subset of TOML that `config/tideline.toml` uses: `[section]` and `[a.b]` headers,
/// `key = value` with strings, integers, floats, booleans and arrays of those, `#` comments.
/// Errors name the line and what is wrong.
public enum TOMLValue: Equatable, Sendable {
    case string(String), integer(Int), float(Double), bool(Bool), array([TOMLValue])
}

public struct TOMLError: Error, CustomStringConvertible {
    public let line: Int, reason: String
    public var description: String { "line \(line): \(reason)" }
}

public enum TOML {
    /// Parses a document into flat dotted keys: `[worker]` + `lease = 30` → `worker.lease`.
    public static func parse(_ text: String) throws -> [String: TOMLValue] {
        var out: [String: TOMLValue] = [:]
        var section = ""
        for (n, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(rawLine)).trimmingSpaces()
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else { throw TOMLError(line: n + 1, reason: "a section header must look like [name]") }
                section = String(line.dropFirst().dropLast()).trimmingSpaces()
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { throw TOMLError(line: n + 1, reason: "expected key = value") }
            let key = String(line[..<eq]).trimmingSpaces().replacingQuotes()
            guard !key.isEmpty else { throw TOMLError(line: n + 1, reason: "empty key") }
            let valueText = String(line[line.index(after: eq)...]).trimmingSpaces()
            var rest = Substring(valueText)
            let value = try parseValue(&rest, line: n + 1)
            guard rest.trimmingSpaces().isEmpty else { throw TOMLError(line: n + 1, reason: "unexpected text after the value: \(rest)") }
            let full = section.isEmpty ? key : section + "." + key
            if out[full] != nil { throw TOMLError(line: n + 1, reason: "\(full) is set twice") }
            out[full] = value
        }
        return out
    }

    private static func stripComment(_ s: String) -> String {
        var inString = false
        var out = ""
        for c in s {
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { break }
            out.append(c)
        }
        return out
    }

    private static func parseValue(_ s: inout Substring, line: Int) throws -> TOMLValue {
        s = s.drop(while: { $0 == " " || $0 == "\t" })
        guard let first = s.first else { throw TOMLError(line: line, reason: "missing value") }
        if first == "\"" {
            s = s.dropFirst()
            var str = ""
            while let c = s.first {
                s = s.dropFirst()
                if c == "\"" { return .string(str) }
                if c == "\\", let e = s.first {
                    s = s.dropFirst()
                    switch e { case "n": str.append("\n"); case "t": str.append("\t"); default: str.append(e) }
                } else { str.append(c) }
            }
            throw TOMLError(line: line, reason: "unterminated string")
        }
        if first == "[" {
            s = s.dropFirst()
            var items: [TOMLValue] = []
            while true {
                s = s.drop(while: { $0 == " " || $0 == "\t" || $0 == "," })
                guard let c = s.first else { throw TOMLError(line: line, reason: "unterminated array (arrays must fit on one line)") }
                if c == "]" { s = s.dropFirst(); return .array(items) }
                items.append(try parseValue(&s, line: line))
            }
        }
        let token = String(s.prefix(while: { $0 != "," && $0 != "]" && $0 != " " && $0 != "\t" }))
        s = s.dropFirst(token.count)
        let plain = token.replacingUnderscores()
        if token == "true" { return .bool(true) }
        if token == "false" { return .bool(false) }
        if let i = Int(plain) { return .integer(i) }
        if let d = Double(plain) { return .float(d) }
        throw TOMLError(line: line, reason: "\(token) is not a string, number, boolean or array (strings need double quotes)")
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(self.drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
    fileprivate func replacingQuotes() -> String { String(self.filter { $0 != "\"" }) }
    fileprivate func replacingUnderscores() -> String { String(self.filter { $0 != "_" }) }
}
