/**
 * 0015 — leases (租约, `SqlLease`): one row per named lease — who holds it
 * and until when (epoch milliseconds). Several server instances on one
 * database claim a periodic job's lease with one conditional upsert, so
 * exactly one of them runs the job per tick.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_leases (
      name TEXT PRIMARY KEY,
      holder TEXT NOT NULL,
      expires_at BIGINT NOT NULL
    )
  `
})
