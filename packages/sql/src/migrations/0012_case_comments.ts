/**
 * 0012 — comments (评论): `cg_cases.commented_at`, the instant (epoch
 * milliseconds) of a case's last comment, `NULL` when none
 * (`CaseSummary.commentedAt`; a comment leaves `updated_at` alone). Cases
 * stored before this migration have no comments: `NULL` is their value.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

// idempotent: a column already there is kept (PostgreSQL `IF NOT EXISTS`; SQLite has none: asked first)
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.onDialectOrElse({
    sqlite: () =>
      Effect.gen(function* () {
        const present = (yield* sql<{
          readonly name: string
        }>`SELECT name FROM pragma_table_info('cg_cases')`).some((c) => c.name === "commented_at")
        if (!present) yield* sql.unsafe("ALTER TABLE cg_cases ADD COLUMN commented_at BIGINT")
      }),
    orElse: () => sql.unsafe("ALTER TABLE cg_cases ADD COLUMN IF NOT EXISTS commented_at BIGINT")
  })
})
