import ArgumentParser
import Foundation
import Postgres
import Store
import Runtime
import TextCore

/// GUIDE.md's exports: articles, indicators, milestones as JSON Lines or CSV.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the articles, indicators or milestones export (JSON Lines or CSV).")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "articles, indicators or milestones") var what: String
    @Option(help: "jsonl or csv") var format: String = "jsonl"
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

    func validate() throws {
        guard ["articles", "indicators", "milestones"].contains(what) else { throw ValidationError("export articles, indicators or milestones") }
        guard ["jsonl", "csv"].contains(format) else { throw ValidationError("--format is jsonl or csv") }
    }

    func run() throws {
        let (session, _) = try db.session()
        defer { session.close() }
        let conn = try session.connect()
        let rows = try Exports.rows(conn, what)
        let text = format == "jsonl" ? try Exports.jsonl(rows) : Exports.csv(rows)
        if let output {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
            note("wrote \(rows.count) \(what) to \(output)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// One line of an export: its columns in order, each a JSON value (nil is null).
struct ExportRow: Encodable {
    enum Value: Encodable {
        case string(String?), int(Int), double(Double?), bool(Bool)
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .string(let s): if let s { try c.encode(s) } else { try c.encodeNil() }
            case .int(let i): try c.encode(i)
            case .double(let d):
                guard let d else { try c.encodeNil(); return }
                if d == d.rounded() && abs(d) < 1e15 { try c.encode(Int64(d)) } else { try c.encode(d) }
            case .bool(let b): try c.encode(b)
            }
        }
        var csv: String {
            switch self {
            case .string(let s): return s ?? ""
            case .int(let i): return String(i)
            case .double(let d): return d.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int64($0)) : String($0) } ?? ""
            case .bool(let b): return b ? "true" : "false"
            }
        }
    }
    let columns: [(String, Value)]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (k, v) in columns { try c.encode(v, forKey: Key(stringValue: k)) }
    }
}

enum Exports {
    static func rows(_ conn: Connection, _ what: String) throws -> [ExportRow] {
        switch what {
        case "articles":
            return try conn.query("""
                SELECT d.source_id, a.index, a.headline, a.byline, a.published::text, a.text
                  FROM articles a JOIN documents d ON d.id = a.document_id ORDER BY d.source_id, a.index
                """).rows.map { r in
                ExportRow(columns: [("doc", .string(try r.decode(String.self, 0))), ("index", .int(try r.decode(Int.self, 1))),
                                    ("headline", .string(try r.decodeOptional(String.self, 2))),
                                    ("byline", .string(try r.decodeOptional(String.self, 3))),
                                    ("published", .string(try r.decodeOptional(String.self, 4))),
                                    ("text", .string(try r.decode(String.self, 5)))])
            }
        default:
            let kind = what == "indicators" ? "indicator" : "milestone"
            return try conn.query("""
                SELECT d.source_id, e.data::text, e.id FROM extractions e JOIN documents d ON d.id = e.document_id
                  JOIN articles a ON a.id = e.article_id
                 WHERE e.kind = $1 ORDER BY d.source_id, a.index, e.start_offset, e.id
                """, [kind]).rows.map { r in
                let doc = try r.decode(String.self, 0)
                switch try StoredExtraction.decode(kind: kind, json: try r.decode(String.self, 1), extractionID: try r.decode(Int64.self, 2)) {
                case .indicator(let i): return ExportRows.indicator(doc: doc, i)
                case .milestone(let m): return ExportRows.milestone(doc: doc, m)
                }
            }
        }
    }

    static func jsonl(_ rows: [ExportRow]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try rows.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }

    static func csv(_ rows: [ExportRow]) -> String {
        guard let first = rows.first else { return "" }
        func quote(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = first.columns.map(\.0).joined(separator: ",") + "\n"
        for row in rows { out += row.columns.map { quote($0.1.csv) }.joined(separator: ",") + "\n" }
        return out
    }
}

/// The columns of each export, in GUIDE.md's order: one owner for the database export and the preview.
enum ExportRows {
    static func article(doc: String, _ a: Cleaner.CleanArticle) -> ExportRow {
        ExportRow(columns: [("doc", .string(doc)), ("index", .int(a.index)), ("headline", .string(a.headline)),
                            ("byline", .string(a.byline)), ("published", .string(a.published)), ("text", .string(a.text))])
    }
    static func indicator(doc: String, _ i: Indicator) -> ExportRow {
        ExportRow(columns: [("doc", .string(doc)), ("metric", .string(i.metric)), ("metric_key", .string(i.metricKey)),
                            ("subject", .string(i.subject)), ("region", .string(i.region)), ("value", .double(i.value)),
                            ("value_max", .double(i.valueMax)), ("unit", .string(i.unit)),
                            ("qualifier", .string(i.qualifier)), ("kind", .string(i.kind)),
                            ("period", .string(i.period)), ("evidence", .string(i.evidence))])
    }
    static func milestone(doc: String, _ m: Milestone) -> ExportRow {
        ExportRow(columns: [("doc", .string(doc)), ("date", .string(m.date)), ("action", .string(m.action)),
                            ("subject", .string(m.subject)), ("document", .string(m.document)),
                            ("region", .string(m.region)), ("planned", .bool(m.planned)),
                            ("evidence", .string(m.evidence))])
    }
}
