import Foundation
import Postgres

/// SQL for the reporting tables. A row of `indicators` or `milestones` is always recomputed from
/// its `*_sources`, never incremented, so it does not depend on order or repetition; and only the
/// rows an article touches are recomputed, each from its own sources through an index, so the cost
/// of an article does not grow with the size of the groups it feeds.
public enum ReportStore {
    /// How extraction labels become reporting keys (pure functions from the text core).
    public struct Keys: Sendable {
        public var metric: @Sendable (String) -> String
        public var subject: @Sendable (String, String?) -> String
        public init(metric: @escaping @Sendable (String) -> String, subject: @escaping @Sendable (String, String?) -> String) {
            self.metric = metric; self.subject = subject
        }
    }

    /// Replaces an article's contribution and recomputes the rows it touches (before and after).
    public static func refresh(_ db: Connection, articleID: Int64, keys: Keys) throws {
        try refresh(db, articleIDs: [articleID], keys: keys)
    }

    /// The same for a batch of articles in one transaction: every key the batch touches is locked
    /// first, in one order, so batches on several workers cannot deadlock; then each article's
    /// sources are replaced and the rows they touch are recomputed once.
    public static func refresh(_ db: Connection, articleIDs: [Int64], keys: Keys) throws {
        var articles: [(id: Int64, indicators: [IndicatorSource], milestones: [MilestoneSource])] = []
        var groups: Set<[String]> = [], milestoneKeys: Set<[String]> = []
        for id in articleIDs {
            let (indicators, milestones) = try loadSources(db, articleID: id, keys: keys)
            let old = try touched(db, column: "article_id", id: id)
            groups.formUnion(old.groups.union(indicators.map(\.group)))
            milestoneKeys.formUnion(old.milestones.union(milestones.map(\.key)))
            articles.append((id, indicators, milestones))
        }
        try lock(db, groups: groups, milestones: milestoneKeys)
        var change = Change()
        for a in articles {
            change.formUnion(try withdraw(db, column: "article_id", id: a.id))
            try insert(db, articleID: a.id, indicators: a.indicators)
            try insert(db, articleID: a.id, milestones: a.milestones)
            change.figures.formUnion(a.indicators.map(\.figure))
            change.rows.formUnion(a.indicators.map(\.row))
            change.milestones.formUnion(a.milestones.map(\.key))
        }
        try apply(db, change)
    }

    /// Withdraws a document's contribution before its articles are replaced (the clean stage), so
    /// no reporting row outlives the sources it was computed from.
    public static func forget(_ db: Connection, documentID: Int64) throws {
        try forget(db, column: "document_id", id: documentID)
    }

    /// Withdraws an article's contribution before its extractions are replaced (the extract stage);
    /// the aggregate job that follows files the new ones.
    public static func forget(_ db: Connection, articleID: Int64) throws {
        try forget(db, column: "article_id", id: articleID)
    }

    private static func forget(_ db: Connection, column: String, id: Int64) throws {
        let old = try touched(db, column: column, id: id)
        guard !old.groups.isEmpty || !old.milestones.isEmpty else { return }
        try lock(db, groups: old.groups, milestones: old.milestones)
        try apply(db, try withdraw(db, column: column, id: id))
    }

    /// What a change of sources leaves to recompute.
    struct Change {
        /// (metric, region, kind, value, value_max or NaN, unit): figures whose undated mentions may move.
        var figures: Set<[String]> = []
        /// (metric, region, period, kind): indicator rows to recompute.
        var rows: Set<[String]> = []
        /// (date, action, subject): milestone rows to recompute.
        var milestones: Set<[String]> = []

        mutating func formUnion(_ other: Change) {
            figures.formUnion(other.figures); rows.formUnion(other.rows); milestones.formUnion(other.milestones)
        }
    }

    private static func apply(_ db: Connection, _ change: Change) throws {
        var rows = change.rows
        rows.formUnion(try refile(db, figures: change.figures))
        try recomputeIndicators(db, rows: rows)
        try recomputeMilestones(db, keys: change.milestones)
    }

