import Postgres

extension Migration {
    /// Extractions without a per-row foreign key to their article. The check locked the article
    /// row once per extraction (`FOR KEY SHARE`) and was three quarters of the cost of inserting a
    /// batch's extractions (`bench pipeline`, pg_stat_statements: 2.3 s → 0.6 s per 2,000
    /// documents). It guarded nothing the stages do not: extractions are written only for an
    /// article the same transaction has just read, and `ArticleStore.replace` deletes a
    /// document's extractions with its articles (what the cascade did).
    static let m011ExtractionsUnchecked = Migration(version: 11, name: "extractions unchecked", sql: """
    ALTER TABLE extractions DROP CONSTRAINT IF EXISTS extractions_article_id_fkey;
    ALTER TABLE extractions DROP CONSTRAINT IF EXISTS extractions_document_id_fkey;
    """)
}
