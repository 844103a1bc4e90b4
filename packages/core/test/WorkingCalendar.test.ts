import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const { ClockTime, LocalDate } = WorkingCalendar
const cal = WorkingCalendar.china()
const d = (text: string) => LocalDate.make(text)
const t = (date: string, time: string) => WorkingCalendar.at(cal, d(date), ClockTime.make(time))
const plus = (instant: DateTime.Utc, ms: number) => DateTime.unsafeMake(instant.epochMillis + ms)
const iso = (instant: DateTime.Utc) => DateTime.formatIso(instant)

const right = <A, E>(e: Either.Either<A, E>): A =>
  Either.getOrThrowWith(e, (err) => new Error(`expected Right, got ${JSON.stringify(err)}`))
const left = <A, E>(e: Either.Either<A, E>): E =>
  Either.getOrThrowWith(Either.flip(e), (a) => new Error(`expected Left, got ${JSON.stringify(a)}`))

const kindOf = (date: string) => right(WorkingCalendar.describeDay(cal, d(date)))

/** chinese-days' own static export, built by its author: the reference the runtime extraction must match. */
const publishedJson = () => {
  const require = createRequire(import.meta.url)
  const raw: unknown = JSON.parse(
    readFileSync(require.resolve("chinese-days/dist/chinese-days.json"), "utf8")
  )
  return Schema.decodeUnknownSync(
    Schema.Struct({
      holidays: Schema.Record({ key: Schema.String, value: Schema.String }),
      workdays: Schema.Record({ key: Schema.String, value: Schema.String })
    })
  )(raw)
}

describe("WorkingCalendar — official schedules (chinese-days)", () => {
  it("ships every year chinese-days covers, 2004–2026, contiguous", () => {
    const years = WorkingCalendar.officialYears()
    expect(years[0]).toBe(2004)
    expect(years[years.length - 1]).toBe(2026)
    expect(years).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i))
    expect(WorkingCalendar.loadedYears(cal)).toEqual(years)
  })

  it("数据一致: the holidays and make-up workdays equal chinese-days' published JSON, in any process time zone", () => {
    const json = publishedJson()
    const holidays = WorkingCalendar.officialSchedules().flatMap((s) => s.holidays)
    const workdays = WorkingCalendar.officialSchedules().flatMap((s) => s.workdays)
    expect(holidays).toEqual(Object.keys(json.holidays).sort())
    expect(workdays).toEqual(Object.keys(json.workdays).sort())
  })

  it("2025 国庆节+中秋节: Oct 1–8 off, Sunday Sep 28 and Saturday Oct 11 are make-up working days", () => {
    for (const date of [
      "2025-10-01",
      "2025-10-02",
      "2025-10-03",
      "2025-10-04",
      "2025-10-05",
      "2025-10-07",
      "2025-10-08"
    ]) {
      expect(kindOf(date)).toEqual({ date, kind: "holiday", working: false, name: "国庆节" })
    }
    expect(kindOf("2025-10-06")).toEqual({
      date: "2025-10-06",
      kind: "holiday",
      working: false,
      name: "中秋"
    })
    expect(kindOf("2025-09-28")).toEqual({
      date: "2025-09-28",
      kind: "makeUpWorkday",
      working: true,
      name: "国庆节"
    })
    expect(kindOf("2025-10-11")).toEqual({
      date: "2025-10-11",
      kind: "makeUpWorkday",
      working: true,
      name: "国庆节"
    })
    expect(kindOf("2025-09-27")).toEqual({ date: "2025-09-27", kind: "restDay", working: false })
    expect(kindOf("2025-10-09")).toEqual({ date: "2025-10-09", kind: "workday", working: true })
    expect(kindOf("2025-10-12")).toEqual({ date: "2025-10-12", kind: "restDay", working: false })
  })

  it("2025 春节: Jan 28 – Feb 4 off; Sunday Jan 26 and Saturday Feb 8 are make-up working days", () => {
    for (let day = 28; day <= 31; day++) expect(kindOf(`2025-01-${day}`).kind).toBe("holiday")
    for (let day = 1; day <= 4; day++) expect(kindOf(`2025-02-0${day}`).kind).toBe("holiday")
    expect(kindOf("2025-01-28").name).toBe("春节")
    expect(kindOf("2025-01-26").kind).toBe("makeUpWorkday")
    expect(kindOf("2025-02-08").kind).toBe("makeUpWorkday")
    expect(kindOf("2025-02-05").kind).toBe("workday")
    expect(right(WorkingCalendar.workingDaysBetween(cal, d("2025-01-25"), d("2025-02-09")))).toBe(
      // Jan 26 (Sun, make-up), Jan 27, Feb 5, 6, 7, Feb 8 (Sat, make-up)
      6
    )
  })

  it("2025 National Day week: six working days between Sep 28 and Oct 12 inclusive", () => {
    expect(right(WorkingCalendar.workingDaysBetween(cal, d("2025-09-28"), d("2025-10-12")))).toBe(6)
    expect(right(WorkingCalendar.workingDaysBetween(cal, d("2025-10-01"), d("2025-10-08")))).toBe(0)
    expect(right(WorkingCalendar.workingDaysBetween(cal, d("2025-10-08"), d("2025-10-01")))).toBe(0)
  })
})