    /// The indicator groups (metric, region, kind) and milestone keys an article or document feeds:
    /// what must be locked before its sources change.
    private static func touched(_ db: Connection, column: String, id: Int64) throws -> (groups: Set<[String]>, milestones: Set<[String]>) {
        precondition(column == "article_id" || column == "document_id")
        let groups = try db.query("SELECT DISTINCT metric, region, kind FROM indicator_sources WHERE \(column) = $1", prepared: true, [id])
            .rows.map { [try $0.decode(String.self, 0), try $0.decode(String.self, 1), try $0.decode(String.self, 2)] }
        let milestones = try db.query("SELECT DISTINCT date, action, subject FROM milestone_sources WHERE \(column) = $1", prepared: true, [id])
            .rows.map { [try $0.decode(String.self, 0), try $0.decode(String.self, 1), try $0.decode(String.self, 2)] }
        return (Set(groups), Set(milestones))
    }

    /// Deletes an article's or document's sources and says which figures and rows they fed.
    private static func withdraw(_ db: Connection, column: String, id: Int64) throws -> Change {
        precondition(column == "article_id" || column == "document_id")
        var change = Change()
        for r in try db.query("""
            DELETE FROM indicator_sources WHERE \(column) = $1
            RETURNING metric, region, period, kind, value::text, coalesce(value_max::text, 'NaN'), unit
            """, prepared: true, [id]).rows {
            let (metric, region, period, kind) = (try r.decode(String.self, 0), try r.decode(String.self, 1), try r.decode(String.self, 2), try r.decode(String.self, 3))
            change.rows.insert([metric, region, period, kind])
            change.figures.insert([metric, region, kind, try r.decode(String.self, 4), try r.decode(String.self, 5), try r.decode(String.self, 6)])
        }
        for r in try db.query("DELETE FROM milestone_sources WHERE \(column) = $1 RETURNING date, action, subject", prepared: true, [id]).rows {
            change.milestones.insert([try r.decode(String.self, 0), try r.decode(String.self, 1), try r.decode(String.self, 2)])
        }
        return change
    }

    /// Locks every key in a fixed order, so two workers cannot deadlock; held to the end of the
    /// transaction. A row is only ever computed by the one transaction holding its key, and period
    /// filing stays inside a (metric, region, kind) group, so group locks cover it.
    private static func lock(_ db: Connection, groups: Set<[String]>, milestones: Set<[String]>) throws {
        let lockKeys = (groups.map { "i|" + $0.joined(separator: "|") } + milestones.map { "m|" + $0.joined(separator: "|") }).sorted()
        guard !lockKeys.isEmpty else { return }
        try db.execute("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n",
                       prepared: true, [PostgresArray(lockKeys)])
    }

    /// The article's extractions as report sources, decoded through the one typed contract
    /// (`StoredExtraction`); a row that does not decode is an error naming it.
    private static func loadSources(_ db: Connection, articleID: Int64, keys: Keys) throws -> ([IndicatorSource], [MilestoneSource]) {
        let rows = try db.query("""
            SELECT e.id, e.kind, e.data::text, e.evidence, e.start_offset, e.end_offset, a.document_id, d.source_id,
                   a.published::text, a.index
              FROM extractions e JOIN articles a ON a.id = e.article_id JOIN documents d ON d.id = a.document_id
             WHERE e.article_id = $1 ORDER BY e.id
            """, prepared: true, [articleID]).rows
        var indicators: [IndicatorSource] = []
        var milestones: [MilestoneSource] = []
        for (position, r) in rows.enumerated() {
            let id = try r.decode(Int64.self, 0)
            let base = SourceBase(extractionID: id, documentID: try r.decode(Int64.self, 6),
                                  sourceID: try r.decode(String.self, 7), evidence: try r.decode(String.self, 3),
                                  start: try r.decode(Int.self, 4), end: try r.decode(Int.self, 5),
                                  published: try r.decodeOptional(String.self, 8), articleIndex: try r.decode(Int.self, 9),
                                  position: position)
            switch try StoredExtraction.decode(kind: try r.decode(String.self, 1), json: try r.decode(String.self, 2), extractionID: id) {
            case .indicator(let i):
                // The reporting key is the vocabulary's canonical name chosen at extraction.
                indicators.append(IndicatorSource(base: base, metric: keys.metric(i.metricKey), label: i.metric,
                                                  region: i.region ?? "", period: i.period ?? "", kind: i.kind, value: i.value,
                                                  valueMax: i.valueMax, unit: i.unit, qualifier: i.qualifier))
            case .milestone(let m):
                milestones.append(MilestoneSource(base: base, date: m.date, action: m.action, subject: keys.subject(m.subject, m.region),
                                                  label: m.subject, document: m.document, region: m.region, planned: m.planned))
            }
        }
        return (indicators, milestones)
    }

