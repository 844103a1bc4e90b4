/**
 * 处置时限 — the time limits of the case loop and the timer light 计时灯
 * (CJJ/T 106 and GB/T 30428 time each step of
 * the loop: 立案, 派遣, 处置, 核查, 回访).
 *
 * **Policy.** A `TimeLimitPolicy` is a list of rules, each fixing the limit
 * (`WorkDuration`) for a pattern of 小类 `categoryId` × `urgency` × `step`
 * where any part may be left out as a wildcard. A lookup takes the most
 * specific rule that matches, in this fixed order (category beats step beats
 * urgency), so it is deterministic:
 *
 * | rank | category | urgency | step | reads as |
 * | --- | --- | --- | --- | --- |
 * | 1 | ✓ | ✓ | ✓ | this category, this urgency, this step |
 * | 2 | ✓ |   | ✓ | the category's limit for the step |
 * | 3 | ✓ | ✓ |   | the category's limit at this urgency, any step |
 * | 4 | ✓ |   |   | the category default |
 * | 5 |   | ✓ | ✓ | the step default at this urgency |
 * | 6 |   |   | ✓ | the step default |
 * | 7 |   | ✓ |   | the urgency default |
 * | 8 |   |   |   | the policy-wide default |
 *
 * Two rules with the same pattern are an error (`makePolicy`); no matching rule
 * is `NoTimeLimit`. `defaultPolicy` holds local practice (configuration):
 * 立案 filing 1 working hour, 派遣 dispatch 1 working hour, 处置 handling by
 * urgency — 特急 critical 2 working hours, 紧急 urgent 1 working day, 一般 normal
 * 3 working days — 核查 verification 1 working day, 回访 evaluation 2 working days.
 *
 * **Deadline.** A step's clock starts at `startedAt` and runs on the limit's
 * clock (working or natural, see `WorkDuration`). Suspension 挂账 stops it:
 * each suspended stretch before the deadline moves the deadline later by the
 * clock time it covers. Extensions 延期 add to the limit; an extension on the
 * other clock is converted at the deadline it extends (a natural-day extension
 * of a working-clock limit adds the working time of the natural days that
 * follow the current deadline; a working extension of a natural-clock limit
 * adds the natural time it spans there).
 *
 * **Timer light 计时灯.** With `fraction` = running time used ÷ limit (with
 * extensions): green 绿灯 below `yellow` (default 0.8), yellow 黄灯 from `yellow`
 * up to and including `red` (default 1.0), red 红灯 past `red` (overdue 超期).
 * The light also reports the remaining clock time (negative when overdue).
 * During a lunch break right after a 12:00 deadline the fraction is exactly 1
 * (yellow): the working clock does not run, so the case turns red at 13:30.
 *
 * `lights` computes many cases at once (the calendar is compiled once into
 * per-day prefix sums, policy lookups are memoised; each case costs O(periods
 * + suspensions + extensions), independent of how long it has been open).
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as CaseCategory from "./CaseCategory.js"
import { CategoryId, Urgency } from "./CaseCategory.js"
import { CaseStep } from "./CaseStep.js"
import * as Instant from "./Instant.js"
import * as Cal from "./internal/calendar.js"
import * as Clock from "./internal/calendarClock.js"
import * as WorkDuration from "./WorkDuration.js"
import { type WorkingCalendar, YearNotLoaded } from "./WorkingCalendar.js"

// -----------------------------------------------------------------------------
// policy
// -----------------------------------------------------------------------------

/**
 * 时限规则 — one rule of a policy: the limit for a pattern of category ×
 * urgency × step; a left-out part matches anything.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Rule = Schema.Struct({
  categoryId: Schema.optionalWith(CategoryId, { exact: true }),
  urgency: Schema.optionalWith(Urgency, { exact: true }),
  step: Schema.optionalWith(CaseStep, { exact: true }),
  limit: WorkDuration.WorkDuration
}).annotations({ identifier: "TimeLimitRule", title: "时限规则 time-limit rule" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Rule extends Schema.Schema.Type<typeof Rule> {}

/**
 * 时限规则违规 — a policy rule that clashes with another.
 *
 * @since 0.1.0
 * @category validation
 */
