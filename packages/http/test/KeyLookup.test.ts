/**
 * 令牌查找 — `Authorization.fromLookup` / `layerLookup`: a key store's lookup
 * (token → plain principal data) becomes the `TokenVerifier`. In memory: the
 * data is checked as a `Principal` (an unknown role verifies to none), a store
 * failure is a defect, never a 401. Over the SQL key store of
 * `@civicgrid/sql` (`SqlApiKeys.bearerLookup`) on SQLite and PostgreSQL: the
 * API answers 200 with an issued token and 401 once revoked.
 */
import { createServer } from "node:http"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Authorization from "../src/Authorization.js"
import * as Server from "../src/Server.js"
import { C1, CHENGGUAN, D, type Dialect, dialects, principal, S1, seedDemo } from "./support/Harness.js"

const verifyWith = (verifier: Authorization.TokenVerifier["Type"], token: string) =>
  verifier.verify(Redacted.make(token))

describe("Authorization.fromLookup", () => {
  const data = new Map<string, Authorization.PrincipalData>([
    ["t-staff", { id: "cs-wang", role: "community-staff", unitId: C1 }],
    ["t-dept", { id: "cg-liu", role: "department", unitId: D, departmentId: CHENGGUAN }],
    [
      "t-granted",
      { id: "cg-zhou", role: "department", unitId: D, departmentId: CHENGGUAN, grantedSubtree: S1 }
    ],
    ["t-bad-role", { id: "x", role: "superuser", unitId: C1 }],
    ["t-empty-id", { id: "", role: "community-staff", unitId: C1 }]
  ])
  const verifier = Authorization.fromLookup((token) =>
    Effect.sync(() => Option.fromNullable(data.get(Redacted.value(token))))
  )

  it.effect("found data is checked as a Principal (department included)", () =>
    Effect.gen(function* () {
      expect(yield* verifyWith(verifier, "t-staff")).toEqual(
        Option.some(principal("cs-wang", "community-staff", C1))
      )
      expect(yield* verifyWith(verifier, "t-dept")).toEqual(
        Option.some(principal("cg-liu", "department", D, CHENGGUAN))
      )
      // a granted subtree travels with the principal (issue 12 finding 9)
      expect(yield* verifyWith(verifier, "t-granted")).toEqual(
        Option.some(principal("cg-zhou", "department", D, CHENGGUAN, S1))
      )
      expect(yield* verifyWith(verifier, "unknown")).toEqual(Option.none())
    })
  )

  it.effect("data that is not a Principal (an unknown role) verifies to none: a 401, not a 500", () =>
    Effect.gen(function* () {
      expect(yield* verifyWith(verifier, "t-bad-role")).toEqual(Option.none())
    })
  )

  it.effect("a store failure is a defect (a 500), never a 401", () =>
    Effect.gen(function* () {
      const failing = Authorization.fromLookup(() => Effect.fail("store down" as const))
      const exit = yield* Effect.exit(verifyWith(failing, "t-staff"))
      expect(Exit.isFailure(exit) && !Exit.isInterrupted(exit)).toBe(true)
      expect(Exit.isFailure(exit) && exit.cause._tag === "Die").toBe(true)
    })
  )

  it.effect("layerLookup builds the verifier from the lookup's environment", () =>
    Effect.gen(function* () {
      const verifier = yield* Authorization.TokenVerifier
      expect(Option.isSome(yield* verifyWith(verifier, "t-staff"))).toBe(true)
    }).pipe(
      Effect.provide(
        Authorization.layerLookup(
          Effect.succeed((token: Redacted.Redacted<string>) =>
            Effect.succeed(Option.fromNullable(data.get(Redacted.value(token))))
          )
        )
      )
    )
  )
})

const env = (dialect: Dialect) => {
  const migrated = Layer.effectDiscard(Migrations.run.pipe(Effect.orDie)).pipe(
    Layer.provideMerge(dialect.fresh())
  )
  const repositories = SqlRepositories.layer().pipe(Layer.provideMerge(migrated))
  return Server.layer().pipe(
    Layer.provideMerge(Authorization.layerLookup(SqlApiKeys.bearerLookup)),
    Layer.provideMerge(repositories),
    Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })),
    Layer.orDie
  )
}

const get = (path: string, token: string) =>
  HttpServer.addressWith((address) =>
    Effect.promise(() =>
      fetch(`http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}${path}`, {
        headers: { authorization: `Bearer ${token}` }
      }).then((response) => response.status)
    )
  )

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(
    `the SQL key store as the verifier on ${dialect.name}`,
    (it) => {
      it.effect("an issued token verifies to its principal; a registered one too", () =>
        Effect.gen(function* () {
          const verifier = yield* Authorization.TokenVerifier
          const staff = principal("ss-zhao", "street-staff", "qingyun")
          const issued = yield* SqlApiKeys.issue(staff)
          expect(yield* verifier.verify(issued.token)).toEqual(Option.some(staff))
          const dept = principal("cg-liu", "department", D, CHENGGUAN)
          yield* SqlApiKeys.register(Redacted.make("demo-department-token"), dept)
          expect(yield* verifyWith(verifier, "demo-department-token")).toEqual(Option.some(dept))
        }).pipe(Effect.orDie)
      )

      it.effect(
        "HTTP: the API over the SQL key store answers 200 with an issued token, 401 once revoked",
        () =>
          Effect.gen(function* () {
            const issued = yield* SqlApiKeys.issue(principal("cs-wang", "community-staff", C1))
            const token = Redacted.value(issued.token)
            expect(yield* get("/hierarchy/units", token)).toBe(200)
            expect(yield* get("/hierarchy/units", `${token.slice(0, -1)}x`)).toBe(401)
            yield* SqlApiKeys.revoke(issued.id)
            expect(yield* get("/hierarchy/units", token)).toBe(401)
          }).pipe(Effect.orDie)
      )
    }
  )
}
