/**
 * 工作日历 — the working calendar that case time limits run on (处置时限 in
 * 工作日 and 工作时): which days are working days and which instants of a
 * working day are working time.
 *
 * A calendar holds
 *
 * - **per-year schedules** (年度安排): the public holidays 法定节假日 and the
 *   make-up working days 调休上班日 (a Saturday or Sunday that is worked to
 *   bridge a holiday), as the State Council's General Office publishes them
 *   each year (国务院办公厅关于××年部分节假日安排的通知);
 * - the **weekly rest days** 周休日 (ISO weekdays, default Saturday 6 and Sunday 7);
 * - the **working periods** 作息时间 of a working day (default 08:30–12:00 and
 *   13:30–17:30, local practice — configuration), ordered and non-overlapping;
 * - a fixed **UTC offset** for wall-clock dates (default +08:00: China keeps no
 *   daylight saving time).
 *
 * `china()` ships the official schedules of every year the `chinese-days`
 * package embeds (`officialYears()`; 2004–2026 in chinese-days 1.5.7); load
 * other years, or local variants, with `withYear`. **A computation that touches
 * a year with no loaded schedule fails with `YearNotLoaded`** — it never falls
 * back to plain weekdays (a year's make-up working days cannot be guessed).
 *
 * **Working instants.** Working periods are closed intervals: 12:00 and 17:30
 * are working instants (the last instants of their periods), 12:00:00.001 is
 * not. A day is a working day when it is a make-up working day, or when it is
 * neither a holiday nor a weekly rest day.
 *
 * Durations on the calendar (working hours 工作时, working days 工作日) are in
 * `WorkDuration`; the time-limit policy and timer lights in `TimeLimit`.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Cal from "./internal/calendar.js"
import { officialSchedules as rawOfficialSchedules } from "./internal/calendarData.js"
import * as Text from "./Text.js"

// -----------------------------------------------------------------------------
// schemas
// -----------------------------------------------------------------------------

/**
 * 日期 — a local calendar date `YYYY-MM-DD` (a real Gregorian date), read in the
 * calendar's UTC offset.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocalDate = Schema.String.pipe(
  Schema.filter(
    (text) => !Number.isNaN(Cal.dayFromIso(text)) || `a date is YYYY-MM-DD and real (got "${text}")`
  ),
  Schema.brand("LocalDate"),
  Schema.annotations({ identifier: "LocalDate", title: "日期 local date" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type LocalDate = typeof LocalDate.Type

/**
 * 时刻 — a wall-clock time of day `HH:MM`, `00:00` to `24:00`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ClockTime = Schema.String.pipe(
  Schema.filter(
    (text) => !Number.isNaN(Cal.parseClock(text)) || `a time of day is HH:MM, 00:00–24:00 (got "${text}")`
  ),
  Schema.brand("ClockTime"),
  Schema.annotations({ identifier: "ClockTime", title: "时刻 clock time" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ClockTime = typeof ClockTime.Type

/**
 * 星期 — an ISO weekday: 1 = Monday 星期一 … 7 = Sunday 星期日.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Weekday = Schema.Int.pipe(
  Schema.between(1, 7),
  Schema.annotations({ identifier: "Weekday", title: "星期 ISO weekday (1 = Monday … 7 = Sunday)" })
)

/**
 * 作息时段 — one working period of a working day, `start` to `end` (both
 * working instants).
 *
 * @since 0.1.0
 * @category schemas
 */
export const WorkingPeriod = Schema.Struct({
  start: ClockTime,
  end: ClockTime
}).annotations({ identifier: "WorkingPeriod", title: "作息时段 working period" })

/**
 * @since 0.1.0
 * @category models
 */
export interface WorkingPeriod extends Schema.Schema.Type<typeof WorkingPeriod> {}

/**
 * 年度安排 — one year's schedule: its public holidays 法定节假日 and make-up
 * working days 调休上班日, optionally the festival name of each listed date and
 * where the schedule comes from.
 *
 * @since 0.1.0
 * @category schemas
 */
