/// Site chrome in web-page text: breadcrumbs, navigation, page metadata, contact and copyright
/// blocks, CMS footers. Lines are classified by general patterns of Chinese (and English) CMS
/// pages; which ones are cut is decided by position and text density: the header is whatever
/// stands before the headline, the footer whatever follows the last text-dense paragraph once a
/// chrome line has begun it.
public enum Boilerplate {
    public enum LineKind: Equatable, Sendable { case content, chrome, meta }

    /// Phrases that make a short line navigation, contact, copyright or CMS furniture.
    static let chromePhrases: PhraseList = [
        "您现在的位置", "您的位置", "当前位置", "所在位置", "上一条", "下一条", "上一篇", "下一篇",
        "返回顶部", "打印本页", "关闭窗口", "打印文章", "分享到", "【字体", "字号", "收藏本页", "加入收藏",
        "联系电话", "联系方式", "联系我们", "与我们联系", "传真", "邮箱", "电子邮件", "E-mail", "Email",
        "地址：", "邮编", "Copyright", "copyright", "COPYRIGHT", "©", "版权所有", "All Rights Reserved",
        "ICP备", "ICP证", "公网安备", "网站标识码", "主办单位", "承办单位", "技术支持", "Produced By",
        "Powered by", "相关链接", "相关新闻", "相关阅读", "扫一扫", "手机版", "网站地图", "无障碍",
        "责任编辑", "编辑：", "审核：", "校对：",
    ]
    /// Phrases that make a line the page's metadata (date, origin), which sits under the headline.
    static let metaPhrases: PhraseList = ["发布时间", "发布日期", "发表时间", "信息来源", "来源：", "作者：", "浏览次数", "点击数", "阅读数", "访问量"]

    public static func classify(_ line: String) -> LineKind {
        let short = line.unicodeScalars.count <= 80
        if short, line.hasAny(metaPhrases) { return .meta }
        if short, line.hasAny(chromePhrases) { return .chrome }
        if isBreadcrumb(line) { return .chrome }
        if line.hasPrefix("•") || line.hasPrefix("·") || line.hasPrefix("|") { return .chrome }
        return .content
    }

    /// `首页 > 新闻 > 舟山` and the like: short segments joined by arrows.
    static func isBreadcrumb(_ line: String) -> Bool {
        var arrows = 0
        for s in line.unicodeScalars where s == ">" || s == "›" || s == "»" || s == "＞" { arrows += 1 }
        if arrows >= 1, ["首页", "主页", "网站首页", "Home"].contains(where: { line.hasPrefix($0) }) { return true }
        return arrows >= 2 && line.unicodeScalars.count <= 60
    }

    /// A text-dense line: long enough and with sentence punctuation, i.e. article text.
    static func isDense(_ line: String) -> Bool {
        var han = 0, punct = 0
        for s in line.unicodeScalars {
            if CharClass.isHan(s) { han += 1 } else if s == "，" || s == "。" || s == "、" || s == "；" { punct += 1 }
        }
        return han >= 20 && punct >= 1
    }

    public struct Trimmed: Sendable {
        public var headline: String?
        public var byline: String?
        /// Indices of the lines kept as body, in order.
        public var body: [Int]
        /// The page's own date, from its metadata line (发布时间：2023-12-28).
        public var metaLine: String?
    }

    /// Cuts the header and footer of a single web page's lines (already normalised, no blanks).
    public static func trimPage(_ lines: [String]) -> Trimmed {
        let kinds = lines.map(classify)
        let dense = lines.map(isDense)
        let isDense = { (i: Int) in dense[i] }
        guard let lastDense = lines.indices.last(where: isDense) else {
            return Trimmed(headline: nil, byline: nil, body: lines.indices.filter { kinds[$0] == .content }, metaLine: nil)
        }
        // The metadata line (发布时间…) near the top anchors the headline: the content line just above it.
        let firstLongText = lines.indices.first(where: { dense[$0] && lines[$0].unicodeScalars.count >= 60 }) ?? lastDense
        let metaIndex = (0..<min(firstLongText, 20)).first { kinds[$0] == .meta }
        var headline: String? = nil
        var byline: String? = nil
        let firstDense: Int
        if let metaIndex {
            if let h = (0..<metaIndex).last(where: { kinds[$0] == .content && lines[$0].unicodeScalars.count <= 80 }) { headline = lines[h] }
            firstDense = (metaIndex + 1..<lines.count).first(where: isDense) ?? lastDense
        } else {
            firstDense = lines.indices.first(where: isDense) ?? lastDense   // (one exists: lastDense)
            if let h = (0..<firstDense).last(where: { kinds[$0] == .content }) { headline = lines[h] }
        }
        let metaLine = metaIndex.map { lines[$0] }
        let headerEnd = firstDense
        let headlineSearchEnd = metaIndex ?? headerEnd
        // Short content lines between the metadata and the text: an author line.
        let afterMeta = (metaIndex.map { $0 + 1 } ?? headerEnd)..<headerEnd
        for i in afterMeta where kinds[i] == .content && lines[i].unicodeScalars.count <= 30 && lines[i].has(" ") {
            byline = lines[i]
        }
        // Footer: from the first chrome line after the last dense line.
        var body: [Int] = []
        for i in firstDense..<lines.count {
            if i > lastDense && kinds[i] != .content { break }
            if kinds[i] == .content { body.append(i) }
        }
        // Short trailing lines after the text that are not sentences (link lists) go with the footer.
        while let last = body.last, last > lastDense, !dense[last],
              !CharClass.terminal.contains(lines[last].unicodeScalars.last ?? " ") { body.removeLast() }
        // Lines between the headline and the text that are content but neither byline nor meta:
        // kept (kickers, photo captions) unless they are the byline.
        let headerBody = (min(headlineSearchEnd + 1, headerEnd)..<headerEnd).filter { kinds[$0] == .content && lines[$0] != byline && lines[$0] != headline }
        return Trimmed(headline: headline, byline: byline, body: headerBody + body, metaLine: metaLine)
    }
}
