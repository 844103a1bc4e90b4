/**
 * 0022 — retention of idempotency keys (`SqlIdempotencyKeys.prune`, run by
 * `IdempotencyRetention.pruneJob`): an index on `cg_idempotency.created_at`,
 * so that finding the oldest keys is a range scan, not a scan of the table.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX IF NOT EXISTS cg_idempotency_created ON cg_idempotency (created_at)`
})
