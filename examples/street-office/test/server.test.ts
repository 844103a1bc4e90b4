/**
 * The street-office example: the app `src/main.ts` composes
 * (`App.layerFromConfig` on `CIVICGRID_DATABASE_URL`) served in process on a
 * temporary SQLite file and (with `CIVICGRID_PG_URL`) a temporary PostgreSQL
 * database — health, OpenAPI, Open311 with the demo key, the demo tokens and
 * their scopes, a case through the closed loop, a restart that does not
 * reseed — and the program itself started as `npm start` does, answering
 * `/health` and shutting down on SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createRequire } from "node:module"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import { UnitId } from "@civicgrid/core/Unit"
import * as App from "@civicgrid/demo/App"
import * as Cases from "@civicgrid/demo/Cases"
import * as Database from "@civicgrid/demo/Database"
import * as District from "@civicgrid/demo/District"
import * as Seed from "@civicgrid/demo/Seed"
import { Api } from "@civicgrid/http/Api"
import * as Databases from "@civicgrid/testkit/Databases"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"

Databases.skipNotice("examples/street-office")

const district = District.makeDefault()
const homes = Cases.demoHomes(district)
const token = (role: string) => Seed.demoTokens(district).find((t) => t.principal.role === role)?.token ?? ""

/** A temporary SQLite file, removed afterwards. */
const sqliteFile = Effect.map(Databases.tempDir("civicgrid-street-office-"), (dir) =>
  join(dir, "street-office.sqlite")
)

/** A temporary database of each dialect, as the `CIVICGRID_DATABASE_URL` naming it. */
const dialects: ReadonlyArray<{
  readonly name: string
  readonly url: Effect.Effect<string, never, Scope.Scope>
}> = [
  { name: "a SQLite file", url: Effect.map(sqliteFile, (file) => `sqlite:${file}`) },
  ...(Databases.pgUrl === undefined
    ? []
    : [{ name: "PostgreSQL", url: Databases.freshDatabaseUrl(Databases.pgUrl, "cg_street_office") }])
]

/** The app as `src/main.ts` composes it, on an in-process server, with the log collected. */
const serve = (url: string, log: Array<string>) =>
  App.layerFromConfig({
    defaultFile: join(tmpdir(), "civicgrid-never-used.sqlite"),
    log: (line) => log.push(line),
    seed: { cases: { count: 400 } }
  }).pipe(
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.provide(
      Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["CIVICGRID_DATABASE_URL", url]])))
    ),
    Layer.orDie
  )

const client = (bearer: string) =>
  HttpApiClient.make(Api, { transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(bearer)) })

const getJson = (path: string, token?: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.get(path, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })
  ).pipe(
    Effect.flatMap((response) =>
      Effect.map(response.json, (json): { readonly status: number; readonly json: unknown } => ({
        status: response.status,
        json
      }))
    ),
    Effect.scoped,
    Effect.orDie
  )

const postForm = (path: string, fields: Readonly<Record<string, string>>) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.execute(HttpClientRequest.post(path).pipe(HttpClientRequest.bodyUrlParams(fields)))
  ).pipe(
    Effect.map((response) => response.status),
    Effect.scoped,
    Effect.orDie
  )

/** Every case id a token sees (all pages). */
const allCases = (bearer: string) =>
  Effect.gen(function* () {
    const api = yield* client(bearer)
    const ids: Array<string> = []
    const units: Array<string> = []
    let after: string | undefined
    for (;;) {
      const page = yield* api.cases.list({
        urlParams: after === undefined ? { limit: 500 } : { limit: 500, after }
      })
      for (const item of page.items) {
        ids.push(item.caseId)
        units.push(item.unitId)
      }
      if (page.next === null) return { ids, units }
      after = page.next
    }
  }).pipe(Effect.orDie)

