/// A versioned schema change, applied once, in its own transaction. Each module owns the
/// migrations of its tables (`QueueSchema`, `PipelineSchema`); versions are one sequence across
/// them, so a database's history is one list. Append; never edit one that has shipped.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version; self.name = name; self.sql = sql
    }
}

public enum Migrator {
    /// A fixed key for `pg_advisory_lock`: workers starting together apply migrations one at a time.
    static let lockKey: Int64 = 0x7469_6465_6c69_6e65 // "tideline"

    /// Applies the pending migrations and returns the versions it applied (empty when up to date).
    @discardableResult
    public static func migrate(_ db: Connection, _ migrations: [Migration]) throws -> [Int] {
        // Up to date: touch nothing, so a worker role without DDL rights starts (deploy/sql/roles.sql).
        if try pending(db, migrations).isEmpty { return [] }
        try db.execute("SELECT pg_advisory_lock($1)", [lockKey])
        defer { try? db.execute("SELECT pg_advisory_unlock($1)", [lockKey]) }
        try db.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """)
        let applied = Set(try db.query("SELECT version FROM schema_migrations").rows.map { try $0.decode(Int.self, 0) })
        var done: [Int] = []
        for m in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(m.version) {
            try db.transaction { tx in
                try tx.runScript(m.sql)
                try tx.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name])
            }
            done.append(m.version)
        }
        return done
    }

    /// Versions not yet applied (all of them on an empty database).
    public static func pending(_ db: Connection, _ migrations: [Migration]) throws -> [Int] {
        let exists = try db.query("SELECT to_regclass('schema_migrations') IS NOT NULL").first!.decode(Bool.self, 0)
        let applied = exists ? Set(try db.query("SELECT version FROM schema_migrations").rows.map { try $0.decode(Int.self, 0) }) : []
        return migrations.map(\.version).filter { !applied.contains($0) }.sorted()
    }

    public static func currentVersion(_ db: Connection) throws -> Int {
        let exists = try db.query("SELECT to_regclass('schema_migrations') IS NOT NULL").first!.decode(Bool.self, 0)
        guard exists else { return 0 }
        return try db.query("SELECT coalesce(max(version), 0) FROM schema_migrations").first!.decode(Int.self, 0)
    }
}
