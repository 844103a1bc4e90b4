/**
 * 事件投递 — the delivery worker over the memory outbox: any interleaving of
 * appends, delivery runs, failing and recovering subscribers, single failed
 * attempts, workers killed
 * mid-delivery (after the receiver got an event, before it was marked) and
 * clock steps delivers — once everything recovers — every appended event at
 * least once to every subscriber, each case's events in sequence order (an
 * event is received only after its predecessor was), none lost. Plus the
 * back-off's shape. Pruning removes exactly the entries older than the
 * retention that every subscriber delivered (oldest first, at most a batch)
 * and never changes what any subscriber still has pending.
 */
import * as EventDelivery from "@civicgrid/core/EventDelivery"
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as fc from "effect/FastCheck"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"

type Op =
  | { readonly _tag: "append"; readonly count: number }
  | { readonly _tag: "deliver" }
  | { readonly _tag: "toggle"; readonly subscriber: number }
  | { readonly _tag: "kill"; readonly after: number }
  | { readonly _tag: "flaky"; readonly count: number }
  | { readonly _tag: "advance"; readonly seconds: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ _tag: fc.constant("append" as const), count: fc.integer({ min: 1, max: 6 }) }),
  fc.constant({ _tag: "deliver" as const }),
  fc.record({ _tag: fc.constant("toggle" as const), subscriber: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ _tag: fc.constant("kill" as const), after: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ _tag: fc.constant("flaky" as const), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ _tag: fc.constant("advance" as const), seconds: fc.integer({ min: 0, max: 120 }) })
)

interface Receipt {
  readonly subscriber: string
  readonly caseId: string
  readonly sequence: number
}

