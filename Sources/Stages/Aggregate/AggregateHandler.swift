import Foundation
import Logging
import Postgres
import Queue
import Store
import TextCore

/// Aggregate: folds articles' extractions into the reporting tables. An article job replaces the
/// article's source rows under advisory locks on their groups and marks the rows they feed
/// unsettled; a settle job recomputes each unsettled row once from all its sources. Rows are a
/// function of their sources, so re-running, or running several aggregate workers at once, gives
/// the same tables.
public struct AggregateHandler: BatchStageHandler {
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

    /// A settle goes alone: its transaction then holds no group lock and marks no row while it
    /// waits for the markers (one of which could be waiting for a mark it made: a deadlock).
    public func canShareBatch(_ job: Job) -> Bool {
        // A payload that does not decode fails in `handleBatch` either way; it may share.
        (try? job.decodePayload(AggregateWork.self)) != .settle
    }

    public func handleBatch(_ jobs: [Job], prepared: [Int64: any PreparedWork], tx: Connection, logger: Logger) throws -> [NewJob] {
        var articles: [Int64] = [], settle = false
        for job in jobs {
            switch try job.decodePayload(AggregateWork.self) {
            case .article(let id): articles.append(id)
            case .settle: settle = true
            }
        }
        let marked = try !articles.isEmpty && ReportStore.refresh(tx, articleIDs: articles, keys: keys)
        // A settle in this batch (only when called with one directly: the worker hands a settle off
        // alone) runs after the articles, so it settles their rows too.
        if settle {
            let settled = try ReportStore.settle(tx)
            logger.debug("settled \(settled.indicators) indicator and \(settled.milestones) milestone rows")
            return []
        }
        return try SettlePayload.jobs(ifMarked: marked)
    }
}
