import XCTest
@testable import Stages

/// The pure parts of fetching: robots.txt, which addresses are private, the links of index pages.
final class WebTests: XCTestCase {
    func testRobotsPicksTheGroupForOurAgentAndTheLongestRule() {
        let text = """
        User-agent: *
        Disallow: /admin/
        Disallow: /*.pdf$
        Allow: /admin/public/
        Crawl-delay: 2

        User-agent: BadBot
        Disallow: /
        """
        let r = Robots(parsing: text, userAgent: "tideline")
        XCTAssertFalse(r.allows("/admin/users"))
        XCTAssertTrue(r.allows("/admin/public/notice.html"), "the longer Allow wins")
        XCTAssertFalse(r.allows("/epaper/page1.pdf"))
        XCTAssertTrue(r.allows("/epaper/page1.pdf?download=1"), "$ anchors the end")
        XCTAssertTrue(r.allows("/news/2024/01.html"))
        XCTAssertEqual(r.crawlDelay, 2)
        XCTAssertFalse(Robots(parsing: text, userAgent: "BadBot/2.0").allows("/news/"))
        XCTAssertTrue(Robots(parsing: "User-agent: *\nDisallow:\n", userAgent: "tideline").allows("/anything"), "an empty Disallow allows all")
        XCTAssertTrue(Robots.allowAll.allows("/x"))
    }

    func testPrivateLoopbackAndLinkLocalAddressesAreRefused() {
        for a in ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1",
                  "fd00::1", "::ffff:10.0.0.1"] {
            XCTAssertNotNil(AddressPolicy.refusal(a), a)
        }
        for a in ["202.107.200.1", "8.8.8.8", "172.32.0.1", "2400:3200::1", "240e:1::1", "[2a00:1450:4001:82b::200e]",
                  "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:0808:0808::1"] {
            XCTAssertNil(AddressPolicy.refusal(a), a)
        }
        XCTAssertEqual(AddressPolicy.refusal("169.254.169.254"), "a link-local address")
    }

    /// Issue 14: every special-purpose range, and IPv4 carried inside IPv6 in each of its forms.
    func testTheSpecialPurposeRegistriesAreRefusedInEveryForm() {
        let refused = ["198.18.0.1", "198.19.255.255", "240.0.0.1", "255.255.255.255", "192.0.0.8", "192.0.2.1", "198.51.100.7",
                       "203.0.113.9", "192.88.99.1", "224.0.0.1", "0.1.2.3",
                       "::127.0.0.1", "[::127.0.0.1]", "::ffff:127.0.0.1", "::ffff:7f00:1", "64:ff9b::7f00:1", "64:ff9b::10.0.0.1",
                       "64:ff9b:1::1", "2002:7f00:1::", "2002:c0a8:0101::1", "2001:db8::1", "2001::1", "2001:2::1", "3fff::1",
                       "100::1", "fc00::1", "fec0::1", "ff02::1", "fe80::1%eth0", "::", "0:0:0:0:0:0:0:1",
                       "127.1", "0x7f.0.0.1", "1::2::3", "not an address"]
        for a in refused { XCTAssertNotNil(AddressPolicy.refusal(a), a) }
        XCTAssertEqual(AddressPolicy.refusal("64:ff9b::a00:1"), "a private address (inside an IPv6 address)")
    }

    func testIndexLinksStayOnTheHostUnderThePrefixOnce() {
        let html = """
        <ul><li><a href="art_1.html">一</a></li><li><a href="/col/col12/art_2.html#c">二</a></li>
        <li><a href="https://other.example/col/col12/x.html">外</a></li><li><a href="/about/">关于</a></li>
        <li><a href="art_1.html">一</a></li><li><a href="javascript:void(0)">js</a></li></ul>
        """
        let base = URL(string: "https://www.city.gov.cn/col/col12/index.html")!
        XCTAssertEqual(Links.fromIndexPage(html, base: base, prefix: "/col/col12/").map(\.absoluteString),
                       ["https://www.city.gov.cn/col/col12/art_1.html", "https://www.city.gov.cn/col/col12/art_2.html"])
    }

    func testFeedLinksFromRSSAndAtom() {
        let rss = Array("<rss version=\"2.0\"><channel><link>https://a.cn/</link><item><link>https://a.cn/1.html</link></item></channel></rss>".utf8)
        XCTAssertEqual(Links.fromFeed(rss, base: URL(string: "https://a.cn/rss")!).map(\.absoluteString), ["https://a.cn/1.html"],
                       "the channel's own link is not an item")
        let atom = Array("""
        <feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="/2.html"/><link rel="enclosure" href="/2.jpg"/></entry></feed>
        """.utf8)
        XCTAssertEqual(Links.fromFeed(atom, base: URL(string: "https://a.cn/atom.xml")!).map(\.absoluteString), ["https://a.cn/2.html"])
        XCTAssertTrue(Links.isFeed(String(decoding: atom, as: UTF8.self)))
    }
}
