import Postgres

extension Migration {
    /// Reporting rows recomputed one (metric, region, period, kind) at a time, not a whole group:
    /// sources carry their article's place in the document and the figure's place in the article,
    /// so every row has one total order on its sources (the row is a pure function of them), and
    /// the period filing of an undated mention looks up the same figure through an index.
    static let m006IncrementalReports = Migration(version: 6, name: "incremental reports", sql: """
    ALTER TABLE indicator_sources ADD COLUMN article_index integer NOT NULL DEFAULT 0;
    ALTER TABLE indicator_sources ADD COLUMN position integer NOT NULL DEFAULT 0;
    ALTER TABLE milestone_sources ADD COLUMN article_index integer NOT NULL DEFAULT 0;
    ALTER TABLE milestone_sources ADD COLUMN position integer NOT NULL DEFAULT 0;
    UPDATE indicator_sources s SET article_index = a.index FROM articles a WHERE a.id = s.article_id;
    UPDATE milestone_sources s SET article_index = a.index FROM articles a WHERE a.id = s.article_id;
    UPDATE indicator_sources s SET position = t.n
      FROM (SELECT extraction_id, row_number() OVER (PARTITION BY article_id ORDER BY extraction_id)::int AS n
              FROM indicator_sources) t
     WHERE t.extraction_id = s.extraction_id;
    UPDATE milestone_sources s SET position = t.n
      FROM (SELECT extraction_id, row_number() OVER (PARTITION BY article_id ORDER BY extraction_id)::int AS n
              FROM milestone_sources) t
     WHERE t.extraction_id = s.extraction_id;

    -- (A row's sources are found by its key and put in their order by a sort: an index carrying
    -- the order columns made every insert dearer than the sorts it saved, measured with
    -- `bench pipeline`.)
    -- The same figure (metric, region, kind, value, unit) elsewhere: where an undated mention is filed.
    DROP INDEX indicator_sources_group;
    CREATE INDEX indicator_sources_figure ON indicator_sources (metric, region, kind, value, unit);

    DROP VIEW latest_indicators;
    DROP VIEW milestone_timeline;

    -- Latest period per metric, region and kind; a metric no source dates shows its undated row.
    -- Periods sort as text: 2023 < 2023-01/2023-11 < 2026-03. The one place this rule lives.
    CREATE VIEW latest_indicators AS
    SELECT DISTINCT ON (i.metric, i.region, i.kind)
           i.metric, i.region, i.period, i.kind, i.value, i.value_max, i.unit, i.qualifier, i.mentions,
           i.first_published, i.last_published, i.conflict,
           ev.evidence, ev.source_id, ev.published AS evidence_published, lb.labels
      FROM indicators i
      CROSS JOIN LATERAL (
            SELECT s.evidence, s.source_id, s.published FROM indicator_sources s
             WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind)
             ORDER BY s.published DESC NULLS LAST, s.source_id, s.article_index, s.start_offset, s.position LIMIT 1) ev
      CROSS JOIN LATERAL (
            SELECT array_agg(DISTINCT s.metric_label ORDER BY s.metric_label) AS labels FROM indicator_sources s
             WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind)) lb
     ORDER BY i.metric, i.region, i.kind, (i.period = ''), i.period DESC;

    CREATE VIEW milestone_timeline AS
    SELECT m.date, m.action, m.subject, m.document, m.region, m.planned, m.mentions,
           ev.evidence, ev.source_id, lb.labels
      FROM milestones m
      CROSS JOIN LATERAL (
            SELECT s.evidence, s.source_id FROM milestone_sources s
             WHERE (s.date, s.action, s.subject) = (m.date, m.action, m.subject)
             ORDER BY s.published DESC NULLS LAST, s.source_id, s.article_index, s.start_offset, s.position LIMIT 1) ev
      CROSS JOIN LATERAL (
            SELECT array_agg(DISTINCT s.subject_label ORDER BY s.subject_label) AS labels FROM milestone_sources s
             WHERE (s.date, s.action, s.subject) = (m.date, m.action, m.subject)) lb
     ORDER BY m.date, m.action, m.subject;
    """)
}
