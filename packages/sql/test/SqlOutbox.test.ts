/**
 * 发件箱（SQL） — `SqlOutbox` with `SqlCaseRepository` on SQLite and
 * PostgreSQL: outbox rows appear with the events of committed appends only (a
 * refused append — `ConcurrencyConflict` — leaves none); appends from many
 * fibers at once, delivered while they commit, all reach the subscriber
 * (PostgreSQL: a serial id taken before a late commit must not be skipped);
 * a failed attempt is recorded (attempts, next attempt, error) and retried
 * after its back-off, by a new worker as by the old; pruning removes only
 * entries older than the retention that every subscriber delivered, with
 * their delivery rows, oldest first, at most a batch at a time.
 */
import * as Case from "@civicgrid/core/Case"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as EventDelivery from "@civicgrid/core/EventDelivery"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import * as SqlOutbox from "../src/SqlOutbox.js"
import { accept, dispatch, freshDatabase, handle, report, T0, timeLimits } from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"

const MINUTE = 60_000

const history = (commands: ReadonlyArray<CaseCommand>): ReadonlyArray<CaseEvent> => {
  let state: Case.State = Case.initial
  const out: Array<CaseEvent> = []
  for (const command of commands) {
    const step = Either.getOrThrow(Case.execute(state, command))
    out.push(...step.events)
    state = step.state
  }
  return out
}

const opened = (caseId: string, t: number) =>
  history([report(caseId, { at: t }), accept(caseId, t + MINUTE), dispatch(caseId, t + 2 * MINUTE)])

const outboxIds = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ readonly event_id: string }>`SELECT event_id FROM cg_outbox ORDER BY position`.pipe(
    Effect.map((rows) => rows.map((r) => r.event_id)),
    Effect.orDie
  )
)

/** A subscriber that records what it receives (and fails while `down`). */
const recorder = (id: string) => {
  const received: Array<string> = []
  const state = { down: false }
  const subscriber: EventDelivery.Subscriber = {
    id,
    kind: "test",
    config: {},
    deliver: (event) =>
      state.down
        ? Effect.fail(
            new EventDelivery.DeliveryFailed({ subscriberId: id, eventId: event.id, reason: "down" })
          )
        : Effect.sync(() => {
            received.push(event.id)
          })
  }
  return { received, state, subscriber }
}

