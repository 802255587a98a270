import XCTest
import Postgres
import TestSupport

final class ConnectionTests: XCTestCase {
    var db: Connection!

    override func setUpWithError() throws {
        db = try Connection(try TestPostgres.freshDatabase(migrated: false))
    }

    func testParametersRoundTripAsTextBinaryAndNull() throws {
        let bytes: [UInt8] = [0, 1, 2, 0xFF, 0x5C, 0x78]
        let row = try XCTUnwrap(db.query("SELECT $1::text, $2::bigint, $3::float8, $4::boolean, $5::bytea, $6::text IS NULL",
                                         ["舟山 'quoted' \\ text", Int64(9_007_199_254_740_993), 3.25, true, bytes, Optional<String>.none]).first)
        XCTAssertEqual(try row.decode(String.self, 0), "舟山 'quoted' \\ text")
        XCTAssertEqual(try row.decode(Int64.self, 1), 9_007_199_254_740_993)
        XCTAssertEqual(try row.decode(Double.self, 2), 3.25)
        XCTAssertEqual(try row.decode(Bool.self, 3), true)
        XCTAssertEqual(try row.decode([UInt8].self, 4), bytes)
        XCTAssertEqual(try row.decode(Bool.self, 5), true)
    }

    func testArrayParametersEscapeQuotesBackslashesAndNulls() throws {
        let values: [String?] = ["a\"b", "c\\d", nil, "{x,y}", "逗号,分隔", "", "NULL", "\\\"", "引号\"反斜杠\\"]
        let rows = try db.query("SELECT x FROM unnest($1::text[]) WITH ORDINALITY AS t(x, n) ORDER BY n", [PostgresArray(values)]).rows
        XCTAssertEqual(try rows.map { try $0.decodeOptional(String.self, 0) }, values)
    }

    func testNamedColumnsAndTypedDecodingErrors() throws {
        let row = try XCTUnwrap(db.query("SELECT 42 AS answer, NULL::text AS nothing").first)
        XCTAssertEqual(try row.decode(Int.self, "answer"), 42)
        XCTAssertNil(try row.decodeOptional(String.self, "nothing"))
        XCTAssertThrowsError(try row.decode(String.self, "nothing"))
        XCTAssertThrowsError(try row.decode(Int.self, "missing"))
    }

    func testServerErrorsCarrySQLStateAndMessage() throws {
        try db.execute("CREATE TABLE t (id int PRIMARY KEY)")
        try db.execute("INSERT INTO t VALUES ($1)", [1])
        XCTAssertThrowsError(try db.execute("INSERT INTO t VALUES ($1)", [1])) { error in
            let e = error as? PostgresError
            XCTAssertEqual(e?.sqlState, "23505")
            XCTAssertEqual(e?.kind, .query)
            XCTAssertTrue(e?.description.contains("duplicate key") == true, "\(error)")
        }
        XCTAssertThrowsError(try db.execute("SELEKT 1")) { XCTAssertEqual(($0 as? PostgresError)?.sqlState, "42601") }
    }

    func testTransactionRollsBackOnError() throws {
        try db.execute("CREATE TABLE t (id int PRIMARY KEY)")
        struct Boom: Error {}
        XCTAssertThrowsError(try db.transaction { tx in
            try tx.execute("INSERT INTO t VALUES (1)")
            throw Boom()
        })
        XCTAssertEqual(try db.query("SELECT count(*) FROM t").first?.decode(Int.self, 0), 0)
        try db.transaction { tx in try tx.execute("INSERT INTO t VALUES (2)") }
        XCTAssertEqual(try db.query("SELECT count(*) FROM t").first?.decode(Int.self, 0), 1)
        XCTAssertFalse(db.inTransaction)
    }

    func testListenReceivesNotifyWithoutPolling() throws {
        let listener = try Connection(db.conninfo)
        try listener.listen("tideline_test")
        XCTAssertEqual(try listener.waitForNotifications(timeout: 0.05), [])
        try db.notify("tideline_test", "hello")
        let started = Date()
        let got = try listener.waitForNotifications(timeout: 5)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        XCTAssertEqual(got.map(\.payload), ["hello"])
        XCTAssertEqual(got.first?.channel, "tideline_test")
    }

    func testReconnectsAfterTheServerRestarts() throws {
        let server = try TestPostgres.shared()
        let listener = try Connection(db.conninfo)
        try listener.listen("after_restart")
        let before = db.backendPID
        try server.restart()
        // The first statement after a restart finds the connection dead, re-opens it and retries.
        XCTAssertEqual(try db.query("SELECT 1").first?.decode(Int.self, 0), 1)
        XCTAssertNotEqual(db.backendPID, before)
        // A listener re-opens too, and its LISTEN is renewed.
        _ = try listener.waitForNotifications(timeout: 0.2)
        _ = try listener.waitForNotifications(timeout: 0.2)
        try db.notify("after_restart", "again")
        XCTAssertTrue(try eventually(timeout: 5) { try listener.waitForNotifications(timeout: 0.2).contains { $0.payload == "again" } })
    }

    func testConnectionErrorsSayWhatToCheck() {
        XCTAssertThrowsError(try Connection("host=/nonexistent-socket-dir dbname=x user=y")) { error in
            let e = error as? PostgresError
            XCTAssertEqual(e?.kind, .connection)
            XCTAssertTrue(e?.hint?.contains("DATABASE_URL") == true)
        }
    }

    func testRedactsPasswords() {
        XCTAssertEqual(Connection.redacted("postgresql://u:secret@h/db"), "postgresql://u:***@h/db")
        XCTAssertEqual(Connection.redacted("host=h password=secret dbname=d"), "host=h password=*** dbname=d")
    }
}