describe("WorkingCalendar — working instants", () => {
  it("作息时间 closed periods: 08:30, 12:00 and 17:30 are working instants; a millisecond later at noon or 17:30 is not", () => {
    const w = (date: string, time: string, ms = 0) =>
      right(WorkingCalendar.isWorkingInstant(cal, plus(t(date, time), ms)))
    expect(w("2025-10-09", "08:30")).toBe(true)
    expect(w("2025-10-09", "08:29", 59_999)).toBe(false)
    expect(w("2025-10-09", "12:00")).toBe(true)
    expect(w("2025-10-09", "12:00", 1)).toBe(false)
    expect(w("2025-10-09", "13:29")).toBe(false)
    expect(w("2025-10-09", "13:30")).toBe(true)
    expect(w("2025-10-09", "17:30")).toBe(true)
    expect(w("2025-10-09", "17:30", 1)).toBe(false)
    expect(w("2025-10-08", "10:00")).toBe(false)
    expect(w("2025-09-28", "10:00")).toBe(true)
  })

  it("下一工作时刻: lunch → 13:30; evening before the holiday → 08:30 on Oct 9; a working instant → itself", () => {
    const next = (instant: DateTime.Utc) => iso(right(WorkingCalendar.nextWorkingInstant(cal, instant)))
    expect(next(t("2025-10-09", "12:30"))).toBe(iso(t("2025-10-09", "13:30")))
    expect(next(t("2025-09-30", "18:00"))).toBe(iso(t("2025-10-09", "08:30")))
    expect(next(t("2025-10-03", "11:00"))).toBe(iso(t("2025-10-09", "08:30")))
    expect(next(t("2025-10-09", "12:00"))).toBe(iso(t("2025-10-09", "12:00")))
    expect(next(t("2025-10-10", "18:00"))).toBe(iso(t("2025-10-11", "08:30")))
  })

  it("dates are read in the calendar's UTC offset (+08:00)", () => {
    expect(WorkingCalendar.dateOf(cal, DateTime.unsafeMake("2025-09-30T16:30:00Z"))).toBe("2025-10-01")
    expect(WorkingCalendar.dateOf(cal, DateTime.unsafeMake("2025-09-30T15:59:59.999Z"))).toBe("2025-09-30")
    expect(iso(t("2025-10-09", "08:30"))).toBe("2025-10-09T00:30:00.000Z")
    expect(iso(WorkingCalendar.closingTime(cal, d("2025-10-09")))).toBe("2025-10-09T09:30:00.000Z")
  })

  it("第 n 个工作日 (次日起算): one working day after Sep 30, 2025 is Oct 9; n = 0 on a holiday is the next working day", () => {
    expect(right(WorkingCalendar.addWorkingDays(cal, d("2025-09-30"), 1))).toBe("2025-10-09")
    expect(right(WorkingCalendar.addWorkingDays(cal, d("2025-10-01"), 0))).toBe("2025-10-09")
    expect(right(WorkingCalendar.addWorkingDays(cal, d("2025-10-09"), 0))).toBe("2025-10-09")
    expect(right(WorkingCalendar.addWorkingDays(cal, d("2025-10-10"), 1))).toBe("2025-10-11")
  })

  it("默认作息: 450 working minutes a day; configurable periods change it", () => {
    expect(WorkingCalendar.workingMinutesPerDay(cal)).toBe(450)
    const nineToFive = right(WorkingCalendar.withPeriods(cal, [{ start: "09:00", end: "17:00" }]))
    expect(WorkingCalendar.workingMinutesPerDay(nineToFive)).toBe(480)
    expect(right(WorkingCalendar.isWorkingInstant(nineToFive, t("2025-10-09", "12:30")))).toBe(true)
  })
})

