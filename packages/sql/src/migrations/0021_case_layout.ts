/**
 * 0021 — the case read model laid out for city scale (tens of millions of
 * cases): fewer and smaller indexes on `cg_cases`, room on its pages for
 * heap-only updates, byte-order keys.
 *
 * Every event rewrites its case's `cg_cases` row. PostgreSQL updates a row
 * in place on its page (a heap-only tuple, no index entry written) only when
 * no indexed column changes and the page has room; otherwise the new row
 * version gets an entry in every index of the table. So:
 *
 * - `cg_cases_deadline`, `cg_cases_yellow`, `cg_cases_red` become partial
 *   indexes of the open cases — `cg_cases_open_deadline (deadline, case_id)`,
 *   `cg_cases_open_yellow (yellow_at)`, `cg_cases_open_red (red_at)`, each
 *   `WHERE status IN (<open statuses>)`: every query on these columns (the
 *   scheduler's `dueBefore`, `lightsCrossed`, the list's `overdueAt` and
 *   `light` filters) asks for open cases with that very predicate, written
 *   out; a closed case leaves them (a closed case keeps its last deadline: in
 *   a plain index it is walked by every due query);
 * - `cg_cases_community` is dropped (no query filters the read model by
 *   `community_id`; subtrees are `unit_path` ranges);
 * - `cg_cases_department` becomes partial (`WHERE dispatch_department IS NOT
 *   NULL`: a scope's `dispatch_department = ?` implies it);
 * - `cg_cases_closed (closed_at) WHERE closed_at IS NOT NULL` is added: the
 *   board's "closed today" is a range of it, not a scan of the subtree;
 * - on PostgreSQL, `cg_cases` gets `fillfactor = 85` (new pages keep 15 %
 *   free for in-place updates; existing pages get it at the next `VACUUM
 *   FULL` or `CLUSTER`), and the text keys that are compared or indexed —
 *   `cg_cases.status`, `category_id`, `reported_by`, `dispatch_department`,
 *   `cg_case_events.case_id`, `tag`, `cg_idempotency.idempotency_key`,
 *   `case_id` — use the byte-order collation "C", as `cg_cases.case_id` and
 *   `unit_path` do since 0002 (no locale-aware comparison in any index; a
 *   collation change rebuilds the column's indexes, not the table).
 *
 * SQLite gets the same indexes (it has partial indexes; it compares bytewise
 * already and has no fill factor). The open statuses are frozen here (a
 * migration creates the same indexes whatever the code becomes); a test
 * checks they equal the store's `openStatusPredicate`.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/** The predicate of the partial indexes: the open statuses as of 0021. */
export const openPredicate =
  "status IN ('reported', 'accepted', 'dispatched', 'handled', 'rework', 'suspended')"

/** Text columns given the collation "C" on PostgreSQL, by table. */
const bytewise: ReadonlyArray<readonly [table: string, columns: ReadonlyArray<string>]> = [
  ["cg_cases", ["status", "category_id", "reported_by", "dispatch_department"]],
  ["cg_case_events", ["case_id", "tag"]],
  ["cg_idempotency", ["idempotency_key", "case_id"]]
]

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // indexes first: a collation change below rebuilds the indexes that remain
  for (const name of [
    "cg_cases_deadline",
    "cg_cases_yellow",
    "cg_cases_red",
    "cg_cases_community",
    "cg_cases_department"
  ]) {
    yield* sql.unsafe(`DROP INDEX IF EXISTS ${name}`)
  }
  yield* sql.onDialectOrElse({
    pg: () =>
      Effect.gen(function* () {
        yield* sql`ALTER TABLE cg_cases SET (fillfactor = 85)`
        for (const [table, columns] of bytewise) {
          yield* sql.unsafe(
            `ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c} TYPE TEXT COLLATE "C"`).join(", ")}`
          )
        }
      }),
    orElse: () => Effect.void
  })
  yield* sql.unsafe(
    `CREATE INDEX IF NOT EXISTS cg_cases_open_deadline ON cg_cases (deadline, case_id) WHERE ${openPredicate}`
  )
  yield* sql.unsafe(
    `CREATE INDEX IF NOT EXISTS cg_cases_open_yellow ON cg_cases (yellow_at) WHERE ${openPredicate}`
  )
  yield* sql.unsafe(
    `CREATE INDEX IF NOT EXISTS cg_cases_open_red ON cg_cases (red_at) WHERE ${openPredicate}`
  )
  yield* sql`
    CREATE INDEX IF NOT EXISTS cg_cases_department ON cg_cases (dispatch_department, reported_at)
    WHERE dispatch_department IS NOT NULL`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_cases_closed ON cg_cases (closed_at) WHERE closed_at IS NOT NULL`
})
