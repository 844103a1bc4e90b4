/**
 * 0007 — API keys: bearer tokens that resolve to a
 * principal, and Open311 `api_key`s that resolve to a client, in one table.
 *
 * A key is `cg_<id>_<secret>`: `id` (public, the primary key) finds the row,
 * `secret_hash` is the SHA-256 of the secret (hex), compared in constant time;
 * the secret itself is never stored. `kind` is `bearer` (principal columns
 * set) or `open311` (client columns set). A revoked key keeps its row with
 * `revoked_at` set (ISO-8601), so revocations can be audited.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_api_keys (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      secret_hash TEXT NOT NULL,
      principal_id TEXT,
      role TEXT,
      unit_id TEXT,
      department_id TEXT,
      client_id TEXT,
      client_name TEXT,
      created_at TEXT NOT NULL,
      revoked_at TEXT
    )
  `
})
