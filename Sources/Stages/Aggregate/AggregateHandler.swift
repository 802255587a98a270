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
    let keys: ReportStore.Keys
    // A batch's articles are refreshed together: their keys locked first in one order (no deadlock
    // between workers), each touched row recomputed once.
    public var batchSize: Int { 16 }

    public init(context: StageContext) throws {
        self.context = context
        let subjects = try Lexicon.subjects(lexiconDir: context.lexiconDir)
        self.keys = ReportStore.Keys(metric: { ReportKeyText.key($0) }, subject: { subjects.canonicalize($0, region: $1) })
    }

    public func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob] {
        try handleBatch([job], prepared: [:], tx: tx, logger: logger)
    }

    public func handleBatch(_ jobs: [Job], prepared: [Int64: any PreparedWork], tx: Connection, logger: Logger) throws -> [NewJob] {
        let ids = try jobs.map { try $0.decodePayload(ArticlePayload.self).articleID }
        try ReportStore.refresh(tx, articleIDs: ids, keys: keys)
        return []
    }
}
