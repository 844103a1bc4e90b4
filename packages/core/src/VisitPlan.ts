/**
 * 走访计划 — a visit plan: visit a household every so often (入户走访,
 * "定时跟进", seed 002), on the working calendar. A plan names the household,
 * optionally the contact who visits, the interval (`KeyGroup.VisitInterval`:
 * working days, natural days or months) and the dates it runs.
 *
 * **Due date 应访日期.** The next visit is due one interval after the last visit
 * (or, before the first, after the plan starts): `n` working days by
 * `WorkingCalendar.addWorkingDays` (the day itself not counted, 次日起算), `n`
 * natural days, or `n` months (the same day of the month, the month's last day
 * where it has fewer). A year whose schedule is not loaded is refused
 * (`YearNotLoaded`), never treated as weekdays.
 *
 * **Timer light 计时灯.** As for cases (`TimeLimit.colorOf`): the fraction of
 * the interval used — working days passed ÷ `n` on the working calendar,
 * natural days passed ÷ days of the interval otherwise — green below the
 * yellow threshold (80 %), yellow up to the due date, red past it (超期).
 *
 * `agenda` lists what is due on a date — "my visits due today" for a grid
 * worker, given that worker's plans.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { ContactId } from "./ContactDuty.js"
import { HouseholdId } from "./Household.js"
import * as Cal from "./internal/calendar.js"
import { Day } from "./internal/localDay.js"
import * as KeyGroup from "./KeyGroup.js"
import * as Text from "./Text.js"
import { colorOf, defaultThresholds, type LightColor, type Thresholds } from "./TimeLimit.js"
import type { LocalDate } from "./WorkingCalendar.js"
import * as WorkingCalendar from "./WorkingCalendar.js"

/**
 * 走访计划编号
 *
 * @since 0.1.0
 * @category schemas
 */
