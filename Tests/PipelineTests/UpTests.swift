import XCTest
import Postgres
import Runtime
import TestSupport

/// `tideline up` as a user runs it: an empty folder with a source folder in it, no DATABASE_URL,
/// so the embedded server is initialised under .tideline/; then again.
final class UpTests: XCTestCase {
    private func counts(_ db: Connection) throws -> [Int] {
        let r = try db.query("""
            SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles), (SELECT count(*) FROM extractions),
                   (SELECT count(*) FROM indicators), (SELECT count(*) FROM milestones)
            """).first!
        return try (0..<5).map { try r.decode(Int.self, $0) }
    }

    func testUpOnTheSeedsFromAnEmptyFolderThenAgainGivesTheSameTables() throws {
        guard Workdir.isBuilt else { throw XCTSkip("tideline is not built") }
        let dir = try Workdir.seeds()
        defer { try? FileManager.default.removeItem(at: dir) }

        let (code1, out1) = try Workdir.run(["up", "--source", "src"], in: dir)
        XCTAssertEqual(code1, 0, out1)
        XCTAssertTrue(out1.contains("fetch      succeeded  5"), out1)
        XCTAssertTrue(out1.contains("clean      succeeded  5"), out1)
        XCTAssertFalse(out1.contains("dead"), out1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".tideline/pgdata/PG_VERSION").path))

        // `tideline eval` scores the exports as the reference score.py does.
        let gold = try XCTUnwrap(Bundle.module.url(forResource: "seeds", withExtension: "json", subdirectory: "Fixtures/gold"))
        let (evalCode, evalOut) = try Workdir.run(["eval", "--gold", gold.path, "--min-indicator-f1", "0.90", "--min-milestone-f1", "0.95",
                                           "--min-clean", "1"], in: dir)
        XCTAssertEqual(evalCode, 0, evalOut)
        XCTAssertTrue(evalOut.contains("clean: 69/69 checks"), evalOut)
        XCTAssertTrue(evalOut.contains("indicators: P="), evalOut)
        XCTAssertTrue(evalOut.contains("milestones: P="), evalOut)

        let (code2, out2) = try Workdir.run(["up", "--source", "src"], in: dir)
        XCTAssertEqual(code2, 0, out2)
        XCTAssertTrue(out2.contains("every source was unchanged") || out2.contains("fetch      succeeded  5"), out2)
        XCTAssertFalse(out2.contains("clean      "), "unchanged documents make no downstream work:\n\(out2)")

        // The data stayed in .tideline/: the same tables, read after both runs.
        let pg = try EmbeddedPostgres(root: dir.appendingPathComponent(".tideline"))
        try pg.start()
        defer { try? pg.stop() }
        let db = try Connection(pg.conninfo)
        let after = try counts(db)
        XCTAssertEqual(after[0], 5)
        XCTAssertGreaterThanOrEqual(after[1], 18)
        // A third run with --reprocess re-cleans everything and still lands on the same counts.
        try pg.stop()
        let (code3, out3) = try Workdir.run(["up", "--source", "src", "--reprocess"], in: dir)
        XCTAssertEqual(code3, 0, out3)
        try pg.start()
        XCTAssertEqual(try counts(try Connection(pg.conninfo)), after)
    }

    func testBadDocumentsEndAsDeadJobsWithAClearMessageAndTheRestCarriesOn() throws {
        guard Workdir.isBuilt else { throw XCTSkip("tideline is not built") }
        let conninfo = try TestPostgres.freshDatabase()
        let good = Array("本报讯 昨天，全县新开工项目12个，总投资约35亿元。\n".utf8)
        let dir = try Workdir.make(["good.txt": good, "empty.txt": [], "junk.bin": (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 7) }],
                              manifest: """
                              [{"file": "good.txt", "published": "2025-05-01", "home_region": "某某县"},
                               {"file": "empty.txt", "published": "2025-05-01"},
                               {"file": "junk.bin", "published": "2025-05-01"}]
                              """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (code, out) = try Workdir.run(["up", "--source", "src"], in: dir, env: ["DATABASE_URL": conninfo])
        XCTAssertEqual(code, 0, out)
        let db = try Connection(conninfo)
        let dead = try db.query("SELECT last_error FROM jobs WHERE state = 'dead' ORDER BY id").rows.map { try $0.decode(String.self, 0) }
        XCTAssertEqual(dead.count, 2, out)
        XCTAssertTrue(dead.contains { $0.contains("empty.txt is empty") }, "\(dead)")
        XCTAssertTrue(dead.contains { $0.contains("junk.bin is not text") }, "\(dead)")
        XCTAssertEqual(try db.query("SELECT count(*) FROM articles").first?.decode(Int.self, 0), 1)
        XCTAssertTrue(out.contains("dead job"), out)
    }
}