export const PolicyViolation = Schema.Struct({
  subject: Schema.String,
  rule: Schema.Literal("duplicate-rule"),
  message: Schema.String
}).annotations({ identifier: "TimeLimitPolicyViolation", title: "时限规则违规 policy violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PolicyViolation extends Schema.Schema.Type<typeof PolicyViolation> {}

const patternOf = (rule: {
  readonly categoryId?: string
  readonly urgency?: string
  readonly step?: string
}): string => `${rule.categoryId ?? "*"} × ${rule.urgency ?? "*"} × ${rule.step ?? "*"}`

const keyOf = (
  categoryId: string | undefined,
  urgency: string | undefined,
  step: string | undefined
): string => JSON.stringify([categoryId ?? null, urgency ?? null, step ?? null])

/**
 * Every clash in a list of rules: two rules with the same pattern (the
 * lookup could not choose), sorted by pattern.
 *
 * @since 0.1.0
 * @category validation
 */
export const policyViolations = (rules: ReadonlyArray<Rule>): Array<PolicyViolation> => {
  const counts = new Map<string, number>()
  for (const r of rules) {
    const key = patternOf(r)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts.entries()]
    .filter(([, n]) => n > 1)
    .map(([pattern, n]) => ({
      subject: pattern,
      rule: "duplicate-rule" as const,
      message: `时限规则重复: ${n} rules share the pattern ${pattern} (category × urgency × step)`
    }))
    .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0))
}

/**
 * 时限规则类别违规 — a time-limit rule naming a category that is not a 小类 of
 * the catalogue in force (a lookup is keyed by the case's 小类, so such a rule
 * would never apply).
 *
 * @since 0.1.0
 * @category validation
 */
export const CategoryViolation = Schema.Struct({
  subject: Schema.String,
  rule: Schema.Literal("unknown-category"),
  message: Schema.String
}).annotations({ identifier: "TimeLimitCategoryViolation", title: "时限规则类别违规 category violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CategoryViolation extends Schema.Schema.Type<typeof CategoryViolation> {}

/**
 * Every rule whose `categoryId` is not a 小类 of the catalogue (rule
 * `unknown-category`), sorted by pattern; empty when every named category is one.
 *
 * @since 0.1.0
 * @category validation
 */
export const categoryViolations = (
  rules: ReadonlyArray<Rule>,
  catalogue: CaseCategory.Catalogue
): Array<CategoryViolation> =>
  rules
    .filter(
      (r) => r.categoryId !== undefined && Option.isNone(CaseCategory.getMinor(catalogue, r.categoryId))
    )
    .map((r) => ({
      subject: patternOf(r),
      rule: "unknown-category" as const,
      message: `时限规则 ${patternOf(r)} 的类别 "${r.categoryId}" 不是现行类别目录中的小类 (unknown-category: not a minor class of the catalogue in force)`
    }))
    .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0))

/**
 * 时限政策 — the rules that fix every step's limit. Decoding rejects two rules
 * with the same pattern.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TimeLimitPolicy = Schema.Struct({
  rules: Schema.Array(Rule)
}).pipe(
  Schema.filter((policy) => policyViolations(policy.rules).map((v) => v.message)),
  Schema.annotations({ identifier: "TimeLimitPolicy", title: "时限政策 time-limit policy" })
)

/**
 * @since 0.1.0
 * @category models
 */
export interface TimeLimitPolicy extends Schema.Schema.Type<typeof TimeLimitPolicy> {}

/**
 * 时限政策无效 — a policy whose rules clash, with every clash.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidPolicy extends Schema.TaggedError<InvalidPolicy>()("InvalidPolicy", {
  violations: Schema.NonEmptyArray(PolicyViolation)
}) {
  override get message(): string {
    return `invalid time-limit policy: ${this.violations.map((v) => v.message).join("; ")}`
  }
}

/**
 * 无时限 — no rule of the policy matches the case's category × urgency × step.
 *
 * @since 0.1.0
 * @category errors
 */
export class NoTimeLimit extends Schema.TaggedError<NoTimeLimit>()("NoTimeLimit", {
  categoryId: Schema.String,
  urgency: Urgency,
  step: CaseStep
}) {
  override get message(): string {
    return `无处置时限: no time-limit rule matches ${this.categoryId} × ${this.urgency} × ${this.step}`
  }
}

/**
 * The failures of a time-limit computation: a year with no loaded schedule,
 * or no matching rule.
 *
 * @since 0.1.0
 * @category errors
 */