export const YearSchedule = Schema.Struct({
  year: Schema.Int,
  /** 法定节假日 — days off (festival days and the bridging days 调休放假). */
  holidays: Schema.Array(LocalDate),
  /** 调休上班日 — make-up working days (usually a Saturday or Sunday). */
  workdays: Schema.Array(LocalDate),
  /** 节日名称 — the festival each listed date belongs to, e.g. `{ "2025-10-01": "国庆节" }`. */
  names: Schema.optionalWith(Schema.Record({ key: LocalDate, value: Text.Name }), { exact: true }),
  /** 来源 — where the schedule comes from, e.g. `"chinese-days"` or a local notice. */
  source: Schema.optionalWith(Text.line(Text.limits.title), { exact: true })
}).annotations({ identifier: "YearSchedule", title: "年度安排 year schedule" })

/**
 * @since 0.1.0
 * @category models
 */
export interface YearSchedule extends Schema.Schema.Type<typeof YearSchedule> {}

/**
 * 日历规则 — the rules a calendar is checked against.
 *
 * @since 0.1.0
 * @category validation
 */
export const CalendarRule = Schema.Literal(
  "utc-offset",
  "rest-day",
  "duplicate-rest-day",
  "no-working-weekday",
  "no-periods",
  "period-time",
  "period-empty",
  "period-order",
  "period-overlap",
  "year-range",
  "duplicate-year",
  "date-format",
  "date-outside-year",
  "holiday-and-workday"
).annotations({ identifier: "CalendarRule", title: "日历规则 calendar rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type CalendarRule = typeof CalendarRule.Type

/**
 * 日历违规 — one violation: what it concerns (`subject`: a period, a year, a
 * date), the rule it breaks and a readable message.
 *
 * @since 0.1.0
 * @category validation
 */
export const CalendarViolation = Schema.Struct({
  subject: Schema.String,
  rule: CalendarRule,
  message: Schema.String
}).annotations({ identifier: "CalendarViolation", title: "日历违规 calendar violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CalendarViolation extends Schema.Schema.Type<typeof CalendarViolation> {}

/**
 * Years a schedule may be loaded for (the compiled calendar spans every day
 * from the first loaded year to the last).
 *
 * @since 0.1.0
 * @category constants
 */
export const yearRange = { min: 1900, max: 2999 } as const

/**
 * The unvalidated shape of a calendar (what `violations` checks).
 *
 * @since 0.1.0
 * @category models
 */
export interface CalendarInput {
  readonly utcOffsetMinutes: number
  readonly restDays: ReadonlyArray<number>
  readonly periods: ReadonlyArray<{ readonly start: string; readonly end: string }>
  readonly years: ReadonlyArray<{
    readonly year: number
    readonly holidays: ReadonlyArray<string>
    readonly workdays: ReadonlyArray<string>
  }>
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Every rule a calendar breaks (empty when valid), sorted by subject and rule:
 * a fixed UTC offset in −12:00…+14:00 (whole minutes); rest days are distinct
 * ISO weekdays and leave at least one working weekday; at least one working
 * period, each `HH:MM` with start before end, given in order and not
 * overlapping (touching is allowed); years in `yearRange`, each at most once;
 * every listed date real and inside its year; no date both a holiday and a
 * make-up working day (调休上班日与节假日冲突).
 *
 * @since 0.1.0
 * @category validation
 */
export const violations = (input: CalendarInput): Array<CalendarViolation> => {
  const out: Array<CalendarViolation> = []
  const add = (subject: string, rule: CalendarRule, message: string) => out.push({ subject, rule, message })
  const off = input.utcOffsetMinutes
  if (!Number.isInteger(off) || off < -720 || off > 840) {
    add(
      "utcOffsetMinutes",
      "utc-offset",
      `UTC offset ${off} min is not whole minutes in −720…840 (−12:00…+14:00)`
    )
  }
  const seenRest = new Set<number>()
  for (const d of input.restDays) {
    if (!Number.isInteger(d) || d < 1 || d > 7) {
      add(`restDays ${d}`, "rest-day", `rest day ${d} is not an ISO weekday 1 (Monday) … 7 (Sunday)`)
    } else if (seenRest.has(d)) {
      add(`restDays ${d}`, "duplicate-rest-day", `rest day ${d} is listed twice`)
    }
    seenRest.add(d)
  }
  if ([1, 2, 3, 4, 5, 6, 7].every((d) => seenRest.has(d))) {
    add(
      "restDays",
      "no-working-weekday",
      "every weekday is a rest day: the calendar has no ordinary working day"
    )
  }
  if (input.periods.length === 0)
    add("periods", "no-periods", "a working day needs at least one working period 作息时段")
  let prev: { readonly start: number; readonly end: number; readonly label: string } | undefined
  input.periods.forEach((p, i) => {
    const label = `periods[${i}] ${p.start}–${p.end}`
    const start = Cal.parseClock(p.start)
    const end = Cal.parseClock(p.end)
    if (Number.isNaN(start) || Number.isNaN(end)) {
      add(label, "period-time", `${label}: times are HH:MM within 00:00–24:00`)
      return
    }
    if (start >= end) add(label, "period-empty", `${label}: the start must be before the end`)
    if (prev !== undefined) {
      if (start < prev.start)
        add(label, "period-order", `${label}: periods must be listed in order (after ${prev.label})`)
      else if (start < prev.end) add(label, "period-overlap", `${label} overlaps ${prev.label}`)
    }
    prev = { start, end, label }
  })
  const seenYears = new Set<number>()
  for (const schedule of input.years) {
    const y = schedule.year
    const subject = `year ${y}`
    if (!Number.isInteger(y) || y < yearRange.min || y > yearRange.max) {
      add(
        subject,
        "year-range",
        `${subject}: a schedule year is an integer in ${yearRange.min}–${yearRange.max}`
      )
      continue
    }
    if (seenYears.has(y)) add(subject, "duplicate-year", `${subject}: the year has two schedules`)
    seenYears.add(y)
    const from = Cal.dayFromCivil(y, 1, 1)
    const to = Cal.dayFromCivil(y + 1, 1, 1)
    const holidays = new Set<string>()
    const check = (text: string, list: "holidays" | "workdays") => {
      const day = Cal.dayFromIso(text)
      if (Number.isNaN(day)) {
        add(
          `${text} (${subject} ${list})`,
          "date-format",
          `${subject} ${list}: "${text}" is not a real YYYY-MM-DD date`
        )
        return false
      }
      if (day < from || day >= to) {
        add(`${text} (${subject} ${list})`, "date-outside-year", `${subject} ${list}: ${text} is not in ${y}`)
        return false
      }
      return true
    }
    for (const text of schedule.holidays) if (check(text, "holidays")) holidays.add(text)
    const reported = new Set<string>()
    for (const text of schedule.workdays) {
      if (check(text, "workdays") && holidays.has(text) && !reported.has(text)) {
        reported.add(text)
        add(
          text,
          "holiday-and-workday",
          `${text} is listed both as a holiday 节假日 and as a make-up working day 调休上班日 (${subject})`
        )
      }
    }
  }
  return out.sort((a, b) => compareStrings(a.subject, b.subject) || compareStrings(a.rule, b.rule))
}

/**
 * 工作日历 — a working calendar: fixed UTC offset, weekly rest days, working
 * periods and the loaded year schedules (sorted by year). Decoding checks
 * every rule of `violations`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WorkingCalendar = Schema.Struct({
  /** 时区偏移 — minutes east of UTC (China: 480 = +08:00). */
  utcOffsetMinutes: Schema.Int,
  /** 周休日 — weekly rest days as ISO weekdays. */
  restDays: Schema.Array(Weekday),
  /** 作息时间 — the working periods of a working day, in order. */
  periods: Schema.NonEmptyArray(WorkingPeriod),
  /** 年度安排 — the loaded year schedules. */
  years: Schema.Array(YearSchedule)
}).pipe(
  Schema.filter((calendar) => violations(calendar).map((v) => v.message)),
  Schema.annotations({ identifier: "WorkingCalendar", title: "工作日历 working calendar" })
)

/**
 * @since 0.1.0
 * @category models
 */
export interface WorkingCalendar extends Schema.Schema.Type<typeof WorkingCalendar> {}

// -----------------------------------------------------------------------------
// errors
// -----------------------------------------------------------------------------

/**
 * 年度日历未加载 — a computation needed a day of a year whose schedule is not
 * loaded; it is refused rather than guessed from weekdays.
 *
 * @since 0.1.0
 * @category errors
 */
export class YearNotLoaded extends Schema.TaggedError<YearNotLoaded>()("YearNotLoaded", {
  year: Schema.Int
}) {
  override get message(): string {
    return `年度工作日历未加载: no holiday / make-up working day schedule is loaded for ${this.year}; load it with WorkingCalendar.withYear`
  }
}

/**
 * 日历无效 — a calendar that breaks rules, with every violation.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCalendar extends Schema.TaggedError<InvalidCalendar>()("InvalidCalendar", {
  violations: Schema.NonEmptyArray(CalendarViolation)
}) {
  override get message(): string {
    return `invalid working calendar (${this.violations.length} violation(s)): ${this.violations
      .map((v) => v.message)
      .join("; ")}`
  }
}

/**
 * The failures of a calendar query.
 *
 * @since 0.1.0
 * @category errors
 */
export type CalendarError = YearNotLoaded

const missing = (): YearNotLoaded => new YearNotLoaded({ year: Cal.missingYear() })

// -----------------------------------------------------------------------------
// constructors
// -----------------------------------------------------------------------------

const clock = (text: string): ClockTime => ClockTime.make(text, { disableValidation: true })
const localDate = (text: string): LocalDate => LocalDate.make(text, { disableValidation: true })

/**
 * The default working periods (local practice): 08:30–12:00 and 13:30–17:30,
 * 7.5 working hours a day.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPeriods: readonly [WorkingPeriod, ...Array<WorkingPeriod>] = [
  { start: clock("08:30"), end: clock("12:00") },
  { start: clock("13:30"), end: clock("17:30") }
]

/**
 * The default weekly rest days: Saturday 6 and Sunday 7.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRestDays: ReadonlyArray<number> = [6, 7]

/**
 * The default UTC offset: +08:00 (China Standard Time), in minutes.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUtcOffsetMinutes = 480

/**
 * Options of `make`; every field has a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface MakeOptions {
  readonly utcOffsetMinutes?: number
  readonly restDays?: ReadonlyArray<number>
  readonly periods?: ReadonlyArray<{ readonly start: string; readonly end: string }>
  readonly years?: ReadonlyArray<{
    readonly year: number
    readonly holidays: ReadonlyArray<string>
    readonly workdays: ReadonlyArray<string>
    readonly names?: Readonly<Record<string, string>>
    readonly source?: string
  }>
}

const normaliseYear = (schedule: NonNullable<MakeOptions["years"]>[number]): YearSchedule => {
  const base = {
    year: schedule.year,
    holidays: [...new Set(schedule.holidays)].sort().map(localDate),
    workdays: [...new Set(schedule.workdays)].sort().map(localDate)
  }
  const withNames = schedule.names === undefined ? base : { ...base, names: { ...schedule.names } }
  return schedule.source === undefined ? withNames : { ...withNames, source: schedule.source }
}

/**
 * Builds a calendar, checking every rule (`violations`); the defaults are
 * +08:00, Saturday/Sunday rest days, 08:30–12:00 and 13:30–17:30, and no
 * loaded year. Year schedules are sorted by year, their dates deduplicated
 * and sorted.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: MakeOptions = {}): Either.Either<WorkingCalendar, InvalidCalendar> => {
  const input = {
    utcOffsetMinutes: options.utcOffsetMinutes ?? defaultUtcOffsetMinutes,
    restDays: options.restDays ?? defaultRestDays,
    periods: options.periods ?? defaultPeriods,
    years: options.years ?? []
  }
  const found = violations(input)
  const [first, ...rest] = found
  if (first !== undefined) return Either.left(new InvalidCalendar({ violations: [first, ...rest] }))
  const [p0, ...ps] = input.periods.map((p) => ({ start: clock(p.start), end: clock(p.end) }))
  if (p0 === undefined) return Either.left(new InvalidCalendar({ violations: [noPeriods] }))
  return Either.right({
    utcOffsetMinutes: input.utcOffsetMinutes,
    restDays: [...input.restDays].sort((a, b) => a - b),
    periods: [p0, ...ps],
    years: input.years.map(normaliseYear).sort((a, b) => a.year - b.year)
  })
}

const noPeriods: CalendarViolation = {
  subject: "periods",
  rule: "no-periods",
  message: "a working day needs at least one working period 作息时段"
}

/**
 * A calendar with the default settings and no loaded year (every computation
 * on it fails with `YearNotLoaded`); load years with `withYear`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty: WorkingCalendar = {
  utcOffsetMinutes: defaultUtcOffsetMinutes,
  restDays: defaultRestDays,
  periods: defaultPeriods,
  years: []
}

let officialCache: ReadonlyArray<YearSchedule> | undefined

/**
 * 国家法定节假日安排 — the official schedules of every year the `chinese-days`
 * package embeds, with festival names (元旦, 春节, 清明, 劳动节, 端午, 中秋,
 * 国庆节 …); `source` is `"chinese-days"`. Read once and memoised.
 *
 * @since 0.1.0
 * @category constructors
 */
export const officialSchedules = (): ReadonlyArray<YearSchedule> => {
  if (officialCache === undefined) {
    officialCache = rawOfficialSchedules().map((raw) => normaliseYear({ ...raw, source: "chinese-days" }))
  }
  return officialCache
}

/**
 * The years with an official schedule (ascending; 2004–2026 with chinese-days 1.5.7).
 *
 * @since 0.1.0
 * @category getters
 */
export const officialYears = (): ReadonlyArray<number> => officialSchedules().map((s) => s.year)

let chinaCache: WorkingCalendar | undefined

/**
 * 中国工作日历 — the default settings (+08:00, Saturday/Sunday, 08:30–12:00 and
 * 13:30–17:30) with every official schedule loaded. The same object on every
 * call, so its compiled form is reused. For other periods or rest days use
 * `make({ …, years: officialSchedules() })` or `withPeriods`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const china = (): WorkingCalendar => {
  if (chinaCache === undefined) chinaCache = { ...empty, years: officialSchedules() }
  return chinaCache
}

/**
 * Loads (or replaces) one year's schedule — checked: every date real and in
 * that year, and none listed both as a holiday and as a make-up working day
 * (the error names each such date).
 *
 * @since 0.1.0
 * @category combinators
 */
export const withYear = (
  calendar: WorkingCalendar,
  year: number,
  schedule: {
    readonly holidays: ReadonlyArray<string>
    readonly workdays: ReadonlyArray<string>
    readonly names?: Readonly<Record<string, string>>
    readonly source?: string
  }
): Either.Either<WorkingCalendar, InvalidCalendar> =>
  make({
    utcOffsetMinutes: calendar.utcOffsetMinutes,
    restDays: calendar.restDays,
    periods: calendar.periods,
    years: [...calendar.years.filter((s) => s.year !== year), { ...schedule, year }]
  })

/**
 * Replaces the working periods (checked: `HH:MM`, ordered, non-overlapping).
 *
 * @since 0.1.0
 * @category combinators
 */
export const withPeriods = (
  calendar: WorkingCalendar,
  periods: ReadonlyArray<{ readonly start: string; readonly end: string }>
): Either.Either<WorkingCalendar, InvalidCalendar> =>
  make({
    utcOffsetMinutes: calendar.utcOffsetMinutes,
    restDays: calendar.restDays,
    periods,
    years: calendar.years
  })

// -----------------------------------------------------------------------------
// getters
// -----------------------------------------------------------------------------

/**
 * The years with a loaded schedule, ascending.
 *
 * @since 0.1.0
 * @category getters
 */
export const loadedYears = (calendar: WorkingCalendar): ReadonlyArray<number> =>
  calendar.years.map((s) => s.year).sort((a, b) => a - b)

/**
 * Working minutes in one working day (450 with the default periods).
 *
 * @since 0.1.0
 * @category getters
 */
export const workingMinutesPerDay = (calendar: WorkingCalendar): number =>
  Cal.compile(calendar).dayMs / Cal.MINUTE_MS

/**
 * The local date of an instant in the calendar's UTC offset.
 *
 * @since 0.1.0
 * @category getters
 */
export const dateOf = (calendar: WorkingCalendar, instant: DateTime.Utc): LocalDate =>
  localDate(
    Cal.isoFromDay(Math.floor((instant.epochMillis + calendar.utcOffsetMinutes * Cal.MINUTE_MS) / Cal.DAY_MS))
  )

/**
 * The instant of a local wall-clock time on a date, in the calendar's UTC offset.
 *
 * @since 0.1.0
 * @category getters
 */
export const at = (calendar: WorkingCalendar, date: LocalDate, time: ClockTime): DateTime.Utc =>
  DateTime.unsafeMake(
    Cal.dayFromIso(date) * Cal.DAY_MS +
      Cal.parseClock(time) * Cal.MINUTE_MS -
      calendar.utcOffsetMinutes * Cal.MINUTE_MS
  )

/**
 * 下班时间 — the end of the last working period on a date (17:30 by default):
 * the deadline of a limit "by the end of that working day".
 *
 * @since 0.1.0
 * @category getters
 */
export const closingTime = (calendar: WorkingCalendar, date: LocalDate): DateTime.Utc => {
  const last = calendar.periods[calendar.periods.length - 1] ?? calendar.periods[0]
  return at(calendar, date, last.end)
}

// -----------------------------------------------------------------------------
// queries
// -----------------------------------------------------------------------------

/**
 * The kind of a day: `workday` 工作日, `restDay` 周休日, `holiday` 法定节假日
 * (or its bridging days), `makeUpWorkday` 调休上班日.
 *
 * @since 0.1.0
 * @category models
 */
export type DayKind = "workday" | "restDay" | "holiday" | "makeUpWorkday"

/**
 * 日历日 — what the calendar says about a date.
 *
 * @since 0.1.0
 * @category models
 */
export interface DayInfo {
  readonly date: LocalDate
  readonly kind: DayKind
  readonly working: boolean
  /** 节日名称 — the festival, for holidays and make-up working days whose schedule names it. */
  readonly name?: string
}

const kinds: Record<number, DayKind> = {
  [Cal.KIND_WORKDAY]: "workday",
  [Cal.KIND_REST_DAY]: "restDay",
  [Cal.KIND_HOLIDAY]: "holiday",
  [Cal.KIND_MAKEUP_WORKDAY]: "makeUpWorkday"
}

/**
 * Describes a date: its kind, whether it is a working day, and its festival
 * name where the schedule has one. Fails if the date's year is not loaded.
 *
 * @since 0.1.0
 * @category getters
 */
export const describeDay = (
  calendar: WorkingCalendar,
  date: LocalDate
): Either.Either<DayInfo, CalendarError> => {
  const index = Cal.compile(calendar)
  const day = Cal.dayFromIso(date)
  const kind = kinds[Cal.kindOf(index, day)]
  if (kind === undefined) return Either.left(new YearNotLoaded({ year: Cal.yearOfDay(day) }))
  const working = kind === "workday" || kind === "makeUpWorkday"
  const name =
    kind === "holiday" || kind === "makeUpWorkday"
      ? calendar.years.find((s) => s.year === Cal.yearOfDay(day))?.names?.[date]
      : undefined
  return Either.right(name === undefined ? { date, kind, working } : { date, kind, working, name })
}

/**
 * 是否工作日 — whether a date is a working day (a make-up working day, or
 * neither a holiday nor a weekly rest day).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isWorkingDay = (
  calendar: WorkingCalendar,
  date: LocalDate
): Either.Either<boolean, CalendarError> => {
  const index = Cal.compile(calendar)
  const day = Cal.dayFromIso(date)
  const kind = Cal.kindOf(index, day)
  if (kind === Cal.KIND_NOT_LOADED) return Either.left(new YearNotLoaded({ year: Cal.yearOfDay(day) }))
  return Either.right(kind === Cal.KIND_WORKDAY || kind === Cal.KIND_MAKEUP_WORKDAY)
}

/**
 * 是否工作时间 — whether an instant is working time: on a working day and
 * inside a working period, both ends included.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isWorkingInstant = (
  calendar: WorkingCalendar,
  instant: DateTime.Utc
): Either.Either<boolean, CalendarError> => {
  const r = Cal.isWorkingInstant(Cal.compile(calendar), instant.epochMillis)
  return Number.isNaN(r) ? Either.left(missing()) : Either.right(r === 1)
}

/**
 * 下一工作时刻 — the instant itself if it is working time, else the start of
 * the next working period (on this or a later working day).
 *
 * @since 0.1.0
 * @category getters
 */
export const nextWorkingInstant = (
  calendar: WorkingCalendar,
  instant: DateTime.Utc
): Either.Either<DateTime.Utc, CalendarError> => {
  const t = Cal.nextWorking(Cal.compile(calendar), instant.epochMillis)
  return Number.isNaN(t) ? Either.left(missing()) : Either.right(DateTime.unsafeMake(t))
}

/**
 * 工作日数 — the number of working days among the dates `from` … `to`, both
 * included (0 when `to` is before `from`).
 *
 * @since 0.1.0
 * @category getters
 */
export const workingDaysBetween = (
  calendar: WorkingCalendar,
  from: LocalDate,
  to: LocalDate
): Either.Either<number, CalendarError> => {
  const n = Cal.workingDaysIn(Cal.compile(calendar), Cal.dayFromIso(from), Cal.dayFromIso(to))
  return Number.isNaN(n) ? Either.left(missing()) : Either.right(n)
}

/**
 * 第 n 个工作日 — the `n`-th working day after `date` (`n ≥ 1`; the date itself
 * is not counted: 次日起算); for `n = 0`, `date` if it is a working day, else
 * the next one. With `closingTime` this gives the "by the end of the n-th
 * working day" convention of 《民法典》第二百零一条.
 *
 * @since 0.1.0
 * @category combinators
 */
export const addWorkingDays = (
  calendar: WorkingCalendar,
  date: LocalDate,
  n: number
): Either.Either<LocalDate, CalendarError> => {
  const day = Cal.addWorkingDays(Cal.compile(calendar), Cal.dayFromIso(date), Math.max(0, Math.floor(n)))
  return Number.isNaN(day) ? Either.left(missing()) : Either.right(localDate(Cal.isoFromDay(day)))
}

// -----------------------------------------------------------------------------
// loaded years
// -----------------------------------------------------------------------------

/**
 * 中国工作日历（含导入年度） — `china()` with the years an operator loaded
 * (from a schedule file, `ScheduleFile`, kept in a `CalendarRepository`): the
 * shipped official schedules, and each loaded year beside them — a loaded
 * year replaces the shipped schedule of the same year. Checked like `make`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const chinaWith = (
  loaded: ReadonlyArray<YearSchedule>
): Either.Either<WorkingCalendar, InvalidCalendar> => {
  if (loaded.length === 0) return Either.right(china())
  const replaced = new Set(loaded.map((s) => s.year))
  return make({ years: [...officialSchedules().filter((s) => !replaced.has(s.year)), ...loaded] })
}

/**
 * 日历覆盖 — how far the calendar reaches from a date: `lastDay`, the last
 * day of the run of consecutive loaded years that holds the date (`undefined`
 * when the date's own year is not loaded), `daysLeft` from the date to it (0
 * on the last day itself, −1 when there is none), and `warning` when fewer
 * than `warningDays` + 1 days are left — time to load next year's schedule.
 *
 * @since 0.1.0
 * @category models
 */
export interface Coverage {
  readonly lastDay: LocalDate | undefined
  readonly daysLeft: number
  readonly warning: boolean
}

/**
 * Days before the last loaded day from which `coverage` warns (60).
 *
 * @since 0.1.0
 * @category constants
 */
export const warningDays = 60

/**
 * How far the calendar reaches from `today` (see `Coverage`): warns from
 * `days` (default `warningDays`, 60) days before the last loaded day, and
 * when today's year is not loaded at all.
 *
 * @since 0.1.0
 * @category getters
 */
export const coverage = (
  calendar: WorkingCalendar,
  today: LocalDate,
  days: number = warningDays
): Coverage => {
  const day = Cal.dayFromIso(today)
  const loaded = new Set(calendar.years.map((s) => s.year))
  let year = Cal.yearOfDay(day)
  if (!loaded.has(year)) return { lastDay: undefined, daysLeft: -1, warning: true }
  while (loaded.has(year + 1)) year++
  const last = Cal.dayFromCivil(year, 12, 31)
  const daysLeft = last - day
  return { lastDay: localDate(Cal.isoFromDay(last)), daysLeft, warning: daysLeft <= days }
}

/**
 * The warning line for a calendar about to run out (or already out), Chinese
 * first; `undefined` when `coverage` does not warn.
 *
 * @since 0.1.0
 * @category getters
 */
export const coverageWarning = (found: Coverage, today: LocalDate): string | undefined => {
  if (!found.warning) return undefined
  return found.lastDay === undefined
    ? `工作日历未加载本年度: no holiday schedule is loaded for ${today.slice(0, 4)} — working-time deadlines fail with YearNotLoaded; import the State Council's schedule (civicgrid calendar import <year.json|csv>)`
    : `工作日历即将到期: the holiday schedules end on ${found.lastDay} (${found.daysLeft} day(s) left) — import next year's official schedule before then (civicgrid calendar import <year.json|csv>), or deadlines past it fail with YearNotLoaded`
}
