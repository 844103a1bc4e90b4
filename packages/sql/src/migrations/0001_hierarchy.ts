/**
 * 0001 — the hierarchy: units with a materialised path, so "everything within
 * this street" is an indexed range scan, never a tree walk in application code.
 *
 * `path` is `/<root id>/<child id>/…/<unit id>/`; a unit's subtree is every
 * row whose path starts with its path (`path >= p AND path < p || '\uffff'`).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_hierarchy (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      scheme TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )
  `
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_units (
      id TEXT PRIMARY KEY,
      parent_id TEXT,
      level TEXT NOT NULL,
      name TEXT NOT NULL,
      code TEXT,
      path TEXT NOT NULL,
      depth INTEGER NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_units_path ON cg_units (path)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_units_parent ON cg_units (parent_id)`
})
