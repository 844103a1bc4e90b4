/**
 * 0004 — the lists (清单工作法: `ProblemList`, `ResourceList`, `TaskList`): problems, resources (with their scope units),
 * tasks, and micro-wishes as an event stream with a state row.
 *
 * Each list row keeps the columns queries filter on (unit, status, deadline
 * as epoch milliseconds) next to `doc`, the record encoded with its core
 * schema as JSON, so a round trip returns exactly what was stored.
 * `cg_micro_wish_events` has primary key (wish_id, sequence): two writers can
 * never store the same sequence of a wish; `cg_micro_wishes` holds each wish's
 * state (the read model), written in the same transaction as its events.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_problems (
      id TEXT PRIMARY KEY,
      unit_id TEXT NOT NULL,
      grid_id TEXT,
      category_id TEXT NOT NULL,
      status TEXT NOT NULL,
      reported_at BIGINT NOT NULL,
      doc TEXT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_problems_unit ON cg_problems (unit_id)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_problems_status ON cg_problems (status)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_resources (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      doc TEXT NOT NULL
    )
  `
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_resource_scope (
      resource_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      PRIMARY KEY (resource_id, unit_id)
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_resource_scope_unit ON cg_resource_scope (unit_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_tasks (
      id TEXT PRIMARY KEY,
      problem_id TEXT NOT NULL,
      owner_kind TEXT NOT NULL,
      owner_id TEXT NOT NULL,
      status TEXT NOT NULL,
      deadline BIGINT NOT NULL,
      doc TEXT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_tasks_owner ON cg_tasks (owner_id)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_tasks_open ON cg_tasks (status, deadline)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_micro_wishes (
      id TEXT PRIMARY KEY,
      community_id TEXT NOT NULL,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      updated_at BIGINT NOT NULL,
      state TEXT NOT NULL
    )
  `
  yield* sql`CREATE INDEX IF NOT EXISTS cg_micro_wishes_community ON cg_micro_wishes (community_id)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_micro_wish_events (
      wish_id TEXT NOT NULL,
      sequence INTEGER NOT NULL,
      tag TEXT NOT NULL,
      at BIGINT NOT NULL,
      event TEXT NOT NULL,
      PRIMARY KEY (wish_id, sequence)
    )
  `
})
