/**
 * docs/guides/event-delivery.md — an adopter's own delivery: the guide's
 * worker (a signed webhook, a NATS JetStream stream and text messages through
 * a Notifier of its own, on two schedulers over the SQL outbox) runs against
 * a SQLite database holding the events of a few cases, the guide's receiver
 * behind the webhook. Every stored event is accepted once by the receiver
 * (redeliveries are duplicates), lands once in the stream, and each dispatch
 * sends a text message to the handler's duty phone. The receiver refuses a
 * forged signature and a stale timestamp.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as Webhook from "@civicgrid/http/Webhook"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Receiver from "../guides/snippets/event-delivery/receiver.js"
import * as Worker from "../guides/snippets/event-delivery/worker.js"

const natsUrl = process.env["CIVICGRID_NATS_URL"] ?? "nats://127.0.0.1:4222"
const secret = Redacted.make("guide-secret")

describe("the event-delivery guide", () => {
  it("the receiver: a signed event accepted once, then a duplicate; a forged or stale one rejected", () => {
    const receiver = Receiver.makeReceiver(secret)
    const body = JSON.stringify({ id: "c-1:1", type: "Reported" })
    const now = Date.UTC(2026, 11, 6, 8, 0)
    const headers = Webhook.signedHeaders(secret, "c-1:1", Math.floor(now / 1000), body)
    expect(receiver.receive(headers, body, now)).toEqual({
      _tag: "Accepted",
      eventId: "c-1:1",
      type: "Reported"
    })
    expect(receiver.receive(headers, body, now + 1000)).toEqual({ _tag: "Duplicate", eventId: "c-1:1" })
    const forged = Webhook.signedHeaders(
      Redacted.make("not-the-secret"),
      "c-1:2",
      Math.floor(now / 1000),
      body
    )
    expect(receiver.receive(forged, body, now)._tag).toBe("Rejected")
    expect(receiver.receive(headers, body, now + 10 * 60_000)._tag).toBe("Rejected")
  })

  it.live(
    "the worker delivers every stored event to the webhook, the stream and the duty phones of each dispatch",
    () =>
      Effect.gen(function* () {
        const unique = `${Date.now().toString(36)}${process.pid.toString(36)}`.toUpperCase()
        const stream = `CGGUIDE_${unique}`
        // the guide's receiver behind a local HTTP server
        const receiver = Receiver.makeReceiver(secret)
        const outcomes: Array<Receiver.Outcome> = []
        const server = yield* Effect.acquireRelease(
          Effect.async<ReturnType<typeof createServer>>((resume) => {
            const s = createServer((request, response) => {
              const chunks: Array<Buffer> = []
              request.on("data", (c: Buffer) => chunks.push(c))
              request.on("end", () => {
                const outcome = receiver.receive(request.headers, Buffer.concat(chunks).toString("utf8"))
                outcomes.push(outcome)
                response.statusCode = outcome._tag === "Rejected" ? 401 : 204
                response.end()
              })
            })
            s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
          }),
          (s) => Effect.sync(() => s.close())
        )
        const { port } = server.address() as AddressInfo
        const jsm = yield* Effect.acquireRelease(
          Effect.promise(async () => {
            const nc = await connect({ servers: natsUrl })
            return { nc, jsm: await jetstreamManager(nc) }
          }),
          ({ nc, jsm }) =>
            Effect.promise(() =>
              jsm.streams
                .delete(stream)
                .catch(() => false)
                .then(() => nc.close())
            )
        )
        const texts: Array<{ readonly phone: string; readonly id: string }> = []

        const database = Layer.effectDiscard(Migrations.run).pipe(
          Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" }))
        )
        const stores = SqlRepositories.layer().pipe(Layer.provideMerge(database))
        const context = yield* Layer.build(stores)
        yield* Effect.gen(function* () {
          // the events of a few cases, stored
          const [sample] = fc.sample(CaseHistory.histories({ cases: { min: 6, max: 6 } }), {
            numRuns: 1,
            seed: 7
          })
          if (sample === undefined) return yield* Effect.dieMessage("no sample")
          const repo = yield* CaseRepository
          yield* repo.appendAll(
            sample.cases
              .filter((h) => h.events.length > 0)
              .map((h) => ({ caseId: h.caseId, expectedVersion: 0, events: h.events }))
          )
          const stored = sample.cases.flatMap((h) => h.events)
          const ids = stored.map((e) => `${e.caseId}:${e.sequence}`)

          yield* Layer.build(
            Worker.layerDelivery({
              webhook: { url: `http://127.0.0.1:${port}/civicgrid`, secret },
              nats: { servers: natsUrl, stream, subjectPrefix: `cgguide.${unique.toLowerCase()}` },
              sms: {
                phonesOf: (recipient) =>
                  recipient._tag === "Unit" || recipient._tag === "Department" ? ["13800000000"] : [],
                send: async (phone, _text, id) => {
                  texts.push({ phone, id })
                }
              },
              deliveryInterval: "100 millis",
              jobInterval: "1 second"
            })
          )
          const sql = yield* SqlClient.SqlClient
          for (let k = 0; k < 300; k++) {
            const rows = yield* sql<{ readonly n: unknown }>`
              SELECT COUNT(*) AS n FROM cg_outbox o WHERE (SELECT COUNT(*) FROM cg_outbox_deliveries d
                WHERE d.event_id = o.event_id AND d.delivered_at IS NOT NULL) < 3`
            if (Number(rows[0]?.n) === 0) break
            yield* Effect.sleep("100 millis")
          }
          const accepted = outcomes.flatMap((o) => (o._tag === "Accepted" ? [o.eventId] : []))
          expect([...accepted].sort()).toEqual([...ids].sort())
          expect(outcomes.filter((o) => o._tag === "Rejected")).toEqual([])
          const info = yield* Effect.promise(() => jsm.jsm.streams.info(stream))
          expect(info.state.messages).toBe(ids.length)
          // one text per dispatch (its handler is a unit or a department), none for the other events
          const dispatches = stored.filter((e) => e._tag === "Dispatched")
          expect(dispatches.length).toBeGreaterThan(0)
          expect(texts.filter((t) => t.id.includes("dispatched")).length).toBe(dispatches.length)
          expect(texts.every((t) => t.phone === "13800000000")).toBe(true)
        }).pipe(Effect.provide(context))
      }).pipe(Effect.scoped),
    60_000
  )
})
