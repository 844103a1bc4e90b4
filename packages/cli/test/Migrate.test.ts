/**
 * `civicgrid migrate` applies every migration of `@civicgrid/sql` once, on
 * SQLite and PostgreSQL; a second run applies nothing; a database migrated by
 * a newer civicgrid is refused, untouched, with `DatabaseTooNew`.
 */
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const appliedLines = (out: string): ReadonlyArray<string> =>
  out.split("\n").filter((line) => line.startsWith("已应用 applied "))

for (const dialect of Databases.dialects) {
  describe(`civicgrid migrate (${dialect.name})`, () => {
    it.scoped(
      "applies every migration once, in id order, and reports the latest version; a second run applies nothing",
      () =>
        Effect.gen(function* () {
          const url = yield* dialect.fresh
          const first = yield* TestConsole.runCli(["migrate", "--database", url])
          expect(Exit.isSuccess(first.exit), first.err).toBe(true)
          expect(appliedLines(first.out)).toEqual(
            Object.keys(Migrations.migrations)
              .sort()
              .map((key) => `已应用 applied ${key}`)
          )
          expect(first.out).toContain(`database version ${Migrations.latestVersion} `)

          const second = yield* TestConsole.runCli(["migrate", "--database", url])
          expect(Exit.isSuccess(second.exit), second.err).toBe(true)
          expect(appliedLines(second.out)).toEqual([])
          expect(second.out).toContain("nothing to apply")
          expect(second.out).toContain(`database version ${Migrations.latestVersion} `)
        }),
      30_000
    )
  })
}

describe("civicgrid migrate on a database newer than the code", () => {
  it.scoped("fails with DatabaseTooNew, says so, and applies nothing", () =>
    Effect.gen(function* () {
      const url = yield* Databases.sqlite.fresh
      const filename = url.slice("sqlite:".length)
      expect(Exit.isSuccess((yield* TestConsole.runCli(["migrate", "--database", url])).exit)).toBe(true)
      const newer = Migrations.latestVersion + 1
      const count = Effect.gen(function* () {
        const sql = yield* SqliteClient.SqliteClient
        const rows = yield* sql<{ readonly n: number }>`SELECT COUNT(*) AS n FROM cg_migrations`
        return rows[0]?.n ?? -1
      })
      const before = yield* Effect.gen(function* () {
        const sql = yield* SqliteClient.SqliteClient
        yield* sql`INSERT INTO cg_migrations (migration_id, name) VALUES (${newer}, ${"from_the_future"})`
        return yield* count
      }).pipe(Effect.provide(SqliteClient.layer({ filename })), Effect.orDie)

      const run = yield* TestConsole.runCli(["migrate", "--database", url])
      expect(TestConsole.failureOf(run.exit)).toBeInstanceOf(Migrations.DatabaseTooNew)
      expect(run.err).toContain(`migration ${newer}, newer than this civicgrid (${Migrations.latestVersion})`)
      expect(run.err).not.toMatch(/\n\s+at /)
      const after = yield* count.pipe(Effect.provide(SqliteClient.layer({ filename })), Effect.orDie)
      expect(after).toBe(before)
    })
  )
})

describe("civicgrid migrate on a database that cannot be opened", () => {
  it.scoped("a SQLite path under a regular file is a DatabaseUnavailable failure, not a crash", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const file = join(dir, "a-file")
      yield* Effect.promise(() => writeFile(file, ""))
      const run = yield* TestConsole.runCli([
        "migrate",
        "--database",
        `sqlite:${join(file, "civicgrid.sqlite")}`
      ])
      expect(TestConsole.failureOf(run.exit)).toBeInstanceOf(DatabaseOption.DatabaseUnavailable)
      expect(run.err).toContain(`cannot open SQLite ${join(file, "civicgrid.sqlite")}`)
      expect(run.err).not.toMatch(/\n\s+at /)
    })
  )
})
