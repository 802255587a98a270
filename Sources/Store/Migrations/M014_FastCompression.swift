import Postgres

extension Migration {
    /// Documents and article texts compressed with LZ4 instead of PostgreSQL's default pglz, where
    /// the server has it (Debian's does). pglz compressing every stored page was about 3% of
    /// PostgreSQL's CPU over `bench pipeline` (perf), and saved only a third of the bytes of Chinese
    /// text; LZ4 compresses several times faster. Values already stored keep their compression.
    static let m014FastCompression = Migration(version: 14, name: "lz4 for stored text", sql: """
    DO $$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
            ALTER TABLE documents ALTER COLUMN content SET COMPRESSION lz4;
            ALTER TABLE articles ALTER COLUMN text SET COMPRESSION lz4;
        END IF;
    END
    $$;
    """)
}
