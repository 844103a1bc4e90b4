/**
 * 考核指标 — case performance indicators (考核评价, the last step of the Panlong district report's
 * loop; GB/T 30428.4 / CJ/T 292 terms), per unit and period, as
 * `Ratio`s: 受理办结率 (the community experience report: 已接案件1415件,办理1411件,受理办结率达99.7%),
 * 结案率, 按期结案率, 处置率, 按期处置率, 返工率, 准确派遣率, 按时立案率,
 * 准确立案率, 重办率, the shares closed at each tier of the three-tier loop with
 * the public-rental-housing community report's "琐事不出楼栋、小事不出网格、大事不出社区" as measurable shares, and
 * the hotline 三率 响应率 / 解决率 / 满意率 (北京 接诉即办; through `Survey`).
 * Each indicator's definition is exported as data (`definitions`) so docs can
 * be generated from it.
 *
 * **Input.** Case events (any order, many cases), or per-case summaries
 * `CaseFacts` built once with `summarize` / `summarizeAll`: the instants that
 * matter — every step run (计时段: a timed step from its start to how it
 * ended), every dispatch and whether it was returned, every rework, every
 * return visit and whether it led to a reopen, the first closure and its tier.
 * Instants in `CaseFacts` are epoch milliseconds (UTC), so a million
 * summaries stay compact.
 *
 * **On time 按期.** A step run is on time when it ended at or before its
 * deadline: `TimeLimit.deadline` for the case's category × urgency × step on
 * the `WorkingCalendar`, from the run's start — suspension 挂账 stops the
 * clock, extensions 延期 approved during the run add to the limit (each only
 * if approved at or before the deadline it extends: a late approval does not
 * rescue an overdue run). A run still going at `asOf` is late once its
 * deadline has passed, otherwise pending (not yet counted anywhere). Each run
 * is timed on its own: escalation 上报 and rework 返工 start a new run, as the
 * case's timer light does (unlike the light, an extension counts only for the
 * run during which it was approved, not for a later rework round). A case
 * whose deadline cannot be computed — a year with no loaded schedule, or no
 * time-limit rule — is listed in `unjudged` with the indicators it was left
 * out of; it is never counted on time.
 *
 * **Settlement 应结.** The on-time indicators (结案率, 按期结案率, 处置率,
 * 按期处置率, 返工率, 按时立案率, 响应率) count a case (or a run) in the period
 * in which its outcome became known — at the close / decision / handling if
 * that came in time, otherwise at the deadline it missed. This is the 应结案数
 * of practice (cases whose time limit expired in the period, plus cases closed
 * in it before their limit): every case is counted once, cases left open past
 * their deadline are not rewarded, and these figures of a period never change
 * once it has ended. The others are judged at `asOf` (see each definition's
 * `attribution`): 受理办结率, for one, is a to-date figure like the community experience report's.
 *
 * **Attribution.** Unit: the case's community (`communityId`, the unit that
 * owns it first — option `attributeBy: "location"` uses the location unit,
 * e.g. a building, instead); streets and the district get their subtree's
 * totals by adding numerators and denominators up the `Hierarchy` (the
 * `Ratio` monoid — percentages are never averaged). Period: each definition
 * names the instant that places an observation in a period (`attribution`),
 * in the calendar's UTC offset unless configured.
 *
 * **Cases, not rounds.** As CJ/T 292 counts them, the rates count cases:
 * a case is due for handling (应处置) once — at its first handling run that
 * is due — and a case reworked twice is one reworked case (返工率 = reworked
 * cases ÷ cases due). Option `counting: "round"` counts every handling run
 * and every rework instead. A case voided 作废 or merged 合并 (by `asOf`) is
 * not due for closure or handling (应结案, 应处置), whenever it was voided —
 * as it is not in 受理数. A case whose deadline cannot be judged is left
 * out of every indicator that needs it, for all its rounds (see `unjudged`).
 *
 * **No data.** A zero denominator is "no data" (`Ratio.rate` is none), never
 * 0 % or 100 %. Every indicator but 返工率 is a proportion (numerator ≤
 * denominator); 返工率 places its numerator at the rework and its
 * denominator at the settlement, so a period's figure can exceed 100 %.
 *
 * Deterministic: the result does not depend on the order of the input; lists
 * are sorted by case id, rows by the hierarchy's pre-order then time.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import {
  CaseId,
  CaseReplayError,
  ClosedVia,
  DispatchTarget,
  ExtensionAmount,
  Rating,
  Source,
  Status
} from "./Case.js"
import { CategoryId, Urgency } from "./CaseCategory.js"
import type { CaseEvent } from "./CaseEvent.js"
import { CaseStep } from "./CaseStep.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Contributions from "./internal/indicatorContributions.js"
import * as Engine from "./internal/indicatorEngine.js"
import { Judge } from "./internal/indicatorJudge.js"
import * as Summary from "./internal/indicatorSummary.js"
import * as Tree from "./internal/tree.js"
import * as Period from "./Period.js"
import * as Ratio from "./Ratio.js"
import * as Survey from "./Survey.js"
import { Tier } from "./Tier.js"
import type * as TimeLimit from "./TimeLimit.js"
import type { Unit } from "./Unit.js"
import { UnitId } from "./Unit.js"
import type { WorkingCalendar } from "./WorkingCalendar.js"

// ---------------------------------------------------------------------------
// indicators
// ---------------------------------------------------------------------------

/**
 * 指标标识 — the indicator ids. Those shared with `Score`'s shipped profiles
 * (`on-time-handling`, `handling`, `rework`, `reopen`, `response`,
 * `resolution`, `satisfaction`) have the same ids, so `Score.score` takes a
 * unit's `Indicators` as they are.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IndicatorId = Schema.Literal(
  "acceptance-closure",
  "closure",
  "on-time-closure",
  "handling",
  "on-time-handling",
  "rework",
  "dispatch-accuracy",
  "on-time-filing",
  "filing-accuracy",
  "reopen",
  "self-handled",
  "closed-locally",
  "closed-at-community",
  "closed-at-street",
  "closed-at-district",
  "response",
  "resolution",
  "satisfaction"
).annotations({ identifier: "IndicatorId", title: "指标标识 indicator id" })

/**
 * @since 0.1.0
 * @category models
 */
export type IndicatorId = typeof IndicatorId.Type

/**
 * Every indicator id, in definition order.
 *
 * @since 0.1.0
 * @category constants
 */
export const ids: ReadonlyArray<IndicatorId> = IndicatorId.literals

/**
 * 指标值 — every indicator of a unit and period, as a `Ratio`.
 *
 * @since 0.1.0
 * @category models
 */
