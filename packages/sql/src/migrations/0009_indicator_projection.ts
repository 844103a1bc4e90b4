/**
 * 0009 — the indicator tables hold the core's stored columns
 * (`IndicatorProjection.columns`: one write path, the projection owned
 * by the core) instead of 0006's columns, which restated indicator rules as
 * equalities (未解决 = 重办, 应响应 = 应立案 …) and broke when the core's
 * rules changed (a 满意 return visit answered 问题未解决).
 *
 * `cg_case_indicator_deltas` and `cg_case_indicator_days` are recreated with
 * the new value columns (keys and indexes as in 0006); the unjudged records
 * and the recorded attributions are emptied. A database that holds cases is
 * marked incomplete — `SqlIndicators.compute` answers `IndicatorsUnavailable`
 * until `SqlIndicators.rebuild` recomputes the tables from the events — so an
 * existing database never serves figures of the old layout or the old rules.
 *
 * The column list is frozen here (a migration creates the same tables
 * whatever the code becomes); a test checks it equals the core's.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/** The value columns this migration creates: `IndicatorProjection.columnNames` as of 0009. */
export const columns = [
  "accepted_closed",
  "accepted",
  "closure_closed",
  "closure_due",
  "closure_on_time",
  "handling_handled",
  "handling_due",
  "handling_on_time",
  "reworked_cases",
  "round_handled",
  "round_due",
  "round_on_time",
  "reworks",
  "dispatches_kept",
  "dispatches",
  "filing_on_time",
  "filing_due",
  "filed_kept",
  "filed",
  "visits_reopened",
  "visits_valid",
  "closed_self",
  "closed_local",
  "closed_community",
  "closed_street",
  "closed_district",
  "first_closures",
  "hotline_due",
  "hotline_responded",
  "hotline_resolved",
  "hotline_unresolved",
  "hotline_satisfied",
  "hotline_basically_satisfied",
  "hotline_dissatisfied",
  "hotline_unreachable",
  "hotline_refused",
  "closure_closed_cond",
  "handling_handled_cond",
  "round_handled_cond"
] as const

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const bytewise = sql.onDialectOrElse({
    pg: () => `COLLATE "C"`,
    orElse: () => ""
  })
  const values = columns.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(",\n      ")
  const clustered = sql.onDialectOrElse({ sqlite: () => "WITHOUT ROWID", orElse: () => "" })
  yield* sql`DROP TABLE IF EXISTS cg_case_indicator_deltas`
  yield* sql`DROP TABLE IF EXISTS cg_case_indicator_days`
  yield* sql.unsafe(`
    CREATE TABLE cg_case_indicator_deltas (
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
  yield* sql`CREATE INDEX cg_case_indicator_deltas_change ON cg_case_indicator_deltas (change_at)`
  yield* sql`CREATE INDEX cg_case_indicator_deltas_path ON cg_case_indicator_deltas (community_path)`
  yield* sql.unsafe(`
    CREATE TABLE cg_case_indicator_days (
      community_path TEXT ${bytewise} NOT NULL,
      day INTEGER NOT NULL,
      alt_day INTEGER NOT NULL,
      change_day INTEGER NOT NULL,
      ${values},
      PRIMARY KEY (community_path, day, alt_day, change_day)
    ) ${clustered}
  `)
  yield* sql`DELETE FROM cg_case_indicator_unjudged`
  yield* sql`DELETE FROM cg_case_indicator_cases`
  // with cases stored, the tables are incomplete until SqlIndicators.rebuild (as 0006 does for older databases)
  yield* sql`
    UPDATE cg_case_indicator_config
    SET complete = CASE WHEN EXISTS (SELECT 1 FROM cg_cases) THEN 0 ELSE 1 END
    WHERE id = 1
  `
})
