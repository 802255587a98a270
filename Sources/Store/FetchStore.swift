import Postgres

/// SQL for the fetch stage's memory: per-host politeness and robots.txt, conditional-GET validators.
public enum FetchStore {
    /// Reserves the host's one request slot for `hold` seconds (one request at a time per host
    /// across every fetch worker, `delay` seconds after the last), in its own short statement:
    /// called outside any transaction, it commits at once. Returns nil when reserved, else the
    /// seconds until the slot may be free.
    public static func reserveHost(_ db: Connection, host: String, delay: Double, hold: Double, worker: String) throws -> Double? {
        try db.execute("INSERT INTO fetch_hosts (host) VALUES ($1) ON CONFLICT DO NOTHING", [host])
        if try db.query("""
            UPDATE fetch_hosts SET busy_until = clock_timestamp() + make_interval(secs => $3), busy_by = $4
             WHERE host = $1 AND (busy_until IS NULL OR busy_until < clock_timestamp())
               AND (last_request_at IS NULL OR last_request_at + make_interval(secs => $2) <= clock_timestamp())
            RETURNING 1
            """, [host, delay, hold, worker]).first != nil { return nil }
        let wait = try db.query("""
            -- A busy host is asked again within a second or its delay (its request may end
            -- long before the reservation would); an idle one when its delay has passed.
            SELECT greatest(least(coalesce(extract(epoch FROM busy_until - clock_timestamp()), 0), greatest($2::float8, 1)),
                            coalesce(extract(epoch FROM last_request_at + make_interval(secs => $2) - clock_timestamp()), 0),
                            0.05)::float8
              FROM fetch_hosts WHERE host = $1
            """, [host, delay]).first?.decode(Double.self, 0)
        return wait ?? delay
    }

    /// Frees the slot this worker holds and records when its last request ended.
    public static func releaseHost(_ db: Connection, host: String, worker: String) throws {
        try db.execute("""
            UPDATE fetch_hosts SET busy_until = NULL, busy_by = NULL, last_request_at = clock_timestamp()
             WHERE host = $1 AND busy_by = $2
            """, [host, worker])
    }

    /// Records a request's time inside a reservation (robots.txt, then the page, `delay` apart).
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
