/**
 * 0010 — the department registry: the functional departments a
 * case may be dispatched to, with their Chinese and English names and the
 * unit whose subtree each serves (`Department`).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_departments (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      name_en TEXT NOT NULL,
      jurisdiction TEXT NOT NULL
    )
  `
})
