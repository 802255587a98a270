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

    /// One article's extractions, as `replace` takes them.
    public struct ArticleRows: Sendable {
        public var articleID: Int64, documentID: Int64, rows: [New]
        public init(articleID: Int64, documentID: Int64, rows: [New]) {
            self.articleID = articleID; self.documentID = documentID; self.rows = rows
        }
    }

    /// Replaces an article's extractions; returns how many were written.
    @discardableResult
    public static func replace(_ db: Connection, articleID: Int64, documentID: Int64, with rows: [New]) throws -> Int {
        try replace(db, [ArticleRows(articleID: articleID, documentID: documentID, rows: rows)])
    }

    /// Replaces several articles' extractions in two statements (a batch's worth: a statement per
    /// article was most of the extract stage's round trips); returns how many were written.
    @discardableResult
    public static func replace(_ db: Connection, _ articles: [ArticleRows]) throws -> Int {
        guard !articles.isEmpty else { return 0 }
        try db.execute("DELETE FROM extractions WHERE id = ANY(ARRAY(\(PerID.rows("id", from: "extractions", where: "article_id"))))",
                       [PostgresArray(articles.map(\.articleID))])
        let rows = articles.flatMap { a in a.rows.map { (a.articleID, a.documentID, $0) } }
        guard !rows.isEmpty else { return 0 }
        return try db.query("""
            INSERT INTO extractions (article_id, document_id, kind, data, evidence, start_offset, end_offset)
            SELECT t.article, t.document, t.kind, t.data::jsonb, t.evidence, t.s, t.e
              FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[])
                   AS t(article, document, kind, data, evidence, s, e)
            """, [
                  PostgresArray(rows.map { $0.0 }), PostgresArray(rows.map { $0.1 }),
                  PostgresArray(rows.map { $0.2.kind }), PostgresArray(rows.map { $0.2.data }),
                  PostgresArray(rows.map { $0.2.evidence }), PostgresArray(rows.map { $0.2.start }),
                  PostgresArray(rows.map { $0.2.end })]).affectedRows
    }
}
