/**
 * 未填充 — the app with `seed: false` on an empty database (SQLite in memory,
 * served in process): it migrates but seeds nothing — no district, no demo
 * tokens, no demo Open311 key — and still answers: `/health`, Open311
 * discovery and the service catalogue, empty request lists, a report refused
 * without a 500, 401 for the demo tokens; the banner says how to issue keys.
 */
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as App from "../src/App.js"
import * as Seed from "../src/Seed.js"

const request = (method: "GET" | "POST", path: string, options: { token?: string; form?: string } = {}) =>
  Effect.flatMap(HttpClient.HttpClient, (http) => {
    const init = {
      ...(options.token === undefined ? {} : { headers: { authorization: `Bearer ${options.token}` } }),
      ...(options.form === undefined
        ? {}
        : { body: HttpBody.text(options.form, "application/x-www-form-urlencoded") })
    }
    return method === "GET" ? http.get(path, init) : http.post(path, init)
  }).pipe(
    Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
    Effect.scoped,
    Effect.orDie
  )

describe("App with seed: false", () => {
  it.effect(
    "an empty database is served empty: no district, no demo credentials, every endpoint answers",
    () =>
      Effect.gen(function* () {
        const log: Array<string> = []
        const app = App.layer({
          log: (line) => log.push(line),
          databaseName: "SQLite :memory:",
          seed: false
        }).pipe(
          Layer.provideMerge(NodeHttpServer.layerTest),
          Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
          Layer.orDie
        )
        yield* Effect.gen(function* () {
          expect((yield* request("GET", "/health")).status).toBe(200)
          // nothing was seeded: the key store is empty, the demo tokens are refused
          expect(yield* Effect.orDie(SqlApiKeys.list)).toEqual([])
          expect((yield* request("GET", "/cases", { token: "demo-district-staff" })).status).toBe(401)
          // Open311 answers without a district: discovery, the whole catalogue, an empty request list
          expect((yield* request("GET", "/open311/v2/discovery.json")).status).toBe(200)
          const services = yield* request("GET", "/open311/v2/services.json")
          expect(services.status).toBe(200)
          const listed = JSON.parse(services.text) as ReadonlyArray<{
            service_code: string
            metadata: boolean
          }>
          const codes = listed.map((s) => s.service_code)
          const plain = listed.find((s) => !s.metadata)?.service_code
          // the standard catalogue: one service per public 小类, however many the catalogue holds
          expect(codes.length).toBeGreaterThan(10)
          expect(codes.length).toBeLessThanOrEqual(CaseCategory.minors(CaseCategory.Standard).length)
          const requests = yield* request("GET", "/open311/v2/requests.json")
          expect(requests).toEqual({ status: 200, text: "[]" })
          // the demo api_key is refused; a key issued for a client is accepted, yet a report cannot be
          // placed without a district: refused (400, saying so), never a 500 and never stored
          const form = `service_code=${plain ?? ""}&lat=30.6&long=104.06&description=test`
          const demo = yield* request("POST", "/open311/v2/requests.json", {
            form: `api_key=${Seed.demoApiKey}&${form}`
          })
          expect(demo.status).toBe(403)
          const key = yield* Effect.orDie(SqlApiKeys.issueOpen311({ id: "client", name: "客户端 client" }))
          const posted = yield* request("POST", "/open311/v2/requests.json", {
            form: `api_key=${Redacted.value(key.token)}&${form}`
          })
          expect(posted.status, posted.text).toBe(400)
          expect(posted.text).toContain("no hierarchy is stored")
          expect((yield* request("GET", "/open311/v2/requests.json")).text).toBe("[]")
        }).pipe(Effect.provide(app))
        const text = log.join("\n")
        expect(text).toContain("not seeded")
        expect(text).not.toContain("seeded in")
        const banner = log.find((l) => l.includes("listening on")) ?? ""
        expect(banner).toContain("civicgrid keys issue")
        expect(banner).not.toContain(Seed.demoApiKey)
        for (const name of Seed.demoTokenNames) expect(banner).not.toContain(name)
      })
  )
})
