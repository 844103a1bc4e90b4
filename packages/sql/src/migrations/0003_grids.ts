/**
 * 0003 — grids, buildings, staff and assignments (网格化管理: `Grid`, `Building`, `Staffing`).
 *
 * - `cg_buildings`: one row per building; `location` is the JSON position.
 * - `cg_grids`: one row per grid; `micro_grids` JSON, `boundary` GeoJSON text.
 * - `cg_grid_buildings`: the buildings a grid lists, in its order (`ord`), as
 *   given — a building may appear in several grids (the coverage rule is
 *   checked by the core on read, not refused on write).
 * - `cg_people`, `cg_assignments` (person, role, target kind, target id).
 *
 * Community columns are indexed: subtree queries join `cg_units` on them and
 * range-scan its path.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_buildings (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      community_id TEXT NOT NULL,
      compound_id TEXT,
      households INTEGER NOT NULL,
      party_member_households INTEGER,
      location TEXT
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_buildings_community ON cg_buildings (community_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_grids (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      code TEXT,
      kind TEXT NOT NULL,
      dedicated_to TEXT,
      community_id TEXT NOT NULL,
      micro_grids TEXT,
      boundary TEXT
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_grids_community ON cg_grids (community_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_grid_buildings (
      grid_id TEXT NOT NULL,
      ord INTEGER NOT NULL,
      building_id TEXT NOT NULL,
      PRIMARY KEY (grid_id, ord)
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_grid_buildings_building ON cg_grid_buildings (building_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_people (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      party_member INTEGER NOT NULL,
      party_member_class TEXT,
      phone TEXT
    )
  `
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_assignments (
      person_id TEXT NOT NULL,
      role TEXT NOT NULL,
      target_kind TEXT NOT NULL,
      target_id TEXT NOT NULL,
      PRIMARY KEY (person_id, role, target_kind, target_id)
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_assignments_target ON cg_assignments (target_kind, target_id)`
})