export type TimeLimitError = YearNotLoaded | NoTimeLimit

/**
 * Builds a policy from rules, refusing clashing rules (all of them reported).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makePolicy = (rules: ReadonlyArray<Rule>): Either.Either<TimeLimitPolicy, InvalidPolicy> => {
  const [first, ...rest] = policyViolations(rules)
  return first === undefined
    ? Either.right({ rules: [...rules] })
    : Either.left(new InvalidPolicy({ violations: [first, ...rest] }))
}

/**
 * 默认时限 — local practice (configuration, not a standard): 立案 filing 1
 * working hour; 派遣 dispatch 1 working hour; 处置 handling 特急 critical 2
 * working hours, 紧急 urgent 1 working day, 一般 normal 3 working days; 核查
 * verification 1 working day; 回访 evaluation 2 working days.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPolicy: TimeLimitPolicy = {
  rules: [
    { step: "filing", limit: WorkDuration.workingHours(1) },
    { step: "dispatch", limit: WorkDuration.workingHours(1) },
    { step: "handling", urgency: "critical", limit: WorkDuration.workingHours(2) },
    { step: "handling", urgency: "urgent", limit: WorkDuration.workingDays(1) },
    { step: "handling", urgency: "normal", limit: WorkDuration.workingDays(3) },
    { step: "verification", limit: WorkDuration.workingDays(1) },
    { step: "evaluation", limit: WorkDuration.workingDays(2) }
  ]
}

/** Patterns in lookup order: [category?, urgency?, step?]. */
const lookupOrder: ReadonlyArray<readonly [boolean, boolean, boolean]> = [
  [true, true, true],
  [true, false, true],
  [true, true, false],
  [true, false, false],
  [false, true, true],
  [false, false, true],
  [false, true, false],
  [false, false, false]
]

interface CompiledPolicy {
  readonly byPattern: ReadonlyMap<string, Rule>
  /** Per category: the resolved rule per `urgency × step` slot (undefined = not resolved yet). */
  readonly memo: Map<string, Array<Rule | null | undefined>>
}

const urgencySlot: Readonly<Record<Urgency, number>> = { normal: 0, urgent: 1, critical: 2 }
const stepSlot: Readonly<Record<CaseStep, number>> = {
  filing: 0,
  dispatch: 1,
  handling: 2,
  verification: 3,
  evaluation: 4
}

const compiledPolicies = new WeakMap<TimeLimitPolicy, CompiledPolicy>()

const compilePolicy = (policy: TimeLimitPolicy): CompiledPolicy => {
  const cached = compiledPolicies.get(policy)
  if (cached !== undefined) return cached
  const byPattern = new Map<string, Rule>()
  for (const rule of policy.rules) {
    const key = keyOf(rule.categoryId, rule.urgency, rule.step)
    if (!byPattern.has(key)) byPattern.set(key, rule)
  }
  const compiled = { byPattern, memo: new Map<string, Array<Rule | null | undefined>>() }
  compiledPolicies.set(policy, compiled)
  return compiled
}

const findRule = (
  compiled: CompiledPolicy,
  categoryId: string,
  urgency: Urgency,
  step: CaseStep
): Rule | null => {
  let slots = compiled.memo.get(categoryId)
  if (slots === undefined) {
    slots = new Array<Rule | null | undefined>(15).fill(undefined)
    compiled.memo.set(categoryId, slots)
  }
  const slot = urgencySlot[urgency] * 5 + stepSlot[step]
  const hit = slots[slot]
  if (hit !== undefined) return hit
  let found: Rule | null = null
  for (const [c, u, s] of lookupOrder) {
    const rule = compiled.byPattern.get(
      keyOf(c ? categoryId : undefined, u ? urgency : undefined, s ? step : undefined)
    )
    if (rule !== undefined) {
      found = rule
      break
    }
  }
  slots[slot] = found
  return found
}

/**
 * What a lookup is keyed by.
 *
 * @since 0.1.0
 * @category models
 */
export interface LimitKey {
  readonly categoryId: CategoryId
  readonly urgency: Urgency
  readonly step: CaseStep
}

/**
 * The rule that fixes a step's limit (the most specific match, see the module
 * table), or `NoTimeLimit`.
 *
 * @since 0.1.0
 * @category getters
 */
