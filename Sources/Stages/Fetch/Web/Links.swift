import Foundation
import TextCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The articles an index page or a feed points to.
public enum Links {
    /// Links of an HTML index page: `<a href>` resolved against the page, http(s) only, on the
    /// page's host, under `prefix` when given (a path prefix such as `/col/col1229/`), without
    /// fragments, each once, in page order.
    public static func fromIndexPage(_ html: String, base: URL, prefix: String? = nil) -> [URL] {
        var seen = Set<String>()
        var out: [URL] = []
        for href in HTMLText.hrefs(html) {
            guard var c = URLComponents(string: href.trimmingCharacters(in: .whitespacesAndNewlines)),
                  let resolved = c.url(relativeTo: base)?.absoluteURL else { continue }
            c = URLComponents(url: resolved, resolvingAgainstBaseURL: true) ?? c
            c.fragment = nil
            guard let url = c.url, let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  url.host?.lowercased() == base.host?.lowercased(), url.absoluteString != base.absoluteString else { continue }
            if let prefix, !url.path.hasPrefix(prefix) { continue }
            if seen.insert(url.absoluteString).inserted { out.append(url) }
        }
        return out
    }

    /// True when the bytes are an RSS or Atom document.
    public static func isFeed(_ text: String) -> Bool {
        let head = String(text.prefix(1024)).lowercased()
        return head.contains("<rss") || (head.contains("<feed") && head.contains("atom")) || head.contains("<rdf:rdf")
    }

    /// Item links of an RSS 2.0, RSS 1.0 or Atom feed, resolved against the feed's URL.
    public static func fromFeed(_ data: [UInt8], base: URL) -> [URL] {
        let parser = XMLParser(data: Data(data))
        let collector = FeedCollector()
        parser.delegate = collector
        _ = parser.parse()
        var seen = Set<String>()
        return collector.links.compactMap { URL(string: $0.trimmingCharacters(in: .whitespacesAndNewlines), relativeTo: base)?.absoluteURL }
            .filter { ["http", "https"].contains($0.scheme?.lowercased() ?? "") && seen.insert($0.absoluteString).inserted }
    }
}

private final class FeedCollector: NSObject, XMLParserDelegate {
    var links: [String] = []
    private var inItem = false
    private var inLink = false
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let local = name.split(separator: ":").last.map(String.init) ?? name
        if local == "item" || local == "entry" { inItem = true }
        guard inItem, local == "link" else { return }
        // Atom: <link rel="alternate" href="…"/>; RSS: <link>…</link>.
        if let href = attributes["href"] {
            if (attributes["rel"] ?? "alternate") == "alternate" { links.append(href) }
        } else {
            inLink = true
            text = ""
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inLink { text += string } }

    func parser(_ parser: XMLParser, foundCDATA data: Data) { if inLink { text += String(decoding: data, as: UTF8.self) } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let local = name.split(separator: ":").last.map(String.init) ?? name
        if local == "link", inLink { links.append(text); inLink = false }
        if local == "item" || local == "entry" { inItem = false }
    }
}
