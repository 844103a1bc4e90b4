/**
 * 会话 over HTTP, on SQLite and PostgreSQL: `GET /me` names the principal's
 * role, unit, jurisdiction and department as far as it may see them;
 * `GET /board/changes` is a stream of server-sent events that says `changed`
 * (a cursor, never a case) when the board of the principal's jurisdiction
 * changes — a report elsewhere says nothing — and is a 404 for a principal
 * without a jurisdiction or a unit outside it, a 401 without a token.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect, it, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import {
  B1,
  C1,
  C3,
  CHENGGUAN,
  D,
  dialects,
  env,
  login,
  principal,
  raw,
  reportAt,
  S1,
  seedDemo
} from "./support/Harness.js"

interface Sse {
  readonly event: string
  readonly id: string | undefined
  readonly data: string | undefined
}

/** Parses server-sent event blocks (comments and `retry:` lines aside). */
const parse = (block: string): Option.Option<Sse> => {
  const fields = new Map<string, string>()
  for (const line of block.split("\n")) {
    const at = line.indexOf(": ")
    if (line.startsWith(":") || at < 0) continue
    fields.set(line.slice(0, at), line.slice(at + 2))
  }
  const event = fields.get("event")
  return event === undefined
    ? Option.none()
    : Option.some({ event, id: fields.get("id"), data: fields.get("data") })
}

/** Opens the board change stream of a token (in the test's scope): its status, type and a queue of its events. */
const subscribe = (token: string, query = "") =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(
      HttpClientRequest.get(`/board/changes${query}`).pipe(
        HttpClientRequest.bearerToken(token),
        HttpClientRequest.setHeader("accept", "text/event-stream")
      )
    )
    const events = yield* Queue.unbounded<Sse>()
    let buffer = ""
    yield* response.stream.pipe(
      Stream.decodeText(),
      Stream.runForEach((text) => {
        buffer += text
        const blocks = buffer.split("\n\n")
        buffer = blocks.pop() ?? ""
        return Effect.forEach(blocks, (block) =>
          Option.match(parse(block), { onNone: () => Effect.void, onSome: (e) => Queue.offer(events, e) })
        )
      }),
      Effect.ignore,
      Effect.forkScoped
    )
    return { status: response.status, type: response.headers["content-type"] ?? "", events }
  })

/** The next event within `ms`, if any. */
const next = (events: Queue.Queue<Sse>, ms: number) =>
  Queue.take(events).pipe(Effect.timeoutOption(`${ms} millis`))