export const lookupRule = (policy: TimeLimitPolicy, key: LimitKey): Either.Either<Rule, NoTimeLimit> => {
  const rule = findRule(compilePolicy(policy), key.categoryId, key.urgency, key.step)
  return rule === null
    ? Either.left(new NoTimeLimit({ categoryId: key.categoryId, urgency: key.urgency, step: key.step }))
    : Either.right(rule)
}

/**
 * 查询时限 — the limit of a step for a category and urgency.
 *
 * @since 0.1.0
 * @category getters
 */
export const lookup = (
  policy: TimeLimitPolicy,
  key: LimitKey
): Either.Either<WorkDuration.WorkDuration, NoTimeLimit> =>
  Either.map(lookupRule(policy, key), (rule) => rule.limit)

// -----------------------------------------------------------------------------
// deadline and timer light
// -----------------------------------------------------------------------------

/**
 * 计时输入 — a running step of a case: what its limit is looked up by, when
 * the step's clock started, its suspensions 挂账 (`to: null` while still
 * suspended) and approved extensions 延期.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TimerInput = Schema.Struct({
  categoryId: CategoryId,
  urgency: Urgency,
  step: CaseStep,
  startedAt: Instant.DateTimeUtc,
  suspensions: Schema.optionalWith(Schema.Array(WorkDuration.Suspension), { exact: true }),
  extensions: Schema.optionalWith(Schema.Array(WorkDuration.WorkDuration), { exact: true })
}).annotations({ identifier: "TimerInput", title: "计时输入 timer input" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TimerInput extends Schema.Schema.Type<typeof TimerInput> {}

/**
 * 截止时间 — a step's deadline: the policy's limit, the total limit with
 * extensions (in ms of the limit's clock), the deadline, and whether the clock
 * is paused by an open suspension (then the deadline moves on when the case
 * resumes).
 *
 * @since 0.1.0
 * @category models
 */
export interface Deadline {
  readonly limit: WorkDuration.WorkDuration
  /** 总时限 — the limit plus extensions, in milliseconds of the limit's clock. */
  readonly limitMillis: number
  /** 截止时间 — on the working clock, always a working instant. */
  readonly deadline: DateTime.Utc
  /** 挂账中 — an open suspension stops the clock. */
  readonly paused: boolean
}

/**
 * 计时灯颜色 — `green` 绿灯, `yellow` 黄灯 (预警), `red` 红灯 (超期).
 *
 * @since 0.1.0
 * @category schemas
 */
export const LightColor = Schema.Literal("green", "yellow", "red").annotations({
  identifier: "LightColor",
  title: "计时灯 light color",
  description: "green 绿灯 | yellow 黄灯 预警 | red 红灯 超期"
})

/**
 * @since 0.1.0
 * @category models
 */
export type LightColor = typeof LightColor.Type

/**
 * 预警阈值 — the fractions of the limit at which the light turns yellow and,
 * once exceeded, red. `0 < yellow ≤ red`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Thresholds = Schema.Struct({
  yellow: Schema.Number.pipe(Schema.finite(), Schema.positive()),
  red: Schema.Number.pipe(Schema.finite(), Schema.positive())
}).pipe(
  Schema.filter(
    (t) => t.yellow <= t.red || `the yellow threshold ${t.yellow} must not exceed the red one ${t.red}`
  ),
  Schema.annotations({ identifier: "TimerThresholds", title: "预警阈值 thresholds" })
)

/**
 * @since 0.1.0
 * @category models
 */
export interface Thresholds extends Schema.Schema.Type<typeof Thresholds> {}

/**
 * The default thresholds of the timer light 计时灯 (this library's default; configuration): yellow
 * from 80 % of the limit, red past 100 %.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultThresholds: Thresholds = { yellow: 0.8, red: 1 }

/**
 * The color for a used fraction: green below `yellow`, yellow up to and
 * including `red`, red past it.
 *
 * @since 0.1.0
 * @category getters
 */
export const colorOf = (fraction: number, thresholds: Thresholds = defaultThresholds): LightColor =>
  fraction > thresholds.red ? "red" : fraction >= thresholds.yellow ? "yellow" : "green"

/**
 * 计时灯 — a step's timer light at an instant.
 *
 * @since 0.1.0
 * @category models
 */
