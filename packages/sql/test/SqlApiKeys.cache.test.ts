/**
 * 密钥缓存 — `bearerLookupCached` / `open311LookupCached` on SQLite and
 * PostgreSQL: a verified key is answered from memory without a statement; a
 * wrong secret never is; `revoke` in this process takes effect at once; a
 * revocation the cache was not told of (another process: the row updated
 * directly) takes effect once the entry expires; the cache holds at most its
 * capacity. On the test clock.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Statement from "@effect/sql/Statement"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as Migrations from "../src/Migrations.js"
import * as SqlApiKeys from "../src/SqlApiKeys.js"
import { dialects } from "./support/Databases.js"

const base64url = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"]

const staff: SqlApiKeys.KeyPrincipal = { id: "ss-zhao", role: "street-staff", unitId: "qingyun" }

/** Runs `effect`, counting the SQL statements it executes. */
const counted = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    let statements = 0
    const result = yield* Statement.withTransformer(effect, (statement) =>
      Effect.sync(() => {
        statements++
        return statement
      })
    )
    return { result, statements }
  })

/** What another process does to revoke a key: the row updated, this process not told. */
const revokeElsewhere = (id: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`UPDATE cg_api_keys SET revoked_at = ${new Date().toISOString()} WHERE id = ${id}`
  )

/** A wrong secret for an issued token: its last character changed. */
const tampered = (token: string): string => `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`

