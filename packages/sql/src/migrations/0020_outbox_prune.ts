/**
 * 0020 — pruning the outbox (`SqlOutbox.prune`): an index on the entries'
 * event time, so that finding the oldest entries is a range scan, not a scan
 * of the outbox; and one on the delivery rows' event id, so that checking
 * that every subscriber delivered an entry and removing its delivery rows (of
 * every subscriber, including ones no longer configured) are index lookups.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX IF NOT EXISTS cg_outbox_at ON cg_outbox (at, position)`
  yield* sql`
    CREATE INDEX IF NOT EXISTS cg_outbox_deliveries_event
    ON cg_outbox_deliveries (event_id)
  `
})
