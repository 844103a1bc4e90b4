/**
 * 0019 — the hierarchy's version (层级版本, `HierarchyRepository.version`):
 * one row (id 1) holding a counter that every hierarchy write (`save`,
 * `update`, `move`) raises by one in its own transaction
 * (`version = version + 1`, so concurrent writers never lose a bump). A
 * cache polls it and reloads the units only when it changed.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_hierarchy_version (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      version BIGINT NOT NULL
    )
  `
  yield* sql`INSERT INTO cg_hierarchy_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`
})
