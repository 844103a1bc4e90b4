/**
 * 满意度调查 — satisfaction surveys and the hotline "三率".
 *
 * Source: the satisfaction assessment of governance and hotline practice
 * (GB/T 39735's five levels; the hotline 三率) and the Panlong district report (某区五级治理 群众满意度测评: "群众认为开展五级
 * 治理工作有必要的占97.4%,居民参与社区自治的满意度为97.4%,对社区办事效率满意度达
 * 94.7%,……有96.1%的居民愿意配合楼栋长入户调查" — the report gives shares only, no
 * sample size).
 *
 * - **Scales** 量表: ordered levels, best first, and the levels that count as
 *   satisfied. Shipped: `FiveLevel` (非常满意 / 满意 / 一般 / 不满意 / 非常不满意,
 *   a GB/T 39735-style five-level scale; satisfied = top two), `GoodBadReview`
 *   (the 政务服务"好差评" five levels of 国办发〔2019〕51号, whose middle level is
 *   基本满意; satisfied = top three), `ThreeLevel` (满意 / 基本满意 / 不满意, the
 *   return-visit 回访 scale; satisfied = top two) and `YesNo` (是 / 否; "yes"
 *   counts). All configurable (`withSatisfied`, your own `Scale`).
 * - **Tallies** 计数: responses per level; they add, so they roll up over the
 *   hierarchy (`rollup`) and a unit's share is always computed from counts.
 * - **Share with a confidence interval**: the Wilson score interval (Wilson
 *   1927) at a configurable confidence (default 95%; z = Φ⁻¹(1 − α/2) from
 *   Wichura's AS 241). Unlike the textbook p ± z·√(p(1−p)/n) it stays inside
 *   [0, 1] and does not collapse to a point at 0% or 100%.
 * - **Minimum sample** (default 30 — local practice, configuration): a unit
 *   with fewer responses is reported, with its (wide) interval, but not
 *   ranked. FixMyStreet learned this when units with a handful of reports
 *   topped its league table.
 * - **Population weighting** (post-stratification across units, `weighted`):
 *   share = Σ wᵢ pᵢ with wᵢ = popᵢ / Σ pop over the units that have responses.
 *   Its interval is the Wilson interval at Kish's effective sample size
 *   n_eff = 1 / Σ (wᵢ² / nᵢ) (Kish 1965: (Σ respondent weights)² / Σ weights²),
 *   which equals Σ nᵢ when weights are proportional to sample sizes and
 *   shrinks as weighting grows uneven. This is the usual design-effect
 *   approximation; it ignores the variance gained by stratification and is
 *   reported as such.
 * - **Hotline "三率"** (北京 接诉即办): 响应率 = responded / due, 解决率 =
 *   resolved / (resolved + unresolved), 满意率 = (满意 + k·基本满意) /
 *   (满意 + 基本满意 + 不满意), k configurable (default 1; some hotlines use
 *   0.9). Unreachable 联系不上 and refused 拒绝评价 are not valid evaluations
 *   and stay out of every denominator. Each is a `Ratio`, so case-event
 *   indicators can feed them and roll them up.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Hierarchy from "./Hierarchy.js"
import * as Stats from "./internal/stats.js"
import * as Ratio from "./Ratio.js"
import * as Score from "./Score.js"
import * as Text from "./Text.js"
import type { Unit } from "./Unit.js"

// ---------------------------------------------------------------------------
// scales
// ---------------------------------------------------------------------------

/**
 * 量表等级 — one level of a scale: id, Chinese name, English name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScaleLevel = Schema.Struct({
  id: Text.Id,
  name: Text.field(Text.limits.name),
  nameEn: Text.field(Text.limits.name)
}).annotations({ identifier: "ScaleLevel", title: "量表等级 scale level" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ScaleLevel extends Schema.Schema.Type<typeof ScaleLevel> {}

/**
 * 量表 — an ordered scale, best level first, and the level ids that count as
 * satisfied 满意.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Scale = Schema.Struct({
  id: Text.Id,
  name: Text.field(Text.limits.name),
  levels: Schema.Array(ScaleLevel).pipe(Schema.maxItems(Text.limits.references)),
  satisfied: Schema.Array(Text.field(Text.limits.id)).pipe(Schema.maxItems(Text.limits.references))
}).annotations({ identifier: "Scale", title: "量表 scale" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Scale extends Schema.Schema.Type<typeof Scale> {}

const level = (id: string, name: string, nameEn: string): ScaleLevel => ({ id, name, nameEn })

/**
 * 五级量表 — 非常满意 very satisfied / 满意 satisfied / 一般 neutral / 不满意
 * dissatisfied / 非常不满意 very dissatisfied (GB/T 39735-style); the top two
 * count as satisfied. The default scale.
 *
 * @since 0.1.0
 * @category scales
 */
