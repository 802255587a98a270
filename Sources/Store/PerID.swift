/// The rows of a table whose key column holds one of the ids in `$1::bigint[]`, as SQL to embed.
/// Each id is looked up on its own (LATERAL … OFFSET 0, one index probe per id): `column =
/// ANY($1)` lets the planner guess what share of the table a batch's ids match, and before a
/// table's first ANALYZE that guess was large enough for hash joins over whole tables (9 ms a call
/// instead of 0.6). Table, column and select list are constants of the code, never data.
enum PerID {
    static func rows(_ select: String, from table: String, where column: String) -> String {
        "SELECT x.* FROM unnest($1::bigint[]) AS t(id) CROSS JOIN LATERAL (SELECT \(select) FROM \(table) WHERE \(column) = t.id OFFSET 0) x"
    }
}
