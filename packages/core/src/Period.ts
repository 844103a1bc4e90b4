/**
 * 考核周期 — assessment periods: day 日, week 周 (ISO 8601, Monday start),
 * month 月 and quarter 季度, in a fixed UTC offset (default +08:00, China
 * Standard Time; China keeps no daylight saving).
 *
 * Source: the assessment periods of governance practice (day / week / month /
 * quarter, with trends over periods), e.g. the Panlong district report, whose 鼓楼街道 "形成了日检查、周小结、月考核、季讲评的
 * 工作模式" — daily checks, weekly summaries, monthly assessment, quarterly
 * review.
 *
 * A period is plain data: its granularity, its first local date and the UTC
 * offset. It covers the half-open instant interval `[start, end)` — from local
 * midnight of its first day to local midnight after its last — so the periods
 * of one granularity tile the time line and every instant lies in exactly one.
 *
 * Labels: `2025-10-01`, `2025-W40` (ISO week-numbering year and week),
 * `2025-10`, `2025-Q3`; Chinese labels `2025年10月1日`, `2025年第40周`,
 * `2025年10月`, `2025年第3季度`. `parse` reads both back.
 *
 * `trend` turns a series of (period, ratio) into period-on-period changes of
 * the rate (环比), with "no data" wherever either rate is missing.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import type * as order from "effect/Order"
import * as Schema from "effect/Schema"
import * as Cal from "./internal/calendar.js"
import * as Ratio from "./Ratio.js"
import { LocalDate } from "./WorkingCalendar.js"

// ---------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------

/**
 * 周期粒度 — `day` 日, `week` 周 (ISO, Monday start), `month` 月,
 * `quarter` 季度.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Granularity = Schema.Literal("day", "week", "month", "quarter").annotations({
  identifier: "Granularity",
  title: "周期粒度 granularity",
  description: "day 日 | week 周 (ISO, Monday start) | month 月 | quarter 季度"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Granularity = typeof Granularity.Type

/**
 * Chinese names of the granularities (the Panlong district report: 日检查、周小结、月考核、季讲评).
 *
 * @since 0.1.0
 * @category constants
 */
export const granularityNames: Readonly<Record<Granularity, string>> = {
  day: "日",
  week: "周",
  month: "月",
  quarter: "季度"
}

/**
 * The granularities from finest to coarsest.
 *
 * @since 0.1.0
 * @category constants
 */
export const granularities: ReadonlyArray<Granularity> = ["day", "week", "month", "quarter"]

/**
 * The default UTC offset: +08:00 (China Standard Time), in minutes east of UTC.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUtcOffsetMinutes = 480

const isAligned = (granularity: Granularity, day: number): boolean => {
  if (Number.isNaN(day)) return false
  switch (granularity) {
    case "day":
      return true
    case "week":
      return Cal.isoWeekday(day) === 1
    case "month": {
      const date = new Date(day * Cal.DAY_MS)
      return date.getUTCDate() === 1
    }
    case "quarter": {
      const date = new Date(day * Cal.DAY_MS)
      return date.getUTCDate() === 1 && date.getUTCMonth() % 3 === 0
    }
  }
}

/**
 * 考核周期 — one period: its granularity, its first local date 起始日期 (a
 * Monday for weeks, the 1st of a month, the 1st of January, April, July or
 * October for quarters) and the UTC offset its local dates are in.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Period = Schema.Struct({
  granularity: Granularity,
  /** 起始日期 — the first local date of the period. */
  firstDay: LocalDate,
  /** 时区偏移 — minutes east of UTC (480 = +08:00), whole minutes in −12:00…+14:00. */
  utcOffsetMinutes: Schema.Int.pipe(Schema.between(-720, 840))
}).pipe(
  Schema.filter(
    (p) =>
      isAligned(p.granularity, Cal.dayFromIso(p.firstDay)) ||
      `起始日期不对齐 a ${p.granularity} period cannot start on ${p.firstDay} (weeks start on Monday, months on the 1st, quarters on 1 Jan/Apr/Jul/Oct)`
  ),
  Schema.annotations({ identifier: "Period", title: "考核周期 period" })
)

/**
 * @since 0.1.0
 * @category models
 */
export interface Period extends Schema.Schema.Type<typeof Period> {}

/**
 * Options for the UTC offset of local dates (default +08:00).
 *
 * @since 0.1.0
 * @category models
 */
