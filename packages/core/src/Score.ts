/**
 * 综合评分 — composite scores: indicator values scored 0–100, weighted
 * profiles, grade bands, the 绿橙红 traffic light, and rankings.
 *
 * Source: the assessment practice of Chinese governance and hotline platforms —
 * weighted profiles of indicators scored 0–100 (e.g. the hotline three rates
 * weighted 10/50/40 or 30/35/35), step-function scores, grade bands A ≥ 90,
 * B ≥ 75, C ≥ 60, D ≥ 40, else E, or green/orange/red; all weights and bands
 * are configuration — and the Pingyi street report (平邑街道: 对社区干部实施"绿橙红"动态管理考核
 * 评价机制 — the report names the three colours but no thresholds).
 *
 * - **Scoring an indicator** (`Scoring`): `Linear` (rate × 100 by default;
 *   any two anchor values, so lower-is-better rates like 返工率 score
 *   `(1 − rate) × 100`), `Steps` (thresholds → points), `Deduct` (full marks
 *   at a target, minus points per percentage point short — the common
 *   "每少一个百分点扣N分" rule) and `Capped` (any scoring, capped). Every
 *   scoring yields points in [0, 100].
 * - **Profiles** (`Profile`): indicators with weights; `validateProfile`
 *   reports every problem. Weights either must sum to 100 (`"sum-to-100"`) or
 *   are normalised (`"normalise"`); `score` always divides by the weight
 *   actually applied, so both give a 0–100 composite.
 * - **Missing data**: an indicator with no data (absent, a `Ratio` with a zero
 *   denominator, a non-finite number) is, by default, **excluded** — the other
 *   weights are renormalised and the indicator is flagged in `missing` —
 *   or, with `missing: "zero"`, scored 0 at full weight (also flagged).
 * - **Grades** A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, else E, and **traffic lights**
 *   绿 green ≥ 80, 橙 orange ≥ 60, else 红 red — both configuration. The light
 *   thresholds are this library's default (60 is the customary pass line 合格线
 *   of Chinese assessment; 80 the customary 良好 line), not taken from the Pingyi street report.
 * - **Rankings** (`rank`): competition ranking (1, 2, 2, 4) on scores rounded
 *   to `tieDigits` decimals (default 2, the precision scores are published
 *   in), ties listed by id; units whose sample is below `minSample` (default
 *   30) or that have no score are listed, **unranked**, after the ranked ones.
 *   FixMyStreet learned why: units with three reports topped its league table.
 *
 * Shipped profiles (all configuration, to copy and adjust):
 * `threeRates_10_50_40` and `threeRates_30_35_35` (响应率/解决率/满意率, two
 * weightings used in hotline "三率" assessment, e.g. Beijing's 接诉即办), and `cjt292Style`, a
 * handling-department profile in the spirit of CJ/T 292 / GB/T 30428.4
 * (数字化城市管理 绩效评价): 按期处置率 40, 处置率 30, 返工率 20 (lower is
 * better), 重办率 10 (lower is better). **Those four weights are this
 * library's choice, not quoted from the standard.**
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { roundTo } from "./internal/stats.js"
import * as Ratio from "./Ratio.js"
import * as Text from "./Text.js"

// ---------------------------------------------------------------------------
// scorings
// ---------------------------------------------------------------------------

/**
 * 方向 — whether a higher indicator value is better (结案率) or worse (返工率).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Direction = Schema.Literal("higher-is-better", "lower-is-better").annotations({
  identifier: "ScoreDirection",
  title: "方向 direction"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Direction = typeof Direction.Type

/**
 * 线性计分 — linear: 0 points at `zeroAt`, 100 at `fullAt`, straight in
 * between, clamped outside. `zeroAt: 0, fullAt: 1` is rate × 100;
 * `zeroAt: 1, fullAt: 0` is (1 − rate) × 100 for lower-is-better rates.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Linear = Schema.TaggedStruct("Linear", {
  zeroAt: Schema.Number,
  fullAt: Schema.Number
}).annotations({ identifier: "Linear", title: "线性计分 linear scoring" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Linear extends Schema.Schema.Type<typeof Linear> {}

/**
 * 阶梯 — one step: at `threshold` (reached from the better side) the
 * indicator earns `points`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Step = Schema.Struct({
  threshold: Schema.Number,
  points: Schema.Number
}).annotations({ identifier: "Step", title: "阶梯 step" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Step extends Schema.Schema.Type<typeof Step> {}

/**
 * 阶梯计分 — a step function. Higher is better: the points of the highest
 * threshold the value reaches (value ≥ threshold), else `otherwise`. Lower is
 * better: the points of the lowest threshold the value stays within
 * (value ≤ threshold), else `otherwise`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Steps = Schema.TaggedStruct("Steps", {
  direction: Direction,
  steps: Schema.Array(Step),
  otherwise: Schema.Number
}).annotations({ identifier: "Steps", title: "阶梯计分 step scoring" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Steps extends Schema.Schema.Type<typeof Steps> {}

/**
 * 扣分计分 — full marks (100) when the rate reaches `target`, minus
 * `pointsPerPercent` for every percentage point short of it (pro rata), never
 * below 0 — "达到目标得满分,每少一个百分点扣N分". For lower-is-better rates the
 * deduction is per point above the target.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Deduct = Schema.TaggedStruct("Deduct", {
  direction: Direction,
  target: Schema.Number,
  pointsPerPercent: Schema.Number
}).annotations({ identifier: "Deduct", title: "扣分计分 deduction scoring" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Deduct extends Schema.Schema.Type<typeof Deduct> {}

/**
 * 封顶计分 — another scoring, capped at `max` points.
 *
 * @since 0.1.0
 * @category models
 */