export const FiveLevel: Scale = {
  id: "five-level",
  name: "五级满意度量表",
  levels: [
    level("very-satisfied", "非常满意", "very satisfied"),
    level("satisfied", "满意", "satisfied"),
    level("neutral", "一般", "neutral"),
    level("dissatisfied", "不满意", "dissatisfied"),
    level("very-dissatisfied", "非常不满意", "very dissatisfied")
  ],
  satisfied: ["very-satisfied", "satisfied"]
}

/**
 * 好差评 — the five levels of the 政务服务"好差评" system (国办发〔2019〕51号):
 * 非常满意 / 满意 / 基本满意 / 不满意 / 非常不满意; the top three count as
 * satisfied (好评), the bottom two are 差评.
 *
 * @since 0.1.0
 * @category scales
 */
export const GoodBadReview: Scale = {
  id: "good-bad-review",
  name: "政务服务好差评",
  levels: [
    level("very-satisfied", "非常满意", "very satisfied"),
    level("satisfied", "满意", "satisfied"),
    level("basically-satisfied", "基本满意", "basically satisfied"),
    level("dissatisfied", "不满意", "dissatisfied"),
    level("very-dissatisfied", "非常不满意", "very dissatisfied")
  ],
  satisfied: ["very-satisfied", "satisfied", "basically-satisfied"]
}

/**
 * 三级量表 — 满意 / 基本满意 / 不满意 (the scale of the return visit 回访
 * that closes the case loop, 考核评价); the top two count as satisfied.
 *
 * @since 0.1.0
 * @category scales
 */
export const ThreeLevel: Scale = {
  id: "three-level",
  name: "三级满意度量表",
  levels: [
    level("satisfied", "满意", "satisfied"),
    level("basically-satisfied", "基本满意", "basically satisfied"),
    level("dissatisfied", "不满意", "dissatisfied")
  ],
  satisfied: ["satisfied", "basically-satisfied"]
}

/**
 * 是否 — yes / no (e.g. the Panlong district report's "认为有必要" and "愿意配合"); "yes" counts.
 *
 * @since 0.1.0
 * @category scales
 */
export const YesNo: Scale = {
  id: "yes-no",
  name: "是否",
  levels: [level("yes", "是", "yes"), level("no", "否", "no")],
  satisfied: ["yes"]
}

/**
 * Sets which levels count as satisfied (validate with `validateScale`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const withSatisfied: {
  (levelIds: ReadonlyArray<string>): (self: Scale) => Scale
  (self: Scale, levelIds: ReadonlyArray<string>): Scale
} = dual(2, (self: Scale, levelIds: ReadonlyArray<string>): Scale => ({ ...self, satisfied: [...levelIds] }))

/**
 * Makes the top `k` levels count as satisfied.
 *
 * @since 0.1.0
 * @category combinators
 */
export const topSatisfied: {
  (k: number): (self: Scale) => Scale
  (self: Scale, k: number): Scale
} = dual(
  2,
  (self: Scale, k: number): Scale => ({
    ...self,
    satisfied: self.levels.slice(0, Math.max(0, k)).map((l) => l.id)
  })
)

