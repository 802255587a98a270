/// robots.txt as a crawler reads it: the group for our user agent (else `*`), Allow and Disallow
/// by longest matching path prefix (`*` wildcards and a `$` end anchor), Crawl-delay.
public struct Robots: Sendable, Equatable {
    struct Rule: Sendable, Equatable { let allow: Bool; let pattern: String }
    var rules: [Rule] = []
    public var crawlDelay: Double?

    /// Everything allowed: no robots.txt (404), or an empty one.
    public static let allowAll = Robots()

    public init() {}

    public init(parsing text: String, userAgent: String) {
        let agent = userAgent.lowercased()
        // Groups: consecutive User-agent lines, then their rules.
        var groups: [(agents: [String], rules: [Rule], delay: Double?)] = []
        var lastWasAgent = false
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if lastWasAgent, !groups.isEmpty { groups[groups.count - 1].agents.append(value.lowercased()) }
                else { groups.append(([value.lowercased()], [], nil)) }
                lastWasAgent = true
            case "allow", "disallow":
                lastWasAgent = false
                guard !groups.isEmpty else { continue }
                // An empty Disallow allows everything: it adds no rule.
                if !value.isEmpty { groups[groups.count - 1].rules.append(Rule(allow: key == "allow", pattern: value)) }
            case "crawl-delay":
                lastWasAgent = false
                if !groups.isEmpty { groups[groups.count - 1].delay = Double(value) }
            default:
                lastWasAgent = false
            }
        }
        let named = groups.filter { g in g.agents.contains { $0 != "*" && agent.contains($0) } }
        let chosen = named.isEmpty ? groups.filter { $0.agents.contains("*") } : named
        rules = chosen.flatMap(\.rules)
        crawlDelay = chosen.compactMap(\.delay).first
    }

    /// Whether `path` (with its query) may be fetched.
    public func allows(_ path: String) -> Bool {
        var best: Rule? = nil
        for r in rules where Self.matches(r.pattern, path) {
            // Longest pattern wins; on a tie Allow wins.
            if best == nil || r.pattern.count > best!.pattern.count || (r.pattern.count == best!.pattern.count && r.allow) { best = r }
        }
        return best?.allow ?? true
    }

    static func matches(_ pattern: String, _ path: String) -> Bool {
        let anchored = pattern.hasSuffix("$")
        let parts = (anchored ? String(pattern.dropLast()) : pattern).split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(path)
        for (i, part) in parts.enumerated() {
            if i == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if part.isEmpty {
                continue
            } else if i == parts.count - 1 && anchored {
                return rest.hasSuffix(part)
            } else {
                guard let r = rest.range(of: part) else { return false }
                rest = rest[r.upperBound...]
            }
        }
        return !anchored || rest.isEmpty || parts.last == ""
    }
}