export interface Capped {
  readonly _tag: "Capped"
  readonly scoring: Scoring
  readonly max: number
}

/**
 * 计分方法 — how an indicator value becomes 0–100 points.
 *
 * @since 0.1.0
 * @category models
 */
export type Scoring = Linear | Steps | Deduct | Capped

/**
 * @since 0.1.0
 * @category schemas
 */
export const Capped: Schema.Schema<Capped> = Schema.TaggedStruct("Capped", {
  scoring: Schema.suspend((): Schema.Schema<Scoring> => Scoring),
  max: Schema.Number
}).annotations({ identifier: "Capped", title: "封顶计分 capped scoring" })

/**
 * @since 0.1.0
 * @category schemas
 */
export const Scoring: Schema.Schema<Scoring> = Schema.Union(Linear, Steps, Deduct, Capped).annotations({
  identifier: "Scoring",
  title: "计分方法 scoring"
})

/**
 * Linear scoring; `linear()` is rate × 100.
 *
 * @since 0.1.0
 * @category constructors
 */
export const linear = (zeroAt = 0, fullAt = 1): Linear => ({ _tag: "Linear", zeroAt, fullAt })

/**
 * (1 − rate) × 100, for lower-is-better rates (返工率, 重办率).
 *
 * @since 0.1.0
 * @category constructors
 */
export const inverseLinear: Linear = { _tag: "Linear", zeroAt: 1, fullAt: 0 }

/**
 * Step scoring (see `Steps`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const steps = (
  stepList: ReadonlyArray<Step>,
  otherwise = 0,
  direction: Direction = "higher-is-better"
): Steps => ({ _tag: "Steps", direction, steps: stepList, otherwise })

/**
 * Deduction scoring (see `Deduct`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const deduct = (
  target: number,
  pointsPerPercent: number,
  direction: Direction = "higher-is-better"
): Deduct => ({
  _tag: "Deduct",
  direction,
  target,
  pointsPerPercent
})

/**
 * Caps a scoring at `max` points.
 *
 * @since 0.1.0
 * @category constructors
 */
export const capped = (scoring: Scoring, max: number): Capped => ({ _tag: "Capped", scoring, max })

const clamp100 = (x: number): number => Math.min(100, Math.max(0, x))

/**
 * 计分 — the points (0–100) an indicator value earns under a scoring. With a
 * valid scoring (see `validateScoring`) the points are monotone in the value:
 * non-decreasing when higher is better, non-increasing when lower is better.
 *
 * @since 0.1.0
 * @category utils
 */
export const points = (scoring: Scoring, value: number): number => {
  switch (scoring._tag) {
    case "Linear": {
      const span = scoring.fullAt - scoring.zeroAt
      return span === 0
        ? value >= scoring.fullAt
          ? 100
          : 0
        : clamp100(((value - scoring.zeroAt) / span) * 100)
    }
    case "Steps": {
      const higher = scoring.direction === "higher-is-better"
      let best: Step | undefined
      for (const step of scoring.steps) {
        const reached = higher ? value >= step.threshold : value <= step.threshold
        if (!reached) continue
        if (
          best === undefined ||
          (higher ? step.threshold > best.threshold : step.threshold < best.threshold)
        ) {
          best = step
        }
      }
      return clamp100(best === undefined ? scoring.otherwise : best.points)
    }
    case "Deduct": {
      const short = scoring.direction === "higher-is-better" ? scoring.target - value : value - scoring.target
      return short <= 0 ? 100 : clamp100(100 - short * 100 * scoring.pointsPerPercent)
    }
    case "Capped":
      return Math.min(clamp100(scoring.max), points(scoring.scoring, value))
  }
}

// ---------------------------------------------------------------------------
// profiles
// ---------------------------------------------------------------------------

