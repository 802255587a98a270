import Foundation
import Logging
import Postgres
import Queue
import Store
import TextCore

/// Aggregate: folds one article's extractions into the reporting tables. The article's source
/// rows are replaced, then every reporting row they touch is recomputed from all its sources, under
/// advisory locks on those rows' keys: re-running, or running several aggregate workers at once,
/// gives the same tables.
public struct AggregateHandler: StageHandler {
    public let stage = Stage.aggregate.rawValue
    public let context: StageContext
    let metrics: MetricCanonicalizer
    public var batchSize: Int { 16 }

    public init(context: StageContext) {
        self.context = context
        let lexicon = (try? String(contentsOf: context.configDir.appendingPathComponent("metric_synonyms.tsv"), encoding: .utf8)) ?? ""
        self.metrics = MetricCanonicalizer(lexicon: lexicon)
    }

    public func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob] {
        let payload = try job.decodePayload(ArticlePayload.self)
        try ReportStore.refresh(tx, articleID: payload.articleID, canonicalMetric: metrics.canonicalize)
        return []
    }
}
