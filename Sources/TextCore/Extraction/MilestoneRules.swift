import Foundation

/// Milestones of one sentence: a dated action from the closed list (GUIDE.md), its subject and
/// 《document》, region and whether it is planned.
struct MilestoneRules {
    let actions: [(verb: [Unicode.Scalar], action: String)]
    static let plannedCues: [[Unicode.Scalar]] = ["预计", "计划", "将于", "拟", "力争", "有望"].map(\.scalars)
    static let timeOfDay: [String] = ["上午", "下午", "晚上", "晚", "中午", "凌晨", "起", "以来", "，", " "]

    /// Words a milestone's date may follow: the sentence's or clause's start, or a preposition.
    static let dateLeads: [String] = ["于", "在", "自", "从", "预计", "计划", "将于", "已于", "定于", "拟于", "截至", "其中"]
    /// A verb followed by these is a noun (完成情况, 实施意见), not a step taken.
    static let nominalTails: [String] = ["情况", "率", "进度", "方案", "意见", "细则", "办法", "任务", "目标", "工作"]

    init(lexicon: Lexicon) { actions = lexicon.actions.map { ($0.verb.scalars, $0.action) } }

    private func dateLeadsClause(_ s: [Unicode.Scalar], _ date: DateFinder.Found) -> Bool {
        if date.start == 0 { return true }
        let before = s[date.start - 1]
        if before == "，" || before == "；" || before == "：" || before == "”" || before == " " { return true }
        return Self.dateLeads.contains { s.endsWith($0.scalars, at: date.start) }
    }

    func extract(sentence index: Int, context: ArticleContext) -> [Milestone] {
        let sentence = context.sentences[index]
        let s = sentence.scalars
        let dates = context.sentenceDates[index].filter { !$0.isRange }
        guard !dates.isEmpty else { return [] }
        var out: [Milestone] = []
        var i = 0
        while i < s.count {
            guard let hit = actions.first(where: { s.matches($0.verb, at: i) }) else { i += 1; continue }
            let verbEnd = i + hit.verb.count
            defer { i = verbEnd }
            // The date that governs the verb: the nearest before it, in the same sentence.
            guard let date = dates.last(where: { $0.end <= i }), dateLeadsClause(s, date) else { continue }
            let tail = s.string(verbEnd..<min(s.count, verbEnd + 2))
            if Self.nominalTails.contains(where: { tail.hasPrefix($0) }) { continue }
            // 实施20周年: an anniversary, not a step.
            if verbEnd < s.count, CharClass.isDigit(s[verbEnd]) || ChineseNumber.isChineseNumeral(s[verbEnd]) && s.string(verbEnd..<min(s.count, verbEnd + 4)).contains("周年") { continue }
            // Between date and verb, no full clause of its own (a comma then a long stretch is fine,
            // a second sentence-like break is not).
            let between = s.string(date.end..<i)
            if between.filter({ $0 == "，" }).count > 1 { continue }
            // The verb must stand as a verb: not inside a noun (开展活动 yes; 实施方案 as a title no).
            var document: String? = nil
            var subject = ""
            // The object after the verb: a 《title》 or a phrase up to the clause's end.
            var j = verbEnd
            while j < s.count, s[j] == "了" || s[j] == "的" || s[j] == "于" { j += 1 }
            if j < s.count, s[j] == "《", let close = s.firstIndex(of: ["》"], from: j) {
                document = s.string((j + 1)..<close)
                subject = document!
            } else {
                var k = j
                while k < s.count, !["，", "。", "；", "！", "？", "（"].contains(s[k]) { k += 1 }
                subject = s.string(j..<k)
            }
            // Verb at the clause's end (…大会在新城举行): the subject stands between date and verb.
            if subject.count < 2 || actions.contains(where: { $0.verb == subject.scalars }) {
                var b = between
                for w in Self.timeOfDay { while b.hasPrefix(w) { b = String(b.dropFirst(w.count)) } }
                if let at = b.range(of: "在", options: .backwards), b.distance(from: b.startIndex, to: at.lowerBound) >= 2 {
                    b = String(b[..<at.lowerBound])
                }
                for w in ["正式", "顺利", "成功", "隆重"] where b.hasSuffix(w) { b = String(b.dropLast(w.count)) }
                subject = b
            }
            if actions.contains(where: { $0.verb == subject.scalars }) { subject = "" }
            // Nothing named around the verb (该码头预计…建成): the sentence's own opening noun, or the
            // project the article last named.
            if subject.count < 2 {
                var opening = s.string(0..<date.start)
                for w in ["该", "这一", "此"] where opening.hasPrefix(w) { opening = String(opening.dropFirst(w.count)) }
                for cue in Self.dateLeads where opening.hasSuffix(cue) { opening = String(opening.dropLast(cue.count)) }
                if opening.count >= 2 && !opening.contains("，") { subject = opening }
            }
            if subject.count < 2, let project = context.projects.last { subject = project }
            guard subject.count >= 2 else { continue }
            let planned = Self.plannedCues.contains { cue in
                if let at = s.firstIndex(of: cue) { return at < i } else { return false }
            }
            out.append(Milestone(date: date.value, action: hit.action, subject: String(subject.prefix(60)), document: document,
                                 region: context.regions.region(of: s, mostSpecific: true) ?? context.sentenceRegions[index],
                                 planned: planned, evidence: sentence.text,
                                 start: sentence.start, end: sentence.start + s.count))
        }
        return out
    }
}
