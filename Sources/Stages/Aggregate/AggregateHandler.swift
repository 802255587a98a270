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
    // One article per transaction: a batch would take its articles' key locks in no global order, and
    // two workers could deadlock on them (PostgreSQL would abort one; this avoids the retry).
    public var batchSize: Int { 1 }

    public init(context: StageContext) {
        self.context = context
        func read(_ name: String) -> String {
            (try? String(contentsOf: context.configDir.appendingPathComponent(name), encoding: .utf8)) ?? ""
        }
        let verbs = read("actions.tsv").split(separator: "\n").filter { !$0.hasPrefix("#") }
            .flatMap { $0.split(separator: "\t").dropFirst().map(String.init) }
        let subjects = SubjectCanonicalizer(rewrites: read("subject_rewrites.tsv"), actionVerbs: verbs)
        self.keys = ReportStore.Keys(metric: { ReportKeyText.key($0) }, subject: { subjects.canonicalize($0, region: $1) })
    }

    public func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob] {
        let payload = try job.decodePayload(ArticlePayload.self)
        try ReportStore.refresh(tx, articleID: payload.articleID, keys: keys)
        return []
    }
}
