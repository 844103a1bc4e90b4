/**
 * 联户走访 in the example server: a seeded demo serves the people endpoints
 * on the public demo-only key (`App.demoPeopleKeyring`) when
 * `CIVICGRID_PEOPLE_KEYS` is unset; a server with `seed: false` and no keys
 * answers them with 503 `PeopleUnavailable`, never a 500.
 */
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import { PeopleRepository } from "@civicgrid/core/PeopleRepository"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as App from "../src/App.js"
import * as District from "../src/District.js"

const get = (path: string, token: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.get(path, { headers: { authorization: `Bearer ${token}` } })
  ).pipe(
    Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
    Effect.scoped,
    Effect.orDie
  )

const appOn = (options: App.Options) =>
  App.layer({ log: () => {}, databaseName: "SQLite :memory:", ...options }).pipe(
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
    Layer.orDie
  )

describe("App people store", () => {
  it.effect(
    "the seeded demo serves households, the key-group counts and the access log on its demo key",
    () =>
      Effect.gen(function* () {
        const households = yield* get("/households", "demo-community-staff")
        expect(households.status).toBe(200)
        expect(Array.isArray(JSON.parse(households.text))).toBe(true)
        const counts = yield* get("/key-groups/elderly-alone/members?unitId=x", "demo-street-staff")
        expect(counts.status).toBe(403)
        expect(JSON.parse(counts.text)).toMatchObject({ _tag: "AccessRefused", rule: "unknown-unit" })
        const log = yield* get("/access-log", "demo-district-staff")
        expect(log.status).toBe(200)
        expect(App.demoPeopleKeyring.current).toBe("demo-only-public")
      }).pipe(Effect.provide(appOn({ seed: { district: District.makeDefault(), cases: { count: 0 } } })))
  )

  it.effect("the demo key is used only for a seeded demo; seed: false without keys has no people store", () =>
    Effect.gen(function* () {
      const storeOf = (options: Pick<App.Options, "seed" | "peopleKeyring">) =>
        Effect.scoped(
          Effect.map(
            Layer.build(
              App.layerPeople(options).pipe(
                Layer.provideMerge(HierarchyRepository.layerMemory),
                Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
                Layer.orDie
              )
            ),
            (context) => Option.isSome(Context.getOption(context, PeopleRepository))
          )
        )
      expect(yield* storeOf({})).toBe(true)
      expect(yield* storeOf({ seed: false })).toBe(false)
      expect(yield* storeOf({ seed: false, peopleKeyring: App.demoPeopleKeyring })).toBe(true)
    })
  )
})
