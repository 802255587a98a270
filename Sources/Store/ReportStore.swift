import Foundation
import Postgres

/// SQL for the reporting tables. A row of `indicators` or `milestones` is always recomputed from
/// its `*_sources`, never incremented, so it does not depend on order or repetition; and only the
/// rows an article touches are recomputed, each from its own sources through an index, so the cost
/// of an article does not grow with the size of the groups it feeds.
///
/// Sources change in one transaction and the rows they feed settle in another (M013): changing
/// sources (`refresh`, `forget`) marks the rows unsettled and says so, and the caller queues a
/// settle job; `settle` recomputes every unsettled row once, however many articles changed it
/// since the last settle.
public enum ReportStore {
    /// How extraction labels become reporting keys (pure functions from the text core).
    public struct Keys: Sendable {
        public var metric: @Sendable (String) -> String
        public var subject: @Sendable (String, String?) -> String
        public init(metric: @escaping @Sendable (String) -> String, subject: @escaping @Sendable (String, String?) -> String) {
            self.metric = metric; self.subject = subject
        }
    }

    /// Replaces an article's contribution and marks the rows it touches (before and after)
    /// unsettled. Returns whether it marked any: then a settle must follow.
    @discardableResult
    public static func refresh(_ db: Connection, articleID: Int64, keys: Keys) throws -> Bool {
        try refresh(db, articleIDs: [articleID], keys: keys)
    }

    /// The same for a batch of articles in one transaction: every key the batch touches is locked
    /// first, in one order, so batches on several workers cannot deadlock; then each article's
    /// sources are replaced and the rows they touch are marked once.
    /// Each step is one statement for the whole batch (a statement per article was most of the
    /// stage's round trips).
    @discardableResult
    public static func refresh(_ db: Connection, articleIDs: [Int64], keys: Keys) throws -> Bool {
        // A job repeated in one batch refreshes its article once.
        let ids = Array(Set(articleIDs)).sorted()
        let (indicators, milestones) = try loadSources(db, articleIDs: ids, keys: keys)
        let old = try touched(db, column: "article_id", ids: ids)
        try lock(db, groups: old.groups.union(indicators.map(\.group)), milestones: old.milestones.union(milestones.map(\.key)))
        var change = try withdraw(db, column: "article_id", ids: ids)
        try insert(db, indicators: indicators)
        try insert(db, milestones: milestones)
        change.add(indicators: indicators.map { $0.fact() }, sign: 1)
        change.add(milestones: milestones.map { $0.fact() }, sign: 1)
        return try apply(db, change)
    }

    /// Withdraws a document's contribution before its articles are replaced (the clean stage), so
    /// no reporting row outlives the sources it was computed from. Returns whether rows were
    /// marked unsettled.
    @discardableResult
    public static func forget(_ db: Connection, documentIDs: [Int64]) throws -> Bool {
        try forget(db, column: "document_id", ids: documentIDs)
    }

    /// Withdraws articles' contributions before their extractions are replaced (the extract
    /// stage); the aggregate jobs that follow file the new ones.
    @discardableResult
    public static func forget(_ db: Connection, articleIDs: [Int64]) throws -> Bool {
        try forget(db, column: "article_id", ids: articleIDs)
    }

    private static func forget(_ db: Connection, column: String, ids: [Int64]) throws -> Bool {
        let old = try touched(db, column: column, ids: ids)
        guard !old.groups.isEmpty || !old.milestones.isEmpty else { return false }
        try lock(db, groups: old.groups, milestones: old.milestones)
        return try apply(db, try withdraw(db, column: column, ids: ids))
    }

    /// Recomputes every unsettled row once, with the sum of the mention changes marked on it.
    /// Takes the settle barrier exclusively: it waits for the transactions marking rows to commit
    /// (it then sees all they wrote) and holds new ones off until it commits, so no row is marked
    /// behind its back. Returns how many rows of each table it settled.
    @discardableResult
    public static func settle(_ db: Connection) throws -> (indicators: Int, milestones: Int) {
        try db.execute("SELECT pg_advisory_xact_lock($1::int4, $2::int4)", SettleBarrier.key)
        var rows: [[String]: Int] = [:]
        for r in try db.query("DELETE FROM indicator_rows_unsettled RETURNING metric, region, period, kind, mentions").rows {
            rows[[try r.decode(String.self, 0), try r.decode(String.self, 1), try r.decode(String.self, 2),
                  try r.decode(String.self, 3)]] = try r.decode(Int.self, 4)
        }
        var keys: [[String]: Int] = [:]
        for r in try db.query("DELETE FROM milestone_rows_unsettled RETURNING date, action, subject, mentions").rows {
            keys[[try r.decode(String.self, 0), try r.decode(String.self, 1), try r.decode(String.self, 2)]] = try r.decode(Int.self, 3)
        }
        try recomputeIndicators(db, rows: rows)
        try recomputeMilestones(db, keys: keys)
        return (rows.count, keys.count)
    }

