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
        /// Set when the page nested deeper than libxml2 keeps (its limit is 256 levels, past which
        /// it drops the text): the depth found, the page having been flattened before parsing.
        public var flattenedDepth: Int? = nil
    }

    /// libxml2 stops building the tree (and loses the text) past 256 levels; a page nested deeper
    /// than this is flattened first.
    static let maxDepth = 200

    /// `html` must already be decoded; it is handed to libxml2 as UTF-8.
    public static func extract(_ html: String) -> Page {
        let depth = nestingDepth(html.utf8)
        if depth > maxDepth {
            var page = parse(Array(flattened(html.utf8)))
            page.flattenedDepth = depth
            return page
        }
        return parse(Array(html.utf8))
    }

    /// The deepest nesting of elements (open tags less close tags, void elements aside), in one
    /// pass over the bytes.
    static func nestingDepth(_ html: String.UTF8View) -> Int {
        var depth = 0, deepest = 0
        forEachTag(html) { name, closing, selfClosing in
            if closing { depth = max(0, depth - 1) }
            else if !selfClosing && !voids.contains(name) { depth += 1; deepest = max(deepest, depth) }
        }
        return deepest
    }

    static let voids: Set<String> = ["br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr", "param", "track"]

    /// The page without nesting: every block tag becomes <br>, other tags go, the text stays.
    /// (Script and style keep their tags, so their content is still dropped.)
    static func flattened(_ html: String.UTF8View) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(html.count)
        var i = html.startIndex
        while i < html.endIndex {
            let c = html[i]
            guard c == UInt8(ascii: "<"), let close = html[i...].firstIndex(of: UInt8(ascii: ">")) else {
                out.append(c); i = html.index(after: i); continue
            }
            let tag = html[i...close]
            let (name, _, _) = tagName(tag)
            if skipped.contains(name) || name == "title" { out += tag }
            else if blocks.contains(name) { out += Array("<br>".utf8) }
            i = html.index(after: close)
        }
        return out
    }

    /// Name (lowercased), whether it closes, whether it closes itself, of a tag's bytes `<…>`.
    static func tagName(_ tag: String.UTF8View.SubSequence) -> (String, Bool, Bool) { tagName(Array(tag)) }
    static func tagName(_ bytes: [UInt8]) -> (String, Bool, Bool) {
        var k = 1
        let closing = k < bytes.count && bytes[k] == UInt8(ascii: "/")
        if closing { k += 1 }
        var name: [UInt8] = []
        while k < bytes.count, name.count < 16, (bytes[k] | 0x20) >= UInt8(ascii: "a") && (bytes[k] | 0x20) <= UInt8(ascii: "z") || (bytes[k] >= 48 && bytes[k] <= 57 && !name.isEmpty) {
            name.append(bytes[k] | 0x20); k += 1
        }
        let selfClosing = bytes.count >= 2 && bytes[bytes.count - 2] == UInt8(ascii: "/")
        return (String(decoding: name, as: UTF8.self), closing, selfClosing)
    }

    static func forEachTag(_ html: String.UTF8View, _ body: (String, Bool, Bool) -> Void) {
        var i = html.startIndex
        while let open = html[i...].firstIndex(of: UInt8(ascii: "<")) {
            guard let close = html[open...].firstIndex(of: UInt8(ascii: ">")) else { return }
            let (name, closing, selfClosing) = tagName(html[open...close])
            if !name.isEmpty { body(name, closing, selfClosing) }
            i = html.index(after: close)
        }
    }

    static func parse(_ input: [UInt8]) -> Page {
        var bytes = input
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
                            title = String(cString: c).trimmingCharacters(in: .whitespacesAndNewlines); tideline_xml_free(c)
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
                        out.append(String(cString: v)); tideline_xml_free(v)
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
            tideline_xml_free(v)
            if ["nav", "menu", "footer", "breadcrumb", "crumb", "sidebar", "navigation", "banner", "share", "copyright"]
                .contains(where: { value.contains($0) }) { return true }
        }
        return false
    }
}

import Foundation
extension String {
    func replacingNewlines() -> String {
        String(scalars: unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
    }
}