describe("EventDelivery.deliverOnce", () => {
  it.effect.prop(
    "appends, deliveries, failures and kills in any order: every event delivered at least once, in per-case order",
    [
      CaseHistory.histories({ cases: { min: 1, max: 4 } }),
      fc.array(op, { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 5 })
    ],
    ([histories, ops, batchSize]) =>
      Effect.gen(function* () {
        const memory = yield* EventDelivery.makeMemoryOutbox
        const outbox = EventDelivery.layerMemory(memory)
        const queue = [...histories.events]
        const appended: Array<Receipt> = []
        const receipts: Array<Receipt> = []
        const failing = [false, false]
        let budget = Number.POSITIVE_INFINITY
        // the next `flaky` calls fail, whoever the subscriber (then it answers again)
        let flaky = 0
        const subscribers = ["hook-a", "hook-b"].map(
          (id, k): EventDelivery.Subscriber => ({
            id,
            kind: "test",
            config: {},
            deliver: (event) =>
              Effect.suspend(() => {
                if (failing[k] === true || flaky-- > 0) {
                  return Effect.fail(
                    new EventDelivery.DeliveryFailed({ subscriberId: id, eventId: event.id, reason: "down" })
                  )
                }
                receipts.push({ subscriber: id, caseId: event.caseId, sequence: event.sequence })
                // killed: the receiver has the event, the worker dies before marking it
                if (budget-- <= 0) return Effect.interrupt
                return Effect.void
              })
          })
        )
        const run = (options: { readonly killAfter?: number } = {}) =>
          Effect.gen(function* () {
            budget = options.killAfter ?? Number.POSITIVE_INFINITY
            const exit = yield* Effect.exit(
              EventDelivery.deliverOnce(subscribers, { batchSize }).pipe(Effect.provide(outbox))
            )
            budget = Number.POSITIVE_INFINITY
            if (Exit.isFailure(exit) && options.killAfter === undefined) return yield* exit
          })

        for (const step of ops) {
          switch (step._tag) {
            case "append": {
              const events = queue.splice(0, step.count)
              yield* memory.record(events)
              for (const e of events)
                appended.push({ subscriber: "", caseId: e.caseId, sequence: e.sequence })
              break
            }
            case "deliver":
              yield* run()
              break
            case "toggle":
              failing[step.subscriber] = !failing[step.subscriber]
              break
            case "flaky":
              flaky = step.count
              break
            case "kill":
              yield* run({ killAfter: step.after })
              break
            case "advance":
              yield* TestClock.adjust(`${step.seconds} seconds`)
              break
          }
        }
        // everything recovers: the rest is appended, the subscribers answer, the back-offs pass
        yield* memory.record(queue)
        for (const e of queue) appended.push({ subscriber: "", caseId: e.caseId, sequence: e.sequence })
        failing[0] = false
        failing[1] = false
        flaky = 0
        for (let round = 0; round < 10_000; round++) {
          yield* TestClock.adjust("1 hour")
          yield* run()
          const left = yield* Effect.all(
            subscribers.map((s) =>
              EventDelivery.makeMemory(memory)
                .pending(s.id, 1)
                .pipe(Effect.map((p) => p.length))
            )
          )
          if (left.every((n) => n === 0)) break
        }

        for (const s of subscribers) {
          const got = receipts.filter((r) => r.subscriber === s.id)
          const seen = new Set(got.map((r) => `${r.caseId}:${r.sequence}`))
          // none lost: every appended event reached this subscriber
          for (const e of appended) expect(seen.has(`${e.caseId}:${e.sequence}`)).toBe(true)
          // nothing not appended
          expect(seen.size).toBe(appended.length)
          // per-case order: an event arrives only after its predecessor arrived
          const arrived = new Set<string>()
          for (const r of got) {
            if (r.sequence > 1) expect(arrived.has(`${r.caseId}:${r.sequence - 1}`)).toBe(true)
            arrived.add(`${r.caseId}:${r.sequence}`)
          }
        }
      }),
    { fastCheck: { numRuns: 60 } }
  )

  it.effect.prop(
    "prune removes exactly the old entries every subscriber delivered, oldest first, and no pending event",
    [
      CaseHistory.histories({ cases: { min: 1, max: 4 } }),
      fc.array(fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }), { minLength: 40, maxLength: 40 }),
      fc.integer({ min: 1, max: 50 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.boolean()
    ],
    ([histories, marks, limit, cut, nobody]) =>
      Effect.gen(function* () {
        const memory = yield* EventDelivery.makeMemoryOutbox
        const outbox = EventDelivery.makeMemory(memory)
        yield* memory.record(histories.events)
        const ids = nobody ? [] : ["a", "b"]
        const events = yield* Ref.get(memory.events)
        // mark a random subset delivered to each subscriber
        for (const [k, event] of events.entries()) {
          const mark = marks[k % marks.length] ?? [false, false]
          for (const [j, id] of ["a", "b"].entries())
            if (mark[j] === true) yield* outbox.delivered(id, event.id, 0)
        }
        const times = events.map((e) => DateTime.toEpochMillis(e.at))
        const lo = Math.min(...times)
        const hi = Math.max(...times)
        const before = Math.floor(lo + (hi - lo + 1) * cut)
        const pendingBefore = yield* Effect.all(["a", "b"].map((id) => outbox.pending(id, 10_000)))
        const delivered = new Set(
          [...(yield* Ref.get(memory.deliveries)).values()]
            .filter((row) => row.deliveredAt !== undefined)
            .map((row) => JSON.stringify([row.subscriberId, row.eventId]))
        )
        const eligible = [...events]
          .sort(
            (x, y) => DateTime.toEpochMillis(x.at) - DateTime.toEpochMillis(y.at) || x.position - y.position
          )
          .filter(
            (e) =>
              DateTime.toEpochMillis(e.at) < before &&
              ids.every((id) => delivered.has(JSON.stringify([id, e.id])))
          )
        const removed = yield* outbox.prune(ids, before, limit)
        expect(removed).toBe(Math.min(limit, eligible.length))
        const left = new Set((yield* Ref.get(memory.events)).map((e) => e.id))
        // the oldest eligible entries went, nothing else
        expect(new Set(events.filter((e) => !left.has(e.id)).map((e) => e.id))).toEqual(
          new Set(eligible.slice(0, removed).map((e) => e.id))
        )
        // no delivery row of a removed entry remains
        for (const row of (yield* Ref.get(memory.deliveries)).values())
          expect(left.has(row.eventId)).toBe(true)
        // pending is unchanged for every subscriber (with subscribers listed)
        if (!nobody) {
          const pendingAfter = yield* Effect.all(["a", "b"].map((id) => outbox.pending(id, 10_000)))
          expect(pendingAfter.map((p) => p.map((e) => e.id))).toEqual(
            pendingBefore.map((p) => p.map((e) => e.id))
          )
        }
      }),
    { fastCheck: { numRuns: 60 } }
  )

  it("back-off doubles from the base and stops at the cap", () => {
    const waits = [1, 2, 3, 4, 12, 13, 100].map((n) =>
      EventDelivery.backoff(n, { base: "1 second", cap: "1 hour" })
    )
    expect(waits).toEqual([1000, 2000, 4000, 8000, 2_048_000, 3_600_000, 3_600_000])
  })
})
