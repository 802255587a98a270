import Queue

/// The payload of each stage's jobs. One place, so producer and consumer agree.
public struct FetchPayload: Codable, Sendable, Equatable {
    /// A file path (relative to the working folder or absolute) or an http(s) URL.
    public var source: String
    /// The manifest entry, kept as the document's metadata.
    public var metadata: DocumentMetadata
    /// `index`: a page listing articles, each of which is fetched (a feed is recognised by itself).
    public var kind: String?
    /// With `index`: only links whose path starts with this.
    public var linkPrefix: String?
    enum CodingKeys: String, CodingKey {
        case source, metadata, kind
        case linkPrefix = "link_prefix"
    }
    public init(source: String, metadata: DocumentMetadata, kind: String? = nil, linkPrefix: String? = nil) {
        self.source = source; self.metadata = metadata; self.kind = kind; self.linkPrefix = linkPrefix
    }
    public var isWeb: Bool { source.lowercased().hasPrefix("http://") || source.lowercased().hasPrefix("https://") }

    /// The fetch job for this payload. Its dedupe key, the source, keeps one source from being
    /// queued twice at once, however it was queued (enqueue, a manifest, a feed, a schedule).
    public func job() throws -> NewJob {
        try NewJob(stage: .fetch, encoding: self, dedupeKey: "fetch:" + source)
    }
}

public struct DocumentMetadata: Codable, Sendable, Equatable {
    public var published: String?
    public var source: String?
    public var homeRegion: String?
    public var url: String?
    public var note: String?
    enum CodingKeys: String, CodingKey {
        case published, source, url, note
        case homeRegion = "home_region"
    }
    public init(published: String? = nil, source: String? = nil, homeRegion: String? = nil, url: String? = nil, note: String? = nil) {
        self.published = published; self.source = source; self.homeRegion = homeRegion; self.url = url; self.note = note
    }
}

public struct CleanPayload: Codable, Sendable, Equatable {
    public var documentID: Int64
    enum CodingKeys: String, CodingKey { case documentID = "document_id" }
    public init(documentID: Int64) { self.documentID = documentID }
}

public struct ArticlePayload: Codable, Sendable, Equatable {
    public var articleID: Int64
    enum CodingKeys: String, CodingKey { case articleID = "article_id" }
    public init(articleID: Int64) { self.articleID = articleID }
}

/// The aggregate stage's second job: recompute the reporting rows that changed sources marked
/// unsettled (`ReportStore.settle`). Whoever marks rows queues one; its dedupe key keeps one
/// queued or running at a time, so rows marked by many articles in a burst are recomputed once.
public struct SettlePayload: Codable, Sendable, Equatable {
    public var settle = "report_rows"
    public init() {}
    public static func job() throws -> NewJob {
        try NewJob(stage: .aggregate, encoding: SettlePayload(), dedupeKey: "settle:report_rows")
    }
    /// The settle to queue after a change of sources that did (or did not) mark rows.
    public static func jobs(ifMarked marked: Bool) throws -> [NewJob] { marked ? [try job()] : [] }
}

/// What an aggregate job asks for, told apart by its payload's key.
public enum AggregateWork: Decodable, Equatable {
    case article(Int64)
    case settle

    enum CodingKeys: String, CodingKey { case articleID = "article_id", settle }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let id = try c.decodeIfPresent(Int64.self, forKey: .articleID) { self = .article(id); return }
        guard try c.decodeIfPresent(String.self, forKey: .settle) == SettlePayload().settle else {
            throw DecodingError.dataCorruptedError(forKey: .settle, in: c, debugDescription: "neither article_id nor settle = \"report_rows\"")
        }
        self = .settle
    }
}
