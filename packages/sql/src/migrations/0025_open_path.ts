/**
 * 0025 — the board 看板 reads the open cases of a subtree only.
 *
 * The board counts the open cases of a unit's subtree by status and light,
 * the overdue ones by tier and the supervised ones. Through
 * `cg_cases_path (unit_path)` it walked every case of the subtree ever
 * reported — closed ones included — and fetched each row to test its status:
 * a district's board grew with the district's history (324 ms at 150,000
 * cases on the sizing bench), not with its open cases.
 *
 * `cg_cases_open_path (unit_path, status, tier, yellow_at, red_at,
 * supervisions) WHERE status IN (<open statuses>)` holds the open cases only
 * and every column the board's open-case queries read: a subtree range of it
 * answers them from the index (an index-only scan on PostgreSQL once the
 * table is vacuumed), and a closed case leaves it. The open statuses are
 * those frozen by 0021 (`openPredicate`); the store's queries write the same
 * predicate out so both planners can use the partial index.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import { openPredicate } from "./0021_case_layout.js"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(
    `CREATE INDEX IF NOT EXISTS cg_cases_open_path ON cg_cases ` +
      `(unit_path, status, tier, yellow_at, red_at, supervisions) WHERE ${openPredicate}`
  )
})
