import Postgres

extension Migration {
    /// The pipeline's data: raw documents, clean articles, extractions and the reporting tables.
    static let m002Pipeline = Migration(version: 2, name: "pipeline", sql: """
    -- One row per source (file name or URL); a changed source replaces its content in place.
    CREATE TABLE documents (
        id            bigserial PRIMARY KEY,
        source_id     text        NOT NULL UNIQUE,
        content_hash  text        NOT NULL,
        content       bytea       NOT NULL,
        content_type  text        NOT NULL DEFAULT 'text/plain',
        metadata      jsonb       NOT NULL DEFAULT '{}',
        fetched_at    timestamptz NOT NULL DEFAULT now(),
        cleaned_at    timestamptz,
        clean_warnings jsonb      NOT NULL DEFAULT '[]'
    );
    CREATE INDEX documents_hash ON documents (content_hash);

    CREATE TABLE articles (
        id           bigserial PRIMARY KEY,
        document_id  bigint  NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        index        integer NOT NULL,
        headline     text,
        byline       text,
        published    date,
        source       text,
        home_region  text,
        text         text    NOT NULL,
        -- offsets[i] is the position in the decoded source of the text's i-th paragraph
        paragraph_offsets integer[] NOT NULL DEFAULT '{}',
        markers      jsonb   NOT NULL DEFAULT '[]',
        UNIQUE (document_id, index)
    );

    CREATE TABLE extractions (
        id           bigserial PRIMARY KEY,
        article_id   bigint  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        document_id  bigint  NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        kind         text    NOT NULL CHECK (kind IN ('indicator', 'milestone')),
        data         jsonb   NOT NULL,
        evidence     text    NOT NULL,
        start_offset integer NOT NULL,
        end_offset   integer NOT NULL
    );
    CREATE INDEX extractions_article ON extractions (article_id);
    CREATE INDEX extractions_document ON extractions (document_id);
    """)
}