export type Indicators = { readonly [K in IndicatorId]: Ratio.Ratio }

/**
 * Builds indicators from one ratio per id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (ratioOf: (id: IndicatorId) => Ratio.Ratio): Indicators => ({
  "acceptance-closure": ratioOf("acceptance-closure"),
  closure: ratioOf("closure"),
  "on-time-closure": ratioOf("on-time-closure"),
  handling: ratioOf("handling"),
  "on-time-handling": ratioOf("on-time-handling"),
  rework: ratioOf("rework"),
  "dispatch-accuracy": ratioOf("dispatch-accuracy"),
  "on-time-filing": ratioOf("on-time-filing"),
  "filing-accuracy": ratioOf("filing-accuracy"),
  reopen: ratioOf("reopen"),
  "self-handled": ratioOf("self-handled"),
  "closed-locally": ratioOf("closed-locally"),
  "closed-at-community": ratioOf("closed-at-community"),
  "closed-at-street": ratioOf("closed-at-street"),
  "closed-at-district": ratioOf("closed-at-district"),
  response: ratioOf("response"),
  resolution: ratioOf("resolution"),
  satisfaction: ratioOf("satisfaction")
})

/**
 * 空指标 — every indicator 0 / 0 (no data); the identity of `Monoid`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty: Indicators = make(() => Ratio.empty)

/**
 * 相加 — adds two sets of indicators count-wise, indicator by indicator
 * (`Ratio.add`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const add = (self: Indicators, that: Indicators): Indicators =>
  make((id) => Ratio.add(self[id], that[id]))

/**
 * 幺半群 — `add` with `empty`, for `Hierarchy.rollup`: each unit's subtree
 * indicators are the sums of the counts below it.
 *
 * @since 0.1.0
 * @category instances
 */
export const Monoid: Hierarchy.Monoid<Indicators> = { empty, combine: add }

/**
 * 指标方向 — whether a higher rate is better (结案率) or worse (返工率, 重办率).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Direction = Schema.Literal("higher-is-better", "lower-is-better").annotations({
  identifier: "IndicatorDirection",
  title: "指标方向 direction"
})

/**
 * 指标定义 — an indicator's definition as data (for generated docs): id,
 * Chinese and English names, what the numerator and denominator count, the
 * formula, which instant places an observation in a period, whether it is a
 * proportion (numerator ≤ denominator), its direction, and its source.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IndicatorDefinition = Schema.Struct({
  id: IndicatorId,
  /** 指标名称 */
  name: Schema.String,
  nameEn: Schema.String,
  /** 分子 */
  numerator: Schema.String,
  /** 分母 */
  denominator: Schema.String,
  /** 计算公式 */
  formula: Schema.String,
  /** 统计口径 — the instant that places an observation in a period, and when it is judged. */
  attribution: Schema.String,
  proportion: Schema.Boolean,
  direction: Direction,
  /** 依据 — the standard, source report or practice it comes from. */
  source: Schema.String
}).annotations({ identifier: "IndicatorDefinition", title: "指标定义 indicator definition" })

/**
 * @since 0.1.0
 * @category models
 */
export interface IndicatorDefinition extends Schema.Schema.Type<typeof IndicatorDefinition> {}

const STANDARD =
  "GB/T 30428.4 / CJ/T 292 (数字化城市管理 绩效评价) terms; the exact counting rules are this library's, documented here"
const SETTLED =
  "the settlement instant: the event itself if it came in time, otherwise the deadline it missed (应结 in that period)"

const def = (
  id: IndicatorId,
  name: string,
  nameEn: string,
  numerator: string,
  denominator: string,
  formula: string,
  attribution: string,
  source: string,
  direction: "higher-is-better" | "lower-is-better" = "higher-is-better",
  proportion = true
): IndicatorDefinition => ({
  id,
  name,
  nameEn,
  numerator,
  denominator,
  formula,
  attribution,
  proportion,
  direction,
  source
})

