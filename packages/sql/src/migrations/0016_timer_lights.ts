/**
 * 0016 — timer lights 计时灯 and supervision 督办 in the case read model.
 * `cg_cases` gains
 *
 * - `yellow_at`, `red_at`: the instants the current step's light turns yellow
 *   and red (`TimeLimit.marks`, computed by the core on the working calendar
 *   when a case is projected), so the light of an open case at `now` is a
 *   comparison — `now >= red_at` red, else `now >= yellow_at` yellow, else
 *   green (`CaseRepository.lightOf`) — and `GET /cases?light=red` and the
 *   board filter and count in SQL, never by folding events;
 *
 * - `supervisions`, `supervised_at`: how many times a case was supervised
 *   (督办/催办) and when last (`CaseSummary.supervisions` / `supervisedAt`), so
 *   the board counts supervised open cases. Cases stored before have none.
 *
 * Existing rows cannot get their instants here (a migration has no policy nor
 * calendar): a case store with time limits (`SqlCaseRepository.make`) fills
 * them from the cases' events before its first `list` or `board` (rows with a
 * deadline and no `yellow_at`, in batches by case id; once per store). Until
 * then such a row has no light.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/** The columns this migration adds, with their types. */
const columns: ReadonlyArray<readonly [name: string, type: string]> = [
  ["yellow_at", "BIGINT"],
  ["red_at", "BIGINT"],
  ["supervisions", "INTEGER NOT NULL DEFAULT 0"],
  ["supervised_at", "BIGINT"]
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
