/**
 * 时限时长 — a duration a case time limit is expressed in (处置时限, as
 * CJJ/T 106 and GB/T 30428 time each step of the loop): working hours 工作时, working days 工作日, natural hours
 * 小时 or natural days 自然日; and the arithmetic on a `WorkingCalendar`.
 *
 * **Two clocks.** Working units run on the *working clock*: it advances only
 * at working instants of the calendar (working periods of working days; the
 * periods are closed intervals). Natural units run on the *natural clock*:
 * every millisecond counts, holidays and nights included, and the calendar's
 * schedule is not consulted (so natural units never fail with `YearNotLoaded`).
 *
 * **Conventions** (local practice of 数字城管 / 12345 platforms, where a
 * case's clock runs in working hours only):
 *
 * - **Start at a non-working instant** (evening, lunch break, weekend,
 *   holiday): non-working time counts nothing, so counting begins at the next
 *   working instant. A report at 20:00 Friday with 2 working hours is due at
 *   10:30 Monday (or the next working day).
 * - **One working day = one working day's working time**: `n` working days =
 *   `n ×` the calendar's working minutes per day (450 with 08:30–12:00 and
 *   13:30–17:30), counted from the start instant like working hours. A report
 *   at 15:00 Friday with 1 working day is due at 15:00 on the next working day
 *   (Monday); one made on a holiday or before 08:30 is due at 17:30 on the
 *   first working day. (The other convention, "by the end of the n-th working
 *   day after the day of receipt" of 《民法典》第二百零一条, is
 *   `WorkingCalendar.addWorkingDays` + `WorkingCalendar.closingTime`.)
 * - **Boundaries**: a deadline is the *earliest* instant at which the working
 *   time is used up. When that happens exactly at the end of a period the
 *   deadline is that instant — 12:00, not 13:30; 17:30, not 08:30 next day —
 *   and it is a working instant by the closed-interval definition. A deadline
 *   on the working clock is therefore always a working instant; a limit of 0
 *   ends at the next working instant.
 * - **Suspension 挂账** stops the clock: time inside a suspension interval does
 *   not count (intervals are merged first, so overlaps count once). An open
 *   suspension (`to: null`) runs until the end of the measured span.
 * - **Natural days** are 24-hour days from the start instant (a natural-day
 *   deadline may fall on a holiday).
 *
 * Durations convert to milliseconds of their clock with `toMillis` (fractional
 * amounts are rounded to the millisecond).
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Instant from "./Instant.js"
import * as Cal from "./internal/calendar.js"
import * as Clock from "./internal/calendarClock.js"
import { type CalendarError, type WorkingCalendar, YearNotLoaded } from "./WorkingCalendar.js"

/**
 * 时限单位 — the unit of a duration: `working-hours` 工作时, `working-days`
 * 工作日, `natural-hours` 小时, `natural-days` 自然日. (The first three match the
 * case decider's `ExtensionUnit` spelling.)
 *
 * @since 0.1.0
 * @category schemas
 */
export const DurationUnit = Schema.Literal(
  "working-hours",
  "working-days",
  "natural-hours",
  "natural-days"
).annotations({
  identifier: "DurationUnit",
  title: "时限单位 duration unit",
  description: "working-hours 工作时 | working-days 工作日 | natural-hours 小时 | natural-days 自然日"
})

/**
 * @since 0.1.0
 * @category models
 */
export type DurationUnit = typeof DurationUnit.Type

/**
 * Chinese names of the units.
 *
 * @since 0.1.0
 * @category constants
 */
export const unitNames: Readonly<Record<DurationUnit, string>> = {
  "working-hours": "工作时",
  "working-days": "工作日",
  "natural-hours": "小时",
  "natural-days": "自然日"
}

/**
 * 时限时长 — an amount (≥ 0, finite; fractions allowed) of a unit, e.g. 3 working days.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WorkDuration = Schema.Struct({
  amount: Schema.Number.pipe(Schema.finite(), Schema.nonNegative()),
  unit: DurationUnit
}).annotations({ identifier: "WorkDuration", title: "时限时长 work duration" })

/**
 * @since 0.1.0
 * @category models
 */
export interface WorkDuration extends Schema.Schema.Type<typeof WorkDuration> {}

/**
 * 挂账区间 — a suspension: the clock stops from `from` to `to` (`null` while
 * still suspended). Structurally the same as the case decider's
 * `SuspensionInterval`, so its intervals can be passed as they are.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Suspension = Schema.Struct({
  from: Instant.DateTimeUtc,
  to: Schema.NullOr(Instant.DateTimeUtc)
}).annotations({ identifier: "Suspension", title: "挂账区间 suspension" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Suspension extends Schema.Schema.Type<typeof Suspension> {}

/**
 * Builds a duration (amounts below 0 or not finite are clamped to 0; decode
 * untrusted input with the `WorkDuration` schema instead).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (amount: number, unit: DurationUnit): WorkDuration => ({
  amount: Number.isFinite(amount) && amount > 0 ? amount : 0,
  unit
})

/**
 * `n` working hours 工作时.
 *
 * @since 0.1.0
 * @category constructors
 */
