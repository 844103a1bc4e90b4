/**
 * 0008 — access scopes in the case read model: who sees a
 * case is its location's subtree, plus the department it is dispatched to,
 * plus — for a resident — their own reports. `cg_cases` gains
 *
 * - `reported_by`: the actor id of the report (`Case.reportedBy`);
 * - `dispatch_department`: the department the case is currently dispatched
 *   to (`CaseRepository.dispatchedDepartment`), null otherwise;
 *
 * each indexed with `reported_at` so a scoped list (`CaseQuery.scope`) pages
 * by index. Existing rows are filled from their events (folded with the
 * core's `Case.fold`, the same code every append runs), in batches, inside
 * the migration's transaction.
 */
import * as Case from "@civicgrid/core/Case"
import { dispatchedDepartment } from "@civicgrid/core/CaseRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import { eventOf } from "../internal/caseRows.js"

const BATCH = 500

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE cg_cases ADD COLUMN reported_by TEXT`
  yield* sql`ALTER TABLE cg_cases ADD COLUMN dispatch_department TEXT`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_cases_reporter ON cg_cases (reported_by, reported_at)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_cases_department ON cg_cases (dispatch_department, reported_at)`
  let after = ""
  for (;;) {
    const ids = yield* sql<{ readonly case_id: string }>`
      SELECT case_id FROM cg_cases WHERE case_id > ${after} ORDER BY case_id LIMIT ${BATCH}`
    const last = ids[ids.length - 1]
    if (last === undefined) break
    const rows = yield* sql<{ readonly case_id: string; readonly payload: string }>`
      SELECT case_id, payload FROM cg_case_events
      WHERE ${sql.in(
        "case_id",
        ids.map((r) => r.case_id)
      )}
      ORDER BY case_id, sequence`
    const histories = new Map<string, Array<ReturnType<typeof eventOf>>>()
    for (const row of rows) {
      const history = histories.get(row.case_id) ?? []
      history.push(eventOf(row.payload))
      histories.set(row.case_id, history)
    }
    for (const [caseId, history] of histories) {
      const state = Case.fold(history)
      if (state._tag !== "Case") continue
      yield* sql`
        UPDATE cg_cases
        SET reported_by = ${state.reportedBy}, dispatch_department = ${dispatchedDepartment(state)}
        WHERE case_id = ${caseId}`
    }
    after = last.case_id
  }
})
