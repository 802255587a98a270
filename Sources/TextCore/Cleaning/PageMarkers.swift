import Foundation

/// Newspaper furniture that is not article text: page-continuation markers (下转第2版▶,
/// （上接第1版）), datelines (本报讯, 本报北京讯, 新华社北京1月3日电) with their credits, and
/// bylines (■记者 张三, □记者 李四 通讯员 王五, 本报评论员).
public enum PageMarkers {
    static let bylineWords: PhraseList = ["记者", "通讯员", "评论员"]
    private static let continuation = try! NSRegularExpression(
        pattern: "[（(【]?\\s*(?:下|上)?\\s*(?:紧)?\\s*(?:转|接)\\s*第?\\s*[0-9一二三四五六七八九十]{1,3}\\s*版\\s*[▶►》>）)】]*")
    private static let dateline = try! NSRegularExpression(
        pattern: "^(?:本报[^\\s，。]{0,6}讯|新华社[^\\s，。]{0,12}电|人民网[^\\s，。]{0,12}电)\\s*(?:[（(]([^）)]{1,40})[）)])?\\s*")
    private static let byline = try! NSRegularExpression(
        pattern: "^[■□●▲◆◎☆★]?\\s*(?:本报)?(?:首席)?(?:记者|通讯员|评论员|特约评论员|见习记者)(?:[\\s　]*[\\p{Han}·]{2,4}|[\\s　]*本报[\\p{Han}]{0,4})*(?:[\\s　]*(?:/文|/摄|文|摄))?(?:[\\s　]+(?:(?:本报)?通讯员|记者|摄影)[\\s　]*(?:[\\p{Han}·]{2,4}[\\s　]*)+(?:/文|/摄)?)*$")

    /// Removes continuation markers from a line; returns the rest and the markers found.
    public static func stripContinuations(_ line: String) -> (String, [String]) {
        guard line.has("版") else { return (line, []) }
        let ns = line as NSString
        let matches = continuation.matches(in: line, range: NSRange(location: 0, length: ns.length))
        guard !matches.isEmpty else { return (line, []) }
        // Cut on UTF-16 offsets: a match bound may fall inside a grapheme (▶ followed by U+FE0F),
        // where Range(NSRange, in: String) has no answer.
        let rest = NSMutableString(string: line)
        var found: [String] = []
        for m in matches.reversed() {
            found.insert(ns.substring(with: m.range).trimmingCharacters(in: .whitespaces), at: 0)
            rest.deleteCharacters(in: m.range)
        }
        return ((rest as String).trimmingCharacters(in: .whitespaces), found)
    }

    /// `本报讯（记者 方智斌）宣传…` → (credit: 记者 方智斌, rest: 宣传…); nil when the line has no dateline.
    public static func dateline(_ line: String) -> (credit: String?, rest: String)? {
        guard line.hasPrefix("本报") || line.hasPrefix("新华社") || line.hasPrefix("人民网") else { return nil }
        let ns = line as NSString
        guard let m = dateline.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let credit = m.range(at: 1).location != NSNotFound ? ns.substring(with: m.range(at: 1)) : nil
        return (credit, ns.substring(from: m.range.upperBound))
    }

    /// The byline's text without its leading mark, or nil when the line is not a byline.
    public static func byline(_ line: String) -> String? {
        guard line.utf8.count <= 4 * 48, line.unicodeScalars.count <= 48, line.hasAny(bylineWords) else { return nil }
        let ns = line as NSString
        guard byline.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) != nil else { return nil }
        let marks: Set<Character> = ["■", "□", "●", "▲", "◆", "◎", "☆", "★"]
        return String(line.drop(while: { marks.contains($0) || $0 == " " }))
    }
}
