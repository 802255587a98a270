import Postgres

/// An article as the clean stage wrote it.
public struct StoredArticle: Sendable {
    public let id: Int64
    public let documentID: Int64
    public let sourceID: String
    public let index: Int
    public let headline: String?
    public let byline: String?
    public let published: String?
    public let homeRegion: String?
    public let text: String
}

/// SQL for the `articles` table.
public enum ArticleStore {
    public struct New: Sendable {
        public var index: Int
        public var headline: String?
        public var byline: String?
        public var published: String?
        public var source: String?
        public var homeRegion: String?
        public var text: String
        public var paragraphOffsets: [Int]
        public var markers: String
        public init(index: Int, headline: String?, byline: String?, published: String?, source: String?,
                    homeRegion: String?, text: String, paragraphOffsets: [Int], markers: String) {
            self.index = index; self.headline = headline; self.byline = byline; self.published = published
            self.source = source; self.homeRegion = homeRegion; self.text = text
            self.paragraphOffsets = paragraphOffsets; self.markers = markers
        }
    }

    /// Replaces a document's articles and their extractions (the report sources must have been
    /// withdrawn first: `ReportStore.forget`) and returns the new ids in order.
    public static func replace(_ db: Connection, documentID: Int64, with articles: [New]) throws -> [Int64] {
        try replace(db, [documentID: articles])[documentID] ?? []
    }

    /// The same for several documents in two statements; returns each document's new article ids
    /// in order.
    public static func replace(_ db: Connection, _ documents: [Int64: [New]]) throws -> [Int64: [Int64]] {
        guard !documents.isEmpty else { return [:] }
        let order = documents.keys.sorted()
        // Extractions first: they carry no foreign key to cascade from (M011).
        try db.execute("DELETE FROM extractions WHERE id = ANY(ARRAY(\(PerID.rows("id", from: "extractions", where: "document_id"))))",
                       [PostgresArray(order)])
        try db.execute("DELETE FROM articles WHERE id = ANY(ARRAY(\(PerID.rows("id", from: "articles", where: "document_id"))))",
                       [PostgresArray(order)])
        let rows = order.flatMap { d in documents[d]!.map { (d, $0) } }
        guard !rows.isEmpty else { return [:] }
        let articles = rows.map(\.1)
        let r = try db.query("""
            INSERT INTO articles (document_id, index, headline, byline, published, source, home_region, text,
                                  paragraph_offsets, markers)
            SELECT t.document, t.index, t.headline, t.byline, t.published::date, t.source, t.home_region, t.text,
                   t.offsets::integer[], t.markers::jsonb
              FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::text[])
                   AS t(document, index, headline, byline, published, source, home_region, text, offsets, markers)
            ORDER BY t.document, t.index
            RETURNING id, document_id
            """, [PostgresArray(rows.map(\.0)),
                  PostgresArray(articles.map { $0.index }),
                  PostgresArray(articles.map { $0.headline }),
                  PostgresArray(articles.map { $0.byline }),
                  PostgresArray(articles.map { $0.published }),
                  PostgresArray(articles.map { $0.source }),
                  PostgresArray(articles.map { $0.homeRegion }),
                  PostgresArray(articles.map { $0.text }),
                  PostgresArray(articles.map { "{" + $0.paragraphOffsets.map(String.init).joined(separator: ",") + "}" }),
                  PostgresArray(articles.map { $0.markers })])
        var ids: [Int64: [Int64]] = [:]
        for row in r.rows { ids[try row.decode(Int64.self, 1), default: []].append(try row.decode(Int64.self, 0)) }
        for d in ids.keys { ids[d]!.sort() }
        return ids
    }

    public static func load(_ db: Connection, id: Int64) throws -> StoredArticle? {
        try load(db, ids: [id]).first
    }

    /// The articles that still exist of `ids`, in the order of their ids.
    public static func load(_ db: Connection, ids: [Int64]) throws -> [StoredArticle] {
        let r = try db.query("""
            SELECT a.id, a.document_id, d.source_id, a.index, a.headline, a.byline, a.published::text,
                   a.home_region, a.text
              FROM articles a JOIN documents d ON d.id = a.document_id
             WHERE a.id = ANY($1::bigint[]) ORDER BY a.id
            """, [PostgresArray(ids)])
        return try r.rows.map {
            StoredArticle(id: try $0.decode(Int64.self, 0), documentID: try $0.decode(Int64.self, 1),
                          sourceID: try $0.decode(String.self, 2), index: try $0.decode(Int.self, 3),
                          headline: try $0.decodeOptional(String.self, 4), byline: try $0.decodeOptional(String.self, 5),
                          published: try $0.decodeOptional(String.self, 6), homeRegion: try $0.decodeOptional(String.self, 7),
                          text: try $0.decode(String.self, 8))
        }
    }
}
