/**
 * The PostgreSQL deployment: it refuses to start without a PostgreSQL URL
 * (unset, SQLite, or another scheme), and — with `CIVICGRID_PG_URL` — its app
 * layer on a fresh database (created here, dropped afterwards) migrates and
 * seeds the demo district, answers `/health`, serves the seeded hierarchy to a
 * demo token, and shows the public URL in Open311 discovery.
 */
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
import { databaseFromConfig, layerApp } from "../src/app.js"

const pgUrl = Databases.pgUrl
Databases.skipNotice("examples/postgres-deployment")

const withEnv = (env: Readonly<Record<string, string>>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

const getJson = (path: string, token?: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.get(path, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })
  ).pipe(
    Effect.flatMap((response) => Effect.map(response.json, (json) => ({ status: response.status, json }))),
    Effect.scoped,
    Effect.orDie
  )

describe("postgres-deployment", () => {
  it.effect(
    "需要 PostgreSQL: unset, SQLite and other URLs are refused with a message naming the variable",
    () =>
      Effect.gen(function* () {
        const unset = yield* Effect.flip(databaseFromConfig.pipe(withEnv({})))
        expect(unset._tag).toBe("PostgresRequired")
        expect(unset.message).toContain("CIVICGRID_DATABASE_URL is not set")
        const empty = yield* Effect.flip(databaseFromConfig.pipe(withEnv({ CIVICGRID_DATABASE_URL: "" })))
        expect(empty._tag).toBe("PostgresRequired")
        const sqlite = yield* Effect.flip(
          databaseFromConfig.pipe(withEnv({ CIVICGRID_DATABASE_URL: "sqlite:/srv/civicgrid.sqlite" }))
        )
        expect(sqlite.message).toContain("PostgreSQL only")
        const other = yield* Effect.flip(
          databaseFromConfig.pipe(withEnv({ CIVICGRID_DATABASE_URL: "mysql://root@localhost/civicgrid" }))
        )
        expect(other._tag).toBe("InvalidDatabaseUrl")
        expect(other.message).toContain("CIVICGRID_DATABASE_URL")
        const pg = yield* databaseFromConfig.pipe(
          withEnv({ CIVICGRID_DATABASE_URL: "postgresql://civicgrid:pw@db:5432/civicgrid" })
        )
        expect(pg._tag).toBe("pg")
      })
  )

  if (pgUrl !== undefined) {
    it.effect(
      "on a fresh PostgreSQL database: migrates and seeds, /health is up, a demo token reads the seeded district",
      () =>
        Effect.gen(function* () {
          const url = yield* Databases.freshDatabaseUrl(pgUrl, "cg_pg_deployment")
          const district = District.makeDefault()
          const log: Array<string> = []
          const app = layerApp({ log: (line) => log.push(line), seed: { cases: { count: 50 } } }).pipe(
            Layer.provideMerge(NodeHttpServer.layerTest),
            Layer.provide(
              Layer.setConfigProvider(
                ConfigProvider.fromMap(
                  new Map([
                    ["CIVICGRID_DATABASE_URL", url],
                    ["CIVICGRID_PUBLIC_URL", "https://civicgrid.example.org"]
                  ])
                )
              )
            ),
            Layer.orDie
          )
          yield* Effect.gen(function* () {
            // anonymous: status and version only; an admin also reads where the data lives
            const health = yield* getJson("/health")
            expect(health.status).toBe(200)
            expect(Object.keys(health.json as object).sort()).toEqual(["status", "version"])
            const details = yield* getJson("/health", "demo-admin")
            expect(details.json).toMatchObject({ status: "ok", db: "up" })
            expect(JSON.stringify(details.json)).toContain("PostgreSQL")

            const api = yield* HttpApiClient.make(Api, {
              transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken("demo-district-staff"))
            })
            const units = yield* api.hierarchy.units()
            expect(units.length).toBe(district.units.length)
            expect(units[0]?.name).toBe("示范区")
            const cases = yield* api.cases.list({ urlParams: { limit: 100 } })
            expect(cases.items).toHaveLength(50)

            const discovery = yield* getJson("/open311/v2/discovery.json")
            expect(JSON.stringify(discovery.json)).toContain("https://civicgrid.example.org/open311/v2")
          }).pipe(Effect.provide(app), Effect.orDie)

          expect(log.some((l) => l.startsWith("数据库初始化 seeded"))).toBe(true)
          expect(log.some((l) => l.includes(`${district.units.length} units`))).toBe(true)
          const banner = log.find((l) => l.includes("listening on")) ?? ""
          expect(banner).toContain("PostgreSQL deployment")
          expect(banner).toContain("public URL     https://civicgrid.example.org")
          expect(banner).toContain(Seed.demoApiKey)
          expect(banner).not.toMatch(/:[^@/\s]*@/) // no credentials from the URL
        }).pipe(Effect.scoped),
      60_000
    )
  }
})
