/**
 * 重点人群 — the key-group registry: special groups 特殊群体 that a community
 * 登记造册并定时跟进 (seed 002: "将高龄独居老人、精神障碍患者、残疾人等特殊群体登记造册并定时跟进"),
 * and the 重点户 its cadres and party members contact (seed 003).
 *
 * **Categories are configuration.** A `Category` has an id, a Chinese and an
 * English name, a sensitivity level and a default visit interval. The
 * `defaultCategories` are this library's defaults (local practice — change
 * them per district): 高龄独居 lone elderly (every 7 days), 空巢 empty-nest
 * elderly, 精神障碍 mental disorder, 残疾 disability, 低保/困难 minimum living
 * allowance or hardship, 困境儿童 children in difficulty, 社区矫正 community
 * correction (every month).
 *
 * **Sensitivity 敏感程度.** `general` 一般, `sensitive` 敏感 (personal data about
 * income or age that harms if leaked), `highly-sensitive` 高度敏感 — PIPL
 * article 28's sensitive personal information: health (精神障碍, 残疾), minors
 * (困境儿童), criminal records (社区矫正). `KeyGroupAccess` grants read access by
 * category and sensitivity.
 *
 * **Enrolment 登记.** A household (and optionally one resident of it) is
 * enrolled in a category `since` a date, `until` a date (inclusive, open when
 * absent), with a reason. `checkEnrolments` reports every problem (unknown
 * category, until before since, a blank reason, overlapping enrolments of the
 * same person in the same category, repeated ids); `isActive`,
 * `keyHouseholds` and `intervalFor` read the registry at a date.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { ActorId } from "./Actor.js"
import { HouseholdId } from "./Household.js"
import { Day } from "./internal/localDay.js"
import { ResidentId } from "./Resident.js"
import * as Text from "./Text.js"
import type { LocalDate } from "./WorkingCalendar.js"

// -----------------------------------------------------------------------------
// categories
// -----------------------------------------------------------------------------

/**
 * 重点人群类别编号 — e.g. `"elderly-alone"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CategoryId = Text.Id.pipe(
  Schema.brand("KeyGroupCategoryId"),
  Schema.annotations({ identifier: "KeyGroupCategoryId", title: "重点人群类别 category id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type CategoryId = typeof CategoryId.Type

/**
 * 敏感程度 — `general` 一般, `sensitive` 敏感, `highly-sensitive` 高度敏感 (PIPL art. 28).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Sensitivity = Schema.Literal("general", "sensitive", "highly-sensitive").annotations({
  identifier: "KeyGroupSensitivity",
  title: "敏感程度 sensitivity",
  description: "general 一般 | sensitive 敏感 | highly-sensitive 高度敏感 (PIPL 第二十八条)"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Sensitivity = typeof Sensitivity.Type

/**
 * The rank of a sensitivity: 0 general, 1 sensitive, 2 highly sensitive.
 *
 * @since 0.1.0
 * @category getters
 */
export const sensitivityRank = (s: Sensitivity): number => (s === "general" ? 0 : s === "sensitive" ? 1 : 2)

/**
 * 走访周期单位 — `working-days` 工作日 (on the working calendar), `natural-days` 自然日,
 * `months` 月.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IntervalUnit = Schema.Literal("working-days", "natural-days", "months").annotations({
  identifier: "VisitIntervalUnit",
  title: "走访周期单位 interval unit"
})

/**
 * @since 0.1.0
 * @category models
 */
export type IntervalUnit = typeof IntervalUnit.Type

/**
 * 走访周期 — visit every `amount` units (a positive whole number, at most 366).
 *
 * @since 0.1.0
 * @category schemas
 */
export const VisitInterval = Schema.Struct({
  amount: Schema.Int.pipe(Schema.between(1, 366)),
  unit: IntervalUnit
}).annotations({ identifier: "VisitInterval", title: "走访周期 visit interval" })

/**
 * @since 0.1.0
 * @category models
 */
export interface VisitInterval extends Schema.Schema.Type<typeof VisitInterval> {}

/**
 * The approximate length of an interval in natural days (a working day counts
 * 7/5, a month 30) — to compare intervals of different units.
 *
 * @since 0.1.0
 * @category getters
 */
export const approximateDays = (interval: VisitInterval): number =>
  interval.amount * (interval.unit === "natural-days" ? 1 : interval.unit === "working-days" ? 7 / 5 : 30)

