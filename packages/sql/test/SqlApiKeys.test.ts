/**
 * 密钥库 — the SQL store of hashed API keys, on SQLite and PostgreSQL: a
 * token resolves to its principal data (an Open311 key to its client) only
 * while live, only with the right secret, only for its kind; the secret is
 * never stored. (The HTTP verifier over it is tested in `@civicgrid/http`.)
 */
import { createHash, createHmac } from "node:crypto"
import * as SqlClient from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Migrations from "../src/Migrations.js"
import * as SqlApiKeys from "../src/SqlApiKeys.js"
import { type Dialect, dialects } from "./support/Databases.js"

const env = (dialect: Dialect) =>
  Layer.effectDiscard(Migrations.run.pipe(Effect.orDie)).pipe(
    Layer.provideMerge(dialect.fresh()),
    Layer.orDie
  )

const verify = (token: string) => SqlApiKeys.findBearer(Redacted.make(token))

const verifyOpen311 = (key: string) => SqlApiKeys.findOpen311(Redacted.make(key))

const base64url = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"]

const streetStaff: SqlApiKeys.KeyPrincipal = { id: "ss-zhao", role: "street-staff", unitId: "qingyun" }
const department: SqlApiKeys.KeyPrincipal = {
  id: "cg-liu",
  role: "department",
  unitId: "panlong",
  departmentId: "chengguan"
}

