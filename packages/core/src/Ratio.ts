/**
 * 比率 — a rate kept as its two counts: numerator 分子 and denominator 分母.
 *
 * Rule (考核评价): a rate is a ratio with numerator and denominator, as the
 * GB/T 30428.4 and CJ/T 292 indicators are defined; a zero denominator gives
 * "no data", never 0% or 100%. Rollups add numerators and denominators; they
 * never average percentages. Example, from the community experience report:
 * 社区已接案件1415件,办理1411件,受理办结率达99.7% — `make(1411, 1415)`,
 * `format` → `"99.7%"`.
 *
 * - **No data 无数据.** `rate` is `Option.none()` when the denominator is 0.
 *   A unit with no cases has no 结案率, not 0% (which would punish it) nor 100%
 *   (which would reward it).
 * - **Adding.** Ratios add count-wise: `a/b + c/d = (a+c)/(b+d)`. This is the
 *   only correct way to combine units: the district's 结案率 is the district's
 *   closed cases over its accepted cases, not the mean of its streets' rates
 *   (1/1 and 0/99 pool to 1%, while their mean is 50%). `Monoid` and `rollup`
 *   make `Hierarchy.rollup` give every unit its subtree's rate.
 * - **Not only proportions.** Counts are non-negative reals (weighted counts
 *   such as `满意 + 0.9 × 基本满意` are not integers), and the numerator may
 *   exceed the denominator: 返工率 rework / due counts rework rounds, so a unit
 *   can have more reworks than cases due. Use `Proportion` /
 *   `validateProportion` where `numerator ≤ denominator` must hold (shares of
 *   respondents, 结案率).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import type * as order from "effect/Order"
import * as Schema from "effect/Schema"
import * as Hierarchy from "./Hierarchy.js"
import { percentText } from "./internal/stats.js"
import type { Unit } from "./Unit.js"

// ---------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------

const Count = Schema.Number.pipe(Schema.finite(), Schema.nonNegative()).annotations({
  identifier: "RatioCount",
  title: "计数 count",
  description: "a finite, non-negative number (a count, or a weighted count)"
})

/**
 * 比率 — a rate as numerator 分子 over denominator 分母, both finite and
 * non-negative. The numerator may exceed the denominator (返工率 can be above
 * 100%); see `Proportion` for shares.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Ratio = Schema.Struct({
  /** 分子 — e.g. cases closed (办结). */
  numerator: Count,
  /** 分母 — e.g. cases accepted (受理); 0 means "no data". */
  denominator: Count
}).annotations({ identifier: "Ratio", title: "比率 ratio" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Ratio extends Schema.Schema.Type<typeof Ratio> {}

/**
 * 占比 — a ratio whose numerator does not exceed its denominator, so its rate
 * (when there is data) lies in [0, 1]: 结案率, 满意率, a share of respondents.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Proportion = Ratio.pipe(
  Schema.filter(
    (r) =>
      r.numerator <= r.denominator ||
      `分子大于分母 numerator ${r.numerator} exceeds denominator ${r.denominator}: not a proportion`
  ),
  Schema.brand("Proportion"),
  Schema.annotations({ identifier: "Proportion", title: "占比 proportion" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Proportion = typeof Proportion.Type

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 比率规则 — the rule a ratio breaks: `not-finite` 非有限数, `negative` 负数,
 * `exceeds-denominator` 分子大于分母 (proportions only).
 *
 * @since 0.1.0
 * @category validation
 */
export const RatioRule = Schema.Literal("not-finite", "negative", "exceeds-denominator").annotations({
  identifier: "RatioRule",
  title: "比率规则 ratio rule"
})

/**
 * @since 0.1.0
 * @category validation
 */
export type RatioRule = typeof RatioRule.Type

/**
 * 比率问题 — one violation: the ratio's label (the indicator or unit it
 * belongs to, `"ratio"` when none was given), the field, the rule and a
 * bilingual message.
 *
 * @since 0.1.0
 * @category validation
 */
export const RatioViolation = Schema.TaggedStruct("RatioViolation", {
  label: Schema.String,
  field: Schema.Literal("numerator", "denominator"),
  rule: RatioRule,
  message: Schema.String
}).annotations({ identifier: "RatioViolation", title: "比率问题 ratio violation" })

/**
 * @since 0.1.0
 * @category validation
 */
export interface RatioViolation extends Schema.Schema.Type<typeof RatioViolation> {}

/**
 * 比率无效 — the counts do not form a valid ratio (or proportion); carries
 * every violation.
 *
 * @since 0.1.0
 * @category errors
 */
export class RatioInvalid extends Schema.TaggedError<RatioInvalid>()("RatioInvalid", {
  violations: Schema.NonEmptyArray(RatioViolation)
}) {
  override get message(): string {
    return `比率无效 invalid ratio: ${this.violations.map((v) => v.message).join("; ")}`
  }
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * Builds a ratio from trusted counts, without validation (use `validate`, or
 * decode with the `Ratio` schema, for untrusted input).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (numerator: number, denominator: number): Ratio => ({ numerator, denominator })

/**
 * 空比率 — 0 / 0: no data, and the identity of `add`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty: Ratio = { numerator: 0, denominator: 0 }

/**
 * One observation: 1/1 when it counts (e.g. the case was closed on time),
 * 0/1 when it does not.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromBoolean = (counts: boolean): Ratio => ({ numerator: counts ? 1 : 0, denominator: 1 })

/**
 * 计数 — the items that satisfy `predicate` over all items.
 *
 * @since 0.1.0
 * @category constructors
 */
export const count = <A>(items: Iterable<A>, predicate: (item: A) => boolean): Ratio => {
  let numerator = 0
  let denominator = 0
  for (const item of items) {
    denominator++
    if (predicate(item)) numerator++
  }
  return { numerator, denominator }
}

const check = (
  label: string,
  field: "numerator" | "denominator",
  value: number,
  out: Array<RatioViolation>
): void => {
  const name = field === "numerator" ? "分子 numerator" : "分母 denominator"
  if (!Number.isFinite(value)) {
    out.push({
      _tag: "RatioViolation",
      label,
      field,
      rule: "not-finite",
      message: `非有限数 not finite: ${label} ${name} is ${value}`
    })
  } else if (value < 0) {
    out.push({
      _tag: "RatioViolation",
      label,
      field,
      rule: "negative",
      message: `负数 negative: ${label} ${name} is ${value}; counts are never negative`
    })
  }
}

const validateWith = (
  r: { readonly numerator: number; readonly denominator: number },
  label: string,
  proportion: boolean
): Array<RatioViolation> => {
  const violations: Array<RatioViolation> = []
  check(label, "numerator", r.numerator, violations)
  check(label, "denominator", r.denominator, violations)
  if (proportion && violations.length === 0 && r.numerator > r.denominator) {
    violations.push({
      _tag: "RatioViolation",
      label,
      field: "numerator",
      rule: "exceeds-denominator",
      message: `分子大于分母 exceeds denominator: ${label} has numerator ${r.numerator} > denominator ${r.denominator}, so it is not a proportion`
    })
  }
  return violations
}

/**
 * Checks counts: both finite and non-negative. Returns every violation,
 * named by `label` (the indicator or unit; `"ratio"` by default).
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (
  r: { readonly numerator: number; readonly denominator: number },
  label = "ratio"
): Either.Either<Ratio, RatioInvalid> => {
  const [first, ...rest] = validateWith(r, label, false)
  return first === undefined
    ? Either.right({ numerator: r.numerator, denominator: r.denominator })
    : Either.left(new RatioInvalid({ violations: [first, ...rest] }))
}

/**
 * Checks counts as a proportion: both finite and non-negative, and the
 * numerator not above the denominator. Returns every violation.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateProportion = (
  r: { readonly numerator: number; readonly denominator: number },
  label = "ratio"
): Either.Either<Proportion, RatioInvalid> => {
  const [first, ...rest] = validateWith(r, label, true)
  return first === undefined
    ? Either.right(Proportion.make({ numerator: r.numerator, denominator: r.denominator }))
    : Either.left(new RatioInvalid({ violations: [first, ...rest] }))
}

// ---------------------------------------------------------------------------
// getters and predicates
// ---------------------------------------------------------------------------

/**
 * 比率值 — numerator / denominator; `Option.none()` ("no data" 无数据) when
 * the denominator is 0, never 0 or 1.
 *
 * @since 0.1.0
 * @category getters
 */
export const rate = (r: Ratio): Option.Option<number> =>
  r.denominator === 0 ? Option.none() : Option.some(r.numerator / r.denominator)

/**
 * The rate in percent (rate × 100); none when there is no data.
 *
 * @since 0.1.0
 * @category getters
 */
export const percent = (r: Ratio): Option.Option<number> =>
  r.denominator === 0 ? Option.none() : Option.some((r.numerator * 100) / r.denominator)

/**
 * 无数据 — whether the denominator is 0.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isNoData = (r: Ratio): boolean => r.denominator === 0

/**
 * Whether the numerator does not exceed the denominator (its rate, if any,
 * lies in [0, 1]).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isProportion = (r: Ratio): boolean => r.numerator <= r.denominator

// ---------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------

/**
 * 相加 — adds two ratios count-wise: (a + c) / (b + d). Associative and
 * commutative with `empty` as identity (exactly so for integer counts).
 *
 * @since 0.1.0
 * @category combinators
 */
export const add: {
  (that: Ratio): (self: Ratio) => Ratio
  (self: Ratio, that: Ratio): Ratio
} = dual(
  2,
  (self: Ratio, that: Ratio): Ratio => ({
    numerator: self.numerator + that.numerator,
    denominator: self.denominator + that.denominator
  })
)

/**
 * 合计 — the count-wise sum of many ratios (`empty` for none).
 *
 * @since 0.1.0
 * @category combinators
 */
export const sum = (ratios: Iterable<Ratio>): Ratio => {
  let numerator = 0
  let denominator = 0
  for (const r of ratios) {
    numerator += r.numerator
    denominator += r.denominator
  }
  return { numerator, denominator }
}

/**
 * 幺半群 — `add` with `empty`: the monoid for `Hierarchy.rollup`.
 *
 * @since 0.1.0
 * @category instances
 */
export const Monoid: Hierarchy.Monoid<Ratio> = { empty, combine: (self, that) => add(self, that) }

/**
 * 逐级汇总 — each unit's ratio over its whole subtree (its own counts plus its
 * descendants'), by adding counts — `Hierarchy.rollup` with `Monoid`.
 * The rate of a unit's total is the rate of the summed counts, never the
 * mean of its children's rates.
 *
 * @since 0.1.0
 * @category combinators
 */
export const rollup: {
  <U extends Unit>(
    ratioOf: (unit: U) => Ratio
  ): (hierarchy: Hierarchy.Hierarchy<U>) => Hierarchy.Totals<Ratio>
  <U extends Unit>(hierarchy: Hierarchy.Hierarchy<U>, ratioOf: (unit: U) => Ratio): Hierarchy.Totals<Ratio>
} = dual(
  2,
  <U extends Unit>(hierarchy: Hierarchy.Hierarchy<U>, ratioOf: (unit: U) => Ratio): Hierarchy.Totals<Ratio> =>
    Hierarchy.rollup(hierarchy, ratioOf, Monoid)
)

// ---------------------------------------------------------------------------
// comparisons
// ---------------------------------------------------------------------------

/**
 * 比率排序 — orders ratios by rate, exactly (by cross-multiplying counts, so
 * 1/3 and 2/6 are equal); "no data" sorts before every rate.
 *
 * @since 0.1.0
 * @category instances
 */
export const Order: order.Order<Ratio> = (self, that) => {
  const a = self.denominator === 0
  const b = that.denominator === 0
  if (a || b) return a && b ? 0 : a ? -1 : 1
  const left = self.numerator * that.denominator
  const right = that.numerator * self.denominator
  return left < right ? -1 : left > right ? 1 : 0
}

/**
 * Whether two ratios have the same rate (both "no data" counts as equal);
 * 1/2 equals 50/100.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isEqualRate: {
  (that: Ratio): (self: Ratio) => boolean
  (self: Ratio, that: Ratio): boolean
} = dual(2, (self: Ratio, that: Ratio): boolean => Order(self, that) === 0)

/**
 * Whether `self`'s rate is above `that`'s; none when either has no data.
 *
 * @since 0.1.0
 * @category predicates
 */
export const greaterThan: {
  (that: Ratio): (self: Ratio) => Option.Option<boolean>
  (self: Ratio, that: Ratio): Option.Option<boolean>
} = dual(
  2,
  (self: Ratio, that: Ratio): Option.Option<boolean> =>
    isNoData(self) || isNoData(that) ? Option.none() : Option.some(Order(self, that) > 0)
)

/**
 * Whether `self`'s rate is below `that`'s; none when either has no data.
 *
 * @since 0.1.0
 * @category predicates
 */
export const lessThan: {
  (that: Ratio): (self: Ratio) => Option.Option<boolean>
  (self: Ratio, that: Ratio): Option.Option<boolean>
} = dual(
  2,
  (self: Ratio, that: Ratio): Option.Option<boolean> =>
    isNoData(self) || isNoData(that) ? Option.none() : Option.some(Order(self, that) < 0)
)

/**
 * 达标 — whether the rate reaches a target rate (e.g. `atLeast(r, 0.95)` for
 * "结案率不低于95%"); none when there is no data.
 *
 * @since 0.1.0
 * @category predicates
 */
export const atLeast: {
  (target: number): (self: Ratio) => Option.Option<boolean>
  (self: Ratio, target: number): Option.Option<boolean>
} = dual(
  2,
  (self: Ratio, target: number): Option.Option<boolean> =>
    self.denominator === 0 ? Option.none() : Option.some(self.numerator >= target * self.denominator)
)

/**
 * 差值 — rate(self) − rate(that), in rate units (0.012 = 1.2 percentage
 * points); none when either has no data.
 *
 * @since 0.1.0
 * @category combinators
 */
export const difference: {
  (that: Ratio): (self: Ratio) => Option.Option<number>
  (self: Ratio, that: Ratio): Option.Option<number>
} = dual(
  2,
  (self: Ratio, that: Ratio): Option.Option<number> => Option.zipWith(rate(self), rate(that), (a, b) => a - b)
)

// ---------------------------------------------------------------------------
// formatting
// ---------------------------------------------------------------------------

/**
 * The text shown for "no data": `"无数据 no data"`.
 *
 * @since 0.1.0
 * @category constants
 */
export const noDataText = "无数据 no data"

/**
 * Formatting options: `digits` decimals of the percentage (default 1, an
 * integer 0–10), the text for "no data" (default `"无数据 no data"`), and
 * `counts` to append the counts, e.g. `"99.7% (1411/1415)"`.
 *
 * @since 0.1.0
 * @category models
 */
export interface FormatOptions {
  readonly digits?: number
  readonly noData?: string
  readonly counts?: boolean
}

/**
 * 格式化 — the rate as a percentage with `digits` decimals, rounded half up:
 * 1411/1415 → `"99.7%"`; a zero denominator → `"无数据 no data"`.
 *
 * @since 0.1.0
 * @category utils
 */
export const format = (r: Ratio, options?: FormatOptions): string => {
  const digits = Math.min(10, Math.max(0, Math.trunc(options?.digits ?? 1)))
  if (r.denominator === 0) return options?.noData ?? noDataText
  const text = `${percentText(r.numerator, r.denominator, digits)}%`
  return options?.counts === true ? `${text} (${r.numerator}/${r.denominator})` : text
}
