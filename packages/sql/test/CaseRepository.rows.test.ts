/**
 * The read-model row (`internal/caseRows.ts`): one schema (`CaseRow`: the
 * core's summary plus path and access facts ⇄ the `cg_cases` row) from which
 * the columns, the insert, the upsert's SET list and the decoding come. Checks
 * that the derived pieces agree with the schema and with the migrated table
 * on both dialects, for case states reached by random command sequences.
 */
import * as Case from "@civicgrid/core/Case"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import {
  CaseRow,
  caseColumns,
  caseRow,
  recordOf,
  summaryColumns,
  summaryOf,
  upsertSet
} from "../src/internal/caseRows.js"
import { at, build, freshDatabase, intents, report, T0, timeLimits } from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"

const MINUTE = 60_000
const encodeRow = Schema.encodeSync(CaseRow)
const decodeRow = Schema.decodeUnknownSync(CaseRow)
const encodeSummary = Schema.encodeSync(CaseRepository.CaseSummary)

/** The states a random command sequence passes through. */
const statesOf = (steps: ReadonlyArray<Parameters<typeof build>[0]>, caseId: string): Array<Case.Case> => {
  const out: Array<Case.Case> = []
  let state: Case.State = Case.initial
  let now = T0
  for (const step of steps) {
    now += step.dt * MINUTE
    const decided = Case.decide(build(step, state, Case.CaseId.make(caseId), at(now)), state)
    if (Either.isLeft(decided)) continue
    for (const event of decided.right) state = Case.evolve(state, event)
    if (state._tag === "Case") out.push(state)
  }
  return out
}

const pick = (row: { readonly [column: string]: unknown }, columns: ReadonlyArray<string>) =>
  Object.fromEntries(columns.map((c) => [c, row[c]]))

describe("cg_cases row — one schema", () => {
  it.prop(
    "caseRow is CaseRow's encoding; the summary columns decode back to summarize(state), also as PostgreSQL returns BIGINT (strings)",
    [intents(25)],
    ([steps]) => {
      for (const state of statesOf(steps, "rows-1")) {
        for (const limits of [undefined, timeLimits]) {
          const record = recordOf(state, "/d/s/c/", limits)
          const row = caseRow(state, "/d/s/c/", limits)
          expect(row).toEqual(encodeRow(record))
          expect(Object.keys(row)).toEqual(caseColumns)
          expect(decodeRow(row)).toEqual(record)
          const expected = encodeSummary(CaseRepository.summarize(state, limits))
          expect(encodeSummary(summaryOf(pick(row, summaryColumns)))).toEqual(expected)
          const asBigint = Object.fromEntries(
            Object.entries(pick(row, summaryColumns)).map(([c, v]) => [
              c,
              typeof v === "number" && c !== "version" ? String(v) : v
            ])
          )
          expect(encodeSummary(summaryOf(asBigint))).toEqual(expected)
        }
      }
    },
    { fastCheck: { numRuns: 60 } }
  )

  it("the access and path columns are not part of a summary; the upsert keeps the id and the recorded path", () => {
    expect(caseColumns.filter((c) => !summaryColumns.includes(c)).sort()).toEqual([
      "dispatch_department",
      "reported_by",
      "unit_path"
    ])
    const set = upsertSet.split(", ").map((a) => a.split(" = ")[0])
    expect(set.sort()).toEqual(caseColumns.filter((c) => c !== "case_id" && c !== "unit_path").sort())
    expect(upsertSet).toContain("reported_at = excluded.reported_at")
  })

  it("a row the schema refuses is refused (a corrupted store is a defect, not a summary)", () => {
    const state = Case.fold(Either.getOrThrow(Case.decide(report("rows-2"), Case.initial)))
    expect(state._tag).toBe("Case")
    if (state._tag !== "Case") return
    const row = pick(caseRow(state, "/d/", undefined), summaryColumns)
    expect(() => summaryOf({ ...row, status: "no-such-status" })).toThrow()
    expect(() => summaryOf({ ...row, reported_at: "not a number" })).toThrow()
    expect(DateTime.toEpochMillis(summaryOf(row).reportedAt)).toBe(row["reported_at"])
  })
})

describe.each(dialects)("cg_cases row on $name", (dialect) => {
  it.effect("the schema's columns are exactly the migrated table's", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql.onDialectOrElse({
        pg: () =>
          sql<{ readonly name: string }>`
            SELECT column_name AS name FROM information_schema.columns
            WHERE table_name = 'cg_cases' AND table_schema = current_schema()`,
        orElse: () => sql<{ readonly name: string }>`SELECT name FROM pragma_table_info('cg_cases')`
      })
      expect(rows.map((r) => r.name).sort()).toEqual([...caseColumns].sort())
    }).pipe(Effect.provide(freshDatabase(dialect)), Effect.orDie)
  )
})
