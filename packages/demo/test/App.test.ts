/**
 * 街道办示范服务 — the app on SQLite in memory, served in process: `/health`
 * names the database, the banner lists the public URL and only the demo
 * tokens that verify, Open311 discovery uses the public URL, bad seed options
 * stop the start with a typed error.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Authorization from "@civicgrid/http/Authorization"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as App from "../src/App.js"
import * as District from "../src/District.js"
import * as Seed from "../src/Seed.js"

const small: Seed.Options = {
  district: District.makeDefault(),
  cases: { count: 30 }
}

const getJson = (path: string, token?: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.get(path, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })
  ).pipe(
    Effect.flatMap((response) => Effect.map(response.json, (json) => ({ status: response.status, json }))),
    Effect.scoped,
    Effect.orDie
  )

const appOn = (options: App.Options = {}) =>
  App.layer({ log: () => {}, databaseName: "SQLite :memory:", seed: small, ...options }).pipe(
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
    Layer.orDie
  )

describe("App", () => {
  it.effect("/health answers status and version; Open311 discovery and the banner use the public URL", () =>
    Effect.gen(function* () {
      const log: Array<string> = []
      const app = App.layer({
        log: (line) => log.push(line),
        databaseName: "SQLite :memory:",
        seed: small,
        publicUrl: "https://civicgrid.example.org/",
        title: "civicgrid test"
      }).pipe(
        Layer.provideMerge(NodeHttpServer.layerTest),
        Layer.provide(SqliteClient.layer({ filename: ":memory:" })),
        Layer.orDie
      )
      yield* Effect.gen(function* () {
        // anonymous: status and version only — never where the data lives (issue 12 finding 10)
        const health = yield* getJson("/health")
        expect(health).toEqual({ status: 200, json: { status: "ok", version: App.version } })
        const discovery = yield* getJson("/open311/v2/discovery.json")
        expect(JSON.stringify(discovery.json)).toContain("https://civicgrid.example.org/open311/v2")
      }).pipe(Effect.provide(app))
      const banner = log.find((l) => l.includes("listening on")) ?? ""
      expect(banner).toContain("civicgrid test — SQLite :memory:")
      expect(banner).toContain("public URL     https://civicgrid.example.org\n")
      expect(banner).toContain("API docs       https://civicgrid.example.org/docs")
      expect(banner).toMatch(/listening on {3}http:\/\/[^\s]+:\d+\n/)
      for (const name of Seed.demoTokenNames) expect(banner).toContain(name)
      // the local-role token verifies with its local role, named from the role table
      expect(banner).toMatch(
        /demo-petition-agent +信访代办员 petition agent, acting as 社区工作人员 community staff \(/
      )
      expect(log.at(-1)).toMatch(/shutting down/)
    })
  )

  it.effect("/health: details (database name, migration) only for an admin's token", () =>
    Effect.gen(function* () {
      const admin = yield* getJson("/health", "demo-admin")
      expect(admin.json).toMatchObject({
        status: "ok",
        version: App.version,
        db: "up",
        database: "SQLite :memory:"
      })
      expect((admin.json as { migration: unknown }).migration).toBeGreaterThanOrEqual(11)
      for (const token of ["demo-district-staff", "not-a-token"]) {
        const other = yield* getJson("/health", token)
        expect(other).toEqual({ status: 200, json: { status: "ok", version: App.version } })
      }
    }).pipe(Effect.provide(appOn()))
  )

  it.effect(
    "/health is no token oracle: its failed checks count in the API's failed-authentication limit",
    () =>
      Effect.gen(function* () {
        for (let i = 0; i < 20; i++) expect((yield* getJson("/health", `guess-${i}-token`)).status).toBe(200)
        // the address is now limited everywhere, valid token or not
        expect((yield* getJson("/cases?limit=1", "demo-admin")).status).toBe(429)
        expect((yield* getJson("/health", "demo-admin")).json).toEqual({ status: "ok", version: App.version })
      }).pipe(Effect.provide(appOn()))
  )

  const failFrom = (address: string) =>
    Effect.flatMap(HttpClient.HttpClient, (http) =>
      http.get("/cases?limit=1", {
        headers: { authorization: "Bearer wrong-token-123", "x-forwarded-for": address }
      })
    ).pipe(
      Effect.map((response) => response.status),
      Effect.scoped,
      Effect.orDie
    )

  it.effect(
    "信任代理: behind a proxy (trustProxy) failed authentications count per X-Forwarded-For address, so one client cannot lock out the others",
    () =>
      Effect.gen(function* () {
        for (let i = 0; i < 20; i++) expect(yield* failFrom("10.0.0.1")).toBe(401)
        expect(yield* failFrom("10.0.0.1")).toBe(429)
        expect(yield* failFrom("10.0.0.2")).toBe(401)
      }).pipe(Effect.provide(appOn({ trustProxy: true })))
  )

  it.effect("without trustProxy, X-Forwarded-For is not believed: the socket's address is counted", () =>
    Effect.gen(function* () {
      for (let i = 0; i < 20; i++) expect(yield* failFrom(`10.0.0.${i}`)).toBe(401)
      expect(yield* failFrom("10.0.0.99")).toBe(429)
    }).pipe(Effect.provide(appOn()))
  )

  it.effect(
    "职能部门: the demo department token sees only the cases dispatched to 排水 — another district case is a 404 (issue 12 finding 9)",
    () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const dispatched = yield* sql<{ readonly case_id: string }>`
          SELECT case_id FROM cg_cases WHERE dispatch_department = 'drainage' ORDER BY case_id`
        const others = yield* sql<{ readonly case_id: string }>`
          SELECT case_id FROM cg_cases WHERE dispatch_department IS NULL OR dispatch_department <> 'drainage'
          ORDER BY case_id`
        expect([dispatched.length > 0, others.length > 0]).toEqual([true, true])
        for (const row of others.slice(0, 5)) {
          expect((yield* getJson(`/cases/${row.case_id}`, "demo-department")).status).toBe(404)
          // the district staff sees it: it is a case of the district
          expect((yield* getJson(`/cases/${row.case_id}`, "demo-district-staff")).status).toBe(200)
        }
        const page = yield* getJson("/cases?limit=500", "demo-department")
        expect(page.status).toBe(200)
        const listed = (page.json as { items: ReadonlyArray<{ caseId: string }> }).items.map((i) => i.caseId)
        expect([...listed].sort()).toEqual(dispatched.map((r) => r.case_id))
        for (const row of dispatched.slice(0, 3)) {
          expect((yield* getJson(`/cases/${row.case_id}`, "demo-department")).status).toBe(200)
        }
      }).pipe(Effect.provide(appOn({ seed: { ...small, cases: { count: 120 } } }))),
    30_000
  )

  it.effect(
    "令牌密钥: with a token secret the demo tokens are stored keyed (HMAC-SHA-256) and still verify",
    () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const schemes = yield* sql<{
          readonly hash_scheme: string
        }>`SELECT DISTINCT hash_scheme FROM cg_api_keys`
        expect(schemes.map((r) => r.hash_scheme)).toEqual(["hmac-sha256"])
        expect((yield* getJson("/cases?limit=1", "demo-district-staff")).status).toBe(200)
      }).pipe(Effect.provide(appOn({ tokenSecret: Redacted.make("demo-secret-for-the-test") })))
  )

  it("keptSecret: generated once beside the database, readable by its owner only, the same on every start", () => {
    const dir = mkdtempSync(join(tmpdir(), "civicgrid-secret-"))
    try {
      const file = join(dir, "civicgrid.sqlite.token-secret")
      const first = Redacted.value(App.keptSecret(file))
      expect(first.length).toBeGreaterThanOrEqual(40)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(Redacted.value(App.keptSecret(file))).toBe(first)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("regression: on the first start the database's directory does not exist yet — keptSecret creates it (npm start failed with ENOENT on a fresh clone)", () => {
    const dir = mkdtempSync(join(tmpdir(), "civicgrid-secret-"))
    try {
      const file = join(dir, "not", "yet", "civicgrid.sqlite.token-secret")
      const first = Redacted.value(App.keptSecret(file))
      expect(first.length).toBeGreaterThanOrEqual(40)
      expect(Redacted.value(App.keptSecret(file))).toBe(first)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.effect("liveDemoTokens: a revoked demo token is left out of the banner's list", () =>
    Effect.gen(function* () {
      yield* Seed.prepare(small)
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ readonly id: string }>`SELECT id FROM cg_api_keys WHERE role = 'admin'`
      for (const row of rows) expect(yield* SqlApiKeys.revoke(row.id)).toBe(true)
      const live = yield* App.liveDemoTokens
      expect(live.map((t) => t.token)).toEqual(Seed.demoTokenNames.filter((t) => t !== "demo-admin"))
      expect(live.find((t) => t.token === "demo-community-staff")?.label).toBe(
        "社区工作人员 community staff (c-001-001 金星社区)"
      )
    }).pipe(
      Effect.provide(
        Layer.mergeAll(Seed.layerStores, Authorization.layerLookup(SqlApiKeys.bearerLookup)).pipe(
          Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
          Layer.orDie
        )
      )
    )
  )

  it.effect("bad seed options stop the start with the typed error, before serving", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Effect.provide(
          Effect.void,
          App.layer({ log: () => {}, seed: { ...small, batchSize: 0 } }).pipe(
            Layer.provide(NodeHttpServer.layerTest),
            Layer.provide(SqliteClient.layer({ filename: ":memory:" }))
          )
        )
      )
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) expect(JSON.stringify(exit.cause)).toContain("InvalidSeedOptions")
    })
  )
})