/**
 * 调查数据无效 — a scale or responses that do not fit: each problem names the
 * scale or unit and the rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class SurveyInvalid extends Schema.TaggedError<SurveyInvalid>()("SurveyInvalid", {
  violations: Schema.NonEmptyArray(
    Schema.Struct({
      subject: Schema.String,
      rule: Schema.Literal(
        "too-few-levels",
        "duplicate-level",
        "unknown-satisfied-level",
        "no-satisfied-level",
        "unknown-level",
        "invalid-count"
      ),
      message: Schema.String
    })
  )
}) {
  override get message(): string {
    const shown = this.violations.slice(0, 5).map((v) => v.message)
    const more = this.violations.length > 5 ? `; … and ${this.violations.length - 5} more` : ""
    return `调查数据无效 invalid survey data (${this.violations.length}): ${shown.join("; ")}${more}`
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export type SurveyViolation = SurveyInvalid["violations"][number]

const fail = (violations: Array<SurveyViolation>): Option.Option<SurveyInvalid> => {
  const [first, ...rest] = violations
  return first === undefined
    ? Option.none()
    : Option.some(new SurveyInvalid({ violations: [first, ...rest] }))
}

/**
 * 量表校验 — at least two levels, distinct level ids, at least one satisfied
 * level, every satisfied id a level of the scale. Returns every violation.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateScale = (scale: Scale): Either.Either<Scale, SurveyInvalid> => {
  const violations: Array<SurveyViolation> = []
  const subject = `scale "${scale.id}"`
  if (scale.levels.length < 2) {
    violations.push({
      subject,
      rule: "too-few-levels",
      message: `等级过少 too few levels: ${subject} has ${scale.levels.length}, a scale needs at least 2`
    })
  }
  const ids = new Set<string>()
  for (const l of scale.levels) {
    if (ids.has(l.id)) {
      violations.push({
        subject,
        rule: "duplicate-level",
        message: `等级重复 duplicate level: ${subject} lists "${l.id}" twice`
      })
    }
    ids.add(l.id)
  }
  if (scale.satisfied.length === 0) {
    violations.push({
      subject,
      rule: "no-satisfied-level",
      message: `无满意等级 no satisfied level: ${subject} counts no level as satisfied`
    })
  }
  for (const s of scale.satisfied) {
    if (!ids.has(s)) {
      violations.push({
        subject,
        rule: "unknown-satisfied-level",
        message: `满意等级不在量表中 ${subject} counts "${s}" as satisfied, but has no such level`
      })
    }
  }
  return Option.match(fail(violations), { onNone: () => Either.right(scale), onSome: Either.left })
}

// ---------------------------------------------------------------------------
// tallies
// ---------------------------------------------------------------------------

/**
 * 计数 — responses per level id (a missing level counts 0).
 *
 * @since 0.1.0
 * @category models
 */
export type Tally = Readonly<Record<string, number>>

/**
 * The empty tally.
 *
 * @since 0.1.0
 * @category constructors
 */
export const emptyTally: Tally = {}

/**
 * Adds two tallies level by level (keys in sorted order, so the result does
 * not depend on argument order).
 *
 * @since 0.1.0
 * @category combinators
 */
export const addTallies: {
  (that: Tally): (self: Tally) => Tally
  (self: Tally, that: Tally): Tally
} = dual(2, (self: Tally, that: Tally): Tally => {
  const keys = [...new Set([...Object.keys(self), ...Object.keys(that)])].sort()
  const out: Record<string, number> = {}
  for (const k of keys) out[k] = (self[k] ?? 0) + (that[k] ?? 0)
  return out
})

/**
 * The monoid of tallies, for `Hierarchy.rollup`.
 *
 * @since 0.1.0
 * @category instances
 */
export const TallyMonoid: Hierarchy.Monoid<Tally> = { empty: emptyTally, combine: (a, b) => addTallies(a, b) }

/**
 * 计票 — counts individual answers (level ids) on a scale. Fails with every
 * answer that is not a level of the scale (by position).
 *
 * @since 0.1.0
 * @category constructors
 */
export const tally = (scale: Scale, answers: Iterable<string>): Either.Either<Tally, SurveyInvalid> => {
  const ids = new Set(scale.levels.map((l) => l.id))
  const counts: Record<string, number> = {}
  for (const l of scale.levels) counts[l.id] = 0
  const violations: Array<SurveyViolation> = []
  let i = 0
  for (const answer of answers) {
    if (ids.has(answer)) counts[answer] = (counts[answer] ?? 0) + 1
    else {
      violations.push({
        subject: `answer ${i}`,
        rule: "unknown-level",
        message: `未知等级 unknown level: answer ${i} is "${answer}", not a level of scale "${scale.id}"`
      })
    }
    i++
  }
  return Option.match(fail(violations), { onNone: () => Either.right(counts), onSome: Either.left })
}

