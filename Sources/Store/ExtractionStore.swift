import Postgres

/// SQL for the `extractions` table.
public enum ExtractionStore {
    public struct New: Sendable {
        public var kind: String          // indicator | milestone
        public var data: String          // JSON object: the export line's fields
        public var evidence: String
        public var start: Int
        public var end: Int
        public init(kind: String, data: String, evidence: String, start: Int, end: Int) {
            self.kind = kind; self.data = data; self.evidence = evidence; self.start = start; self.end = end
        }
    }

    /// Replaces an article's extractions; returns how many were written.
    @discardableResult
    public static func replace(_ db: Connection, articleID: Int64, documentID: Int64, with rows: [New]) throws -> Int {
        try db.execute("DELETE FROM extractions WHERE article_id = $1", [articleID])
        guard !rows.isEmpty else { return 0 }
        return try db.query("""
            INSERT INTO extractions (article_id, document_id, kind, data, evidence, start_offset, end_offset)
            SELECT $1, $2, t.kind, t.data::jsonb, t.evidence, t.s, t.e
              FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::int[]) AS t(kind, data, evidence, s, e)
            """, [articleID, documentID,
                  PostgresArray(rows.map { $0.kind }), PostgresArray(rows.map { $0.data }),
                  PostgresArray(rows.map { $0.evidence }), PostgresArray(rows.map { $0.start }),
                  PostgresArray(rows.map { $0.end })]).affectedRows
    }
}