const byId: { readonly [K in IndicatorId]: IndicatorDefinition } = {
  "acceptance-closure": def(
    "acceptance-closure",
    "受理办结率",
    "acceptance closure rate",
    "办结数 — of the cases counted in the denominator, those closed (结案, not reopened since) at asOf",
    "受理数 — cases accepted (立案, or 自处理 on the spot) in the period, less those voided (作废) or merged (合并) by asOf",
    "受理办结率 = 办结数 ÷ 受理数 × 100%",
    "the acceptance instant; judged at asOf (a to-date figure: late closures raise it)",
    "the community experience report: 已接案件1415件,办理1411件,受理办结率达99.7%"
  ),
  closure: def(
    "closure",
    "结案率",
    "closure rate",
    "结案数 — of the cases due (应结案) in the period, those closed by the end of the period",
    "应结案数 — accepted cases (立案 or 自处理) whose first closure settled in the period: at the closure if every timed step before it met its limit, otherwise at the first missed deadline (or at the acceptance, if the case was accepted only after that deadline); a case voided (作废) or merged (合并) by asOf is not counted, whenever it was voided",
    "结案率 = 结案数 ÷ 应结案数 × 100%",
    SETTLED,
    STANDARD
  ),
  "on-time-closure": def(
    "on-time-closure",
    "按期结案率",
    "on-time closure rate",
    "按期结案数 — cases closed (first closure) with every timed step before it (default 立案, 派遣, 处置, 核查) within its limit",
    "应结案数 — as for 结案率",
    "按期结案率 = 按期结案数 ÷ 应结案数 × 100%",
    SETTLED,
    STANDARD
  ),
  handling: def(
    "handling",
    "处置率",
    "handling rate",
    "处置数 — of the cases due for handling in the period, those whose due handling run was handled (处理反馈) by the end of the period",
    '应处置数 — cases whose first due handling run (from a dispatch, a rework or a reopen to the handler) was handled in time in the period, or whose deadline passed in the period; a run returned, escalated or merged in time is not due, and a case voided (作废) or merged (合并) by asOf is not counted. Option counting: "round" counts every due handling run',
    "处置率 = 处置数 ÷ 应处置数 × 100%",
    SETTLED,
    STANDARD
  ),
  "on-time-handling": def(
    "on-time-handling",
    "按期处置率",
    "on-time handling rate",
    '按期处置数 — cases whose first due handling run was handled at or before its deadline (counting: "round": runs handled at or before their deadline)',
    "应处置数 — as for 处置率",
    "按期处置率 = 按期处置数 ÷ 应处置数 × 100%",
    SETTLED,
    STANDARD
  ),
  rework: def(
    "rework",
    "返工率",
    "rework rate",
    '返工案件数 — cases reworked (核查不通过), each once, in the period of its first rework (counting: "round": every failed verification)',
    "应处置数 — as for 处置率",
    "返工率 = 返工案件数 ÷ 应处置数 × 100% (a period's figure can exceed 100%: numerator and denominator are placed at different instants)",
    "numerator: the (first) failed verification; denominator: the settlement instant of the case's (or, per round, each run's) handling",
    STANDARD,
    "lower-is-better",
    false
  ),
  "dispatch-accuracy": def(
    "dispatch-accuracy",
    "准确派遣率",
    "dispatch accuracy rate",
    "准确派遣数 — dispatches not returned (回退) by asOf",
    "派遣数 — dispatches (派遣) in the period",
    "准确派遣率 = (派遣数 − 回退数) ÷ 派遣数 × 100%",
    "the dispatch instant; judged at asOf",
    STANDARD
  ),
  "on-time-filing": def(
    "on-time-filing",
    "按时立案率",
    "on-time filing rate",
    "按时立案数 — reports whose filing decision (立案, 不予立案, 作废 or 合并) came within the 立案 limit of every filing run (an escalation starts a new run)",
    "应立案数 — reports whose filing settled in the period (self-handled cases have no filing step and are not counted)",
    "按时立案率 = 按时立案数 ÷ 应立案数 × 100%",
    SETTLED,
    STANDARD
  ),
  "filing-accuracy": def(
    "filing-accuracy",
    "准确立案率",
    "filing accuracy rate",
    "准确立案数 — of the cases filed in the period, those not voided (作废) by asOf",
    "立案数 — cases accepted (立案) in the period (not counting self-handled cases)",
    "准确立案率 = (立案数 − 作废数) ÷ 立案数 × 100%",
    "the acceptance instant; judged at asOf",
    STANDARD
  ),
  reopen: def(
    "reopen",
    "重办率",
    "reopen rate",
    "重办数 — of the valid return visits in the period, those followed by a reopen (重办) by asOf",
    "有效回访数 — return visits (回访) in the period rated 满意, 基本满意 or 不满意 (not 无法联系 or 拒绝评价)",
    "重办率 = 重办数 ÷ 有效回访数 × 100%",
    "the return visit; judged at asOf",
    "12345 hotline practice (重办): a dissatisfied evaluation, or a problem not resolved, may reopen the case",
    "lower-is-better"
  ),
  "self-handled": def(
    "self-handled",
    "自处理占比（琐事不出楼栋）",
    "self-handled share",
    "cases first closed in the period by a grid worker's self-handling (自处理, solved on the spot)",
    "cases first closed (结案) in the period",
    "自处理占比 = 自处理结案数 ÷ 结案数 × 100%",
    "the first closure",
    "the public-rental-housing community report: 琐事不出楼栋"
  ),
  "closed-locally": def(
    "closed-locally",
    "网格内办结占比（小事不出网格）",
    "share closed locally",
    "cases first closed in the period at the community tier either self-handled or handled by a unit within the case's community (a grid's own forces: a residents' group, compound or building), not by a department or a higher unit",
    "cases first closed (结案) in the period",
    "网格内办结占比 = 本社区内单元办结数 ÷ 结案数 × 100%",
    "the first closure",
    "the public-rental-housing community report: 小事不出网格 (measured as handled by the community's own units: the hierarchy has no grid level)"
  ),
  "closed-at-community": def(
    "closed-at-community",
    "社区办结占比（大事不出社区）",
    "share closed at the community tier",
    "cases first closed in the period at the community tier (社区自循环)",
    "cases first closed (结案) in the period",
    "社区办结占比 = 社区层级结案数 ÷ 结案数 × 100%",
    "the first closure",
    "the public-rental-housing community report: 大事不出社区; the Panlong district report: 社区自循环 → 街道微循环 → 区级小循环"
  ),
  "closed-at-street": def(
    "closed-at-street",
    "街道办结占比",
    "share closed at the street tier",
    "cases first closed in the period at the street tier (街道微循环)",
    "cases first closed (结案) in the period",
    "街道办结占比 = 街道层级结案数 ÷ 结案数 × 100%",
    "the first closure",
    "the Panlong district report: 街道微循环"
  ),
  "closed-at-district": def(
    "closed-at-district",
    "区级办结占比",
    "share closed at the district tier",
    "cases first closed in the period at the district tier (区级小循环)",
    "cases first closed (结案) in the period",
    "区级办结占比 = 区级结案数 ÷ 结案数 × 100%",
    "the first closure",
    "the Panlong district report: 区级小循环"
  ),
  response: def(
    "response",
    "响应率",
    "response rate",
    "已响应 — hotline cases whose filing decision (立案, 不予立案, 作废, 合并) came within the 立案 limit",
    "应响应 — hotline cases whose filing settled in the period (`Survey.responseRate`)",
    "响应率 = 已响应 ÷ 应响应 × 100%",
    SETTLED,
    "北京 接诉即办 三率; cases of `hotlineSources` (default: every source)"
  ),
  resolution: def(
    "resolution",
    "解决率",
    "resolution rate",
    "已解决 — valid return visits of hotline cases where the resident answered 已解决 (`Evaluated.resolved`); a visit without an answer counts as solved unless a reopen 重办 followed it",
    "已解决 + 未解决 — valid return visits (满意, 基本满意, 不满意) in the period; 无法联系 and 拒绝评价 are not counted (`Survey.resolutionRate`)",
    "解决率 = 已解决 ÷ (已解决 + 未解决) × 100%",
    "the return visit; judged at asOf",
    "北京 接诉即办 三率; cases of `hotlineSources`"
  ),
  satisfaction: def(
    "satisfaction",
    "满意率",
    "satisfaction rate",
    "满意 + k × 基本满意 — return visits of hotline cases in the period (k = `basicWeight`, default 1; some hotlines use 0.9)",
    "有效评价数 — 满意 + 基本满意 + 不满意; 无法联系 and 拒绝评价 are not counted (`Survey.satisfactionRate`)",
    "满意率 = (满意 + k·基本满意) ÷ (满意 + 基本满意 + 不满意) × 100%",
    "the return visit",
    "12345 hotline practice: 北京 接诉即办 三率; cases of `hotlineSources`"
  )
}

/**
 * 指标定义表 — every indicator's definition, in `ids` order.
 *
 * @since 0.1.0
 * @category constants
 */
export const definitions: ReadonlyArray<IndicatorDefinition> = ids.map((id) => byId[id])

/**
 * The definition of an indicator.
 *
 * @since 0.1.0
 * @category getters
 */
export const definitionOf = (id: IndicatorId): IndicatorDefinition => byId[id]

// ---------------------------------------------------------------------------
// case facts
// ---------------------------------------------------------------------------