/**
 * 按单位计票 — counts responses `{ unitId, level }` per unit; units in id
 * order. Fails with every response whose level is not on the scale.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tallyByUnit = (
  scale: Scale,
  responses: Iterable<{ readonly unitId: string; readonly level: string }>
): Either.Either<ReadonlyMap<string, Tally>, SurveyInvalid> => {
  const ids = new Set(scale.levels.map((l) => l.id))
  const byUnit = new Map<string, Record<string, number>>()
  const violations: Array<SurveyViolation> = []
  let i = 0
  for (const r of responses) {
    if (!ids.has(r.level)) {
      violations.push({
        subject: `unit "${r.unitId}"`,
        rule: "unknown-level",
        message: `未知等级 unknown level: response ${i} of unit "${r.unitId}" is "${r.level}", not a level of scale "${scale.id}"`
      })
    } else {
      let counts = byUnit.get(r.unitId)
      if (counts === undefined) {
        counts = {}
        for (const l of scale.levels) counts[l.id] = 0
        byUnit.set(r.unitId, counts)
      }
      counts[r.level] = (counts[r.level] ?? 0) + 1
    }
    i++
  }
  const sorted = new Map([...byUnit.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return Option.match(fail(violations), { onNone: () => Either.right(sorted), onSome: Either.left })
}

/**
 * Checks a tally against a scale: every key a level, every count finite and
 * non-negative. Returns every violation, named by `subject` (e.g. the unit).
 *
 * @since 0.1.0
 * @category validation
 */
export const validateTally = (
  scale: Scale,
  t: Tally,
  subject = "tally"
): Either.Either<Tally, SurveyInvalid> => {
  const ids = new Set(scale.levels.map((l) => l.id))
  const violations: Array<SurveyViolation> = []
  for (const [k, v] of Object.entries(t).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!ids.has(k)) {
      violations.push({
        subject,
        rule: "unknown-level",
        message: `未知等级 unknown level: ${subject} counts "${k}", not a level of scale "${scale.id}"`
      })
    }
    if (!Number.isFinite(v) || v < 0) {
      violations.push({
        subject,
        rule: "invalid-count",
        message: `计数无效 invalid count: ${subject} has ${v} for "${k}"`
      })
    }
  }
  return Option.match(fail(violations), { onNone: () => Either.right(t), onSome: Either.left })
}

/**
 * 样本量 — the number of responses on the scale's levels.
 *
 * @since 0.1.0
 * @category getters
 */
export const sampleSize = (scale: Scale, t: Tally): number => {
  let n = 0
  for (const l of scale.levels) n += t[l.id] ?? 0
  return n
}

/**
 * 满意占比 — satisfied responses over all responses on the scale, as a ratio
 * (no responses: no data).
 *
 * @since 0.1.0
 * @category getters
 */
export const satisfaction = (scale: Scale, t: Tally): Ratio.Ratio => {
  const satisfied = new Set(scale.satisfied)
  let numerator = 0
  let denominator = 0
  for (const l of scale.levels) {
    const c = t[l.id] ?? 0
    denominator += c
    if (satisfied.has(l.id)) numerator += c
  }
  return Ratio.make(numerator, denominator)
}

/**
 * 逐级汇总 — each unit's tally over its subtree, by adding counts.
 *
 * @since 0.1.0
 * @category combinators
 */
export const rollup: {
  <U extends Unit>(
    tallyOf: (unit: U) => Tally
  ): (hierarchy: Hierarchy.Hierarchy<U>) => Hierarchy.Totals<Tally>
  <U extends Unit>(hierarchy: Hierarchy.Hierarchy<U>, tallyOf: (unit: U) => Tally): Hierarchy.Totals<Tally>
} = dual(
  2,
  <U extends Unit>(hierarchy: Hierarchy.Hierarchy<U>, tallyOf: (unit: U) => Tally): Hierarchy.Totals<Tally> =>
    Hierarchy.rollup(hierarchy, tallyOf, TallyMonoid)
)

// ---------------------------------------------------------------------------
// confidence intervals
// ---------------------------------------------------------------------------

/**
 * 置信区间 — `[lower, upper]` at a confidence level.
 *
 * @since 0.1.0
 * @category models
 */
export interface Interval {
  readonly lower: number
  readonly upper: number
  readonly confidence: number
}

/**
 * The default confidence level: 95%.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultConfidence = 0.95

/**
 * The two-sided critical value for a confidence level: z = Φ⁻¹(1 − (1 − c)/2)
 * (1.959964 at 95%, 2.575829 at 99%). `NaN` outside (0, 1).
 *
 * @since 0.1.0
 * @category utils
 */
