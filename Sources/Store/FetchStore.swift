import Postgres

/// SQL for the fetch stage's memory: per-host politeness and robots.txt, conditional-GET validators.
public enum FetchStore {
    /// Takes the host's lock for the rest of the transaction: one request at a time per host,
    /// across every fetch worker. Returns seconds since the host's last request (nil: never).
    public static func lockHost(_ db: Connection, host: String) throws -> Double? {
        try db.execute("SELECT pg_advisory_xact_lock(hashtextextended('fetch-host:' || $1, 0))", [host])
        try db.execute("INSERT INTO fetch_hosts (host) VALUES ($1) ON CONFLICT DO NOTHING", [host])
        return try db.query("SELECT extract(epoch FROM now() - last_request_at)::float8 FROM fetch_hosts WHERE host = $1",
                            [host]).first?.decodeOptional(Double.self, 0)
    }

    /// Records a request's time. `clock_timestamp()`, not `now()`: the transaction may be old.
    public static func touchHost(_ db: Connection, host: String) throws {
        try db.execute("UPDATE fetch_hosts SET last_request_at = clock_timestamp() WHERE host = $1", [host])
    }

    /// The cached robots.txt if fetched within `maxAge` seconds: (text or nil when absent, true).
    public static func robots(_ db: Connection, host: String, maxAge: Double) throws -> (text: String?, fresh: Bool) {
        guard let r = try db.query("""
            SELECT robots, robots_fetched_at > now() - make_interval(secs => $2) FROM fetch_hosts WHERE host = $1
            """, [host, maxAge]).first else { return (nil, false) }
        return (try r.decodeOptional(String.self, 0), try r.decodeOptional(Bool.self, 1) ?? false)
    }

    public static func storeRobots(_ db: Connection, host: String, text: String?, status: Int) throws {
        try db.execute("""
            UPDATE fetch_hosts SET robots = $2, robots_status = $3, robots_fetched_at = now() WHERE host = $1
            """, [host, text, status])
    }

    /// ETag and Last-Modified of the stored copy of a source, for If-None-Match / If-Modified-Since.
    public static func validators(_ db: Connection, sourceID: String) throws -> (etag: String?, lastModified: String?)? {
        try db.query("SELECT etag, last_modified FROM documents WHERE source_id = $1", [sourceID]).first.map {
            (try $0.decodeOptional(String.self, 0), try $0.decodeOptional(String.self, 1))
        }
    }

    public static func storeValidators(_ db: Connection, sourceID: String, etag: String?, lastModified: String?, finalURL: String) throws {
        try db.execute("""
            UPDATE documents SET etag = $2, last_modified = $3, final_url = $4, fetched_at = now() WHERE source_id = $1
            """, [sourceID, etag, lastModified, finalURL])
    }
}
