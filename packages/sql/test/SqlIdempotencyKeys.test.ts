import * as IdempotencyRetention from "@civicgrid/core/IdempotencyRetention"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import * as Migrations from "../src/Migrations.js"
import * as SqlIdempotencyKeys from "../src/SqlIdempotencyKeys.js"
import { dialects } from "./support/Databases.js"

const DAY = 86_400_000

const seed = (createdAt: ReadonlyArray<number>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO cg_idempotency ${sql.insert(
      createdAt.map((at, i) => ({ idempotency_key: `key-${i}`, case_id: `case-${i}`, created_at: at }))
    )}`
  })

const remaining = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.map(
    sql<{
      readonly idempotency_key: string
    }>`SELECT idempotency_key FROM cg_idempotency ORDER BY idempotency_key`,
    (rows) => rows.map((r) => r.idempotency_key)
  )
)

describe.each(dialects)("SqlIdempotencyKeys on $name", (dialect) => {
  it.effect("prune removes at most `limit` keys recorded before the instant, the oldest first", () =>
    Effect.gen(function* () {
      yield* Migrations.run
      // key-0 … key-4 at days 5, 1, 3, 2, 4
      yield* seed([5 * DAY, 1 * DAY, 3 * DAY, 2 * DAY, 4 * DAY])
      const keys = SqlIdempotencyKeys.make(yield* SqlClient.SqlClient)
      expect(yield* keys.prune(4 * DAY, 2)).toBe(2)
      expect(yield* remaining).toEqual(["key-0", "key-2", "key-4"])
      expect(yield* keys.prune(4 * DAY, 10)).toBe(1)
      expect(yield* remaining).toEqual(["key-0", "key-4"])
      expect(yield* keys.prune(4 * DAY, 10)).toBe(0)
    }).pipe(Effect.provide(dialect.fresh()))
  )

  it.effect("IdempotencyRetention.pruneOnce keeps the keys younger than the retention", () =>
    Effect.gen(function* () {
      yield* Migrations.run
      yield* seed([1 * DAY, 10 * DAY, 41 * DAY, 45 * DAY])
      yield* TestClock.setTime(70 * DAY)
      const removed = yield* IdempotencyRetention.pruneOnce({ retention: Duration.days(30) }).pipe(
        Effect.provide(SqlIdempotencyKeys.layer)
      )
      expect(removed).toBe(2)
      expect(yield* remaining).toEqual(["key-2", "key-3"])
    }).pipe(Effect.provide(dialect.fresh()))
  )
})
