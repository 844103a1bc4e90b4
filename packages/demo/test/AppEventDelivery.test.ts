/**
 * 事件投递 in the example server: the app, seeded with a small demo district,
 * configured with a signed webhook, a NATS JetStream stream and notifications
 * written to its log, delivers by itself — every stored event reaches the
 * webhook (each request correctly signed) and the stream (once each, by the
 * stream's deduplication), and every dispatch in the seed's histories gives
 * one notification line naming its handler; a supervision made over HTTP
 * afterwards reaches all three. Delivered entries older than the retention
 * are then pruned from the outbox by the scheduler (the events stay stored).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import * as Case from "@civicgrid/core/Case"
import * as Webhook from "@civicgrid/http/Webhook"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as App from "../src/App.js"
import * as District from "../src/District.js"
import type * as Seed from "../src/Seed.js"

const natsUrl = process.env["CIVICGRID_NATS_URL"] ?? "nats://127.0.0.1:4222"
const secret = Redacted.make("app-delivery-secret")
const small: Seed.Options = { district: District.makeDefault(), cases: { count: 40 } }

interface Received {
  readonly eventId: string
  readonly type: string
  readonly verified: boolean
}

/** A local webhook receiver: verifies each request's signature and answers 204. */
const receiver = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly received: Array<Received>; readonly close: () => void }>(
    (resume) => {
      const received: Array<Received> = []
      const server = createServer((request: IncomingMessage, response: ServerResponse) => {
        const chunks: Array<Buffer> = []
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8")
          const checked = Webhook.verify(secret, request.headers, body, { now: Date.now() })
          const parsed = JSON.parse(body) as { readonly id: string; readonly type: string }
          received.push({ eventId: parsed.id, type: parsed.type, verified: Either.isRight(checked) })
          response.statusCode = 204
          response.end()
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(
          Effect.succeed({ url: `http://127.0.0.1:${port}/hook`, received, close: () => server.close() })
        )
      })
    }
  ),
  (r) => Effect.sync(r.close)
)

/** The stream's messages (event ids from the civicgrid header) and the stream deleted at the end. */
const natsAdmin = (stream: string) =>
  Effect.acquireRelease(
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
  ).pipe(
    Effect.map(({ jsm }) => ({
      eventIds: () =>
        Effect.promise(async () => {
          const info = await jsm.streams.info(stream).catch(() => undefined)
          if (info === undefined || info.state.messages === 0) return [] as Array<string>
          const out: Array<string> = []
          for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
            const m = await jsm.streams.getMessage(stream, { seq })
            if (m !== null) out.push(decodeURIComponent(m.header?.get("Civicgrid-Event-Id") ?? ""))
          }
          return out
        })
    }))
  )

/** The stored case events (the event store, not the outbox: pruning empties the outbox). */
const storedEvents = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) =>
    sql<{ readonly case_id: string; readonly sequence: unknown; readonly tag: string }>`
    SELECT case_id, sequence, tag FROM cg_case_events ORDER BY case_id, sequence`
).pipe(
  Effect.map((rows) =>
    rows.map((row) => ({ event_id: `${row.case_id}:${Number(row.sequence)}`, tag: row.tag }))
  ),
  Effect.orDie
)

/** Outbox entries older than `days` days. */
const olderThan = (days: number) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{
        readonly n: unknown
      }>`SELECT COUNT(*) AS n FROM cg_outbox WHERE at < ${Date.now() - days * 86_400_000}`
  ).pipe(
    Effect.map((rows) => Number(rows[0]?.n ?? -1)),
    Effect.orDie
  )

const undelivered = (subscriberId: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ readonly n: unknown }>`
      SELECT COUNT(*) AS n FROM cg_outbox o
      WHERE NOT EXISTS (SELECT 1 FROM cg_outbox_deliveries d
        WHERE d.subscriber_id = ${subscriberId} AND d.event_id = o.event_id AND d.delivered_at IS NOT NULL)`
  ).pipe(
    Effect.map((rows) => Number(rows[0]?.n ?? -1)),
    Effect.orDie
  )

/** Polls `check` (every 100 ms, at most `seconds`) until it holds. */
const eventually = <E, R>(check: Effect.Effect<boolean, E, R>, seconds = 30) =>
  Effect.gen(function* () {
    for (let k = 0; k < seconds * 10; k++) {
      if (yield* check) return true
      yield* Effect.sleep("100 millis")
    }
    return false
  })

