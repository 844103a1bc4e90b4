import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Migrations from "../src/Migrations.js"
import { openPredicate } from "../src/migrations/0021_case_layout.js"
import { openStatusPredicate } from "../src/SqlCaseRepository.js"
import { dialects } from "./support/Databases.js"

describe("case layout (migration 0021)", () => {
  it("the partial indexes' predicate is the one the store's queries write out", () => {
    expect(openPredicate).toBe(openStatusPredicate)
  })
})

describe.each(dialects)("case layout on $name", (dialect) => {
  it.effect("the read model has the partial open-case indexes and no community index", () =>
    Effect.gen(function* () {
      yield* Migrations.run
      const sql = yield* SqlClient.SqlClient
      const names = yield* sql.onDialectOrElse({
        pg: () =>
          sql<{
            readonly name: string
          }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'cg_cases'`,
        orElse: () =>
          sql<{
            readonly name: string
          }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cg_cases'`
      })
      const present = new Set(names.map((r) => r.name))
      for (const name of [
        "cg_cases_open_deadline",
        "cg_cases_open_yellow",
        "cg_cases_open_red",
        "cg_cases_closed",
        "cg_cases_open_path"
      ])
        expect(present.has(name)).toBe(true)
      for (const name of ["cg_cases_deadline", "cg_cases_yellow", "cg_cases_red", "cg_cases_community"])
        expect(present.has(name)).toBe(false)
    }).pipe(Effect.provide(dialect.fresh()))
  )

  it.effect("the scheduler's due query is a range of the partial open-deadline index", () =>
    Effect.gen(function* () {
      yield* Migrations.run
      const sql = yield* SqlClient.SqlClient
      const query = `SELECT case_id FROM cg_cases WHERE deadline < 1000 AND ${openStatusPredicate} ORDER BY deadline, case_id LIMIT 10`
      const plan = yield* sql.onDialectOrElse({
        pg: () =>
          sql.withTransaction(
            Effect.gen(function* () {
              // an empty table: forbid the sequential scan so the plan shows which index serves it
              yield* sql`SET LOCAL enable_seqscan = off`
              const rows = yield* sql.unsafe<{ readonly "QUERY PLAN": string }>(`EXPLAIN ${query}`)
              return rows.map((r) => r["QUERY PLAN"]).join("\n")
            })
          ),
        // SQLite plans an empty table without statistics: ask that the partial index serve it
        // (`INDEXED BY` fails with "no query solution" when the query does not imply its predicate)
        orElse: () =>
          Effect.map(
            sql.unsafe<{ readonly detail: string }>(
              `EXPLAIN QUERY PLAN ${query.replace("FROM cg_cases", "FROM cg_cases INDEXED BY cg_cases_open_deadline")}`
            ),
            (rows) => rows.map((r) => r.detail).join("\n")
          )
      })
      expect(plan).toContain("cg_cases_open_deadline")
    }).pipe(Effect.provide(dialect.fresh()))
  )

  it.effect(
    "the board's open-case counts are a subtree range of the partial open-path index (migration 0025)",
    () =>
      Effect.gen(function* () {
        yield* Migrations.run
        const sql = yield* SqlClient.SqlClient
        const query = `SELECT status, tier, COUNT(*) AS n FROM cg_cases WHERE (unit_path >= 'D/S1/' AND unit_path < 'D/S10') AND ${openStatusPredicate} AND supervisions > 0 GROUP BY status, tier`
        const plan = yield* sql.onDialectOrElse({
          pg: () =>
            sql.withTransaction(
              Effect.gen(function* () {
                yield* sql`SET LOCAL enable_seqscan = off`
                const rows = yield* sql.unsafe<{ readonly "QUERY PLAN": string }>(`EXPLAIN ${query}`)
                return rows.map((r) => r["QUERY PLAN"]).join("\n")
              })
            ),
          orElse: () =>
            Effect.map(
              sql.unsafe<{ readonly detail: string }>(
                `EXPLAIN QUERY PLAN ${query.replace("FROM cg_cases", "FROM cg_cases INDEXED BY cg_cases_open_path")}`
              ),
              (rows) => rows.map((r) => r.detail).join("\n")
            )
        })
        expect(plan).toContain("cg_cases_open_path")
      }).pipe(Effect.provide(dialect.fresh()))
  )
})
