/**
 * 年度日历仓库 — the SQL store of loaded year schedules, on SQLite and
 * PostgreSQL: a year round-trips exactly (dates, names, source), a later load
 * of the same year replaces it, a bad write stores nothing, and the calendar
 * read from the store is the shipped calendar plus the stored years (the
 * shipped one alone on a database not yet migrated).
 */
import * as CalendarRepository from "@civicgrid/core/CalendarRepository"
import * as ScheduleFile from "@civicgrid/core/ScheduleFile"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as SqlClient from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Migrations from "../src/Migrations.js"
import * as SqlCalendarRepository from "../src/SqlCalendarRepository.js"
import { type Dialect, dialects } from "./support/Databases.js"

const d = (text: string) => WorkingCalendar.LocalDate.make(text)

const env = (dialect: Dialect) =>
  SqlCalendarRepository.layer.pipe(
    Layer.provideMerge(Layer.effectDiscard(Migrations.run.pipe(Effect.orDie))),
    Layer.provideMerge(dialect.fresh()),
    Layer.orDie
  )

/** A synthetic 2027 (a test fixture, NOT the State Council's schedule). */
const synthetic2027: WorkingCalendar.YearSchedule = {
  year: 2027,
  holidays: [d("2027-01-01")],
  workdays: [d("2027-01-09")],
  names: { [d("2027-01-01")]: "元旦", [d("2027-01-09")]: "元旦" },
  source: "synthetic test fixture — not an official notice"
}

const official2025 = WorkingCalendar.officialSchedules().find(
  (s) => s.year === 2025
) as WorkingCalendar.YearSchedule

/** A year schedule with random holidays and make-up weekend days (as a file would load). */
const randomYear = fc.integer({ min: 2030, max: 2090 }).chain((year) =>
  fc.array(fc.integer({ min: 0, max: 364 }), { maxLength: 30 }).map((offsets) => {
    const dates = [...new Set(offsets)].map((o) => new Date(Date.UTC(year, 0, 1 + o)))
    const holidays = dates.filter((x) => x.getUTCDay() % 6 !== 0 || x.getUTCDate() % 2 === 0)
    const workdays = dates.filter((x) => !holidays.includes(x))
    const iso = (x: Date) => d(x.toISOString().slice(0, 10))
    return ScheduleFile.toYearSchedule(
      ScheduleFile.fromYearSchedule({ year, holidays: holidays.map(iso), workdays: workdays.map(iso) })
    )
  })
)

for (const dialect of dialects) {
  layer(env(dialect), { timeout: "60 seconds" })(`SqlCalendarRepository on ${dialect.name}`, (it) => {
    it.effect(
      "往返: a loaded year reads back exactly (dates, names, source); years come back ascending",
      () =>
        Effect.gen(function* () {
          const repository = yield* CalendarRepository.CalendarRepository
          yield* repository.put([synthetic2027, official2025])
          const stored = yield* repository.list
          expect(stored.map((s) => s.schedule)).toEqual([official2025, synthetic2027])
          const again = yield* repository.list
          expect(again.map((s) => s.loadedAt.epochMillis)).toEqual(stored.map((s) => s.loadedAt.epochMillis))
        })
    )

    it.effect("往返（生成）: generated schedules round-trip through the store", () =>
      Effect.gen(function* () {
        const repository = yield* CalendarRepository.CalendarRepository
        for (const schedule of fc.sample(randomYear, { numRuns: 15, seed: 15 })) {
          yield* repository.put([schedule])
          const stored = (yield* repository.list).find((s) => s.schedule.year === schedule.year)
          expect(stored?.schedule).toEqual(schedule)
        }
      })
    )

    it.effect(
      "替换与拒绝: a later load replaces the year; an invalid write (one bad year among good) stores nothing",
      () =>
        Effect.gen(function* () {
          const repository = yield* CalendarRepository.CalendarRepository
          yield* repository.put([synthetic2027])
          const corrected = { ...synthetic2027, holidays: [d("2027-01-01"), d("2027-01-04")] }
          yield* repository.put([corrected])
          const refused = yield* Effect.flip(
            repository.put([
              { year: 2028, holidays: [d("2028-01-03")], workdays: [] },
              { year: 2029, holidays: [d("2029-01-01")], workdays: [d("2029-01-01")] }
            ])
          )
          expect(refused._tag).toBe("InvalidCalendar")
          const stored = yield* repository.list
          expect(stored.map((s) => s.schedule.year)).not.toContain(2028)
          expect(stored.find((s) => s.schedule.year === 2027)?.schedule).toEqual(corrected)
        })
    )

    it.effect("读取日历: the store's calendar is the shipped years plus the stored ones", () =>
      Effect.gen(function* () {
        const repository = yield* CalendarRepository.CalendarRepository
        yield* repository.put([synthetic2027])
        const calendar = yield* SqlCalendarRepository.calendar
        expect(WorkingCalendar.isWorkingDay(calendar, d("2027-01-09"))).toEqual(Either.right(true))
        expect(WorkingCalendar.isWorkingDay(calendar, d("2026-10-01"))).toEqual(Either.right(false))
        expect(WorkingCalendar.coverage(calendar, d("2026-12-06")).lastDay).toBe("2027-12-31")
      })
    )
  })

  layer(dialect.fresh(), { timeout: "60 seconds" })(
    `SqlCalendarRepository.calendar unmigrated, ${dialect.name}`,
    (it) => {
      it.effect("未迁移: a database below migration 0013 has no loaded years — the shipped calendar", () =>
        Effect.gen(function* () {
          expect(yield* SqlCalendarRepository.calendar).toBe(WorkingCalendar.china())
          const sql = yield* SqlClient.SqlClient
          yield* Effect.orDie(Migrations.run)
          yield* sql`SELECT year FROM cg_calendar_years`
        }).pipe(Effect.orDie)
      )
    }
  )
}
