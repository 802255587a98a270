import Postgres

extension Migration {
    /// Reporting rows kept from summaries and index probes, so an article costs the same however
    /// many sources its rows already have (issue 13: at 20,000 documents rows gathered 2,000
    /// sources and every recompute read them all).
    ///
    /// - `indicator_row_figures`: each distinct figure of a row and how many sources give it; a
    ///   row is in conflict when it has more than one.
    /// - `figure_periods`: each period stated for a figure (metric, region, kind, value, value_max,
    ///   unit) and how many sources state it; the undated mentions of a figure file under its one
    ///   stated period.
    /// - `milestone_variants`: each (document, region, planned) a milestone's sources give.
    /// - `indicators.mentions` and `milestones.mentions` change by the delta of the sentences an
    ///   article adds or withdraws (a mention is a sentence of an article; articles come and go
    ///   whole, so the count of distinct sentences is additive over articles).
    /// - The row's figure and its first and last publication are read through one index in the
    ///   order of a row's sources.
    /// `value_max` is NaN for "no upper bound" in the summaries, so it can be part of a key.
    static let m009RowSummaries = Migration(version: 9, name: "row summaries", sql: """
    CREATE TABLE indicator_row_figures (
        metric text NOT NULL, region text NOT NULL, period text NOT NULL, kind text NOT NULL,
        value float8 NOT NULL, value_max float8 NOT NULL, unit text NOT NULL,
        sources integer NOT NULL,
        PRIMARY KEY (metric, region, period, kind, value, value_max, unit)
    );
    INSERT INTO indicator_row_figures
    SELECT metric, region, period, kind, value, coalesce(value_max, 'NaN'), unit, count(*)
      FROM indicator_sources GROUP BY 1, 2, 3, 4, 5, 6, 7;

    CREATE TABLE figure_periods (
        metric text NOT NULL, region text NOT NULL, kind text NOT NULL,
        value float8 NOT NULL, value_max float8 NOT NULL, unit text NOT NULL, stated_period text NOT NULL,
        sources integer NOT NULL,
        PRIMARY KEY (metric, region, kind, value, value_max, unit, stated_period)
    );
    INSERT INTO figure_periods
    SELECT metric, region, kind, value, coalesce(value_max, 'NaN'), unit, stated_period, count(*)
      FROM indicator_sources WHERE stated_period <> '' GROUP BY 1, 2, 3, 4, 5, 6, 7;

    CREATE TABLE milestone_variants (
        date text NOT NULL, action text NOT NULL, subject text NOT NULL,
        document text NOT NULL, region text NOT NULL, planned boolean NOT NULL,
        sources integer NOT NULL,
        PRIMARY KEY (date, action, subject, document, region, planned)
    );
    INSERT INTO milestone_variants
    SELECT date, action, subject, coalesce(document, ''), coalesce(region, ''), planned, count(*)
      FROM milestone_sources GROUP BY 1, 2, 3, 4, 5, 6;

    -- A row's sources in their one order: the figure it shows is the first entry, its last
    -- publication too, its first publication the last non-null one.
    DROP INDEX indicator_sources_key;
    CREATE INDEX indicator_sources_order ON indicator_sources
        (metric, region, period, kind, published DESC NULLS LAST, source_id, article_index, start_offset, position);
    -- The undated mentions of a figure, found without reading its dated ones.
    DROP INDEX indicator_sources_figure;
    CREATE INDEX indicator_sources_figure ON indicator_sources (metric, region, kind, value, unit, stated_period);

    -- Source rows are the aggregate stage's own derived rows: it withdraws an article's sources
    -- (recomputing their rows) before the article or its extractions change, so a cascade never
    -- had anything left to delete. The per-row key checks were a third of the cost of writing
    -- sources (measured with pg_stat_statements over `bench pipeline`'s corpus). Extractions
    -- keep theirs to articles, which reach documents.
    ALTER TABLE indicator_sources DROP CONSTRAINT IF EXISTS indicator_sources_article_id_fkey,
                                  DROP CONSTRAINT IF EXISTS indicator_sources_document_id_fkey,
                                  DROP CONSTRAINT IF EXISTS indicator_sources_extraction_id_fkey;
    ALTER TABLE milestone_sources DROP CONSTRAINT IF EXISTS milestone_sources_article_id_fkey,
                                  DROP CONSTRAINT IF EXISTS milestone_sources_document_id_fkey,
                                  DROP CONSTRAINT IF EXISTS milestone_sources_extraction_id_fkey;
    ALTER TABLE extractions DROP CONSTRAINT IF EXISTS extractions_document_id_fkey;
    """)
}
