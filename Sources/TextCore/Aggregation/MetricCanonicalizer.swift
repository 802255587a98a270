/// Canonical metric names through a synonym lexicon (`config/metric_synonyms.tsv`: each line a
/// canonical name and its synonyms, tab-separated), so that the same figure reported under two
/// names lands on one reporting row.
public struct MetricCanonicalizer: Sendable {
    private var canonical: [String: String] = [:]

    public init(lexicon: String = "") {
        for line in lexicon.split(separator: "\n") where !line.hasPrefix("#") {
            let names = line.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard let head = names.first else { continue }
            for n in names { canonical[Self.key(n)] = head }
        }
    }

    public func canonicalize(_ metric: String) -> String {
        let k = Self.key(metric)
        return canonical[k] ?? k
    }

    /// Spaces and quotes carry no meaning in a metric name; `|` is kept out of keys.
    static func key(_ s: String) -> String {
        String(s.unicodeScalars.filter { !CharClass.isSpace($0) && $0 != "“" && $0 != "”" && $0 != "\"" && $0 != "|" }
            .map(Character.init))
    }
}

import Foundation
