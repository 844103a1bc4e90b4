/**
 * 发件箱（SQL） — the core's `EventDelivery.Outbox` port on the ambient
 * `SqlClient` (SQLite or PostgreSQL), migration 0017.
 *
 * `cg_outbox` holds one row per stored case event (`event_id` =
 * `<caseId>:<sequence>`, unique), inserted by `SqlCaseRepository.appendAll` in
 * the transaction that stores the event — a refused or rolled-back append
 * leaves none. `cg_outbox_deliveries` holds one row per (subscriber, event)
 * tried or delivered: attempts, next attempt, last error, delivered time.
 *
 * **Skip-free.** A subscriber's pending events are the outbox rows without a
 * delivered row for it (an anti-join), in `position` order. There is no
 * "delivered up to position n" cursor: on PostgreSQL a `BIGSERIAL` is taken at
 * insert, not at commit, so a transaction committing late would show a row
 * below a cursor already passed and be skipped forever; with per-(subscriber,
 * event) rows such a row is simply pending until delivered. A case's events
 * are appended by transactions serialised on its version, so their positions
 * follow their sequences.
 *
 * The event itself is read from `cg_case_events` (the outbox does not copy the
 * payload).
 *
 * @since 0.1.0
 */
import * as Case from "@civicgrid/core/Case"
import * as EventDelivery from "@civicgrid/core/EventDelivery"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type EventRow, eventOf, toNumber } from "./internal/caseRows.js"
import { orUnavailable } from "./internal/support.js"

/**
 * The outbox row of an event row (what `appendAll` inserts).
 *
 * @since 0.1.0
 * @category rows
 */
export const outboxRow = (row: EventRow) => ({
  event_id: EventDelivery.eventId(row.case_id, row.sequence),
  case_id: row.case_id,
  sequence: row.sequence,
  tag: row.tag,
  at: row.at
})

/**
 * A SQL `Outbox` on `sql`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (sql: SqlClient.SqlClient): EventDelivery.Outbox["Type"] => ({
  pending: (subscriberId, limit) =>
    sql<{
      readonly position: unknown
      readonly event_id: string
      readonly case_id: string
      readonly sequence: unknown
      readonly payload: string
      readonly attempts: unknown
      readonly next_attempt_at: unknown
    }>`
      SELECT o.position, o.event_id, o.case_id, o.sequence, e.payload, d.attempts, d.next_attempt_at
      FROM cg_outbox o
      JOIN cg_case_events e ON e.case_id = o.case_id AND e.sequence = o.sequence
      LEFT JOIN cg_outbox_deliveries d ON d.subscriber_id = ${subscriberId} AND d.event_id = o.event_id
      WHERE d.delivered_at IS NULL
      ORDER BY o.position
      LIMIT ${Math.max(1, Math.floor(limit))}`.pipe(
      Effect.map((rows) =>
        rows.map((row): EventDelivery.Pending => {
          const event = eventOf(row.payload)
          return {
            id: row.event_id,
            position: toNumber(row.position),
            caseId: Case.CaseId.make(row.case_id),
            sequence: toNumber(row.sequence),
            type: event._tag,
            at: event.at,
            event,
            attempts: row.attempts === null ? 0 : toNumber(row.attempts),
            nextAttemptAt: row.next_attempt_at === null ? 0 : toNumber(row.next_attempt_at)
          }
        })
      ),
      orUnavailable,
      Effect.withSpan("SqlOutbox.pending", { attributes: { subscriberId } })
    ),
  delivered: (subscriberId, eventId, at) =>
    sql`
      INSERT INTO cg_outbox_deliveries (subscriber_id, event_id, attempts, next_attempt_at, delivered_at)
      VALUES (${subscriberId}, ${eventId}, 1, ${at}, ${at})
      ON CONFLICT (subscriber_id, event_id) DO UPDATE SET
        attempts = cg_outbox_deliveries.attempts + 1, delivered_at = excluded.delivered_at`.pipe(
      Effect.asVoid,
      orUnavailable,
      Effect.withSpan("SqlOutbox.delivered", { attributes: { subscriberId, eventId } })
    ),
  failed: (subscriberId, eventId, attempt) =>
    sql`
      INSERT INTO cg_outbox_deliveries (subscriber_id, event_id, attempts, next_attempt_at, last_error)
      VALUES (${subscriberId}, ${eventId}, ${attempt.attempts}, ${attempt.nextAttemptAt}, ${attempt.error})
      ON CONFLICT (subscriber_id, event_id) DO UPDATE SET
        attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
        last_error = excluded.last_error
      WHERE cg_outbox_deliveries.delivered_at IS NULL`.pipe(
      Effect.asVoid,
      orUnavailable,
      Effect.withSpan("SqlOutbox.failed", { attributes: { subscriberId, eventId } })
    ),
  prune: (subscriberIds, before, limit) =>
    sql
      .withTransaction(
        Effect.gen(function* () {
          // the oldest entries first (by event time, then position: index
          // cg_outbox_at); an entry is done when each listed subscriber has a
          // delivered row for it
          const done =
            subscriberIds.length === 0
              ? sql`1 = 1`
              : sql`(SELECT COUNT(*) FROM cg_outbox_deliveries d
                   WHERE d.event_id = o.event_id AND d.delivered_at IS NOT NULL
                     AND d.subscriber_id IN ${sql.in(subscriberIds)}) = ${subscriberIds.length}`
          const rows = yield* sql<{ readonly event_id: string }>`
            SELECT o.event_id FROM cg_outbox o
            WHERE o.at < ${before} AND ${done}
            ORDER BY o.at, o.position
            LIMIT ${Math.max(1, Math.floor(limit))}`
          if (rows.length === 0) return 0
          const ids = rows.map((row) => row.event_id)
          for (let k = 0; k < ids.length; k += 500) {
            const chunk = ids.slice(k, k + 500)
            yield* sql`DELETE FROM cg_outbox_deliveries WHERE event_id IN ${sql.in(chunk)}`
            yield* sql`DELETE FROM cg_outbox WHERE event_id IN ${sql.in(chunk)}`
          }
          return ids.length
        })
      )
      .pipe(
        orUnavailable,
        Effect.withSpan("SqlOutbox.prune", { attributes: { subscribers: subscriberIds.length, limit } })
      )
})

/**
 * 发件箱层 — `EventDelivery.Outbox` on the ambient `SqlClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<EventDelivery.Outbox, never, SqlClient.SqlClient> = Layer.effect(
  EventDelivery.Outbox,
  Effect.map(SqlClient.SqlClient, make)
)
