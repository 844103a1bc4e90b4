import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Either from "effect/Either"

const { LocalDate } = WorkingCalendar

// 中国工作日历 — +08:00, Saturday and Sunday off, 08:30–12:00 and 13:30–17:30, and every official
// holiday schedule the `chinese-days` package embeds (国务院办公厅 notices, with 调休 make-up days).
export const china = WorkingCalendar.china()
export const years = WorkingCalendar.officialYears() // → [2004, 2005, …, 2026] with chinese-days 1.5.7

// National Day 2025: 1–8 October off; Sunday 28 September and Saturday 11 October are worked (调休).
export const nationalDay = WorkingCalendar.describeDay(china, LocalDate.make("2025-10-01"))
// → Right({ date: "2025-10-01", kind: "holiday", working: false, name: "国庆节" })
export const makeUpSaturday = WorkingCalendar.describeDay(china, LocalDate.make("2025-10-11"))
// → Right({ date: "2025-10-11", kind: "makeUpWorkday", working: true, name: "国庆节" })
export const octoberWorkingDays = WorkingCalendar.workingDaysBetween(
  china,
  LocalDate.make("2025-10-01"),
  LocalDate.make("2025-10-31")
) // → Right(18): 23 weekdays, less 6 holiday weekdays, plus the make-up Saturday

// A year whose schedule is not loaded is refused, never guessed from weekdays:
export const nextYear = WorkingCalendar.isWorkingDay(china, LocalDate.make("2027-01-04"))
// → Left(YearNotLoaded { year: 2027 })

// When the State Council publishes the notice for 2027, load it with `withYear` — checked: every date real
// and in that year, none both a holiday and a make-up day. (The dates here are placeholders.)
export const with2027 = WorkingCalendar.withYear(china, 2027, {
  holidays: ["2027-01-01", "2027-01-02", "2027-01-03"],
  workdays: [],
  names: { "2027-01-01": "元旦" },
  source: "placeholder — copy the dates of 国务院办公厅关于2027年部分节假日安排的通知"
})
export const nextYearLoaded = Either.flatMap(with2027, (calendar) =>
  WorkingCalendar.isWorkingDay(calendar, LocalDate.make("2027-01-04"))
) // → Right(true): a Monday

// Working periods are local practice: a summer timetable, say.
export const summer = WorkingCalendar.withPeriods(china, [
  { start: "08:00", end: "12:00" },
  { start: "14:30", end: "18:00" }
])
export const summerMinutes = Either.map(summer, WorkingCalendar.workingMinutesPerDay) // → Right(450)

// Mistakes are reported together, each with its rule:
export const broken = WorkingCalendar.withYear(china, 2027, {
  holidays: ["2027-02-30"],
  workdays: ["2026-12-31"]
})
// → Left(InvalidCalendar) with rules "date-format" (2027-02-30) and "date-outside-year" (2026-12-31)
