import Foundation
import Postgres

/// SQL for the reporting tables. Rows of `indicators` and `milestones` are always recomputed from
/// their `*_sources`, never incremented, so the result does not depend on order or repetition.
public enum ReportStore {
    /// Replaces an article's contribution and recomputes the rows it touches (before and after).
    public static func refresh(_ db: Connection, articleID: Int64, canonicalMetric: (String) -> String) throws {
        // Keys the article fed before this run.
        let oldIndicatorKeys = try db.query("""
            SELECT DISTINCT metric, region, period, kind FROM indicator_sources WHERE article_id = $1
            """, [articleID]).rows.map { [try $0.decode(String.self, 0), try $0.decode(String.self, 1),
                                          try $0.decode(String.self, 2), try $0.decode(String.self, 3)] }
        let oldMilestoneKeys = try db.query("""
            SELECT DISTINCT date, action, subject FROM milestone_sources WHERE article_id = $1
            """, [articleID]).rows.map { [try $0.decode(String.self, 0), try $0.decode(String.self, 1), try $0.decode(String.self, 2)] }

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
                indicators.append(IndicatorSource(base: base, metric: canonicalMetric(label), label: label,
                                                  region: data["region"] as? String ?? "", period: data["period"] as? String ?? "",
                                                  kind: data["kind"] as? String ?? "actual", value: value,
                                                  valueMax: data["value_max"] as? Double, unit: data["unit"] as? String ?? "",
                                                  qualifier: data["qualifier"] as? String ?? "exact"))
            } else if let date = data["date"] as? String, let action = data["action"] as? String, let subject = data["subject"] as? String {
                milestones.append(MilestoneSource(base: base, date: date, action: action, subject: canonicalMetric(subject),
                                                  label: subject, document: data["document"] as? String,
                                                  region: data["region"] as? String, planned: data["planned"] as? Bool ?? false))
            }
        }
        let indicatorKeys = Set(oldIndicatorKeys + indicators.map { [$0.metric, $0.region, $0.period, $0.kind] })
        let milestoneKeys = Set(oldMilestoneKeys + milestones.map { [$0.date, $0.action, $0.subject] })
        // Lock every key this article touches, in a fixed order so two workers cannot deadlock.
        let lockKeys = (indicatorKeys.map { "i|" + $0.joined(separator: "|") } + milestoneKeys.map { "m|" + $0.joined(separator: "|") }).sorted()
        if !lockKeys.isEmpty {
            try db.execute("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n",
                           [PostgresArray(lockKeys)])
        }
        try db.execute("DELETE FROM indicator_sources WHERE article_id = $1", [articleID])
        try db.execute("DELETE FROM milestone_sources WHERE article_id = $1", [articleID])
        if !indicators.isEmpty {
            try db.execute("""
                INSERT INTO indicator_sources (extraction_id, metric, region, period, kind, document_id, article_id, source_id,
                    metric_label, value, value_max, unit, qualifier, evidence, start_offset, end_offset, published)
                SELECT t.id, t.metric, t.region, t.period, t.kind, t.doc, $1, t.src, t.label, t.value, t.vmax, t.unit,
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
        if !milestones.isEmpty {
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
        try recomputeIndicators(db, keys: Array(indicatorKeys))
        try recomputeMilestones(db, keys: Array(milestoneKeys))
    }

    static func recomputeIndicators(_ db: Connection, keys: [[String]]) throws {
        guard !keys.isEmpty else { return }
        let params: [any PostgresEncodable] = (0..<4).map { i in PostgresArray(keys.map { $0[i] }) }
        try db.execute("""
            WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(metric, region, period, kind))
            DELETE FROM indicators i USING k
             WHERE (i.metric, i.region, i.period, i.kind) = (k.metric, k.region, k.period, k.kind)
               AND NOT EXISTS (SELECT 1 FROM indicator_sources s
                                WHERE (s.metric, s.region, s.period, s.kind) = (k.metric, k.region, k.period, k.kind))
            """, params)
        // The row shows the most recently published source's figure; disagreement is flagged.
        try db.execute("""
            WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(metric, region, period, kind)),
            agg AS (
                SELECT s.metric, s.region, s.period, s.kind, count(*)::int AS mentions,
                       min(s.published) AS first_published, max(s.published) AS last_published,
                       count(DISTINCT (s.value, coalesce(s.value_max, 'NaN'), s.unit)) > 1 AS conflict
                  FROM indicator_sources s JOIN k USING (metric, region, period, kind)
                 GROUP BY s.metric, s.region, s.period, s.kind),
            latest AS (
                SELECT DISTINCT ON (s.metric, s.region, s.period, s.kind) s.*
                  FROM indicator_sources s JOIN k USING (metric, region, period, kind)
                 ORDER BY s.metric, s.region, s.period, s.kind, s.published DESC NULLS LAST, s.source_id, s.start_offset)
            INSERT INTO indicators (metric, region, period, kind, value, value_max, unit, qualifier, mentions,
                                    first_published, last_published, conflict, updated_at)
            SELECT l.metric, l.region, l.period, l.kind, l.value, l.value_max, l.unit, l.qualifier, a.mentions,
                   a.first_published, a.last_published, a.conflict, now()
              FROM latest l JOIN agg a USING (metric, region, period, kind)
            ON CONFLICT (metric, region, period, kind) DO UPDATE
               SET value = EXCLUDED.value, value_max = EXCLUDED.value_max, unit = EXCLUDED.unit,
                   qualifier = EXCLUDED.qualifier, mentions = EXCLUDED.mentions,
                   first_published = EXCLUDED.first_published, last_published = EXCLUDED.last_published,
                   conflict = EXCLUDED.conflict, updated_at = now()
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
                SELECT s.date, s.action, s.subject, count(*)::int AS mentions, bool_and(s.planned) AS planned,
                       max(s.document) AS document, max(coalesce(s.region, '')) AS region
                  FROM milestone_sources s JOIN k USING (date, action, subject)
                 GROUP BY s.date, s.action, s.subject)
            INSERT INTO milestones (date, action, subject, document, region, planned, mentions, updated_at)
            SELECT date, action, subject, document, region, planned, mentions, now() FROM agg
            ON CONFLICT (date, action, subject) DO UPDATE
               SET document = EXCLUDED.document, region = EXCLUDED.region, planned = EXCLUDED.planned,
                   mentions = EXCLUDED.mentions, updated_at = now()
            """, params)
    }
}

struct SourceBase {
    let extractionID: Int64, documentID: Int64, sourceID: String, evidence: String, start: Int, end: Int, published: String?
}
struct IndicatorSource {
    let base: SourceBase
    let metric: String, label: String, region: String, period: String, kind: String
    let value: Double, valueMax: Double?, unit: String, qualifier: String
}
struct MilestoneSource {
    let base: SourceBase
    let date: String, action: String, subject: String, label: String, document: String?, region: String?, planned: Bool
}
