/**
 * 0011 — API key hash schemes and department grants: `hash_scheme`
 * records how each row's `secret_hash` was made
 * (`sha256` for every row before this migration — they keep verifying and are
 * re-hashed on their first successful check; `hmac-sha256` keyed with the
 * server secret; `scrypt` for a caller-chosen token without a secret), and
 * `granted_subtree` a department principal's explicitly granted subtree
 * (none: the department sees only what is dispatched to it).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

// idempotent: a column already there is kept (PostgreSQL `IF NOT EXISTS`; SQLite has none: asked first)
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const columns: ReadonlyArray<readonly [name: string, definition: string]> = [
    ["hash_scheme", "TEXT NOT NULL DEFAULT 'sha256'"],
    ["granted_subtree", "TEXT"]
  ]
  yield* sql.onDialectOrElse({
    sqlite: () =>
      Effect.gen(function* () {
        const present = new Set(
          (yield* sql<{ readonly name: string }>`SELECT name FROM pragma_table_info('cg_api_keys')`).map(
            (c) => c.name
          )
        )
        for (const [name, definition] of columns) {
          if (!present.has(name))
            yield* sql.unsafe(`ALTER TABLE cg_api_keys ADD COLUMN ${name} ${definition}`)
        }
      }),
    orElse: () =>
      Effect.forEach(
        columns,
        ([name, definition]) =>
          sql.unsafe(`ALTER TABLE cg_api_keys ADD COLUMN IF NOT EXISTS ${name} ${definition}`),
        { discard: true }
      )
  })
})
