import Postgres

extension Migration {
    /// A mention that gives no period joins the row of the same figure (metric, region, kind, value
    /// and unit) that another source dates: `stated_period` keeps what the sentence said, `period`
    /// is the row it is filed under. The views gain each figure's labels and evidence.
    static let m004ReportKeys = Migration(version: 4, name: "report keys", sql: """
    ALTER TABLE indicator_sources ADD COLUMN stated_period text NOT NULL DEFAULT '';
    UPDATE indicator_sources SET stated_period = period;
    CREATE INDEX indicator_sources_group ON indicator_sources (metric, region, kind);
    CREATE INDEX indicator_sources_document ON indicator_sources (document_id);
    CREATE INDEX milestone_sources_document ON milestone_sources (document_id);

    -- Before this version re-cleaning a document could leave rows whose sources were gone.
    DELETE FROM indicators i WHERE NOT EXISTS (
        SELECT 1 FROM indicator_sources s WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind));
    DELETE FROM milestones m WHERE NOT EXISTS (
        SELECT 1 FROM milestone_sources s WHERE (s.date, s.action, s.subject) = (m.date, m.action, m.subject));

    DROP VIEW latest_indicators;
    DROP VIEW indicator_series;
    DROP VIEW milestone_timeline;

    -- Latest period per metric, region and kind; a metric no source dates shows its undated row.
    -- Periods sort as text: 2023 < 2023-01/2023-11 < 2026-03.
    CREATE VIEW latest_indicators AS
    SELECT DISTINCT ON (i.metric, i.region, i.kind)
           i.metric, i.region, i.period, i.kind, i.value, i.value_max, i.unit, i.qualifier, i.mentions,
           i.first_published, i.last_published, i.conflict,
           ev.evidence, ev.source_id, ev.published AS evidence_published, lb.labels
      FROM indicators i
      CROSS JOIN LATERAL (
            SELECT s.evidence, s.source_id, s.published FROM indicator_sources s
             WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind)
             ORDER BY s.published DESC NULLS LAST, s.source_id, s.start_offset LIMIT 1) ev
      CROSS JOIN LATERAL (
            SELECT array_agg(DISTINCT s.metric_label ORDER BY s.metric_label) AS labels FROM indicator_sources s
             WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind)) lb
     ORDER BY i.metric, i.region, i.kind, (i.period = ''), i.period DESC;

    CREATE VIEW indicator_series AS
    SELECT metric, region, kind, period, value, value_max, unit, qualifier, mentions, conflict,
           first_published, last_published
      FROM indicators
     WHERE period <> ''
     ORDER BY metric, region, kind, period;

    CREATE VIEW milestone_timeline AS
    SELECT m.date, m.action, m.subject, m.document, m.region, m.planned, m.mentions,
           ev.evidence, ev.source_id, lb.labels
      FROM milestones m
      CROSS JOIN LATERAL (
            SELECT s.evidence, s.source_id FROM milestone_sources s
             WHERE (s.date, s.action, s.subject) = (m.date, m.action, m.subject)
             ORDER BY s.published DESC NULLS LAST, s.source_id, s.start_offset LIMIT 1) ev
      CROSS JOIN LATERAL (
            SELECT array_agg(DISTINCT s.subject_label ORDER BY s.subject_label) AS labels FROM milestone_sources s
             WHERE (s.date, s.action, s.subject) = (m.date, m.action, m.subject)) lb
     ORDER BY m.date, m.action, m.subject;
    """)
}
