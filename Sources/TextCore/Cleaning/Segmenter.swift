/// Splits a newspaper page's lines into articles at datelines, bylines and headline blocks, and
/// re-joins wrapped lines into paragraphs. A web page's lines make one article.
public struct Segmenter {
    public struct Line: Sendable {
        public var text: String
        /// Where the line starts in the decoded source, in Unicode scalars.
        public var offset: Int
        public init(text: String, offset: Int) { self.text = text; self.offset = offset }
    }

    public struct Article: Sendable, Equatable {
        public var headline: String?
        public var byline: String?
        public var paragraphs: [String] = []
        public var paragraphOffsets: [Int] = []
        public var markers: [String] = []
        public var text: String { paragraphs.joined(separator: "\n") }
    }

    enum Kind { case text, byline(String), dateline(credit: String?) }

    /// Longest line that can be a headline or subhead.
    static let maxHeadingLength = 40

    public static func isNewspaperPage(_ lines: [Line]) -> Bool {
        lines.contains { PageMarkers.dateline($0.text) != nil || PageMarkers.byline($0.text) != nil }
    }

    /// Splits a newspaper page. `lines` are normalised, repaired and non-blank.
    public static func segmentPage(_ input: [Line]) -> [Article] {
        var lines: [Line] = []
        var kinds: [Kind] = []
        var pageMarkers: [(index: Int, marker: String)] = []
        for var line in input {
            let (rest, markers) = PageMarkers.stripContinuations(line.text)
            for m in markers { pageMarkers.append((lines.count, m)) }
            line.text = rest
            if rest.isEmpty { continue }
            if let d = PageMarkers.dateline(rest) {
                line.text = d.rest
                kinds.append(.dateline(credit: d.credit))
                if d.rest.isEmpty { line.text = "" }
            } else if let b = PageMarkers.byline(rest) {
                kinds.append(.byline(b))
            } else {
                kinds.append(.text)
            }
            lines.append(line)
        }
        // Structural lines are never joined to the line before; bylines not to the line after either.
        var breaks = [Bool](repeating: false, count: lines.count)
        for (i, k) in kinds.enumerated() {
            switch k {
            case .text: break
            case .dateline: if i > 0 { breaks[i - 1] = true }
            case .byline: breaks[i] = true; if i > 0 { breaks[i - 1] = true }
            }
        }
        let groups = LineJoiner.paragraphs(lines.map(\.text), breaks: breaks)

        var articles: [Article] = []
        var current: Article? = nil
        var pendingHeads: [String] = []
        var markerCursor = 0

        func close() {
            if var a = current, !a.paragraphs.isEmpty {
                if a.headline == nil, let h = pendingHeads.first { a.headline = h; pendingHeads.removeFirst() }
                articles.append(a)
            }
            current = nil
        }
        func open() {
            current = Article()
            if !pendingHeads.isEmpty {
                current!.headline = pendingHeads.max(by: { $0.count < $1.count })
                pendingHeads = []
            }
        }
        for group in groups {
            let first = group[0]
            while markerCursor < pageMarkers.count && pageMarkers[markerCursor].index <= group.last! {
                if current == nil { open() }
                current!.markers.append(pageMarkers[markerCursor].marker)
                markerCursor += 1
            }
            let text = LineJoiner.join(group.map { lines[$0].text })
            switch kinds[first] {
            case .byline(let b):
                if current.map({ !$0.paragraphs.isEmpty }) == true { close() }
                if current == nil { open() }
                if current!.byline == nil { current!.byline = b }
                continue
            case .dateline(let credit):
                if current.map({ !$0.paragraphs.isEmpty }) == true { close() }
                if current == nil { open() }
                if current!.byline == nil, let credit { current!.byline = credit }
                if text.isEmpty { continue }
            case .text:
                if isHeading(text, lines: group.count) {
                    pendingHeads.append(text)
                    continue
                }
                if !pendingHeads.isEmpty {
                    if current.map({ !$0.paragraphs.isEmpty }) == true {
                        if pendingHeads.count >= 2 {
                            close(); open()
                        } else {
                            // A single short line inside an article is a subhead: keep it as text.
                            for h in pendingHeads { current!.paragraphs.append(h); current!.paragraphOffsets.append(lines[first].offset) }
                            pendingHeads = []
                        }
                    }
                }
                if current == nil { open() }
            }
            current!.paragraphs.append(text)
            current!.paragraphOffsets.append(lines[first].offset)
        }
        if var last = current, !last.paragraphs.isEmpty {
            if last.headline == nil, let h = pendingHeads.first { last.headline = h; pendingHeads.removeFirst() }
            last.paragraphs += pendingHeads
            last.paragraphOffsets += pendingHeads.map { _ in lines.last?.offset ?? 0 }
            articles.append(last)
        }
        return articles
    }

    /// A headline or subhead: one short line that does not end a sentence.
    static func isHeading(_ text: String, lines: Int) -> Bool {
        guard lines == 1, text.count <= maxHeadingLength, let last = text.unicodeScalars.last else { return false }
        if CharClass.terminal.contains(last) || last == "，" || last == "、" || last == "：" { return false }
        return true
    }

    /// A web page: one article, its lines joined into paragraphs.
    public static func segmentWebPage(_ lines: [Line], headline: String?, byline: String?) -> Article {
        var a = Article(headline: headline, byline: byline)
        var cleaned: [Line] = []
        for var l in lines {
            let (rest, markers) = PageMarkers.stripContinuations(l.text)
            a.markers += markers
            l.text = rest
            if !rest.isEmpty { cleaned.append(l) }
        }
        let groups = LineJoiner.paragraphs(cleaned.map(\.text), breaks: [Bool](repeating: false, count: cleaned.count))
        for g in groups {
            a.paragraphs.append(LineJoiner.join(g.map { cleaned[$0].text }))
            a.paragraphOffsets.append(cleaned[g[0]].offset)
        }
        return a
    }
}
