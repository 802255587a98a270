import Foundation
import Postgres

/// What `up` prints at the end: jobs per stage and state, time taken, what landed where.
enum Summary {
    static func print(_ conn: Connection, since runStart: String, elapsed: Double) throws {
        Swift.print(String(format: "\nTideline run finished in %.1f s\n", elapsed))
        Swift.print("Jobs this run (stage × state):")
        let rows = try conn.query("""
            SELECT stage, state, count(*) FROM jobs WHERE created_at >= $1::timestamptz
             GROUP BY stage, state
             ORDER BY array_position(ARRAY['fetch','clean','extract','aggregate'], stage), state
            """, [runStart]).rows
        if rows.isEmpty { Swift.print("  (none: every source was unchanged since the last run)") }
        for r in rows {
            Swift.print("  \(try r.decode(String.self, 0).padding(toLength: 10, withPad: " ", startingAt: 0)) \(try r.decode(String.self, 1).padding(toLength: 10, withPad: " ", startingAt: 0)) \(try r.decode(Int.self, 2))")
        }
        let dead = try conn.query("""
            SELECT id, stage, last_error FROM jobs WHERE state = 'dead' AND created_at >= $1::timestamptz ORDER BY id LIMIT 10
            """, [runStart]).rows
        for r in dead {
            Swift.print("  dead job \(try r.decode(Int64.self, 0)) (\(try r.decode(String.self, 1))): \(try r.decodeOptional(String.self, 2) ?? "")")
        }
        Swift.print("\nWhat the pipeline holds:")
        let counts = try conn.query("""
            SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles),
                   (SELECT count(*) FROM extractions WHERE kind = 'indicator'),
                   (SELECT count(*) FROM extractions WHERE kind = 'milestone'),
                   (SELECT count(*) FROM indicators), (SELECT count(*) FROM indicator_sources),
                   (SELECT count(*) FROM milestones), (SELECT count(*) FROM milestone_sources)
            """).first!
        let labels = ["documents", "articles", "indicator extractions", "milestone extractions",
                      "indicators (report rows)", "indicator sources", "milestones (report rows)", "milestone sources"]
        for (i, l) in labels.enumerated() {
            Swift.print("  \(l.padding(toLength: 26, withPad: " ", startingAt: 0)) \(try counts.decode(Int.self, i))")
        }
    }
}
