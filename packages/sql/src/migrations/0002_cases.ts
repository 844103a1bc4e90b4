/**
 * 0002 — cases as an event store with a read model.
 *
 * - `cg_case_events`: one row per event, `PRIMARY KEY (case_id, sequence)` —
 *   the final guard against lost or duplicated events: of two writers that
 *   append the same sequence, the second violates the key. `payload` is the
 *   event encoded with the core's `CaseEvent` schema, as JSON text; `tag`, `at`
 *   and `actor_id` repeat what queries filter on.
 * - `cg_cases`: the read model, one row per case (`CaseRepository.summarize`
 *   of the fold of its events), written in the same transaction as the
 *   events; `unit_path` is the materialised path of the case's location (see
 *   `CaseRepository.casePath`), so subtree queries are an indexed range.
 * - `cg_idempotency`: idempotency keys of reports, unique, → the case created.
 *
 * Instants are epoch milliseconds (UTC) in BIGINT columns throughout, so
 * comparisons and periods are integer ranges on both dialects. On PostgreSQL
 * `case_id` and `unit_path` of the read model use the byte-order collation
 * "C", so keyset pages and path ranges do not depend on the database's locale
 * (SQLite compares text bytewise already).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const bytewise = sql.onDialectOrElse({
    pg: () => sql.literal(`COLLATE "C"`),
    orElse: () => sql.literal("")
  })
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_case_events (
      case_id TEXT NOT NULL,
      sequence INTEGER NOT NULL,
      tag TEXT NOT NULL,
      at BIGINT NOT NULL,
      actor_id TEXT NOT NULL,
      payload TEXT NOT NULL,
      PRIMARY KEY (case_id, sequence)
    )
  `
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_cases (
      case_id TEXT ${bytewise} PRIMARY KEY,
      version INTEGER NOT NULL,
      status TEXT NOT NULL,
      tier TEXT NOT NULL,
      owner_unit_id TEXT NOT NULL,
      community_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      unit_path TEXT ${bytewise} NOT NULL,
      category_id TEXT NOT NULL,
      urgency TEXT NOT NULL,
      source TEXT NOT NULL,
      step TEXT,
      step_started_at BIGINT,
      deadline BIGINT,
      reported_at BIGINT NOT NULL,
      closed_at BIGINT,
      closed_tier TEXT,
      updated_at BIGINT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_cases_reported ON cg_cases (reported_at, case_id)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_cases_path ON cg_cases (unit_path)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_cases_status ON cg_cases (status, reported_at)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_cases_category ON cg_cases (category_id, reported_at)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_cases_deadline ON cg_cases (deadline)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_cases_community ON cg_cases (community_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_idempotency (
      idempotency_key TEXT PRIMARY KEY,
      case_id TEXT NOT NULL,
      created_at BIGINT NOT NULL
    )
  `
})
