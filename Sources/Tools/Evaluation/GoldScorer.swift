import Foundation

/// The reference scorer (`score.py` of the gold folder) in Swift, so `tideline eval` and the tests
/// score exports exactly as it does: same normalisation (NFKC, no white space), same matching of
/// value, unit, value_max and keyword groups, same counting of duplicates and minor items.
public struct GoldScorer {
    public typealias Row = [String: Any]
    let docs: [(name: String, gold: [String: Any])]

    public init(goldJSON: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: goldJSON) as? [String: Any],
              let docs = root["docs"] as? [String: Any] else {
            throw EvalError("the gold file has no \"docs\" object (see GUIDE.md)")
        }
        self.docs = docs.keys.sorted().map { ($0, docs[$0] as? [String: Any] ?? [:]) }
    }

    public static func norm(_ s: String?) -> String {
        String((s ?? "").precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace })
    }

    public static func docKey(_ d: String?) -> String {
        let noQuery = (d ?? "").split(separator: "?", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var trimmed = Substring(noQuery)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let last = trimmed.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        guard let dot = last.lastIndex(of: ".") else { return last }
        return String(last[..<dot])
    }

    static let unitSynonyms = ["％": "%", "㎡": "平方米", "m²": "平方米", "人民币": "元"]

    static func unitOK(_ sys: Any?, _ gold: Any?) -> Bool {
        var u = norm(sys as? String)
        u = unitSynonyms[u] ?? u
        let allowed: [String] = (gold as? [String]) ?? [(gold as? String) ?? ""]
        return allowed.contains { u == (unitSynonyms[norm($0)] ?? norm($0)) }
    }

    static func number(_ v: Any?) -> Double? {
        if let d = v as? Double { return d }
        if let i = v as? Int { return Double(i) }
        if let n = v as? NSNumber { return n.doubleValue }
        if let s = v as? String { return Double(s) }
        return nil
    }

    static func valueOK(_ a: Any?, _ b: Any?) -> Bool {
        guard let a = number(a), let b = number(b) else { return false }
        return abs(a - b) <= max(1e-9, 1e-6 * abs(b))
    }

    static func keywordsOK(_ text: String, _ groups: [Any]) -> Bool {
        let t = norm(text)
        for g in groups {
            let alts: [String] = (g as? [String]) ?? [(g as? String) ?? ""]
            if !alts.contains(where: { t.contains(norm($0)) }) { return false }
        }
        return true
    }

    static func prf(_ tp: Int, _ fp: Int, _ fn: Int) -> (Double, Double, Double) {
        let p = tp + fp > 0 ? Double(tp) / Double(tp + fp) : (fn == 0 ? 1 : 0)
        let r = tp + fn > 0 ? Double(tp) / Double(tp + fn) : 1
        let f = p + r > 0 ? 2 * p * r / (p + r) : 0
        return (p, r, f)
    }

    private func byDoc(_ rows: [Row]) -> [String: [Row]] {
        var out: [String: [Row]] = [:]
        for r in rows { out[Self.docKey(r["doc"] as? String), default: []].append(r) }
        return out
    }

    static func string(_ v: Any?) -> String? {
        if v == nil || v is NSNull { return nil }
        return v as? String ?? "\(v!)"
    }

    public struct Score: Sendable {
        public var tp = 0, fp = 0, fn = 0
        public var precision = 0.0, recall = 0.0, f1 = 0.0
        /// Accuracy of each attribute over found items, nil where nothing was checked.
        public var attributes: [(String, Double?)] = []
        public var missed: [String] = []
        public var falsePositives: [String] = []
        public func attribute(_ name: String) -> Double? { attributes.first { $0.0 == name }?.1 ?? nil }
    }

    public func scoreIndicators(_ rows: [Row]) -> Score {
        var s = Score()
        var attrs: [String: (Int, Int)] = ["qualifier": (0, 0), "period": (0, 0), "region": (0, 0), "kind": (0, 0)]
        let grouped = byDoc(rows)
        for (doc, g) in docs {
            let golds = g["indicators"] as? [[String: Any]] ?? []
            let minors = g["minor_indicators"] as? [[String: Any]] ?? []
            var taken = Set<String>()
            for r in grouped[Self.docKey(doc)] ?? [] {
                let label = "\(Self.string(r["metric"]) ?? "") \(Self.string(r["subject"]) ?? "")"
                var hit: [String: Any]? = nil
                var dup = false
                for gi in golds {
                    guard Self.valueOK(r["value"], gi["value"]), Self.unitOK(r["unit"], gi["unit"]) else { continue }
                    if gi.keys.contains("value_max") {
                        if !Self.valueOK(r["value_max"], gi["value_max"]) { continue }
                    } else if let vm = r["value_max"], !(vm is NSNull), !Self.valueOK(vm, r["value"]) { continue }
                    guard Self.keywordsOK(label, gi["keywords"] as? [Any] ?? []) else { continue }
                    let id = gi["id"] as? String ?? ""
                    if taken.contains(id) { dup = true; continue }
                    hit = gi
                    break
                }
                if let hit {
                    taken.insert(hit["id"] as? String ?? "")
                    s.tp += 1
                    for a in ["qualifier", "period", "region", "kind"] {
                        let want: Any? = hit[a] ?? (a == "kind" ? "actual" : nil)
                        guard let want, !(want is NSNull) else { continue }
                        let got = Self.string(r[a]) ?? (a == "kind" ? "actual" : nil)
                        var ok: Bool
                        if a == "region" {
                            let wants = (want as? [String]) ?? [(want as? String) ?? ""]
                            ok = wants.map(Self.norm).contains(Self.norm(got))
                        } else {
                            ok = got == (want as? String)
                        }
                        attrs[a]!.1 += 1
                        if ok { attrs[a]!.0 += 1 }
                    }
                    continue
                }
                if dup { continue }
                if minors.contains(where: { Self.valueOK(r["value"], $0["value"]) && Self.unitOK(r["unit"], $0["unit"]) }) { continue }
                s.fp += 1
                s.falsePositives.append("\(doc): \(Self.string(r["metric"]) ?? "") \(Self.string(r["value"]) ?? "") \(Self.string(r["unit"]) ?? "") | \((Self.string(r["evidence"]) ?? "").prefix(60))")
            }
            for gi in golds where !taken.contains(gi["id"] as? String ?? "") {
                s.fn += 1
                s.missed.append("\(gi["id"] as? String ?? "") \(gi["evidence"] as? String ?? "")")
            }
        }
        (s.precision, s.recall, s.f1) = Self.prf(s.tp, s.fp, s.fn)
        s.attributes = ["qualifier", "period", "region", "kind"].map { a in
            let (ok, n) = attrs[a]!
            return (a, n > 0 ? Double(ok) / Double(n) : nil)
        }
        return s
    }

    public func scoreMilestones(_ rows: [Row]) -> Score {
        var s = Score()
        var attrs: [String: (Int, Int)] = ["action": (0, 0), "planned": (0, 0), "region": (0, 0)]
        let grouped = byDoc(rows)
        for (doc, g) in docs {
            let golds = g["milestones"] as? [[String: Any]] ?? []
            let minors = g["minor_milestones"] as? [[String: Any]] ?? []
            var taken = Set<String>()
            for r in grouped[Self.docKey(doc)] ?? [] {
                let label = "\(Self.string(r["subject"]) ?? "") \(Self.string(r["document"]) ?? "")"
                let date = Self.norm(Self.string(r["date"]))
                var hit: [String: Any]? = nil
                var dup = false
                for gm in golds {
                    guard date == (gm["date"] as? String), Self.keywordsOK(label, gm["keywords"] as? [Any] ?? []) else { continue }
                    let id = gm["id"] as? String ?? ""
                    if taken.contains(id) { dup = true; continue }
                    hit = gm
                    break
                }
                if let hit {
                    taken.insert(hit["id"] as? String ?? "")
                    s.tp += 1
                    attrs["action"]!.1 += 1
                    if Self.string(r["action"]) == hit["action"] as? String { attrs["action"]!.0 += 1 }
                    attrs["planned"]!.1 += 1
                    if ((r["planned"] as? Bool) ?? false) == ((hit["planned"] as? Bool) ?? false) { attrs["planned"]!.0 += 1 }
                    if let want = hit["region"], !(want is NSNull), !((want as? String)?.isEmpty ?? false) {
                        attrs["region"]!.1 += 1
                        let wants = (want as? [String]) ?? [(want as? String) ?? ""]
                        if wants.map(Self.norm).contains(Self.norm(Self.string(r["region"]))) { attrs["region"]!.0 += 1 }
                    }
                    continue
                }
                if dup { continue }
                if minors.contains(where: { date == ($0["date"] as? String) }) { continue }
                s.fp += 1
                s.falsePositives.append("\(doc): \(Self.string(r["date"]) ?? "") \(Self.string(r["action"]) ?? "") \((Self.string(r["subject"]) ?? "").prefix(40))")
            }
            for gm in golds where !taken.contains(gm["id"] as? String ?? "") {
                s.fn += 1
                s.missed.append("\(gm["id"] as? String ?? "") \(gm["evidence"] as? String ?? "")")
            }
        }
        (s.precision, s.recall, s.f1) = Self.prf(s.tp, s.fp, s.fn)
        s.attributes = ["action", "planned", "region"].map { a in
            let (ok, n) = attrs[a]!
            return (a, n > 0 ? Double(ok) / Double(n) : nil)
        }
        return s
    }

    public struct CleanScore: Sendable {
        public var passed = 0, total = 0
        public var failures: [String] = []
        public var ratio: Double { total > 0 ? Double(passed) / Double(total) : 1 }
    }

    public func scoreClean(_ rows: [Row]) -> CleanScore {
        var s = CleanScore()
        func check(_ ok: Bool, _ what: @autoclosure () -> String) {
            s.total += 1
            if ok { s.passed += 1 } else { s.failures.append(what()) }
        }
        let grouped = byDoc(rows)
        for (doc, g) in docs {
            guard let c = g["clean"] as? [String: Any] else { continue }
            let arts = grouped[Self.docKey(doc)] ?? []
            let minN = c["articles_min"] as? Int ?? 1, maxN = c["articles_max"] as? Int ?? Int.max
            check(arts.count >= minN && arts.count <= maxN, "\(doc): \(arts.count) articles, want \(minN)..\(maxN == Int.max ? "" : String(maxN))")
            let bodies = arts.map { Self.norm(Self.string($0["text"])) }
            let heads = arts.map { Self.norm(Self.string($0["headline"])) }
            let all = bodies.joined()
            for lead in c["leads"] as? [String] ?? [] {
                let l = Self.norm(lead)
                check(bodies.contains { String($0.prefix(300)).contains(l) }, "\(doc): no article starts with \(lead.prefix(24))")
            }
            for m in c["must_contain"] as? [String] ?? [] { check(all.contains(Self.norm(m)), "\(doc): missing \(m.prefix(30))") }
            for m in c["must_not_contain"] as? [String] ?? [] {
                let n = Self.norm(m)
                check(!arts.isEmpty && !(bodies + heads).contains { $0.contains(n) }, "\(doc): still contains \(m)")
            }
            if let h = c["headline"] as? String { check(heads.contains(Self.norm(h)), "\(doc): no headline \(h.prefix(30))") }
            if let p = g["published"] as? String {
                check(!arts.isEmpty && arts.allSatisfy { String((Self.string($0["published"]) ?? "").prefix(10)) == p }, "\(doc): published is not \(p)")
            }
        }
        return s
    }

    /// Parses JSON Lines into rows.
    public static func rows(jsonl: String) throws -> [Row] {
        var out: [Row] = []
        for (n, line) in jsonl.split(separator: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? Row else {
                throw EvalError("line \(n + 1) is not a JSON object")
            }
            out.append(obj)
        }
        return out
    }

    /// The lines score.py prints for these scores.
    public static func report(indicators: Score?, milestones: Score?, clean: CleanScore?, verbose: Bool) -> String {
        var out = ""
        for (name, score) in [("indicators", indicators), ("milestones", milestones)] {
            guard let s = score else { continue }
            let attrs = s.attributes.compactMap { a, v in v.map { "\(a)=\(String(format: "%.2f", $0))" } }.joined(separator: " ")
            out += String(format: "%@: P=%.3f R=%.3f F1=%.3f (tp=%d fp=%d fn=%d) ", name, s.precision, s.recall, s.f1, s.tp, s.fp, s.fn) + attrs + "\n"
            if verbose {
                for m in s.missed { out += "  missed: \(m)\n" }
                for m in s.falsePositives { out += "  false positive: \(m)\n" }
            }
        }
        if let c = clean {
            out += "clean: \(c.passed)/\(c.total) checks\n"
            if verbose { for f in c.failures { out += "  failed: \(f)\n" } }
        }
        return out
    }
}

public struct EvalError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