export const VisitPlanId = Text.Id.pipe(
  Schema.brand("VisitPlanId"),
  Schema.annotations({ identifier: "VisitPlanId", title: "走访计划编号 visit plan id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type VisitPlanId = typeof VisitPlanId.Type

/**
 * 走访计划 — visit `householdId` every `every`, from `startsOn` to `endsOn`
 * (inclusive; open when absent), by `contactId` where one is named.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VisitPlan = Schema.Struct({
  id: VisitPlanId,
  householdId: HouseholdId,
  contactId: Schema.optionalWith(ContactId, { exact: true }),
  every: KeyGroup.VisitInterval,
  startsOn: Day,
  endsOn: Schema.optionalWith(Day, { exact: true })
}).annotations({ identifier: "VisitPlan", title: "走访计划 visit plan" })

/**
 * @since 0.1.0
 * @category models
 */
export interface VisitPlan extends Schema.Schema.Type<typeof VisitPlan> {}

/**
 * Whether a plan runs on a date.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isInForce = (plan: VisitPlan, date: LocalDate): boolean =>
  plan.startsOn <= date && (plan.endsOn === undefined || date <= plan.endsOn)

/**
 * 有计划的户 — the households with a plan in force on a date (for
 * `ContactDuty.Input.plannedHouseholds`).
 *
 * @since 0.1.0
 * @category getters
 */
export const plannedHouseholds = (plans: Iterable<VisitPlan>, date: LocalDate): ReadonlySet<HouseholdId> => {
  const out = new Set<HouseholdId>()
  for (const plan of plans) if (isInForce(plan, date)) out.add(plan.householdId)
  return out
}

/**
 * 按重点人群生成计划 — the plan a household's key-group enrolments call for on
 * a date: the shortest interval of its enrolments in force
 * (`KeyGroup.intervalFor`), starting that date. None when it has none.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromEnrolments = (
  catalogue: KeyGroup.Catalogue,
  enrolments: Iterable<KeyGroup.Enrolment>,
  householdId: HouseholdId,
  id: VisitPlanId,
  date: LocalDate,
  contactId?: ContactId
): Option.Option<VisitPlan> =>
  Option.map(KeyGroup.intervalFor(catalogue, enrolments, householdId, date), (every) => ({
    id,
    householdId,
    every,
    startsOn: date,
    ...(contactId === undefined ? {} : { contactId })
  }))

const localDate = (day: number): LocalDate =>
  WorkingCalendar.LocalDate.make(Cal.isoFromDay(day), { disableValidation: true })

const addMonths = (date: LocalDate, months: number): LocalDate => {
  const [y, m, d] = date.split("-").map(Number)
  const total = (y ?? 0) * 12 + ((m ?? 1) - 1) + months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  const last = Cal.dayFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1
  return localDate(Math.min(Cal.dayFromCivil(year, month, d ?? 1), last))
}

/**
 * 应访日期 — the date a visit is due one interval after `from`.
 *
 * @since 0.1.0
 * @category getters
 */
export const dueAfter = (
  calendar: WorkingCalendar.WorkingCalendar,
  every: KeyGroup.VisitInterval,
  from: LocalDate
): Either.Either<LocalDate, WorkingCalendar.YearNotLoaded> => {
  switch (every.unit) {
    case "working-days":
      return WorkingCalendar.addWorkingDays(calendar, from, every.amount)
    case "natural-days":
      return Either.right(localDate(Cal.dayFromIso(from) + every.amount))
    case "months":
      return Either.right(addMonths(from, every.amount))
  }
}

/**
 * 走访状态 — where a plan stands on a date: the last visit (if any), the date
 * counted from, the due date, the light, the used fraction, and the natural
 * days past due (0 when not overdue).
 *
 * @since 0.1.0
 * @category models
 */
export interface VisitStatus {
  readonly planId: VisitPlanId
  readonly householdId: HouseholdId
  readonly contactId?: ContactId
  readonly lastVisitOn: LocalDate | null
  readonly countedFrom: LocalDate
  readonly dueOn: LocalDate
  readonly color: LightColor
  readonly fraction: number
  readonly overdue: boolean
  readonly daysOverdue: number
}

/**
 * 走访状态 — the status of a plan on `today`, given the date of its last visit
 * (`null` for none; a visit before the plan started counts from the start).
 *
 * @since 0.1.0
 * @category getters
 */
export const status = (
  calendar: WorkingCalendar.WorkingCalendar,
  plan: VisitPlan,
  lastVisitOn: LocalDate | null,
  today: LocalDate,
  thresholds: Thresholds = defaultThresholds
): Either.Either<VisitStatus, WorkingCalendar.YearNotLoaded> => {
  const countedFrom = lastVisitOn !== null && lastVisitOn >= plan.startsOn ? lastVisitOn : plan.startsOn
  return Either.flatMap(dueAfter(calendar, plan.every, countedFrom), (dueOn) => {
    const from = Cal.dayFromIso(countedFrom)
    const now = Cal.dayFromIso(today)
    const due = Cal.dayFromIso(dueOn)
    const used: Either.Either<number, WorkingCalendar.YearNotLoaded> =
      plan.every.unit === "working-days"
        ? now <= from
          ? Either.right(0)
          : Either.map(
              WorkingCalendar.workingDaysBetween(calendar, localDate(from + 1), today),
              (n) => n / plan.every.amount
            )
        : Either.right(Math.max(0, now - from) / Math.max(1, due - from))
    return Either.map(used, (fraction) => {
      const overdue = now > due
      const base = {
        planId: plan.id,
        householdId: plan.householdId,
        lastVisitOn,
        countedFrom,
        dueOn,
        color: overdue ? ("red" as const) : colorOf(Math.min(fraction, thresholds.red), thresholds),
        fraction,
        overdue,
        daysOverdue: overdue ? now - due : 0
      }
      return plan.contactId === undefined ? base : { ...base, contactId: plan.contactId }
    })
  })
}

/**
 * 待访清单 — the plans in force on `today` whose visit is due on or before it
 * (overdue first, then by due date and plan id), each with its status; plans a
 * missing calendar year keeps from judging are listed in `unjudged`, not
 * dropped. `lastVisits` maps a plan's household to its last visit date.
 *
 * @since 0.1.0
 * @category getters
 */
export const agenda = (
  calendar: WorkingCalendar.WorkingCalendar,
  plans: ReadonlyArray<VisitPlan>,
  lastVisits: ReadonlyMap<HouseholdId, LocalDate>,
  today: LocalDate,
  thresholds: Thresholds = defaultThresholds
): {
  readonly due: ReadonlyArray<VisitStatus>
  readonly unjudged: ReadonlyArray<{
    readonly planId: VisitPlanId
    readonly error: WorkingCalendar.YearNotLoaded
  }>
} => {
  const due: Array<VisitStatus> = []
  const unjudged: Array<{ readonly planId: VisitPlanId; readonly error: WorkingCalendar.YearNotLoaded }> = []
  for (const plan of plans) {
    if (!isInForce(plan, today)) continue
    const s = status(calendar, plan, lastVisits.get(plan.householdId) ?? null, today, thresholds)
    if (Either.isLeft(s)) unjudged.push({ planId: plan.id, error: s.left })
    else if (s.right.dueOn <= today) due.push(s.right)
  }
  due.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      a.dueOn.localeCompare(b.dueOn) ||
      a.planId.localeCompare(b.planId)
  )
  return { due, unjudged }
}

/**
 * 待访统计 — an agenda (`agenda`) as counts, for a jurisdiction's overview:
 * the plans due (`due`, all of them), those due on `today` itself and not
 * overdue (`dueToday`), the overdue ones, each light's count, and the plans a
 * missing calendar year keeps from judging. Counts only: no household, no
 * contact.
 *
 * @since 0.1.0
 * @category getters
 */
export interface AgendaCounts {
  readonly due: number
  readonly dueToday: number
  readonly overdue: number
  readonly green: number
  readonly yellow: number
  readonly red: number
  readonly unjudged: number
}

/**
 * 待访统计 — counts an agenda on `today` (see `AgendaCounts`).
 *
 * @since 0.1.0
 * @category getters
 */
export const agendaCounts = (
  result: { readonly due: ReadonlyArray<VisitStatus>; readonly unjudged: ReadonlyArray<unknown> },
  today: LocalDate
): AgendaCounts => {
  let dueToday = 0
  let overdue = 0
  let green = 0
  let yellow = 0
  let red = 0
  for (const s of result.due) {
    if (s.overdue) overdue += 1
    else if (s.dueOn === today) dueToday += 1
    if (s.color === "green") green += 1
    else if (s.color === "yellow") yellow += 1
    else red += 1
  }
  return { due: result.due.length, dueToday, overdue, green, yellow, red, unjudged: result.unjudged.length }
}
