/**
 * 干部考核 — the appraisal of community cadres per period, with the Pingyi
 * street report's 绿橙红 dynamic management ("对社区干部实施'绿橙红'动态管理考核评价机制"):
 * each cadre's score of a period (0–100) lights green, orange or red
 * (`Score.light`, thresholds configurable), and the history of a cadre's lights
 * shows the dynamics — a cadre who moves from red to orange has improved.
 *
 * {@link check} reports every breach of the records (a cadre appraised twice in
 * one period, a score outside 0–100); the rest are pure reports.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Period from "./Period.js"
import * as Score from "./Score.js"
import { PersonId } from "./Staffing.js"
import * as Text from "./Text.js"

/**
 * 考核记录 — one cadre's score of one period.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Appraisal = Schema.Struct({
  cadreId: PersonId,
  period: Period.Period,
  /** 得分 — 0 to 100 (checked by {@link check}). */
  score: Schema.Number,
  note: Schema.optionalWith(Text.Note, { exact: true })
}).annotations({ identifier: "CadreAppraisal", title: "干部考核记录 cadre appraisal" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Appraisal extends Schema.Schema.Type<typeof Appraisal> {}

/**
 * 亮灯变化 — how a light changed from the cadre's previous period:
 * `first` (no previous appraisal), `better`, `same`, `worse`.
 *
 * @since 0.1.0
 * @category models
 */
export type Change = "first" | "better" | "same" | "worse"

/**
 * 亮灯记录 — an appraisal with its light and its change.
 *
 * @since 0.1.0
 * @category models
 */
export interface Lit {
  readonly appraisal: Appraisal
  readonly light: Score.Light
  readonly change: Change
}

const rankOf: Readonly<Record<Score.Light, number>> = { red: 0, orange: 1, green: 2 }

const periodKey = (p: Period.Period): string => `${p.granularity}:${p.firstDay}:${p.utcOffsetMinutes}`

/**
 * 考核历史 — a cadre's appraisals, oldest period first, each with its light and
 * its change from the period before.
 *
 * @since 0.1.0
 * @category getters
 */
export const history = (
  appraisals: ReadonlyArray<Appraisal>,
  cadreId: PersonId,
  thresholds: Score.LightThresholds = Score.defaultLightThresholds
): ReadonlyArray<Lit> => {
  const own = appraisals.filter((a) => a.cadreId === cadreId).sort((a, b) => Period.Order(a.period, b.period))
  const out: Array<Lit> = []
  let previous: Score.Light | undefined
  for (const appraisal of own) {
    const light = Score.light(appraisal.score, thresholds)
    const change: Change =
      previous === undefined
        ? "first"
        : rankOf[light] > rankOf[previous]
          ? "better"
          : rankOf[light] < rankOf[previous]
            ? "worse"
            : "same"
    out.push({ appraisal, light, change })
    previous = light
  }
  return out
}

/**
 * 亮灯统计 — the lights of one period: how many cadres are green, orange, red,
 * and who is red (sorted).
 *
 * @since 0.1.0
 * @category getters
 */
export const lightsOf = (
  appraisals: ReadonlyArray<Appraisal>,
  period: Period.Period,
  thresholds: Score.LightThresholds = Score.defaultLightThresholds
): {
  readonly green: number
  readonly orange: number
  readonly red: number
  readonly redCadres: ReadonlyArray<PersonId>
} => {
  const key = periodKey(period)
  const counts = { green: 0, orange: 0, red: 0 }
  const redCadres: Array<PersonId> = []
  for (const a of appraisals) {
    if (periodKey(a.period) !== key) continue
    const light = Score.light(a.score, thresholds)
    counts[light]++
    if (light === "red") redCadres.push(a.cadreId)
  }
  return { ...counts, redCadres: redCadres.sort() }
}

/**
 * 考核看板行 — one cadre on the appraisal board: the unit of the appraisal
 * shown, that appraisal (`current`) and the cadre's whole history.
 *
 * @since 0.1.0
 * @category models
 */
export interface BoardRow<U extends string = string> {
  readonly cadreId: PersonId
  readonly unitId: U
  readonly current: Lit
  readonly history: ReadonlyArray<Lit>
}

/**
 * 考核看板 — the cadres' lights (绿橙红) with their dynamics: for `period`,
 * the cadres appraised in it, `current` being that period's appraisal;
 * without, every cadre appraised, `current` being the latest. Each row
 * carries the cadre's history ({@link history}) and the unit of its current
 * appraisal; rows by unit then cadre. `lights` counts the rows' current
 * lights.
 *
 * @since 0.1.0
 * @category getters
 */
export const board = <U extends string>(
  appraisals: ReadonlyArray<{ readonly unitId: U; readonly appraisal: Appraisal }>,
  options: { readonly period?: Period.Period; readonly thresholds?: Score.LightThresholds } = {}
): {
  readonly rows: ReadonlyArray<BoardRow<U>>
  readonly lights: { readonly green: number; readonly orange: number; readonly red: number }
} => {
  const plain = appraisals.map((a) => a.appraisal)
  const unitOf = new Map<Appraisal, U>(appraisals.map((a) => [a.appraisal, a.unitId] as const))
  const wanted = options.period === undefined ? undefined : periodKey(options.period)
  const rows: Array<BoardRow<U>> = []
  for (const cadreId of new Set(plain.map((a) => a.cadreId))) {
    const lits = history(plain, cadreId, options.thresholds)
    const current =
      wanted === undefined
        ? lits[lits.length - 1]
        : [...lits].reverse().find((l) => periodKey(l.appraisal.period) === wanted)
    const unitId = current === undefined ? undefined : unitOf.get(current.appraisal)
    if (current === undefined || unitId === undefined) continue
    rows.push({ cadreId, unitId, current, history: lits })
  }
  rows.sort((a, b) =>
    a.unitId < b.unitId
      ? -1
      : a.unitId > b.unitId
        ? 1
        : a.cadreId < b.cadreId
          ? -1
          : a.cadreId > b.cadreId
            ? 1
            : 0
  )
  const lights = { green: 0, orange: 0, red: 0 }
  for (const row of rows) lights[row.current.light]++
  return { rows, lights }
}

/**
 * The rule an appraisal breaks: `duplicate` (a cadre twice in one period),
 * `score-range` (not a number within 0–100).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AppraisalRule = Schema.Literal("duplicate", "score-range")

/**
 * @since 0.1.0
 * @category models
 */
export type AppraisalRule = typeof AppraisalRule.Type

/**
 * 考核记录违规 — a breach, naming the cadre and the period.
 *
 * @since 0.1.0
 * @category errors
 */
export class AppraisalViolation extends Schema.TaggedError<AppraisalViolation>()("AppraisalViolation", {
  rule: AppraisalRule,
  cadreId: PersonId,
  period: Schema.String,
  score: Schema.optionalWith(Schema.Number, { exact: true })
}) {
  override get message(): string {
    return this.rule === "duplicate"
      ? `干部 ${this.cadreId} 在 ${this.period} 有多条考核记录 — cadre ${this.cadreId} is appraised more than once in ${this.period} [duplicate]`
      : `干部 ${this.cadreId} 在 ${this.period} 的得分 ${this.score} 不在 0–100 之间 — cadre ${this.cadreId}'s score ${this.score} in ${this.period} is not within 0–100 [score-range]`
  }
}

/**
 * Checks appraisal records; returns every breach (sorted by cadre and period).
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (appraisals: ReadonlyArray<Appraisal>): ReadonlyArray<AppraisalViolation> => {
  const out: Array<AppraisalViolation> = []
  const seen = new Map<string, number>()
  for (const a of appraisals) {
    const label = Period.label(a.period)
    const key = `${a.cadreId}\u0000${periodKey(a.period)}`
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    if (n === 2) out.push(new AppraisalViolation({ rule: "duplicate", cadreId: a.cadreId, period: label }))
    if (!Number.isFinite(a.score) || a.score < 0 || a.score > 100) {
      out.push(
        new AppraisalViolation({ rule: "score-range", cadreId: a.cadreId, period: label, score: a.score })
      )
    }
  }
  return out.sort((a, b) => {
    const ka = `${a.cadreId}\u0000${a.period}\u0000${a.rule}`
    const kb = `${b.cadreId}\u0000${b.period}\u0000${b.rule}`
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
}