describe("the example server delivers events by itself", () => {
  it.live(
    "webhook, NATS JetStream and log notifications: every stored event, and a supervision made afterwards",
    () =>
      Effect.gen(function* () {
        const hook = yield* receiver
        const unique = `${Date.now().toString(36)}${process.pid.toString(36)}`.toUpperCase()
        const stream = `CGAPP_${unique}`
        const nats = yield* natsAdmin(stream)
        const lines: Array<string> = []
        const app = App.layer({
          log: (line) => lines.push(line),
          databaseName: "SQLite :memory:",
          seed: small,
          webhooks: [{ id: "hook", url: hook.url, secret }],
          nats: [{ id: "stream", servers: natsUrl, stream, subjectPrefix: `cgapp.${unique.toLowerCase()}` }],
          notifications: true,
          eventDelivery: { interval: "100 millis" },
          scheduler: { interval: "1 second" }
        })
        const context = yield* Layer.build(
          app.pipe(
            Layer.provideMerge(NodeHttpServer.layerTest),
            Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
            Layer.orDie
          )
        )
        yield* Effect.gen(function* () {
          const stored = yield* storedEvents
          expect(stored.length).toBeGreaterThan(12)
          const done = Effect.map(
            Effect.all([undelivered("hook"), undelivered("stream"), undelivered(App.notificationsId)]),
            (left) => left.every((n) => n === 0)
          )
          expect(yield* eventually(done)).toBe(true)

          // the webhook: every stored event, each request signed
          const ids = stored.map((row) => row.event_id)
          expect(new Set(hook.received.map((r) => r.eventId))).toEqual(new Set(ids))
          expect(hook.received.every((r) => r.verified)).toBe(true)
          // the stream: every stored event exactly once
          const published = yield* nats.eventIds()
          expect([...published].sort()).toEqual([...ids].sort())
          // notifications: one line per dispatch in the histories, naming the dispatch's case
          const dispatched = stored.filter((row) => row.tag === "Dispatched")
          expect(dispatched.length).toBeGreaterThan(0)
          const dispatchLines = lines.filter((line) => line.includes("[dispatched]"))
          expect(dispatchLines.length).toBe(dispatched.length)
          for (const row of dispatched) {
            const caseId = row.event_id.slice(0, row.event_id.lastIndexOf(":"))
            expect(dispatchLines.some((line) => line.includes(`case ${caseId} `))).toBe(true)
          }

          // a supervision over HTTP reaches the webhook, the stream and the log
          const http = yield* HttpClient.HttpClient
          const listed = yield* http
            .get("/cases?limit=100", { headers: { authorization: "Bearer demo-district-staff" } })
            .pipe(Effect.flatMap((r) => r.json))
          const items = (
            listed as { readonly items: ReadonlyArray<{ readonly caseId: string; readonly status: string }> }
          ).items
          const open = items.find((c) => Case.isOpen(c.status as Case.Status))
          if (open === undefined) return yield* Effect.dieMessage("the seed has no open case")
          const response = yield* HttpClientRequest.post(
            `/cases/${encodeURIComponent(open.caseId)}/supervise`
          ).pipe(
            HttpClientRequest.setHeader("authorization", "Bearer demo-district-staff"),
            HttpClientRequest.bodyUnsafeJson({ level: "supervise", note: "限期办结" }),
            http.execute
          )
          expect(`${response.status} ${yield* response.text}`).toMatch(/^200 /)
          const arrived = Effect.gen(function* () {
            const inStream = yield* nats.eventIds()
            return (
              hook.received.some((r) => r.type === "Supervised") &&
              inStream.length === ids.length + 1 &&
              lines.some((line) => line.includes("[supervised]") && line.includes(`case ${open.caseId} `))
            )
          })
          expect(yield* eventually(arrived)).toBe(true)

          // pruning (the scheduler): delivered to all three and older than the 7-day retention — gone
          // from the outbox; the seed's year of history has such entries
          const oldEvents = yield* Effect.flatMap(
            SqlClient.SqlClient,
            (sql) =>
              sql<{
                readonly n: unknown
              }>`SELECT COUNT(*) AS n FROM cg_case_events WHERE at < ${Date.now() - 7 * 86_400_000}`
          ).pipe(Effect.orDie)
          expect(Number(oldEvents[0]?.n)).toBeGreaterThan(0)
          expect(yield* eventually(Effect.map(olderThan(7), (n) => n === 0))).toBe(true)
          expect((yield* storedEvents).length).toBe(ids.length + 1)
        }).pipe(Effect.provide(context))
      }).pipe(Effect.scoped),
    90_000
  )
})