export const criticalValue = (confidence: number): number =>
  confidence > 0 && confidence < 1 ? Stats.zTwoSided(confidence) : Number.NaN

/**
 * 标准正态分位数 — Φ⁻¹(p), the standard normal quantile (Wichura 1988, AS 241,
 * about 16 significant digits). `NaN` outside [0, 1]; ∓∞ at 0 and 1.
 *
 * @since 0.1.0
 * @category utils
 */
export const normalQuantile = (p: number): number => Stats.normalQuantile(p)

/**
 * 威尔逊区间 — the Wilson score interval of a ratio's rate: none with no data
 * (or a confidence outside (0, 1)); otherwise within [0, 1], containing the
 * observed rate, and narrower for a larger sample at the same rate. 81 of 263
 * at 95% → [0.2553, 0.3662]. The numerator is clamped to the denominator.
 *
 * @since 0.1.0
 * @category utils
 */
export const wilson = (
  r: Ratio.Ratio,
  options?: { readonly confidence?: number }
): Option.Option<Interval> => {
  const confidence = options?.confidence ?? defaultConfidence
  const z = criticalValue(confidence)
  if (r.denominator <= 0 || Number.isNaN(z)) return Option.none()
  const [lower, upper] = Stats.wilsonBounds(r.numerator, r.denominator, z)
  return Option.some({ lower, upper, confidence })
}

// ---------------------------------------------------------------------------
// per-unit results and ranking
// ---------------------------------------------------------------------------

/**
 * 单位满意度 — a unit's result: counts, share (none: no responses), interval,
 * sample size and whether it is large enough to be ranked.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnitSatisfaction {
  readonly unitId: string
  readonly ratio: Ratio.Ratio
  readonly share: Option.Option<number>
  readonly interval: Option.Option<Interval>
  readonly sampleSize: number
  readonly status: Score.RankStatus
}

/**
 * Options: `confidence` (default 0.95) and `minSample` (default 30).
 *
 * @since 0.1.0
 * @category models
 */
export interface AssessOptions {
  readonly confidence?: number
  readonly minSample?: number
}

/**
 * 满意度测评 — each unit's satisfaction share, Wilson interval and status
 * (`ranked` when it has at least `minSample` responses, `below-minimum-sample`
 * when fewer — still reported —, `no-data` when none), in unit id order.
 *
 * @since 0.1.0
 * @category utils
 */
export const assess = (
  scale: Scale,
  tallies: Iterable<readonly [string, Tally]>,
  options?: AssessOptions
): ReadonlyArray<UnitSatisfaction> => {
  const minSample = options?.minSample ?? Score.defaultMinSample
  const confidence = options?.confidence ?? defaultConfidence
  const out: Array<UnitSatisfaction> = []
  for (const [unitId, t] of tallies) {
    const ratio = satisfaction(scale, t)
    const n = ratio.denominator
    out.push({
      unitId,
      ratio,
      share: Ratio.rate(ratio),
      interval: wilson(ratio, { confidence }),
      sampleSize: n,
      status: n === 0 ? "no-data" : n >= minSample ? "ranked" : "below-minimum-sample"
    })
  }
  return out.sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0))
}

/**
 * Ranking options: `minSample` (default 30), `tieDigits` on the percentage
 * (default 2), and `by`: `share` (default) or `lower-bound` (the Wilson lower
 * bound, which also penalises small samples).
 *
 * @since 0.1.0
 * @category models
 */
export interface RankOptions {
  readonly minSample?: number
  readonly tieDigits?: number
  readonly by?: "share" | "lower-bound"
}

/**
 * 满意度排名 — ranks units by satisfaction (in percent, `Score.rank`):
 * competition ranking, ties by id; units below the minimum sample and units
 * with no responses are listed unranked after the ranked ones.
 *
 * @since 0.1.0
 * @category utils
 */
export const rank = (
  results: ReadonlyArray<UnitSatisfaction>,
  options?: RankOptions
): ReadonlyArray<Score.Ranked<Score.Entry & { readonly result: UnitSatisfaction }>> => {
  const by = options?.by ?? "share"
  return Score.rank(
    results.map((result) => ({
      id: result.unitId,
      score:
        by === "share"
          ? Option.map(result.share, (s) => s * 100)
          : Option.map(result.interval, (i) => i.lower * 100),
      sampleSize: result.sampleSize,
      result
    })),
    {
      minSample: options?.minSample ?? Score.defaultMinSample,
      tieDigits: options?.tieDigits ?? 2
    }
  )
}

