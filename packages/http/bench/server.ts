/**
 * The servers under load, each run as a child process of the load benchmark
 * (`Load.bench.ts`) so the server and the load generator get a core each:
 *
 *   node --import tsx bench/server.ts civicgrid|bare|floor-constant|floor-sql <sqlite file> <token> <district>
 *
 * Both listen on 127.0.0.1 on an ephemeral port, print `listening <port>` on
 * stdout, and stop on SIGTERM.
 *
 * - `civicgrid` — the configuration `npm start` serves: `Server.layer({ middleware })` with a
 *   request log (one formatted line per request, as the example app's `requestLog`, written to
 *   a sink), over `SqlRepositories.layer({ timeLimits })` (the default time-limit policy on the
 *   shipped calendar: deadlines in the read model, indicator tables kept on every append), the
 *   SQL key store as `TokenVerifier` with its key cache, as the example app composes it
 *   (`Authorization.layerLookup(SqlApiKeys.bearerLookupCached())`, an issued key; with
 *   `BENCH_KEY_CACHE=0` the lookup without the cache), on `NodeHttpServer` and `SqliteClient` (WAL, as it opens files).
 * - `civicgrid-traced` — the same with a tracer configured (one that keeps each span in
 *   memory): what the spans cost (without a tracer the server runs with tracing off).
 * - `floor-constant` — the framework floor: an `HttpApi` of the two endpoints on
 *   `NodeHttpServer`, the token compared as a string, answering a constant body.
 * - `floor-sql` — the same `HttpApi` doing the bare server's SQL statements through
 *   `SqliteClient` (no schema validation of rows, no domain code): the floor of the framework
 *   plus `@effect/sql`.
 * - `bare` — `node:http` and `better-sqlite3` prepared statements doing the
 *   same database work by hand: `GET /cases/{id}` reads the read-model row and
 *   the case's events (parsed, then `JSON.stringify`); `POST /cases` checks
 *   the token, parses the body, claims the `Idempotency-Key`, looks the unit's
 *   path up and inserts the `Reported` event and the read-model row in one
 *   transaction. No schema validation, no authorization beyond the token
 *   lookup, no event folding, no hierarchy load: the floor of the same work.
 */
import { randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import Database from "better-sqlite3"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import * as Authorization from "../src/Authorization.js"
import * as Principal from "../src/Principal.js"
import * as Server from "../src/Server.js"
import * as Floors from "./floors.js"
import { caseColumns, summaryColumns } from "./floors.js"

/** The principal behind the benchmark token: district staff, the whole district in scope. */
const benchPrincipal = (districtId: string): Principal.Principal =>
  Principal.make({ id: "bench-district-staff", role: "district-staff", unitId: districtId })

const [kind, filename, token, districtId] = process.argv.slice(2)

// -----------------------------------------------------------------------------
// civicgrid
// -----------------------------------------------------------------------------

/** The example app's request log (`requestLog` of the demo): one formatted line per request. */
let logged = 0
const requestLog = (app: HttpApp.Default): HttpApp.Default =>
  Effect.flatMap(
    Effect.sync(() => performance.now()),
    (start) =>
      Effect.zipRight(
        HttpApp.appendPreResponseHandler((request, response) =>
          Effect.sync(() => {
            const path = request.url.split("?")[0] ?? request.url
            const line = `${request.method} ${path} ${response.status} ${(performance.now() - start).toFixed(1)}ms`
            logged += line.length // the sink: the bench's stdout carries `listening <port>` only
            return response
          })
        ),
        app
      )
  )

const timeLimits = { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }

const listen = <A, E>(
  app: Layer.Layer<A, E, HttpServer.HttpServer | HttpRouter.HttpRouter.DefaultServices>
): void => {
  const main = Effect.gen(function* () {
    // the parent migrated and seeded the file
    const server = yield* HttpServer.HttpServer
    if (server.address._tag === "TcpAddress") process.stdout.write(`listening ${server.address.port}\n`)
    return yield* Effect.never
  }).pipe(
    Effect.provide(
      app.pipe(Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })))
    ),
    Effect.ensuring(Effect.sync(() => logged))
  )
  NodeRuntime.runMain(main)
}