for (const dialect of dialects) {
  layer(env(dialect), { excludeTestServices: true, timeout: "60 seconds" })(
    `SqlApiKeys on ${dialect.name}`,
    (it) => {
      it.effect(
        "签发: an issued token resolves to its principal data (department included); its shape is cg_<id>_<secret>",
        () =>
          Effect.gen(function* () {
            const issued = yield* SqlApiKeys.issue(streetStaff)
            const token = Redacted.value(issued.token)
            expect(token).toMatch(/^cg_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/)
            expect(token.startsWith(`cg_${issued.id}_`)).toBe(true)
            expect(yield* verify(token)).toEqual(Option.some(streetStaff))
            const dept = yield* SqlApiKeys.issue(department)
            expect(yield* verify(Redacted.value(dept.token))).toEqual(Option.some(department))
          }).pipe(Effect.orDie)
      )

      it.effect(
        "密钥哈希: with a server secret every key is stored as its HMAC-SHA-256 (not a plain hash); another secret does not verify it",
        () =>
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const secret = Redacted.make("server-secret-1")
            const withSecret = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
              Effect.provide(effect, SqlApiKeys.layerSecret(secret))
            const registered = yield* withSecret(
              SqlApiKeys.register(Redacted.make("weak-token-123"), streetStaff)
            )
            const rows = yield* sql<{ secret_hash: string; hash_scheme: string }>`
              SELECT secret_hash, hash_scheme FROM cg_api_keys WHERE id = ${registered.id}`
            expect(rows[0]?.hash_scheme).toBe("hmac-sha256")
            const plain = createHash("sha256").update("weak-token-123").digest("hex")
            expect(rows[0]?.secret_hash).not.toBe(plain)
            expect(rows[0]?.secret_hash).toBe(
              createHmac("sha256", "server-secret-1")
                .update(`${registered.id}\u0000weak-token-123`)
                .digest("hex")
            )
            expect(yield* withSecret(verify("weak-token-123"))).toEqual(Option.some(streetStaff))
            // a database without its secret reveals nothing that verifies
            expect(yield* verify("weak-token-123")).toEqual(Option.none())
            expect(
              yield* Effect.provide(verify("weak-token-123"), SqlApiKeys.layerSecret(Redacted.make("other")))
            ).toEqual(Option.none())
            const issued = yield* withSecret(SqlApiKeys.issue(streetStaff))
            expect(yield* withSecret(verify(Redacted.value(issued.token)))).toEqual(Option.some(streetStaff))
            // the bound lookup keeps the secret it was built with
            const lookup = yield* withSecret(SqlApiKeys.bearerLookup)
            expect(yield* lookup(Redacted.make("weak-token-123"))).toEqual(Option.some(streetStaff))
          }).pipe(Effect.orDie)
      )

      it.effect(
        "旧哈希: a legacy SHA-256 row (before 0011) still verifies and is re-hashed with the secret on its first success",
        () =>
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            // written as 0007 stored keys: the plain SHA-256, scheme defaulted by the migration
            const registered = yield* SqlApiKeys.register(Redacted.make("legacy-token-42"), department)
            yield* sql`UPDATE cg_api_keys SET hash_scheme = 'sha256', secret_hash = ${createHash("sha256")
              .update("legacy-token-42")
              .digest("hex")} WHERE id = ${registered.id}`
            const secret = SqlApiKeys.layerSecret(Redacted.make("server-secret-2"))
            expect(yield* Effect.provide(verify("wrong-legacy-token"), secret)).toEqual(Option.none())
            expect(yield* Effect.provide(verify("legacy-token-42"), secret)).toEqual(Option.some(department))
            const rows = yield* sql<{ hash_scheme: string }>`
              SELECT hash_scheme FROM cg_api_keys WHERE id = ${registered.id}`
            expect(rows[0]?.hash_scheme).toBe("hmac-sha256")
            expect(yield* Effect.provide(verify("legacy-token-42"), secret)).toEqual(Option.some(department))
          }).pipe(Effect.orDie)
      )

      it.effect(
        "慢哈希: without a secret a registered token is stored with scrypt, an issued key with SHA-256",
        () =>
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const registered = yield* SqlApiKeys.register(Redacted.make("chosen-token-7"), streetStaff)
            const issued = yield* SqlApiKeys.issue(streetStaff)
            const schemes = yield* sql<{ id: string; hash_scheme: string }>`
            SELECT id, hash_scheme FROM cg_api_keys WHERE id IN (${registered.id}, ${issued.id})`
            expect(Object.fromEntries(schemes.map((r) => [r.id, r.hash_scheme]))).toEqual({
              [registered.id]: "scrypt",
              [issued.id]: "sha256"
            })
            expect(yield* verify("chosen-token-7")).toEqual(Option.some(streetStaff))
            // checked again (remembered, not hashed again), and still refused once revoked
            expect(yield* verify("chosen-token-7")).toEqual(Option.some(streetStaff))
            expect(yield* SqlApiKeys.revoke(registered.id)).toBe(true)
            expect(yield* verify("chosen-token-7")).toEqual(Option.none())
          }).pipe(Effect.orDie)
      )

      it.effect("授权辖区: a department's granted subtree is stored and read back", () =>
        Effect.gen(function* () {
          const granted: SqlApiKeys.KeyPrincipal = { ...department, grantedSubtree: "qingyun" }
          const issued = yield* SqlApiKeys.issue(granted)
          expect(yield* verify(Redacted.value(issued.token))).toEqual(Option.some(granted))
        }).pipe(Effect.orDie)
      )

      it.effect(
        "本地角色: a key for a local role stores it beside the role it acts as, and reads both back (lookup, list)",
        () =>
          Effect.gen(function* () {
            const agent: SqlApiKeys.KeyPrincipal = {
              id: "pa-li",
              role: "grid-worker",
              unitId: "jinsha",
              localRole: "petition-agent"
            }
            const issued = yield* SqlApiKeys.issue(agent)
            expect(yield* verify(Redacted.value(issued.token))).toEqual(Option.some(agent))
            const registered = yield* SqlApiKeys.register(Redacted.make("local-role-token-1"), agent)
            expect(yield* verify("local-role-token-1")).toEqual(Option.some(agent))
            const listed = (yield* SqlApiKeys.list).filter(
              (k) => k.id === issued.id || k.id === registered.id
            )
            expect(listed.map((k) => k.principal)).toEqual([Option.some(agent), Option.some(agent)])
            // a key without a local role reads back without one
            const plain = yield* SqlApiKeys.issue(streetStaff)
            expect(yield* verify(Redacted.value(plain.token))).toEqual(Option.some(streetStaff))
          }).pipe(Effect.orDie)
      )

      it.effect("哈希存储: the secret is stored only as its SHA-256, never in plain", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const issued = yield* SqlApiKeys.issue(streetStaff)
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
            const a = Redacted.value((yield* SqlApiKeys.issue(streetStaff)).token)
            const b = Redacted.value((yield* SqlApiKeys.issue(department)).token)
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
          yield* SqlApiKeys.issue(streetStaff)
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

      it.effect(
        "密钥清单: list shows id, kind, principal or client, created and revoked of every key — never a key or its hash",
        () =>
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const before = Date.now()
            const bearer = yield* SqlApiKeys.issue(department)
            const client = { id: "fms-list", name: "FixMyStreet 列表" }
            const open311 = yield* SqlApiKeys.issueOpen311(client)
            const chosen = yield* SqlApiKeys.register(Redacted.make("listed-token-42"), streetStaff)
            expect(yield* SqlApiKeys.revoke(chosen.id)).toBe(true)
            const listed = yield* SqlApiKeys.list
            const byId = new Map(listed.map((k) => [k.id, k]))
            expect(byId.get(bearer.id)).toMatchObject({
              kind: "bearer",
              principal: Option.some(department),
              client: Option.none(),
              revokedAt: null
            })
            expect(byId.get(open311.id)).toMatchObject({
              kind: "open311",
              principal: Option.none(),
              client: Option.some(client),
              revokedAt: null
            })
            const revoked = byId.get(chosen.id)
            expect(revoked?.principal).toEqual(Option.some(streetStaff))
            expect(revoked?.revokedAt).not.toBeNull()
            for (const id of [bearer.id, open311.id, chosen.id]) {
              const created = Date.parse(byId.get(id)?.createdAt ?? "")
              expect(created).toBeGreaterThanOrEqual(before - 1000)
            }
            // oldest first
            const keys = listed.map((k) => k.createdAt)
            expect(keys).toEqual([...keys].sort())
            // no secret: neither the keys nor their stored hashes appear in what list returns
            const text = JSON.stringify(listed)
            const hashes = yield* sql<{ secret_hash: string }>`SELECT secret_hash FROM cg_api_keys`
            for (const h of hashes) expect(text).not.toContain(h.secret_hash)
            for (const plain of [
              Redacted.value(bearer.token),
              Redacted.value(open311.token),
              "listed-token-42"
            ])
              expect(text).not.toContain(plain)
          }).pipe(Effect.orDie)
      )

      it.effect("吊销: a revoked token resolves to none; revoking again or an unknown id is false", () =>
        Effect.gen(function* () {
          const issued = yield* SqlApiKeys.issue(streetStaff)
          expect(yield* SqlApiKeys.revoke(issued.id)).toBe(true)
          expect(yield* verify(Redacted.value(issued.token))).toEqual(Option.none())
          expect(yield* SqlApiKeys.revoke(issued.id)).toBe(false)
          expect(yield* SqlApiKeys.revoke("no-such-key")).toBe(false)
        }).pipe(Effect.orDie)
      )

      it.effect(
        "Open311: a client's api_key resolves to the client; bearer tokens and Open311 keys do not mix",
        () =>
          Effect.gen(function* () {
            const client: SqlApiKeys.KeyClient = { id: "fixmystreet", name: "FixMyStreet 示例" }
            const key = yield* SqlApiKeys.issueOpen311(client)
            const bearer = yield* SqlApiKeys.issue(streetStaff)
            expect(yield* verifyOpen311(Redacted.value(key.token))).toEqual(Option.some(client))
            expect(yield* verifyOpen311(Redacted.value(bearer.token))).toEqual(Option.none())
            expect(yield* verify(Redacted.value(key.token))).toEqual(Option.none())
            expect(yield* SqlApiKeys.revoke(key.id)).toBe(true)
            expect(yield* verifyOpen311(Redacted.value(key.token))).toEqual(Option.none())
          }).pipe(Effect.orDie)
      )

      it.effect(
        "登记: a registered well-known token resolves to its principal, is stored only hashed and is revoked by its id",
        () =>
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const token = "demo-street-staff-register"
            const registered = yield* SqlApiKeys.register(Redacted.make(token), streetStaff)
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
            const again = yield* Effect.either(SqlApiKeys.register(Redacted.make(token), department))
            expect(again._tag).toBe("Left")
            expect(yield* verify(token)).toEqual(Option.some(streetStaff))
            expect(yield* SqlApiKeys.revoke(registered.id)).toBe(true)
            expect(yield* verify(token)).toEqual(Option.none())
          }).pipe(Effect.orDie)
      )

      it.effect(
        "登记 Open311: a registered api_key resolves to its client; an issued-shape key registers under its own id",
        () =>
          Effect.gen(function* () {
            const client: SqlApiKeys.KeyClient = { id: "demo", name: "演示客户端" }
            yield* SqlApiKeys.registerOpen311(Redacted.make("demo-open311-key-register"), client)
            expect(yield* verifyOpen311("demo-open311-key-register")).toEqual(Option.some(client))
            expect(yield* verify("demo-open311-key-register")).toEqual(Option.none())
            const shaped = `cg_${"ab".repeat(8)}_${"Q".repeat(43)}`
            const issuedShape = yield* SqlApiKeys.register(Redacted.make(shaped), department)
            expect(issuedShape.id).toBe("ab".repeat(8))
            expect(yield* verify(shaped)).toEqual(Option.some(department))
          }).pipe(Effect.orDie)
      )

      it.effect(
        "令牌不可登记: a token outside the bearer alphabet or 8–512 characters is refused, naming the rule",
        () =>
          Effect.gen(function* () {
            const refused = (token: string) =>
              Effect.flip(SqlApiKeys.register(Redacted.make(token), streetStaff)).pipe(
                Effect.map((e) => (e._tag === "TokenRefused" ? e.rule : e._tag))
              )
            expect(yield* refused("short")).toBe("length")
            expect(yield* refused("x".repeat(513))).toBe("length")
            expect(yield* refused("has a space")).toBe("alphabet")
            expect(yield* refused("令牌令牌令牌令牌")).toBe("alphabet")
            expect(yield* refused("padding=in-the-middle")).toBe("alphabet")
          })
      )

      it.effect("查找: the bound lookups answer like findBearer / findOpen311", () =>
        Effect.gen(function* () {
          const bearer = yield* SqlApiKeys.bearerLookup
          const open311 = yield* SqlApiKeys.open311Lookup
          const issued = yield* SqlApiKeys.issue(department)
          const client: SqlApiKeys.KeyClient = { id: "app", name: "App" }
          const key = yield* SqlApiKeys.issueOpen311(client)
          expect(yield* bearer(issued.token)).toEqual(Option.some(department))
          expect(yield* open311(key.token)).toEqual(Option.some(client))
          expect(yield* bearer(key.token)).toEqual(Option.none())
        }).pipe(Effect.orDie)
      )
    }
  )
}
