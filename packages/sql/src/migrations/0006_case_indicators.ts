/**
 * 0006 — case indicators computed in SQL (see `SqlIndicators`).
 *
 * The calendar-dependent judgements (deadlines on the working calendar,
 * suspensions, extensions) run when events are appended, in the same
 * transaction, with the core's own `Indicator` code; what they yield is stored
 * as counts so that queries only compare instants with `asOf` and add up:
 *
 * - `cg_case_indicator_deltas`: per case, at instant `change_at` (`seq`
 *   numbers the rows of one instant), add the
 *   counts to those placed at instant `at` (for the conditional numerators
 *   `cl_cond`, `h_cond`: when `alt` lies in `at`'s period). A case's deltas
 *   with `change_at ≤ asOf` sum to its contribution judged at `asOf` (see
 *   internal/indicatorTimeline.ts). Each row repeats the case's attribution
 *   paths (its community's and its location's materialised path, `/<id>/` for
 *   a unit the hierarchy does not know) and its source, so a subtree is a
 *   path range with no join.
 * - `cg_case_indicator_days`: the same deltas summed per (community path,
 *   local day of `at`, local day of `alt` — 0 for none —, local day of
 *   `change_at`) in the configured UTC offset: the rollup queries read. Days
 *   are local day numbers since 1970-01-01 plus 1,000,000 (`DAY_SHIFT`), so
 *   they stay positive.
 * - `cg_case_indicator_unjudged`: per case, at `change_at`, why it is
 *   unjudged (a year with no schedule, no time-limit rule) starts (`sign` 1)
 *   or stops (−1) holding.
 * - `cg_case_indicator_cases`: each case's attribution paths and source,
 *   recorded when it is reported (moving units later does not move them).
 * - `cg_case_indicator_config`: one row — whether the tables are complete
 *   (every case's events went through a store with time limits, under this
 *   configuration), the closure steps and the UTC offset of the days.
 */
import { defaultClosureSteps } from "@civicgrid/core/Indicator"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import { valueColumns } from "../internal/indicatorColumns.js"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const bytewise = sql.onDialectOrElse({
    pg: () => `COLLATE "C"`,
    orElse: () => ""
  })
  const values = valueColumns.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(",\n      ")
  // SQLite: tables clustered by their key (one B-tree less per row written)
  const clustered = sql.onDialectOrElse({ sqlite: () => "WITHOUT ROWID", orElse: () => "" })
  yield* sql.unsafe(`
    CREATE TABLE IF NOT EXISTS cg_case_indicator_cases (
      case_id TEXT ${bytewise} PRIMARY KEY,
      community_path TEXT ${bytewise} NOT NULL,
      location_path TEXT ${bytewise} NOT NULL,
      community_id TEXT NOT NULL,
      location_id TEXT NOT NULL,
      source TEXT NOT NULL
    ) ${clustered}
  `)
  yield* sql.unsafe(`
    CREATE TABLE IF NOT EXISTS cg_case_indicator_deltas (
      case_id TEXT ${bytewise} NOT NULL,
      change_at BIGINT NOT NULL,
      seq INTEGER NOT NULL,
      at BIGINT NOT NULL,
      alt BIGINT,
      community_path TEXT ${bytewise} NOT NULL,
      location_path TEXT ${bytewise} NOT NULL,
      source TEXT NOT NULL,
      ${values},
      PRIMARY KEY (case_id, change_at, seq)
    ) ${clustered}
  `)
  yield* sql`CREATE INDEX IF NOT EXISTS cg_case_indicator_deltas_change ON cg_case_indicator_deltas (change_at)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_case_indicator_deltas_path ON cg_case_indicator_deltas (community_path)`
  yield* sql.unsafe(`
    CREATE TABLE IF NOT EXISTS cg_case_indicator_days (
      community_path TEXT ${bytewise} NOT NULL,
      day INTEGER NOT NULL,
      alt_day INTEGER NOT NULL,
      change_day INTEGER NOT NULL,
      ${values},
      PRIMARY KEY (community_path, day, alt_day, change_day)
    ) ${clustered}
  `)
  yield* sql.unsafe(`
    CREATE TABLE IF NOT EXISTS cg_case_indicator_unjudged (
      case_id TEXT ${bytewise} NOT NULL,
      change_at BIGINT NOT NULL,
      sign INTEGER NOT NULL,
      step TEXT NOT NULL,
      reason TEXT NOT NULL,
      indicators TEXT NOT NULL,
      community_path TEXT ${bytewise} NOT NULL,
      location_path TEXT ${bytewise} NOT NULL,
      community_id TEXT NOT NULL,
      location_id TEXT NOT NULL
    )
  `)
  yield* sql`CREATE INDEX IF NOT EXISTS cg_case_indicator_unjudged_case ON cg_case_indicator_unjudged (case_id, change_at)`
  yield* sql`CREATE INDEX IF NOT EXISTS cg_case_indicator_unjudged_path ON cg_case_indicator_unjudged (community_path)`
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_case_indicator_config (
      id INTEGER PRIMARY KEY,
      complete INTEGER NOT NULL,
      closure_steps TEXT NOT NULL,
      utc_offset_minutes INTEGER NOT NULL
    )
  `
  // a database that already holds cases (migrated from before 0006) is incomplete until rebuilt
  yield* sql`
    INSERT INTO cg_case_indicator_config (id, complete, closure_steps, utc_offset_minutes)
    SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM cg_cases) THEN 0 ELSE 1 END, ${[...defaultClosureSteps].sort().join(",")}, 480
    WHERE NOT EXISTS (SELECT 1 FROM cg_case_indicator_config)
  `
})
