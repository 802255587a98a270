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
        var widths: [Int] = []
        var kinds: [Kind] = []
        var closesArticle: [Bool] = []
        var pageMarkers: [(index: Int, marker: String)] = []
        for var line in input {
            let width = line.text.unicodeScalars.count
            let (rest, markers) = PageMarkers.stripContinuations(line.text)
            // 下转第2版: the article goes on elsewhere, so whatever follows here is another one.
            let continuesElsewhere = markers.contains { $0.has("转") && !$0.has("接") }
            for m in markers { pageMarkers.append((max(lines.count - (rest.isEmpty ? 1 : 0), 0), m)) }
            if rest.isEmpty {
                if continuesElsewhere, !closesArticle.isEmpty { closesArticle[closesArticle.count - 1] = true }
                continue
            }
            line.text = rest
            if let d = PageMarkers.dateline(rest) {
                line.text = d.rest
                kinds.append(.dateline(credit: d.credit))
            } else if let b = PageMarkers.byline(rest) {
                kinds.append(.byline(b))
            } else {
                kinds.append(.text)
            }
            lines.append(line)
            widths.append(width)
            closesArticle.append(continuesElsewhere)
        }
        let headingRun = headingRuns(lines.map(\.text), kinds: kinds)
        // Structural lines are never joined to the line before; bylines and headlines not to the
        // line after either.
        var breaks = [Bool](repeating: false, count: lines.count)
        for (i, k) in kinds.enumerated() {
            switch k {
            case .text:
                if headingRun[i] { breaks[i] = true; if i > 0 { breaks[i - 1] = true } }
                if closesArticle[i] { breaks[i] = true }
            case .dateline: if i > 0 { breaks[i - 1] = true }
            case .byline: breaks[i] = true; if i > 0 { breaks[i - 1] = true }
            }
        }
        let groups = LineJoiner.paragraphs(lines.map(\.text), breaks: breaks, widths: widths)

        var articles: [Article] = []
        var current: Article? = nil
        var pendingHeads: [String] = []
        var markerCursor = 0

        func close() {
            if var a = current, !a.paragraphs.isEmpty {
                // Unfinished short lines at the end are the next article's headline, set above it.
                var trailing: [String] = []
                while a.paragraphs.count > 1, let last = a.paragraphs.last, !endsSentence(last), last.unicodeScalars.count <= 80 {
                    trailing.insert(last, at: 0)
                    a.paragraphs.removeLast(); a.paragraphOffsets.removeLast()
                }
                pendingHeads = trailing + pendingHeads
                articles.append(a)
            }
            current = nil
        }
        func open() {
            current = Article()
            takeHeadline()
        }
        func takeHeadline() {
            if current?.headline == nil, !pendingHeads.isEmpty {
                current!.headline = pendingHeads.max(by: { $0.unicodeScalars.count < $1.unicodeScalars.count })
                pendingHeads.removeAll { $0 == current!.headline }
            }
        }
        var hasBody: Bool { current.map { !$0.paragraphs.isEmpty } ?? false }

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
                if hasBody { close() }
                if current == nil { open() }
                if current!.byline == nil { current!.byline = b }
                continue
            case .dateline(let credit):
                if hasBody { close() }
                if current == nil { open() }
                if current!.byline == nil, let credit { current!.byline = credit }
                if text.isEmpty { continue }
            case .text:
                if headingRun[first] || isHeading(text, lines: group.count) {
                    pendingHeads.append(text)
                    continue
                }
                if !pendingHeads.isEmpty && hasBody {
                    if pendingHeads.count >= 2 {
                        close(); open()
                    } else {
                        // A single short line inside an article is a subhead: keep it as text.
                        current!.paragraphs.append(pendingHeads[0]); current!.paragraphOffsets.append(lines[first].offset)
                        pendingHeads = []
                    }
                }
                if current == nil { open() }
            }
            if !hasBody && !pendingHeads.isEmpty {
                // Headlines, kickers and captions above an article's first paragraph.
                takeHeadline()
                for h in pendingHeads { current!.paragraphs.append(h); current!.paragraphOffsets.append(lines[first].offset) }
                pendingHeads = []
            }
            current!.paragraphs.append(text)
            current!.paragraphOffsets.append(lines[first].offset)
            if closesArticle[group.last!] { close() }
        }
        if var last = current, !last.paragraphs.isEmpty {
            if last.headline == nil, let h = pendingHeads.first { last.headline = h; pendingHeads.removeFirst() }
            last.paragraphs += pendingHeads
            last.paragraphOffsets += pendingHeads.map { _ in lines.last?.offset ?? 0 }
            articles.append(last)
        } else if let a = articles.last, !pendingHeads.isEmpty, a.headline == nil {
            articles[articles.count - 1].headline = pendingHeads.first
        }
        return articles
    }

    /// Runs of two or more lines without any sentence punctuation, each short, that start where a
    /// paragraph could start: headline blocks and photo captions, never column text.
    static func headingRuns(_ texts: [String], kinds: [Kind]) -> [Bool] {
        var out = [Bool](repeating: false, count: texts.count)
        var i = 0
        while i < texts.count {
            let atParagraphStart = i == 0 || endsSentence(texts[i - 1]) || { if case .byline = kinds[i - 1] { return true }; return false }()
            guard atParagraphStart else { i += 1; continue }
            var j = i
            while j < texts.count, case .text = kinds[j], texts[j].utf8.count <= 240 || texts[j].unicodeScalars.count <= 80, !hasSentencePunctuation(texts[j]) { j += 1 }
            // Three such lines, or two when one is cut into phrases by a space as headlines are.
            if j - i >= 3 || (j - i == 2 && texts[i..<j].contains { $0.has(" ") }) { for k in i..<j { out[k] = true } }
            i = max(j, i + 1)
        }
        return out
    }

    static func hasSentencePunctuation(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0 == "，" || $0 == "。" || $0 == "、" || $0 == "；" || $0 == "：" || $0 == "？" || $0 == "！" }
    }

    static func endsSentence(_ s: String) -> Bool {
        // Read from the end: only the last two scalars matter.
        let scalars = s.unicodeScalars
        guard let last = scalars.last else { return false }
        if CharClass.terminal.contains(last) { return true }
        if CharClass.closers.contains(last), scalars.startIndex < scalars.index(before: scalars.endIndex) {
            return CharClass.terminal.contains(scalars[scalars.index(scalars.endIndex, offsetBy: -2)])
        }
        return false
    }

    /// A headline or subhead: one short line with no sentence punctuation inside it (a closing ？ or
    /// ！ is allowed) and its quotes and brackets balanced, so not a fragment of column text; up to
    /// 80 characters when cut into phrases by spaces, the way Chinese headlines are set.
    static func isHeading(_ text: String, lines: Int) -> Bool {
        guard lines == 1, let last = text.unicodeScalars.last else { return false }
        if CharClass.terminal.contains(last) && last != "？" && last != "！" { return false }
        if hasSentencePunctuation(String(text.unicodeScalars.dropLast())) || last == "，" || last == "、" || last == "：" { return false }
        guard isBalanced(text) else { return false }
        let length = text.unicodeScalars.count
        if length <= maxHeadingLength { return true }
        return length <= 80 && text.has(" ")
    }

    static func isBalanced(_ s: String) -> Bool {
        let pairs: [(Character, Character)] = [("《", "》"), ("“", "”"), ("（", "）"), ("【", "】"), ("‘", "’")]
        var counts: [Character: Int] = [:]
        for c in s where "《》“”（）【】‘’".contains(c) { counts[c, default: 0] += 1 }
        return pairs.allSatisfy { open, close in counts[open, default: 0] == counts[close, default: 0] }
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
