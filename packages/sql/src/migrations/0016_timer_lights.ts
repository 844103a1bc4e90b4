/**
 * 0016 — timer lights 计时灯 in the case read model.
 * `cg_cases` gains
 *
 * - `yellow_at`, `red_at`: the instants the current step's light turns yellow
 *   and red (`TimeLimit.marks`, computed by the core on the working calendar
 *   when a case is projected), so the light of an open case at `now` is a
 *   comparison — `now >= red_at` red, else `now >= yellow_at` yellow, else
 *   green (`CaseRepository.lightOf`) — and `GET /cases?light=red` and the
 *   board filter and count in SQL, never by folding events;
 *
 * Existing rows cannot get their instants here (a migration has no policy nor
 * calendar): the case store backfills them from the cases' events when it is
 * built with time limits (`SqlCaseRepository.make`, rows with a deadline and
 * no `yellow_at`, in batches). Until then such a row has no light.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/** The columns this migration adds, with their types. */
const columns: ReadonlyArray<readonly [name: string, type: string]> = [
  ["yellow_at", "BIGINT"],
  ["red_at", "BIGINT"]
]

// idempotent: a column already there is kept (PostgreSQL `IF NOT EXISTS`; SQLite has none: asked first)
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.onDialectOrElse({
    sqlite: () =>
      Effect.gen(function* () {
        const present = new Set(
          (yield* sql<{ readonly name: string }>`SELECT name FROM pragma_table_info('cg_cases')`).map(
            (c) => c.name
          )
        )
        for (const [name, type] of columns) {
          if (!present.has(name)) yield* sql.unsafe(`ALTER TABLE cg_cases ADD COLUMN ${name} ${type}`)
        }
      }),
    orElse: () =>
      Effect.forEach(columns, ([name, type]) =>
        sql.unsafe(`ALTER TABLE cg_cases ADD COLUMN IF NOT EXISTS ${name} ${type}`)
      )
  })
  yield* sql`CREATE INDEX IF NOT EXISTS cg_cases_red ON cg_cases (red_at)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_cases_yellow ON cg_cases (yellow_at)`
  // the board's escalations of the day: events by kind and instant
  yield* sql`CREATE INDEX IF NOT EXISTS cg_case_events_tag_at ON cg_case_events (tag, at)`
})