export interface OffsetOptions {
  /** 时区偏移 — minutes east of UTC; default 480 (+08:00). */
  readonly utcOffsetMinutes?: number
}

// ---------------------------------------------------------------------------
// day arithmetic (absolute local day numbers, 1970-01-01 = 0)
// ---------------------------------------------------------------------------

const localDate = (day: number): LocalDate => LocalDate.make(Cal.isoFromDay(day), { disableValidation: true })

const civil = (day: number): { readonly year: number; readonly month: number; readonly date: number } => {
  const d = new Date(day * Cal.DAY_MS)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, date: d.getUTCDate() }
}

/** Monday of ISO week 1 of an ISO week-numbering year: the week holding 4 January. */
const isoWeekOneMonday = (year: number): number => {
  const jan4 = Cal.dayFromCivil(year, 1, 4)
  return jan4 - (Cal.isoWeekday(jan4) - 1)
}

const isoWeekOf = (day: number): { readonly year: number; readonly week: number } => {
  const monday = day - (Cal.isoWeekday(day) - 1)
  const year = civil(monday + 3).year // the year of the week's Thursday
  return { year, week: Math.floor((monday - isoWeekOneMonday(year)) / 7) + 1 }
}

/** Number of ISO weeks (52 or 53) in an ISO week-numbering year. */
const isoWeeksIn = (year: number): number => (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / 7

const alignDay = (granularity: Granularity, day: number): number => {
  switch (granularity) {
    case "day":
      return day
    case "week":
      return day - (Cal.isoWeekday(day) - 1)
    case "month": {
      const { year, month } = civil(day)
      return Cal.dayFromCivil(year, month, 1)
    }
    case "quarter": {
      const { year, month } = civil(day)
      return Cal.dayFromCivil(year, month - ((month - 1) % 3), 1)
    }
  }
}

const shiftDay = (granularity: Granularity, day: number, n: number): number => {
  switch (granularity) {
    case "day":
      return day + n
    case "week":
      return day + 7 * n
    case "month": {
      const { year, month } = civil(day)
      return Cal.dayFromCivil(year, month + n, 1)
    }
    case "quarter": {
      const { year, month } = civil(day)
      return Cal.dayFromCivil(year, month + 3 * n, 1)
    }
  }
}

const firstDayNumber = (p: Period): number => Cal.dayFromIso(p.firstDay)

const build = (granularity: Granularity, day: number, utcOffsetMinutes: number): Period => ({
  granularity,
  firstDay: localDate(day),
  utcOffsetMinutes
})

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * 所属周期 — the period of a granularity that contains an instant, in the
 * given UTC offset (default +08:00). 2025-09-30T16:00Z is 2025-10-01 00:00
 * in Beijing, so its day is `2025-10-01` and its quarter `2025-Q4`. Only the
 * instant counts: a zoned `DateTime`'s own zone is ignored.
 *
 * @since 0.1.0
 * @category constructors
 */
export const periodOf = (
  instant: DateTime.DateTime,
  granularity: Granularity,
  options?: OffsetOptions
): Period => {
  const offset = options?.utcOffsetMinutes ?? defaultUtcOffsetMinutes
  const day = Math.floor((DateTime.toEpochMillis(instant) + offset * Cal.MINUTE_MS) / Cal.DAY_MS)
  return build(granularity, alignDay(granularity, day), offset)
}

/**
 * The period of a granularity that contains a local date (`YYYY-MM-DD`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const ofDate = (date: LocalDate, granularity: Granularity, options?: OffsetOptions): Period =>
  build(
    granularity,
    alignDay(granularity, Cal.dayFromIso(date)),
    options?.utcOffsetMinutes ?? defaultUtcOffsetMinutes
  )

/**
 * 周期标签无效 — a label that is not a period label.
 *
 * @since 0.1.0
 * @category errors
 */
export class PeriodLabelInvalid extends Schema.TaggedError<PeriodLabelInvalid>()("PeriodLabelInvalid", {
  label: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `周期标签无效 invalid period label "${this.label}": ${this.reason}`
  }
}

/**
 * 周期不一致 — periods of different granularities or UTC offsets where one
 * kind was required.
 *
 * @since 0.1.0
 * @category errors
 */
export class PeriodMismatch extends Schema.TaggedError<PeriodMismatch>()("PeriodMismatch", {
  expected: Schema.String,
  found: Schema.String
}) {
  override get message(): string {
    return `周期不一致 period mismatch: expected ${this.expected} periods, found ${this.found}`
  }
}

const dayLabel = /^(\d{4})-(\d{2})-(\d{2})$/
const weekLabel = /^(\d{4})-W(\d{2})$/
const monthLabel = /^(\d{4})-(\d{2})$/
const quarterLabel = /^(\d{4})-Q(\d)$/
const dayLabelZh = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/
const weekLabelZh = /^(\d{4})年第(\d{1,2})周$/
const monthLabelZh = /^(\d{4})年(\d{1,2})月$/
const quarterLabelZh = /^(\d{4})年第(\d)季度$/

/**
 * 解析标签 — reads a period back from its label, ISO-style (`2025-10-01`,
 * `2025-W40`, `2025-10`, `2025-Q3`) or Chinese (`2025年10月1日`, `2025年第40周`,
 * `2025年10月`, `2025年第3季度`). Weeks are ISO weeks (a year has 52 or 53).
 *
 * @since 0.1.0
 * @category constructors
 */
export const parse = (label: string, options?: OffsetOptions): Either.Either<Period, PeriodLabelInvalid> => {
  const offset = options?.utcOffsetMinutes ?? defaultUtcOffsetMinutes
  const text = label.trim()
  const fail = (reason: string) => Either.left(new PeriodLabelInvalid({ label, reason }))
  const day = (y: number, m: number, d: number) => {
    const n = Cal.dayFromIso(
      `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`
    )
    return Number.isNaN(n) ? fail(`${y}-${m}-${d} is not a real date`) : Either.right(build("day", n, offset))
  }
  const week = (y: number, w: number) =>
    w >= 1 && w <= isoWeeksIn(y)
      ? Either.right(build("week", isoWeekOneMonday(y) + 7 * (w - 1), offset))
      : fail(`ISO year ${y} has weeks 1–${isoWeeksIn(y)}, not ${w}`)
  const month = (y: number, m: number) =>
    m >= 1 && m <= 12
      ? Either.right(build("month", Cal.dayFromCivil(y, m, 1), offset))
      : fail(`no month ${m}`)
  const quarter = (y: number, q: number) =>
    q >= 1 && q <= 4
      ? Either.right(build("quarter", Cal.dayFromCivil(y, 3 * q - 2, 1), offset))
      : fail(`no quarter ${q}`)
  const n = (match: RegExpExecArray, i: number): number => Number(match[i])
  let m = dayLabel.exec(text) ?? dayLabelZh.exec(text)
  if (m !== null) return day(n(m, 1), n(m, 2), n(m, 3))
  m = weekLabel.exec(text) ?? weekLabelZh.exec(text)
  if (m !== null) return week(n(m, 1), n(m, 2))
  m = monthLabel.exec(text) ?? monthLabelZh.exec(text)
  if (m !== null) return month(n(m, 1), n(m, 2))
  m = quarterLabel.exec(text) ?? quarterLabelZh.exec(text)
  if (m !== null) return quarter(n(m, 1), n(m, 2))
  return fail(
    "expected 2025-10-01, 2025-W40, 2025-10, 2025-Q3 or 2025年10月1日, 2025年第40周, 2025年10月, 2025年第3季度"
  )
}

// ---------------------------------------------------------------------------
// getters
// ---------------------------------------------------------------------------

/**
 * 起始时刻 — the first instant of the period: local midnight of its first day.
 *
 * @since 0.1.0
 * @category getters
 */
export const start = (p: Period): DateTime.Utc =>
  DateTime.unsafeMake(firstDayNumber(p) * Cal.DAY_MS - p.utcOffsetMinutes * Cal.MINUTE_MS)

/**
 * 结束时刻 — the end of the period, exclusive: the start of the next period
 * (local midnight after its last day). The period covers `[start, end)`.
 *
 * @since 0.1.0
 * @category getters
 */
export const end = (p: Period): DateTime.Utc =>
  DateTime.unsafeMake(
    shiftDay(p.granularity, firstDayNumber(p), 1) * Cal.DAY_MS - p.utcOffsetMinutes * Cal.MINUTE_MS
  )

/**
 * 截止日期 — the last local date of the period.
 *
 * @since 0.1.0
 * @category getters
 */
export const lastDay = (p: Period): LocalDate => localDate(shiftDay(p.granularity, firstDayNumber(p), 1) - 1)

/**
 * 天数 — the number of days in the period (1, 7, 28–31 or 90–92).
 *
 * @since 0.1.0
 * @category getters
 */
export const days = (p: Period): number => shiftDay(p.granularity, firstDayNumber(p), 1) - firstDayNumber(p)

/**
 * Whether an instant lies in the period (`start ≤ instant < end`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const contains: {
  (instant: DateTime.DateTime): (self: Period) => boolean
  (self: Period, instant: DateTime.DateTime): boolean
} = dual(2, (self: Period, instant: DateTime.DateTime): boolean => {
  const t = DateTime.toEpochMillis(instant)
  return DateTime.toEpochMillis(start(self)) <= t && t < DateTime.toEpochMillis(end(self))
})

/**
 * 周期标签 — `2025-10-01`, `2025-W40` (ISO week-numbering year), `2025-10` or
 * `2025-Q3`. Labels of one granularity sort in time order as strings.
 *
 * @since 0.1.0
 * @category getters
 */
export const label = (p: Period): string => {
  const day = firstDayNumber(p)
  const { year, month } = civil(day)
  const y = String(year).padStart(4, "0")
  switch (p.granularity) {
    case "day":
      return p.firstDay
    case "week": {
      const w = isoWeekOf(day)
      return `${String(w.year).padStart(4, "0")}-W${String(w.week).padStart(2, "0")}`
    }
    case "month":
      return `${y}-${String(month).padStart(2, "0")}`
    case "quarter":
      return `${y}-Q${(month + 2) / 3}`
  }
}

/**
 * 中文标签 — `2025年10月1日`, `2025年第40周`, `2025年10月` or `2025年第3季度`.
 *
 * @since 0.1.0
 * @category getters
 */
export const labelZh = (p: Period): string => {
  const day = firstDayNumber(p)
  const { year, month, date } = civil(day)
  switch (p.granularity) {
    case "day":
      return `${year}年${month}月${date}日`
    case "week": {
      const w = isoWeekOf(day)
      return `${w.year}年第${w.week}周`
    }
    case "month":
      return `${year}年${month}月`
    case "quarter":
      return `${year}年第${(month + 2) / 3}季度`
  }
}

// ---------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------

/**
 * 平移 — the period `n` steps later (earlier for negative `n`), same
 * granularity and offset.
 *
 * @since 0.1.0
 * @category combinators
 */
export const shift: {
  (n: number): (self: Period) => Period
  (self: Period, n: number): Period
} = dual(
  2,
  (self: Period, n: number): Period =>
    build(
      self.granularity,
      shiftDay(self.granularity, firstDayNumber(self), Math.trunc(n)),
      self.utcOffsetMinutes
    )
)

/**
 * 下一周期 — the following period.
 *
 * @since 0.1.0
 * @category combinators
 */
export const next = (p: Period): Period => shift(p, 1)

/**
 * 上一周期 — the preceding period.
 *
 * @since 0.1.0
 * @category combinators
 */
export const previous = (p: Period): Period => shift(p, -1)

/**
 * 周期序列 — every period of a granularity from the one containing `from` to
 * the one containing `to`, both included, in time order; empty when `to` is
 * before `from`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const range = (
  from: DateTime.DateTime,
  to: DateTime.DateTime,
  granularity: Granularity,
  options?: OffsetOptions
): ReadonlyArray<Period> => {
  if (DateTime.toEpochMillis(to) < DateTime.toEpochMillis(from)) return []
  return unsafeBetween(periodOf(from, granularity, options), periodOf(to, granularity, options))
}

const unsafeBetween = (from: Period, to: Period): Array<Period> => {
  const out: Array<Period> = []
  const last = firstDayNumber(to)
  for (let day = firstDayNumber(from); day <= last; day = shiftDay(from.granularity, day, 1)) {
    out.push(build(from.granularity, day, from.utcOffsetMinutes))
  }
  return out
}

const kindOf = (p: Period): string => `${p.granularity} (UTC${offsetText(p.utcOffsetMinutes)})`

const offsetText = (minutes: number): string => {
  const sign = minutes < 0 ? "−" : "+"
  const abs = Math.abs(minutes)
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`
}

/**
 * Every period from `from` to `to`, both included (empty when `to` is
 * earlier). Fails with `PeriodMismatch` when their granularities or offsets
 * differ.
 *
 * @since 0.1.0
 * @category constructors
 */
export const between = (from: Period, to: Period): Either.Either<ReadonlyArray<Period>, PeriodMismatch> =>
  from.granularity !== to.granularity || from.utcOffsetMinutes !== to.utcOffsetMinutes
    ? Either.left(new PeriodMismatch({ expected: kindOf(from), found: kindOf(to) }))
    : Either.right(unsafeBetween(from, to))

// ---------------------------------------------------------------------------
// instances
// ---------------------------------------------------------------------------

const granularityRank: Readonly<Record<Granularity, number>> = { day: 0, week: 1, month: 2, quarter: 3 }

/**
 * Orders periods by start instant, then by granularity (finer first).
 *
 * @since 0.1.0
 * @category instances
 */
export const Order: order.Order<Period> = (self, that) => {
  const a = DateTime.toEpochMillis(start(self))
  const b = DateTime.toEpochMillis(start(that))
  if (a !== b) return a < b ? -1 : 1
  const g = granularityRank[self.granularity] - granularityRank[that.granularity]
  return g < 0 ? -1 : g > 0 ? 1 : 0
}

/**
 * Whether two periods are the same (granularity, first day and offset).
 *
 * @since 0.1.0
 * @category predicates
 */
export const equals: {
  (that: Period): (self: Period) => boolean
  (self: Period, that: Period): boolean
} = dual(
  2,
  (self: Period, that: Period): boolean =>
    self.granularity === that.granularity &&
    self.firstDay === that.firstDay &&
    self.utcOffsetMinutes === that.utcOffsetMinutes
)

// ---------------------------------------------------------------------------
// trends
// ---------------------------------------------------------------------------

/**
 * 走向 — how a rate moved from the previous period: `up` 上升, `down` 下降,
 * `flat` 持平, or `no-data` 无数据 when either period has no data.
 *
 * @since 0.1.0
 * @category models
 */
export type Direction = "up" | "down" | "flat" | "no-data"

/**
 * 趋势点 — one period of a trend: its summed ratio and rate, and the change
 * from the previous period (环比) in rate units (0.012 = +1.2 percentage
 * points); none for the first period or when either rate is "no data".
 *
 * @since 0.1.0
 * @category models
 */
export interface TrendPoint {
  readonly period: Period
  readonly ratio: Ratio.Ratio
  readonly rate: Option.Option<number>
  readonly change: Option.Option<number>
  readonly direction: Direction
}

/**
 * 趋势 — period-on-period changes of a rate. The series is sorted by period;
 * entries for the same period are added (count-wise, never averaged); gaps
 * between the first and the last period are filled with "no data" so the
 * result has one point per consecutive period. Each point's `change` is its
 * rate minus the previous period's rate — none when either is no data.
 * Fails with `PeriodMismatch` when the periods differ in granularity or offset.
 *
 * @since 0.1.0
 * @category combinators
 */
export const trend = (
  series: Iterable<readonly [Period, Ratio.Ratio]>
): Either.Either<ReadonlyArray<TrendPoint>, PeriodMismatch> => {
  const entries = Array.from(series)
  const [head] = entries
  if (head === undefined) return Either.right([])
  const first = head[0]
  const byDay = new Map<number, Ratio.Ratio>()
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const [period, ratio] of entries) {
    if (period.granularity !== first.granularity || period.utcOffsetMinutes !== first.utcOffsetMinutes) {
      return Either.left(new PeriodMismatch({ expected: kindOf(first), found: kindOf(period) }))
    }
    const day = firstDayNumber(period)
    byDay.set(day, Ratio.add(byDay.get(day) ?? Ratio.empty, ratio))
    if (day < lo) lo = day
    if (day > hi) hi = day
  }
  const points: Array<TrendPoint> = []
  let prior: Ratio.Ratio | undefined
  for (let day = lo; day <= hi; day = shiftDay(first.granularity, day, 1)) {
    const ratio = byDay.get(day) ?? Ratio.empty
    const change = prior === undefined ? Option.none() : Ratio.difference(ratio, prior)
    const direction: Direction =
      prior === undefined || Ratio.isNoData(ratio) || Ratio.isNoData(prior)
        ? "no-data"
        : ((): Direction => {
            const c = Ratio.Order(ratio, prior)
            return c > 0 ? "up" : c < 0 ? "down" : "flat"
          })()
    points.push({
      period: build(first.granularity, day, first.utcOffsetMinutes),
      ratio,
      rate: Ratio.rate(ratio),
      change,
      direction
    })
    prior = ratio
  }
  return Either.right(points)
}
