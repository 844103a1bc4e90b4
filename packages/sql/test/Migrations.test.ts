import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Migrations from "../src/Migrations.js"
import { dialects, pgUrl } from "./support/Databases.js"

describe.each(dialects)("Migrations on $name", (dialect) => {
  it.effect("a fresh database migrates to the latest version; running again applies nothing", () =>
    Effect.gen(function* () {
      const first = yield* Migrations.run
      expect(first.map(([id]) => id)).toEqual(
        Object.keys(Migrations.migrations).map((k) => Number(k.split("_")[0]))
      )
      expect(yield* Migrations.databaseVersion).toBe(Migrations.latestVersion)
      const second = yield* Migrations.run
      expect(second).toEqual([])
    }).pipe(Effect.provide(dialect.fresh()))
  )

  it.effect(
    "a database migrated by a newer civicgrid is refused with DatabaseTooNew, naming both versions",
    () =>
      Effect.gen(function* () {
        yield* Migrations.run
        const sql = yield* SqlClient.SqlClient
        const future = Migrations.latestVersion + 1
        yield* sql`INSERT INTO ${sql(Migrations.table)} (migration_id, name) VALUES (${future}, ${"from_the_future"})`
        const error = yield* Effect.flip(Migrations.run)
        expect(error._tag).toBe("DatabaseTooNew")
        if (error._tag === "DatabaseTooNew") {
          expect([error.databaseVersion, error.codeVersion]).toEqual([future, Migrations.latestVersion])
        }
      }).pipe(Effect.provide(dialect.fresh()))
  )
})

describe("PostgreSQL configuration", () => {
  it("CI runs the PostgreSQL half: CIVICGRID_PG_URL is set whenever CI is", () => {
    if (process.env["CI"] !== undefined) expect(pgUrl).toBeDefined()
    expect(dialects.length).toBe(pgUrl === undefined ? 1 : 2)
  })
})