/**
 * 重点人群类别 — one category of the registry (configuration).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Category = Schema.Struct({
  id: CategoryId,
  /** 中文名称 — e.g. `"高龄独居"`. */
  name: Text.Name,
  /** English name. */
  nameEn: Text.Name,
  sensitivity: Sensitivity,
  /** 默认走访周期 */
  visitEvery: VisitInterval
}).annotations({ identifier: "KeyGroupCategory", title: "重点人群类别 category" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Category extends Schema.Schema.Type<typeof Category> {}

const category = (
  id: string,
  name: string,
  nameEn: string,
  sensitivity: Sensitivity,
  amount: number,
  unit: IntervalUnit
): Category => ({
  id: CategoryId.make(id),
  name,
  nameEn,
  sensitivity,
  visitEvery: { amount, unit }
})

/**
 * 默认类别 — this library's default categories (local practice; configuration):
 *
 * | id | 中文 | sensitivity | visit every |
 * | --- | --- | --- | --- |
 * | `elderly-alone` | 高龄独居 | sensitive | 7 natural days |
 * | `empty-nest` | 空巢 | general | 1 month |
 * | `mental-disorder` | 精神障碍 | highly-sensitive | 1 month |
 * | `disability` | 残疾 | highly-sensitive | 1 month |
 * | `low-income` | 低保/困难 | sensitive | 1 month |
 * | `children-in-difficulty` | 困境儿童 | highly-sensitive | 1 month |
 * | `community-correction` | 社区矫正 | highly-sensitive | 1 month |
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCategories: ReadonlyArray<Category> = [
  category("elderly-alone", "高龄独居", "elderly living alone", "sensitive", 7, "natural-days"),
  category("empty-nest", "空巢", "empty-nest elderly", "general", 1, "months"),
  category("mental-disorder", "精神障碍", "mental disorder", "highly-sensitive", 1, "months"),
  category("disability", "残疾", "disability", "highly-sensitive", 1, "months"),
  category("low-income", "低保/困难", "minimum living allowance or hardship", "sensitive", 1, "months"),
  category("children-in-difficulty", "困境儿童", "children in difficulty", "highly-sensitive", 1, "months"),
  category("community-correction", "社区矫正", "community correction", "highly-sensitive", 1, "months")
]

/**
 * 类别目录 — the categories in force, by id.
 *
 * @since 0.1.0
 * @category models
 */
export interface Catalogue {
  readonly categories: ReadonlyArray<Category>
  readonly byId: ReadonlyMap<CategoryId, Category>
}

/**
 * 类别目录无效 — a repeated category id.
 *
 * @since 0.1.0
 * @category errors
 */
export class CatalogueInvalid extends Schema.TaggedError<CatalogueInvalid>()("KeyGroupCatalogueInvalid", {
  field: Schema.Literal("id"),
  rule: Schema.Literal("duplicate-id"),
  categoryIds: Schema.NonEmptyArray(CategoryId)
}) {
  override get message(): string {
    return `重点人群类别编号重复 ${this.categoryIds.join(", ")} — repeated key-group category id(s) ${this.categoryIds.join(", ")} (rule duplicate-id)`
  }
}

/**
 * Builds a catalogue; every repeated id is reported.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeCatalogue = (
  categories: ReadonlyArray<Category>
): Either.Either<Catalogue, CatalogueInvalid> => {
  const byId = new Map<CategoryId, Category>()
  const repeated: Array<CategoryId> = []
  for (const c of categories) {
    if (byId.has(c.id)) {
      if (!repeated.includes(c.id)) repeated.push(c.id)
    } else byId.set(c.id, c)
  }
  const [first, ...rest] = repeated
  return first === undefined
    ? Either.right({ categories, byId })
    : Either.left(new CatalogueInvalid({ field: "id", rule: "duplicate-id", categoryIds: [first, ...rest] }))
}

/**
 * The catalogue of `defaultCategories`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCatalogue: Catalogue = {
  categories: defaultCategories,
  byId: new Map(defaultCategories.map((c) => [c.id, c]))
}

// -----------------------------------------------------------------------------
// enrolment
// -----------------------------------------------------------------------------

/**
 * 登记编号
 *
 * @since 0.1.0
 * @category schemas
 */
export const EnrolmentId = Text.Id.pipe(
  Schema.brand("KeyGroupEnrolmentId"),
  Schema.annotations({ identifier: "KeyGroupEnrolmentId", title: "登记编号 enrolment id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type EnrolmentId = typeof EnrolmentId.Type

/**
 * 登记 — a household (and optionally one of its residents) in a category from
 * `since` to `until` (inclusive; open when absent), with the reason and who
 * enrolled it. `visitEvery` overrides the category's default interval.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Enrolment = Schema.Struct({
  id: EnrolmentId,
  categoryId: CategoryId,
  householdId: HouseholdId,
  residentId: Schema.optionalWith(ResidentId, { exact: true }),
  /** 登记日期 */
  since: Day,
  /** 截止日期 — the last day enrolled. */
  until: Schema.optionalWith(Day, { exact: true }),
  /** 登记原因 — no more detail than the purpose needs. */
  reason: Text.Note,
  enrolledBy: ActorId,
  visitEvery: Schema.optionalWith(VisitInterval, { exact: true })
}).annotations({ identifier: "KeyGroupEnrolment", title: "登记 enrolment" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Enrolment extends Schema.Schema.Type<typeof Enrolment> {}

/**
 * Whether an enrolment is in force on a date (`since ≤ date ≤ until`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isActive = (enrolment: Enrolment, date: LocalDate): boolean =>
  enrolment.since <= date && (enrolment.until === undefined || date <= enrolment.until)

/**
 * 重点户 — the households with at least one enrolment in force on a date.
 *
 * @since 0.1.0
 * @category getters
 */
export const keyHouseholds = (enrolments: Iterable<Enrolment>, date: LocalDate): ReadonlySet<HouseholdId> => {
  const out = new Set<HouseholdId>()
  for (const e of enrolments) if (isActive(e, date)) out.add(e.householdId)
  return out
}

/**
 * 走访周期 — the interval a household is to be visited at on a date: the
 * shortest among its enrolments in force (an enrolment's own `visitEvery`, else
 * its category's default; compared by `approximateDays`). None when it has no
 * enrolment in force in a known category.
 *
 * @since 0.1.0
 * @category getters
 */
export const intervalFor = (
  catalogue: Catalogue,
  enrolments: Iterable<Enrolment>,
  householdId: HouseholdId,
  date: LocalDate
): Option.Option<VisitInterval> => {
  let best: VisitInterval | undefined
  for (const e of enrolments) {
    if (e.householdId !== householdId || !isActive(e, date)) continue
    const interval = e.visitEvery ?? catalogue.byId.get(e.categoryId)?.visitEvery
    if (interval !== undefined && (best === undefined || approximateDays(interval) < approximateDays(best)))
      best = interval
  }
  return Option.fromNullable(best)
}

/**
 * 登记规则 — `duplicate-id`, `unknown-category`, `unknown-household`,
 * `until-before-since`, `reason-required` (blank), `overlap` (the same
 * household — or resident — enrolled twice in a category over overlapping dates).
 *
 * @since 0.1.0
 * @category schemas
 */
export const EnrolmentRule = Schema.Literal(
  "duplicate-id",
  "unknown-category",
  "unknown-household",
  "until-before-since",
  "reason-required",
  "overlap"
).annotations({ identifier: "KeyGroupEnrolmentRule", title: "登记规则 enrolment rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type EnrolmentRule = typeof EnrolmentRule.Type

const enrolmentField: Record<
  EnrolmentRule,
  "id" | "categoryId" | "householdId" | "until" | "reason" | "since"
> = {
  "duplicate-id": "id",
  "unknown-category": "categoryId",
  "unknown-household": "householdId",
  "until-before-since": "until",
  "reason-required": "reason",
  overlap: "since"
}

/**
 * 登记问题 — one problem of an enrolment: the enrolment, the field, the rule
 * (and, for `overlap`, the other enrolment).
 *
 * @since 0.1.0
 * @category errors
 */
export class EnrolmentViolation extends Schema.TaggedError<EnrolmentViolation>()(
  "KeyGroupEnrolmentViolation",
  {
    enrolmentId: EnrolmentId,
    field: Schema.Literal("id", "categoryId", "householdId", "until", "reason", "since"),
    rule: EnrolmentRule,
    other: Schema.optionalWith(EnrolmentId, { exact: true })
  }
) {
  override get message(): string {
    return ((): string => {
      const e = this.enrolmentId
      switch (this.rule) {
        case "duplicate-id":
          return `登记编号 ${e} 重复 — enrolment id ${e} occurs more than once (rule duplicate-id)`
        case "unknown-category":
          return `登记 ${e} 的重点人群类别不存在 — enrolment ${e} names an unknown category (rule unknown-category)`
        case "unknown-household":
          return `登记 ${e} 的户不存在 — enrolment ${e} names an unknown household (rule unknown-household)`
        case "until-before-since":
          return `登记 ${e} 的截止日期早于登记日期 — enrolment ${e} ends before it starts (rule until-before-since)`
        case "reason-required":
          return `登记 ${e} 缺少登记原因 — enrolment ${e} needs a reason (rule reason-required)`
        case "overlap":
          return `登记 ${e} 与登记 ${this.other ?? "?"} 时间重叠 — enrolment ${e} overlaps enrolment ${this.other ?? "?"} of the same person and category (rule overlap)`
      }
    })()
  }
}

/**
 * 登记不合规 — every problem `checkEnrolments` found.
 *
 * @since 0.1.0
 * @category errors
 */
export class EnrolmentsInvalid extends Schema.TaggedError<EnrolmentsInvalid>()("KeyGroupEnrolmentsInvalid", {
  violations: Schema.NonEmptyArray(EnrolmentViolation)
}) {
  override get message(): string {
    return `重点人群登记有 ${this.violations.length} 处问题 — ${this.violations.length} enrolment problem(s): ${this.violations.map((v) => v.message).join("; ")}`
  }
}

const violation = (enrolmentId: EnrolmentId, rule: EnrolmentRule, other?: EnrolmentId): EnrolmentViolation =>
  new EnrolmentViolation(
    other === undefined
      ? { enrolmentId, field: enrolmentField[rule], rule }
      : { enrolmentId, field: enrolmentField[rule], rule, other }
  )

const overlaps = (a: Enrolment, b: Enrolment): boolean =>
  (a.until === undefined || b.since <= a.until) && (b.until === undefined || a.since <= b.until)

/**
 * 登记检查 — every problem of a batch of enrolments, in input order. With
 * `households`, enrolments of unknown households are reported too.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkEnrolments = (
  catalogue: Catalogue,
  enrolments: ReadonlyArray<Enrolment>,
  households?: Iterable<HouseholdId>
): ReadonlyArray<EnrolmentViolation> => {
  const known = households === undefined ? undefined : new Set(households)
  const out: Array<EnrolmentViolation> = []
  const seen = new Set<string>()
  const bySubject = new Map<string, Array<Enrolment>>()
  for (const e of enrolments) {
    if (seen.has(e.id)) {
      out.push(violation(e.id, "duplicate-id"))
      continue
    }
    seen.add(e.id)
    if (!catalogue.byId.has(e.categoryId)) out.push(violation(e.id, "unknown-category"))
    if (known !== undefined && !known.has(e.householdId)) out.push(violation(e.id, "unknown-household"))
    const inverted = e.until !== undefined && e.until < e.since
    if (inverted) out.push(violation(e.id, "until-before-since"))
    if (e.reason.trim().length === 0) out.push(violation(e.id, "reason-required"))
    // an inverted enrolment covers no day: it overlaps nothing
    if (inverted) continue
    const key = `${e.categoryId}|${e.householdId}|${e.residentId ?? ""}`
    const earlier = bySubject.get(key) ?? []
    const clash = earlier.find((o) => overlaps(o, e))
    if (clash !== undefined) out.push(violation(e.id, "overlap", clash.id))
    earlier.push(e)
    bySubject.set(key, earlier)
  }
  return out
}

/**
 * Like `checkEnrolments`, as an `Either`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateEnrolments = (
  catalogue: Catalogue,
  enrolments: ReadonlyArray<Enrolment>,
  households?: Iterable<HouseholdId>
): Either.Either<ReadonlyArray<Enrolment>, EnrolmentsInvalid> => {
  const [first, ...rest] = checkEnrolments(catalogue, enrolments, households)
  return first === undefined
    ? Either.right(enrolments)
    : Either.left(new EnrolmentsInvalid({ violations: [first, ...rest] }))
}