    /// The advisory lock between marking rows and settling them: markers share it, a settle
    /// holds it alone. (The two-integer form keeps it apart from the one-bigint keys of `lock`.)
    enum SettleBarrier {
        static var key: [any PostgresEncodable] { [Int32(0x7469_6465), Int32(1)] }   // "tide", 1
    }

    /// Marks rows unsettled with the change of their mentions. Takes the settle barrier shared
    /// before touching a mark: a settle running now finishes first (its marks deleted, so ours
    /// are new rows), and one starting later waits for this transaction, so the settle job this
    /// transaction queues, or the one already queued or waiting for the barrier, sees them.
    private static func markUnsettled(_ db: Connection, rows: [[String]: Int], milestones: [[String]: Int]) throws -> Bool {
        guard !rows.isEmpty || !milestones.isEmpty else { return false }
        try db.execute("SELECT pg_advisory_xact_lock_shared($1::int4, $2::int4)", SettleBarrier.key)
        // In key order, so two markers lock the same marks in one order.
        if !rows.isEmpty {
            let list = rows.keys.sorted(by: KeyOrder.precedes)
            try db.execute("""
                INSERT INTO indicator_rows_unsettled AS u (metric, region, period, kind, mentions)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])
                ON CONFLICT (metric, region, period, kind) DO UPDATE SET mentions = u.mentions + EXCLUDED.mentions
                """, (0..<4).map { i in PostgresArray(list.map { $0[i] }) } + [PostgresArray(list.map { rows[$0] ?? 0 })])
        }
        if !milestones.isEmpty {
            let list = milestones.keys.sorted(by: KeyOrder.precedes)
            try db.execute("""
                INSERT INTO milestone_rows_unsettled AS u (date, action, subject, mentions)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])
                ON CONFLICT (date, action, subject) DO UPDATE SET mentions = u.mentions + EXCLUDED.mentions
                """, (0..<3).map { i in PostgresArray(list.map { $0[i] }) } + [PostgresArray(list.map { milestones[$0] ?? 0 })])
        }
        return true
    }

    /// What a change of sources leaves to recompute, with the deltas of the row summaries
    /// (M009). Keys are arrays of column values as text; deltas add up, so a batch's changes
    /// merge by summing.
    struct Change {
        /// Sources that joined undated: each is filed under its figure's stated period, if any.
        var undated: Set<Int64> = []
        /// (metric, region, period, kind) → change in mentions: indicator rows to recompute.
        var rows: [[String]: Int] = [:]
        /// (metric, region, period, kind, value, value_max or NaN, unit) → change in sources.
        var rowFigures: [[String]: Int] = [:]
        /// (metric, region, kind, value, value_max or NaN, unit, stated period) → change in sources.
        var figurePeriods: [[String]: Int] = [:]
        /// (date, action, subject) → change in mentions: milestone rows to recompute.
        var milestones: [[String]: Int] = [:]
        /// (date, action, subject, document, region, planned) → change in sources.
        var milestoneVariants: [[String]: Int] = [:]

        mutating func formUnion(_ other: Change) {
            undated.formUnion(other.undated)
            rows.merge(other.rows, uniquingKeysWith: +)
            rowFigures.merge(other.rowFigures, uniquingKeysWith: +)
            figurePeriods.merge(other.figurePeriods, uniquingKeysWith: +)
            milestones.merge(other.milestones, uniquingKeysWith: +)
            milestoneVariants.merge(other.milestoneVariants, uniquingKeysWith: +)
        }

        /// Indicator sources joining (`sign` 1) or leaving (-1) the tables. A mention is a
        /// sentence: the distinct (article, sentence) pairs of each row.
        mutating func add(indicators: [IndicatorFact], sign: Int) {
            var sentences: [[String]: Set<[Int64]>] = [:]
            for s in indicators {
                if sign > 0, s.statedPeriod.isEmpty, let id = s.extractionID { undated.insert(id) }
                rowFigures[s.row + Array(s.figure[3...]), default: 0] += sign
                if !s.statedPeriod.isEmpty { figurePeriods[s.figure + [s.statedPeriod], default: 0] += sign }
                sentences[s.row, default: []].insert([s.articleID, Int64(s.start)])
            }
            for (row, set) in sentences { rows[row, default: 0] += sign * set.count }
        }

