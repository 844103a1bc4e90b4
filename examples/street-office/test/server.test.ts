import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Api } from "@civicgrid/http/Api"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as PgClient from "@effect/sql-pg/PgClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { demoHomes, generate } from "../src/cases.js"
import { district } from "../src/seed.js"
import {
  type Database,
  demoApiKey,
  demoTokens,
  describeDatabase,
  layerApp,
  layerDatabase
} from "../src/server.js"

const pgUrl = process.env["CIVICGRID_PG_URL"]
if (pgUrl === undefined) {
  process.stderr.write(
    "\n[civicgrid] CIVICGRID_PG_URL is not set: the PostgreSQL run of the street-office test is SKIPPED\n\n"
  )
}

/** A temporary database of each dialect, dropped afterwards. */
const dialects: ReadonlyArray<{
  readonly name: string
  readonly database: Effect.Effect<Database, never, Scope.Scope>
}> = [
  {
    name: "a SQLite file",
    database: Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "civicgrid-street-office-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
      return { _tag: "sqlite", filename: join(dir, "street-office.sqlite") } as const
    })
  },
  ...(pgUrl === undefined
    ? []
    : [
        {
          name: "PostgreSQL",
          database: Effect.gen(function* () {
            const name = `cg_street_office_${process.pid}_${Date.now().toString(36)}`
            const admin = PgClient.layer({ url: Redacted.make(pgUrl), maxConnections: 1 })
            const run = (statement: string) =>
              Effect.provide(
                Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(statement)),
                admin
              ).pipe(Effect.orDie)
            yield* run(`CREATE DATABASE ${name}`)
            yield* Effect.addFinalizer(() => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
            const url = new URL(pgUrl)
            url.pathname = `/${name}`
            return { _tag: "pg", url: Redacted.make(url.toString()) } as const
          })
        }
      ])
]

/** The example on an ephemeral port over a SQLite file, with the log collected. */
const serve = (database: Database, log: Array<string>) =>
  layerApp({
    log: (line) => log.push(line),
    databaseName: describeDatabase(database),
    seed: { count: 400 }
  }).pipe(Layer.provide(layerDatabase(database)), Layer.provideMerge(NodeHttpServer.layerTest), Layer.orDie)

const client = (token: string) =>
  HttpApiClient.make(Api, { transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(token)) })

const getJson = (path: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) => http.get(path)).pipe(
    Effect.flatMap((response) =>
      Effect.map(response.json, (json): { readonly status: number; readonly json: unknown } => ({
        status: response.status,
        json
      }))
    ),
    Effect.scoped,
    Effect.orDie
  )

/** Every case id a token sees (all pages). */
const allCases = (token: string) =>
  Effect.gen(function* () {
    const api = yield* client(token)
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

describe("street-office example server", () => {
  it("a year of cases is generated through the decider, deterministically, mostly closed", () => {
    const a = Either.getOrThrow(generate(district, { count: 600 }))
    const b = Either.getOrThrow(generate(district, { count: 600 }))
    expect(a).toEqual(b)
    expect(a.inputs).toHaveLength(600)
    expect((a.paths["closed"] ?? 0) + (a.paths["self-handled"] ?? 0)).toBeGreaterThan(300)
    for (const path of ["reworked", "escalated", "suspended", "rejected", "voided"]) {
      expect(a.paths[path] ?? 0).toBeGreaterThan(0)
    }
  })

  for (const dialect of dialects) {
    it.effect(
      `on ${dialect.name}: serves /health, /openapi.json and scoped cases; a restart on the same database does not reseed`,
      () =>
        Effect.gen(function* () {
          const database = yield* dialect.database
          const token = (role: string) => demoTokens.find((t) => t.principal.role === role)?.token ?? ""

          const firstLog: Array<string> = []
          const first = yield* Effect.gen(function* () {
            const health = yield* getJson("/health")
            expect(health.status).toBe(200)
            expect(health.json).toMatchObject({ status: "ok", db: "up" })

            const openapi = yield* getJson("/openapi.json")
            expect(openapi.status).toBe(200)
            expect(openapi.json).toMatchObject({ openapi: expect.stringMatching(/^3\./) })
            expect(JSON.stringify(openapi.json)).toContain("/cases")

            const open311 = yield* getJson(`/open311/v2/services.json?api_key=${demoApiKey}`)
            expect(open311.status).toBe(200)

            const all = yield* allCases(token("district-staff"))
            expect(all.ids).toHaveLength(400)

            // a grid worker sees only their community's subtree
            const community = demoHomes(district).gridWorkerCommunity
            const mine = yield* allCases(token("grid-worker"))
            expect(mine.ids.length).toBeGreaterThan(0)
            expect(mine.ids.length).toBeLessThan(all.ids.length)
            for (const unit of mine.units) expect(unit.startsWith(`${community}-`)).toBe(true)

            // a resident sees only their own reports
            const own = yield* allCases(token("resident"))
            expect(own.ids.length).toBeLessThan(all.ids.length)
            return all.ids.length
          }).pipe(Effect.provide(serve(database, firstLog)))

          expect(firstLog.some((l) => l.startsWith("数据库初始化 seeded"))).toBe(true)
          expect(firstLog.some((l) => l.includes("/docs") && l.includes("demo-district-staff"))).toBe(true)
          expect(firstLog.some((l) => /^GET \/health 200 \d+\.\dms$/.test(l))).toBe(true)
          expect(firstLog.some((l) => /^GET \/cases 200 \d+\.\dms$/.test(l))).toBe(true)
          expect(firstLog.at(-1)).toMatch(/shutting down/)

          const secondLog: Array<string> = []
          const second = yield* allCases(token("district-staff")).pipe(
            Effect.map((all) => all.ids.length),
            Effect.provide(serve(database, secondLog))
          )
          expect(second).toBe(first)
          expect(secondLog.some((l) => l.includes("already seeded"))).toBe(true)
          expect(secondLog.some((l) => l.startsWith("数据库初始化 seeded"))).toBe(false)
        }).pipe(Effect.scoped),
      60_000
    )
  }
})
