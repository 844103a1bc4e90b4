/**
 * 0029 — API keys for local roles: `local_role` records the role-table role
 * (`RoleTable`, e.g. 信访代办员 `petition-agent`) a bearer key was issued for;
 * its `role` column holds the built-in role that local role acts as. Rows
 * before this migration have none (a built-in role).
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
        }>`SELECT name FROM pragma_table_info('cg_api_keys')`).some((c) => c.name === "local_role")
        if (!present) yield* sql.unsafe("ALTER TABLE cg_api_keys ADD COLUMN local_role TEXT")
      }),
    orElse: () => sql.unsafe("ALTER TABLE cg_api_keys ADD COLUMN IF NOT EXISTS local_role TEXT")
  })
})
