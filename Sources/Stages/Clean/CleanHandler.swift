import Foundation
import Logging
import Postgres
import Queue
import Store
import TextCore

/// Clean: a raw document becomes clean articles. Re-cleaning replaces the document's articles
/// (and what was derived from them). Bad input (empty, binary, nothing left after
/// boilerplate) is permanent: the job goes to `dead` with the reason.
public struct CleanHandler: BatchStageHandler {
    public let stage = Stage.clean.rawValue
    public let context: StageContext
    public var batchSize: Int { 8 }

    public init(context: StageContext) { self.context = context }

    /// The batch's documents are read, their old articles withdrawn and replaced, and marked
    /// cleaned in one statement each, not one per document. A document that cannot be cleaned
    /// fails the batch, which the worker then runs job by job, so only that job dies.
    public func handleBatch(_ jobs: [Job], prepared: [Int64: any PreparedWork], tx: Connection, logger: Logger) throws -> [NewJob] {
        let wanted = try Set(jobs.map { try $0.decodePayload(CleanPayload.self).documentID })
        let docs = try DocumentStore.load(tx, ids: wanted.sorted())
        for gone in wanted.subtracting(docs.map(\.id)).sorted() {
            logger.info("document \(gone) no longer exists; nothing to clean")
        }
        var articles: [Int64: [ArticleStore.New]] = [:], warnings: [Int64: String] = [:]
        for doc in docs {
            let meta: DocumentMetadata
            do { meta = try JSONDecoder().decode(DocumentMetadata.self, from: Data(doc.metadata.utf8)) } catch {
                throw PermanentJobError("document \(doc.id) (\(doc.sourceID)): its stored metadata does not decode (\(error)); fetch it again")
            }
            let output: Cleaner.Output
            do {
                output = try Cleaner.clean(.init(bytes: doc.content, contentType: doc.contentType, published: meta.published,
                                                 url: meta.url, sourceID: doc.sourceID))
            } catch let failure as Cleaner.Failure {
                throw PermanentJobError(failure.description)
            }
            articles[doc.id] = output.articles.map { a in
                ArticleStore.New(index: a.index, headline: a.headline, byline: a.byline, published: a.published,
                                 source: meta.source, homeRegion: meta.homeRegion, text: a.text,
                                 paragraphOffsets: a.paragraphOffsets, markers: Self.json(a.markers))
            }
            warnings[doc.id] = Self.json(output.warnings)
            for w in output.warnings { logger.info("\(doc.sourceID): \(w)") }
        }
        // The reporting rows the old articles fed settle without them (a settle job follows).
        let marked = try ReportStore.forget(tx, documentIDs: docs.map(\.id))
        let ids = try ArticleStore.replace(tx, articles)
        try DocumentStore.markCleaned(tx, warnings)
        return try docs.flatMap { ids[$0.id] ?? [] }.map {
            try NewJob(stage: .extract, encoding: ArticlePayload(articleID: $0), dedupeKey: "article:\($0)")
        } + SettlePayload.jobs(ifMarked: marked)
    }

    static func json(_ strings: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