describe("WorkingCalendar — years that are not loaded", () => {
  const unloadedYear = fc.oneof(fc.integer({ min: 1950, max: 2003 }), fc.integer({ min: 2027, max: 2200 }))

  it.prop(
    "未加载年度: any query on a day of an unloaded year fails with YearNotLoaded naming that year",
    [unloadedYear, fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: 86_399_999 })],
    ([year, dayOfYear, msOfDay]) => {
      const midnight = Date.UTC(year, 0, 1 + dayOfYear) - 8 * 3_600_000
      const instant = DateTime.unsafeMake(midnight + msOfDay)
      const date = WorkingCalendar.dateOf(cal, instant)
      expect(left(WorkingCalendar.isWorkingInstant(cal, instant))).toEqual(
        new WorkingCalendar.YearNotLoaded({ year })
      )
      expect(left(WorkingCalendar.nextWorkingInstant(cal, instant)).year).toBe(year)
      expect(left(WorkingCalendar.isWorkingDay(cal, date)).year).toBe(year)
      expect(left(WorkingCalendar.describeDay(cal, date)).year).toBe(year)
    }
  )

  it("never falls back to weekdays: the last evening of 2026 has no next working instant without 2027", () => {
    const err = left(WorkingCalendar.nextWorkingInstant(cal, t("2026-12-31", "18:00")))
    expect(err._tag).toBe("YearNotLoaded")
    expect(err.year).toBe(2027)
    expect(err.message).toContain("2027")
    expect(left(WorkingCalendar.workingDaysBetween(cal, d("2026-12-01"), d("2027-01-10"))).year).toBe(2027)
    expect(left(WorkingCalendar.addWorkingDays(cal, d("2026-12-31"), 1)).year).toBe(2027)
  })

  it("a gap between loaded years is refused, naming the missing year", () => {
    const y2025 = WorkingCalendar.officialSchedules().filter((s) => s.year === 2025)
    const gappy = right(
      WorkingCalendar.withYear(right(WorkingCalendar.make({ years: y2025 })), 2027, {
        holidays: [],
        workdays: []
      })
    )
    expect(WorkingCalendar.loadedYears(gappy)).toEqual([2025, 2027])
    expect(left(WorkingCalendar.workingDaysBetween(gappy, d("2025-12-01"), d("2027-01-10"))).year).toBe(2026)
    expect(right(WorkingCalendar.isWorkingDay(gappy, d("2027-01-04")))).toBe(true)
  })

  it("an empty calendar refuses every working-time query", () => {
    expect(left(WorkingCalendar.isWorkingDay(WorkingCalendar.empty, d("2025-10-09"))).year).toBe(2025)
  })
})