// ---------------------------------------------------------------------------
// population weighting
// ---------------------------------------------------------------------------

/**
 * 分层 — one unit of a weighted estimate: its tally and its population.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stratum {
  readonly unitId: string
  readonly tally: Tally
  readonly population: number
}

/**
 * 加权满意度 — a population-weighted share: the share Σ wᵢ pᵢ, its Wilson
 * interval at Kish's effective sample size, the raw sample size, the weight
 * of each unit used (in id order) and the units left out for lack of
 * responses (their population is not represented: `coverage` is the share
 * of the total population that is).
 *
 * @since 0.1.0
 * @category models
 */
export interface WeightedSatisfaction {
  readonly share: Option.Option<number>
  readonly interval: Option.Option<Interval>
  readonly effectiveSampleSize: number
  readonly sampleSize: number
  readonly weights: ReadonlyArray<{
    readonly unitId: string
    readonly weight: number
    readonly share: number
    readonly sampleSize: number
  }>
  readonly excluded: ReadonlyArray<string>
  readonly coverage: Option.Option<number>
}

/**
 * 按人口加权 — post-stratification across units: each unit's share weighted by
 * its population, wᵢ = popᵢ / Σ pop over the units with responses (units
 * without responses are listed in `excluded`; non-positive or non-finite
 * populations weigh 0). The interval is Wilson's at Kish's effective sample
 * size n_eff = 1 / Σ (wᵢ² / nᵢ).
 *
 * @since 0.1.0
 * @category utils
 */
export const weighted = (
  scale: Scale,
  strata: Iterable<Stratum>,
  options?: { readonly confidence?: number }
): WeightedSatisfaction => {
  const confidence = options?.confidence ?? defaultConfidence
  const rows = Array.from(strata).sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0))
  const used: Array<{ unitId: string; pop: number; p: number; n: number }> = []
  const excluded: Array<string> = []
  let totalPop = 0
  let usedPop = 0
  let sampleTotal = 0
  for (const row of rows) {
    const pop = Number.isFinite(row.population) && row.population > 0 ? row.population : 0
    totalPop += pop
    const r = satisfaction(scale, row.tally)
    sampleTotal += r.denominator
    if (r.denominator <= 0) {
      excluded.push(row.unitId)
      continue
    }
    usedPop += pop
    used.push({ unitId: row.unitId, pop, p: r.numerator / r.denominator, n: r.denominator })
  }
  const weights = used.map((u) => ({
    unitId: u.unitId,
    weight: usedPop > 0 ? u.pop / usedPop : 0,
    share: u.p,
    sampleSize: u.n
  }))
  if (usedPop <= 0) {
    return {
      share: Option.none(),
      interval: Option.none(),
      effectiveSampleSize: 0,
      sampleSize: sampleTotal,
      weights,
      excluded,
      coverage: totalPop > 0 ? Option.some(0) : Option.none()
    }
  }
  let share = 0
  for (const w of weights) share += w.weight * w.share
  share = Math.min(1, Math.max(0, share))
  const nEff = Stats.kishEffectiveSize(
    weights.map((w) => w.weight),
    weights.map((w) => w.sampleSize)
  )
  const z = criticalValue(confidence)
  const interval: Option.Option<Interval> =
    nEff > 0 && !Number.isNaN(z)
      ? Option.some(
          ((): Interval => {
            const [lower, upper] = Stats.wilsonBounds(share * nEff, nEff, z)
            return { lower, upper, confidence }
          })()
        )
      : Option.none()
  return {
    share: Option.some(share),
    interval,
    effectiveSampleSize: nEff,
    sampleSize: sampleTotal,
    weights,
    excluded,
    coverage: Option.some(usedPop / totalPop)
  }
}

// ---------------------------------------------------------------------------
// hotline "三率"
// ---------------------------------------------------------------------------

const Count = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())

/**
 * 热线考核计数 — the counts behind the hotline "三率" for a unit and period:
 * `due` 应响应 and `responded` 已响应; at the return visit 回访, `resolved`
 * 已解决 / `unresolved` 未解决 and `satisfied` 满意 / `basicallySatisfied`
 * 基本满意 / `dissatisfied` 不满意; `unreachable` 联系不上 and `refused` 拒绝评价
 * (recorded, never in a denominator).
 *
 * @since 0.1.0
 * @category schemas
 */