    private static func insert(_ db: Connection, articleID: Int64, indicators: [IndicatorSource]) throws {
        guard !indicators.isEmpty else { return }
        try db.execute("""
            INSERT INTO indicator_sources (extraction_id, metric, region, period, stated_period, kind, document_id, article_id,
                source_id, metric_label, value, value_max, unit, qualifier, evidence, start_offset, end_offset, published,
                article_index, position)
            SELECT t.id, t.metric, t.region, t.period, t.period, t.kind, t.doc, $1, t.src, t.label, t.value, t.vmax, t.unit,
                   t.qualifier, t.evidence, t.s, t.e, t.published::date, t.ai, t.pos
              FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
                          $9::text[], $10::float8[], $11::float8[], $12::text[], $13::text[], $14::text[], $15::int[],
                          $16::int[], $17::text[], $18::int[], $19::int[])
                   AS t(id, metric, region, period, kind, doc, src, label, value, vmax, unit, qualifier, evidence, s, e, published, ai, pos)
            """, prepared: true, [articleID,
                  PostgresArray(indicators.map { $0.base.extractionID }), PostgresArray(indicators.map { $0.metric }),
                  PostgresArray(indicators.map { $0.region }), PostgresArray(indicators.map { $0.period }),
                  PostgresArray(indicators.map { $0.kind }), PostgresArray(indicators.map { $0.base.documentID }),
                  PostgresArray(indicators.map { $0.base.sourceID }), PostgresArray(indicators.map { $0.label }),
                  PostgresArray(indicators.map { $0.value }), PostgresArray(indicators.map { $0.valueMax.map { String($0) } }),
                  PostgresArray(indicators.map { $0.unit }), PostgresArray(indicators.map { $0.qualifier }),
                  PostgresArray(indicators.map { $0.base.evidence }), PostgresArray(indicators.map { $0.base.start }),
                  PostgresArray(indicators.map { $0.base.end }), PostgresArray(indicators.map { $0.base.published }),
                  PostgresArray(indicators.map { $0.base.articleIndex }), PostgresArray(indicators.map { $0.base.position })])
    }

    private static func insert(_ db: Connection, articleID: Int64, milestones: [MilestoneSource]) throws {
        guard !milestones.isEmpty else { return }
        try db.execute("""
            INSERT INTO milestone_sources (extraction_id, date, action, subject, document_id, article_id, source_id,
                subject_label, document, region, planned, evidence, start_offset, end_offset, published, article_index, position)
            SELECT t.id, t.date, t.action, t.subject, t.doc, $1, t.src, t.label, t.document, t.region, t.planned,
                   t.evidence, t.s, t.e, t.published::date, t.ai, t.pos
              FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::boolean[], $12::text[], $13::int[], $14::int[], $15::text[],
                          $16::int[], $17::int[])
                   AS t(id, date, action, subject, doc, src, label, document, region, planned, evidence, s, e, published, ai, pos)
            """, prepared: true, [articleID,
                  PostgresArray(milestones.map { $0.base.extractionID }), PostgresArray(milestones.map { $0.date }),
                  PostgresArray(milestones.map { $0.action }), PostgresArray(milestones.map { $0.subject }),
                  PostgresArray(milestones.map { $0.base.documentID }), PostgresArray(milestones.map { $0.base.sourceID }),
                  PostgresArray(milestones.map { $0.label }), PostgresArray(milestones.map { $0.document }),
                  PostgresArray(milestones.map { $0.region }), PostgresArray(milestones.map { $0.planned ? "t" : "f" }),
                  PostgresArray(milestones.map { $0.base.evidence }), PostgresArray(milestones.map { $0.base.start }),
                  PostgresArray(milestones.map { $0.base.end }), PostgresArray(milestones.map { $0.base.published }),
                  PostgresArray(milestones.map { $0.base.articleIndex }), PostgresArray(milestones.map { $0.base.position })])
    }

