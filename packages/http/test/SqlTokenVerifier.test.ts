/**
 * 密钥库 — the SQL store of hashed API keys, on SQLite and PostgreSQL: a
 * token resolves to its principal (an Open311 key to its client) only while
 * live, only with the right secret, only for its kind; the secret is never
 * stored; the API served over it answers 200 with an issued token and 401
 * once revoked.
 */
import { createServer } from "node:http"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { TokenVerifier } from "../src/Authorization.js"
import * as Open311 from "../src/Open311.js"
import * as Server from "../src/Server.js"
import * as SqlTokenVerifier from "../src/SqlTokenVerifier.js"
import { C1, CHENGGUAN, D, type Dialect, dialects, principal, seedDemo } from "./support/Harness.js"

const env = (dialect: Dialect) => {
  const migrated = Layer.effectDiscard(Migrations.run.pipe(Effect.orDie)).pipe(
    Layer.provideMerge(dialect.fresh())
  )
  const repositories = Server.layerSqlRepositories().pipe(Layer.provideMerge(migrated))
  const verifiers = Layer.mergeAll(SqlTokenVerifier.layer, SqlTokenVerifier.layerApiKeys).pipe(
    Layer.provideMerge(repositories)
  )
  return Server.layer().pipe(
    Layer.provideMerge(verifiers),
    Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })),
    Layer.orDie
  )
}

const verify = (token: string) =>
  Effect.flatMap(TokenVerifier, (verifier) => verifier.verify(Redacted.make(token)))

const verifyOpen311 = (key: string) => Effect.flatMap(Open311.ApiKeys, (keys) => keys.verify(key))

const get = (path: string, token: string) =>
  HttpServer.addressWith((address) =>
    Effect.promise(() =>
      fetch(`http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}${path}`, {
        headers: { authorization: `Bearer ${token}` }
      }).then((response) => response.status)
    )
  )

const base64url = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"]

