import Postgres

extension Migration {
    /// What the fetch stage remembers between requests: per host, when it was last asked and its
    /// robots.txt; per document, the validators for a conditional GET.
    static let m005Fetch = Migration(version: 5, name: "fetch", sql: """
    CREATE TABLE fetch_hosts (
        host              text PRIMARY KEY,
        last_request_at   timestamptz,
        robots            text,          -- NULL: none (404) or not fetched yet
        robots_status     integer,
        robots_fetched_at timestamptz
    );
    ALTER TABLE documents ADD COLUMN etag text;
    ALTER TABLE documents ADD COLUMN last_modified text;
    ALTER TABLE documents ADD COLUMN final_url text;
    """)
}
