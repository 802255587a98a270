import XCTest
import Postgres
import Runtime
import TestSupport

/// `tideline up` as a user runs it: an empty folder with a source folder in it, no DATABASE_URL,
/// so the embedded server is initialised under .tideline/; then again.
final class UpTests: XCTestCase {
    var tideline: URL { TestPostgres.productsDirectory.appendingPathComponent("tideline") }

    private func workdir(_ files: [String: [UInt8]], manifest: String) throws -> URL {
        let dir = URL(fileURLWithPath: "/tmp/tl-up-\(UInt32.random(in: 0...UInt32.max))")
        let src = dir.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: src, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: src.appendingPathComponent(name)) }
        try manifest.write(to: src.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        // A deployment carries its config folder (lexicons, gazetteers) beside its sources.
        try FileManager.default.copyItem(at: TestPostgres.packageRoot.appendingPathComponent("config"), to: dir.appendingPathComponent("config"))
        return dir
    }

    private func run(_ args: [String], in dir: URL, env extra: [String: String] = [:]) throws -> (Int32, String) {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        for (k, v) in extra { env[k] = v }
        let log = dir.appendingPathComponent("out-\(UInt32.random(in: 0...UInt32.max)).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = tideline
        p.arguments = args
        p.currentDirectoryURL = dir
        p.environment = env
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        p.waitUntilExit()
        try handle.close()
        return (p.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    private func counts(_ db: Connection) throws -> [Int] {
        let r = try db.query("""
            SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles), (SELECT count(*) FROM extractions),
                   (SELECT count(*) FROM indicators), (SELECT count(*) FROM milestones)
            """).first!
        return try (0..<5).map { try r.decode(Int.self, $0) }
    }

    func testUpOnTheSeedsFromAnEmptyFolderThenAgainGivesTheSameTables() throws {
        guard FileManager.default.isExecutableFile(atPath: tideline.path) else { throw XCTSkip("tideline is not built") }
        let seeds = TestPostgres.packageRoot.appendingPathComponent("seeds")
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: seeds.path) where name.hasSuffix(".txt") {
            files[name] = [UInt8](try Data(contentsOf: seeds.appendingPathComponent(name)))
        }
        let dir = try workdir(files, manifest: try String(contentsOf: seeds.appendingPathComponent("manifest.json"), encoding: .utf8))
        defer { try? FileManager.default.removeItem(at: dir) }

        let (code1, out1) = try run(["up", "--source", "src"], in: dir)
        XCTAssertEqual(code1, 0, out1)
        XCTAssertTrue(out1.contains("fetch      succeeded  5"), out1)
        XCTAssertTrue(out1.contains("clean      succeeded  5"), out1)
        XCTAssertFalse(out1.contains("dead"), out1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".tideline/pgdata/PG_VERSION").path))

        // `tideline eval` scores the exports as the reference score.py does.
        let gold = try XCTUnwrap(Bundle.module.url(forResource: "seeds", withExtension: "json", subdirectory: "Fixtures/gold"))
        let (evalCode, evalOut) = try run(["eval", "--gold", gold.path, "--min-indicator-f1", "0.95", "--min-milestone-f1", "0.95",
                                           "--min-clean", "1"], in: dir)
        XCTAssertEqual(evalCode, 0, evalOut)
        XCTAssertTrue(evalOut.contains("clean: 69/69 checks"), evalOut)
        XCTAssertTrue(evalOut.contains("indicators: P="), evalOut)
        XCTAssertTrue(evalOut.contains("milestones: P="), evalOut)

        let (code2, out2) = try run(["up", "--source", "src"], in: dir)
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
        let (code3, out3) = try run(["up", "--source", "src", "--reprocess"], in: dir)
        XCTAssertEqual(code3, 0, out3)
        try pg.start()
        XCTAssertEqual(try counts(try Connection(pg.conninfo)), after)
    }

    func testBadDocumentsEndAsDeadJobsWithAClearMessageAndTheRestCarriesOn() throws {
        guard FileManager.default.isExecutableFile(atPath: tideline.path) else { throw XCTSkip("tideline is not built") }
        let conninfo = try TestPostgres.freshDatabase()
        let good = Array("本报讯 昨天，全县新开工项目12个，总投资约35亿元。\n".utf8)
        let dir = try workdir(["good.txt": good, "empty.txt": [], "junk.bin": (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 7) }],
                              manifest: """
                              [{"file": "good.txt", "published": "2025-05-01", "home_region": "某某县"},
                               {"file": "empty.txt", "published": "2025-05-01"},
                               {"file": "junk.bin", "published": "2025-05-01"}]
                              """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (code, out) = try run(["up", "--source", "src"], in: dir, env: ["DATABASE_URL": conninfo])
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
