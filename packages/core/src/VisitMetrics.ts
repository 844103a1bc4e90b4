/**
 * 联户走访指标 — the indicators of contact duties and home visits, as
 * `Ratio`s with numerator 分子 and denominator 分母 (a zero denominator is "no
 * data", rollups add counts and never average rates — DOMAIN §5):
 *
 * | indicator | 中文 | numerator / denominator |
 * | --- | --- | --- |
 * | visits | 走访人次 | visits in the period (a count; rolled up by `rollupVisits`) |
 * | `on-time-visit-rate` | 按期走访率 | visits due in the period made by their due date / visits due |
 * | `contact-coverage` | 联户覆盖率 | households with a contact / households |
 * | `households-per-contact` | 户均联系 | households linked (per contact, summed) / contacts — not a share: 16,470 / 340 ≈ 48.4 |
 * | `proxy-closure-rate` | 代办办结率 | services done / services accepted and not cancelled |
 * | `proactive-discovery-share` | 主动发现率 | cases from visits or patrols / all cases |
 *
 * Each function returns the ratio per unit (the unit a household lies in, a
 * service's community, a case's unit); `rollup` folds any of them up a
 * hierarchy so each unit holds its subtree's counts.
 *
 * **On time 按期.** A plan's visits are due one interval apart (`VisitPlan`):
 * a due date counts once, in the period it falls in, and is met when the
 * household was visited after the previous due date's visit (or the plan's
 * start) and no later than the due date; a missed due date is followed by the
 * next one an interval later. Due dates on or after `asOf` count only once met.
 * Plans a missing calendar year keeps from judging are left out and listed.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type * as ContactDuty from "./ContactDuty.js"
import * as Hierarchy from "./Hierarchy.js"
import { type Household, type HouseholdId, unitOf } from "./Household.js"
import * as Period from "./Period.js"
import type * as ProxyService from "./ProxyService.js"
import * as Ratio from "./Ratio.js"
import type { Unit, UnitId } from "./Unit.js"
import type { Visit } from "./Visit.js"
import * as VisitPlan from "./VisitPlan.js"
import type { LocalDate } from "./WorkingCalendar.js"
import * as WorkingCalendar from "./WorkingCalendar.js"

/**
 * 指标 — the ratio indicators of this module.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IndicatorId = Schema.Literal(
  "on-time-visit-rate",
  "contact-coverage",
  "households-per-contact",
  "proxy-closure-rate",
  "proactive-discovery-share"
).annotations({ identifier: "VisitIndicatorId", title: "联户走访指标 indicator" })

/**
 * @since 0.1.0
 * @category models
 */
export type IndicatorId = typeof IndicatorId.Type

/**
 * 指标名称 — Chinese and English names and whether the ratio is a share (numerator ≤ denominator).
 *
 * @since 0.1.0
 * @category constants
 */
export const definitions: Readonly<
  Record<IndicatorId, { readonly zh: string; readonly en: string; readonly share: boolean }>
> = {
  "on-time-visit-rate": { zh: "按期走访率", en: "on-time visit rate", share: true },
  "contact-coverage": { zh: "联户覆盖率", en: "contact coverage", share: true },
  "households-per-contact": { zh: "户均联系户数", en: "households per contact", share: false },
  "proxy-closure-rate": { zh: "代办办结率", en: "proxy-service closure rate", share: true },
  "proactive-discovery-share": { zh: "主动发现率", en: "proactive discovery share", share: true }
}

/**
 * 按单元 — a figure per unit.
 *
 * @since 0.1.0
 * @category models
 */
export type ByUnit<A> = ReadonlyMap<UnitId, A>

const bump = (
  map: Map<UnitId, Ratio.Ratio>,
  unitId: UnitId,
  numerator: number,
  denominator: number
): void => {
  const r = map.get(unitId) ?? Ratio.empty
  map.set(unitId, { numerator: r.numerator + numerator, denominator: r.denominator + denominator })
}

/**
 * 逐级汇总 — each unit's subtree total of a per-unit ratio (`Ratio.rollup`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const rollup = <U extends Unit>(
  hierarchy: Hierarchy.Hierarchy<U>,
  byUnit: ByUnit<Ratio.Ratio>
): Hierarchy.Totals<Ratio.Ratio> => Ratio.rollup(hierarchy, (u: U) => byUnit.get(u.id) ?? Ratio.empty)

/**
 * 合计 — the total of a per-unit ratio over every unit.
 *
 * @since 0.1.0
 * @category combinators
 */
export const total = (byUnit: ByUnit<Ratio.Ratio>): Ratio.Ratio => Ratio.sum(byUnit.values())

// -----------------------------------------------------------------------------
// visits 人次
// -----------------------------------------------------------------------------

/**
 * 走访人次 — the visits in a period per unit (the unit the household lies in);
 * visits of unknown households are counted under `unknown`.
 *
 * @since 0.1.0
 * @category visits
 */