/** 闭环: the demo grid worker reports, the demo community staff accepts, dispatches, handles, verifies. */
const caseFlow = Effect.gen(function* () {
  const worker = yield* client(token("grid-worker"))
  const community = yield* client(token("community-staff"))
  const building = district.buildings.find((b) => b.communityId === homes.gridWorkerCommunity)
  const category = CaseCategory.minors(CaseCategory.Standard)[0]
  expect(building).toBeDefined()
  expect(category).toBeDefined()
  if (building === undefined || category === undefined) return
  const reported = yield* worker.cases.report({
    payload: {
      categoryId: category.id,
      urgency: "normal",
      description: `${building.name}：楼道堆物`,
      location: { unitId: UnitId.make(building.id) }
    },
    headers: {}
  })
  expect(reported.status).toBe("reported")
  const path = { caseId: reported.caseId }
  expect((yield* community.cases.accept({ path, payload: {} })).status).toBe("accepted")
  const dispatched = yield* community.cases.dispatch({
    path,
    payload: { target: { _tag: "Unit", unitId: UnitId.make(homes.gridWorkerCommunity) } }
  })
  expect(dispatched.status).toBe("dispatched")
  yield* community.cases.handle({ path, payload: { result: "已清理", evidence: ["photo://after.jpg"] } })
  const verified = yield* community.cases.verify({ path, payload: { outcome: "pass" } })
  expect(verified.status).toBe("closed")
  // the reporter sees it in their own list, closed
  const seen = yield* worker.cases.get({ path, urlParams: {} })
  expect(seen.summary.status).toBe("closed")
}).pipe(Effect.orDie)

