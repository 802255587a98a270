import Postgres

/// The pipeline's tables: documents, articles, extractions, the reporting rows and their
/// summaries, the fetch stage's hosts. Versions share one sequence with `QueueSchema`'s.
public enum PipelineSchema {
    public static let migrations: [Migration] = [.m002Pipeline, .m003Reports, .m004ReportKeys, .m005Fetch, .m006IncrementalReports,
                                                 .m009RowSummaries, .m010HostSlots, .m011ExtractionsUnchecked,
                                                 .m013UnsettledRows, .m014FastCompression]
}
