/**
 * 处理开销 — the CPU one request costs in process, without sockets: the same
 * seeded database as the load benchmark (`Load.bench.ts`), each server as a
 * web handler (`HttpApiBuilder.toWebHandler`: a `Request` in, a `Response`
 * out), requests one at a time, `process.cpuUsage` around each run. Less
 * sensitive to a busy machine than requests per second, and without the
 * socket writes (which the load benchmark includes).
 *
 * - `router-constant` — the lower layer's floor: `HttpRouter` answering a
 *   constant (`floors.ts`);
 * - `floor-constant` / `floor-sql` — the framework floors (`floors.ts`);
 * - `floor-prepared` — `floor-sql`'s statements on `better-sqlite3` prepared
 *   statements called directly (`floors.ts`): what `@effect/sql` costs;
 * - `floor-replay` — the framework running exactly the statements civicgrid
 *   ran for a request of the endpoint (captured from civicgrid before the
 *   rounds, replayed with each request's ids; `floors.ts`): the fair floor —
 *   civicgrid's reads and writes without civicgrid's own work;
 * - `civicgrid` — `Server.layerApi` and `Server.layerMiddleware()` with the
 *   request log, over `SqlRepositories.layer({ timeLimits })` and the SQL key
 *   store with its key cache as the example app composes it
 *   (`SqlApiKeys.bearerLookupCached()`), tracing off as `Server.layer` runs
 *   without a tracer;
 * - `civicgrid-nocache` — the same without the key cache
 *   (`SqlApiKeys.bearerLookup`: one `SELECT` and one hash per request);
 * - `civicgrid-memkeys` — the same with the in-memory token verifier
 *   (`Authorization.layerMemory`): what the SQL key lookup costs;
 * - `civicgrid-traced` — the same with a tracer configured (spans kept in
 *   memory): what the spans cost.
 *
 * `BENCH_HANDLER_REQUESTS` (default 1,000) requests per run, the first round
 * after as many warm-up requests; `BENCH_ROUNDS` (default 3) interleaved
 * rounds; printed: min / median / max µs of CPU per request. `BENCH_KINDS` and
 * `BENCH_ENDPOINTS` (comma-separated) run only some (e.g. under `node --cpu-prof`).
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServer from "@effect/platform/HttpServer"
import * as Statement from "@effect/sql/Statement"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import * as Authorization from "../src/Authorization.js"
import * as Principal from "../src/Principal.js"
import * as Server from "../src/Server.js"
import * as Floors from "./floors.js"
import { CASES, caseIdOf, categories, checkpoint, communities, DISTRICT, seed, token } from "./Load.bench.js"

const positive = (name: string, fallback: number): number => {
  const raw = Number(process.env[name])
  return Number.isFinite(raw) && raw > 0 ? raw : fallback
}
const REQUESTS = positive("BENCH_HANDLER_REQUESTS", 1_000)
const ROUNDS = positive("BENCH_ROUNDS", 3)

const allKinds = [
  "router-constant",
  "floor-constant",
  "floor-sql",
  "floor-prepared",
  "floor-replay",
  "civicgrid",
  "civicgrid-nocache",
  "civicgrid-memkeys",
  "civicgrid-traced"
] as const
type Kind = (typeof allKinds)[number]
type Endpoint = "get" | "report"
/** `BENCH_KINDS=civicgrid,…` / `BENCH_ENDPOINTS=get|report`: only these (e.g. for a CPU profile). */
const asked = (name: string): ReadonlyArray<string> =>
  (process.env[name] ?? "").split(",").filter((k) => k !== "")
const kinds: ReadonlyArray<Kind> = allKinds.filter(
  (k) => asked("BENCH_KINDS").length === 0 || asked("BENCH_KINDS").includes(k)
)
const endpoints: ReadonlyArray<Endpoint> = (["get", "report"] as const).filter(
  (e) => asked("BENCH_ENDPOINTS").length === 0 || asked("BENCH_ENDPOINTS").includes(e)
)