describe("street-office example server", () => {
  for (const dialect of dialects) {
    it.effect(
      `on ${dialect.name}: /health, /openapi.json, Open311, scoped demo tokens, a case through the loop; a restart does not reseed`,
      () =>
        Effect.gen(function* () {
          const url = yield* dialect.url
          const firstLog: Array<string> = []
          const first = yield* Effect.gen(function* () {
            const health = yield* getJson("/health")
            expect(health.status).toBe(200)
            expect(Object.keys(health.json as object).sort()).toEqual(["status", "version"])
            const details = yield* getJson("/health", "demo-admin")
            expect(details.json).toMatchObject({ status: "ok", db: "up" })
            expect(JSON.stringify(details.json)).not.toContain("password")

            const openapi = yield* getJson("/openapi.json")
            expect(openapi.status).toBe(200)
            expect(openapi.json).toMatchObject({ openapi: expect.stringMatching(/^3\./) })

            // Open311 keys come from the SQL key store: the demo key passes (then a missing field is a 400)
            expect((yield* getJson(`/open311/v2/services.json?api_key=${Seed.demoApiKey}`)).status).toBe(200)
            expect(yield* postForm("/open311/v2/requests.json", { api_key: "wrong-key-123" })).toBe(403)
            expect(yield* postForm("/open311/v2/requests.json", { api_key: Seed.demoApiKey })).toBe(400)

            const all = yield* allCases(token("district-staff"))
            expect(all.ids).toHaveLength(400)

            // a grid worker sees only their community's subtree
            const mine = yield* allCases(token("grid-worker"))
            expect(mine.ids.length).toBeGreaterThan(0)
            expect(mine.ids.length).toBeLessThan(all.ids.length)
            for (const unit of mine.units) expect(unit.startsWith(`${homes.gridWorkerCommunity}-`)).toBe(true)

            // a resident sees only their own reports; an unknown token is a 401
            const own = yield* allCases(token("resident"))
            expect(own.ids.length).toBeLessThan(all.ids.length)
            const unknown = yield* Effect.flip((yield* client("demo-nobody")).cases.list({ urlParams: {} }))
            expect(unknown._tag).toBe("Unauthorized")

            yield* caseFlow
            return (yield* allCases(token("district-staff"))).ids.length
          }).pipe(Effect.provide(serve(url, firstLog)))
          expect(first).toBe(400 + 1) // the seeded year and the case of the flow

          expect(firstLog.some((l) => l.startsWith("数据库初始化 seeded"))).toBe(true)
          const banner = firstLog.find((l) => l.includes("listening on")) ?? ""
          expect(banner).toContain("/docs")
          expect(banner).toContain(url.startsWith("postgres") ? "PostgreSQL" : "SQLite")
          for (const name of Seed.demoTokenNames) expect(banner).toContain(name)
          expect(banner).toContain(`api_key=${Seed.demoApiKey}`)
          expect(firstLog.some((l) => /^GET \/health 200 \d+\.\dms$/.test(l))).toBe(true)
          expect(firstLog.some((l) => /^POST \/cases 201 \d+\.\dms$/.test(l))).toBe(true)
          expect(firstLog.at(-1)).toMatch(/shutting down/)

          const secondLog: Array<string> = []
          const second = yield* allCases(token("district-staff")).pipe(
            Effect.map((all) => all.ids.length),
            Effect.provide(serve(url, secondLog))
          )
          expect(second).toBe(first)
          expect(secondLog.some((l) => l.includes("already seeded"))).toBe(true)
          expect(secondLog.some((l) => l.startsWith("数据库初始化 seeded"))).toBe(false)
        }).pipe(Effect.scoped),
      60_000
    )
  }

  it.effect(
    "npm start: the program starts on PORT and HOST, prints the banner, answers /health, and shuts down on SIGTERM",
    () =>
      Effect.gen(function* () {
        // a database seeded beforehand (small), so the program starts without seeding
        const file = yield* sqliteFile
        yield* Seed.prepare({ cases: { count: 20 } }).pipe(
          Effect.provide(Seed.layerStores),
          Effect.provide(Database.layer(Database.sqlite(file))),
          Effect.orDie
        )
        const port = yield* freePort
        const program = yield* start({
          PORT: String(port),
          HOST: "127.0.0.1",
          CIVICGRID_DATABASE_URL: `sqlite:${file}`
        })
        yield* program.waitFor("listening on")
        const health = yield* Effect.promise(() =>
          fetch(`http://127.0.0.1:${port}/health`, { headers: { authorization: "Bearer demo-admin" } }).then(
            async (r) => ({
              status: r.status,
              body: await r.json()
            })
          )
        )
        expect(health).toMatchObject({ status: 200, body: { status: "ok", db: "up" } })
        expect(program.output()).toContain("already seeded")
        expect(program.output()).toContain(`listening on   http://127.0.0.1:${port}`)
        const code = yield* program.stop
        expect(program.output()).toMatch(/shutting down/)
        expect(code).toBe(0)
      }).pipe(Effect.scoped),
    60_000
  )
})

const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

const exampleDir = fileURLToPath(new URL("..", import.meta.url))
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli")

/** Starts `src/main.ts` as `npm start` does; killed when the scope closes, if still running. */
const start = (env: Readonly<Record<string, string>>) =>
  Effect.gen(function* () {
    let out = ""
    const child: ChildProcess = spawn(
      process.execPath,
      [tsxCli, "--conditions=@civicgrid/source", "src/main.ts"],
      {
        cwd: exampleDir,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"]
      }
    )
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
    })
    child.stderr?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
    })
    // "close": the process has exited and its output streams are drained
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
    yield* Effect.addFinalizer(() => Effect.sync(() => child.exitCode === null && child.kill("SIGKILL")))
    return {
      output: () => out,
      waitFor: (text: string) =>
        Effect.promise(
          () =>
            new Promise<void>((resolve, reject) => {
              const check = setInterval(() => {
                if (out.includes(text)) {
                  clearInterval(check)
                  resolve()
                } else if (child.exitCode !== null) {
                  clearInterval(check)
                  reject(new Error(`the program exited (${child.exitCode}):\n${out}`))
                }
              }, 50)
            })
        ),
      stop: Effect.promise(() => {
        child.kill("SIGTERM")
        return exited
      })
    }
  })
