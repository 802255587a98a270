import Foundation
import Logging
import Postgres
import Queue
import Store
import TextCore

/// Extract: one article's indicators and milestones, each with its evidence. Re-extracting an
/// article replaces its extractions; the article's aggregate job is enqueued in the same transaction.
public struct ExtractHandler: StageHandler {
    public let stage = Stage.extract.rawValue
    public let context: StageContext
    let extractor: Extractor
    public var batchSize: Int { 16 }

    public init(context: StageContext) throws {
        self.context = context
        self.extractor = Extractor(lexicon: try Lexicon.load(configDir: context.configDir))
    }

    public func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob] {
        let payload = try job.decodePayload(ArticlePayload.self)
        guard let article = try ArticleStore.load(tx, id: payload.articleID) else {
            logger.info("article \(payload.articleID) was replaced by a re-clean; nothing to extract")
            return []
        }
        let found = extractor.extract(ArticleText(text: article.text, headline: article.headline,
                                                  published: article.published, homeRegion: article.homeRegion))
        let rows = try (found.indicators.map(StoredExtraction.indicator) + found.milestones.map(StoredExtraction.milestone)).map { try $0.row() }
        // Old extractions take their report sources with them: recompute those rows first.
        try ReportStore.forget(tx, articleID: article.id)
        try ExtractionStore.replace(tx, articleID: article.id, documentID: article.documentID, with: rows)
        return [try NewJob(stage: .aggregate, encoding: ArticlePayload(articleID: article.id))]
    }
}