const Instant = Schema.Int.annotations({
  identifier: "IndicatorInstant",
  title: "时刻 instant",
  description: "epoch milliseconds (UTC)"
})

/**
 * 计时段结束方式 — how a step run ended: the filing decision (`accepted`,
 * `rejected`, `voided`, `merged`), `escalated` (a new run of the step, or of
 * dispatch, starts for the new owner), `self-handled`, `dispatched`,
 * `returned` 回退, `handled` 处理反馈, `failed` 核查不通过, `closed` 结案,
 * `evaluated` 回访.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RunEnd = Schema.Literal(
  "accepted",
  "rejected",
  "voided",
  "merged",
  "escalated",
  "self-handled",
  "dispatched",
  "returned",
  "handled",
  "failed",
  "closed",
  "evaluated"
).annotations({ identifier: "IndicatorRunEnd", title: "计时段结束方式 run end" })

/**
 * @since 0.1.0
 * @category models
 */
export type RunEnd = typeof RunEnd.Type

/**
 * 计时段 — one run of a timed step: from its start to its end (`null` while
 * still running) and how it ended.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StepRun = Schema.Struct({
  step: CaseStep,
  start: Instant,
  end: Schema.NullOr(Instant),
  endedBy: Schema.NullOr(RunEnd)
}).annotations({ identifier: "IndicatorStepRun", title: "计时段 step run" })

/**
 * @since 0.1.0
 * @category models
 */
export interface StepRun extends Schema.Schema.Type<typeof StepRun> {}

/**
 * 派遣记录 — a dispatch and, if it was returned (回退), when.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DispatchFact = Schema.Struct({
  at: Instant,
  target: DispatchTarget,
  returnedAt: Schema.NullOr(Instant)
}).annotations({ identifier: "IndicatorDispatchFact", title: "派遣记录 dispatch" })

/**
 * @since 0.1.0
 * @category models
 */
export interface DispatchFact extends Schema.Schema.Type<typeof DispatchFact> {}

/**
 * 回访记录 — a return visit and, if it led to a reopen (重办), when.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EvaluationFact = Schema.Struct({
  at: Instant,
  rating: Rating,
  reopenedAt: Schema.NullOr(Instant),
  /** 是否解决 — the resident's answer, when the visit recorded one (it decides 解决率 over `reopenedAt`). */
  resolved: Schema.optionalWith(Schema.Boolean, { exact: true })
}).annotations({ identifier: "IndicatorEvaluationFact", title: "回访记录 return visit" })

/**
 * @since 0.1.0
 * @category models
 */
export interface EvaluationFact extends Schema.Schema.Type<typeof EvaluationFact> {}

/**
 * 首次结案 — the first closure: when, at which tier, how, and the unit
 * dispatched to at that moment (`null` for a department or a self-handling).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ClosureFact = Schema.Struct({
  at: Instant,
  tier: Tier,
  via: ClosedVia,
  handlerUnitId: Schema.NullOr(UnitId)
}).annotations({ identifier: "IndicatorClosureFact", title: "首次结案 first closure" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ClosureFact extends Schema.Schema.Type<typeof ClosureFact> {}

/**
 * 挂账区间 — an approved suspension of a step (`to: null` while suspended).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SuspensionFact = Schema.Struct({
  step: CaseStep,
  from: Instant,
  to: Schema.NullOr(Instant)
}).annotations({ identifier: "IndicatorSuspensionFact", title: "挂账区间 suspension" })

/**
 * @since 0.1.0
 * @category models
 */
export interface SuspensionFact extends Schema.Schema.Type<typeof SuspensionFact> {}

/**
 * 延期记录 — an approved extension of a step.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExtensionFact = Schema.Struct({
  step: CaseStep,
  amount: ExtensionAmount,
  approvedAt: Instant
}).annotations({ identifier: "IndicatorExtensionFact", title: "延期记录 extension" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ExtensionFact extends Schema.Schema.Type<typeof ExtensionFact> {}

/**
 * 案件摘要 — what the indicators need from one case's history, computed once
 * (`summarize`): its community and location unit, source, category and
 * urgency (for the time limits), when it was reported and accepted (立案, or
 * 自处理), its status at the end of the history, the step runs in order, the
 * dispatches, reworks, return visits, suspensions, extensions and its first
 * closure. Instants are epoch milliseconds; `lastAt` is its last event's.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CaseFacts = Schema.Struct({
  caseId: CaseId,
  communityId: UnitId,
  locationUnitId: UnitId,
  source: Source,
  categoryId: CategoryId,
  urgency: Urgency,
  reportedAt: Instant,
  acceptedAt: Schema.NullOr(Instant),
  selfHandled: Schema.Boolean,
  status: Status,
  lastAt: Instant,
  firstClose: Schema.NullOr(ClosureFact),
  runs: Schema.Array(StepRun),
  dispatches: Schema.Array(DispatchFact),
  reworks: Schema.Array(Instant),
  evaluations: Schema.Array(EvaluationFact),
  suspensions: Schema.Array(SuspensionFact),
  extensions: Schema.Array(ExtensionFact)
}).annotations({ identifier: "CaseFacts", title: "案件摘要 case facts" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CaseFacts extends Schema.Schema.Type<typeof CaseFacts> {}

const replayError = (b: Summary.HistoryBreak): CaseReplayError => new CaseReplayError(b)

/**
 * 案件摘要 — summarises one case's history (events of one case, in any order;
 * exact repeats are dropped). Fails like `Case.replay` on a gap, a repeat
 * with other content, another case's event, or a history not starting with
 * `Reported`. Events after `until` are left out (the history up to then).
 *
 * @since 0.1.0
 * @category constructors
 */
export const summarize = (
  events: ReadonlyArray<CaseEvent>,
  options?: { readonly until?: DateTime.Utc }
): Either.Either<Option.Option<CaseFacts>, CaseReplayError> => {
  const ordered = Summary.order(events)
  if ("break" in ordered) return Either.left(replayError(ordered.break))
  const until = options?.until?.epochMillis ?? Number.POSITIVE_INFINITY
  return Either.right(Option.fromNullable(Summary.summarize(ordered.events, until)))
}

/**
 * 批量摘要 — summarises the events of many cases (any order): one `CaseFacts`
 * per case in case-id order, and every case whose history is broken (with
 * its `CaseReplayError`). Cases reported after `until` are left out.
 *
 * @since 0.1.0
 * @category constructors
 */
