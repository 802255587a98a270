/// What a report shows, read from the reporting tables and views. Plain values: the renderers
/// are pure functions of them.
public struct ReportData: Sendable, Equatable, Encodable {
    public var indicators: [IndicatorRow]
    public var milestones: [MilestoneRow]
    public var queue: [QueueCount]
    public var filter: ReportFilter
    public var generatedAt: String

    public init(indicators: [IndicatorRow], milestones: [MilestoneRow], queue: [QueueCount], filter: ReportFilter, generatedAt: String) {
        self.indicators = indicators; self.milestones = milestones; self.queue = queue
        self.filter = filter; self.generatedAt = generatedAt
    }
}

public struct ReportFilter: Sendable, Equatable, Encodable {
    public var region: String?
    /// Matches the canonical metric or any label a source used, as a substring.
    public var metric: String?
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: periods and milestone dates from then on.
    public var since: String?
    public init(region: String? = nil, metric: String? = nil, since: String? = nil) {
        self.region = region; self.metric = metric; self.since = since
    }
    public var isEmpty: Bool { region == nil && metric == nil && since == nil }
}

/// One mention behind a reporting row.
public struct SourceRef: Sendable, Equatable, Encodable {
    public var sourceID: String
    public var published: String?
    public var evidence: String
    public var label: String
    /// The publication's name as the manifest or the page gave it (舟山日报), if any.
    public var name: String?
    /// Where a reader finds the page: the manifest's `url`, else the source itself when it is one.
    public var url: String?
    public init(sourceID: String, published: String?, evidence: String, label: String, name: String? = nil, url: String? = nil) {
        self.sourceID = sourceID; self.published = published; self.evidence = evidence; self.label = label
        self.name = name
        self.url = url ?? (sourceID.hasPrefix("http://") || sourceID.hasPrefix("https://") ? sourceID : nil)
    }
}

public struct IndicatorRow: Sendable, Equatable, Encodable {
    public var metric: String, region: String, period: String, kind: String
    public var value: Double, valueMax: Double?, unit: String, qualifier: String
    public var mentions: Int, conflict: Bool
    /// The latest row of its metric, region and kind, as the `latest_indicators` view decides.
    public var isLatest: Bool
    public var sources: [SourceRef]
    public init(metric: String, region: String, period: String, kind: String, value: Double, valueMax: Double?,
                unit: String, qualifier: String, mentions: Int, conflict: Bool, isLatest: Bool, sources: [SourceRef]) {
        self.metric = metric; self.region = region; self.period = period; self.kind = kind
        self.value = value; self.valueMax = valueMax; self.unit = unit; self.qualifier = qualifier
        self.mentions = mentions; self.conflict = conflict; self.isLatest = isLatest; self.sources = sources
    }

    /// Rows of one series: same metric, region, kind and unit.
    public var seriesKey: [String] { [metric, region, kind, unit] }
}

public struct MilestoneRow: Sendable, Equatable, Encodable {
    public var date: String, action: String, subject: String
    public var document: String?, region: String, planned: Bool, mentions: Int
    public var sources: [SourceRef]
    public init(date: String, action: String, subject: String, document: String?, region: String, planned: Bool,
                mentions: Int, sources: [SourceRef]) {
        self.date = date; self.action = action; self.subject = subject; self.document = document
        self.region = region; self.planned = planned; self.mentions = mentions; self.sources = sources
    }
}

public struct QueueCount: Sendable, Equatable, Encodable {
    public var stage: String, state: String, count: Int
    public init(stage: String, state: String, count: Int) { self.stage = stage; self.state = state; self.count = count }
}

extension ReportData {
    /// The latest row of every (metric, region, kind), in metric order. Which row that is, the
    /// database's `latest_indicators` view decides (`isLatest`); the rule lives there only.
    public var latestIndicators: [IndicatorRow] {
        indicators.filter(\.isLatest).sorted { ($0.metric, $0.region, $0.kind) < ($1.metric, $1.region, $1.kind) }
    }

    /// Series with two or more periods: the charts.
    public var series: [[IndicatorRow]] {
        var groups: [[String]: [IndicatorRow]] = [:]
        for row in indicators where !row.period.isEmpty { groups[row.seriesKey, default: []].append(row) }
        return groups.values.filter { Set($0.map(\.period)).count >= 2 }
            .map { $0.sorted { $0.period < $1.period } }
            .sorted { $0[0].seriesKey.lexicographicallyPrecedes($1[0].seriesKey) }
    }
}