export interface TimerLight extends Deadline {
  readonly color: LightColor
  /** 已用比例 — used ÷ limit (with extensions); `Infinity` when a zero limit has been exceeded. */
  readonly fraction: number
  /** 已用时长 — running clock time used, in ms (suspensions excluded). */
  readonly usedMillis: number
  /** 剩余时长 — limit minus used, in ms of the limit's clock; negative when overdue. */
  readonly remainingMillis: number
  /** The remaining time in the limit's unit (e.g. 1.5 working days). */
  readonly remaining: number
}

/** Milliseconds of a unit's clock, read off the compiled calendar (no lookups). */
const unitMs = (index: Cal.CalendarIndex, unit: WorkDuration.DurationUnit): number =>
  unit === "working-days" ? index.dayMs : unit === "natural-days" ? Cal.DAY_MS : Cal.HOUR_MS

const millisOf = (index: Cal.CalendarIndex, duration: WorkDuration.WorkDuration): number =>
  Math.round(duration.amount * unitMs(index, duration.unit))

/** Scratch results of `compute` (one case at a time; saves an allocation per case). */
const out = {
  limitMillis: 0,
  deadline: 0,
  paused: false,
  usedMillis: 0,
  clock: undefined as Cal.CalendarIndex | undefined,
  merged: [] as Clock.Intervals
}

/**
 * The core, writing into `out`; false when a year is missing (`Cal.missingYear()`).
 * `now` = NaN computes no usage (deadline only; open suspensions end at `asOf`
 * or, without it, where they start).
 */
const compute = (
  index: Cal.CalendarIndex,
  limit: WorkDuration.WorkDuration,
  input: TimerInput,
  now: number,
  asOf: number
): boolean => {
  const working = WorkDuration.isWorkingUnit(limit.unit)
  const clock = working ? index : undefined
  const start = input.startedAt.epochMillis
  const suspensions = input.suspensions
  let paused = false
  let merged: Clock.Intervals = []
  if (suspensions !== undefined && suspensions.length > 0) {
    for (const s of suspensions)
      if (s.to === null && (Number.isNaN(now) || s.from.epochMillis <= now)) paused = true
    const openEnd = Number.isNaN(now) ? asOf : now
    merged = Clock.mergeSuspensions(
      Number.isNaN(openEnd) ? suspensions.filter((s) => s.to !== null) : suspensions,
      openEnd
    )
  }
  let limitMillis = millisOf(index, limit)
  const extensions = input.extensions
  if (extensions !== undefined) {
    for (const ext of extensions) {
      const extMillis = millisOf(index, ext)
      if (extMillis === 0) continue
      if (WorkDuration.isWorkingUnit(ext.unit) === working) {
        limitMillis += extMillis
        continue
      }
      const current = Clock.deadlineOn(clock, start, limitMillis, merged)
      if (Number.isNaN(current)) return false
      const added = working
        ? Cal.workBetween(index, current, current + extMillis)
        : Cal.addWork(index, current, extMillis) - current
      if (Number.isNaN(added)) return false
      limitMillis += added
    }
  }
  const deadline = Clock.deadlineOn(clock, start, limitMillis, merged)
  if (Number.isNaN(deadline)) return false
  const usedMillis = Number.isNaN(now) ? 0 : Clock.activeBetween(clock, start, now, merged)
  if (Number.isNaN(usedMillis)) return false
  out.limitMillis = limitMillis
  out.deadline = deadline
  out.paused = paused
  out.usedMillis = usedMillis
  out.clock = clock
  out.merged = merged
  return true
}

const missing = (): YearNotLoaded => new YearNotLoaded({ year: Cal.missingYear() })

/**
 * 截止时间 — a step's deadline under a policy and calendar: the limit looked up
 * by category × urgency × step, plus extensions, pushed later by suspensions.
 * An open suspension (`to: null`) runs until `asOf` when given; without
 * `asOf` it has not moved the deadline yet and `paused` is true.
 *
 * @since 0.1.0
 * @category getters
 */