export const visitCounts = (
  visits: Iterable<Visit>,
  households: ReadonlyArray<Household>,
  period: Period.Period
): { readonly byUnit: ByUnit<number>; readonly unknown: number } => {
  const unit = new Map<HouseholdId, UnitId>(households.map((h) => [h.id, unitOf(h)]))
  const byUnit = new Map<UnitId, number>()
  let unknown = 0
  for (const v of visits) {
    if (!Period.contains(period, v.at)) continue
    const u = unit.get(v.householdId)
    if (u === undefined) unknown++
    else byUnit.set(u, (byUnit.get(u) ?? 0) + 1)
  }
  return { byUnit, unknown }
}

/**
 * 走访人次汇总 — visit counts rolled up a hierarchy (`Hierarchy.rollupNumbers`).
 *
 * @since 0.1.0
 * @category visits
 */
export const rollupVisits = <U extends Unit>(
  hierarchy: Hierarchy.Hierarchy<U>,
  byUnit: ByUnit<number>
): Hierarchy.NumberTotals => Hierarchy.rollupNumbers(hierarchy, (u: U) => byUnit.get(u.id) ?? 0)

// -----------------------------------------------------------------------------
// on time 按期走访
// -----------------------------------------------------------------------------

/**
 * 计划按期情况 — one plan's due dates in the period: met and due.
 *
 * @since 0.1.0
 * @category models
 */
export interface PlanOnTime {
  readonly planId: VisitPlan.VisitPlanId
  readonly householdId: HouseholdId
  readonly ratio: Ratio.Ratio
  /** 应访日期 — every due date counted, with whether it was met. */
  readonly dues: ReadonlyArray<{ readonly dueOn: LocalDate; readonly met: boolean }>
}

/**
 * 单个计划的按期情况 — see the module doc. `visitDays` are the household's
 * visit dates (any order); dues from `from` to `to` (inclusive) count.
 *
 * @since 0.1.0
 * @category on-time
 */
export const planOnTime = (
  calendar: WorkingCalendar.WorkingCalendar,
  plan: VisitPlan.VisitPlan,
  visitDays: ReadonlyArray<LocalDate>,
  from: LocalDate,
  to: LocalDate,
  asOf?: LocalDate
): Either.Either<PlanOnTime, WorkingCalendar.YearNotLoaded> => {
  const days = [...visitDays].filter((d) => d >= plan.startsOn).sort()
  const last = plan.endsOn !== undefined && plan.endsOn < to ? plan.endsOn : to
  const dues: Array<{ readonly dueOn: LocalDate; readonly met: boolean }> = []
  let base = plan.startsOn
  let first = true
  let numerator = 0
  let denominator = 0
  // bounded: each step moves `base` forward by at least one day
  for (let guard = 0; guard < 100_000; guard++) {
    const due = VisitPlan.dueAfter(calendar, plan.every, base)
    if (Either.isLeft(due)) return Either.left(due.left)
    const dueOn = due.right
    if (dueOn > last) break
    const next = days.find((d) => (first ? d >= base : d > base))
    const met = next !== undefined && next <= dueOn
    if (!met && asOf !== undefined && dueOn >= asOf) break
    if (dueOn >= from) {
      dues.push({ dueOn, met })
      denominator++
      if (met) numerator++
    }
    base = met && next !== undefined ? next : dueOn
    first = false
  }
  return Either.right({
    planId: plan.id,
    householdId: plan.householdId,
    ratio: { numerator, denominator },
    dues
  })
}

/**
 * 按期走访率 — per unit (the household's), for the local dates of a period:
 * visits due in it made by their due date ÷ visits due. Plans of unknown
 * households, and plans a missing calendar year keeps from judging, are left
 * out and listed.
 *
 * @since 0.1.0
 * @category on-time
 */
export const onTimeRate = (
  calendar: WorkingCalendar.WorkingCalendar,
  plans: ReadonlyArray<VisitPlan.VisitPlan>,
  visits: Iterable<Visit>,
  households: ReadonlyArray<Household>,
  period: Period.Period,
  asOf?: LocalDate
): {
  readonly byUnit: ByUnit<Ratio.Ratio>
  readonly plans: ReadonlyArray<PlanOnTime>
  readonly unjudged: ReadonlyArray<VisitPlan.VisitPlanId>
} => {
  const unit = new Map<HouseholdId, UnitId>(households.map((h) => [h.id, unitOf(h)]))
  const days = new Map<HouseholdId, Array<LocalDate>>()
  for (const v of visits) {
    const list = days.get(v.householdId) ?? []
    list.push(WorkingCalendar.dateOf(calendar, v.at))
    days.set(v.householdId, list)
  }
  const from = period.firstDay
  const to = Period.lastDay(period)
  const byUnit = new Map<UnitId, Ratio.Ratio>()
  const results: Array<PlanOnTime> = []
  const unjudged: Array<VisitPlan.VisitPlanId> = []
  for (const plan of plans) {
    const u = unit.get(plan.householdId)
    const r = planOnTime(calendar, plan, days.get(plan.householdId) ?? [], from, to, asOf)
    if (u === undefined || Either.isLeft(r)) {
      unjudged.push(plan.id)
      continue
    }
    results.push(r.right)
    bump(byUnit, u, r.right.ratio.numerator, r.right.ratio.denominator)
  }
  return { byUnit, plans: results, unjudged }
}

