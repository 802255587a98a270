import Foundation
import Postgres

/// SQL for the reporting tables. Rows of `indicators` and `milestones` are always recomputed from
/// their `*_sources`, never incremented, so the result does not depend on order or repetition.
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
        let old = try touched(db, column: "article_id", id: articleID)
        let (indicators, milestones) = try loadSources(db, articleID: articleID, keys: keys)
        let groups = Set(old.groups + indicators.map(\.group))
        let milestoneKeys = Set(old.milestones + milestones.map(\.key))
        try lock(db, groups: groups, milestones: milestoneKeys)
        try db.execute("DELETE FROM indicator_sources WHERE article_id = $1", [articleID])
        try db.execute("DELETE FROM milestone_sources WHERE article_id = $1", [articleID])
        try insert(db, articleID: articleID, indicators: indicators)
        try insert(db, articleID: articleID, milestones: milestones)
        try recomputeIndicators(db, groups: Array(groups))
        try recomputeMilestones(db, keys: Array(milestoneKeys))
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
        try lock(db, groups: Set(old.groups), milestones: Set(old.milestones))
        try db.execute("DELETE FROM indicator_sources WHERE \(column) = $1", [id])
        try db.execute("DELETE FROM milestone_sources WHERE \(column) = $1", [id])
        try recomputeIndicators(db, groups: old.groups)
        try recomputeMilestones(db, keys: old.milestones)
    }

    /// The indicator groups (metric, region, kind) and milestone keys an article or document feeds.
    private static func touched(_ db: Connection, column: String, id: Int64) throws -> (groups: [[String]], milestones: [[String]]) {
        precondition(column == "article_id" || column == "document_id")
        let groups = try db.query("SELECT DISTINCT metric, region, kind FROM indicator_sources WHERE \(column) = $1", [id])
            .rows.map { [try $0.decode(String.self, 0), try $0.decode(String.self, 1), try $0.decode(String.self, 2)] }
        let milestones = try db.query("SELECT DISTINCT date, action, subject FROM milestone_sources WHERE \(column) = $1", [id])
            .rows.map { [try $0.decode(String.self, 0), try $0.decode(String.self, 1), try $0.decode(String.self, 2)] }
        return (groups, milestones)
    }

    /// Locks every key in a fixed order, so two workers cannot deadlock; held to the end of the
    /// transaction. A row is only ever computed by the one transaction holding its key.
    private static func lock(_ db: Connection, groups: Set<[String]>, milestones: Set<[String]>) throws {
        let lockKeys = (groups.map { "i|" + $0.joined(separator: "|") } + milestones.map { "m|" + $0.joined(separator: "|") }).sorted()
        guard !lockKeys.isEmpty else { return }
        try db.execute("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n",
                       [PostgresArray(lockKeys)])
    }

    private static func loadSources(_ db: Connection, articleID: Int64, keys: Keys) throws -> ([IndicatorSource], [MilestoneSource]) {
        let rows = try db.query("""
            SELECT e.id, e.kind, e.data::text, e.evidence, e.start_offset, e.end_offset, a.document_id, d.source_id,
                   a.published::text
              FROM extractions e JOIN articles a ON a.id = e.article_id JOIN documents d ON d.id = a.document_id
             WHERE e.article_id = $1 ORDER BY e.id
            """, [articleID]).rows
        var indicators: [IndicatorSource] = []
        var milestones: [MilestoneSource] = []
        for r in rows {
            let data = (try JSONSerialization.jsonObject(with: Data(try r.decode(String.self, 2).utf8))) as? [String: Any] ?? [:]
            let base = SourceBase(extractionID: try r.decode(Int64.self, 0), documentID: try r.decode(Int64.self, 6),
                                  sourceID: try r.decode(String.self, 7), evidence: try r.decode(String.self, 3),
                                  start: try r.decode(Int.self, 4), end: try r.decode(Int.self, 5),
                                  published: try r.decodeOptional(String.self, 8))
            if try r.decode(String.self, 1) == "indicator", let value = data["value"] as? Double, let label = data["metric"] as? String {
                // The reporting key is the vocabulary's canonical name chosen at extraction.
                let key = keys.metric(data["metric_key"] as? String ?? label)
                indicators.append(IndicatorSource(base: base, metric: key, label: label,
                                                  region: data["region"] as? String ?? "", period: data["period"] as? String ?? "",
                                                  kind: data["kind"] as? String ?? "actual", value: value,
                                                  valueMax: data["value_max"] as? Double, unit: data["unit"] as? String ?? "",
                                                  qualifier: data["qualifier"] as? String ?? "exact"))
            } else if let date = data["date"] as? String, let action = data["action"] as? String, let subject = data["subject"] as? String {
                let region = data["region"] as? String
                milestones.append(MilestoneSource(base: base, date: date, action: action, subject: keys.subject(subject, region),
                                                  label: subject, document: data["document"] as? String,
                                                  region: region, planned: data["planned"] as? Bool ?? false))
            }
        }
        return (indicators, milestones)
    }

    private static func insert(_ db: Connection, articleID: Int64, indicators: [IndicatorSource]) throws {
        guard !indicators.isEmpty else { return }
        try db.execute("""
            INSERT INTO indicator_sources (extraction_id, metric, region, period, stated_period, kind, document_id, article_id,
                source_id, metric_label, value, value_max, unit, qualifier, evidence, start_offset, end_offset, published)
            SELECT t.id, t.metric, t.region, t.period, t.period, t.kind, t.doc, $1, t.src, t.label, t.value, t.vmax, t.unit,
                   t.qualifier, t.evidence, t.s, t.e, t.published::date
              FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
                          $9::text[], $10::float8[], $11::float8[], $12::text[], $13::text[], $14::text[], $15::int[],
                          $16::int[], $17::text[])
                   AS t(id, metric, region, period, kind, doc, src, label, value, vmax, unit, qualifier, evidence, s, e, published)
            """, [articleID,
                  PostgresArray(indicators.map { $0.base.extractionID }), PostgresArray(indicators.map { $0.metric }),
                  PostgresArray(indicators.map { $0.region }), PostgresArray(indicators.map { $0.period }),
                  PostgresArray(indicators.map { $0.kind }), PostgresArray(indicators.map { $0.base.documentID }),
                  PostgresArray(indicators.map { $0.base.sourceID }), PostgresArray(indicators.map { $0.label }),
                  PostgresArray(indicators.map { $0.value }), PostgresArray(indicators.map { $0.valueMax.map { String($0) } }),
                  PostgresArray(indicators.map { $0.unit }), PostgresArray(indicators.map { $0.qualifier }),
                  PostgresArray(indicators.map { $0.base.evidence }), PostgresArray(indicators.map { $0.base.start }),
                  PostgresArray(indicators.map { $0.base.end }), PostgresArray(indicators.map { $0.base.published })])
    }

    private static func insert(_ db: Connection, articleID: Int64, milestones: [MilestoneSource]) throws {
        guard !milestones.isEmpty else { return }
        try db.execute("""
            INSERT INTO milestone_sources (extraction_id, date, action, subject, document_id, article_id, source_id,
                subject_label, document, region, planned, evidence, start_offset, end_offset, published)
            SELECT t.id, t.date, t.action, t.subject, t.doc, $1, t.src, t.label, t.document, t.region, t.planned,
                   t.evidence, t.s, t.e, t.published::date
              FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::boolean[], $12::text[], $13::int[], $14::int[], $15::text[])
                   AS t(id, date, action, subject, doc, src, label, document, region, planned, evidence, s, e, published)
            """, [articleID,
                  PostgresArray(milestones.map { $0.base.extractionID }), PostgresArray(milestones.map { $0.date }),
                  PostgresArray(milestones.map { $0.action }), PostgresArray(milestones.map { $0.subject }),
                  PostgresArray(milestones.map { $0.base.documentID }), PostgresArray(milestones.map { $0.base.sourceID }),
                  PostgresArray(milestones.map { $0.label }), PostgresArray(milestones.map { $0.document }),
                  PostgresArray(milestones.map { $0.region }), PostgresArray(milestones.map { $0.planned ? "t" : "f" }),
                  PostgresArray(milestones.map { $0.base.evidence }), PostgresArray(milestones.map { $0.base.start }),
                  PostgresArray(milestones.map { $0.base.end }), PostgresArray(milestones.map { $0.base.published })])
    }

    /// Recomputes every row of the given (metric, region, kind) groups from their sources.
    static func recomputeIndicators(_ db: Connection, groups: [[String]]) throws {
        guard !groups.isEmpty else { return }
        let params: [any PostgresEncodable] = (0..<3).map { i in PostgresArray(groups.map { $0[i] }) }
        // An undated mention is filed under the period another source gives the same figure
        // (same value, value_max and unit), when exactly one period is given; else it stays undated.
        try db.execute("""
            WITH g AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS g(metric, region, kind)),
            dated AS (
                SELECT s.metric, s.region, s.kind, s.value, coalesce(s.value_max, 'NaN') AS vmax, s.unit,
                       min(s.stated_period) AS period
                  FROM indicator_sources s JOIN g USING (metric, region, kind)
                 WHERE s.stated_period <> ''
                 GROUP BY 1, 2, 3, 4, 5, 6
                HAVING count(DISTINCT s.stated_period) = 1)
            UPDATE indicator_sources s
               SET period = t.period
              FROM (SELECT s2.extraction_id,
                           coalesce(nullif(s2.stated_period, ''),
                                    (SELECT d.period FROM dated d
                                      WHERE (d.metric, d.region, d.kind, d.value, d.vmax, d.unit)
                                          = (s2.metric, s2.region, s2.kind, s2.value, coalesce(s2.value_max, 'NaN'), s2.unit)), '') AS period
                      FROM indicator_sources s2 JOIN g USING (metric, region, kind)) t
             -- Only rows whose filing changes are written: a group's other sources stay untouched.
             WHERE s.extraction_id = t.extraction_id AND s.period IS DISTINCT FROM t.period
            """, params)
        try db.execute("""
            WITH g AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS g(metric, region, kind))
            DELETE FROM indicators i USING g
             WHERE (i.metric, i.region, i.kind) = (g.metric, g.region, g.kind)
               AND NOT EXISTS (SELECT 1 FROM indicator_sources s
                                WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind))
            """, params)
        // The row shows the most recently published source's figure; disagreement is flagged.
        // Unchanged rows are left alone, so updated_at says when a figure last moved.
        try db.execute("""
            WITH g AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS g(metric, region, kind)),
            agg AS (
                SELECT s.metric, s.region, s.period, s.kind,
                       -- A mention is a sentence: two figures of one sentence filed together count once.
                       count(DISTINCT (s.article_id, s.start_offset))::int AS mentions,
                       min(s.published) AS first_published, max(s.published) AS last_published,
                       count(DISTINCT (s.value, coalesce(s.value_max, 'NaN'), s.unit)) > 1 AS conflict
                  FROM indicator_sources s JOIN g USING (metric, region, kind)
                 GROUP BY s.metric, s.region, s.period, s.kind),
            latest AS (
                SELECT DISTINCT ON (s.metric, s.region, s.period, s.kind) s.*
                  FROM indicator_sources s JOIN g USING (metric, region, kind)
                 ORDER BY s.metric, s.region, s.period, s.kind, s.published DESC NULLS LAST, s.source_id, s.start_offset)
            INSERT INTO indicators AS i (metric, region, period, kind, value, value_max, unit, qualifier, mentions,
                                         first_published, last_published, conflict, updated_at)
            SELECT l.metric, l.region, l.period, l.kind, l.value, l.value_max, l.unit, l.qualifier, a.mentions,
                   a.first_published, a.last_published, a.conflict, now()
              FROM latest l JOIN agg a USING (metric, region, period, kind)
            ON CONFLICT (metric, region, period, kind) DO UPDATE
               SET value = EXCLUDED.value, value_max = EXCLUDED.value_max, unit = EXCLUDED.unit,
                   qualifier = EXCLUDED.qualifier, mentions = EXCLUDED.mentions,
                   first_published = EXCLUDED.first_published, last_published = EXCLUDED.last_published,
                   conflict = EXCLUDED.conflict, updated_at = now()
             WHERE (i.value, i.value_max, i.unit, i.qualifier, i.mentions, i.first_published, i.last_published, i.conflict)
                   IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.value_max, EXCLUDED.unit, EXCLUDED.qualifier, EXCLUDED.mentions,
                                     EXCLUDED.first_published, EXCLUDED.last_published, EXCLUDED.conflict)
            """, params)
    }

    static func recomputeMilestones(_ db: Connection, keys: [[String]]) throws {
        guard !keys.isEmpty else { return }
        let params: [any PostgresEncodable] = (0..<3).map { i in PostgresArray(keys.map { $0[i] }) }
        try db.execute("""
            WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS k(date, action, subject))
            DELETE FROM milestones m USING k
             WHERE (m.date, m.action, m.subject) = (k.date, k.action, k.subject)
               AND NOT EXISTS (SELECT 1 FROM milestone_sources s WHERE (s.date, s.action, s.subject) = (k.date, k.action, k.subject))
            """, params)
        try db.execute("""
            WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS k(date, action, subject)),
            agg AS (
                SELECT s.date, s.action, s.subject, count(DISTINCT (s.article_id, s.start_offset))::int AS mentions,
                       bool_and(s.planned) AS planned,
                       max(s.document) AS document, max(coalesce(s.region, '')) AS region
                  FROM milestone_sources s JOIN k USING (date, action, subject)
                 GROUP BY s.date, s.action, s.subject)
            INSERT INTO milestones AS m (date, action, subject, document, region, planned, mentions, updated_at)
            SELECT date, action, subject, document, region, planned, mentions, now() FROM agg
            ON CONFLICT (date, action, subject) DO UPDATE
               SET document = EXCLUDED.document, region = EXCLUDED.region, planned = EXCLUDED.planned,
                   mentions = EXCLUDED.mentions, updated_at = now()
             WHERE (m.document, m.region, m.planned, m.mentions)
                   IS DISTINCT FROM (EXCLUDED.document, EXCLUDED.region, EXCLUDED.planned, EXCLUDED.mentions)
            """, params)
    }
}

struct SourceBase {
    let extractionID: Int64, documentID: Int64, sourceID: String, evidence: String, start: Int, end: Int, published: String?
}
struct IndicatorSource {
    var group: [String] { [metric, region, kind] }
    let base: SourceBase
    let metric: String, label: String, region: String, period: String, kind: String
    let value: Double, valueMax: Double?, unit: String, qualifier: String
}
struct MilestoneSource {
    var key: [String] { [date, action, subject] }
    let base: SourceBase
    let date: String, action: String, subject: String, label: String, document: String?, region: String?, planned: Bool
}
