/**
 * 0017 — the outbox (发件箱, `SqlOutbox`): one row per stored case event,
 * written in the same transaction as the event (`SqlCaseRepository.appendAll`),
 * keyed by its event id `<caseId>:<sequence>`; and one delivery row per
 * (subscriber, event) the worker has tried or delivered — attempts, next
 * attempt, last error, delivered time. Pending events are the outbox rows
 * without a delivered row for the subscriber (an anti-join, not a cursor: a
 * row committed late by a concurrent transaction is never skipped).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const position = sql.onDialectOrElse({
    sqlite: () => "position INTEGER PRIMARY KEY AUTOINCREMENT",
    orElse: () => "position BIGSERIAL PRIMARY KEY"
  })
  yield* sql.unsafe(`
    CREATE TABLE IF NOT EXISTS cg_outbox (
      ${position},
      event_id TEXT NOT NULL UNIQUE,
      case_id TEXT NOT NULL,
      sequence INTEGER NOT NULL,
      tag TEXT NOT NULL,
      at BIGINT NOT NULL
    )
  `)
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_outbox_deliveries (
      subscriber_id TEXT NOT NULL,
      event_id TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      next_attempt_at BIGINT NOT NULL,
      last_error TEXT,
      delivered_at BIGINT,
      PRIMARY KEY (subscriber_id, event_id)
    )
  `
  yield* sql`
    CREATE INDEX IF NOT EXISTS cg_outbox_deliveries_pending
    ON cg_outbox_deliveries (subscriber_id, delivered_at)
  `
})
