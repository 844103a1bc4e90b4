/**
 * 调查仓库 — the port through which satisfaction-survey questions and their
 * responses are stored, and tallied per unit (考核评价: the
 * 群众满意度测评). The core declares it; `@civicgrid/sql` implements
 * it as a Layer (tallies computed in SQL with `GROUP BY`) and `layerMemory`
 * keeps it in memory on top of a `HierarchyRepository`.
 *
 * A **question** carries its scale (`Survey.Scale`, validated with
 * `Survey.validateScale`). A **response** is one answer — a unit, a period
 * label (e.g. `"2024-Q1"`), a question and a level of its scale. Stores keep
 * counts per (question, period, unit, level): `record` adds one per response,
 * `recordTally` adds a whole tally at once (a paper survey's totals). A write
 * naming an unknown question or unit, or a level not on the question's scale,
 * is refused whole (`SurveyDataInvalid`, every violation).
 *
 * `tallies` returns a `Survey.Tally` per unit with responses within a
 * jurisdiction — the same as `Survey.tallyByUnit` over the same responses —
 * and `total` their sum, the tally of the whole jurisdiction; feed them to
 * `Survey.assess`, `Survey.satisfaction` and `Survey.rank`.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as Hierarchy from "./Hierarchy.js"
import type { HierarchyRepository } from "./HierarchyRepository.js"
import * as internal from "./internal/memorySurveys.js"
import type { StorageUnavailable } from "./Storage.js"
import * as Survey from "./Survey.js"
import { UnitId } from "./Unit.js"

// ---------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------

/**
 * 调查问题 — a question: its id, its wording and its scale.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Question = Schema.Struct({
  id: Schema.NonEmptyTrimmedString,
  /** 题目 — e.g. `"您对社区办事效率是否满意？"`. */
  text: Schema.String,
  scale: Survey.Scale
}).annotations({ identifier: "SurveyQuestion", title: "调查问题 survey question" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Question extends Schema.Schema.Type<typeof Question> {}

/**
 * 答卷 — one response: the unit it is counted for, the period label, the
 * question and the chosen level id.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SurveyResponse = Schema.Struct({
  questionId: Schema.NonEmptyTrimmedString,
  period: Schema.NonEmptyTrimmedString,
  unitId: UnitId,
  level: Schema.String
}).annotations({ identifier: "SurveyResponse", title: "答卷 survey response" })

/**
 * @since 0.1.0
 * @category models
 */
export interface SurveyResponse extends Schema.Schema.Type<typeof SurveyResponse> {}

/**
 * 计数行 — how stores keep responses: a count per question, period, unit and level.
 *
 * @since 0.1.0
 * @category models
 */
export interface CountRow {
  readonly questionId: string
  readonly period: string
  readonly unitId: string
  readonly level: string
  readonly count: number
}

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 调查问题不存在 — no question has this id.
 *
 * @since 0.1.0
 * @category errors
 */
export class QuestionNotFound extends Schema.TaggedError<QuestionNotFound>()("QuestionNotFound", {
  questionId: Schema.String
}) {
  override get message(): string {
    return `调查问题不存在 survey question not found: "${this.questionId}"`
  }
}

/**
 * 调查数据规则 — `unknown-question` 问题不存在, `unknown-unit` 单元不存在,
 * `unknown-level` 等级不在量表中, `invalid-count` 计数无效 (not a non-negative
 * integer), `scale-in-use` a new scale drops levels that already have responses.
 *
 * @since 0.1.0
 * @category validation
 */
export const SurveyDataRule = Schema.Literal(
  "unknown-question",
  "unknown-unit",
  "unknown-level",
  "invalid-count",
  "scale-in-use"
).annotations({ identifier: "SurveyDataRule", title: "调查数据规则 survey data rule" })

/**
 * @since 0.1.0
 * @category validation
 */
export type SurveyDataRule = typeof SurveyDataRule.Type

/**
 * 调查数据问题 — one violation: the rule, what it concerns (`response 3`,
 * `question "q1"`) and a message.
 *
 * @since 0.1.0
 * @category validation
 */
export const SurveyDataViolation = Schema.TaggedStruct("SurveyDataViolation", {
  rule: SurveyDataRule,
  subject: Schema.String,
  message: Schema.String
}).annotations({ identifier: "SurveyDataViolation", title: "调查数据问题 survey data violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface SurveyDataViolation extends Schema.Schema.Type<typeof SurveyDataViolation> {}

/**
 * 调查数据无效 — a write refused with every violation; nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class SurveyDataInvalid extends Schema.TaggedError<SurveyDataInvalid>()("SurveyDataInvalid", {
  violations: Schema.NonEmptyArray(SurveyDataViolation)
}) {
  override get message(): string {
    const shown = this.violations.slice(0, 5).map((v) => v.message)
    const more = this.violations.length > 5 ? `; … and ${this.violations.length - 5} more` : ""
    return `调查数据无效 survey data refused (${this.violations.length} violation(s)): ${shown.join("; ")}${more}`
  }
}

// ---------------------------------------------------------------------------
// validation and counting (shared by every implementation)
// ---------------------------------------------------------------------------

const violation = (rule: SurveyDataRule, subject: string, message: string): SurveyDataViolation => ({
  _tag: "SurveyDataViolation",
  rule,
  subject,
  message
})

const fail = (
  violations: ReadonlyArray<SurveyDataViolation>
): Either.Either<never, SurveyDataInvalid> | null =>
  Arr.isNonEmptyReadonlyArray(violations) ? Either.left(new SurveyDataInvalid({ violations })) : null

const countKey = (r: Omit<CountRow, "count">): string =>
  `${r.questionId}\u0000${r.period}\u0000${r.unitId}\u0000${r.level}`

const merge = (rows: ReadonlyArray<CountRow>): ReadonlyArray<CountRow> => {
  const byKey = new Map<string, CountRow>()
  for (const row of rows) {
    if (row.count === 0) continue
    const key = countKey(row)
    const seen = byKey.get(key)
    byKey.set(key, seen === undefined ? row : { ...seen, count: seen.count + row.count })
  }
  return [...byKey.values()]
}

/**
 * 答卷校验 — every response's question known, unit known, level on the
 * question's scale. Right: the counts to add (one per distinct question,
 * period, unit and level).
 *
 * @since 0.1.0
 * @category validation
 */
export const checkResponses = (
  responses: ReadonlyArray<SurveyResponse>,
  known: { readonly questions: ReadonlyMap<string, Question>; readonly units: ReadonlySet<string> }
): Either.Either<ReadonlyArray<CountRow>, SurveyDataInvalid> => {
  const violations: Array<SurveyDataViolation> = []
  responses.forEach((r, i) => {
    const subject = `response ${i}`
    const question = known.questions.get(r.questionId)
    if (question === undefined) {
      violations.push(
        violation("unknown-question", subject, `问题不存在 ${subject}: unknown question "${r.questionId}"`)
      )
    } else if (!question.scale.levels.some((l) => l.id === r.level)) {
      violations.push(
        violation(
          "unknown-level",
          subject,
          `未知等级 ${subject}: "${r.level}" is not a level of question "${r.questionId}"'s scale "${question.scale.id}"`
        )
      )
    }
    if (!known.units.has(r.unitId)) {
      violations.push(violation("unknown-unit", subject, `单元不存在 ${subject}: unknown unit "${r.unitId}"`))
    }
  })
  return (
    fail(violations) ??
    Either.right(
      merge(
        responses.map((r) => ({
          questionId: r.questionId,
          period: r.period,
          unitId: r.unitId,
          level: r.level,
          count: 1
        }))
      )
    )
  )
}

/**
 * 计数校验 — a tally for one question, period and unit: the question and unit
 * known, every key a level of the scale and every count a non-negative
 * integer (`Survey.validateTally`, plus integrality). Right: the counts to add.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkTally = (
  input: {
    readonly questionId: string
    readonly period: string
    readonly unitId: string
    readonly tally: Survey.Tally
  },
  known: { readonly questions: ReadonlyMap<string, Question>; readonly units: ReadonlySet<string> }
): Either.Either<ReadonlyArray<CountRow>, SurveyDataInvalid> => {
  const subject = `tally of unit "${input.unitId}" for question "${input.questionId}" in ${input.period}`
  const violations: Array<SurveyDataViolation> = []
  const question = known.questions.get(input.questionId)
  if (question === undefined) {
    violations.push(
      violation("unknown-question", subject, `问题不存在 ${subject}: unknown question "${input.questionId}"`)
    )
  } else {
    const core = Survey.validateTally(question.scale, input.tally, subject)
    if (Either.isLeft(core)) {
      for (const v of core.left.violations) {
        violations.push(
          violation(v.rule === "invalid-count" ? "invalid-count" : "unknown-level", subject, v.message)
        )
      }
    }
  }
  for (const [level, count] of Object.entries(input.tally).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (Number.isFinite(count) && count >= 0 && !Number.isInteger(count)) {
      violations.push(
        violation(
          "invalid-count",
          subject,
          `计数无效 ${subject}: ${count} for "${level}" is not a whole number`
        )
      )
    }
  }
  if (!known.units.has(input.unitId)) {
    violations.push(
      violation("unknown-unit", subject, `单元不存在 ${subject}: unknown unit "${input.unitId}"`)
    )
  }
  return (
    fail(violations) ??
    Either.right(
      merge(
        Object.entries(input.tally).map(([level, count]) => ({
          questionId: input.questionId,
          period: input.period,
          unitId: input.unitId,
          level,
          count
        }))
      )
    )
  )
}

/**
 * 量表变更校验 — a question's new scale must be valid (`Survey.validateScale`)
 * and keep every level that already has responses.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkQuestion = (
  question: Question,
  usedLevels: ReadonlyArray<string>
): Either.Either<Question, Survey.SurveyInvalid | SurveyDataInvalid> =>
  Either.flatMap(Survey.validateScale(question.scale), () => {
    const ids = new Set(question.scale.levels.map((l) => l.id))
    const dropped = [...new Set(usedLevels)].filter((l) => !ids.has(l)).sort()
    const subject = `question "${question.id}"`
    return (
      fail(
        dropped.map((level) =>
          violation(
            "scale-in-use",
            subject,
            `量表仍在使用 ${subject}: level "${level}" already has responses; the new scale "${question.scale.id}" must keep it`
          )
        )
      ) ?? Either.right(question)
    )
  })

const emptyFor = (scale: Survey.Scale): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const l of scale.levels) counts[l.id] = 0
  return counts
}

/**
 * 按单位计数 — counts (unit, level, count) into a tally per unit, units in id
 * order, each tally listing every level of the scale (as `Survey.tallyByUnit`).
 *
 * @since 0.1.0
 * @category utils
 */
export const talliesOf = (
  scale: Survey.Scale,
  rows: Iterable<{ readonly unitId: string; readonly level: string; readonly count: number }>
): ReadonlyMap<UnitId, Survey.Tally> => {
  const byUnit = new Map<string, Record<string, number>>()
  for (const row of rows) {
    if (row.count === 0) continue
    let counts = byUnit.get(row.unitId)
    if (counts === undefined) {
      counts = emptyFor(scale)
      byUnit.set(row.unitId, counts)
    }
    counts[row.level] = (counts[row.level] ?? 0) + row.count
  }
  return new Map(
    [...byUnit.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([unitId, t]) => [UnitId.make(unitId, { disableValidation: true }), t] as const)
  )
}

/**
 * 合计 — counts (level, count) into one tally listing every level of the scale.
 *
 * @since 0.1.0
 * @category utils
 */
export const totalOf = (
  scale: Survey.Scale,
  rows: Iterable<{ readonly level: string; readonly count: number }>
): Survey.Tally => {
  const counts = emptyFor(scale)
  for (const row of rows) counts[row.level] = (counts[row.level] ?? 0) + row.count
  return counts
}

// ---------------------------------------------------------------------------
// port
// ---------------------------------------------------------------------------

/**
 * 计数查询 — a question, a period label and a jurisdiction.
 *
 * @since 0.1.0
 * @category models
 */
export interface TallyQuery {
  readonly questionId: string
  readonly period: string
  readonly within: string
}

/**
 * 调查仓库 — the survey store port.
 *
 * @since 0.1.0
 * @category tags
 */
export class SurveyRepository extends Context.Tag("@civicgrid/core/SurveyRepository")<
  SurveyRepository,
  {
    /** Creates or updates a question (`checkQuestion`). */
    readonly putQuestion: (
      question: Question
    ) => Effect.Effect<void, Survey.SurveyInvalid | SurveyDataInvalid | StorageUnavailable>
    readonly question: (questionId: string) => Effect.Effect<Question, QuestionNotFound | StorageUnavailable>
    /** Adds responses, one count each (`checkResponses`). */
    readonly record: (
      responses: ReadonlyArray<SurveyResponse>
    ) => Effect.Effect<void, SurveyDataInvalid | StorageUnavailable>
    /** Adds a whole tally for one question, period and unit (`checkTally`). */
    readonly recordTally: (input: {
      readonly questionId: string
      readonly period: string
      readonly unitId: string
      readonly tally: Survey.Tally
    }) => Effect.Effect<void, SurveyDataInvalid | StorageUnavailable>
    /** The tally of each unit with responses within the jurisdiction, units in id order. */
    readonly tallies: (
      query: TallyQuery
    ) => Effect.Effect<
      ReadonlyMap<UnitId, Survey.Tally>,
      QuestionNotFound | Hierarchy.UnitNotFound | StorageUnavailable
    >
    /** The tally of the whole jurisdiction (the sum of `tallies`). */
    readonly total: (
      query: TallyQuery
    ) => Effect.Effect<Survey.Tally, QuestionNotFound | Hierarchy.UnitNotFound | StorageUnavailable>
  }
>() {}

/**
 * An in-memory survey store on top of a `HierarchyRepository`; each build
 * starts empty.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<SurveyRepository, never, HierarchyRepository> = Layer.effect(
  SurveyRepository,
  internal.make
)