/** A tracer that records every span in memory and hands it to no one (what spans cost with a tracer). */
const recordingTracer = Tracer.make({
  span: (name, parent, context, links, startTime, kind) => {
    const attributes = new Map<string, unknown>()
    const span: Tracer.Span = {
      _tag: "Span",
      name,
      spanId: randomUUID(),
      traceId: Option.match(parent, { onNone: () => randomUUID(), onSome: (p) => p.traceId }),
      parent,
      context,
      status: { _tag: "Started", startTime },
      attributes,
      links,
      sampled: true,
      kind,
      end: () => {},
      attribute: (key, value) => void attributes.set(key, value),
      event: () => {},
      addLinks: () => {}
    }
    return span
  },
  context: (f) => f()
})

const civicgrid = (file: string, traced: boolean): void => {
  listen(
    Server.layer({ middleware: requestLog }).pipe(
      Layer.provide(
        Authorization.layerLookup(
          // BENCH_KEY_CACHE=0: without the key cache (one SELECT and one hash per request), to compare
          process.env.BENCH_KEY_CACHE === "0" ? SqlApiKeys.bearerLookup : SqlApiKeys.bearerLookupCached()
        )
      ),
      Layer.provide(SqlRepositories.layer({ timeLimits })),
      Layer.provideMerge(SqliteClient.layer({ filename: file }).pipe(Layer.orDie)),
      Layer.provide(traced ? Layer.setTracer(recordingTracer) : Layer.empty)
    )
  )
}

// -----------------------------------------------------------------------------
// the framework floors: HttpApi answering a constant; HttpApi + the same SQL
// -----------------------------------------------------------------------------

const floorConstant = (bearer: string): void => {
  listen(HttpApiBuilder.serve().pipe(Layer.provide(Floors.layerConstant(bearer))))
}

const floorSql = (file: string, bearer: string, district: string): void => {
  listen(
    HttpApiBuilder.serve().pipe(
      Layer.provide(Floors.layerSql(bearer, district)),
      Layer.provideMerge(SqliteClient.layer({ filename: file }).pipe(Layer.orDie))
    )
  )
}

// -----------------------------------------------------------------------------
// bare node:http + better-sqlite3
// -----------------------------------------------------------------------------

