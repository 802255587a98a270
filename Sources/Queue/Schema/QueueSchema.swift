import Postgres

/// The queue's own tables (jobs, stage controls, workers, job totals, schedule ticks), migrated
/// with the rest of the schema in one sequence of versions (`Schema` in Runtime joins them).
public enum QueueSchema {
    public static let migrations: [Migration] = [.m001Queue, .m007JobTotals, .m008Schedules, .m012JobSnoozes]
}