    /// Files the undated mentions of the given figures: under the one period other sources give
    /// the same figure (same metric, region, kind, value, value_max and unit), else undated.
    /// Each figure is looked up through `indicator_sources_figure`, never by scanning its group.
    /// Returns the rows that lost or gained a mention.
    static func refile(_ db: Connection, figures: Set<[String]>) throws -> Set<[String]> {
        guard !figures.isEmpty else { return [] }
        let list = Array(figures)
        let params: [any PostgresEncodable] = (0..<6).map { i in PostgresArray(list.map { $0[i] }) }
        var rows: Set<[String]> = []
        for r in try db.query("""
            WITH f AS (SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[])
                                  AS f(metric, region, kind, value, vmax, unit)),
            filing AS (
                SELECT f.*, coalesce((SELECT CASE WHEN count(DISTINCT s.stated_period) = 1 THEN min(s.stated_period) END
                                        FROM indicator_sources s
                                       WHERE (s.metric, s.region, s.kind, s.value, s.unit) = (f.metric, f.region, f.kind, f.value, f.unit)
                                         AND coalesce(s.value_max, 'NaN') = f.vmax AND s.stated_period <> ''), '') AS period
                  FROM f),
            moved AS (
                SELECT s.extraction_id, s.period AS old_period, filing.period AS new_period
                  FROM filing JOIN indicator_sources s
                    ON (s.metric, s.region, s.kind, s.value, s.unit) = (filing.metric, filing.region, filing.kind, filing.value, filing.unit)
                   AND coalesce(s.value_max, 'NaN') = filing.vmax
                 WHERE s.stated_period = '' AND s.period <> filing.period)
            UPDATE indicator_sources s SET period = m.new_period
              FROM moved m
             WHERE s.extraction_id = m.extraction_id
            RETURNING s.metric, s.region, m.old_period, m.new_period, s.kind
            """, prepared: true, params).rows {
            let (metric, region, kind) = (try r.decode(String.self, 0), try r.decode(String.self, 1), try r.decode(String.self, 4))
            rows.insert([metric, region, try r.decode(String.self, 2), kind])
            rows.insert([metric, region, try r.decode(String.self, 3), kind])
        }
        return rows
    }

    /// Recomputes the given (metric, region, period, kind) rows from their sources: deleted when
    /// none is left, else the first source in the one order (latest published, then source,
    /// article, sentence, figure) gives the figure, and disagreement is flagged. Unchanged rows
    /// are left alone, so updated_at says when a figure last moved.
    static func recomputeIndicators(_ db: Connection, rows: Set<[String]>) throws {
        guard !rows.isEmpty else { return }
        let list = rows.sorted { $0.lexicographicallyPrecedes($1) }
        let params: [any PostgresEncodable] = (0..<4).map { i in PostgresArray(list.map { $0[i] }) }
        try db.execute("""
            WITH r AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(metric, region, period, kind))
            DELETE FROM indicators i USING r
             WHERE (i.metric, i.region, i.period, i.kind) = (r.metric, r.region, r.period, r.kind)
               AND NOT EXISTS (SELECT 1 FROM indicator_sources s
                                WHERE (s.metric, s.region, s.period, s.kind) = (r.metric, r.region, r.period, r.kind))
            """, prepared: true, params)
        try db.execute("""
            WITH r AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(metric, region, period, kind))
            INSERT INTO indicators AS i (metric, region, period, kind, value, value_max, unit, qualifier, mentions,
                                         first_published, last_published, conflict, updated_at)
            SELECT r.metric, r.region, r.period, r.kind, l.value, l.value_max, l.unit, l.qualifier, a.mentions,
                   a.first_published, a.last_published, a.conflict, now()
              FROM r
              CROSS JOIN LATERAL (
                    SELECT s.value, s.value_max, s.unit, s.qualifier FROM indicator_sources s
                     WHERE (s.metric, s.region, s.period, s.kind) = (r.metric, r.region, r.period, r.kind)
                     ORDER BY s.published DESC NULLS LAST, s.source_id, s.article_index, s.start_offset, s.position
                     LIMIT 1) l
              CROSS JOIN LATERAL (
                    -- A mention is a sentence: two figures of one sentence filed together count once.
                    SELECT count(DISTINCT (s.article_id, s.start_offset))::int AS mentions,
                           min(s.published) AS first_published, max(s.published) AS last_published,
                           count(DISTINCT (s.value, coalesce(s.value_max, 'NaN'), s.unit)) > 1 AS conflict
                      FROM indicator_sources s
                     WHERE (s.metric, s.region, s.period, s.kind) = (r.metric, r.region, r.period, r.kind)) a
            ON CONFLICT (metric, region, period, kind) DO UPDATE
               SET value = EXCLUDED.value, value_max = EXCLUDED.value_max, unit = EXCLUDED.unit,
                   qualifier = EXCLUDED.qualifier, mentions = EXCLUDED.mentions,
                   first_published = EXCLUDED.first_published, last_published = EXCLUDED.last_published,
                   conflict = EXCLUDED.conflict, updated_at = now()
             WHERE (i.value, i.value_max, i.unit, i.qualifier, i.mentions, i.first_published, i.last_published, i.conflict)
                   IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.value_max, EXCLUDED.unit, EXCLUDED.qualifier, EXCLUDED.mentions,
                                     EXCLUDED.first_published, EXCLUDED.last_published, EXCLUDED.conflict)
            """, prepared: true, params)
    }