const send = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text)
  })
  res.end(text)
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const parts: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => parts.push(chunk))
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")))
    req.on("error", reject)
  })

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const bare = (file: string, bearer: string, district: string): void => {
  const principal = benchPrincipal(district)
  const db = new Database(file)
  db.pragma("journal_mode = WAL")
  const selectCase = db.prepare(`SELECT ${summaryColumns.join(", ")} FROM cg_cases WHERE case_id = ?`)
  const selectEvents = db.prepare("SELECT payload FROM cg_case_events WHERE case_id = ? ORDER BY sequence")
  const claimKey = db.prepare(
    "INSERT INTO cg_idempotency (idempotency_key, case_id, created_at) VALUES (?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING"
  )
  const findKey = db.prepare("SELECT case_id FROM cg_idempotency WHERE idempotency_key = ?")
  const selectUnit = db.prepare("SELECT path, level FROM cg_units WHERE id = ?")
  const insertEvent = db.prepare(
    "INSERT INTO cg_case_events (case_id, sequence, tag, at, actor_id, payload) VALUES (?, ?, ?, ?, ?, ?)"
  )
  const insertCase = db.prepare(
    `INSERT INTO cg_cases (${caseColumns.join(", ")}) VALUES (${caseColumns.map(() => "?").join(", ")})`
  )

  type Outcome = { readonly status: number; readonly body: unknown }

  const report = db.transaction((key: string | undefined, body: Record<string, unknown>): Outcome => {
    const location = body["location"]
    const unitId = isRecord(location) ? location["unitId"] : undefined
    const categoryId = body["categoryId"]
    const urgency = body["urgency"]
    const description = body["description"]
    if (
      typeof unitId !== "string" ||
      typeof categoryId !== "string" ||
      typeof urgency !== "string" ||
      typeof description !== "string"
    ) {
      return { status: 400, body: { error: "bad body" } }
    }
    const caseId = randomUUID()
    const now = Date.now()
    if (key !== undefined) {
      const scoped = JSON.stringify([principal.id, key])
      if (claimKey.run(scoped, caseId, now).changes === 0) {
        const winner = findKey.get(scoped)
        return { status: 201, body: { caseId: winner?.["case_id"], replayed: true, events: [] } }
      }
    }
    const unit = selectUnit.get(unitId)
    if (unit === undefined || unit["level"] !== "community" || typeof unit["path"] !== "string") {
      return { status: 404, body: { error: "unknown unit" } }
    }
    const at = new Date(now).toISOString()
    const event = {
      _tag: "Reported",
      caseId,
      sequence: 1,
      at,
      actor: { id: principal.id, role: "district-staff", unitId: principal.unitId },
      source: "assigned",
      categoryId,
      urgency,
      description,
      location: { unitId },
      communityId: unitId,
      tier: "community",
      ownerUnitId: unitId,
      anonymous: false,
      attributes: {}
    }
    insertEvent.run(caseId, 1, "Reported", now, principal.id, JSON.stringify(event))
    insertCase.run(
      caseId,
      1,
      "reported",
      "community",
      unitId,
      unitId,
      unitId,
      unit["path"],
      categoryId,
      urgency,
      "assigned",
      "filing",
      now,
      null,
      now,
      null,
      null,
      now
    )
    return {
      status: 201,
      body: { caseId, version: 1, status: "reported", replayed: false, events: [event] }
    }
  })

  const authorized = (req: IncomingMessage): boolean => req.headers.authorization === `Bearer ${bearer}`

  const server = createServer((req, res) => {
    const url = req.url ?? "/"
    if (!authorized(req)) return send(res, 401, { error: "unauthorized" })
    if (req.method === "GET" && url.startsWith("/cases/")) {
      const caseId = decodeURIComponent(url.slice("/cases/".length).split("?")[0] ?? "")
      const summary = selectCase.get(caseId)
      if (summary === undefined) return send(res, 404, { error: "not found" })
      const events = selectEvents.all(caseId).map((row) => JSON.parse(String(row["payload"])) as unknown)
      return send(res, 200, { summary, events })
    }
    if (req.method === "POST" && url === "/cases") {
      const header = req.headers["idempotency-key"]
      const key = typeof header === "string" ? header : undefined
      readBody(req).then(
        (text) => {
          let parsed: unknown
          try {
            parsed = JSON.parse(text)
          } catch {
            return send(res, 400, { error: "bad json" })
          }
          if (!isRecord(parsed)) return send(res, 400, { error: "bad body" })
          const outcome = report(key, parsed)
          send(res, outcome.status, outcome.body)
        },
        () => send(res, 400, { error: "bad request" })
      )
      return
    }
    send(res, 404, { error: "not found" })
  })
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    if (address !== null && typeof address === "object") process.stdout.write(`listening ${address.port}\n`)
  })
  process.on("SIGTERM", () => {
    server.close()
    server.closeAllConnections()
    db.close()
    process.exit(0)
  })
}

if (filename === undefined || token === undefined || districtId === undefined) {
  process.stderr.write(
    "usage: server.ts civicgrid|civicgrid-traced|bare|floor-constant|floor-sql <sqlite file> <token> <district id>\n"
  )
  process.exit(2)
} else if (kind === "civicgrid" || kind === "civicgrid-traced") {
  civicgrid(filename, kind === "civicgrid-traced")
} else if (kind === "floor-constant") {
  floorConstant(token)
} else if (kind === "floor-sql") {
  floorSql(filename, token, districtId)
} else if (kind === "bare") {
  bare(filename, token, districtId)
} else {
  process.stderr.write(`unknown server kind ${String(kind)}\n`)
  process.exit(2)
}
