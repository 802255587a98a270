import Foundation

/// The clean stage's core: raw bytes and their metadata in, separated clean articles out.
/// Pure: no database, no I/O.
public enum Cleaner {
    public struct Input: Sendable {
        public var bytes: [UInt8]
        public var contentType: String?
        /// From the manifest; nil fields are looked for in the page itself.
        public var published: String?
        public var url: String?
        public var sourceID: String
        public init(bytes: [UInt8], contentType: String?, published: String?, url: String?, sourceID: String) {
            self.bytes = bytes; self.contentType = contentType; self.published = published; self.url = url; self.sourceID = sourceID
        }
    }

    public struct Output: Sendable {
        public var articles: [CleanArticle]
        public var charset: String
        public var warnings: [String]
    }

    public struct CleanArticle: Sendable, Equatable {
        public var index: Int
        public var headline: String?
        public var byline: String?
        public var published: String?
        public var text: String
        public var paragraphOffsets: [Int]
        public var markers: [String]
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case empty(String)
        case binary(String, String)
        case noText(String)
        public var description: String {
            switch self {
            case .empty(let s): return "\(s) is empty: there is nothing to clean. Check the source or remove it from the manifest."
            case .binary(let s, let why): return "\(s) is not text (\(why)). Fetch a text, HTML or PDF source, not binary data."
            case .noText(let s): return "\(s) has no article text once navigation and boilerplate are removed."
            }
        }
    }

    public static func clean(_ input: Input) throws -> Output {
        guard !input.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw Failure.empty(input.sourceID)
        }
        if let why = binaryReason(input.bytes) { throw Failure.binary(input.sourceID, why) }
        let decoded = TextDecoding.decode(input.bytes, httpContentType: input.contentType)
        var warnings = decoded.warnings
        if decoded.invalidBytes * 20 > max(decoded.text.unicodeScalars.count, 1) {
            throw Failure.binary(input.sourceID, "\(decoded.invalidBytes) undecodable byte sequences in \(decoded.charset)")
        }
        let isHTML = input.contentType?.has("html") == true || looksLikeHTML(decoded.text)
        // One script for every later stage: traditional → simplified, mirror-site pinyin out.
        let script = ScriptNormalizer.normalize(decoded.text)
        if script.convertedToSimplified { warnings.append("converted traditional characters to simplified (OpenCC t2s)") }
        else if script.isTraditional {
            warnings.append("the text is in traditional characters but OpenCC's t2s configuration could not be opened (install opencc's data files); kept as it is")
        }
        if script.pinyinRemoved > 0 { warnings.append("removed \(script.pinyinRemoved) inserted pinyin annotation(s)") }
        let text = script.text

        // Lines with their offsets into the decoded text.
        var raw: [(text: String, offset: Int)] = []
        var htmlTitle: String? = nil
        if isHTML {
            let page = HTMLText.extract(text)
            if let depth = page.flattenedDepth {
                warnings.append("HTML nested \(depth) levels deep, past libxml2's limit of 256: flattened before parsing (block elements kept as line breaks)")
            }
            htmlTitle = page.title
            raw = page.lines.map { ($0, 0) }
        } else {
            raw = splitLines(text)
        }
        let normalized = raw.map { (Normalizer.normalize(Substring($0.text)), $0.offset) }.filter { !$0.0.isEmpty }
        let (repairedTexts, repairedCount) = ShiftedPunctuation.repair(normalized.map(\.0))
        if repairedCount > 0 { warnings.append("repaired shifted GBK punctuation on \(repairedCount) line(s)") }
        let lines = zip(repairedTexts, normalized).map { Segmenter.Line(text: $0, offset: $1.1) }

