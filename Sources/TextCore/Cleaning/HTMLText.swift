import CLibXML2

/// HTML to lines of text through libxml2's forgiving HTML parser: script, style, navigation and
/// forms dropped, every block element a line of its own.
public enum HTMLText {
    static let skipped: Set<String> = ["script", "style", "noscript", "nav", "iframe", "form", "select", "button",
                                       "svg", "canvas", "template", "head", "object", "embed", "aside"]
    static let blocks: Set<String> = ["p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                                      "td", "th", "table", "section", "article", "header", "footer", "blockquote",
                                      "pre", "dd", "dt", "dl", "hr", "main", "figure", "figcaption", "center", "title"]

    public struct Page: Sendable {
        public var title: String?
        public var lines: [String]
    }

    /// `html` must already be decoded; it is handed to libxml2 as UTF-8.
    public static func extract(_ html: String) -> Page {
        var bytes = Array(html.utf8)
        if bytes.isEmpty { return Page(title: nil, lines: []) }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOBLANKS.rawValue)
        let doc: htmlDocPtr? = bytes.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                htmlReadMemory($0, Int32(buf.count), nil, "UTF-8", options)
            }
        }
        guard let doc else { return Page(title: nil, lines: []) }
        defer { xmlFreeDoc(doc) }
        var lines: [String] = []
        var current = ""
        var title: String? = nil
        func flush() {
            let t = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.isEmpty { lines.append(t) }
            current = ""
        }
        func walk(_ node: xmlNodePtr?) {
            var n = node
            while let cur = n {
                if cur.pointee.type == XML_ELEMENT_NODE {
                    let name = String(cString: cur.pointee.name).lowercased()
                    if name == "title" {
                        if title == nil, let c = xmlNodeGetContent(cur) {
                            title = String(cString: c).trimmingCharacters(in: .whitespacesAndNewlines); xmlFree(c)
                        }
                    } else if !skipped.contains(name) && !isHiddenNav(cur) {
                        let block = blocks.contains(name)
                        if block { flush() }
                        walk(cur.pointee.children)
                        if block { flush() }
                    }
                } else if cur.pointee.type == XML_TEXT_NODE || cur.pointee.type == XML_CDATA_SECTION_NODE, let c = cur.pointee.content {
                    current += String(cString: c).replacingNewlines()
                }
                n = cur.pointee.next
            }
        }
        walk(xmlDocGetRootElement(doc))
        flush()
        return Page(title: title, lines: lines)
    }

    /// Every `<a href>` of a page, in order (index pages: the articles they list).
    public static func hrefs(_ html: String) -> [String] {
        var bytes = Array(html.utf8)
        if bytes.isEmpty { return [] }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue)
        let doc: htmlDocPtr? = bytes.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                htmlReadMemory($0, Int32(buf.count), nil, "UTF-8", options)
            }
        }
        guard let doc else { return [] }
        defer { xmlFreeDoc(doc) }
        var out: [String] = []
        func walk(_ node: xmlNodePtr?) {
            var n = node
            while let cur = n {
                if cur.pointee.type == XML_ELEMENT_NODE {
                    if String(cString: cur.pointee.name).lowercased() == "a", let v = xmlGetProp(cur, "href") {
                        out.append(String(cString: v)); xmlFree(v)
                    }
                    walk(cur.pointee.children)
                }
                n = cur.pointee.next
            }
        }
        walk(xmlDocGetRootElement(doc))
        return out
    }

    /// Elements whose class or id says navigation or footer (class="nav", id="footer", "breadcrumb").
    static func isHiddenNav(_ node: xmlNodePtr) -> Bool {
        for attr in ["class", "id", "role"] {
            guard let v = xmlGetProp(node, attr) else { continue }
            let value = String(cString: v).lowercased()
            xmlFree(v)
            if ["nav", "menu", "footer", "breadcrumb", "crumb", "sidebar", "navigation", "banner", "share", "copyright"]
                .contains(where: { value.contains($0) }) { return true }
        }
        return false
    }
}

import Foundation
extension String {
    func replacingNewlines() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }))
    }
}