        mutating func add(milestones facts: [MilestoneFact], sign: Int) {
            var sentences: [[String]: Set<[Int64]>] = [:]
            for m in facts {
                milestoneVariants[m.key + [m.document ?? "", m.region ?? "", m.planned ? "t" : "f"], default: 0] += sign
                sentences[m.key, default: []].insert([m.articleID, Int64(m.start)])
            }
            for (key, set) in sentences { milestones[key, default: 0] += sign * set.count }
        }
    }

    /// What the summaries need of an indicator source.
    struct IndicatorFact {
        let metric: String, region: String, period: String, kind: String, statedPeriod: String
        let value: String, valueMax: String, unit: String
        let articleID: Int64, start: Int
        /// Known for a source being inserted (not needed for one withdrawn).
        var extractionID: Int64? = nil
        var row: [String] { [metric, region, period, kind] }
        var figure: [String] { [metric, region, kind, value, valueMax, unit] }
    }

    /// What the summaries need of a milestone source.
    struct MilestoneFact {
        let date: String, action: String, subject: String, document: String?, region: String?, planned: Bool
        let articleID: Int64, start: Int
        var key: [String] { [date, action, subject] }
    }

    /// Writes a change's summaries and marks the rows it touches unsettled; returns whether any were.
    private static func apply(_ db: Connection, _ change: Change) throws -> Bool {
        var change = change
        // Stated periods first: the filing of undated mentions reads them. A figure's filing can
        // only change when one of its stated periods appears or disappears.
        let flipped = try Summary.figurePeriods.add(db, change.figurePeriods)
        change.formUnion(try refile(db, figures: Set(flipped.map { Array($0.dropLast()) }), undated: change.undated))
        try Summary.rowFigures.add(db, change.rowFigures)
        try Summary.milestoneVariants.add(db, change.milestoneVariants)
        return try markUnsettled(db, rows: change.rows, milestones: change.milestones)
    }

    /// The indicator groups (metric, region, kind) and milestone keys some articles or documents
    /// feed: what must be locked before their sources change.
    private static func touched(_ db: Connection, column: String, ids: [Int64]) throws -> (groups: Set<[String]>, milestones: Set<[String]>) {
        precondition(column == "article_id" || column == "document_id")
        let groups = try db.query("SELECT DISTINCT * FROM (\(PerID.rows("metric, region, kind", from: "indicator_sources", where: column))) s",
                                  [PostgresArray(ids)])
            .rows.map { [try $0.decode(String.self, 0), try $0.decode(String.self, 1), try $0.decode(String.self, 2)] }
        let milestones = try db.query("SELECT DISTINCT * FROM (\(PerID.rows("date, action, subject", from: "milestone_sources", where: column))) s",
                                      [PostgresArray(ids)])
            .rows.map { [try $0.decode(String.self, 0), try $0.decode(String.self, 1), try $0.decode(String.self, 2)] }
        return (Set(groups), Set(milestones))
    }

    /// Deletes some articles' or documents' sources and says which figures and rows they fed.
    private static func withdraw(_ db: Connection, column: String, ids: [Int64]) throws -> Change {
        precondition(column == "article_id" || column == "document_id")
        var change = Change()
        let indicators = try db.query("""
            DELETE FROM indicator_sources WHERE extraction_id = ANY(ARRAY(\(PerID.rows("extraction_id", from: "indicator_sources", where: column))))
            RETURNING metric, region, period, kind, stated_period, value::text, coalesce(value_max::text, 'NaN'), unit,
                      article_id, start_offset
            """, [PostgresArray(ids)]).rows.map { r in
            IndicatorFact(metric: try r.decode(String.self, 0), region: try r.decode(String.self, 1), period: try r.decode(String.self, 2),
                          kind: try r.decode(String.self, 3), statedPeriod: try r.decode(String.self, 4), value: try r.decode(String.self, 5),
                          valueMax: try r.decode(String.self, 6), unit: try r.decode(String.self, 7),
                          articleID: try r.decode(Int64.self, 8), start: try r.decode(Int.self, 9))
        }
        let milestones = try db.query("""
            DELETE FROM milestone_sources WHERE extraction_id = ANY(ARRAY(\(PerID.rows("extraction_id", from: "milestone_sources", where: column))))
            RETURNING date, action, subject, document, region, planned, article_id, start_offset
            """, [PostgresArray(ids)]).rows.map { r in
            MilestoneFact(date: try r.decode(String.self, 0), action: try r.decode(String.self, 1), subject: try r.decode(String.self, 2),
                          document: try r.decodeOptional(String.self, 3), region: try r.decodeOptional(String.self, 4),
                          planned: try r.decode(Bool.self, 5), articleID: try r.decode(Int64.self, 6), start: try r.decode(Int.self, 7))
        }
        change.add(indicators: indicators, sign: -1)
        change.add(milestones: milestones, sign: -1)
        return change
    }

