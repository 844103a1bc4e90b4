/**
 * 租约（SQL） — `SqlLease` on SQLite and PostgreSQL: of holders claiming one
 * lease at once exactly one gets it; the holder renews it; nobody else gets
 * it before it expires; after that exactly one other holder takes it over.
 * Leases of different names are independent.
 */
import * as Lease from "@civicgrid/core/Lease"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as Migrations from "../src/Migrations.js"
import * as SqlLease from "../src/SqlLease.js"
import { dialects } from "./support/Databases.js"

for (const dialect of dialects) {
  describe(`SqlLease on ${dialect.name}`, () => {
    const migrated = () =>
      Layer.effectDiscard(Effect.orDie(Migrations.run)).pipe(Layer.provideMerge(dialect.fresh()))

    it.effect("two holders, expiry, takeover", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        // the test clock starts at 0: run on an instant like today's
        yield* TestClock.setTime(Date.UTC(2026, 0, 5, 1, 0))
        const holders = Array.from({ length: 8 }, (_, k) => SqlLease.make(sql, `holder-${k}`))
        let runs = 0
        const work = Effect.sync(() => ++runs)
        const claimAll = () =>
          Effect.all(
            holders.map((h) => h.run("escalation", "60 seconds", work)),
            { concurrency: "unbounded" }
          )
        const first = yield* claimAll()
        expect(first.filter(Option.isSome).length).toBe(1)
        const winner = first.findIndex(Option.isSome)
        const own = holders[winner]
        const next = holders[(winner + 1) % holders.length]
        if (own === undefined || next === undefined) return expect.unreachable("no winner")
        const rows = yield* sql<{
          readonly holder: string
        }>`SELECT holder FROM cg_leases WHERE name = 'escalation'`
        expect(rows.map((r) => r.holder)).toEqual([`holder-${winner}`])
        // before it expires: only its holder runs (and renews it)
        yield* TestClock.adjust("59 seconds")
        const second = yield* claimAll()
        expect(second.map(Option.isSome)).toEqual(holders.map((_, k) => k === winner))
        // another lease is independent
        const other = yield* next.run("reminders", "60 seconds", work)
        expect(Option.isSome(other)).toBe(true)
        // the holder stops: once expired, exactly one of the others takes over
        yield* TestClock.adjust("60 seconds")
        const others = holders.filter((_, k) => k !== winner)
        const third = yield* Effect.all(
          others.map((h) => h.run("escalation", "60 seconds", work)),
          { concurrency: "unbounded" }
        )
        expect(third.filter(Option.isSome).length).toBe(1)
        // the old holder is now refused
        expect(Option.isNone(yield* own.run("escalation", "60 seconds", work))).toBe(true)
        expect(runs).toBe(4)
      }).pipe(Effect.provide(migrated()))
    )

    it.effect("the layer names its own holder; Lease.claimable is the rule the table follows", () =>
      Effect.gen(function* () {
        const lease = yield* Lease.Lease
        expect(lease.holder).toMatch(/^holder-/)
        expect(Lease.claimable(undefined, "a", 0)).toBe(true)
        expect(Lease.claimable({ holder: "b", expiresAt: 10 }, "a", 9)).toBe(false)
        expect(Lease.claimable({ holder: "b", expiresAt: 10 }, "a", 10)).toBe(true)
        expect(Lease.claimable({ holder: "a", expiresAt: 10 }, "a", 0)).toBe(true)
        expect(yield* lease.run("job", "1 second", Effect.succeed(7))).toEqual(Option.some(7))
      }).pipe(Effect.provide(SqlLease.layer().pipe(Layer.provideMerge(migrated()))))
    )
  })
}
