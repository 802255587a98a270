import Postgres
import Runtime
import ArgumentParser
import Store

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending schema migrations (safe to run any number of times).")
    @OptionGroup var db: DatabaseOptions

    func run() throws {
        let (session, _) = try db.session()
        defer { session.close() }
        let conn = try session.connect()
        let applied = try Schema.migrate(conn)
        print(applied.isEmpty ? "schema is up to date (version \(try Migrator.currentVersion(conn)))"
                              : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
    }
}
