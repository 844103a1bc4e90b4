/**
 * 0005 — satisfaction surveys (满意度调查, `Survey`): questions with their scale (JSON), and response
 * counts per (question, period label, unit, level). Tallies are `GROUP BY`
 * queries over the counts joined to `cg_units` on a path range.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_survey_questions (
      id TEXT PRIMARY KEY,
      text TEXT NOT NULL,
      scale TEXT NOT NULL
    )
  `
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_survey_counts (
      question_id TEXT NOT NULL,
      period TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      level TEXT NOT NULL,
      n BIGINT NOT NULL,
      PRIMARY KEY (question_id, period, unit_id, level)
    )
  `
})