    /// Locks every key in a fixed order, so two workers cannot deadlock; held to the end of the
    /// transaction. Period filing reads the stated periods of a figure and moves its undated
    /// sources, and stays inside a (metric, region, kind) group, so group locks keep two batches
    /// from filing one figure's sources on what the other has not committed. (Rows themselves are
    /// computed only by `settle`, under its barrier.)
    private static func lock(_ db: Connection, groups: Set<[String]>, milestones: Set<[String]>) throws {
        let lockKeys = (groups.map { "i|" + $0.joined(separator: "|") } + milestones.map { "m|" + $0.joined(separator: "|") })
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard !lockKeys.isEmpty else { return }
        try db.execute("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n",
                       [PostgresArray(lockKeys)])
    }

    /// The articles' extractions as report sources, decoded through the one typed contract
    /// (`StoredExtraction`); a row that does not decode is an error naming it.
    private static func loadSources(_ db: Connection, articleIDs: [Int64], keys: Keys) throws -> ([IndicatorSource], [MilestoneSource]) {
        let rows = try db.query("""
            \(PerID.rows("""
                e.id, e.kind, e.data::text, e.evidence, e.start_offset, e.end_offset, a.document_id, d.source_id,
                a.published::text, a.index, e.article_id
                """, from: "articles a JOIN documents d ON d.id = a.document_id JOIN extractions e ON e.article_id = a.id",
                where: "a.id"))
             ORDER BY x.article_id, x.id
            """, [PostgresArray(articleIDs)]).rows
        var indicators: [IndicatorSource] = []
        var milestones: [MilestoneSource] = []
        var article: Int64 = -1, position = 0
        for r in rows {
            let id = try r.decode(Int64.self, 0)
            let articleID = try r.decode(Int64.self, 10)
            // A source's position counts the article's extractions in their order.
            if articleID != article { article = articleID; position = 0 } else { position += 1 }
            let base = SourceBase(extractionID: id, articleID: articleID, documentID: try r.decode(Int64.self, 6),
                                  sourceID: try r.decode(String.self, 7), evidence: try r.decode(String.self, 3),
                                  start: try r.decode(Int.self, 4), end: try r.decode(Int.self, 5),
                                  published: try r.decodeOptional(String.self, 8), articleIndex: try r.decode(Int.self, 9),
                                  position: position)
            switch try StoredExtraction.decode(kind: try r.decode(String.self, 1), json: try r.decode(String.self, 2), extractionID: id) {
            case .indicator(let i):
                // The reporting key is the vocabulary's canonical name chosen at extraction.
                indicators.append(IndicatorSource(base: base, metric: keys.metric(i.metricKey), label: i.metric,
                                                  region: i.region ?? "", period: i.period ?? "", kind: i.kind, value: i.value,
                                                  valueMax: i.valueMax, unit: i.unit, qualifier: i.qualifier))
            case .milestone(let m):
                milestones.append(MilestoneSource(base: base, date: m.date, action: m.action, subject: keys.subject(m.subject, m.region),
                                                  label: m.subject, document: m.document, region: m.region, planned: m.planned))
            }
        }
        return (indicators, milestones)
    }

    private static func insert(_ db: Connection, indicators: [IndicatorSource]) throws {
        guard !indicators.isEmpty else { return }
        try db.execute("""
            INSERT INTO indicator_sources (extraction_id, metric, region, period, stated_period, kind, document_id, article_id,
                source_id, metric_label, value, value_max, unit, qualifier, evidence, start_offset, end_offset, published,
                article_index, position)
            SELECT t.id, t.metric, t.region, t.period, t.period, t.kind, t.doc, t.article, t.src, t.label, t.value, t.vmax, t.unit,
                   t.qualifier, t.evidence, t.s, t.e, t.published::date, t.ai, t.pos
              FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
                          $9::text[], $10::float8[], $11::float8[], $12::text[], $13::text[], $14::text[], $15::int[],
                          $16::int[], $17::text[], $18::int[], $19::int[])
                   AS t(article, id, metric, region, period, kind, doc, src, label, value, vmax, unit, qualifier, evidence, s, e, published, ai, pos)
            """, [PostgresArray(indicators.map { $0.base.articleID }),
                  PostgresArray(indicators.map { $0.base.extractionID }), PostgresArray(indicators.map { $0.metric }),
                  PostgresArray(indicators.map { $0.region }), PostgresArray(indicators.map { $0.period }),
                  PostgresArray(indicators.map { $0.kind }), PostgresArray(indicators.map { $0.base.documentID }),
                  PostgresArray(indicators.map { $0.base.sourceID }), PostgresArray(indicators.map { $0.label }),
                  PostgresArray(indicators.map { $0.value }), PostgresArray(indicators.map { $0.valueMax.map { String($0) } }),
                  PostgresArray(indicators.map { $0.unit }), PostgresArray(indicators.map { $0.qualifier }),
                  PostgresArray(indicators.map { $0.base.evidence }), PostgresArray(indicators.map { $0.base.start }),
                  PostgresArray(indicators.map { $0.base.end }), PostgresArray(indicators.map { $0.base.published }),
                  PostgresArray(indicators.map { $0.base.articleIndex }), PostgresArray(indicators.map { $0.base.position })])
    }

