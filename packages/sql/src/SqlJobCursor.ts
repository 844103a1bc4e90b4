/**
 * 任务游标（SQL） — the core's `JobCursor` port on the ambient `SqlClient`
 * (SQLite or PostgreSQL): one row per job in `cg_job_cursors` (migration
 * 0018: `name` primary key, `at` in epoch milliseconds), set with one upsert.
 * The cursor lives in the database, so it survives restarts and follows a job
 * from one server instance to the next (whichever holds the job's lease).
 *
 * @since 0.1.0
 */
import * as JobCursor from "@civicgrid/core/JobCursor"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { orUnavailable } from "./internal/support.js"

/**
 * A SQL `JobCursor` on `sql`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (sql: SqlClient.SqlClient): JobCursor.JobCursor["Type"] => ({
  get: (job) =>
    sql<{ readonly at: number | string | bigint }>`SELECT at FROM cg_job_cursors WHERE name = ${job}`.pipe(
      Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (row) => Number(row.at))),
      orUnavailable,
      Effect.withSpan("SqlJobCursor.get", { attributes: { "civicgrid.job": job } })
    ),
  set: (job, at) =>
    sql`
      INSERT INTO cg_job_cursors (name, at) VALUES (${job}, ${Math.floor(at)})
      ON CONFLICT (name) DO UPDATE SET at = excluded.at`.pipe(
      Effect.asVoid,
      orUnavailable,
      Effect.withSpan("SqlJobCursor.set", { attributes: { "civicgrid.job": job } })
    )
})

/**
 * 任务游标层 — `JobCursor` on the ambient `SqlClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<JobCursor.JobCursor, never, SqlClient.SqlClient> = Layer.effect(
  JobCursor.JobCursor,
  Effect.map(SqlClient.SqlClient, make)
)
