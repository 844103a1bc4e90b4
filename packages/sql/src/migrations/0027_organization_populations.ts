/**
 * 0027 — the population 社区人口 of each community or village
 * (`OrganizationRepository.putPopulations`): the residents its office
 * reports, which the mediators-by-population rule reads, one row per unit;
 * and the staff placed by the role table below the grid 楼道力量
 * (`putPlacements`: 楼道长, 十户长 …), one row per person, role, placement and
 * target. The unit columns join `cg_units` for reads by jurisdiction, the
 * record is in `doc` (its core schema as JSON). On PostgreSQL the key is in the
 * byte-order collation "C", as in 0026.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const key = sql.onDialectOrElse({ pg: () => 'TEXT COLLATE "C"', orElse: () => "TEXT" })
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS cg_org_populations (
    unit_id ${key} PRIMARY KEY,
    residents INTEGER NOT NULL,
    doc TEXT NOT NULL
  )`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS cg_org_placements (
    person_id ${key} NOT NULL,
    role ${key} NOT NULL,
    placement ${key} NOT NULL,
    target_id ${key} NOT NULL,
    unit_id ${key} NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (person_id, role, placement, target_id)
  )`)
  yield* sql.unsafe("CREATE INDEX IF NOT EXISTS cg_org_placements_unit ON cg_org_placements (unit_id)")
})