for (const dialect of dialects) {
  describe(`SqlOutbox on ${dialect.name}`, () => {
    const layer = () =>
      Layer.mergeAll(SqlCaseRepository.layer({ timeLimits }), SqlOutbox.layer).pipe(
        Layer.provideMerge(freshDatabase(dialect))
      )

    it.effect("an outbox row per committed event, none for a refused append", () =>
      Effect.gen(function* () {
        const repo = yield* CaseRepository
        yield* repo.append({
          caseId: Case.CaseId.make("ob-1"),
          expectedVersion: 0,
          events: opened("ob-1", T0)
        })
        expect(yield* outboxIds).toEqual(["ob-1:1", "ob-1:2", "ob-1:3"])
        const all = history([
          report("ob-1", { at: T0 }),
          accept("ob-1", T0 + MINUTE),
          dispatch("ob-1", T0 + 2 * MINUTE),
          handle("ob-1", T0 + 3 * MINUTE)
        ])
        // a stale writer: refused, nothing in the outbox
        const refused = yield* Effect.flip(
          repo.appendAll([
            { caseId: Case.CaseId.make("ob-2"), expectedVersion: 0, events: opened("ob-2", T0) },
            { caseId: Case.CaseId.make("ob-1"), expectedVersion: 2, events: all.slice(2) }
          ])
        )
        expect(refused._tag).toBe("ConcurrencyConflict")
        expect(yield* outboxIds).toEqual(["ob-1:1", "ob-1:2", "ob-1:3"])
        yield* repo.append({ caseId: Case.CaseId.make("ob-1"), expectedVersion: 3, events: all.slice(3) })
        expect(yield* outboxIds).toEqual(["ob-1:1", "ob-1:2", "ob-1:3", "ob-1:4"])
        const pending = yield* Effect.flatMap(EventDelivery.Outbox, (o) => o.pending("s", 10))
        expect(pending.map((p) => [p.id, p.type, p.attempts])).toEqual([
          ["ob-1:1", "Reported", 0],
          ["ob-1:2", "Accepted", 0],
          ["ob-1:3", "Dispatched", 0],
          ["ob-1:4", "Handled", 0]
        ])
        expect(pending[3]?.event).toEqual(all[3])
      }).pipe(Effect.provide(layer()))
    )

    it.effect("a failure is recorded and retried after its back-off; delivered events are not pending", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(T0)
        const repo = yield* CaseRepository
        const sql = yield* SqlClient.SqlClient
        yield* repo.append({
          caseId: Case.CaseId.make("ob-3"),
          expectedVersion: 0,
          events: opened("ob-3", T0)
        })
        const hook = recorder("hook")
        hook.state.down = true
        const first = yield* EventDelivery.deliverOnce([hook.subscriber], { base: "10 seconds" })
        // the first event failed; the case's later events wait for it
        expect(first).toEqual({ delivered: 0, failed: 1, deferred: 2 })
        const rows = yield* sql<{
          readonly event_id: string
          readonly attempts: unknown
          readonly next_attempt_at: unknown
          readonly last_error: string
        }>`SELECT event_id, attempts, next_attempt_at, last_error FROM cg_outbox_deliveries`
        expect(
          rows.map((r) => [r.event_id, Number(r.attempts), Number(r.next_attempt_at), r.last_error])
        ).toEqual([["ob-3:1", 1, T0 + 10_000, "down"]])
        hook.state.down = false
        // not yet due: nothing sent
        expect(yield* EventDelivery.deliverOnce([hook.subscriber])).toEqual({
          delivered: 0,
          failed: 0,
          deferred: 3
        })
        yield* TestClock.adjust("10 seconds")
        // a new worker (state is in the store) delivers all three, in order
        expect(yield* EventDelivery.deliverOnce([hook.subscriber])).toEqual({
          delivered: 3,
          failed: 0,
          deferred: 0
        })
        expect(hook.received).toEqual(["ob-3:1", "ob-3:2", "ob-3:3"])
        const other = yield* Effect.flatMap(EventDelivery.Outbox, (o) => o.pending("other", 10))
        expect(other.length).toBe(3)
        expect(yield* Effect.flatMap(EventDelivery.Outbox, (o) => o.pending("hook", 10))).toEqual([])
      }).pipe(Effect.provide(layer()))
    )

    it.effect(
      "prune: old entries every subscriber delivered go, with their delivery rows; the rest stay",
      () =>
        Effect.gen(function* () {
          const repo = yield* CaseRepository
          const sql = yield* SqlClient.SqlClient
          const DAY = 24 * 60 * MINUTE
          // two old cases (3 events each) and a recent one
          yield* repo.append({
            caseId: Case.CaseId.make("pr-1"),
            expectedVersion: 0,
            events: opened("pr-1", T0)
          })
          yield* repo.append({
            caseId: Case.CaseId.make("pr-2"),
            expectedVersion: 0,
            events: opened("pr-2", T0)
          })
          yield* repo.append({
            caseId: Case.CaseId.make("pr-3"),
            expectedVersion: 0,
            events: opened("pr-3", T0 + 10 * DAY)
          })
          yield* TestClock.setTime(T0 + 10 * DAY + 3 * MINUTE)
          const a = recorder("a")
          const b = recorder("b")
          // a has everything; b everything but pr-2 (down while it ran)
          yield* EventDelivery.deliverOnce([a.subscriber, b.subscriber])
          yield* sql`DELETE FROM cg_outbox_deliveries WHERE subscriber_id = 'b' AND event_id LIKE 'pr-2:%'`
          // a delivery row of a subscriber no longer configured goes with its entry
          yield* sql`INSERT INTO cg_outbox_deliveries (subscriber_id, event_id, attempts, next_attempt_at, delivered_at)
          VALUES ('gone', 'pr-1:1', 1, 0, 0)`
          const prune = (ids: ReadonlyArray<string>, options: EventDelivery.PruneOptions) =>
            EventDelivery.pruneOnce(ids, options)
          // batches of 2, 7-day retention: pr-1's three events over two runs; pr-2 (b lacks it) and pr-3 (recent) stay
          expect(yield* prune(["a", "b"], { batchSize: 2 })).toBe(2)
          expect(yield* prune(["a", "b"], { batchSize: 2 })).toBe(1)
          expect(yield* prune(["a", "b"], { batchSize: 2 })).toBe(0)
          const left = yield* outboxIds
          expect(left).toEqual(["pr-2:1", "pr-2:2", "pr-2:3", "pr-3:1", "pr-3:2", "pr-3:3"])
          const rows = yield* sql<{ readonly event_id: string }>`SELECT event_id FROM cg_outbox_deliveries`
          expect(rows.some((r) => r.event_id.startsWith("pr-1:"))).toBe(false)
          // nothing pending changed for anyone: b still gets pr-2
          const pending = yield* Effect.flatMap(EventDelivery.Outbox, (o) => o.pending("b", 10))
          expect(pending.map((p) => p.id)).toEqual(["pr-2:1", "pr-2:2", "pr-2:3"])
          // a has delivered pr-2, so pruning for a alone takes it; pr-3 is inside the retention
          expect(yield* prune(["a"], {})).toBe(3)
          // with nobody subscribed, everything older than the retention goes
          expect(yield* prune([], { retention: "0 millis" })).toBe(3)
          expect(yield* outboxIds).toEqual([])
        }).pipe(Effect.provide(layer()))
    )

    it.effect(
      "appends from many fibers, delivered while they commit: every event reaches the subscriber",
      () =>
        Effect.gen(function* () {
          const repo = yield* CaseRepository
          const hook = recorder("hook")
          const cases = 24
          const appending = yield* Effect.fork(
            Effect.forEach(
              Array.from({ length: cases }, (_, k) => k),
              (k) => {
                const caseId = `cc-${String(k).padStart(3, "0")}`
                const all = history([
                  report(caseId, { at: T0 + k }),
                  accept(caseId, T0 + k + MINUTE),
                  dispatch(caseId, T0 + k + 2 * MINUTE),
                  handle(caseId, T0 + k + 3 * MINUTE)
                ])
                return repo
                  .append({ caseId: Case.CaseId.make(caseId), expectedVersion: 0, events: all.slice(0, 3) })
                  .pipe(
                    Effect.zipRight(
                      repo.append({
                        caseId: Case.CaseId.make(caseId),
                        expectedVersion: 3,
                        events: all.slice(3)
                      })
                    )
                  )
              },
              { concurrency: 8, discard: true }
            )
          )
          // deliver in small batches while the appends commit
          while (Option.isNone(yield* Fiber.poll(appending))) {
            yield* EventDelivery.deliverOnce([hook.subscriber], { batchSize: 3 })
            yield* Effect.yieldNow()
          }
          yield* Fiber.join(appending)
          for (let round = 0; round < 1000; round++) {
            const report = yield* EventDelivery.deliverOnce([hook.subscriber], { batchSize: 7 })
            if (report.delivered === 0) break
          }
          const ids = yield* outboxIds
          expect(ids.length).toBe(cases * 4)
          expect(new Set(hook.received)).toEqual(new Set(ids))
          expect(hook.received.length).toBe(ids.length)
          // per case in order
          for (let k = 0; k < cases; k++) {
            const caseId = `cc-${String(k).padStart(3, "0")}`
            expect(hook.received.filter((id) => id.startsWith(`${caseId}:`))).toEqual(
              [1, 2, 3, 4].map((n) => `${caseId}:${n}`)
            )
          }
        }).pipe(Effect.provide(layer())),
      60_000
    )
  })
}
