/**
 * 调查仓库（SQL） — the core's `SurveyRepository` on `@effect/sql`, the same
 * code for SQLite and PostgreSQL. Needs the migrations applied
 * (`Migrations.run`).
 *
 * Responses are kept as counts per (question, period, unit, level): a write
 * is one transaction that checks the question, units and levels with the core
 * (`SurveyRepository.checkResponses` / `checkTally`) and adds its counts with
 * one multi-row upsert (`n = n + excluded.n`). `tallies` and `total` are
 * computed in SQL — `SUM(n) … GROUP BY unit_id, level` (or `level`) over the
 * counts joined to the units on the jurisdiction's path range — and shaped
 * into `Survey.Tally` values by the core (`talliesOf`, `totalOf`).
 *
 * @since 0.1.0
 */

import * as Survey from "@civicgrid/core/Survey"
import {
  type CountRow,
  checkQuestion,
  checkResponses,
  checkTally,
  type Question,
  QuestionNotFound,
  SurveyRepository,
  type SurveyResponse,
  type TallyQuery,
  talliesOf,
  totalOf
} from "@civicgrid/core/SurveyRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  chunk,
  existing,
  fromJson,
  inSubtree,
  num,
  orDie,
  readTransaction,
  scopePath,
  toJson
} from "./internal/support.js"

interface QuestionRow {
  readonly id: string
  readonly text: string
  readonly scale: string
}

const encodeScale = toJson(Survey.Scale)
const decodeScale = fromJson(Survey.Scale)

const questionOf = (r: QuestionRow): Question => ({ id: r.id, text: r.text, scale: decodeScale(r.scale) })

/**
 * Builds the SQL survey store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  Context.Tag.Service<SurveyRepository>,
  never,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const questionsById = (ids: ReadonlyArray<string>) =>
    Effect.map(
      Effect.forEach(
        chunk([...new Set(ids)]),
        (batch) =>
          sql<QuestionRow>`SELECT id, text, scale FROM cg_survey_questions WHERE ${sql.in("id", batch)}`
      ),
      (batches) => new Map<string, Question>(batches.flat().map((r) => [r.id, questionOf(r)] as const))
    )

  const addCounts = (rows: ReadonlyArray<CountRow>) =>
    Effect.forEach(
      chunk(
        rows.map((r) => ({
          question_id: r.questionId,
          period: r.period,
          unit_id: r.unitId,
          level: r.level,
          n: r.count
        }))
      ),
      (batch) => sql`INSERT INTO cg_survey_counts ${sql.insert(batch)}
          ON CONFLICT (question_id, period, unit_id, level) DO UPDATE SET n = cg_survey_counts.n + excluded.n`,
      { discard: true }
    )

  const putQuestion = (question: Question) =>
    orDie(
      sql.withTransaction(
        Effect.gen(function* () {
          const used = yield* sql<{ readonly level: string }>`SELECT DISTINCT level FROM cg_survey_counts
              WHERE question_id = ${question.id}`
          yield* checkQuestion(
            question,
            used.map((r) => r.level)
          )
          yield* sql`INSERT INTO cg_survey_questions ${sql.insert({
            id: question.id,
            text: question.text,
            scale: encodeScale(question.scale)
          })} ON CONFLICT (id) DO UPDATE SET text = excluded.text, scale = excluded.scale`
        })
      )
    )

  const question = (questionId: string) =>
    orDie(
      Effect.flatMap(questionsById([questionId]), (found) => {
        const q = found.get(questionId)
        return q === undefined ? Effect.fail(new QuestionNotFound({ questionId })) : Effect.succeed(q)
      })
    )

  const record = (responses: ReadonlyArray<SurveyResponse>) =>
    orDie(
      sql.withTransaction(
        Effect.gen(function* () {
          const questions = yield* questionsById(responses.map((r) => r.questionId))
          const units = yield* existing(
            sql,
            "cg_units",
            responses.map((r) => r.unitId)
          )
          yield* addCounts(yield* checkResponses(responses, { questions, units }))
        })
      )
    )

  const recordTally = (input: {
    readonly questionId: string
    readonly period: string
    readonly unitId: string
    readonly tally: Survey.Tally
  }) =>
    orDie(
      sql.withTransaction(
        Effect.gen(function* () {
          const questions = yield* questionsById([input.questionId])
          const units = yield* existing(sql, "cg_units", [input.unitId])
          yield* addCounts(yield* checkTally(input, { questions, units }))
        })
      )
    )

  const scaleAndPath = (query: TallyQuery) =>
    Effect.gen(function* () {
      const found = yield* questionsById([query.questionId])
      const q = found.get(query.questionId)
      if (q === undefined) return yield* new QuestionNotFound({ questionId: query.questionId })
      const path = yield* scopePath(sql, query.within)
      return { scale: q.scale, path }
    })

  const tallies = (query: TallyQuery) =>
    orDie(
      readTransaction(
        sql,
        Effect.gen(function* () {
          const { path, scale } = yield* scaleAndPath(query)
          const rows = yield* sql<{ readonly unit_id: string; readonly level: string; readonly n: unknown }>`
              SELECT c.unit_id, c.level, SUM(c.n) AS n
              FROM cg_survey_counts c JOIN cg_units u ON u.id = c.unit_id
              WHERE c.question_id = ${query.questionId} AND c.period = ${query.period}
                AND ${inSubtree(sql, "u.path", path)}
              GROUP BY c.unit_id, c.level`
          return talliesOf(
            scale,
            rows.map((r) => ({ unitId: r.unit_id, level: r.level, count: num(r.n) }))
          )
        })
      )
    )

  const total = (query: TallyQuery) =>
    orDie(
      readTransaction(
        sql,
        Effect.gen(function* () {
          const { path, scale } = yield* scaleAndPath(query)
          const rows = yield* sql<{ readonly level: string; readonly n: unknown }>`
              SELECT c.level, SUM(c.n) AS n
              FROM cg_survey_counts c JOIN cg_units u ON u.id = c.unit_id
              WHERE c.question_id = ${query.questionId} AND c.period = ${query.period}
                AND ${inSubtree(sql, "u.path", path)}
              GROUP BY c.level`
          return totalOf(
            scale,
            rows.map((r) => ({ level: r.level, count: num(r.n) }))
          )
        })
      )
    )

  return { putQuestion, question, record, recordTally, tallies, total }
})

/**
 * The SQL survey store as a Layer (needs an `SqlClient`, migrated).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SurveyRepository, never, SqlClient.SqlClient> = Layer.effect(
  SurveyRepository,
  make
)
