/**
 * 0018 — job cursors (任务游标, `SqlJobCursor`): one row per periodic job
 * that works through time windows (the timer light notifications) — the
 * instant (epoch milliseconds) its last run got to. A table of its own rather
 * than a column of `cg_leases`: a lease says who may run a job now and is
 * claimed, taken over and expired; a cursor is the job's progress, written
 * only after its work is done, and it outlives every holder (a lease kept in
 * memory with a cursor in the database is a valid setup too).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_job_cursors (
      name TEXT PRIMARY KEY,
      at BIGINT NOT NULL
    )
  `
})