export const summarizeAll = (
  events: Iterable<CaseEvent>,
  options?: { readonly until?: DateTime.Utc }
): { readonly facts: ReadonlyArray<CaseFacts>; readonly invalid: ReadonlyArray<CaseReplayError> } => {
  const byCase = new Map<string, Array<CaseEvent>>()
  for (const e of events) {
    const list = byCase.get(e.caseId)
    if (list === undefined) byCase.set(e.caseId, [e])
    else list.push(e)
  }
  const until = options?.until?.epochMillis ?? Number.POSITIVE_INFINITY
  const facts: Array<CaseFacts> = []
  const invalid: Array<CaseReplayError> = []
  for (const id of [...byCase.keys()].sort(compareStrings)) {
    const ordered = Summary.order(byCase.get(id) ?? [])
    if ("break" in ordered) {
      invalid.push(replayError(ordered.break))
      continue
    }
    const f = Summary.summarize(ordered.events, until)
    if (f !== undefined) facts.push(f)
  }
  return { facts, invalid }
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

// ---------------------------------------------------------------------------
// computing
// ---------------------------------------------------------------------------

/**
 * 计算选项 — configuration, each with its default:
 *
 * - `basicWeight` k of 满意率 = (满意 + k·基本满意) / 有效评价 (default 1,
 *   `Survey.defaultBasicWeight`; some hotlines use 0.9); in [0, 1].
 * - `hotlineSources` the case sources whose cases feed the hotline 三率
 *   (default: every source; `["hotline"]` for 12345 cases only).
 * - `closureSteps` the steps whose runs must all be on time for a closure to be
 *   按期 (default 立案 filing, 派遣 dispatch, 处置 handling, 核查 verification).
 * - `attributeBy` `"community"` (default: the case's community, its first
 *   owner) or `"location"` (the location unit, e.g. a building).
 * - `utcOffsetMinutes` the periods' offset (default: the calendar's, +08:00).
 * - `counting` how 处置率, 按期处置率 and 返工率 count: `"case"` (default,
 *   CJ/T 292: a case once, at its first due handling run; a case reworked
 *   twice is one reworked case) or `"round"` (every handling run, every
 *   rework).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly basicWeight?: number
  readonly hotlineSources?: ReadonlyArray<Source>
  readonly closureSteps?: ReadonlyArray<CaseStep>
  readonly attributeBy?: "community" | "location"
  readonly utcOffsetMinutes?: number
  readonly counting?: Counting
}

/**
 * 计数口径 — how 处置率, 按期处置率 and 返工率 count: `case` 按案件 (CJ/T 292,
 * the default) or `round` 按处置轮次.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Counting = Schema.Literal("case", "round").annotations({
  identifier: "IndicatorCounting",
  title: "计数口径 counting"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Counting = typeof Counting.Type

/**
 * The default closure steps: 立案, 派遣, 处置, 核查 — every timed step before 结案.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultClosureSteps: ReadonlyArray<CaseStep> = ["filing", "dispatch", "handling", "verification"]

/**
 * 计算上下文 — what `compute` needs besides the cases: the hierarchy, the
 * time-limit policy and working calendar, the period granularity, `asOf`
 * (the instant the figures are judged at; default: the last event of the
 * input — pass "now" for a live report) and options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context<U extends Unit = Unit> {
  readonly hierarchy: Hierarchy.Hierarchy<U>
  readonly timeLimits: TimeLimit.TimeLimitPolicy
  readonly calendar: WorkingCalendar
  readonly granularity: Period.Granularity
  readonly asOf?: DateTime.Utc
  readonly options?: Options
}

/**
 * 计算输入 — the context and the cases: summaries (`facts`) or raw `events`
 * (summarised with `summarizeAll`, up to `asOf`).
 *
 * @since 0.1.0
 * @category models
 */
export type Input<U extends Unit = Unit> = Context<U> &
  ({ readonly facts: ReadonlyArray<CaseFacts> } | { readonly events: Iterable<CaseEvent> })

/**
 * 选项规则 — `basic-weight` k outside [0, 1] or not finite; `utc-offset` an
 * offset that is not a whole number of minutes in −12:00…+14:00.
 *
 * @since 0.1.0
 * @category validation
 */
export const OptionRule = Schema.Literal("basic-weight", "utc-offset").annotations({
  identifier: "IndicatorOptionRule",
  title: "选项规则 option rule"
})

/**
 * 指标选项无效 — options that break rules, with every violation.
 *
 * @since 0.1.0
 * @category errors
 */
export class IndicatorOptionsInvalid extends Schema.TaggedError<IndicatorOptionsInvalid>()(
  "IndicatorOptionsInvalid",
  {
    violations: Schema.NonEmptyArray(
      Schema.Struct({ option: Schema.String, rule: OptionRule, message: Schema.String })
    )
  }
) {
  override get message(): string {
    return `指标选项无效 invalid indicator options: ${this.violations.map((v) => v.message).join("; ")}`
  }
}

/**
 * 未评判 — a case whose deadline could not be computed (a year with no
 * loaded schedule, or no time-limit rule): its unit, the first step that
 * failed, the reason, and the on-time indicators it was left out of
 * (numerator and denominator) — for all its rounds: a case with one
 * handling run that cannot be judged is in none of 处置率, 按期处置率 and
 * 返工率, not even with its other runs or its reworks. It still counts in
 * the other indicators.
 *
 * @since 0.1.0
 * @category models
 */
export interface Unjudged {
  readonly caseId: CaseId
  readonly unitId: UnitId
  readonly step: CaseStep
  readonly reason: TimeLimit.TimeLimitError
  readonly indicators: ReadonlyArray<IndicatorId>
}

/**
 * 未计入 — a case left out entirely: `invalid-history` (a broken event
 * history), `unknown-unit` (its attribution unit is not in the hierarchy),
 * `after-as-of` (a summary with events after `asOf`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Skipped {
  readonly caseId: CaseId
  readonly reason: "invalid-history" | "unknown-unit" | "after-as-of"
  readonly message: string
}

/**
 * 指标行 — one unit's indicators (its subtree's totals) in one period.
 *
 * @since 0.1.0
 * @category models
 */
export interface Row {
  readonly unitId: UnitId
  readonly period: Period.Period
  readonly label: string
  readonly indicators: Indicators
}

/**
 * 考核报告 — the indicators per (unit, period):
 *
 * - `get(unitId, period)` a unit's subtree totals (rolled up: numerators and
 *   denominators added); `own` its own cases only. Some for every unit of
 *   the hierarchy (all "no data" in a period without observations), none for
 *   an unknown unit or a period of another granularity or offset.
 * - `rows()` every (unit, period) with data, in the hierarchy's pre-order
 *   then time order.
 * - `periods` the periods with observations, in time order.
 * - `unjudged`, `skipped` the cases not (fully) counted, by case id.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report<U extends Unit = Unit> {
  readonly hierarchy: Hierarchy.Hierarchy<U>
  readonly granularity: Period.Granularity
  readonly asOf: DateTime.Utc
  readonly basicWeight: number
  readonly periods: ReadonlyArray<Period.Period>
  /** 计入案件数 — the cases counted (given, less `skipped`). */
  readonly cases: number
  readonly get: (unitId: string, period: Period.Period) => Option.Option<Indicators>
  readonly own: (unitId: string, period: Period.Period) => Option.Option<Indicators>
  readonly rows: () => ReadonlyArray<Row>
  readonly unjudged: ReadonlyArray<Unjudged>
  readonly skipped: ReadonlyArray<Skipped>
}

