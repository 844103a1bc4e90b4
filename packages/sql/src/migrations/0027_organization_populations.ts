/**
 * 0027 — the population 社区人口 of each community or village
 * (`OrganizationRepository.putPopulations`): the residents its office
 * reports, which the mediators-by-population rule reads. One row per unit,
 * the unit column joined to `cg_units` for reads by jurisdiction, the record
 * in `doc` (its core schema as JSON). On PostgreSQL the key is in the
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
})