export const deadline = (
  policy: TimeLimitPolicy,
  calendar: WorkingCalendar,
  input: TimerInput,
  asOf?: DateTime.Utc
): Either.Either<Deadline, TimeLimitError> => {
  const rule = findRule(compilePolicy(policy), input.categoryId, input.urgency, input.step)
  if (rule === null) {
    return Either.left(
      new NoTimeLimit({ categoryId: input.categoryId, urgency: input.urgency, step: input.step })
    )
  }
  const ok = compute(
    Cal.compile(calendar),
    rule.limit,
    input,
    Number.NaN,
    asOf === undefined ? Number.NaN : asOf.epochMillis
  )
  if (!ok) return Either.left(missing())
  return Either.right({
    limit: rule.limit,
    limitMillis: out.limitMillis,
    deadline: DateTime.unsafeMake(out.deadline),
    paused: out.paused
  })
}

/** Used ÷ limit, as the light reads it (a zero limit: 1 until exceeded, then `Infinity`). */
const fractionOf = (usedMillis: number, limitMillis: number): number =>
  limitMillis > 0
    ? usedMillis / limitMillis
    : usedMillis > 0
      ? Number.POSITIVE_INFINITY
      : usedMillis < 0
        ? 0
        : 1

/**
 * The least whole number of used milliseconds whose fraction `reached` holds
 * (`reached` is monotone in the fraction): a guess from the threshold, then
 * corrected so that float rounding agrees with `colorOf` exactly.
 */
const firstUsed = (
  limitMillis: number,
  threshold: number,
  reached: (fraction: number) => boolean
): number => {
  let u = limitMillis > 0 ? Math.max(0, Math.ceil(threshold * limitMillis)) : 0
  while (u > 0 && reached(fractionOf(u - 1, limitMillis))) u--
  while (!reached(fractionOf(u, limitMillis))) u++
  return u
}

/** The light from `out` (call right after a successful `compute`). */
const toLight = (
  index: Cal.CalendarIndex,
  limit: WorkDuration.WorkDuration,
  thresholds: Thresholds
): TimerLight => {
  const { limitMillis, usedMillis } = out
  const fraction = fractionOf(usedMillis, limitMillis)
  const remainingMillis = limitMillis - usedMillis
  return {
    limit,
    limitMillis,
    deadline: DateTime.unsafeMake(out.deadline),
    paused: out.paused,
    color: colorOf(fraction, thresholds),
    fraction,
    usedMillis,
    remainingMillis,
    remaining: remainingMillis / unitMs(index, limit.unit)
  }
}

/**
 * 计时灯 — a step's timer light at `now`: color, used fraction, used and
 * remaining clock time, and the deadline. Open suspensions run until `now`.
 *
 * @since 0.1.0
 * @category getters
 */
export const light = (
  policy: TimeLimitPolicy,
  calendar: WorkingCalendar,
  input: TimerInput,
  now: DateTime.Utc,
  thresholds: Thresholds = defaultThresholds
): Either.Either<TimerLight, TimeLimitError> => {
  const rule = findRule(compilePolicy(policy), input.categoryId, input.urgency, input.step)
  if (rule === null) {
    return Either.left(
      new NoTimeLimit({ categoryId: input.categoryId, urgency: input.urgency, step: input.step })
    )
  }
  const index = Cal.compile(calendar)
  return compute(index, rule.limit, input, now.epochMillis, Number.NaN)
    ? Either.right(toLight(index, rule.limit, thresholds))
    : Either.left(missing())
}

/**
 * 批量计时灯 — the timer lights of many open cases at one instant, in input
 * order, each its own result (one case's missing year or rule does not fail
 * the others). The calendar and policy are compiled once; each case costs
 * O(periods + suspensions + extensions), so 100,000 cases take milliseconds,
 * not the minutes a minute-by-minute walk would.
 *
 * @since 0.1.0
 * @category getters
 */
export const lights = (
  policy: TimeLimitPolicy,
  calendar: WorkingCalendar,
  inputs: ReadonlyArray<TimerInput>,
  now: DateTime.Utc,
  thresholds: Thresholds = defaultThresholds
): Array<Either.Either<TimerLight, TimeLimitError>> => {
  const compiled = compilePolicy(policy)
  const index = Cal.compile(calendar)
  const t = now.epochMillis
  const results = new Array<Either.Either<TimerLight, TimeLimitError>>(inputs.length)
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]
    if (input === undefined) continue
    const rule = findRule(compiled, input.categoryId, input.urgency, input.step)
    if (rule === null) {
      results[i] = Either.left(
        new NoTimeLimit({ categoryId: input.categoryId, urgency: input.urgency, step: input.step })
      )
      continue
    }
    results[i] = compute(index, rule.limit, input, t, Number.NaN)
      ? Either.right(toLight(index, rule.limit, thresholds))
      : Either.left(missing())
  }
  return results
}