    private static func insert(_ db: Connection, milestones: [MilestoneSource]) throws {
        guard !milestones.isEmpty else { return }
        try db.execute("""
            INSERT INTO milestone_sources (extraction_id, date, action, subject, document_id, article_id, source_id,
                subject_label, document, region, planned, evidence, start_offset, end_offset, published, article_index, position)
            SELECT t.id, t.date, t.action, t.subject, t.doc, t.article, t.src, t.label, t.document, t.region, t.planned,
                   t.evidence, t.s, t.e, t.published::date, t.ai, t.pos
              FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::boolean[], $12::text[], $13::int[], $14::int[], $15::text[],
                          $16::int[], $17::int[])
                   AS t(article, id, date, action, subject, doc, src, label, document, region, planned, evidence, s, e, published, ai, pos)
            """, [PostgresArray(milestones.map { $0.base.articleID }),
                  PostgresArray(milestones.map { $0.base.extractionID }), PostgresArray(milestones.map { $0.date }),
                  PostgresArray(milestones.map { $0.action }), PostgresArray(milestones.map { $0.subject }),
                  PostgresArray(milestones.map { $0.base.documentID }), PostgresArray(milestones.map { $0.base.sourceID }),
                  PostgresArray(milestones.map { $0.label }), PostgresArray(milestones.map { $0.document }),
                  PostgresArray(milestones.map { $0.region }), PostgresArray(milestones.map { $0.planned ? "t" : "f" }),
                  PostgresArray(milestones.map { $0.base.evidence }), PostgresArray(milestones.map { $0.base.start }),
                  PostgresArray(milestones.map { $0.base.end }), PostgresArray(milestones.map { $0.base.published }),
                  PostgresArray(milestones.map { $0.base.articleIndex }), PostgresArray(milestones.map { $0.base.position })])
    }

