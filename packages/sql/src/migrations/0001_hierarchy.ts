/**
 * 0001 — the hierarchy: the level scheme, units with a materialised path, and
 * the party organisations. "Everything within this street" is an indexed
 * range scan on `cg_units.path`, never a tree walk in application code.
 *
 * `path` is `/<root id>/<child id>/…/<unit id>/`, each id with `%` and `/`
 * percent-encoded (`%25`, `%2F`); a unit's subtree is every row whose path
 * starts with its path: `path >= p AND path < p'`, where `p'` is `p` with its
 * final `/` replaced by `0` (the next character), exact for any id. On
 * PostgreSQL the column is `COLLATE "C"` (byte order, like SQLite's BINARY),
 * so the range and its index do not depend on the database's locale.
 *
 * - `cg_hierarchy`: one row (id 1) — the level scheme as JSON, when it was
 *   last saved, and the party organisations' kind order as JSON (NULL until a
 *   party tree is saved).
 * - `cg_units`: one row per unit (id, parent, level, name, area code, path, depth).
 * - `cg_party_orgs`: one row per party organisation (id, parent, kind, name,
 *   unit and grid it is built on).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const byteOrder = sql.onDialectOrElse({
    pg: () => sql.literal(`COLLATE "C"`),
    orElse: () => sql.literal("")
  })
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_hierarchy (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      scheme TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      party_kinds TEXT
    )
  `
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_units (
      id TEXT PRIMARY KEY,
      parent_id TEXT,
      level TEXT NOT NULL,
      name TEXT NOT NULL,
      code TEXT,
      path TEXT ${byteOrder} NOT NULL,
      depth INTEGER NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_units_path ON cg_units (path)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_units_parent ON cg_units (parent_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_party_orgs (
      id TEXT PRIMARY KEY,
      parent_id TEXT,
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      unit_id TEXT,
      grid_id TEXT
    )
  `
})