export const workingHours = (n: number): WorkDuration => make(n, "working-hours")

/**
 * `n` working days 工作日 (each one working day's working time).
 *
 * @since 0.1.0
 * @category constructors
 */
export const workingDays = (n: number): WorkDuration => make(n, "working-days")

/**
 * `n` natural hours 小时.
 *
 * @since 0.1.0
 * @category constructors
 */
export const naturalHours = (n: number): WorkDuration => make(n, "natural-hours")

/**
 * `n` natural days 自然日 (24 hours each).
 *
 * @since 0.1.0
 * @category constructors
 */
export const naturalDays = (n: number): WorkDuration => make(n, "natural-days")

/**
 * Whether a unit runs on the working clock.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isWorkingUnit = (unit: DurationUnit): boolean =>
  unit === "working-hours" || unit === "working-days"

/**
 * Milliseconds of its own clock in one unit: an hour, the calendar's working
 * day (7.5 h by default) or a natural day.
 *
 * @since 0.1.0
 * @category getters
 */
export const unitMillis = (calendar: WorkingCalendar, unit: DurationUnit): number => {
  switch (unit) {
    case "working-hours":
    case "natural-hours":
      return Cal.HOUR_MS
    case "working-days":
      return Cal.compile(calendar).dayMs
    case "natural-days":
      return Cal.DAY_MS
  }
}

/**
 * A duration in milliseconds of its clock (rounded to the millisecond).
 *
 * @since 0.1.0
 * @category getters
 */
export const toMillis = (calendar: WorkingCalendar, duration: WorkDuration): number =>
  Math.round(duration.amount * unitMillis(calendar, duration.unit))

/**
 * Milliseconds of a unit's clock as an amount of that unit.
 *
 * @since 0.1.0
 * @category getters
 */
export const fromMillis = (calendar: WorkingCalendar, millis: number, unit: DurationUnit): number =>
  millis / unitMillis(calendar, unit)

/**
 * Reads a duration in Chinese, e.g. `3个工作日`, `2工作时`, `5个自然日`, `24小时`.
 *
 * @since 0.1.0
 * @category utils
 */
export const format = (duration: WorkDuration): string => {
  const n = `${duration.amount}`
  switch (duration.unit) {
    case "working-hours":
      return `${n}工作时`
    case "working-days":
      return `${n}个工作日`
    case "natural-hours":
      return `${n}小时`
    case "natural-days":
      return `${n}个自然日`
  }
}

const missing = (): CalendarError => new YearNotLoaded({ year: Cal.missingYear() })

/**
 * 时限到期时刻 — `start` plus a duration: the earliest instant at which the
 * duration's clock, started at `start`, has run `duration` (see the module
 * conventions). On the working clock the result is always a working instant.
 * Fails with `YearNotLoaded` when a day on the way lies in a year with no
 * loaded schedule.
 *
 * @since 0.1.0
 * @category combinators
 */
export const addDuration = (
  calendar: WorkingCalendar,
  start: DateTime.Utc,
  duration: WorkDuration
): Either.Either<DateTime.Utc, CalendarError> => {
  const t = Clock.addOn(
    Clock.clockIndex(calendar, duration.unit),
    start.epochMillis,
    toMillis(calendar, duration)
  )
  return Number.isNaN(t) ? Either.left(missing()) : Either.right(DateTime.unsafeMake(t))
}

/**
 * 已用时长 — time on the unit's clock from `start` to `end`, in that unit,
 * not counting suspended stretches; negative when `end` is before `start`.
 * Additive: `elapsed(a, b) + elapsed(b, c) = elapsed(a, c)`. Fails with
 * `YearNotLoaded` when a day between the two lies in a year with no loaded
 * schedule (working units only).
 *
 * @since 0.1.0
 * @category getters
 */
export const elapsed = (
  calendar: WorkingCalendar,
  start: DateTime.Utc,
  end: DateTime.Utc,
  unit: DurationUnit,
  suspensions: ReadonlyArray<Suspension> = []
): Either.Either<number, CalendarError> => {
  const a = start.epochMillis
  const b = end.epochMillis
  const ms = Clock.activeBetween(
    Clock.clockIndex(calendar, unit),
    a,
    b,
    Clock.mergeSuspensions(suspensions, Math.max(a, b))
  )
  return Number.isNaN(ms) ? Either.left(missing()) : Either.right(fromMillis(calendar, ms, unit))
}
