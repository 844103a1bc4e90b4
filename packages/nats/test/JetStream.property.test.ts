/**
 * 消息队列投递 — over random event batches, delivery runs and workers killed
 * between a publish and its mark (the event is republished by the next run),
 * every committed event is in the stream exactly once (JetStream drops the
 * republished ones by `Nats-Msg-Id`), each case's events in sequence order.
 */
import * as EventDelivery from "@civicgrid/core/EventDelivery"
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as JetStream from "../src/JetStream.js"
import { fixture, natsUrl } from "./support.js"

type Step =
  | { readonly _tag: "append"; readonly count: number }
  | { readonly _tag: "deliver"; readonly killAfter: number | undefined }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ _tag: fc.constant("append" as const), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    _tag: fc.constant("deliver" as const),
    killAfter: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined })
  })
)

describe("JetStream delivery — property", () => {
  it.live(
    "random batches, runs and kills: every committed event in the stream exactly once, in per-case order",
    () => {
      let republishedInAll = 0
      return Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            CaseHistory.histories({ cases: { min: 1, max: 4 } }),
            fc.array(step, { minLength: 1, maxLength: 12 }),
            fc.integer({ min: 1, max: 6 }),
            (histories, steps, batchSize) =>
              Effect.runPromise(
                Effect.scoped(
                  Effect.gen(function* () {
                    const { stream, prefix, admin } = yield* fixture
                    const memory = yield* EventDelivery.makeMemoryOutbox
                    const outbox = EventDelivery.layerMemory(memory)
                    const nats = yield* JetStream.subscriber({
                      servers: natsUrl,
                      stream,
                      subjectPrefix: prefix
                    })
                    let budget = Number.POSITIVE_INFINITY
                    let republished = 0
                    const published = new Set<string>()
                    // killed: the stream has the event, the worker dies before marking it delivered
                    const killable: EventDelivery.Subscriber = {
                      ...nats,
                      deliver: (event) =>
                        nats.deliver(event).pipe(
                          Effect.zipRight(
                            Effect.suspend(() => {
                              if (published.has(event.id)) republished++
                              published.add(event.id)
                              return budget-- <= 0 ? Effect.interrupt : Effect.void
                            })
                          )
                        )
                    }
                    const queue = [...histories.events]
                    const run = (killAfter: number | undefined) =>
                      Effect.gen(function* () {
                        budget = killAfter ?? Number.POSITIVE_INFINITY
                        yield* Effect.exit(
                          EventDelivery.deliverOnce([killable], { batchSize }).pipe(Effect.provide(outbox))
                        )
                        budget = Number.POSITIVE_INFINITY
                      })
                    for (const s of steps) {
                      if (s._tag === "append") yield* memory.record(queue.splice(0, s.count))
                      else yield* run(s.killAfter)
                    }
                    yield* memory.record(queue)
                    for (let k = 0; k < 1000; k++) {
                      const pending = yield* EventDelivery.makeMemory(memory).pending(nats.id, 1)
                      if (pending.length === 0) break
                      yield* run(undefined)
                    }

                    const messages = yield* Effect.promise(() => admin.messages(stream))
                    const ids = messages.map((m) =>
                      decodeURIComponent(m.headers[JetStream.headerNames.eventId] ?? "")
                    )
                    const committed = histories.events.map((e) => EventDelivery.eventId(e.caseId, e.sequence))
                    expect([...ids].sort()).toEqual([...committed].sort())
                    expect(new Set(ids).size).toBe(ids.length)
                    const perCase = new Map<string, Array<number>>()
                    for (const m of messages) {
                      const caseId = decodeURIComponent(m.headers[JetStream.headerNames.caseId] ?? "")
                      perCase.set(caseId, [
                        ...(perCase.get(caseId) ?? []),
                        Number(m.headers[JetStream.headerNames.sequence])
                      ])
                    }
                    for (const sequences of perCase.values()) {
                      expect(sequences).toEqual(sequences.map((_, k) => k + 1))
                    }
                    return republished
                  })
                )
              ).then((republished) => {
                republishedInAll += republished
                return true
              })
          ),
          { numRuns: 6, seed: 42 }
        )
      ).pipe(
        // the kills did republish events (which the stream dropped)
        Effect.andThen(() => expect(republishedInAll).toBeGreaterThan(0))
      )
    },
    60_000
  )
})