for (const dialect of dialects) {
  it.live(`closing the server ends an open change stream (${dialect.name})`, () =>
    Effect.gen(function* () {
      // the client is Node's own fetch, not the test layer's: only the server can end its connection
      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
      const served = Effect.scoped(
        Effect.gen(function* () {
          const context = yield* Layer.build(
            Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect)))
          )
          return yield* Effect.gen(function* () {
            const staff = yield* login(principal("cs-close", "community-staff", C1))
            // the test server's address, from the URL the test client sends to
            const probe = yield* Effect.flatMap(HttpClient.HttpClient, (c) =>
              Effect.scoped(c.execute(HttpClientRequest.get("/health")))
            ).pipe(Effect.orDie)
            const base = new URL(probe.request.url).origin
            const response = yield* Effect.promise(() =>
              fetch(`${base}/board/changes`, {
                headers: { authorization: `Bearer ${staff.token}`, accept: "text/event-stream" }
              })
            )
            reader = response.body?.getReader()
            const first = yield* Effect.promise(async () => (await reader?.read())?.value)
            return new TextDecoder().decode(first)
          }).pipe(Effect.provide(context))
        })
      )
      // never wait on a shutdown that hangs: the test fails instead
      const started = Date.now()
      const shown = yield* Effect.disconnect(served).pipe(Effect.timeout("10 seconds"), Effect.either)
      // promptly: not after Node's keep-alive timeout (5 s) cut the connection
      expect(Date.now() - started).toBeLessThan(4_000)
      // the stream ended with the server
      const rest = yield* Effect.promise(() => reader?.read() ?? Promise.resolve(undefined)).pipe(
        Effect.map((r) => r?.done),
        Effect.catchAllDefect(() => Effect.succeed("cut")),
        Effect.timeout("5 seconds"),
        Effect.either
      )
      expect(Either.map(shown, (text) => text.includes("event: ready"))).toEqual(Either.right(true))
      expect(rest).toEqual(Either.right(true))
    })
  )

  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(`session on ${dialect.name}`, (it) => {
    it.effect("GET /me: role, unit, jurisdiction and department, as far as the principal may see", () =>
      Effect.gen(function* () {
        const staff = yield* login(principal("cs-me", "community-staff", C1))
        const street = yield* login(principal("ss-me", "street-staff", S1))
        const resident = yield* login(principal("res-me", "resident", B1))
        const bureau = yield* login(principal("dep-me", "department", D, CHENGGUAN))
        const granted = yield* login(principal("dep-granted", "department", D, CHENGGUAN, S1))
        const me = yield* Effect.all([
          staff.client.session.me(),
          street.client.session.me(),
          resident.client.session.me(),
          bureau.client.session.me(),
          granted.client.session.me()
        ])
        expect(me[0]).toEqual({
          id: "cs-me",
          role: "community-staff",
          unit: { id: C1, name: "金沙社区", level: "community" },
          jurisdiction: { id: C1, name: "金沙社区", level: "community" },
          department: null,
          localRole: null
        })
        expect(me[1].jurisdiction).toEqual({ id: S1, name: "青云街道", level: "street" })
        // a resident: its home, no jurisdiction
        expect(me[2]).toEqual({
          id: "res-me",
          role: "resident",
          unit: { id: B1, name: "金沙苑3栋", level: "building" },
          jurisdiction: null,
          department: null,
          localRole: null
        })
        // a department: its seat, its department, a jurisdiction only when granted one
        expect(me[3]).toEqual({
          id: "dep-me",
          role: "department",
          unit: { id: D, name: "盘龙区", level: "district" },
          jurisdiction: null,
          department: { id: CHENGGUAN, name: "城管执法局", nameEn: "Urban Management Enforcement" },
          localRole: null
        })
        expect(me[4].jurisdiction).toEqual({ id: S1, name: "青云街道", level: "street" })
        const anonymous = yield* raw("GET", "/me", undefined)
        expect(anonymous.status).toBe(401)
      })
    )

    it.scoped(
      "GET /board/changes: a cursor when the jurisdiction's board changes, nothing for a report elsewhere",
      () =>
        Effect.gen(function* () {
          const worker = yield* login(principal("gw-sse", "grid-worker", C1))
          const far = yield* login(principal("cs-sse-far", "community-staff", C3))
          const street = yield* login(principal("ss-sse", "street-staff", S1))
          const stream = yield* subscribe(far.token)
          expect(stream.status).toBe(200)
          expect(stream.type).toMatch(/^text\/event-stream/)
          const ready = yield* next(stream.events, 5_000)
          expect(Option.map(ready, (e) => e.event)).toEqual(Option.some("ready"))
          const streetStream = yield* subscribe(street.token)
          expect(Option.map(yield* next(streetStream.events, 5_000), (e) => e.event)).toEqual(
            Option.some("ready")
          )
          // a report in 金沙 (青云街道): the street's board changes, 南华's does not
          yield* worker.client.cases.report({ payload: reportAt(B1), headers: {} })
          const changed = yield* next(streetStream.events, 10_000)
          expect(Option.map(changed, (e) => [e.event, e.id, e.data])).toEqual(
            Option.some(["changed", "1", JSON.stringify({ cursor: 1 })])
          )
          const elsewhere = yield* next(stream.events, 5_000)
          expect(Option.isNone(elsewhere)).toBe(true)
          // a report in 南华: now its board changes
          const local = yield* login(principal("gw-sse-far", "grid-worker", C3))
          yield* local.client.cases.report({ payload: reportAt(C3), headers: {} })
          const mine = yield* next(stream.events, 10_000)
          expect(Option.map(mine, (e) => [e.event, e.data])).toEqual(
            Option.some(["changed", JSON.stringify({ cursor: 1 })])
          )
          // … and 青云's does not
          const second = yield* next(streetStream.events, 5_000)
          expect(Option.isNone(second)).toBe(true)
          const backlog = yield* Queue.takeAll(stream.events)
          expect(Chunk.toReadonlyArray(backlog)).toEqual([])
        })
    )

    it.effect("GET /board/changes: 404 without a jurisdiction or outside it, 401 without a token", () =>
      Effect.gen(function* () {
        const resident = yield* login(principal("res-sse", "resident", B1))
        const bureau = yield* login(principal("dep-sse", "department", D, CHENGGUAN))
        const staff = yield* login(principal("cs-sse", "community-staff", C1))
        const statuses = yield* Effect.all([
          raw("GET", "/board/changes", resident.token),
          raw("GET", "/board/changes", bureau.token),
          raw("GET", `/board/changes?unitId=${C3}`, staff.token),
          raw("GET", "/board/changes?unitId=nowhere", staff.token),
          raw("GET", "/board/changes", undefined)
        ])
        expect(statuses.map((r) => r.status)).toEqual([404, 404, 404, 404, 401])
        // a client that does not ask for an event stream: the first event, and the response ends
        const once = yield* raw("GET", "/board/changes", staff.token)
        expect([once.status, once.contentType, once.text]).toEqual([
          200,
          "text/event-stream",
          'retry: 5000\n\nevent: ready\nid: 0\ndata: {"cursor":0}\n\n'
        ])
        expect(statuses[2]?.text).toBe(statuses[3]?.text.replace("nowhere", C3))
      })
    )
  })
}
