import ArgumentParser
import Foundation
import Postgres
import Store
import Runtime
import TextCore

/// GUIDE.md's exports (articles, indicators, milestones: what extraction found) and the
/// reporting rows (series: one line per metric key, region, period and kind), as JSON Lines or CSV.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the articles, indicators, milestones or series export (JSON Lines or CSV).")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "articles, indicators, milestones (what extraction found), or series (the reporting rows)") var what: String
    @Option(help: "jsonl or csv") var format: String = "jsonl"
    @Flag(help: "With --format csv: start with a UTF-8 byte order mark, so Excel reads the Chinese text.") var bom = false
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

    func validate() throws {
        guard ["articles", "indicators", "milestones", "series"].contains(what) else { throw ValidationError("export articles, indicators, milestones or series") }
        guard ["jsonl", "csv"].contains(format) else { throw ValidationError("--format is jsonl or csv") }
        if bom && format != "csv" { throw ValidationError("--bom goes with --format csv") }
    }

    func run() throws {
        let (session, _) = try db.session()
        defer { session.close() }
        let conn = try session.connectReading()
        let rows = try Exports.rows(conn, what)
        let text = format == "jsonl" ? try Exports.jsonl(rows) : (bom ? "\u{FEFF}" : "") + Exports.csv(rows)
        if let output {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
            note("wrote \(rows.count) \(what) to \(output)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// One line of an export: its columns in order, each a JSON value (nil is null).
struct ExportRow {
    enum Value {
        case string(String?), int(Int), double(Double?), bool(Bool)
        /// The value as JSON text.
        var json: String {
            switch self {
            case .string(let s): return s.map(JSONText.quoted) ?? "null"
            case .int(let i): return String(i)
            case .double(let d):
                guard let d, d.isFinite else { return "null" }
                return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
            case .bool(let b): return b ? "true" : "false"
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

    /// One JSON object with the columns in their order (Foundation's encoder does not keep key
    /// order on Linux, and a fixed order is what makes exports diffable).
    var json: String {
        "{" + columns.map { JSONText.quoted($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}"
    }


}

enum Exports {
    static func rows(_ conn: Connection, _ what: String) throws -> [ExportRow] {
        switch what {
        case "series":
            // The reporting rows with the provenance of the figure each shows (its first source in
            // the rows' one order) and every label the sources used.
            return try conn.query("""
                SELECT i.metric, i.region, i.period, i.kind, i.value, i.value_max, i.unit, i.qualifier, i.mentions, i.conflict,
                       i.first_published::text, i.last_published::text, ev.source_id, ev.published::text, ev.evidence,
                       (SELECT string_agg(DISTINCT s.metric_label, '|' ORDER BY s.metric_label) FROM indicator_sources s
                         WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind))
                  FROM indicators i
                  CROSS JOIN LATERAL (
                        SELECT s.source_id, s.published, s.evidence FROM indicator_sources s
                         WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind)
                         ORDER BY s.published DESC NULLS LAST, s.source_id, s.article_index, s.start_offset, s.position LIMIT 1) ev
                 ORDER BY i.metric, i.region, i.kind, i.period
                """).rows.map { r in
                ExportRow(columns: [("metric_key", .string(try r.decode(String.self, 0))), ("region", .string(try r.decode(String.self, 1))),
                                    ("period", .string(try r.decode(String.self, 2))), ("kind", .string(try r.decode(String.self, 3))),
                                    ("value", .double(try r.decode(Double.self, 4))), ("value_max", .double(try r.decodeOptional(Double.self, 5))),
                                    ("unit", .string(try r.decode(String.self, 6))), ("qualifier", .string(try r.decode(String.self, 7))),
                                    ("mentions", .int(try r.decode(Int.self, 8))), ("conflict", .bool(try r.decode(Bool.self, 9))),
                                    ("first_published", .string(try r.decodeOptional(String.self, 10))),
                                    ("last_published", .string(try r.decodeOptional(String.self, 11))),
                                    ("source", .string(try r.decode(String.self, 12))), ("source_published", .string(try r.decodeOptional(String.self, 13))),
                                    ("evidence", .string(try r.decode(String.self, 14))), ("labels", .string(try r.decodeOptional(String.self, 15)))])
            }
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
        rows.map { $0.json + "\n" }.joined()
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