const streetStaff = principal("ss-zhao", "street-staff", "qingyun")
const department = principal("cg-liu", "department", D, CHENGGUAN)

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(
    `SqlTokenVerifier on ${dialect.name}`,
    (it) => {
      it.effect(
        "签发: an issued token resolves to its principal (department included); its shape is cg_<id>_<secret>",
        () =>
          Effect.gen(function* () {
            const issued = yield* SqlTokenVerifier.issue(streetStaff)
            const token = Redacted.value(issued.token)
            expect(token).toMatch(/^cg_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/)
            expect(token.startsWith(`cg_${issued.id}_`)).toBe(true)
            expect(yield* verify(token)).toEqual(Option.some(streetStaff))
            const dept = yield* SqlTokenVerifier.issue(department)
            expect(yield* verify(Redacted.value(dept.token))).toEqual(Option.some(department))
          }).pipe(Effect.orDie)
      )

      it.effect("哈希存储: the secret is stored only as its SHA-256, never in plain", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const issued = yield* SqlTokenVerifier.issue(streetStaff)
          const secret = Redacted.value(issued.token).slice(`cg_${issued.id}_`.length)
          const rows = yield* sql<Record<string, unknown>>`SELECT * FROM cg_api_keys WHERE id = ${issued.id}`
          expect(rows.length).toBe(1)
          const stored = JSON.stringify(rows[0])
          expect(stored).not.toContain(secret)
          expect(String(rows[0]?.["secret_hash"])).toMatch(/^[0-9a-f]{64}$/)
        }).pipe(Effect.orDie)
      )

      it.effect(
        "伪造: a tampered secret, another key's id, a malformed or empty token all resolve to none",
        () =>
          Effect.gen(function* () {
            const a = Redacted.value((yield* SqlTokenVerifier.issue(streetStaff)).token)
            const b = Redacted.value((yield* SqlTokenVerifier.issue(department)).token)
            const last = a.slice(-1) === "A" ? "B" : "A"
            const forged = [
              `${a.slice(0, -1)}${last}`,
              `${a.slice(0, 20)}${b.slice(20)}`, // a's id, b's secret
              a.toUpperCase(),
              `${a} `,
              a.slice(0, -1),
              "",
              "cg__",
              "' OR '1'='1",
              `cg_${"0".repeat(16)}_${"A".repeat(43)}`
            ]
            for (const token of forged) expect(yield* verify(token)).toEqual(Option.none())
          }).pipe(Effect.orDie)
      )

      it.effect("随机令牌: generated strings never resolve", () =>
        Effect.gen(function* () {
          yield* SqlTokenVerifier.issue(streetStaff)
          const tokens = fc.sample(
            fc.oneof(
              fc.string({ maxLength: 80 }),
              fc
                .tuple(
                  fc.hexaString({ minLength: 16, maxLength: 16 }),
                  fc.string({ unit: fc.constantFrom(...base64url), minLength: 43, maxLength: 43 })
                )
                .map(([id, secret]) => `cg_${id}_${secret}`)
            ),
            { numRuns: 200, seed: 7 }
          )
          for (const token of tokens) expect(yield* verify(token)).toEqual(Option.none())
        }).pipe(Effect.orDie)
      )

      it.effect("吊销: a revoked token resolves to none; revoking again or an unknown id is false", () =>
        Effect.gen(function* () {
          const issued = yield* SqlTokenVerifier.issue(streetStaff)
          expect(yield* SqlTokenVerifier.revoke(issued.id)).toBe(true)
          expect(yield* verify(Redacted.value(issued.token))).toEqual(Option.none())
          expect(yield* SqlTokenVerifier.revoke(issued.id)).toBe(false)
          expect(yield* SqlTokenVerifier.revoke("no-such-key")).toBe(false)
        }).pipe(Effect.orDie)
      )

      it.effect(
        "Open311: a client's api_key resolves to the client; bearer tokens and Open311 keys do not mix",
        () =>
          Effect.gen(function* () {
            const client: Open311.ApiClient = { id: "fixmystreet", name: "FixMyStreet 示例" }
            const key = yield* SqlTokenVerifier.issueOpen311(client)
            const bearer = yield* SqlTokenVerifier.issue(streetStaff)
            expect(yield* verifyOpen311(Redacted.value(key.token))).toEqual(Option.some(client))
            expect(yield* verifyOpen311(Redacted.value(bearer.token))).toEqual(Option.none())
            expect(yield* verify(Redacted.value(key.token))).toEqual(Option.none())
            expect(yield* SqlTokenVerifier.revoke(key.id)).toBe(true)
            expect(yield* verifyOpen311(Redacted.value(key.token))).toEqual(Option.none())
          }).pipe(Effect.orDie)
      )

      it.effect(
        "登记: a registered well-known token resolves to its principal, is stored only hashed and is revoked by its id",
        () =>
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const token = "demo-street-staff-register"
            const registered = yield* SqlTokenVerifier.register(Redacted.make(token), streetStaff)
            expect(Redacted.value(registered.token)).toBe(token)
            expect(yield* verify(token)).toEqual(Option.some(streetStaff))
            expect(yield* verifyOpen311(token)).toEqual(Option.none())
            const rows = yield* sql<
              Record<string, unknown>
            >`SELECT * FROM cg_api_keys WHERE id = ${registered.id}`
            expect(rows.length).toBe(1)
            expect(JSON.stringify(rows[0])).not.toContain(token)
            // one character off, or the same token again: refused
            expect(yield* verify(`${token.slice(0, -1)}X`)).toEqual(Option.none())
            const again = yield* Effect.either(SqlTokenVerifier.register(Redacted.make(token), department))
            expect(again._tag).toBe("Left")
            expect(yield* verify(token)).toEqual(Option.some(streetStaff))
            expect(yield* SqlTokenVerifier.revoke(registered.id)).toBe(true)
            expect(yield* verify(token)).toEqual(Option.none())
          }).pipe(Effect.orDie)
      )

      it.effect(
        "登记 Open311: a registered api_key resolves to its client; an issued-shape key registers under its own id",
        () =>
          Effect.gen(function* () {
            const client: Open311.ApiClient = { id: "demo", name: "演示客户端" }
            yield* SqlTokenVerifier.registerOpen311(Redacted.make("demo-open311-key-register"), client)
            expect(yield* verifyOpen311("demo-open311-key-register")).toEqual(Option.some(client))
            expect(yield* verify("demo-open311-key-register")).toEqual(Option.none())
            const shaped = `cg_${"ab".repeat(8)}_${"Q".repeat(43)}`
            const issuedShape = yield* SqlTokenVerifier.register(Redacted.make(shaped), department)
            expect(issuedShape.id).toBe("ab".repeat(8))
            expect(yield* verify(shaped)).toEqual(Option.some(department))
          }).pipe(Effect.orDie)
      )

      it.effect(
        "令牌不可登记: a token outside the bearer alphabet or 8–512 characters is refused, naming the rule",
        () =>
          Effect.gen(function* () {
            const refused = (token: string) =>
              Effect.flip(SqlTokenVerifier.register(Redacted.make(token), streetStaff)).pipe(
                Effect.map((e) => (e._tag === "TokenRefused" ? e.rule : e._tag))
              )
            expect(yield* refused("short")).toBe("length")
            expect(yield* refused("x".repeat(513))).toBe("length")
            expect(yield* refused("has a space")).toBe("alphabet")
            expect(yield* refused("令牌令牌令牌令牌")).toBe("alphabet")
            expect(yield* refused("padding=in-the-middle")).toBe("alphabet")
          })
      )

      it.effect(
        "HTTP: the API over the SQL verifier answers 200 with an issued token, 401 once revoked",
        () =>
          Effect.gen(function* () {
            const issued = yield* SqlTokenVerifier.issue(principal("cs-wang", "community-staff", C1))
            const token = Redacted.value(issued.token)
            expect(yield* get("/hierarchy/units", token)).toBe(200)
            expect(yield* get("/hierarchy/units", `${token.slice(0, -1)}x`)).toBe(401)
            yield* SqlTokenVerifier.revoke(issued.id)
            expect(yield* get("/hierarchy/units", token)).toBe(401)
          }).pipe(Effect.orDie)
      )
    }
  )
}
