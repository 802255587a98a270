import Foundation
import Logging
import Postgres
import Queue
import Store
import TextCore

/// Extract: one article's indicators and milestones, each with its evidence. Re-extracting an
/// article replaces its extractions; the article's aggregate job is enqueued in the same transaction.
public struct ExtractHandler: BatchStageHandler {
    public let stage = Stage.extract.rawValue
    public let context: StageContext
    let extractor: Extractor
    public var batchSize: Int { 16 }

    public init(context: StageContext) throws {
        self.context = context
        self.extractor = Extractor(lexicon: try Lexicon.load(lexiconDir: context.lexiconDir))
    }

    /// The batch's articles are read, their old report sources withdrawn and their extractions
    /// replaced in one statement each, not one per article.
    public func handleBatch(_ jobs: [Job], prepared: [Int64: any PreparedWork], tx: Connection, logger: Logger) throws -> [NewJob] {
        let wanted = try Set(jobs.map { try $0.decodePayload(ArticlePayload.self).articleID })
        let articles = try ArticleStore.load(tx, ids: wanted.sorted())
        for gone in wanted.subtracting(articles.map(\.id)).sorted() {
            logger.info("article \(gone) was replaced by a re-clean; nothing to extract")
        }
        let extracted = try articles.map { article in
            let found = extractor.extract(ArticleText(text: article.text, headline: article.headline,
                                                      published: article.published, homeRegion: article.homeRegion))
            let rows = try (found.indicators.map(StoredExtraction.indicator) + found.milestones.map(StoredExtraction.milestone)).map { try $0.row() }
            return ExtractionStore.ArticleRows(articleID: article.id, documentID: article.documentID, rows: rows)
        }
        // Old extractions take their report sources with them: those rows settle without them.
        let marked = try ReportStore.forget(tx, articleIDs: articles.map(\.id))
        try ExtractionStore.replace(tx, extracted)
        return try articles.map { try NewJob(stage: .aggregate, encoding: ArticlePayload(articleID: $0.id)) }
            + SettlePayload.jobs(ifMarked: marked)
    }
}