/**
 * 周期指标 — the indicators of every given case together in one period.
 *
 * @since 0.1.0
 * @category models
 */
export interface PeriodIndicators {
  readonly period: Period.Period
  readonly label: string
  readonly indicators: Indicators
}

interface Prepared {
  readonly settings: Engine.Settings
  readonly facts: ReadonlyArray<CaseFacts>
  readonly skipped: Array<Skipped>
}

const validateOptions = (
  options: Options | undefined
): Array<IndicatorOptionsInvalid["violations"][number]> => {
  const out: Array<IndicatorOptionsInvalid["violations"][number]> = []
  const k = options?.basicWeight
  if (k !== undefined && !(Number.isFinite(k) && k >= 0 && k <= 1)) {
    out.push({
      option: "basicWeight",
      rule: "basic-weight",
      message: `基本满意权重无效 basicWeight k must lie in [0, 1] so 满意率 stays a proportion, got ${k}`
    })
  }
  const offset = options?.utcOffsetMinutes
  if (offset !== undefined && !(Number.isInteger(offset) && offset >= -720 && offset <= 840)) {
    out.push({
      option: "utcOffsetMinutes",
      rule: "utc-offset",
      message: `时区偏移无效 utcOffsetMinutes must be whole minutes in −720…840, got ${offset}`
    })
  }
  return out
}

const prepare = <U extends Unit>(input: Input<U>): Either.Either<Prepared, IndicatorOptionsInvalid> => {
  const [first, ...rest] = validateOptions(input.options)
  if (first !== undefined) return Either.left(new IndicatorOptionsInvalid({ violations: [first, ...rest] }))
  const options = input.options
  const skipped: Array<Skipped> = []
  let facts: ReadonlyArray<CaseFacts>
  let asOf: number
  if ("facts" in input) {
    facts = input.facts
    if (input.asOf !== undefined) {
      const cut = input.asOf.epochMillis
      asOf = cut
      if (facts.some((f) => f.lastAt > cut)) {
        for (const f of facts) {
          if (f.lastAt <= cut) continue
          skipped.push({
            caseId: f.caseId,
            reason: "after-as-of",
            message: `case ${f.caseId} has events after asOf (${new Date(f.lastAt).toISOString()}); summarise it up to asOf`
          })
        }
        facts = facts.filter((f) => f.lastAt <= cut)
      }
    } else {
      asOf = 0
      for (const f of facts) if (f.lastAt > asOf) asOf = f.lastAt
    }
  } else {
    const list = Array.from(input.events)
    if (input.asOf !== undefined) asOf = input.asOf.epochMillis
    else {
      asOf = 0
      for (const e of list) if (e.at.epochMillis > asOf) asOf = e.at.epochMillis
    }
    const summary = summarizeAll(list, { until: DateTime.unsafeMake(asOf) })
    facts = summary.facts
    for (const error of summary.invalid) {
      skipped.push({ caseId: error.caseId, reason: "invalid-history", message: error.message })
    }
  }
  let closureSteps = 0
  for (const step of options?.closureSteps ?? defaultClosureSteps) closureSteps |= Engine.stepBit[step]
  return Either.right({
    facts,
    skipped,
    settings: {
      granularity: input.granularity,
      utcOffsetMinutes: options?.utcOffsetMinutes ?? input.calendar.utcOffsetMinutes,
      asOf,
      basicWeight: options?.basicWeight ?? Survey.defaultBasicWeight,
      hotlineSources: new Set<string>(options?.hotlineSources ?? Source.literals),
      closureSteps,
      counting: options?.counting ?? "case"
    }
  })
}

const unitOf = (f: CaseFacts, by: "community" | "location" | undefined): UnitId =>
  by === "location" ? f.locationUnitId : f.communityId

interface Run {
  readonly acc: Engine.Accumulator
  readonly counted: number
  readonly skipped: ReadonlyArray<Skipped>
  readonly unjudged: ReadonlyArray<Unjudged>
  /** Hierarchy position → row of the accumulator (−1: no case in the unit's subtree). */
  readonly rowOf: Int32Array
  /** Row → the parent's row (−1 for the top row), rows in pre-order. */
  readonly parentRow: Int32Array
}

const execute = <U extends Unit>(input: Input<U>, prepared: Prepared, grouped: boolean): Run => {
  const tree = input.hierarchy.tree
  const { settings, facts } = prepared
  const skipped = prepared.skipped
  const by = input.options?.attributeBy
  // the units holding cases and their ancestors: only they get rows (most units of a large
  // hierarchy — compounds, buildings — hold none)
  const positions = new Int32Array(facts.length)
  const active = new Uint8Array(tree.size)
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i]
    if (f === undefined) continue
    const unitId = unitOf(f, by)
    let pos = Tree.positionOf(tree, unitId)
    positions[i] = pos
    if (pos < 0) {
      skipped.push({
        caseId: f.caseId,
        reason: "unknown-unit",
        message: `case ${f.caseId} belongs to unit ${unitId}, which is not in the hierarchy`
      })
    }
    while (pos >= 0 && active[pos] === 0) {
      active[pos] = 1
      pos = tree.parent[pos] ?? -1
    }
  }
  const rowOf = new Int32Array(tree.size).fill(-1)
  const parents: Array<number> = []
  for (let pos = 0; pos < tree.size; pos++) {
    if (active[pos] !== 1) continue
    rowOf[pos] = parents.length
    const p = tree.parent[pos] ?? -1
    parents.push(p >= 0 ? (rowOf[p] ?? -1) : -1)
  }
  const parentRow = Int32Array.from(parents)
  const acc = new Engine.Accumulator(
    grouped ? parentRow.length : 1,
    settings.granularity,
    settings.utcOffsetMinutes
  )
  const judge = new Judge(input.timeLimits, input.calendar, settings.asOf)
  const isLocal = (handlerUnitId: string, communityId: string): boolean => {
    const h = Tree.positionOf(tree, handlerUnitId)
    const c = Tree.positionOf(tree, communityId)
    return h >= 0 && c >= 0 && Tree.within(tree, h, c)
  }
  const engine = new Engine.Engine(settings, judge, acc, isLocal)
  let counted = 0
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i]
    const pos = positions[i] ?? -1
    if (f === undefined || pos < 0) continue
    engine.add(f, grouped ? (rowOf[pos] ?? 0) : 0)
    counted++
  }
  const unjudgedByCase = new Map<string, { first: Engine.Failure; indicators: Set<IndicatorId> }>()
  for (const failure of engine.failures) {
    const entry = unjudgedByCase.get(failure.facts.caseId)
    if (entry === undefined) {
      unjudgedByCase.set(failure.facts.caseId, { first: failure, indicators: new Set(failure.indicators) })
    } else for (const id of failure.indicators) entry.indicators.add(id)
  }
  const unjudged: Array<Unjudged> = [...unjudgedByCase.values()]
    .map(({ first, indicators }) => ({
      caseId: first.facts.caseId,
      unitId: unitOf(first.facts, by),
      step: first.step,
      reason: first.error,
      indicators: ids.filter((id) => indicators.has(id))
    }))
    .sort((a, b) => compareStrings(a.caseId, b.caseId))
  skipped.sort((a, b) => compareStrings(a.caseId, b.caseId) || compareStrings(a.reason, b.reason))
  return { acc, counted, skipped, unjudged, rowOf, parentRow }
}