for (const dialect of dialects) {
  describe(`SqlApiKeys cache on ${dialect.name}`, () => {
    const migrated = () =>
      Layer.effectDiscard(Effect.orDie(Migrations.run)).pipe(Layer.provideMerge(dialect.fresh()))

    it.effect("a verified token is answered from memory without a statement; a wrong secret never is", () =>
      Effect.gen(function* () {
        const lookup = yield* SqlApiKeys.bearerLookupCached()
        const issued = yield* SqlApiKeys.issue(staff)
        const first = yield* counted(lookup(issued.token))
        expect(first.result).toEqual(Option.some(staff))
        expect(first.statements).toBeGreaterThan(0)
        const again = yield* counted(lookup(issued.token))
        expect(again).toEqual({ result: Option.some(staff), statements: 0 })
        // a wrong secret goes to the store and is refused, every time (failures are not cached)
        const wrong = Redacted.make(tampered(Redacted.value(issued.token)))
        for (let k = 0; k < 2; k++) {
          const refused = yield* counted(lookup(wrong))
          expect(refused.result).toEqual(Option.none())
          expect(refused.statements).toBeGreaterThan(0)
        }
        // an unknown token is not cached either: registered after a failed lookup, it verifies at once
        const chosen = Redacted.make("chosen-token-after")
        expect(yield* lookup(chosen)).toEqual(Option.none())
        yield* SqlApiKeys.register(chosen, staff)
        expect(yield* lookup(chosen)).toEqual(Option.some(staff))
        // the right one is still answered from memory
        expect(yield* counted(lookup(issued.token))).toEqual({ result: Option.some(staff), statements: 0 })
      }).pipe(Effect.provide(migrated()), Effect.orDie)
    )

    it.effect(
      "伪造: with the right token cached, a token differing in one character of its secret is refused",
      () =>
        Effect.gen(function* () {
          const lookup = yield* SqlApiKeys.bearerLookupCached()
          const issued = yield* SqlApiKeys.issue(staff)
          const token = Redacted.value(issued.token)
          expect(yield* lookup(issued.token)).toEqual(Option.some(staff))
          const secretStart = token.length - 43
          const forged = fc.sample(
            fc
              .tuple(fc.integer({ min: secretStart, max: token.length - 1 }), fc.constantFrom(...base64url))
              .map(([at, c]) => `${token.slice(0, at)}${c}${token.slice(at + 1)}`)
              .filter((t) => t !== token),
            { numRuns: 100, seed: 11 }
          )
          for (const t of forged) expect(yield* lookup(Redacted.make(t))).toEqual(Option.none())
          expect(yield* counted(lookup(issued.token))).toEqual({ result: Option.some(staff), statements: 0 })
        }).pipe(Effect.provide(migrated()), Effect.orDie)
    )

    it.effect("revoke in this process takes effect at once (bearer and Open311)", () =>
      Effect.gen(function* () {
        const bearer = yield* SqlApiKeys.bearerLookupCached()
        const open311 = yield* SqlApiKeys.open311LookupCached()
        const issued = yield* SqlApiKeys.issue(staff)
        const other = yield* SqlApiKeys.issue(staff)
        const client: SqlApiKeys.KeyClient = { id: "app", name: "App" }
        const key = yield* SqlApiKeys.issueOpen311(client)
        expect(yield* bearer(issued.token)).toEqual(Option.some(staff))
        expect(yield* bearer(other.token)).toEqual(Option.some(staff))
        expect(yield* open311(key.token)).toEqual(Option.some(client))
        expect((yield* counted(open311(key.token))).statements).toBe(0)
        expect(yield* SqlApiKeys.revoke(issued.id)).toBe(true)
        expect(yield* SqlApiKeys.revoke(key.id)).toBe(true)
        expect(yield* bearer(issued.token)).toEqual(Option.none())
        expect(yield* open311(key.token)).toEqual(Option.none())
        // the other key is untouched
        expect(yield* bearer(other.token)).toEqual(Option.some(staff))
      }).pipe(Effect.provide(migrated()), Effect.orDie)
    )

    it.effect("a revocation by another process takes effect when the entry expires (ttl)", () =>
      Effect.gen(function* () {
        const lookup = yield* SqlApiKeys.bearerLookupCached({ ttl: "5 seconds" })
        const issued = yield* SqlApiKeys.issue(staff)
        expect(yield* lookup(issued.token)).toEqual(Option.some(staff))
        yield* revokeElsewhere(issued.id)
        // the trade-off: within the ttl the cached key is still answered
        yield* TestClock.adjust("4999 millis")
        expect(yield* counted(lookup(issued.token))).toEqual({ result: Option.some(staff), statements: 0 })
        yield* TestClock.adjust("1 millis")
        expect(yield* lookup(issued.token)).toEqual(Option.none())
        // an uncached lookup (ttl 0) never answers a revoked key
        const uncached = yield* SqlApiKeys.bearerLookupCached({ ttl: 0 })
        const fresh = yield* SqlApiKeys.issue(staff)
        expect(yield* uncached(fresh.token)).toEqual(Option.some(staff))
        expect((yield* counted(uncached(fresh.token))).statements).toBeGreaterThan(0)
        yield* revokeElsewhere(fresh.id)
        expect(yield* uncached(fresh.token)).toEqual(Option.none())
      }).pipe(Effect.provide(migrated()), Effect.orDie)
    )

    it.effect("holds at most its capacity, dropping the oldest first", () =>
      Effect.gen(function* () {
        const lookup = yield* SqlApiKeys.bearerLookupCached({ capacity: 3 })
        const tokens = []
        for (let k = 0; k < 4; k++) tokens.push((yield* SqlApiKeys.issue({ ...staff, id: `ss-${k}` })).token)
        const [t0, t1, t2, t3] = tokens
        if (t0 === undefined || t1 === undefined || t2 === undefined || t3 === undefined)
          return expect.unreachable("four tokens")
        for (const t of [t0, t1, t2, t3]) expect(Option.isSome(yield* lookup(t))).toBe(true)
        // t0 was dropped (a statement again); t1..t3 are answered from memory
        expect((yield* counted(lookup(t0))).statements).toBeGreaterThan(0)
        // looking t0 up again put it back and dropped the then-oldest, t1
        expect((yield* counted(lookup(t2))).statements).toBe(0)
        expect((yield* counted(lookup(t3))).statements).toBe(0)
        expect((yield* counted(lookup(t0))).statements).toBe(0)
        expect((yield* counted(lookup(t1))).statements).toBeGreaterThan(0)
      }).pipe(Effect.provide(migrated()), Effect.orDie)
    )
  })
}
