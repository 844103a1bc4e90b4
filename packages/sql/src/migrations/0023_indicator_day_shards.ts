/**
 * 0023 — the indicator day sums (`cg_case_indicator_days`) get a `shard`
 * column in their key, so that concurrent appends of cases of one community
 * and day need not all update one row: on PostgreSQL, with the case store's
 * `indicators.dayShards` above 1, a case's sums go to shard `hash(case id)
 * mod dayShards`, and a reader sums the shards (`SqlIndicators.compute`
 * groups by day, as before). By default, and always on SQLite (which
 * serialises writers anyway), everything is in shard 0.
 *
 * The table is recreated (a primary key cannot be altered on SQLite) with
 * 0009's value columns, its rows copied into shard 0.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import { columns } from "./0009_indicator_projection.js"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const bytewise = sql.onDialectOrElse({ pg: () => `COLLATE "C"`, orElse: () => "" })
  const clustered = sql.onDialectOrElse({ sqlite: () => "WITHOUT ROWID", orElse: () => "" })
  const values = columns.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(",\n      ")
  yield* sql.unsafe(`
    CREATE TABLE cg_case_indicator_days_next (
      community_path TEXT ${bytewise} NOT NULL,
      day INTEGER NOT NULL,
      alt_day INTEGER NOT NULL,
      change_day INTEGER NOT NULL,
      shard INTEGER NOT NULL DEFAULT 0,
      ${values},
      PRIMARY KEY (community_path, day, alt_day, change_day, shard)
    ) ${clustered}
  `)
  const list = ["community_path", "day", "alt_day", "change_day", ...columns].join(", ")
  yield* sql.unsafe(
    `INSERT INTO cg_case_indicator_days_next (${list}) SELECT ${list} FROM cg_case_indicator_days`
  )
  yield* sql`DROP TABLE cg_case_indicator_days`
  yield* sql`ALTER TABLE cg_case_indicator_days_next RENAME TO cg_case_indicator_days`
})
