import Foundation
import Logging
import Postgres
import Queue
import Store
import TextCore

/// Fetch: a source (a local file or an http(s) URL) becomes a raw document. Unchanged content
/// (a 304, or the same hash and metadata) makes no new document and no downstream work; new or
/// changed content is stored and handed to clean. A feed, or a page enqueued as an index, hands
/// one fetch job per linked article to this stage instead, in the same transaction.
public struct FetchHandler: StageHandler {
    public let stage = Stage.fetch.rawValue
    public let context: StageContext
    // Files hand off eight at a time (an eighth of the transactions); a web source goes alone
    // (`canShareBatch`): a slow host then holds one thread for one job, and the jobs of other
    // hosts go to the other threads.
    public var batchSize: Int { 8 }

    public func canShareBatch(_ job: Job) -> Bool {
        // A payload that does not decode fails in `handle` either way; it may share.
        ((try? job.decodePayload(FetchPayload.self))?.isWeb ?? false) == false
    }

    public init(context: StageContext) { self.context = context }

    /// A web page's response, fetched before the hand-off transaction.
    struct Fetched: PreparedWork { let outcome: WebSource.Outcome }

    /// Web sources are fetched here, outside any transaction: the host's slot is reserved by a
    /// statement that commits, the request runs with no transaction open, the response goes to
    /// `handle`. Files are read in `handle` (local and bounded).
    public func prepare(_ job: Job, db: Connection, logger: Logger) throws -> (any PreparedWork)? {
        let payload = try job.decodePayload(FetchPayload.self)
        guard payload.isWeb, Intake.problem(with: payload.metadata) == nil else { return nil }
        guard let url = URL(string: payload.source) else { throw PermanentJobError("\(payload.source) is not a URL") }
        let web = WebSource(policy: context.web, maxBytes: context.maxDocumentBytes)
        // Any error but PermanentJobError and RetryLater (WebSource.Transient among them) is
        // retried with backoff. Feeds and index pages store no document, so they have no
        // validators and are asked in full.
        return Fetched(outcome: try web.fetch(url, db: db, validators: try FetchStore.validators(db, sourceID: url.absoluteString)))
    }

    public func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob] {
        try handle(job, prepared: nil, tx: tx, logger: logger)
    }

    public func handle(_ job: Job, prepared: (any PreparedWork)?, tx: Connection, logger: Logger) throws -> [NewJob] {
        let payload = try job.decodePayload(FetchPayload.self)
        // (Checked at the door too; a job queued some other way still cannot succeed on retry.)
        if let problem = Intake.problem(with: payload.metadata) { throw PermanentJobError("\(payload.source): \(problem)") }
        if payload.isWeb {
            guard let fetched = prepared as? Fetched else { throw PermanentJobError("\(payload.source): the page was not fetched before the hand-off") }
            return try storeWeb(fetched.outcome, payload, tx: tx, logger: logger)
        }
        let file = try FileSource.resolve(payload.source, roots: context.fileRoots)
        var bytes = try FileSource.read(file, maxBytes: context.maxDocumentBytes)
        var contentType = FileSource.contentType(of: file)
        if contentType == "application/pdf" || bytes.starts(with: Array("%PDF".utf8)) {
            bytes = try PDFText.extract(bytes, source: payload.source)
            contentType = "text/plain; charset=utf-8"
        }
        return try store(bytes, contentType: contentType, sourceID: FileSource.sourceID(for: file, roots: context.fileRoots),
                         metadata: payload.metadata, tx: tx, logger: logger)
    }

    private func storeWeb(_ outcome: WebSource.Outcome, _ payload: FetchPayload, tx: Connection, logger: Logger) throws -> [NewJob] {
        let sourceID = URL(string: payload.source)?.absoluteString ?? payload.source
        guard case .body(let finalURL, var bytes, var contentType, let etag, let lastModified) = outcome else {
            logger.debug("not modified: \(sourceID)")
            return []
        }
        let lowered = contentType.lowercased()
        // Feeds and index pages: their articles, not themselves, go on.
        if lowered.contains("rss") || lowered.contains("atom") || ((lowered.contains("xml") || lowered.isEmpty)
            && Links.isFeed(String(decoding: bytes.prefix(2048), as: UTF8.self))) {
            return try follow(Links.fromFeed(bytes, base: finalURL), from: payload, logger: logger)
        }
        if payload.kind == "index" {
            let page = TextDecoding.decode(bytes, httpContentType: contentType).text
            return try follow(Links.fromIndexPage(page, base: finalURL, prefix: payload.linkPrefix), from: payload, logger: logger)
        }
        if lowered.contains("pdf") || bytes.starts(with: Array("%PDF".utf8)) {
            bytes = try PDFText.extract(bytes, source: sourceID)
            contentType = "text/plain; charset=utf-8"
        } else if !(lowered.isEmpty || lowered.hasPrefix("text/") || lowered.contains("html") || lowered.contains("xml")) {
            throw PermanentJobError("\(sourceID) is \(contentType), not a supported type (HTML, text, PDF, RSS or Atom)")
        }
        var metadata = payload.metadata
        if metadata.url == nil { metadata.url = finalURL.absoluteString }
        let jobs = try store(bytes, contentType: contentType, sourceID: sourceID, metadata: metadata, tx: tx, logger: logger)
        try FetchStore.storeValidators(tx, sourceID: sourceID, etag: etag, lastModified: lastModified, finalURL: finalURL.absoluteString)
        return jobs
    }

    /// One fetch job per linked article; a dedupe key per URL keeps an article linked from two
    /// pages (or a feed fetched twice) from being queued twice at once.
    private func follow(_ links: [URL], from payload: FetchPayload, logger: Logger) throws -> [NewJob] {
        logger.info("\(payload.source): \(links.count) linked article(s)")
        var meta = payload.metadata
        meta.url = nil
        meta.published = nil   // each article's own date comes from its page
        return try links.map { url in
            try FetchPayload(source: url.absoluteString, metadata: meta).job()
        }
    }

    private func store(_ bytes: [UInt8], contentType: String, sourceID: String, metadata: DocumentMetadata,
                       tx: Connection, logger: Logger) throws -> [NewJob] {
        let hash = SHA256.hex(bytes)
        let meta = String(decoding: try JSONEncoder.sorted.encode(metadata), as: UTF8.self)
        guard let documentID = try DocumentStore.upsert(tx, sourceID: sourceID, contentHash: hash, content: bytes,
                                                        contentType: contentType, metadata: meta) else {
            logger.debug("unchanged: \(sourceID)")
            return []
        }
        return [try NewJob(stage: .clean, encoding: CleanPayload(documentID: documentID), dedupeKey: "doc:\(documentID):\(hash)")]
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
