import XCTest
@testable import Stages
import TestSupport

/// The fetch stage's HTTP client on its own, against a loopback server.
final class HTTPClientTests: XCTestCase {
    /// Issue 14: the address the fetch stage checked is the one connected to. A `.invalid` name
    /// never resolves (RFC 6761), so an answer proves the pinned address was used, not DNS.
    func testAPinnedRequestConnectsToTheCheckedAddressWhateverTheNameSays() throws {
        let server = try TestHTTPServer()
        server.route("/p.html") { _ in .text("pinned") }
        let url = URL(string: "http://pinned.invalid:\(server.port)/p.html")!
        let r = try HTTPClient.get(url, headers: ["User-Agent": "test"], timeout: 5, maxBytes: 1_000, pin: "127.0.0.1")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(String(decoding: r.body, as: UTF8.self), "pinned")
        XCTAssertTrue(r.headers["content-type"]?.hasPrefix("text/html") == true, "\(r.headers)")
        XCTAssertThrowsError(try HTTPClient.get(url, headers: [:], timeout: 5, maxBytes: 1_000), "without the pin the name does not resolve")
    }

    func testOnlyHTTPIsSpokenAndRedirectsAreReturnedNotFollowed() throws {
        let server = try TestHTTPServer()
        server.route("/r.html") { _ in .init(status: 302, headers: ["Location": "/elsewhere.html"], body: []) }
        let r = try HTTPClient.get(URL(string: "\(server.base)/r.html")!, headers: [:], timeout: 5, maxBytes: 1_000)
        XCTAssertEqual(r.status, 302)
        XCTAssertEqual(r.headers["location"], "/elsewhere.html")
        XCTAssertThrowsError(try HTTPClient.get(URL(string: "file:///etc/passwd")!, headers: [:], timeout: 5, maxBytes: 1_000))
    }
}
