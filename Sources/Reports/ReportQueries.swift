import Foundation
import Postgres

/// Reads what the reports show from the reporting tables: every indicator row and milestone that
/// passes the filter, with the mentions behind each, and the queue's counts.
public enum ReportQueries {
    public static func load(_ db: Connection, filter: ReportFilter) throws -> ReportData {
        let since: String? = filter.since
        let indicatorRows = try db.query("""
            SELECT i.metric, i.region, i.period, i.kind, i.value, i.value_max, i.unit, i.qualifier, i.mentions, i.conflict,
                   -- Which row is the latest of its metric, region and kind: the view's rule, the only one.
                   EXISTS (SELECT 1 FROM latest_indicators l
                            WHERE (l.metric, l.region, l.kind, l.period) = (i.metric, i.region, i.kind, i.period)),
                   coalesce((SELECT json_agg(json_build_object('source', s.source_id, 'published', s.published::text,
                                                               'evidence', s.evidence, 'label', s.metric_label,
                                                               'name', d.metadata->>'source', 'url', d.metadata->>'url')
                                             ORDER BY s.published DESC NULLS LAST, s.source_id, s.article_index, s.start_offset, s.position)
                               FROM indicator_sources s LEFT JOIN documents d ON d.id = s.document_id
                              WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind)), '[]')::text
              FROM indicators i
             WHERE ($1::text IS NULL OR i.region = $1)
               AND ($2::text IS NULL OR strpos(i.metric, $2) > 0
                    OR EXISTS (SELECT 1 FROM indicator_sources s
                                WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind)
                                  AND strpos(s.metric_label, $2) > 0))
               AND ($3::text IS NULL OR i.period >= $3 OR (i.period = '' AND i.last_published::text >= $3))
             ORDER BY i.metric, i.region, i.kind, i.period
            """, [filter.region, filter.metric, since]).rows
        let indicators = try indicatorRows.map { r in
            IndicatorRow(metric: try r.decode(String.self, 0), region: try r.decode(String.self, 1),
                         period: try r.decode(String.self, 2), kind: try r.decode(String.self, 3),
                         value: try r.decode(Double.self, 4), valueMax: try r.decodeOptional(Double.self, 5),
                         unit: try r.decode(String.self, 6), qualifier: try r.decode(String.self, 7),
                         mentions: try r.decode(Int.self, 8), conflict: try r.decode(Bool.self, 9),
                         isLatest: try r.decode(Bool.self, 10), sources: try sources(try r.decode(String.self, 11)))
        }
        let milestoneRows = try db.query("""
            SELECT m.date, m.action, m.subject, m.document, m.region, m.planned, m.mentions,
                   coalesce((SELECT json_agg(json_build_object('source', s.source_id, 'published', s.published::text,
                                                               'evidence', s.evidence, 'label', s.subject_label,
                                                               'name', d.metadata->>'source', 'url', d.metadata->>'url')
                                             ORDER BY s.published DESC NULLS LAST, s.source_id, s.article_index, s.start_offset, s.position)
                               FROM milestone_sources s LEFT JOIN documents d ON d.id = s.document_id
                              WHERE (s.date, s.action, s.subject) = (m.date, m.action, m.subject)), '[]')::text
              FROM milestones m
             WHERE ($1::text IS NULL OR m.region = $1)
               AND ($2::text IS NULL OR m.date >= $2 OR strpos($2, m.date) = 1)
             ORDER BY m.date, m.action, m.subject
            """, [filter.region, since]).rows
        let milestones = try milestoneRows.map { r in
            MilestoneRow(date: try r.decode(String.self, 0), action: try r.decode(String.self, 1),
                         subject: try r.decode(String.self, 2), document: try r.decodeOptional(String.self, 3),
                         region: try r.decode(String.self, 4), planned: try r.decode(Bool.self, 5),
                         mentions: try r.decode(Int.self, 6), sources: try sources(try r.decode(String.self, 7)))
        }
        let queue = try db.query("SELECT stage, state, count(*)::int FROM jobs GROUP BY stage, state ORDER BY stage, state").rows.map {
            QueueCount(stage: try $0.decode(String.self, 0), state: try $0.decode(String.self, 1), count: try $0.decode(Int.self, 2))
        }
        let now = try db.query("SELECT to_char(now(), 'YYYY-MM-DD HH24:MI:SS TZ')").first!.decode(String.self, 0)
        return ReportData(indicators: indicators, milestones: milestones, queue: queue, filter: filter, generatedAt: now)
    }

    private struct SourceJSON: Decodable {
        let source: String, published: String?, evidence: String, label: String, name: String?, url: String?
    }

    private static func sources(_ json: String) throws -> [SourceRef] {
        try JSONDecoder().decode([SourceJSON].self, from: Data(json.utf8)).map {
            SourceRef(sourceID: $0.source, published: $0.published, evidence: $0.evidence, label: $0.label, name: $0.name, url: $0.url)
        }
    }
}
