import Postgres
import Queue
import Store

/// The whole schema: the queue's migrations and the pipeline's, in one sequence of versions.
/// Workers, `up` and `tideline migrate` apply it; reading commands check it.
public enum Schema {
    public static let migrations = (QueueSchema.migrations + PipelineSchema.migrations).sorted { $0.version < $1.version }

    @discardableResult
    public static func migrate(_ db: Connection) throws -> [Int] { try Migrator.migrate(db, migrations) }

    public static func pending(_ db: Connection) throws -> [Int] { try Migrator.pending(db, migrations) }
}
