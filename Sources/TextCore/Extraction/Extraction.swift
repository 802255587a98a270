/// What the extract stage pulls out of an article: GUIDE.md's export lines.
public struct Indicator: Codable, Sendable, Equatable {
    public var metric: String
    /// The reporting key: the statistics vocabulary's canonical name for the measure, or the
    /// cleaned label when the vocabulary has no entry (then `inVocabulary` is false).
    public var metricKey: String
    public var inVocabulary: Bool
    public var subject: String?
    public var region: String?
    public var value: Double
    public var valueMax: Double?
    public var unit: String
    public var qualifier: String
    public var kind: String
    public var period: String?
    public var evidence: String
    /// Offsets of the evidence sentence in the article text, in Unicode scalars.
    public var start: Int
    public var end: Int

    enum CodingKeys: String, CodingKey {
        case metric, subject, region, value, unit, qualifier, kind, period, evidence, start, end
        case valueMax = "value_max", metricKey = "metric_key", inVocabulary = "in_vocabulary"
    }

    public init(metric: String, metricKey: String? = nil, inVocabulary: Bool = false, subject: String? = nil, region: String? = nil, value: Double, valueMax: Double? = nil,
                unit: String, qualifier: String = "exact", kind: String = "actual", period: String? = nil,
                evidence: String, start: Int, end: Int) {
        self.metric = metric; self.metricKey = metricKey ?? metric; self.inVocabulary = inVocabulary; self.subject = subject; self.region = region; self.value = value; self.valueMax = valueMax
        self.unit = unit; self.qualifier = qualifier; self.kind = kind; self.period = period
        self.evidence = evidence; self.start = start; self.end = end
    }
}

public struct Milestone: Codable, Sendable, Equatable {
    public var date: String
    public var action: String
    public var subject: String
    public var document: String?
    public var region: String?
    public var planned: Bool
    public var evidence: String
    public var start: Int
    public var end: Int

    public init(date: String, action: String, subject: String, document: String? = nil, region: String? = nil,
                planned: Bool = false, evidence: String, start: Int, end: Int) {
        self.date = date; self.action = action; self.subject = subject; self.document = document
        self.region = region; self.planned = planned; self.evidence = evidence; self.start = start; self.end = end
    }
}

/// The article as the extractor sees it.
public struct ArticleText: Sendable {
    public var text: String
    public var headline: String?
    /// YYYY-MM-DD; relative dates resolve against it.
    public var published: String?
    /// 全市/我市 resolve to it.
    public var homeRegion: String?
    public init(text: String, headline: String? = nil, published: String? = nil, homeRegion: String? = nil) {
        self.text = text; self.headline = headline; self.published = published; self.homeRegion = homeRegion
    }
}

public struct Extracted: Sendable, Equatable {
    public var indicators: [Indicator] = []
    public var milestones: [Milestone] = []
    public init(indicators: [Indicator] = [], milestones: [Milestone] = []) {
        self.indicators = indicators; self.milestones = milestones
    }
}