    /// Files undated mentions under the one period other sources state for the same figure (same
    /// metric, region, kind, value, value_max and unit, read from `figure_periods`), else leaves
    /// them undated. Only two kinds of mention can need it: those that just joined, and those of
    /// a figure whose stated periods changed (`figures`, found through `indicator_sources_figure`);
    /// every other undated mention is already where its figure files it, so the cost follows the
    /// change, not the number of mentions. Returns the moves as a change: the rows that lost or
    /// gained a mention, with their summaries' deltas.
    static func refile(_ db: Connection, figures: Set<[String]>, undated: Set<Int64>) throws -> Change {
        guard !figures.isEmpty || !undated.isEmpty else { return Change() }
        let list = figures.sorted(by: KeyOrder.precedes)
        let params: [any PostgresEncodable] = (0..<6).map { i in PostgresArray(list.map { $0[i] }) }
            + [PostgresArray(undated.sorted())]
        let moved = try db.query("""
            WITH f AS (SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[])
                                  AS f(metric, region, kind, value, vmax, unit)),
            candidates AS (
                SELECT s.extraction_id FROM f JOIN indicator_sources s
                    ON (s.metric, s.region, s.kind, s.value, s.unit, s.stated_period) = (f.metric, f.region, f.kind, f.value, f.unit, '')
                   AND coalesce(s.value_max, 'NaN') = f.vmax
                UNION
                SELECT unnest($7::bigint[])),
            moved AS (
                SELECT s.extraction_id, s.period AS old_period, filing.period AS new_period
                  FROM candidates c JOIN indicator_sources s ON s.extraction_id = c.extraction_id
                 CROSS JOIN LATERAL (
                       SELECT coalesce((SELECT CASE WHEN count(*) = 1 THEN min(p.stated_period) END
                                          FROM figure_periods p
                                         WHERE (p.metric, p.region, p.kind, p.value, p.value_max, p.unit)
                                               = (s.metric, s.region, s.kind, s.value, coalesce(s.value_max, 'NaN'), s.unit)), '') AS period) filing
                 WHERE s.stated_period = '' AND s.period <> filing.period)
            UPDATE indicator_sources s SET period = m.new_period
              FROM moved m
             WHERE s.extraction_id = m.extraction_id
            RETURNING s.extraction_id, s.article_id, s.metric, s.region, s.kind, m.old_period, m.new_period,
                      s.value::text, coalesce(s.value_max::text, 'NaN'), s.unit
            """, params).rows.map { r in
            (id: try r.decode(Int64.self, 0), article: try r.decode(Int64.self, 1),
             group: [try r.decode(String.self, 2), try r.decode(String.self, 3), try r.decode(String.self, 4)],
             old: try r.decode(String.self, 5), new: try r.decode(String.self, 6),
             figure: [try r.decode(String.self, 7), try r.decode(String.self, 8), try r.decode(String.self, 9)])
        }
        guard !moved.isEmpty else { return Change() }
        func row(_ group: [String], _ period: String) -> [String] { [group[0], group[1], period, group[2]] }
        var change = Change()
        var touched: Set<[String]> = []
        for m in moved {
            change.rowFigures[row(m.group, m.old) + m.figure, default: 0] -= 1
            change.rowFigures[row(m.group, m.new) + m.figure, default: 0] += 1
            touched.insert(row(m.group, m.old)); touched.insert(row(m.group, m.new))
        }
        // Mentions are distinct sentences, so a move changes a row's count only when no other
        // figure of the same sentence is (or was) there: compare the moved articles' sentences
        // per row after the move with the same before it. Other articles are unchanged.
        let oldPeriod = Dictionary(moved.map { ($0.id, $0.old) }, uniquingKeysWith: { a, _ in a })
        var after: [[String]: Set<[Int64]>] = [:], before: [[String]: Set<[Int64]>] = [:]
        for r in try db.query("""
            SELECT extraction_id, article_id, start_offset, metric, region, period, kind
              FROM indicator_sources WHERE article_id = ANY($1::bigint[])
            """, [PostgresArray(Array(Set(moved.map(\.article))).sorted())]).rows {
            let id = try r.decode(Int64.self, 0)
            let sentence = [try r.decode(Int64.self, 1), try r.decode(Int64.self, 2)]
            let group = [try r.decode(String.self, 3), try r.decode(String.self, 4), try r.decode(String.self, 6)]
            let now = row(group, try r.decode(String.self, 5))
            let then = oldPeriod[id].map { row(group, $0) } ?? now
            if touched.contains(now) { after[now, default: []].insert(sentence) }
            if touched.contains(then) { before[then, default: []].insert(sentence) }
        }
        for r in touched { change.rows[r, default: 0] += (after[r]?.count ?? 0) - (before[r]?.count ?? 0) }
        return change
    }

