import Postgres

extension Migration {
    /// The reporting tables an analyst queries. Each row of `indicators` and `milestones` is derived
    /// from its `*_sources` rows, so re-aggregating an article can only replace, never double-count.
    static let m003Reports = Migration(version: 3, name: "reports", sql: """
    CREATE TABLE indicators (
        id              bigserial PRIMARY KEY,
        metric          text    NOT NULL,   -- canonical metric label
        region          text    NOT NULL DEFAULT '',
        period          text    NOT NULL DEFAULT '',
        kind            text    NOT NULL DEFAULT 'actual' CHECK (kind IN ('actual', 'target', 'change')),
        value           double precision NOT NULL,
        value_max       double precision,
        unit            text    NOT NULL,
        qualifier       text    NOT NULL DEFAULT 'exact',
        mentions        integer NOT NULL DEFAULT 0,
        first_published date,
        last_published  date,
        conflict        boolean NOT NULL DEFAULT false,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (metric, region, period, kind)
    );

    CREATE TABLE indicator_sources (
        extraction_id bigint PRIMARY KEY REFERENCES extractions (id) ON DELETE CASCADE,
        metric        text   NOT NULL,     -- canonical key of the row it feeds: metric, region, period, kind
        region        text   NOT NULL,
        period        text   NOT NULL,
        kind          text   NOT NULL,
        document_id   bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        article_id    bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        source_id     text   NOT NULL,
        metric_label  text   NOT NULL,     -- the label as written in this source
        value         double precision NOT NULL,
        value_max     double precision,
        unit          text   NOT NULL,
        qualifier     text   NOT NULL,
        evidence      text   NOT NULL,
        start_offset  integer NOT NULL,
        end_offset    integer NOT NULL,
        published     date
    );
    CREATE INDEX indicator_sources_key ON indicator_sources (metric, region, period, kind);
    CREATE INDEX indicator_sources_article ON indicator_sources (article_id);

    CREATE TABLE milestones (
        id          bigserial PRIMARY KEY,
        date        text    NOT NULL,      -- YYYY, YYYY-MM or YYYY-MM-DD, as precise as the text
        action      text    NOT NULL,
        subject     text    NOT NULL,      -- canonical subject
        document    text,
        region      text    NOT NULL DEFAULT '',
        planned     boolean NOT NULL DEFAULT false,
        mentions    integer NOT NULL DEFAULT 0,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (date, action, subject)
    );

    CREATE TABLE milestone_sources (
        extraction_id bigint PRIMARY KEY REFERENCES extractions (id) ON DELETE CASCADE,
        date          text   NOT NULL,     -- key of the row it feeds: date, action, canonical subject
        action        text   NOT NULL,
        subject       text   NOT NULL,
        document_id   bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        article_id    bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        source_id     text   NOT NULL,
        subject_label text   NOT NULL,
        document      text,
        region        text,
        planned       boolean NOT NULL,
        evidence      text   NOT NULL,
        start_offset  integer NOT NULL,
        end_offset    integer NOT NULL,
        published     date
    );
    CREATE INDEX milestone_sources_key ON milestone_sources (date, action, subject);
    CREATE INDEX milestone_sources_article ON milestone_sources (article_id);

    -- Latest period per metric and region (periods sort as text: 2023 < 2023-01/2023-11 < 2026-03).
    CREATE VIEW latest_indicators AS
    SELECT DISTINCT ON (metric, region, kind) i.*,
           (SELECT s.evidence FROM indicator_sources s
             WHERE (s.metric, s.region, s.period, s.kind) = (i.metric, i.region, i.period, i.kind)
             ORDER BY s.published DESC NULLS LAST, s.extraction_id LIMIT 1) AS evidence
      FROM indicators i
     WHERE i.period <> ''
     ORDER BY metric, region, kind, period DESC;

    CREATE VIEW indicator_series AS
    SELECT metric, region, kind, period, value, value_max, unit, qualifier, mentions, conflict
      FROM indicators
     WHERE period <> ''
     ORDER BY metric, region, kind, period;

    CREATE VIEW milestone_timeline AS
    SELECT m.date, m.action, m.subject, m.document, m.region, m.planned, m.mentions,
           (SELECT s.evidence FROM milestone_sources s
             WHERE (s.date, s.action, s.subject) = (m.date, m.action, m.subject)
             ORDER BY s.published DESC NULLS LAST, s.extraction_id LIMIT 1) AS evidence
      FROM milestones m
     ORDER BY m.date, m.action, m.subject;
    """)
}