/** A tracer that keeps every span in memory and hands it to no one. */
const recordingTracer = Tracer.make({
  span: (name, parent, context, links, startTime, kind) => {
    const attributes = new Map<string, unknown>()
    const span: Tracer.Span = {
      _tag: "Span",
      name,
      spanId: crypto.randomUUID(),
      traceId: Option.match(parent, { onNone: () => crypto.randomUUID(), onSome: (p) => p.traceId }),
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

/** The example app's request log, into a sink. */
let logged = 0
const requestLog = (app: HttpApp.Default): HttpApp.Default =>
  Effect.flatMap(
    Effect.sync(() => performance.now()),
    (start) =>
      Effect.tap(app, (response) =>
        Effect.sync(() => {
          logged += `${response.status} ${(performance.now() - start).toFixed(1)}ms`.length
        })
      )
  )

const timeLimits = { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }

/** What `floor-replay` replays (`captureStatements`). */
let replayed: Parameters<typeof Floors.layerReplay>[1] | undefined

const handlerOf = (
  kind: Kind,
  file: string,
  wrap: (app: HttpApp.Default) => HttpApp.Default = (app) => app
) => {
  const sqlite = SqliteClient.layer({ filename: file }).pipe(Layer.orDie)
  switch (kind) {
    case "router-constant":
      return { handler: HttpApp.toWebHandler(Floors.routerConstant(token())), dispose: async () => {} }
    case "floor-constant":
      return HttpApiBuilder.toWebHandler(
        Layer.mergeAll(Floors.layerConstant(token()), HttpServer.layerContext)
      )
    case "floor-sql":
      return HttpApiBuilder.toWebHandler(
        Layer.mergeAll(
          Floors.layerSql(token(), DISTRICT).pipe(Layer.provide(sqlite)),
          HttpServer.layerContext
        )
      )
    case "floor-replay": {
      if (replayed === undefined) throw new Error("floor-replay: nothing captured")
      return HttpApiBuilder.toWebHandler(
        Layer.mergeAll(
          Floors.layerReplay(token(), replayed).pipe(Layer.provide(sqlite)),
          HttpServer.layerContext
        )
      )
    }
    case "floor-prepared":
      return HttpApiBuilder.toWebHandler(
        Layer.mergeAll(Floors.layerPrepared(token(), DISTRICT, file), HttpServer.layerContext)
      )
    case "civicgrid":
    case "civicgrid-nocache":
    case "civicgrid-memkeys":
    case "civicgrid-traced": {
      const traced = kind === "civicgrid-traced"
      const verifier =
        kind === "civicgrid-memkeys"
          ? Authorization.layerMemory(
              new Map([
                [
                  token(),
                  Principal.make({ id: "bench-district-staff", role: "district-staff", unitId: DISTRICT })
                ]
              ])
            )
          : Authorization.layerLookup(
              kind === "civicgrid-nocache" ? SqlApiKeys.bearerLookup : SqlApiKeys.bearerLookupCached()
            )
      const api = Layer.mergeAll(Server.layerApi, Server.layerMiddleware(), HttpServer.layerContext).pipe(
        Layer.provide(verifier),
        Layer.provide(SqlRepositories.layer({ timeLimits })),
        Layer.provide(sqlite),
        Layer.provide(traced ? Layer.setTracer(recordingTracer) : Layer.empty)
      )
      return HttpApiBuilder.toWebHandler(api, {
        // as `Server.layer`: tracing off without a configured tracer
        middleware: traced
          ? (app) => wrap(requestLog(app))
          : (app) => Effect.withTracerEnabled(wrap(requestLog(app)), false)
      })
    }
  }
}

let rotation = 0
let keys = 0

const requestOf = (endpoint: Endpoint): Request => {
  const authorization = `Bearer ${token()}`
  if (endpoint === "get") {
    return new Request(`http://bench/cases/${caseIdOf(rotation++ % CASES)}`, { headers: { authorization } })
  }
  const n = keys++
  return new Request("http://bench/cases", {
    method: "POST",
    headers: { authorization, "content-type": "application/json", "idempotency-key": `handler-${n}` },
    body: JSON.stringify({
      categoryId: categories[n % categories.length],
      urgency: "normal",
      description: "金沙苑 3 栋旁垃圾堆放",
      location: { unitId: communities[n % communities.length] },
      contact: { name: "李四", phone: "13900001111" }
    })
  })
}

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/**
 * The statements civicgrid runs for one request of each endpoint, after a
 * warm-up request (caches filled as in the rounds): captured by a statement
 * transformer on a scratch copy of the database.
 */
const captureStatements = async (file: string): Promise<NonNullable<typeof replayed>> => {
  let sink: Array<Floors.Captured> | undefined
  const web = handlerOf("civicgrid", file, (app) =>
    Statement.withTransformer(app, (self) =>
      Effect.sync(() => {
        sink?.push(self.compile())
        return self
      })
    )
  )
  const once = async (request: Request): Promise<ReadonlyArray<Floors.Captured>> => {
    const statements: Array<Floors.Captured> = []
    sink = statements
    const response = await web.handler(request)
    await response.text()
    sink = undefined
    if (response.status >= 300) throw new Error(`capture: ${response.status}`)
    return statements
  }
  try {
    await once(requestOf("get"))
    const getId = caseIdOf(rotation % CASES)
    const get = await once(requestOf("get"))
    await once(requestOf("report"))
    const key = `handler-${keys}`
    const report = await once(requestOf("report"))
    return { get: { caseId: getId, statements: get }, report: { key, statements: report } }
  } finally {
    await web.dispose()
  }
}

/** Summary lines for the runner. */
export const summary: Array<string> = []

export default async () => {
  const dir = mkdtempSync(join(tmpdir(), "civicgrid-http-handler-"))
  try {
    const seeded = join(dir, "seed.sqlite")
    await Effect.runPromise(seed(seeded))
    checkpoint(seeded)
    console.log(
      `\nPer-request CPU in process (web handlers, no sockets) — ${REQUESTS} sequential requests per run, ${ROUNDS} interleaved rounds; µs CPU per request min / median / max`
    )
    if (kinds.includes("floor-replay")) {
      const scratch = join(dir, "capture.sqlite")
      copyFileSync(seeded, scratch)
      replayed = await captureStatements(scratch)
      for (const [endpoint, statements] of [
        ["GET", replayed.get.statements],
        ["POST", replayed.report.statements]
      ] as const)
        console.log(
          `  floor-replay ${endpoint}: ${statements.length} statements — ${statements.map(([text]) => text.replace(/\s+/g, " ").slice(0, 40)).join(" | ")}`
        )
    }
    const handlers = new Map<Kind, ReturnType<typeof handlerOf>>()
    for (const kind of kinds) {
      const file = join(dir, `${kind}.sqlite`)
      copyFileSync(seeded, file)
      handlers.set(kind, handlerOf(kind, file))
    }
    const figures = new Map<string, Array<number>>()
    const run = async (kind: Kind, endpoint: Endpoint, n: number): Promise<number> => {
      const web = handlers.get(kind)
      if (web === undefined) throw new Error(`no ${kind} handler`)
      const before = process.cpuUsage()
      for (let i = 0; i < n; i++) {
        const response = await web.handler(requestOf(endpoint))
        await response.text()
        if (response.status >= 300) throw new Error(`${kind} ${endpoint}: ${response.status}`)
      }
      const used = process.cpuUsage(before)
      return (used.user + used.system) / n
    }
    try {
      for (let round = 0; round < ROUNDS; round++) {
        for (const endpoint of endpoints) {
          for (const kind of kinds) {
            if (round === 0) await run(kind, endpoint, REQUESTS)
            const key = `${endpoint} ${kind}`
            figures.set(key, [...(figures.get(key) ?? []), await run(kind, endpoint, REQUESTS)])
          }
        }
      }
    } finally {
      for (const web of handlers.values()) await web.dispose()
    }
    for (const endpoint of endpoints) {
      console.log(endpoint === "get" ? "GET /cases/{id}" : "POST /cases")
      for (const kind of kinds) {
        const xs = figures.get(`${endpoint} ${kind}`) ?? []
        console.log(
          `  ${kind.padEnd(17)} ${[Math.min(...xs), median(xs), Math.max(...xs)].map((x) => Math.round(x).toLocaleString("en-US")).join(" / ")} µs`
        )
      }
      const m = (kind: Kind) => median(figures.get(`${endpoint} ${kind}`) ?? [])
      summary.push(
        `in process ${endpoint === "get" ? "GET /cases/{id}" : "POST /cases"} µs CPU/request (medians): ${kinds.map((k) => `${k} ${Math.round(m(k))}`).join(", ")}; civicgrid / floor-sql ${(m("civicgrid") / m("floor-sql")).toFixed(2)}×; civicgrid / floor-replay ${(m("civicgrid") / m("floor-replay")).toFixed(2)}×`
      )
    }
    void logged
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