/**
 * 考核指标 — one indicator of a profile: id (the key of its value), names,
 * weight 权重 (non-negative) and scoring.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Indicator = Schema.Struct({
  id: Text.Id,
  /** 指标名称 — e.g. `"满意率"`. */
  name: Text.field(Text.limits.name),
  /** English name. */
  nameEn: Text.field(Text.limits.name),
  weight: Schema.Number,
  scoring: Scoring
}).annotations({ identifier: "Indicator", title: "考核指标 indicator" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Indicator extends Schema.Schema.Type<typeof Indicator> {}

/**
 * 权重规则 — `sum-to-100`: the weights must sum to 100; `normalise`: non-negative
 * weights of any total, each divided by their sum.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WeightMode = Schema.Literal("sum-to-100", "normalise").annotations({
  identifier: "WeightMode",
  title: "权重规则 weight mode"
})

/**
 * @since 0.1.0
 * @category models
 */
export type WeightMode = typeof WeightMode.Type

/**
 * 缺数处理 — `exclude` (default): an indicator with no data is left out and
 * the other weights renormalised; `zero`: it scores 0 at full weight. Either
 * way it is flagged in the result's `missing`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MissingPolicy = Schema.Literal("exclude", "zero").annotations({
  identifier: "MissingPolicy",
  title: "缺数处理 missing-data policy"
})

/**
 * @since 0.1.0
 * @category models
 */
export type MissingPolicy = typeof MissingPolicy.Type

/**
 * 考核方案 — a weighted profile of indicators.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Profile = Schema.Struct({
  id: Text.Id,
  name: Text.field(Text.limits.name),
  indicators: Schema.Array(Indicator),
  weights: WeightMode,
  missing: MissingPolicy
}).annotations({ identifier: "Profile", title: "考核方案 scoring profile" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Profile extends Schema.Schema.Type<typeof Profile> {}

const indicator = (
  id: string,
  name: string,
  nameEn: string,
  weight: number,
  scoring: Scoring
): Indicator => ({
  id,
  name,
  nameEn,
  weight,
  scoring
})

/**
 * "三率" 10/50/40 — 响应率 `response` 10, 解决率 `resolution` 50, 满意率
 * `satisfaction` 40, each rate × 100 (a hotline 三率 weighting; configuration).
 *
 * @since 0.1.0
 * @category profiles
 */
export const threeRates_10_50_40: Profile = {
  id: "three-rates-10-50-40",
  name: "三率 10/50/40",
  indicators: [
    indicator("response", "响应率", "response rate", 10, linear()),
    indicator("resolution", "解决率", "resolution rate", 50, linear()),
    indicator("satisfaction", "满意率", "satisfaction rate", 40, linear())
  ],
  weights: "sum-to-100",
  missing: "exclude"
}

/**
 * "三率" 30/35/35 — 响应率 `response` 30, 解决率 `resolution` 35, 满意率
 * `satisfaction` 35, each rate × 100 (a hotline 三率 weighting; configuration).
 *
 * @since 0.1.0
 * @category profiles
 */
export const threeRates_30_35_35: Profile = {
  id: "three-rates-30-35-35",
  name: "三率 30/35/35",
  indicators: [
    indicator("response", "响应率", "response rate", 30, linear()),
    indicator("resolution", "解决率", "resolution rate", 35, linear()),
    indicator("satisfaction", "满意率", "satisfaction rate", 35, linear())
  ],
  weights: "sum-to-100",
  missing: "exclude"
}

/**
 * CJ/T 292-style handling-department profile (数字化城市管理 处置部门考核):
 * 按期处置率 `on-time-handling` 40 and 处置率 `handling` 30 (rate × 100),
 * 返工率 `rework` 20 and 重办率 `reopen` 10 ((1 − rate) × 100, 0 points at
 * 100% or more). The indicators are the standard's terms; **the weights and
 * scorings are this library's illustrative choice, not quoted from CJ/T 292
 * or GB/T 30428.4** — configure them to the local 考核办法.
 *
 * @since 0.1.0
 * @category profiles
 */
export const cjt292Style: Profile = {
  id: "cjt292-style-handling",
  name: "处置部门考核（CJ/T 292 风格）",
  indicators: [
    indicator("on-time-handling", "按期处置率", "on-time handling rate", 40, linear()),
    indicator("handling", "处置率", "handling rate", 30, linear()),
    indicator("rework", "返工率", "rework rate", 20, inverseLinear),
    indicator("reopen", "重办率", "reopen rate", 10, inverseLinear)
  ],
  weights: "sum-to-100",
  missing: "exclude"
}

// ---------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------

/**
 * 方案规则 — the rule a profile breaks: `duplicate-indicator` 指标重复,
 * `invalid-weight` 权重无效 (negative or not finite), `no-weight` 无有效权重,
 * `weights-sum` 权重之和不为100, `invalid-scoring` 计分方法无效.
 *
 * @since 0.1.0
 * @category validation
 */
export const ProfileRule = Schema.Literal(
  "duplicate-indicator",
  "invalid-weight",
  "no-weight",
  "weights-sum",
  "invalid-scoring"
).annotations({ identifier: "ProfileRule", title: "方案规则 profile rule" })

/**
 * @since 0.1.0
 * @category validation
 */
export type ProfileRule = typeof ProfileRule.Type

/**
 * 方案问题 — one violation: the profile, the indicator (null for whole-profile
 * rules), the rule and a bilingual message.
 *
 * @since 0.1.0
 * @category validation
 */
export const ProfileViolation = Schema.TaggedStruct("ProfileViolation", {
  profileId: Schema.String,
  indicatorId: Schema.NullOr(Schema.String),
  rule: ProfileRule,
  message: Schema.String
}).annotations({ identifier: "ProfileViolation", title: "方案问题 profile violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface ProfileViolation extends Schema.Schema.Type<typeof ProfileViolation> {}

/**
 * 考核方案无效 — carries every violation.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProfileInvalid extends Schema.TaggedError<ProfileInvalid>()("ProfileInvalid", {
  violations: Schema.NonEmptyArray(ProfileViolation)
}) {
  override get message(): string {
    return `考核方案无效 invalid profile: ${this.violations.map((v) => v.message).join("; ")}`
  }
}

const isFiniteNumber = (x: number): boolean => Number.isFinite(x)

/**
 * 计分方法校验 — the problems of a scoring, as messages (empty when valid):
 * finite parameters; `Linear` anchors distinct; `Steps` thresholds distinct,
 * points in 0–100 and non-decreasing towards the better side (so the score
 * is monotone), `otherwise` not above any step; `Deduct` points per percent
 * ≥ 0; `Capped` max in 0–100.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateScoring = (scoring: Scoring): ReadonlyArray<string> => {
  const out: Array<string> = []
  switch (scoring._tag) {
    case "Linear":
      if (!isFiniteNumber(scoring.zeroAt) || !isFiniteNumber(scoring.fullAt)) {
        out.push("线性计分参数无效 linear anchors must be finite")
      } else if (scoring.zeroAt === scoring.fullAt) {
        out.push(`线性计分参数无效 linear zeroAt and fullAt are both ${scoring.zeroAt}`)
      }
      break
    case "Steps": {
      const higher = scoring.direction === "higher-is-better"
      const sorted = [...scoring.steps].sort((a, b) =>
        higher ? a.threshold - b.threshold : b.threshold - a.threshold
      )
      if (!isFiniteNumber(scoring.otherwise) || scoring.otherwise < 0 || scoring.otherwise > 100) {
        out.push(`阶梯计分无效 otherwise points ${scoring.otherwise} are not within 0–100`)
      }
      let prior: Step | undefined
      for (const step of sorted) {
        if (!isFiniteNumber(step.threshold))
          out.push(`阶梯计分无效 threshold ${step.threshold} is not finite`)
        if (!isFiniteNumber(step.points) || step.points < 0 || step.points > 100) {
          out.push(`阶梯计分无效 points ${step.points} at threshold ${step.threshold} are not within 0–100`)
        }
        if (step.points < scoring.otherwise) {
          out.push(
            `阶梯计分无效 points ${step.points} at threshold ${step.threshold} are below the otherwise points ${scoring.otherwise}`
          )
        }
        if (prior !== undefined) {
          if (prior.threshold === step.threshold) {
            out.push(`阶梯计分无效 threshold ${step.threshold} appears twice`)
          } else if (step.points < prior.points) {
            out.push(
              `阶梯计分无效 not monotone: a better threshold ${step.threshold} earns ${step.points} points, fewer than ${prior.points} at ${prior.threshold}`
            )
          }
        }
        prior = step
      }
      break
    }
    case "Deduct":
      if (!isFiniteNumber(scoring.target)) out.push(`扣分计分无效 target ${scoring.target} is not finite`)
      if (!isFiniteNumber(scoring.pointsPerPercent) || scoring.pointsPerPercent < 0) {
        out.push(`扣分计分无效 points per percent ${scoring.pointsPerPercent} must be a finite number ≥ 0`)
      }
      break
    case "Capped":
      if (!isFiniteNumber(scoring.max) || scoring.max < 0 || scoring.max > 100) {
        out.push(`封顶计分无效 cap ${scoring.max} is not within 0–100`)
      }
      out.push(...validateScoring(scoring.scoring))
      break
  }
  return out
}

/**
 * 方案校验 — checks a profile and returns every violation: duplicate indicator
 * ids, weights negative or not finite, no positive weight, weights not
 * summing to 100 (mode `sum-to-100`, within 1e-9), invalid scorings.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateProfile = (profile: Profile): Either.Either<Profile, ProfileInvalid> => {
  const violations: Array<ProfileViolation> = []
  const add = (indicatorId: string | null, rule: ProfileRule, message: string): void => {
    violations.push({ _tag: "ProfileViolation", profileId: profile.id, indicatorId, rule, message })
  }
  const seen = new Set<string>()
  let total = 0
  let anyPositive = false
  for (const ind of profile.indicators) {
    if (seen.has(ind.id)) {
      add(ind.id, "duplicate-indicator", `指标重复 duplicate indicator: "${ind.id}" appears more than once`)
    }
    seen.add(ind.id)
    if (!isFiniteNumber(ind.weight) || ind.weight < 0) {
      add(ind.id, "invalid-weight", `权重无效 invalid weight: "${ind.id}" has weight ${ind.weight}`)
    } else {
      total += ind.weight
      if (ind.weight > 0) anyPositive = true
    }
    for (const problem of validateScoring(ind.scoring)) {
      add(ind.id, "invalid-scoring", `计分方法无效 invalid scoring of "${ind.id}": ${problem}`)
    }
  }
  if (!anyPositive) {
    add(
      null,
      "no-weight",
      `无有效权重 no weight: profile "${profile.id}" has no indicator with a positive weight`
    )
  } else if (profile.weights === "sum-to-100" && Math.abs(total - 100) > 1e-9) {
    add(
      null,
      "weights-sum",
      `权重之和不为100 weights sum to ${total}, not 100 (use weights: "normalise" to scale them)`
    )
  }
  const [first, ...rest] = violations
  return first === undefined
    ? Either.right(profile)
    : Either.left(new ProfileInvalid({ violations: [first, ...rest] }))
}

// ---------------------------------------------------------------------------
// composite scores
// ---------------------------------------------------------------------------

/**
 * 指标值 — an indicator's value: a `Ratio` (its rate; a zero denominator is
 * no data) or a plain number (a non-finite number is no data).
 *
 * @since 0.1.0
 * @category models
 */
export type IndicatorValue = Ratio.Ratio | number

/**
 * 分项得分 — one indicator's part of a composite score.
 *
 * @since 0.1.0
 * @category models
 */
export interface ScorePart {
  readonly indicatorId: string
  /** The value scored (a ratio's rate); none when there is no data. */
  readonly value: Option.Option<number>
  /** The points 0–100; none when the indicator is excluded for lack of data. */
  readonly points: Option.Option<number>
  /** The weight as configured. */
  readonly weight: number
  /** The share of the composite this part carries (0–1; 0 when excluded). */
  readonly appliedWeight: number
  /** points × appliedWeight: what this part adds to the composite. */
  readonly contribution: number
}

/**
 * 综合得分 — a composite score 0–100 (none when no indicator with a positive
 * weight has data under the `exclude` policy), its parts in profile order,
 * the indicators with no data (`missing`), and `complete` when none is missing.
 *
 * @since 0.1.0
 * @category models
 */
export interface CompositeScore {
  readonly profileId: string
  readonly score: Option.Option<number>
  readonly parts: ReadonlyArray<ScorePart>
  readonly missing: ReadonlyArray<string>
  readonly complete: boolean
}

const indicatorValue = (v: IndicatorValue | undefined): Option.Option<number> => {
  if (v === undefined) return Option.none()
  if (typeof v === "number") return Number.isFinite(v) ? Option.some(v) : Option.none()
  return Ratio.rate(v)
}

/**
 * 综合评分 — scores each indicator (0–100) and combines them with the
 * weights divided by the weight applied, so the composite lies in 0–100.
 * Values are looked up by indicator id. Missing data follows the profile's
 * policy (`exclude`: left out, weights renormalised; `zero`: 0 points at full
 * weight) and is flagged in `missing`. Negative or non-finite weights count
 * as 0 (`validateProfile` reports them). With positive weights the score is
 * monotone in every indicator's value (in its direction).
 *
 * @since 0.1.0
 * @category utils
 */
export const score = (profile: Profile, values: Readonly<Record<string, IndicatorValue>>): CompositeScore => {
  const missing: Array<string> = []
  const raw: Array<{
    ind: Indicator
    value: Option.Option<number>
    points: Option.Option<number>
    w: number
  }> = []
  let applied = 0
  for (const ind of profile.indicators) {
    const w = isFiniteNumber(ind.weight) && ind.weight > 0 ? ind.weight : 0
    const value = Object.hasOwn(values, ind.id) ? indicatorValue(values[ind.id]) : Option.none()
    let pts: Option.Option<number>
    if (Option.isSome(value)) {
      pts = Option.some(points(ind.scoring, value.value))
    } else {
      missing.push(ind.id)
      pts = profile.missing === "zero" ? Option.some(0) : Option.none()
    }
    const used = Option.isSome(pts) ? w : 0
    applied += used
    raw.push({ ind, value, points: pts, w: used })
  }
  let total = 0
  const parts: Array<ScorePart> = raw.map(({ ind, value, points: pts, w }) => {
    const appliedWeight = applied > 0 ? w / applied : 0
    const contribution = Option.isSome(pts) ? pts.value * appliedWeight : 0
    total += contribution
    return { indicatorId: ind.id, value, points: pts, weight: ind.weight, appliedWeight, contribution }
  })
  return {
    profileId: profile.id,
    score: applied > 0 ? Option.some(clamp100(total)) : Option.none(),
    parts,
    missing,
    complete: missing.length === 0
  }
}

// ---------------------------------------------------------------------------
// grades and lights
// ---------------------------------------------------------------------------

/**
 * 等级 — one band: scores at or above `atLeast` (and below the next band up)
 * get `grade`.
 *
 * @since 0.1.0
 * @category models
 */
export interface GradeBand {
  readonly grade: string
  readonly atLeast: number
}

/**
 * 等级划分 — bands from best to worst (thresholds strictly descending) and
 * the grade for scores below them all.
 *
 * @since 0.1.0
 * @category models
 */
export interface GradeBands {
  readonly bands: ReadonlyArray<GradeBand>
  readonly otherwise: string
}

/**
 * The default bands: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, else E (this library's
 * default; configuration).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultGradeBands: GradeBands = {
  bands: [
    { grade: "A", atLeast: 90 },
    { grade: "B", atLeast: 75 },
    { grade: "C", atLeast: 60 },
    { grade: "D", atLeast: 40 }
  ],
  otherwise: "E"
}

/**
 * 等级划分无效 — the bands are not a partition: each problem as a message.
 *
 * @since 0.1.0
 * @category errors
 */
export class GradeBandsInvalid extends Schema.TaggedError<GradeBandsInvalid>()("GradeBandsInvalid", {
  problems: Schema.NonEmptyArray(Schema.String)
}) {
  override get message(): string {
    return `等级划分无效 invalid grade bands: ${this.problems.join("; ")}`
  }
}

/**
 * Checks bands: thresholds finite, within 0–100 and strictly descending;
 * grades distinct (including `otherwise`). Valid bands partition [0, 100]:
 * every score gets exactly one grade. Returns every problem.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateGradeBands = (bands: GradeBands): Either.Either<GradeBands, GradeBandsInvalid> => {
  const problems: Array<string> = []
  const grades = new Set<string>([bands.otherwise])
  let prior: GradeBand | undefined
  for (const band of bands.bands) {
    if (!isFiniteNumber(band.atLeast) || band.atLeast < 0 || band.atLeast > 100) {
      problems.push(`等级 ${band.grade}: threshold ${band.atLeast} is not within 0–100`)
    }
    if (grades.has(band.grade)) problems.push(`等级重复 grade "${band.grade}" appears twice`)
    grades.add(band.grade)
    if (prior !== undefined && !(band.atLeast < prior.atLeast)) {
      problems.push(
        `等级次序 grade ${band.grade} (≥ ${band.atLeast}) must have a lower threshold than ${prior.grade} (≥ ${prior.atLeast})`
      )
    }
    prior = band
  }
  const [first, ...rest] = problems
  return first === undefined
    ? Either.right(bands)
    : Either.left(new GradeBandsInvalid({ problems: [first, ...rest] }))
}

/**
 * 评定等级 — the grade of a score: the first band (best first) whose
 * threshold it reaches, else `otherwise`.
 *
 * @since 0.1.0
 * @category utils
 */
export const grade = (value: number, bands: GradeBands = defaultGradeBands): string => {
  for (const band of bands.bands) if (value >= band.atLeast) return band.grade
  return bands.otherwise
}

/**
 * 绿橙红 — the traffic light of the Pingyi street report's dynamic cadre assessment:
 * `green` 绿, `orange` 橙, `red` 红.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Light = Schema.Literal("green", "orange", "red").annotations({
  identifier: "Light",
  title: "绿橙红 traffic light"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Light = typeof Light.Type

/**
 * Chinese names of the lights.
 *
 * @since 0.1.0
 * @category constants
 */
export const lightNames: Readonly<Record<Light, string>> = { green: "绿", orange: "橙", red: "红" }

/**
 * 亮灯阈值 — green at or above `green`, orange at or above `orange`, else red.
 *
 * @since 0.1.0
 * @category models
 */
export interface LightThresholds {
  readonly green: number
  readonly orange: number
}

/**
 * The default light thresholds: green ≥ 80, orange ≥ 60, else red — this
 * library's default (the Pingyi street report gives no thresholds); configuration.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultLightThresholds: LightThresholds = { green: 80, orange: 60 }

/**
 * 亮灯 — the light of a score.
 *
 * @since 0.1.0
 * @category utils
 */
export const light = (value: number, thresholds: LightThresholds = defaultLightThresholds): Light =>
  value >= thresholds.green ? "green" : value >= thresholds.orange ? "orange" : "red"

/**
 * Checks light thresholds: finite, within 0–100, green ≥ orange. Returns
 * every problem.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateLightThresholds = (
  thresholds: LightThresholds
): Either.Either<LightThresholds, GradeBandsInvalid> => {
  const problems: Array<string> = []
  for (const [name, v] of [
    ["green", thresholds.green],
    ["orange", thresholds.orange]
  ] as const) {
    if (!isFiniteNumber(v) || v < 0 || v > 100)
      problems.push(`${lightNames[name]} ${name}: ${v} is not within 0–100`)
  }
  if (thresholds.green < thresholds.orange) {
    problems.push(`绿灯阈值 ${thresholds.green} is below the orange threshold ${thresholds.orange}`)
  }
  const [first, ...rest] = problems
  return first === undefined
    ? Either.right(thresholds)
    : Either.left(new GradeBandsInvalid({ problems: [first, ...rest] }))
}

// ---------------------------------------------------------------------------
// rankings
// ---------------------------------------------------------------------------

/**
 * 参评单位 — what `rank` needs of a unit: its id, its score (none: no data)
 * and the sample behind it (cases, evaluations, respondents).
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
  readonly id: string
  readonly score: Option.Option<number>
  readonly sampleSize: number
}

/**
 * 排名状态 — `ranked`; `below-minimum-sample` 样本不足 (listed, not ranked);
 * `no-data` 无数据.
 *
 * @since 0.1.0
 * @category models
 */
export type RankStatus = "ranked" | "below-minimum-sample" | "no-data"

/**
 * 排名结果 — an entry with its rank (none when unranked) and status.
 *
 * @since 0.1.0
 * @category models
 */
export interface Ranked<E extends Entry = Entry> {
  readonly entry: E
  readonly rank: Option.Option<number>
  readonly status: RankStatus
}

/**
 * Ranking options: `minSample` (default 30; 0 ranks everything with a score),
 * `tieDigits` (default 2: scores equal to 2 decimals tie), `direction`
 * (default higher is better).
 *
 * @since 0.1.0
 * @category models
 */
export interface RankOptions {
  readonly minSample?: number
  readonly tieDigits?: number
  readonly direction?: Direction
}

/**
 * The default minimum sample for ranking: 30 — local practice, configuration.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMinSample = 30

const byId = (a: Entry, b: Entry): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * 排名 — competition ranking ("1224"): entries with a score and a sample of
 * at least `minSample` are ranked best first; equal scores (to `tieDigits`
 * decimals) share a rank and the next rank skips (1, 2, 2, 4); ties are listed
 * by id. Then come the unranked: below the minimum sample (by score, then id),
 * then no data (by id). Deterministic for any input order.
 *
 * @since 0.1.0
 * @category utils
 */
export const rank = <E extends Entry>(
  entries: Iterable<E>,
  options?: RankOptions
): ReadonlyArray<Ranked<E>> => {
  const minSample = options?.minSample ?? defaultMinSample
  const digits = Math.min(12, Math.max(0, Math.trunc(options?.tieDigits ?? 2)))
  const sign = (options?.direction ?? "higher-is-better") === "higher-is-better" ? -1 : 1
  const ranked: Array<{ e: E; key: number }> = []
  const small: Array<{ e: E; key: number }> = []
  const none: Array<E> = []
  for (const e of entries) {
    if (Option.isNone(e.score) || !isFiniteNumber(e.score.value)) none.push(e)
    else if (e.sampleSize >= minSample) ranked.push({ e, key: roundTo(e.score.value, digits) })
    else small.push({ e, key: roundTo(e.score.value, digits) })
  }
  const order = (a: { e: E; key: number }, b: { e: E; key: number }): number =>
    a.key !== b.key ? sign * (a.key - b.key) : byId(a.e, b.e)
  ranked.sort(order)
  small.sort(order)
  none.sort(byId)
  const out: Array<Ranked<E>> = []
  let position = 0
  let currentRank = 0
  let previousKey: number | undefined
  for (const { e, key } of ranked) {
    position++
    if (previousKey === undefined || key !== previousKey) currentRank = position
    previousKey = key
    out.push({ entry: e, rank: Option.some(currentRank), status: "ranked" })
  }
  for (const { e } of small) out.push({ entry: e, rank: Option.none(), status: "below-minimum-sample" })
  for (const e of none) out.push({ entry: e, rank: Option.none(), status: "no-data" })
  return out
}

// ---------------------------------------------------------------------------
// scorecards
// ---------------------------------------------------------------------------

/**
 * 考核方案目录 — the shipped profiles (`threeRates_10_50_40`,
 * `threeRates_30_35_35`, `cjt292Style`), in that order: what an endpoint or a
 * report offers by id.
 *
 * @since 0.1.0
 * @category profiles
 */
export const profiles: ReadonlyArray<Profile> = [threeRates_10_50_40, threeRates_30_35_35, cjt292Style]

/**
 * 按编号取方案 — the profile with this id among `catalogue` (default the
 * shipped `profiles`); none when there is no such profile.
 *
 * @since 0.1.0
 * @category getters
 */
export const profileOf = (id: string, catalogue: ReadonlyArray<Profile> = profiles): Option.Option<Profile> =>
  Option.fromNullable(catalogue.find((p) => p.id === id))

/**
 * 样本量 — the sample behind a unit's composite score, for `rank`'s minimum
 * sample: the largest denominator among the profile's indicators with a
 * positive weight whose values are `Ratio`s (for the three rates, the cases
 * received; for the CJ/T 292-style profile, the handling runs). Plain-number
 * values carry no sample; 0 when no such indicator has data.
 *
 * @since 0.1.0
 * @category utils
 */
export const sampleOf = (profile: Profile, values: Readonly<Record<string, IndicatorValue>>): number => {
  let n = 0
  for (const ind of profile.indicators) {
    if (!(isFiniteNumber(ind.weight) && ind.weight > 0) || !Object.hasOwn(values, ind.id)) continue
    const v = values[ind.id]
    if (v !== undefined && typeof v !== "number" && isFiniteNumber(v.denominator)) {
      n = Math.max(n, v.denominator)
    }
  }
  return n
}

/**
 * 参评单位的指标 — what `scorecards` needs of a unit: its id and its
 * indicator values by indicator id.
 *
 * @since 0.1.0
 * @category models
 */
export interface ScorecardInput {
  readonly id: string
  readonly values: Readonly<Record<string, IndicatorValue>>
}

/**
 * 记分卡 — one unit's card: its composite score (`score`), the sample behind
 * it (`sampleOf`), its grade and 绿橙红 light (none without a score), and its
 * place in the ranking (`rank`: none when unranked, with the status saying
 * why).
 *
 * @since 0.1.0
 * @category models
 */
export interface Scorecard<I extends ScorecardInput = ScorecardInput> {
  readonly input: I
  readonly composite: CompositeScore
  readonly sampleSize: number
  readonly grade: Option.Option<string>
  readonly light: Option.Option<Light>
  readonly rank: Option.Option<number>
  readonly status: RankStatus
}

/**
 * Scorecard options: the grade bands (default `defaultGradeBands`), the light
 * thresholds (default `defaultLightThresholds`) and the ranking options
 * (`minSample` default 30, `tieDigits` default 2).
 *
 * @since 0.1.0
 * @category models
 */
export interface ScorecardOptions {
  readonly bands?: GradeBands
  readonly lights?: LightThresholds
  readonly minSample?: number
  readonly tieDigits?: number
}

/**
 * 考核记分卡 — scores every unit under a profile (`score`), grades it
 * (`grade`), lights it (`light`) and ranks the units (`rank`, higher score
 * first; a unit whose `sampleOf` is below the minimum sample is listed
 * unranked). The cards come in ranking order: ranked best first, then below
 * the minimum sample, then no data. One rule, one place: every adapter
 * (HTTP scores, the monthly report) calls this.
 *
 * @since 0.1.0
 * @category utils
 */
export const scorecards = <I extends ScorecardInput>(
  profile: Profile,
  inputs: Iterable<I>,
  options?: ScorecardOptions
): ReadonlyArray<Scorecard<I>> => {
  const bands = options?.bands ?? defaultGradeBands
  const lights = options?.lights ?? defaultLightThresholds
  const entries = Array.from(inputs, (input) => {
    const composite = score(profile, input.values)
    return {
      id: input.id,
      score: composite.score,
      sampleSize: sampleOf(profile, input.values),
      input,
      composite
    }
  })
  const rankOptions: RankOptions = {
    ...(options?.minSample === undefined ? {} : { minSample: options.minSample }),
    ...(options?.tieDigits === undefined ? {} : { tieDigits: options.tieDigits })
  }
  return rank(entries, rankOptions).map(({ entry, rank: place, status }) => ({
    input: entry.input,
    composite: entry.composite,
    sampleSize: entry.sampleSize,
    grade: Option.map(entry.composite.score, (s) => grade(s, bands)),
    light: Option.map(entry.composite.score, (s) => light(s, lights)),
    rank: place,
    status
  }))
}
