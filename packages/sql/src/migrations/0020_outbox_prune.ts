/**
 * 0020 — pruning the outbox (`SqlOutbox.prune`): an index on the delivery
 * rows' event id, so that removing a pruned event's delivery rows (of every
 * subscriber, including ones no longer configured) and checking that every
 * subscriber delivered an entry are index lookups, not scans.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE INDEX IF NOT EXISTS cg_outbox_deliveries_event
    ON cg_outbox_deliveries (event_id)
  `
})
