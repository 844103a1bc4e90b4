/**
 * docs/guides/embedding-http-server.md — the HTTP server embedded in an app:
 * migrations before serving, the API, Open311 and `/health` on one Node
 * server (SQLite in memory, port 0), stopped when its scope closes.
 */
import * as HttpServer from "@effect/platform/HttpServer"
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Server from "../guides/snippets/embedding-http-server/server.js"

const get = (url: string, init: RequestInit = {}) =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, body: (await response.json()) as unknown }
  })

describe("embedding the HTTP server", () => {
  it("main needs nothing more: every requirement is provided, so Layer.launch gives a runnable program", () => {
    expectTypeOf<Effect.Effect.Context<typeof Server.main>>().toEqualTypeOf<never>()
    expectTypeOf<Effect.Effect.Success<typeof Server.main>>().toEqualTypeOf<never>()
  })

  it.effect(
    "listens on a free port: /health answers ok, the API and Open311 are routed; closing the scope stops it",
    () =>
      Effect.gen(function* () {
        const base = yield* Effect.gen(function* () {
          const { address } = yield* HttpServer.HttpServer
          if (address._tag !== "TcpAddress") return yield* Effect.die("expected a TCP address")
          expect(address.port).toBeGreaterThan(0)
          const base = `http://127.0.0.1:${address.port}`

          expect(yield* get(`${base}/health`)).toEqual({ status: 200, body: { status: "ok" } })

          // the API: migrated tables behind it; without a bearer token, a JSON 401
          const cases = yield* get(`${base}/cases`)
          expect(cases.status).toBe(401)

          // Open311, composed into the same server: one service per 小类 of the standard catalogue
          const services = yield* get(`${base}/open311/v2/services.json`)
          expect(services.status).toBe(200)
          expect(Array.isArray(services.body) && services.body.length > 0).toBe(true)

          // an unknown api_key is refused by the SQL key store (403, Open311's error list)
          const refused = yield* get(`${base}/open311/v2/requests.json`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "api_key=nobody&service_code=SJ-0113&address_id=jinsha-12&description=x"
          })
          expect(refused.status).toBe(403)
          return base
        }).pipe(Effect.provide(Server.layerServer({ filename: ":memory:", port: 0 })))

        // the layer's scope is closed: the server no longer accepts connections
        const after = yield* Effect.either(Effect.tryPromise(() => fetch(`${base}/health`)))
        expect(after._tag).toBe("Left")
      })
  )
})