        var articles: [Segmenter.Article]
        var pageDate: String? = nil
        if !isHTML && Segmenter.isNewspaperPage(lines) {
            articles = Segmenter.segmentPage(lines)
        } else {
            let trimmed = Boilerplate.trimPage(lines.map(\.text))
            pageDate = trimmed.metaLine.flatMap(PageDate.find)
            let headline = trimmed.headline ?? htmlTitle.map { PageDate.stripSiteSuffix($0) }
            let article = Segmenter.segmentWebPage(trimmed.body.map { lines[$0] }, headline: headline, byline: trimmed.byline)
            articles = article.paragraphs.isEmpty ? [] : [article]
        }
        guard !articles.isEmpty else { throw Failure.noText(input.sourceID) }
        let published = input.published ?? pageDate ?? input.url.flatMap(PageDate.inURL) ?? PageDate.find(lines.prefix(30).map(\.text).joined(separator: "\n"))
        if published == nil { warnings.append("no publication date in the manifest, the page or its URL") }
        let out = articles.enumerated().map { i, a in
            CleanArticle(index: i, headline: a.headline, byline: a.byline, published: published, text: a.text,
                         paragraphOffsets: a.paragraphOffsets, markers: a.markers)
        }
        return Output(articles: out, charset: decoded.charset, warnings: warnings)
    }

    /// The text's lines with their offsets in Unicode scalars. Split on UTF-8 bytes: splitting a
    /// String on Characters walks grapheme boundaries, which was a tenth of the stage's time.
    static func splitLines(_ text: String) -> [(text: String, offset: Int)] {
        var text = text
        return text.withUTF8 { bytes in
            var out: [(text: String, offset: Int)] = []
            var start = 0, offset = 0, scalars = 0
            for i in 0...bytes.count {
                if i < bytes.count {
                    let b = bytes[i]
                    if b & 0xC0 != 0x80 { scalars += 1 }
                    guard b == 0x0A else { continue }
                }
                let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                out.append((line, offset))
                // The newline counted as a scalar of this line; the next starts after it.
                offset += i < bytes.count ? scalars : 0
                scalars = 0
                start = i + 1
            }
            return out
        }
    }

    static func looksLikeHTML(_ text: String) -> Bool {
        let head = String(text.unicodeScalars.prefix(512)).lowercased()
        return head.has("<!doctype html") || head.has("<html") || (head.has("<body") && head.has("</"))
    }

    /// Control bytes (other than tab, newline, carriage return, form feed, escape) in more than 1%
    /// of the first 8 KB, or any NUL: not a text document.
    static func binaryReason(_ bytes: [UInt8]) -> String? {
        let head = bytes.prefix(8192)
        if head.starts(with: [0x25, 0x50, 0x44, 0x46]) { return "a PDF; fetch it through the PDF source so its text is extracted" }
        let utf16 = head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF])
        if !utf16 && head.contains(0) { return "it contains NUL bytes" }
        let control = head.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C && $0 != 0x1B }.count
        if !utf16 && control * 100 > head.count { return "\(control) control bytes in the first \(head.count)" }
        return nil
    }
}

/// Publication dates found on a page: 发布时间：2023-12-28, 2023年12月28日, /2023/12/28/ in a URL.
public enum PageDate {
    private static let dateRegex = try! NSRegularExpression(pattern: "(20[0-9]{2}|19[0-9]{2})\\s*[-年/.]\\s*([0-9]{1,2})\\s*[-月/.]\\s*([0-9]{1,2})")
    private static let urlRegex = try! NSRegularExpression(pattern: "(20[0-9]{2})[/-]?([0-9]{2})[/-]?([0-9]{2})")

    public static func find(_ text: String) -> String? { first(dateRegex, in: text) }
    public static func inURL(_ url: String) -> String? { first(urlRegex, in: url) }

    private static func first(_ re: NSRegularExpression, in text: String) -> String? {
        let ns = text as NSString
        for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            // ASCII digit classes above; still, a group that is not a number is skipped, never trapped on.
            guard let y = Int(ns.substring(with: m.range(at: 1))), let mo = Int(ns.substring(with: m.range(at: 2))),
                  let d = Int(ns.substring(with: m.range(at: 3))) else { continue }
            if (1...12).contains(mo) && (1...31).contains(d) { return String(format: "%04d-%02d-%02d", y, mo, d) }
        }
        return nil
    }

    /// `标题 - 舟山市人民政府` → 标题.
    static func stripSiteSuffix(_ title: String) -> String {
        for sep in [" - ", "_", " | ", "—"] {
            if let r = title.range(of: sep) { return String(title[..<r.lowerBound]).trimmingCharacters(in: .whitespaces) }
        }
        return title
    }
}