describe("WorkingCalendar — loading and validation", () => {
  it("withYear loads a local schedule: 2027 with its own holidays and a make-up Saturday", () => {
    const next = right(
      WorkingCalendar.withYear(cal, 2027, {
        holidays: ["2027-01-01", "2027-02-05"],
        workdays: ["2027-02-06"],
        names: { "2027-01-01": "元旦" },
        source: "local notice"
      })
    )
    expect(WorkingCalendar.loadedYears(next)).toContain(2027)
    expect(right(WorkingCalendar.describeDay(next, d("2027-01-01")))).toEqual({
      date: "2027-01-01",
      kind: "holiday",
      working: false,
      name: "元旦"
    })
    expect(right(WorkingCalendar.isWorkingDay(next, d("2027-02-06")))).toBe(true)
    expect(right(WorkingCalendar.isWorkingDay(next, d("2027-02-05")))).toBe(false)
    expect(iso(right(WorkingCalendar.nextWorkingInstant(next, t("2026-12-31", "18:00"))))).toBe(
      iso(t("2027-01-04", "08:30"))
    )
  })

  it("调休冲突: a date listed both as a holiday and a make-up working day is refused, naming it — with every other violation", () => {
    const err = left(
      WorkingCalendar.withYear(cal, 2027, {
        holidays: ["2027-10-01", "2027-10-02", "2027-13-01", "2026-12-31"],
        workdays: ["2027-10-02", "2027-10-01"]
      })
    )
    expect(err._tag).toBe("InvalidCalendar")
    expect(err.violations.map((v) => [v.subject, v.rule])).toEqual([
      ["2026-12-31 (year 2027 holidays)", "date-outside-year"],
      ["2027-10-01", "holiday-and-workday"],
      ["2027-10-02", "holiday-and-workday"],
      ["2027-13-01 (year 2027 holidays)", "date-format"]
    ])
    expect(err.message).toContain("2027-10-02")
  })

  it("作息时段校验: periods must be HH:MM, non-empty, ordered and non-overlapping — every violation reported", () => {
    const err = left(
      WorkingCalendar.make({
        periods: [
          { start: "08:30", end: "12:00" },
          { start: "11:00", end: "13:00" },
          { start: "10:00", end: "10:30" },
          { start: "15:00", end: "15:00" },
          { start: "25:00", end: "26:00" }
        ],
        restDays: [6, 6, 8],
        utcOffsetMinutes: 480.5
      })
    )
    expect(err.violations.map((v) => v.rule).sort()).toEqual([
      "duplicate-rest-day",
      "period-empty",
      "period-order",
      "period-overlap",
      "period-time",
      "rest-day",
      "utc-offset"
    ])
    expect(left(WorkingCalendar.make({ periods: [] })).violations.map((v) => v.rule)).toEqual(["no-periods"])
    expect(
      left(WorkingCalendar.make({ restDays: [1, 2, 3, 4, 5, 6, 7] })).violations.map((v) => v.rule)
    ).toEqual(["no-working-weekday"])
  })

  it("touching periods are allowed (08:00–12:00, 12:00–16:00)", () => {
    const touching = WorkingCalendar.make({
      periods: [
        { start: "08:00", end: "12:00" },
        { start: "12:00", end: "16:00" }
      ]
    })
    expect(Either.isRight(touching)).toBe(true)
  })

  it("the schema round-trips the China calendar and rejects a conflicting schedule", () => {
    const encoded = Schema.encodeSync(WorkingCalendar.WorkingCalendar)(cal)
    const decoded = Schema.decodeUnknownSync(WorkingCalendar.WorkingCalendar)(
      JSON.parse(JSON.stringify(encoded))
    )
    expect(decoded).toEqual(cal)
    const bad = { ...encoded, years: [{ year: 2030, holidays: ["2030-01-01"], workdays: ["2030-01-01"] }] }
    expect(Either.isLeft(Schema.decodeUnknownEither(WorkingCalendar.WorkingCalendar)(bad))).toBe(true)
  })

  it.prop(
    "a weekday (Mon–Fri) is a working day unless it is a listed holiday; a weekend day only if it is a make-up day",
    [fc.integer({ min: 0, max: 23 * 365 })],
    ([offset]) => {
      const date = d(new Date(Date.UTC(2004, 0, 1 + offset)).toISOString().slice(0, 10))
      const info = right(WorkingCalendar.describeDay(cal, date))
      const schedule = WorkingCalendar.officialSchedules().find((s) => s.year === Number(date.slice(0, 4)))
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
      const weekend = weekday === 0 || weekday === 6
      const holiday = schedule?.holidays.includes(date) ?? false
      const makeUp = schedule?.workdays.includes(date) ?? false
      expect(info.working).toBe(makeUp || (!weekend && !holiday))
    }
  )
})