    static func recomputeMilestones(_ db: Connection, keys: Set<[String]>) throws {
        guard !keys.isEmpty else { return }
        let list = keys.sorted { $0.lexicographicallyPrecedes($1) }
        let params: [any PostgresEncodable] = (0..<3).map { i in PostgresArray(list.map { $0[i] }) }
        try db.execute("""
            WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS k(date, action, subject))
            DELETE FROM milestones m USING k
             WHERE (m.date, m.action, m.subject) = (k.date, k.action, k.subject)
               AND NOT EXISTS (SELECT 1 FROM milestone_sources s WHERE (s.date, s.action, s.subject) = (k.date, k.action, k.subject))
            """, prepared: true, params)
        try db.execute("""
            WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS k(date, action, subject))
            INSERT INTO milestones AS m (date, action, subject, document, region, planned, mentions, updated_at)
            SELECT k.date, k.action, k.subject, a.document, a.region, a.planned, a.mentions, now()
              FROM k
              CROSS JOIN LATERAL (
                    SELECT count(DISTINCT (s.article_id, s.start_offset))::int AS mentions, bool_and(s.planned) AS planned,
                           max(s.document) AS document, max(coalesce(s.region, '')) AS region
                      FROM milestone_sources s
                     WHERE (s.date, s.action, s.subject) = (k.date, k.action, k.subject)) a
             WHERE a.mentions > 0
            ON CONFLICT (date, action, subject) DO UPDATE
               SET document = EXCLUDED.document, region = EXCLUDED.region, planned = EXCLUDED.planned,
                   mentions = EXCLUDED.mentions, updated_at = now()
             WHERE (m.document, m.region, m.planned, m.mentions)
                   IS DISTINCT FROM (EXCLUDED.document, EXCLUDED.region, EXCLUDED.planned, EXCLUDED.mentions)
            """, prepared: true, params)
    }
}

struct SourceBase {
    let extractionID: Int64, documentID: Int64, sourceID: String, evidence: String, start: Int, end: Int, published: String?
    /// The article's place in its document and the extraction's place in its article: the last
    /// keys of the order on a row's sources, so ties between figures of one sentence are broken.
    let articleIndex: Int, position: Int
}
struct IndicatorSource {
    var group: [String] { [metric, region, kind] }
    var row: [String] { [metric, region, period, kind] }
    var figure: [String] { [metric, region, kind, String(value), valueMax.map { String($0) } ?? "NaN", unit] }
    let base: SourceBase
    let metric: String, label: String, region: String, period: String, kind: String
    let value: Double, valueMax: Double?, unit: String, qualifier: String
}
struct MilestoneSource {
    var key: [String] { [date, action, subject] }
    let base: SourceBase
    let date: String, action: String, subject: String, label: String, document: String?, region: String?, planned: Bool
}
