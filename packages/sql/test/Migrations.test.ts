import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Migrations from "../src/Migrations.js"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import { A, accept, DEPT_CG, dispatch, execute, report, T0 } from "./support/CaseFixtures.js"
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
    "0008 fills the access columns of cases stored before it from their events (reporter, current department)",
    () =>
      Effect.gen(function* () {
        yield* Migrations.run
        yield* execute(report("older-1"))
        yield* execute(accept("older-1", T0 + 60_000))
        yield* execute(dispatch("older-1", T0 + 120_000))
        yield* execute(report("older-2", { at: T0 + 1, by: { actor: A.resident, source: "resident-app" } }))
        // back to the schema of 0007: the columns of 0008 gone, and the records of 0008 and later
        // (the migrator applies what lies above the latest record; the later migrations run again)
        const sql = yield* SqlClient.SqlClient
        yield* sql`DROP INDEX cg_cases_reporter`
        yield* sql`DROP INDEX cg_cases_department`
        yield* sql`ALTER TABLE cg_cases DROP COLUMN reported_by`
        yield* sql`ALTER TABLE cg_cases DROP COLUMN dispatch_department`
        yield* sql`DELETE FROM ${sql(Migrations.table)} WHERE migration_id >= 8`
        const applied = yield* Migrations.run
        expect(applied.map(([id]) => id)).toEqual(
          Object.keys(Migrations.migrations)
            .map((k) => Number(k.split("_")[0]))
            .filter((id) => id >= 8)
        )
        const rows = yield* sql<{
          readonly case_id: string
          readonly reported_by: string
          readonly dispatch_department: string | null
        }>`SELECT case_id, reported_by, dispatch_department FROM cg_cases ORDER BY case_id`
        expect(rows.map((r) => ({ ...r }))).toEqual([
          { case_id: "older-1", reported_by: A.gridWorker.id, dispatch_department: DEPT_CG },
          { case_id: "older-2", reported_by: A.resident.id, dispatch_department: null }
        ])
        const repo = yield* CaseRepository.CaseRepository
        const mine = yield* repo.list({ scope: { reportedBy: A.resident.id } })
        expect(mine.items.map((i) => i.caseId)).toEqual(["older-2"])
      }).pipe(Effect.provide(SqlCaseRepository.layer().pipe(Layer.provideMerge(dialect.fresh()))))
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