/**
 * 变灯时刻 — when a step's light changes: its deadline, the first instant it is
 * yellow (`yellowAt`: the running time used reaches the yellow threshold) and
 * the first instant it is red (`redAt`: the time used exceeds the red
 * threshold — for a deadline at the end of a working period, e.g. 12:00, that
 * is just after the next period starts, 13:30, as `light` has it). Both are
 * computed on the limit's clock (working time: nights, weekends and holidays
 * do not count), so for any `now` at or after `startedAt` while the clock
 * runs, `light(…, now).color` is `red` exactly when `now ≥ redAt`, else
 * `yellow` exactly when `now ≥ yellowAt`, else `green` (`colorAt`). With an
 * open suspension (`paused`) the clock stops: the instants are those of the
 * closed suspensions only and do not hold.
 *
 * @since 0.1.0
 * @category models
 */
export interface TimerMarks extends Deadline {
  /** 黄灯时刻 — the first instant the light is yellow. */
  readonly yellowAt: DateTime.Utc
  /** 红灯时刻 — the first instant the light is red (超期). */
  readonly redAt: DateTime.Utc
}

/**
 * 变灯时刻 — a step's deadline and the instants its light turns yellow and
 * red (see `TimerMarks`): one rule for every store that keeps lights
 * queryable (a store compares instants instead of folding events).
 *
 * @since 0.1.0
 * @category getters
 */
export const marks = (
  policy: TimeLimitPolicy,
  calendar: WorkingCalendar,
  input: TimerInput,
  thresholds: Thresholds = defaultThresholds
): Either.Either<TimerMarks, TimeLimitError> => {
  const rule = findRule(compilePolicy(policy), input.categoryId, input.urgency, input.step)
  if (rule === null) {
    return Either.left(
      new NoTimeLimit({ categoryId: input.categoryId, urgency: input.urgency, step: input.step })
    )
  }
  if (!compute(Cal.compile(calendar), rule.limit, input, Number.NaN, Number.NaN))
    return Either.left(missing())
  const { limitMillis, deadline: due, paused, clock, merged } = out
  const start = input.startedAt.epochMillis
  const at = (used: number): number => (used <= 0 ? start : Clock.deadlineOn(clock, start, used, merged))
  const yellowAt = at(firstUsed(limitMillis, thresholds.yellow, (f) => f >= thresholds.yellow))
  const redAt = at(firstUsed(limitMillis, thresholds.red, (f) => f > thresholds.red))
  if (Number.isNaN(yellowAt) || Number.isNaN(redAt)) return Either.left(missing())
  return Either.right({
    limit: rule.limit,
    limitMillis,
    deadline: DateTime.unsafeMake(due),
    paused,
    yellowAt: DateTime.unsafeMake(yellowAt),
    redAt: DateTime.unsafeMake(redAt)
  })
}

/**
 * 灯色 — the light at `now` from a step's change instants (see `TimerMarks`):
 * red from `redAt`, yellow from `yellowAt`, else green.
 *
 * @since 0.1.0
 * @category getters
 */
export const colorAt = (
  marks: { readonly yellowAt: DateTime.Utc; readonly redAt: DateTime.Utc },
  now: DateTime.Utc
): LightColor =>
  now.epochMillis >= marks.redAt.epochMillis
    ? "red"
    : now.epochMillis >= marks.yellowAt.epochMillis
      ? "yellow"
      : "green"

/**
 * 是否超期 — whether a step is overdue at `now` (its light is red with the default thresholds).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isOverdue = (
  policy: TimeLimitPolicy,
  calendar: WorkingCalendar,
  input: TimerInput,
  now: DateTime.Utc
): Either.Either<boolean, TimeLimitError> =>
  Either.map(light(policy, calendar, input, now), (l) => l.usedMillis > l.limitMillis)

/**
 * The rule a lookup would use, if any (for explaining a limit in a UI).
 *
 * @since 0.1.0
 * @category getters
 */
export const explain = (policy: TimeLimitPolicy, key: LimitKey): Option.Option<string> =>
  Option.map(
    Either.getRight(lookupRule(policy, key)),
    (rule) => `${patternOf(rule)} → ${WorkDuration.format(rule.limit)}`
  )