/**
 * 计算考核指标 — the indicators of every unit and period (see the module
 * documentation for the definitions): one pass over the cases (each case's
 * step runs judged once), counts added per (community, period), then rolled
 * up the hierarchy. Fails only on invalid options. Deterministic; the order
 * of the input does not matter.
 *
 * @since 0.1.0
 * @category computing
 */
export const compute = <U extends Unit>(input: Input<U>): Either.Either<Report<U>, IndicatorOptionsInvalid> =>
  Either.map(prepare(input), (prepared) => {
    const hierarchy = input.hierarchy
    const tree = hierarchy.tree
    const n = tree.size
    const run = execute(input, prepared, true)
    const { rowOf, parentRow } = run
    const slots = run.acc.sorted()
    const subtree = slots.map((slot) => {
      const counts = slot.counts.slice()
      Engine.rollUp(counts, parentRow)
      return counts
    })
    const byLabel = new Map<string, number>(slots.map((slot, i) => [slot.label, i]))
    const { granularity, utcOffsetMinutes, basicWeight, counting } = prepared.settings
    const lookup =
      (pick: (i: number) => Float64Array | undefined) =>
      (unitId: string, period: Period.Period): Option.Option<Indicators> => {
        const pos = Tree.positionOf(tree, unitId)
        if (pos < 0 || period.granularity !== granularity || period.utcOffsetMinutes !== utcOffsetMinutes) {
          return Option.none()
        }
        const i = byLabel.get(Period.label(period))
        const row = rowOf[pos] ?? -1
        const counts = i === undefined || row < 0 ? undefined : pick(i)
        return Option.some(
          counts === undefined ? empty : Engine.indicatorsOf(counts, row, basicWeight, counting)
        )
      }
    const rows = (): ReadonlyArray<Row> => {
      const out: Array<Row> = []
      for (let pos = 0; pos < n; pos++) {
        const unit = tree.nodes[pos]
        const row = rowOf[pos] ?? -1
        if (unit === undefined || row < 0) continue
        slots.forEach((slot, i) => {
          const counts = subtree[i]
          if (counts === undefined || !Engine.hasData(counts, row)) return
          out.push({
            unitId: unit.id,
            period: slot.period,
            label: slot.label,
            indicators: Engine.indicatorsOf(counts, row, basicWeight, counting)
          })
        })
      }
      return out
    }
    return {
      hierarchy,
      granularity,
      asOf: DateTime.unsafeMake(prepared.settings.asOf),
      basicWeight,
      periods: slots.map((slot) => slot.period),
      cases: run.counted,
      get: lookup((i) => subtree[i]),
      own: lookup((i) => slots[i]?.counts),
      rows,
      unjudged: run.unjudged,
      skipped: run.skipped
    }
  })

/**
 * 合计指标 — the indicators of all the given cases together, per period (no
 * per-unit breakdown): what `compute` gives the hierarchy's root, for any set
 * of cases (e.g. one street's, filtered by the caller). Cases whose unit is
 * not in the hierarchy are skipped, as in `compute`.
 *
 * @since 0.1.0
 * @category computing
 */
export const measure = <U extends Unit>(
  input: Input<U>
): Either.Either<
  {
    readonly periods: ReadonlyArray<PeriodIndicators>
    readonly unjudged: ReadonlyArray<Unjudged>
    readonly skipped: ReadonlyArray<Skipped>
  },
  IndicatorOptionsInvalid
> =>
  Either.map(prepare(input), (prepared) => {
    const run = execute(input, prepared, false)
    return {
      periods: run.acc.sorted().map((slot) => ({
        period: slot.period,
        label: slot.label,
        indicators: Engine.indicatorsOf(
          slot.counts,
          0,
          prepared.settings.basicWeight,
          prepared.settings.counting
        )
      })),
      unjudged: run.unjudged,
      skipped: run.skipped
    }
  })

/**
 * 逐级汇总 — a period's indicators as `Hierarchy.Totals`: `Hierarchy.rollup`
 * of each unit's own indicators with `Monoid` (the same figures as
 * `report.get`, computed the textbook way; handy to hand to code that takes
 * `Totals`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const totals = <U extends Unit>(
  report: Report<U>,
  period: Period.Period
): Hierarchy.Totals<Indicators> =>
  Hierarchy.rollup(
    report.hierarchy,
    (unit: U) => Option.getOrElse(report.own(unit.id, period), () => empty),
    Monoid
  )

/**
 * 指标序列 — one indicator of one unit over the report's periods (subtree
 * totals), ready for `Period.trend`.
 *
 * @since 0.1.0
 * @category getters
 */
export const series = <U extends Unit>(
  report: Report<U>,
  unitId: string,
  id: IndicatorId
): ReadonlyArray<readonly [Period.Period, Ratio.Ratio]> =>
  report.periods.flatMap((period) =>
    Option.match(report.get(unitId, period), {
      onNone: () => [],
      onSome: (indicators) => [[period, indicators[id]] as const]
    })
  )

// ---------------------------------------------------------------------------
// per-case contributions (for stores that add the counts up elsewhere)
// ---------------------------------------------------------------------------