    /// Recomputes the given (metric, region, period, kind) rows: deleted when no source is left,
    /// else the first source in the one order (latest published, then source, article, sentence,
    /// figure) gives the figure, read through `indicator_sources_order`; disagreement is more than
    /// one figure in `indicator_row_figures`; mentions change by the delta given. Every read is an
    /// index probe, not a scan of the row's sources. Unchanged rows are left alone, so updated_at
    /// says when a figure last moved.
    static func recomputeIndicators(_ db: Connection, rows: [[String]: Int]) throws {
        guard !rows.isEmpty else { return }
        let list = rows.keys.sorted(by: KeyOrder.precedes)
        var params: [any PostgresEncodable] = (0..<4).map { i in PostgresArray(list.map { $0[i] }) }
        try db.execute("""
            WITH r AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(metric, region, period, kind))
            DELETE FROM indicators i USING r
             WHERE (i.metric, i.region, i.period, i.kind) = (r.metric, r.region, r.period, r.kind)
               AND NOT EXISTS (SELECT 1 FROM indicator_row_figures f
                                WHERE (f.metric, f.region, f.period, f.kind) = (r.metric, r.region, r.period, r.kind))
            """, params)
        params.append(PostgresArray(list.map { rows[$0] ?? 0 }))
        try db.execute("""
            WITH r AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])
                                  AS r(metric, region, period, kind, mentions))
            INSERT INTO indicators AS i (metric, region, period, kind, value, value_max, unit, qualifier, mentions,
                                         first_published, last_published, conflict, updated_at)
            SELECT r.metric, r.region, r.period, r.kind, l.value, l.value_max, l.unit, l.qualifier, r.mentions,
                   fp.published, l.published, c.figures > 1, now()
              FROM r
              CROSS JOIN LATERAL (
                    SELECT s.value, s.value_max, s.unit, s.qualifier, s.published FROM indicator_sources s
                     WHERE (s.metric, s.region, s.period, s.kind) = (r.metric, r.region, r.period, r.kind)
                     ORDER BY s.published DESC NULLS LAST, s.source_id, s.article_index, s.start_offset, s.position
                     LIMIT 1) l
              LEFT JOIN LATERAL (
                    SELECT s.published FROM indicator_sources s
                     WHERE (s.metric, s.region, s.period, s.kind) = (r.metric, r.region, r.period, r.kind)
                       AND s.published IS NOT NULL
                     ORDER BY s.published ASC NULLS FIRST
                     LIMIT 1) fp ON true
              CROSS JOIN LATERAL (
                    -- Two figures are a conflict: counting past two read every figure a busy row
                    -- ever had, a cost that grew with the corpus.
                    SELECT count(*) AS figures FROM (
                        SELECT 1 FROM indicator_row_figures f
                         WHERE (f.metric, f.region, f.period, f.kind) = (r.metric, r.region, r.period, r.kind) LIMIT 2) two) c
            ON CONFLICT (metric, region, period, kind) DO UPDATE
               SET value = EXCLUDED.value, value_max = EXCLUDED.value_max, unit = EXCLUDED.unit,
                   qualifier = EXCLUDED.qualifier, mentions = i.mentions + EXCLUDED.mentions,
                   first_published = EXCLUDED.first_published, last_published = EXCLUDED.last_published,
                   conflict = EXCLUDED.conflict, updated_at = now()
             WHERE (i.value, i.value_max, i.unit, i.qualifier, i.first_published, i.last_published, i.conflict)
                   IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.value_max, EXCLUDED.unit, EXCLUDED.qualifier,
                                     EXCLUDED.first_published, EXCLUDED.last_published, EXCLUDED.conflict)
                OR EXCLUDED.mentions <> 0
            """, params)
    }

    /// Recomputes the given milestone rows from their variants (document, region, planned) and
    /// the delta of their mentions; deleted when no source is left.
    static func recomputeMilestones(_ db: Connection, keys: [[String]: Int]) throws {
        guard !keys.isEmpty else { return }
        let list = keys.keys.sorted(by: KeyOrder.precedes)
        var params: [any PostgresEncodable] = (0..<3).map { i in PostgresArray(list.map { $0[i] }) }
        try db.execute("""
            WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS k(date, action, subject))
            DELETE FROM milestones m USING k
             WHERE (m.date, m.action, m.subject) = (k.date, k.action, k.subject)
               AND NOT EXISTS (SELECT 1 FROM milestone_variants v WHERE (v.date, v.action, v.subject) = (k.date, k.action, k.subject))
            """, params)
        params.append(PostgresArray(list.map { keys[$0] ?? 0 }))
        try db.execute("""
            WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS k(date, action, subject, mentions))
            INSERT INTO milestones AS m (date, action, subject, document, region, planned, mentions, updated_at)
            SELECT k.date, k.action, k.subject, a.document, a.region, a.planned, k.mentions, now()
              FROM k
              CROSS JOIN LATERAL (
                    SELECT max(nullif(v.document, '')) AS document, max(v.region) AS region,
                           bool_and(v.planned) AS planned, count(*) AS variants
                      FROM milestone_variants v
                     WHERE (v.date, v.action, v.subject) = (k.date, k.action, k.subject)) a
             WHERE a.variants > 0
            ON CONFLICT (date, action, subject) DO UPDATE
               SET document = EXCLUDED.document, region = EXCLUDED.region, planned = EXCLUDED.planned,
                   mentions = m.mentions + EXCLUDED.mentions, updated_at = now()
             WHERE (m.document, m.region, m.planned) IS DISTINCT FROM (EXCLUDED.document, EXCLUDED.region, EXCLUDED.planned)
                OR EXCLUDED.mentions <> 0
            """, params)
    }
}

/// A summary table of counts (M009): rows keyed by some columns with a `sources` count, changed
/// by deltas. Rows reaching zero are removed, so "has a row" means "has a source".
struct Summary {
    let table: String
    let columns: [(name: String, type: String)]

    static let rowFigures = Summary(table: "indicator_row_figures", columns: [
        ("metric", "text"), ("region", "text"), ("period", "text"), ("kind", "text"),
        ("value", "float8"), ("value_max", "float8"), ("unit", "text")])
    static let figurePeriods = Summary(table: "figure_periods", columns: [
        ("metric", "text"), ("region", "text"), ("kind", "text"), ("value", "float8"), ("value_max", "float8"),
        ("unit", "text"), ("stated_period", "text")])
    static let milestoneVariants = Summary(table: "milestone_variants", columns: [
        ("date", "text"), ("action", "text"), ("subject", "text"), ("document", "text"), ("region", "text"),
        ("planned", "boolean")])

