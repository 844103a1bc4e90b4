/**
 * 消息队列投递 — `JetStream.subscriber` against a NATS server with JetStream
 * (`CIVICGRID_NATS_URL`): stored events land in the stream in per-case order
 * with their headers and decodable payloads; a republished event is dropped
 * by JetStream's deduplication (`Nats-Msg-Id`); an unreachable broker is a
 * recorded `DeliveryFailed` with back-off, and the events go out once it is
 * back; a bad option or an unreachable server at start is a `JetStreamError`.
 */
import { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as EventDelivery from "@civicgrid/core/EventDelivery"
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Nats from "../src/internal/nats.js"
import * as JetStream from "../src/JetStream.js"
import { fixture, makeProxy, natsUrl, type Stored } from "./support.js"

const decodeEvent = Schema.decodeUnknownSync(CaseEvent)

const sample = (cases: number, seed: number) => {
  const [histories] = fc.sample(CaseHistory.histories({ cases: { min: cases, max: cases } }), {
    numRuns: 1,
    seed
  })
  if (histories === undefined) throw new Error("no sample")
  return histories.events
}

/** Each case's sequences in stream order. */
const perCase = (messages: ReadonlyArray<Stored>): Map<string, Array<number>> => {
  const out = new Map<string, Array<number>>()
  for (const m of messages) {
    const caseId = decodeURIComponent(m.headers[JetStream.headerNames.caseId] ?? "")
    const list = out.get(caseId) ?? []
    list.push(Number(m.headers[JetStream.headerNames.sequence]))
    out.set(caseId, list)
  }
  return out
}

describe("JetStream.subscriber", () => {
  it.scopedLive(
    "stored events arrive in the stream in per-case order, with headers and decodable payloads",
    () =>
      Effect.gen(function* () {
        const { stream, prefix, admin } = yield* fixture
        const events = sample(4, 7)
        expect(events.length).toBeGreaterThan(8)
        const memory = yield* EventDelivery.makeMemoryOutbox
        yield* memory.record(events)
        const nats = yield* JetStream.subscriber({ servers: natsUrl, stream, subjectPrefix: prefix })
        const report = yield* EventDelivery.deliverOnce([nats], { batchSize: 1000 }).pipe(
          Effect.provide(EventDelivery.layerMemory(memory))
        )
        expect(report).toEqual({ delivered: events.length, failed: 0, deferred: 0 })

        const messages = yield* Effect.promise(() => admin.messages(stream))
        expect(messages.length).toBe(events.length)
        const outbox = yield* Ref.get(memory.events)
        const byId = new Map(outbox.map((e) => [e.id, e]))
        for (const m of messages) {
          const id = decodeURIComponent(m.headers[JetStream.headerNames.eventId] ?? "")
          const stored = byId.get(id)
          if (stored === undefined) throw new Error(`unknown event ${id}`)
          expect(m.subject).toBe(`${prefix}.${stored.type}`)
          expect(m.headers[JetStream.headerNames.msgId]).toBe(JetStream.headerValue(id))
          expect(m.headers[JetStream.headerNames.type]).toBe(stored.type)
          expect(m.headers[JetStream.headerNames.sequence]).toBe(String(stored.sequence))
          expect(decodeURIComponent(m.headers[JetStream.headerNames.caseId] ?? "")).toBe(stored.caseId)
          const body = JSON.parse(m.data) as { id: string; caseId: string; sequence: number; event: unknown }
          expect(body.id).toBe(id)
          expect(body.caseId).toBe(stored.caseId)
          expect(body.sequence).toBe(stored.sequence)
          expect(decodeEvent(body.event)).toEqual(stored.event)
        }
        for (const sequences of perCase(messages).values()) {
          expect(sequences).toEqual(sequences.map((_, k) => k + 1))
        }
      })
  )

  it.scopedLive("a republished event is dropped by JetStream (Nats-Msg-Id): the count is unchanged", () =>
    Effect.gen(function* () {
      const { stream, prefix, admin } = yield* fixture
      const events = sample(2, 3)
      const memory = yield* EventDelivery.makeMemoryOutbox
      yield* memory.record(events)
      const nats = yield* JetStream.subscriber({ servers: natsUrl, stream, subjectPrefix: prefix })
      const delivered = yield* EventDelivery.deliverOnce([nats]).pipe(
        Effect.provide(EventDelivery.layerMemory(memory))
      )
      expect(delivered.delivered).toBe(events.length)
      const before = yield* Effect.promise(() => admin.count(stream))
      expect(before).toBe(events.length)

      // a worker that died before marking them delivers them all again: accepted, nothing stored
      yield* Ref.set(memory.deliveries, new Map())
      const again = yield* EventDelivery.deliverOnce([nats]).pipe(
        Effect.provide(EventDelivery.layerMemory(memory))
      )
      expect(again).toEqual({ delivered: events.length, failed: 0, deferred: 0 })
      expect(yield* Effect.promise(() => admin.count(stream))).toBe(before)

      // the acknowledgement says so
      const [first] = yield* Ref.get(memory.events)
      if (first === undefined) throw new Error("no event")
      const connection = yield* Effect.acquireRelease(
        Effect.promise(() =>
          Nats.open({ servers: [natsUrl], name: "test", timeout: 2000, reconnectWait: 100 })
        ),
        (c) => Effect.promise(() => Nats.close(c, 1000))
      )
      const headers = JetStream.messageHeaders(first)
      const ack = yield* Effect.promise(() =>
        Nats.publish(connection, {
          subject: JetStream.subject(prefix, first.type),
          data: JetStream.payload(first),
          msgId: headers[JetStream.headerNames.msgId] ?? "",
          headers,
          stream,
          timeout: 2000
        })
      )
      expect(ack.duplicate).toBe(true)
      expect(ack.seq).toBe(1)
      expect(yield* Effect.promise(() => admin.count(stream))).toBe(before)
    })
  )

  it.scopedLive(
    "broker unreachable: DeliveryFailed recorded with back-off; delivered once it is back, each event once",
    () =>
      Effect.gen(function* () {
        const { stream, prefix, admin } = yield* fixture
        const proxy = yield* Effect.acquireRelease(
          Effect.promise(() => makeProxy()),
          (p) => Effect.promise(() => p.close())
        )
        const events = sample(3, 11)
        const memory = yield* EventDelivery.makeMemoryOutbox
        yield* memory.record(events)
        const outbox = EventDelivery.layerMemory(memory)
        const nats = yield* JetStream.subscriber({
          servers: proxy.url,
          stream,
          subjectPrefix: prefix,
          timeout: "400 millis",
          reconnectWait: "50 millis"
        })
        yield* Effect.promise(() => proxy.cut())
        const before = Date.now()
        const down = yield* EventDelivery.deliverOnce([nats], { base: "2 seconds" }).pipe(
          Effect.provide(outbox)
        )
        // one failure per case (a failing event holds back its case's later ones)
        expect(down.failed).toBe(new Set(events.map((e) => e.caseId)).size)
        expect(down.delivered).toBe(0)
        const rows = [...(yield* Ref.get(memory.deliveries)).values()]
        expect(rows.length).toBe(down.failed)
        for (const row of rows) {
          expect(row.attempts).toBe(1)
          expect(row.deliveredAt).toBeUndefined()
          expect(row.error ?? "").not.toBe("")
          expect(row.nextAttemptAt).toBeGreaterThanOrEqual(before + 2000)
        }
        // within the back-off nothing is tried
        const waiting = yield* EventDelivery.deliverOnce([nats], { base: "2 seconds" }).pipe(
          Effect.provide(outbox)
        )
        expect(waiting.failed + waiting.delivered).toBe(0)

        yield* Effect.promise(() => proxy.restore())
        let rounds = 0
        while (rounds++ < 100) {
          yield* Effect.sleep("100 millis")
          yield* EventDelivery.deliverOnce([nats], { base: "2 seconds" }).pipe(Effect.provide(outbox))
          const pending = yield* EventDelivery.makeMemory(memory).pending(nats.id, 1000)
          if (pending.length === 0) break
        }
        const messages = yield* Effect.promise(() => admin.messages(stream))
        expect(messages.length).toBe(events.length)
        expect(new Set(messages.map((m) => m.headers[JetStream.headerNames.msgId])).size).toBe(events.length)
        for (const sequences of perCase(messages).values()) {
          expect(sequences).toEqual(sequences.map((_, k) => k + 1))
        }
      }),
    30_000
  )

  it.scopedLive("an unreachable server or a bad option at start is a JetStreamError naming it", () =>
    Effect.gen(function* () {
      const unreachable = yield* Effect.flip(
        JetStream.subscriber({ servers: "nats://127.0.0.1:1", timeout: "500 millis" })
      )
      expect(unreachable.operation).toBe("connect")
      expect(unreachable.message).toMatch(
        /^无法连接消息队列 cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/
      )
      const bad = yield* Effect.flip(JetStream.subscriber({ servers: natsUrl, subjectPrefix: "civicgrid.*" }))
      expect(bad.operation).toBe("options")
      expect(bad.field).toBe("subjectPrefix")
      const badStream = yield* Effect.flip(JetStream.subscriber({ servers: natsUrl, stream: "a.b" }))
      expect(badStream.field).toBe("stream")
    })
  )

  it.scopedLive(
    "an existing stream gets the prefix's subjects added; one that captures them is left alone",
    () =>
      Effect.gen(function* () {
        const { stream, prefix, admin } = yield* fixture
        yield* JetStream.subscriber({ servers: natsUrl, stream, subjectPrefix: `${prefix}.a` })
        yield* JetStream.subscriber({ servers: natsUrl, stream, subjectPrefix: `${prefix}.b` })
        yield* JetStream.subscriber({ servers: natsUrl, stream, subjectPrefix: `${prefix}.a.x` })
        const connection = yield* Effect.acquireRelease(
          Effect.promise(() =>
            Nats.open({ servers: [natsUrl], name: "test", timeout: 2000, reconnectWait: 100 })
          ),
          (c) => Effect.promise(() => Nats.close(c, 1000))
        )
        const outcome = yield* Effect.promise(() =>
          Nats.ensureStream(connection, {
            name: stream,
            prefix: `${prefix}.a.y`,
            duplicateWindowNanos: 1e9,
            timeout: 2000
          })
        )
        expect(outcome).toBe("present")
        expect(yield* Effect.promise(() => admin.count(stream))).toBe(0)
      })
  )
})

describe("JetStream encoding", () => {
  it.prop(
    "a header value is visible ASCII and decodes to the text",
    [fc.string({ unit: "grapheme", maxLength: 40 })],
    ([text]) => {
      const value = JetStream.headerValue(text)
      expect(value).toMatch(/^[\x21-\x7e]*$/)
      expect(decodeURIComponent(value)).toBe(text)
    }
  )

  it("a subject filter covers a prefix when its tokens match and it ends in >", () => {
    expect(Nats.covers("civicgrid.cases.>", "civicgrid.cases")).toBe(true)
    expect(Nats.covers("civicgrid.>", "civicgrid.cases")).toBe(true)
    expect(Nats.covers("*.cases.>", "civicgrid.cases")).toBe(true)
    expect(Nats.covers(">", "civicgrid.cases")).toBe(true)
    expect(Nats.covers("civicgrid.cases.*", "civicgrid.cases")).toBe(false)
    expect(Nats.covers("civicgrid.cases.x.>", "civicgrid.cases")).toBe(false)
    expect(Nats.covers("other.>", "civicgrid.cases")).toBe(false)
  })
})
