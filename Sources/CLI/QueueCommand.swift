import ArgumentParser
import Foundation
import Postgres
import Queue

/// Looking at the queue without writing SQL.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "Inspect the job queue.",
                                                    subcommands: [Stats.self])

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jobs per stage and state, the oldest available job's age, dead jobs.")
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let (session, _) = try db.session()
            defer { session.close() }
            let conn = try session.connect()
            let rows = try conn.query("""
                SELECT s.stage, st.state, count(j.id),
                       coalesce(extract(epoch FROM now() - min(j.run_at) FILTER (WHERE j.state = 'available' AND j.run_at <= now())), 0)::float8
                  FROM unnest(ARRAY['fetch','clean','extract','aggregate']) WITH ORDINALITY AS s(stage, n)
                 CROSS JOIN unnest(ARRAY['available','running','succeeded','dead','cancelled']) WITH ORDINALITY AS st(state, m)
                  LEFT JOIN jobs j ON j.stage = s.stage AND j.state = st.state
                 GROUP BY s.stage, s.n, st.state, st.m ORDER BY s.n, st.m
                """).rows
            var table: [String: [String: Int]] = [:]
            var oldest: [String: Double] = [:]
            for r in rows {
                let stage = try r.decode(String.self, 0), state = try r.decode(String.self, 1)
                table[stage, default: [:]][state] = try r.decode(Int.self, 2)
                oldest[stage] = max(oldest[stage] ?? 0, try r.decode(Double.self, 3))
            }
            let stages = Stage.allCases.map(\.rawValue)
            let states = JobState.allCases.map(\.rawValue)
            if json {
                let obj = stages.map { s -> [String: Any] in
                    ["stage": s, "counts": table[s] ?? [:], "oldest_available_seconds": oldest[s] ?? 0]
                }
                let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("stage      " + states.map { $0.padding(toLength: 10, withPad: " ", startingAt: 0) }.joined() + "oldest available")
            for s in stages {
                let counts = states.map { String(table[s]?[$0] ?? 0).padding(toLength: 10, withPad: " ", startingAt: 0) }.joined()
                print(s.padding(toLength: 11, withPad: " ", startingAt: 0) + counts + String(format: "%.1f s", oldest[s] ?? 0))
            }
        }
    }
}