export const HotlineCounts = Schema.Struct({
  due: Count,
  responded: Count,
  resolved: Count,
  unresolved: Count,
  satisfied: Count,
  basicallySatisfied: Count,
  dissatisfied: Count,
  unreachable: Count,
  refused: Count
}).annotations({ identifier: "HotlineCounts", title: "热线考核计数 hotline counts" })

/**
 * @since 0.1.0
 * @category models
 */
export interface HotlineCounts extends Schema.Schema.Type<typeof HotlineCounts> {}

/**
 * All-zero hotline counts.
 *
 * @since 0.1.0
 * @category constructors
 */
export const emptyHotlineCounts: HotlineCounts = {
  due: 0,
  responded: 0,
  resolved: 0,
  unresolved: 0,
  satisfied: 0,
  basicallySatisfied: 0,
  dissatisfied: 0,
  unreachable: 0,
  refused: 0
}

/**
 * Adds hotline counts field by field (the monoid for rollups).
 *
 * @since 0.1.0
 * @category instances
 */
export const HotlineMonoid: Hierarchy.Monoid<HotlineCounts> = {
  empty: emptyHotlineCounts,
  combine: (a, b) => ({
    due: a.due + b.due,
    responded: a.responded + b.responded,
    resolved: a.resolved + b.resolved,
    unresolved: a.unresolved + b.unresolved,
    satisfied: a.satisfied + b.satisfied,
    basicallySatisfied: a.basicallySatisfied + b.basicallySatisfied,
    dissatisfied: a.dissatisfied + b.dissatisfied,
    unreachable: a.unreachable + b.unreachable,
    refused: a.refused + b.refused
  })
}

/**
 * 响应率 — responded / due.
 *
 * @since 0.1.0
 * @category hotline
 */
export const responseRate = (c: { readonly responded: number; readonly due: number }): Ratio.Ratio =>
  Ratio.make(c.responded, c.due)

/**
 * 解决率 — resolved / (resolved + unresolved): the callers reached at the
 * return visit who say the problem was solved. Unreachable and refused are
 * not in the denominator.
 *
 * @since 0.1.0
 * @category hotline
 */
export const resolutionRate = (c: { readonly resolved: number; readonly unresolved: number }): Ratio.Ratio =>
  Ratio.make(c.resolved, c.resolved + c.unresolved)

/**
 * 有效评价数 — valid evaluations: 满意 + 基本满意 + 不满意 (unreachable and
 * refused are not evaluations).
 *
 * @since 0.1.0
 * @category hotline
 */
export const validEvaluations = (c: {
  readonly satisfied: number
  readonly basicallySatisfied: number
  readonly dissatisfied: number
}): number => c.satisfied + c.basicallySatisfied + c.dissatisfied

/**
 * The default weight of 基本满意 in 满意率: 1 (surveys count it in full; some
 * hotlines use 0.9).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBasicWeight = 1

/**
 * 满意率 — (满意 + k·基本满意) / (满意 + 基本满意 + 不满意), k = `basicWeight`
 * (default 1). With k < 1 the numerator is a weighted count (not an integer).
 *
 * @since 0.1.0
 * @category hotline
 */
export const satisfactionRate = (
  c: { readonly satisfied: number; readonly basicallySatisfied: number; readonly dissatisfied: number },
  options?: { readonly basicWeight?: number }
): Ratio.Ratio => {
  const k = options?.basicWeight ?? defaultBasicWeight
  return Ratio.make(c.satisfied + k * c.basicallySatisfied, validEvaluations(c))
}

/**
 * 三率 — the three hotline rates as ratios.
 *
 * @since 0.1.0
 * @category models
 */
export interface ThreeRates {
  readonly response: Ratio.Ratio
  readonly resolution: Ratio.Ratio
  readonly satisfaction: Ratio.Ratio
}

/**
 * 三率 — 响应率, 解决率, 满意率 from hotline counts. The result's keys match the
 * indicator ids of `Score.threeRates_10_50_40` / `threeRates_30_35_35`, so it
 * can be scored directly.
 *
 * @since 0.1.0
 * @category hotline
 */
export const threeRates = (c: HotlineCounts, options?: { readonly basicWeight?: number }): ThreeRates => ({
  response: responseRate(c),
  resolution: resolutionRate(c),
  satisfaction: satisfactionRate(c, options)
})
