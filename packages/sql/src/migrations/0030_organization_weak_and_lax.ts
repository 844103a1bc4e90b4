/**
 * 0030 — the weak-and-lax flags 软弱涣散 of party organisations
 * (`OrganizationRepository.putWeakAndLaxFlags`): one row per body and period,
 * the flag itself in `doc` (its core schema as JSON). Reads by jurisdiction
 * join the body (`cg_org_bodies`) and its unit to `cg_units`, as posts do. On
 * PostgreSQL the keys are in the byte-order collation "C", as in 0026.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const key = sql.onDialectOrElse({ pg: () => 'TEXT COLLATE "C"', orElse: () => "TEXT" })
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS cg_org_weak_and_lax (
    body_id ${key} NOT NULL,
    period_key ${key} NOT NULL,
    flagged INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (body_id, period_key)
  )`)
})
