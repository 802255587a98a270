import Postgres

/// A raw document as fetched: bytes plus what the manifest or the server said about it.
public struct StoredDocument: Sendable {
    public let id: Int64
    public let sourceID: String
    public let contentHash: String
    public let content: [UInt8]
    public let contentType: String
    /// The manifest entry (published, source, home_region, url …) as JSON text.
    public let metadata: String
}

/// SQL for the `documents` table.
public enum DocumentStore {
    /// Inserts or replaces a source's content. Returns the document id when something changed
    /// (new source, new bytes or new metadata); nil when the stored copy is identical.
    /// Metadata is merged: a field given again replaces the stored one, a field left out keeps it,
    /// so re-enqueueing a file without --published does not split its series.
    public static func upsert(_ db: Connection, sourceID: String, contentHash: String, content: [UInt8],
                              contentType: String, metadata: String) throws -> Int64? {
        let r = try db.query("""
            INSERT INTO documents (source_id, content_hash, content, content_type, metadata)
            VALUES ($1, $2, $3, $4, $5::jsonb)
            ON CONFLICT (source_id) DO UPDATE
               SET content_hash = EXCLUDED.content_hash, content = EXCLUDED.content,
                   content_type = EXCLUDED.content_type, metadata = documents.metadata || EXCLUDED.metadata, fetched_at = now()
             WHERE documents.content_hash <> EXCLUDED.content_hash OR documents.metadata <> documents.metadata || EXCLUDED.metadata
                OR documents.content_type <> EXCLUDED.content_type
            RETURNING id
            """, [sourceID, contentHash, content, contentType, metadata])
        return try r.first?.decode(Int64.self, 0)
    }

    /// The documents that still exist of `ids`, in the order of their ids.
    public static func load(_ db: Connection, ids: [Int64]) throws -> [StoredDocument] {
        let r = try db.query("""
            SELECT id, source_id, content_hash, content, content_type, metadata::text FROM documents
             WHERE id = ANY($1::bigint[]) ORDER BY id
            """, [PostgresArray(ids)])
        return try r.rows.map {
            StoredDocument(id: try $0.decode(Int64.self, 0), sourceID: try $0.decode(String.self, 1),
                           contentHash: try $0.decode(String.self, 2), content: try $0.decode([UInt8].self, 3),
                           contentType: try $0.decode(String.self, 4), metadata: try $0.decode(String.self, 5))
        }
    }

    /// Marks documents cleaned, each with its warnings (a JSON array as text).
    public static func markCleaned(_ db: Connection, _ warnings: [Int64: String]) throws {
        guard !warnings.isEmpty else { return }
        let ids = warnings.keys.sorted()
        try db.execute("""
            UPDATE documents d SET cleaned_at = now(), clean_warnings = t.warnings::jsonb
              FROM unnest($1::bigint[], $2::text[]) AS t(id, warnings)
             WHERE d.id = t.id
            """, [PostgresArray(ids), PostgresArray(ids.map { warnings[$0]! })])
    }

    public static func allIDs(_ db: Connection) throws -> [(id: Int64, hash: String)] {
        try db.query("SELECT id, content_hash FROM documents ORDER BY id").rows.map {
            (try $0.decode(Int64.self, 0), try $0.decode(String.self, 1))
        }
    }
}
