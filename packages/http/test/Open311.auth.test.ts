/**
 * Open311 `api_key` checks under the API's failed-authentication limit: an
 * address that keeps sending wrong keys is answered 429 in Open311 format,
 * before its key is looked at, while other requests go on.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Authorization from "../src/Authorization.js"
import * as Open311 from "../src/Open311.js"
import { API_KEY, client, config, get, lampReport, post, sqlite, stores } from "./Open311Fixtures.js"

const withKey = (key: string) =>
  lampReport().map(([k, v]): readonly [string, string] => [k, k === "api_key" ? key : v])

describe("Open311 api_key failures are rate-limited", () => {
  it.effect(
    "regression: wrong api_keys could be tried without limit; past the limit an address is answered 429 (Open311 format), even with the right key",
    () =>
      Effect.gen(function* () {
        const keys = Open311.layerApiKeysMemory([[API_KEY, client]])
        const app = yield* Open311.router(config).pipe(
          Effect.provide(keys),
          Effect.provide(Authorization.layerRateLimit({ maxFailures: 3 }))
        )
        yield* HttpServer.serveEffect(HttpRouter.empty.pipe(HttpRouter.mount("/open311/v2", app)))
        for (let i = 0; i < 3; i++) {
          const wrong = yield* post("requests.json", withKey(`wrong-key-${i}`))
          expect(wrong.status).toBe(403)
        }
        const blocked = yield* post("requests.json", lampReport())
        expect(blocked.status).toBe(429)
        expect(blocked.json).toEqual([{ code: 429, description: expect.stringContaining("auth-rate-limit") }])
        // reading needs no key and is not blocked
        expect((yield* get("services.json")).status).toBe(200)
      }).pipe(Effect.scoped, Effect.provide(NodeHttpServer.layerTest), Effect.provide(stores(sqlite)))
  )

  it.effect("the right key within the limit is served, and failures below it do not block", () =>
    Effect.gen(function* () {
      const keys = Open311.layerApiKeysMemory([[API_KEY, client]])
      const app = yield* Open311.router(config).pipe(
        Effect.provide(keys),
        Effect.provide(Authorization.layerRateLimit({ maxFailures: 3 }))
      )
      yield* HttpServer.serveEffect(HttpRouter.empty.pipe(HttpRouter.mount("/open311/v2", app)))
      expect((yield* post("requests.json", withKey("wrong-key"))).status).toBe(403)
      expect((yield* post("requests.json", withKey("wrong-key"))).status).toBe(403)
      expect((yield* post("requests.json", lampReport())).status).toBe(201)
    }).pipe(Effect.scoped, Effect.provide(NodeHttpServer.layerTest), Effect.provide(stores(sqlite)))
  )
})
