import Foundation
import Logging
import Postgres
import Queue
import Store
import TextCore

/// Clean: a raw document becomes clean articles. Re-cleaning replaces the document's articles
/// (and, by cascade, what was derived from them). Bad input (empty, binary, nothing left after
/// boilerplate) is permanent: the job goes to `dead` with the reason.
public struct CleanHandler: StageHandler {
    public let stage = Stage.clean.rawValue
    public let context: StageContext
    public var batchSize: Int { 4 }

    public init(context: StageContext) { self.context = context }

    public func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob] {
        let payload = try job.decodePayload(CleanPayload.self)
        guard let doc = try DocumentStore.load(tx, id: payload.documentID) else {
            logger.info("document \(payload.documentID) no longer exists; nothing to clean")
            return []
        }
        let meta = (try? JSONDecoder().decode(DocumentMetadata.self, from: Data(doc.metadata.utf8))) ?? DocumentMetadata()
        let output: Cleaner.Output
        do {
            output = try Cleaner.clean(.init(bytes: doc.content, contentType: doc.contentType, published: meta.published,
                                             url: meta.url, sourceID: doc.sourceID))
        } catch let failure as Cleaner.Failure {
            throw PermanentJobError(failure.description)
        }
        let rows = output.articles.map { a in
            ArticleStore.New(index: a.index, headline: a.headline, byline: a.byline, published: a.published,
                             source: meta.source, homeRegion: meta.homeRegion, text: a.text,
                             paragraphOffsets: a.paragraphOffsets, markers: Self.json(a.markers))
        }
        // The reporting rows the old articles fed are recomputed without them before they go.
        try ReportStore.forget(tx, documentID: doc.id)
        let ids = try ArticleStore.replace(tx, documentID: doc.id, with: rows)
        try DocumentStore.markCleaned(tx, id: doc.id, warnings: Self.json(output.warnings))
        for w in output.warnings { logger.info("\(doc.sourceID): \(w)") }
        return try ids.map { try NewJob(stage: .extract, encoding: ArticlePayload(articleID: $0), dedupeKey: "article:\($0)") }
    }

    static func json(_ strings: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
