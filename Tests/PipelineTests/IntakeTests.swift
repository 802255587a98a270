import XCTest
import Postgres
import Stages
import Store
import TestSupport

/// Issue 14: what cannot succeed is refused at the door, by entry and reason, while the good
/// entries still go in; re-enqueueing a file merges its metadata.
final class IntakeTests: XCTestCase {
    func testDatesMustBeISOCalendarDates() {
        XCTAssertTrue(Intake.isISODate("2024-02-29"))
        for bad in ["2023-02-29", "01/02/2025", "2025-1-02", "2025-13-01", "not-a-date", "２０２５-01-01"] {
            XCTAssertFalse(Intake.isISODate(bad), bad)
        }
        XCTAssertNotNil(Intake.problem(with: DocumentMetadata(homeRegion: "舟山\u{0}市")), "a NUL in any field")
    }

    func testSourcesAreCheckedInTheCallersFolderAgainstTheRootsOnPathBoundaries() throws {
        let root = URL(fileURLWithPath: "/tmp/tl-intake-\(UInt32.random(in: 0...UInt32.max))")
        let sibling = URL(fileURLWithPath: root.path + "-work")
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: sibling) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: sibling, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: root.appendingPathComponent("docs/a.txt"))
        try Data("x".utf8).write(to: sibling.appendingPathComponent("b.txt"))
        func check(_ s: String) -> String {
            switch Intake.source(s, roots: [root], cwd: root) {
            case .success(let path): return path
            case .failure(let why): return "refused: " + why.reason
            }
        }
        XCTAssertEqual(check("docs/a.txt"), root.path + "/docs/a.txt", "relative to the caller's folder")
        XCTAssertTrue(check("docs/missing.txt").contains("no such file"))
        XCTAssertTrue(check("docs").contains("a folder"))
        XCTAssertTrue(check(sibling.path + "/b.txt").contains("outside the allowed source folders"), "a sibling whose name starts with the root's")
        XCTAssertTrue(check("docs/../../etc/passwd").contains("outside"))
        XCTAssertTrue(check("ftp://example.org/a.txt").contains("only http and https"))
        XCTAssertTrue(check("file:///etc/passwd").contains("as a path"))
        XCTAssertTrue(check("gopher://example.org/").contains("only http and https"))
        XCTAssertEqual(check("https://example.org/a.html"), "https://example.org/a.html")
    }

    func testEnqueueReportsEachBadSourceQueuesTheRestAndExitsNonZero() throws {
        guard Workdir.isBuilt else { throw XCTSkip("tideline is not built; run `swift build` first") }
        let conninfo = try TestPostgres.freshDatabase()
        let dir = try Workdir.make(["a.txt": Array("全市新增企业5家。".utf8)], manifest: "[]")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (code, out) = try Workdir.run(["enqueue", "fetch", "src/a.txt", "src/missing.txt", "src", "ftp://example.org/x"],
                                          in: dir, env: ["DATABASE_URL": conninfo])
        XCTAssertEqual(code, 1, out)
        XCTAssertTrue(out.contains("enqueued 1 fetch job(s)"), out)
        for reason in ["src/missing.txt: no such file", "src: a folder", "ftp://example.org/x: ftp:// is not fetched"] {
            XCTAssertTrue(out.contains(reason), "expected “\(reason)” in:\n\(out)")
        }
        let db = try Connection(conninfo)
        let source = try db.query("SELECT payload->>'source' FROM jobs WHERE stage = 'fetch'").first!.decode(String.self, 0)
        XCTAssertEqual(source, dir.appendingPathComponent("src/a.txt").standardizedFileURL.resolvingSymlinksInPath().path, "made absolute in the caller's folder")

        let (badDate, dateOut) = try Workdir.run(["enqueue", "fetch", "src/a.txt", "--published", "01/02/2025"], in: dir, env: ["DATABASE_URL": conninfo])
        XCTAssertNotEqual(badDate, 0)
        XCTAssertTrue(dateOut.contains("not a date written YYYY-MM-DD"), dateOut)
    }

    func testReenqueueingMergesMetadataInsteadOfReplacingIt() throws {
        let db = try Connection(try TestPostgres.freshDatabase())
        let first = try XCTUnwrap(try DocumentStore.upsert(db, sourceID: "src/a.txt", contentHash: "h", content: [1], contentType: "text/plain",
                                                           metadata: #"{"published": "2025-03-01", "home_region": "舟山市"}"#))
        let again = try DocumentStore.upsert(db, sourceID: "src/a.txt", contentHash: "h", content: [1], contentType: "text/plain",
                                             metadata: #"{"source": "舟山日报"}"#)
        XCTAssertEqual(again, first, "a new field is a change")
        let meta = try db.query("SELECT metadata->>'published', metadata->>'home_region', metadata->>'source' FROM documents").first!
        XCTAssertEqual(try meta.decode(String.self, 0), "2025-03-01", "a field left out keeps its stored value")
        XCTAssertEqual(try meta.decode(String.self, 1), "舟山市")
        XCTAssertEqual(try meta.decode(String.self, 2), "舟山日报")
        XCTAssertNil(try DocumentStore.upsert(db, sourceID: "src/a.txt", contentHash: "h", content: [1], contentType: "text/plain",
                                              metadata: #"{"published": "2025-03-01"}"#), "nothing new: no change, no downstream work")
    }
}