// -----------------------------------------------------------------------------
// contacts 联户
// -----------------------------------------------------------------------------

/**
 * 联户覆盖率 — per unit (the household's): households with at least one
 * contact ÷ households.
 *
 * @since 0.1.0
 * @category contacts
 */
export const contactCoverage = (input: ContactDuty.Input, links: ContactDuty.Links): ByUnit<Ratio.Ratio> => {
  const byUnit = new Map<UnitId, Ratio.Ratio>()
  const seen = new Set<HouseholdId>()
  for (const h of input.households) {
    if (seen.has(h.id)) continue
    seen.add(h.id)
    bump(byUnit, unitOf(h), (links.byHousehold.get(h.id)?.size ?? 0) > 0 ? 1 : 0, 1)
  }
  return byUnit
}

/**
 * 户均联系户数 — per community (the contact's): the households its contacts
 * are linked to (summed over contacts) ÷ contacts. Seed 000: 16,470 / 340 ≈ 48.4.
 *
 * @since 0.1.0
 * @category contacts
 */
export const householdsPerContact = (
  input: ContactDuty.Input,
  links: ContactDuty.Links
): ByUnit<Ratio.Ratio> => {
  const byUnit = new Map<UnitId, Ratio.Ratio>()
  const seen = new Set<ContactDuty.ContactId>()
  for (const c of input.contacts) {
    if (seen.has(c.id)) continue
    seen.add(c.id)
    bump(byUnit, c.communityId, links.byContact.get(c.id)?.size ?? 0, 1)
  }
  return byUnit
}

// -----------------------------------------------------------------------------
// proxy services 代办 and proactive discovery 主动发现
// -----------------------------------------------------------------------------

/**
 * 代办办结率 — per community: services done ÷ services accepted and not cancelled.
 *
 * @since 0.1.0
 * @category proxy-services
 */
export const proxyClosure = (services: Iterable<ProxyService.ProxyService>): ByUnit<Ratio.Ratio> => {
  const byUnit = new Map<UnitId, Ratio.Ratio>()
  for (const s of services) {
    if (s.status === "cancelled") continue
    bump(byUnit, s.communityId, s.status === "done" ? 1 : 0, 1)
  }
  return byUnit
}

/**
 * 案件来源 — what the proactive-discovery share needs of a case (or a proxy
 * service): its unit, its source, and whether it came from a visit.
 *
 * @since 0.1.0
 * @category models
 */
export interface Origin {
  readonly unitId: UnitId
  /** 来源 — e.g. a `Case.Source` (`patrol`, `hotline` …) or a `ProxyService.Source`. */
  readonly source: string
  /** 走访发现 — opened from a visit's follow-up. */
  readonly fromVisit: boolean
}

/**
 * 主动发现来源 — whether a source counts as found by the workers themselves:
 * a patrol 巡查 (what a visit's case follow-up reports) or a visit 走访.
 *
 * @since 0.1.0
 * @category proactive
 */
export const isProactiveSource = (source: string): boolean => source === "patrol" || source === "visit"

/**
 * 主动发现率 — per unit: cases found on visits or patrols (巡查) ÷ all cases.
 *
 * @since 0.1.0
 * @category proactive
 */
export const proactiveShare = (origins: Iterable<Origin>): ByUnit<Ratio.Ratio> => {
  const byUnit = new Map<UnitId, Ratio.Ratio>()
  for (const o of origins) bump(byUnit, o.unitId, o.fromVisit || isProactiveSource(o.source) ? 1 : 0, 1)
  return byUnit
}

/**
 * 主动发现率（按来源计数） — the total proactive-discovery share from counts
 * by source (a store's grouped count, e.g. `CaseRepository.countBySource`):
 * the counts of proactive sources (`isProactiveSource`) ÷ all counts — what
 * `total(proactiveShare(…))` gives for the same cases when none is marked
 * `fromVisit` apart from its source.
 *
 * @since 0.1.0
 * @category proactive
 */
export const proactiveShareOfCounts = (
  counts: Iterable<{ readonly source: string; readonly count: number }>
): Ratio.Ratio => {
  let numerator = 0
  let denominator = 0
  for (const c of counts) {
    if (isProactiveSource(c.source)) numerator += c.count
    denominator += c.count
  }
  return Ratio.make(numerator, denominator)
}