    /// (Table and column names are the constants above; every value is a parameter.)
    private var names: String { columns.map(\.name).joined(separator: ", ") }
    private var unnest: String { columns.indices.map { "$\($0 + 1)::\(columns[$0].type)[]" }.joined(separator: ", ") }

    /// Adds the deltas; returns the keys (as the database writes them) that appeared or
    /// disappeared, which is what can change a conclusion drawn from the table.
    @discardableResult
    func add(_ db: Connection, _ deltas: [[String]: Int]) throws -> [[String]] {
        let keys = deltas.keys.filter { deltas[$0] != 0 }.sorted(by: KeyOrder.precedes)
        guard !keys.isEmpty else { return [] }
        let values: [any PostgresEncodable] = columns.indices.map { i in PostgresArray(keys.map { $0[i] }) }
        let asText = columns.map { $0.type == "text" ? $0.name : "\($0.name)::text" }.joined(separator: ", ")
        func decoded(_ rows: [Row]) throws -> [[String]] { try rows.map { r in try columns.indices.map { try r.decode(String.self, $0) } } }
        // Grouped after the casts: two spellings of one number ("5" and "5.0") are one key. A
        // row whose count equals the batch's delta did not exist before.
        let appeared = try decoded(db.query("""
            WITH u AS (SELECT \(names), sum(d)::int AS d FROM unnest(\(unnest), $\(columns.count + 1)::int[]) AS u(\(names), d)
                        GROUP BY \(names)),
            up AS (INSERT INTO \(table) AS c (\(names), sources) SELECT * FROM u
                   ON CONFLICT (\(names)) DO UPDATE SET sources = c.sources + EXCLUDED.sources
                   RETURNING \(names), sources)
            SELECT \(asText) FROM up JOIN u USING (\(names)) WHERE up.sources = u.d AND u.d > 0
            """, values + [PostgresArray(keys.map { deltas[$0]! })]).rows)
        // Only a key whose count went down can have reached zero.
        let falling = keys.filter { deltas[$0]! < 0 }
        guard !falling.isEmpty else { return appeared }
        let fallingValues: [any PostgresEncodable] = columns.indices.map { i in PostgresArray(falling.map { $0[i] }) }
        let gone = try decoded(db.query("""
            DELETE FROM \(table) c USING unnest(\(unnest)) AS u(\(names))
             WHERE (\(columns.map { "c." + $0.name }.joined(separator: ", "))) = (\(columns.map { "u." + $0.name }.joined(separator: ", ")))
               AND c.sources <= 0
            RETURNING \(columns.map { $0.type == "text" ? "c." + $0.name : "c.\($0.name)::text" }.joined(separator: ", "))
            """, fallingValues).rows)
        return appeared + gone
    }
}

struct SourceBase {
    let extractionID: Int64, articleID: Int64, documentID: Int64, sourceID: String, evidence: String, start: Int, end: Int, published: String?
    /// The article's place in its document and the extraction's place in its article: the last
    /// keys of the order on a row's sources, so ties between figures of one sentence are broken.
    let articleIndex: Int, position: Int
}
struct IndicatorSource {
    var group: [String] { [metric, region, kind] }
    /// As it enters the tables: filed under the period it states (refiling may move it later).
    func fact() -> ReportStore.IndicatorFact {
        .init(metric: metric, region: region, period: period, kind: kind, statedPeriod: period, value: String(value),
              valueMax: valueMax.map { String($0) } ?? "NaN", unit: unit, articleID: base.articleID, start: base.start,
              extractionID: base.extractionID)
    }
    let base: SourceBase
    let metric: String, label: String, region: String, period: String, kind: String
    let value: Double, valueMax: Double?, unit: String, qualifier: String
}
struct MilestoneSource {
    var key: [String] { [date, action, subject] }
    func fact() -> ReportStore.MilestoneFact {
        .init(date: date, action: action, subject: subject, document: document, region: region, planned: planned,
              articleID: base.articleID, start: base.start)
    }
    let base: SourceBase
    let date: String, action: String, subject: String, label: String, document: String?, region: String?, planned: Bool
}

/// The one order in which keys are sorted before they are locked or written, so two workers take
/// row locks in the same order. Byte order of the UTF-8: comparing Strings normalises non-ASCII
/// text on every comparison, which sorting a batch's Chinese keys paid for.
enum KeyOrder {
    static func precedes(_ a: [String], _ b: [String]) -> Bool {
        a.lexicographicallyPrecedes(b) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