/**
 * 计数列 — the count columns behind `Indicators`, in order: independent
 * counts (受理数, 应结案数, 应处置数 per case and per round, 派遣数, 应立案数,
 * 立案数, 有效回访数, the first closures by tier, and the nine
 * `Survey.HotlineCounts` fields as `hotline_*`), each read by every
 * indicator that shares it (结案率 and 按期结案率 both read `closure_due`), so
 * no two columns can disagree. A `Contribution`'s counts follow this order;
 * `fromCounts` turns summed counts into `Indicators`. The names are
 * SQL-safe (`IndicatorProjection` stores them as columns).
 *
 * @since 0.1.0
 * @category contributions
 */
export const countColumns: ReadonlyArray<string> = Engine.columnNames

/**
 * 贡献 — counts one case adds at one instant (epoch ms): the instant places
 * them in a period; `counts` has one entry per `countColumns`.
 *
 * @since 0.1.0
 * @category contributions
 */
export interface Contribution {
  readonly at: number
  readonly counts: ArrayLike<number>
}

/**
 * 同期条件 — a numerator that counts only when `instant` lies before the end
 * of the period holding `at`: `closure` — 结案率's numerator for a case whose
 * closure settled at a missed deadline (`at`), closed at `instant`;
 * `handling` — 处置率's numerator (per case) for a case whose due handling run
 * was late, settled at its deadline (`at`), handled at `instant`;
 * `handling-round` — the same per round (every late run). Not included in the
 * contributions' counts.
 *
 * @since 0.1.0
 * @category contributions
 */
export interface ConditionalNumerator {
  readonly at: number
  readonly numerator: "closure" | "handling" | "handling-round"
  readonly instant: number
}

/**
 * 案件贡献 — what one case adds to the indicators when judged at `asOf`:
 * its summary up to `asOf`, its contributions (by instant, in time order),
 * its conditional numerators, why it is unjudged if it is (as `Unjudged`,
 * without case and unit), and the step runs still pending at `asOf` with
 * their deadlines (`run` indexes `facts.runs`): until new events arrive, each
 * turns late one millisecond after its deadline, unless its clock is stopped
 * (挂账) — then its deadline moves on with `asOf`.
 *
 * Summed over cases (counts per `countColumns`, conditional numerators added
 * to the counts of the period they fall in), then passed to `fromCounts`,
 * they give exactly what `measure` gives for the same cases, `asOf` and
 * options.
 *
 * @since 0.1.0
 * @category contributions
 */
export interface CaseContributions {
  readonly facts: CaseFacts
  readonly contributions: ReadonlyArray<Contribution>
  readonly conditionals: ReadonlyArray<ConditionalNumerator>
  readonly unjudged: Option.Option<Omit<Unjudged, "caseId" | "unitId">>
  readonly pending: ReadonlyArray<{ readonly run: number; readonly deadline: number }>
}

/**
 * 有序历史 — one case's events ordered and checked once (`history`), to be
 * judged at many instants.
 *
 * @since 0.1.0
 * @category contributions
 */
export interface History {
  readonly _tag: "IndicatorHistory"
  readonly events: ReadonlyArray<CaseEvent>
}

/**
 * Orders and checks one case's events (any order; the rules of `summarize`).
 *
 * @since 0.1.0
 * @category contributions
 */
export const history = (events: ReadonlyArray<CaseEvent>): Either.Either<History, CaseReplayError> => {
  const ordered = Summary.order(events)
  return "break" in ordered
    ? Either.left(replayError(ordered.break))
    : Either.right({ _tag: "IndicatorHistory", events: ordered.events })
}

/**
 * 贡献计算器 — judges single cases at any `asOf` (epoch ms) under one
 * policy, calendar and options; none before the case's report.
 *
 * @since 0.1.0
 * @category contributions
 */
export interface Contributor {
  readonly contribute: (history: History, asOf: number) => Option.Option<CaseContributions>
}

/**
 * 贡献上下文 — the policy and calendar, the options (`basicWeight`,
 * `attributeBy` and `utcOffsetMinutes` do not change contributions), and
 * whether a handling unit lies within a community, for 小事不出网格
 * (`Indicator.compute` asks the hierarchy; default: only the community
 * itself).
 *
 * @since 0.1.0
 * @category contributions
 */
export interface ContributionContext {
  readonly timeLimits: TimeLimit.TimeLimitPolicy
  readonly calendar: WorkingCalendar
  readonly options?: Options
  readonly isLocal?: (handlerUnitId: string, communityId: string) => boolean
}

/**
 * 贡献计算器 — a `Contributor` for a context; fails on invalid options.
 *
 * @since 0.1.0
 * @category contributions
 */
export const contributor = (
  context: ContributionContext
): Either.Either<Contributor, IndicatorOptionsInvalid> =>
  Either.map(checkOptions(context.options), (options) => {
    let closureSteps = 0
    for (const step of options?.closureSteps ?? defaultClosureSteps) closureSteps |= Engine.stepBit[step]
    const inner = new Contributions.Contributor(
      context.timeLimits,
      context.calendar,
      {
        granularity: "day",
        utcOffsetMinutes: 0,
        basicWeight: options?.basicWeight ?? Survey.defaultBasicWeight,
        hotlineSources: new Set<string>(options?.hotlineSources ?? Source.literals),
        closureSteps,
        counting: options?.counting ?? "case"
      },
      context.isLocal ?? ((handler, community) => handler === community),
      ids
    )
    return {
      contribute: (h, asOf) =>
        Option.map(Option.fromNullable(inner.at(h.events, asOf)), (c) => ({
          facts: c.facts,
          contributions: c.recorded,
          conditionals: c.conditions,
          unjudged: Option.fromNullable(c.unjudged),
          pending: c.pending
        }))
    }
  })

/**
 * 由计数得指标 — `Indicators` from summed counts (one entry per
 * `countColumns`), with 满意率's k = `basicWeight` (default 1) and the
 * `counting` of 处置率, 按期处置率, 返工率 (default `"case"`).
 *
 * @since 0.1.0
 * @category contributions
 */
export const fromCounts = (
  counts: ArrayLike<number>,
  basicWeight: number = Survey.defaultBasicWeight,
  counting: Counting = "case"
): Indicators => Engine.indicatorsOf(counts, 0, basicWeight, counting)

/**
 * 检查选项 — the options, or every violation (`IndicatorOptionsInvalid`).
 *
 * @since 0.1.0
 * @category validation
 */
export const checkOptions = <O extends Options | undefined>(
  options: O
): Either.Either<O, IndicatorOptionsInvalid> => {
  const [first, ...rest] = validateOptions(options)
  return first === undefined
    ? Either.right(options)
    : Either.left(new IndicatorOptionsInvalid({ violations: [first, ...rest] }))
}
