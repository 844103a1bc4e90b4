import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as WorkDuration from "../src/WorkDuration.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const cal = WorkingCalendar.china()
const d = (text: string) => WorkingCalendar.LocalDate.make(text)
const t = (date: string, time: string) =>
  WorkingCalendar.at(cal, d(date), WorkingCalendar.ClockTime.make(time))
const ms = (instant: DateTime.Utc) => instant.epochMillis
const at = (millis: number) => DateTime.unsafeMake(millis)
const iso = (instant: DateTime.Utc) => DateTime.formatIso(instant)

const right = <A, E>(e: Either.Either<A, E>): A =>
  Either.getOrThrowWith(e, (err) => new Error(`expected Right, got ${JSON.stringify(err)}`))
const left = <A, E>(e: Either.Either<A, E>): E =>
  Either.getOrThrowWith(Either.flip(e), (a) => new Error(`expected Left, got ${JSON.stringify(a)}`))

const add = (start: DateTime.Utc, duration: WorkDuration.WorkDuration) =>
  right(WorkDuration.addDuration(cal, start, duration))
const elapsed = (
  start: DateTime.Utc,
  end: DateTime.Utc,
  unit: WorkDuration.DurationUnit,
  suspensions: ReadonlyArray<WorkDuration.Suspension> = []
) => right(WorkDuration.elapsed(cal, start, end, unit, suspensions))

const MINUTE = 60_000
const HOUR = 3_600_000

/** Instants from 2004-01-01 to 2026-10-01 (+08:00), leaving room to add up to a few weeks inside the loaded years. */
const startArb = fc
  .integer({ min: Date.UTC(2004, 0, 1) - 8 * HOUR, max: Date.UTC(2026, 9, 1) - 8 * HOUR })
  .map(at)
/** Working durations as whole minutes, up to 20 working days (450 min each), in hours or days. */
const workingArb = fc
  .tuple(
    fc.integer({ min: 0, max: 20 * 450 }),
    fc.constantFrom("working-hours" as const, "working-days" as const)
  )
  .map(([minutes, unit]) => WorkDuration.make(unit === "working-hours" ? minutes / 60 : minutes / 450, unit))

describe("WorkDuration — examples on the 2025 calendar", () => {
  it("周五下午: a Friday 15:00 report with a 1-working-day limit is due Monday 15:00", () => {
    expect(iso(add(t("2025-09-19", "15:00"), WorkDuration.workingDays(1)))).toBe(
      iso(t("2025-09-22", "15:00"))
    )
    expect(elapsed(t("2025-09-19", "15:00"), t("2025-09-22", "15:00"), "working-days")).toBe(1)
    expect(elapsed(t("2025-09-19", "15:00"), t("2025-09-22", "15:00"), "working-hours")).toBe(7.5)
    expect(elapsed(t("2025-09-19", "15:00"), t("2025-09-22", "15:00"), "natural-hours")).toBe(72)
  })

  it("节前上报: a report at 16:00 on Sep 30, 2025 jumps the National Day holiday — 1 working day → Oct 9 16:00", () => {
    expect(iso(add(t("2025-09-30", "16:00"), WorkDuration.workingDays(1)))).toBe(
      iso(t("2025-10-09", "16:00"))
    )
    expect(iso(add(t("2025-09-30", "16:00"), WorkDuration.workingHours(2)))).toBe(
      iso(t("2025-10-09", "09:00"))
    )
    expect(iso(add(t("2025-10-03", "10:00"), WorkDuration.workingHours(1)))).toBe(
      iso(t("2025-10-09", "09:30"))
    )
  })

  it("国庆调休: Friday Sep 26, 2025 15:00 + 1 working day ends on the make-up Sunday Sep 28, not on Monday", () => {
    expect(iso(add(t("2025-09-26", "15:00"), WorkDuration.workingDays(1)))).toBe(
      iso(t("2025-09-28", "15:00"))
    )
  })

  it("春节 2025: Jan 27 10:00 + 3 working days skips Jan 28 – Feb 4 → Feb 7 10:00; Feb 6 + 2 days ends on the make-up Saturday Feb 8", () => {
    expect(iso(add(t("2025-01-27", "10:00"), WorkDuration.workingDays(3)))).toBe(
      iso(t("2025-02-07", "10:00"))
    )
    expect(iso(add(t("2025-02-06", "10:00"), WorkDuration.workingDays(2)))).toBe(
      iso(t("2025-02-08", "10:00"))
    )
  })

  it("边界: a limit used up exactly at 12:00 or 17:30 ends there — not at 13:30 or the next morning", () => {
    expect(iso(add(t("2025-10-09", "10:00"), WorkDuration.workingHours(2)))).toBe(
      iso(t("2025-10-09", "12:00"))
    )
    expect(iso(add(t("2025-10-09", "15:30"), WorkDuration.workingHours(2)))).toBe(
      iso(t("2025-10-09", "17:30"))
    )
    expect(iso(add(t("2025-10-09", "08:30"), WorkDuration.workingDays(1)))).toBe(
      iso(t("2025-10-09", "17:30"))
    )
    expect(right(WorkingCalendar.isWorkingInstant(cal, t("2025-10-09", "12:00")))).toBe(true)
  })

  it("非工作时间起算: a start at lunch, at night or on a holiday counts from the next working instant", () => {
    expect(iso(add(t("2025-10-09", "12:30"), WorkDuration.workingHours(1)))).toBe(
      iso(t("2025-10-09", "14:30"))
    )
    expect(iso(add(t("2025-09-19", "20:00"), WorkDuration.workingHours(2)))).toBe(
      iso(t("2025-09-22", "10:30"))
    )
    expect(iso(add(t("2025-10-09", "07:00"), WorkDuration.workingDays(1)))).toBe(
      iso(t("2025-10-09", "17:30"))
    )
    expect(iso(add(t("2025-09-19", "20:00"), WorkDuration.workingHours(0)))).toBe(
      iso(t("2025-09-22", "08:30"))
    )
    expect(elapsed(t("2025-10-01", "09:00"), t("2025-10-08", "17:00"), "working-hours")).toBe(0)
  })

  it("自然日: natural days are 24-hour days from the start, holidays included, and need no loaded year", () => {
    expect(iso(add(t("2025-09-30", "16:00"), WorkDuration.naturalDays(3)))).toBe(
      iso(t("2025-10-03", "16:00"))
    )
    expect(
      iso(
        right(
          WorkDuration.addDuration(
            WorkingCalendar.empty,
            t("2030-01-01", "10:00"),
            WorkDuration.naturalHours(5)
          )
        )
      )
    ).toBe(iso(t("2030-01-01", "15:00")))
    expect(elapsed(t("2025-09-30", "16:00"), t("2025-10-09", "04:00"), "natural-days")).toBe(8.5)
  })

  it("挂账: suspension intervals are subtracted (overlaps once); an open one runs to the end", () => {
    const start = t("2025-09-29", "09:00")
    const end = t("2025-10-09", "17:30")
    expect(elapsed(start, end, "working-hours")).toBe(7 + 7.5 + 7.5)
    const morning = { from: t("2025-10-09", "08:30"), to: t("2025-10-09", "12:00") }
    expect(elapsed(start, end, "working-hours", [morning])).toBe(7 + 7.5 + 4)
    const overlapping = { from: t("2025-10-09", "11:00"), to: t("2025-10-09", "14:30") }
    expect(elapsed(start, end, "working-hours", [morning, overlapping])).toBe(7 + 7.5 + 3)
    const open = { from: t("2025-10-09", "13:30"), to: null }
    expect(elapsed(start, end, "working-hours", [open])).toBe(7 + 7.5 + 3.5)
    expect(elapsed(start, end, "natural-hours", [morning])).toBe(10 * 24 + 8.5 - 3.5)
  })

  it("未加载年度: adding past the end of 2026 or measuring into 2027 fails with YearNotLoaded(2027)", () => {
    expect(
      left(WorkDuration.addDuration(cal, t("2026-12-31", "16:00"), WorkDuration.workingDays(1)))
    ).toEqual(new WorkingCalendar.YearNotLoaded({ year: 2027 }))
    expect(
      left(WorkDuration.elapsed(cal, t("2026-12-31", "16:00"), t("2027-01-04", "09:00"), "working-hours"))
        .year
    ).toBe(2027)
    expect(
      left(
        WorkDuration.addDuration(
          WorkingCalendar.empty,
          t("2025-10-09", "09:00"),
          WorkDuration.workingHours(1)
        )
      ).year
    ).toBe(2025)
    // within the last loaded day it still works
    expect(iso(add(t("2026-12-31", "16:00"), WorkDuration.workingHours(1)))).toBe(
      iso(t("2026-12-31", "17:00"))
    )
  })

  it("schema and formatting: amounts are finite and ≥ 0; Chinese readings", () => {
    expect(
      Either.isLeft(
        Schema.decodeUnknownEither(WorkDuration.WorkDuration)({ amount: -1, unit: "working-days" })
      )
    ).toBe(true)
    expect(
      Either.isLeft(Schema.decodeUnknownEither(WorkDuration.WorkDuration)({ amount: 1, unit: "weeks" }))
    ).toBe(true)
    expect(WorkDuration.format(WorkDuration.workingDays(3))).toBe("3个工作日")
    expect(WorkDuration.format(WorkDuration.workingHours(2))).toBe("2工作时")
    expect(WorkDuration.format(WorkDuration.naturalDays(5))).toBe("5个自然日")
    expect(WorkDuration.make(-3, "working-hours").amount).toBe(0)
    expect(WorkDuration.toMillis(cal, WorkDuration.workingDays(2))).toBe(15 * HOUR)
  })
})

describe("WorkDuration — properties over every loaded year", () => {
  it.prop(
    "往返: elapsed(start, addDuration(start, d)) = d, and the result is the earliest such instant",
    [startArb, workingArb],
    ([start, duration]) => {
      const end = add(start, duration)
      expect(elapsed(start, end, duration.unit)).toBeCloseTo(duration.amount, 9)
      if (duration.amount > 0) {
        expect(right(WorkDuration.elapsed(cal, start, at(ms(end) - 1), duration.unit))).toBeLessThan(
          duration.amount
        )
      }
    }
  )

  it.prop(
    "单调: addDuration is monotone in the duration",
    [startArb, fc.integer({ min: 0, max: 9000 }), fc.integer({ min: 0, max: 9000 })],
    ([start, a, b]) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a]
      expect(ms(add(start, WorkDuration.workingHours(lo / 60)))).toBeLessThanOrEqual(
        ms(add(start, WorkDuration.workingHours(hi / 60)))
      )
    }
  )

  it.prop(
    "到期时刻总在工作时间: a working-clock deadline is always a working instant",
    [startArb, workingArb],
    ([start, duration]) => {
      expect(right(WorkingCalendar.isWorkingInstant(cal, add(start, duration)))).toBe(true)
    }
  )

  it.prop(
    "可加: elapsed(a, b) + elapsed(b, c) = elapsed(a, c) for any order of a, b, c",
    [
      fc.integer({ min: Date.UTC(2004, 1, 1), max: Date.UTC(2026, 10, 1) }).map(at),
      fc.integer({ min: -30 * 86_400_000, max: 30 * 86_400_000 }),
      fc.integer({ min: -30 * 86_400_000, max: 30 * 86_400_000 })
    ],
    ([a, db, dc]) => {
      const b = at(ms(a) + db)
      const c = at(ms(a) + dc)
      const h = (x: DateTime.Utc, y: DateTime.Utc) => elapsed(x, y, "working-hours")
      expect(h(a, b) + h(b, c)).toBeCloseTo(h(a, c), 9)
    }
  )

  it.prop(
    "挂账平移: suspending [s, e] inside the limit moves the deadline by exactly the working time of [s, e]",
    [
      startArb,
      fc.integer({ min: 1, max: 9000 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 0, max: 10 * 86_400_000 })
    ],
    ([start, minutes, where, length]) => {
      const duration = WorkDuration.workingHours(minutes / 60)
      const plain = add(start, duration)
      const s = at(ms(start) + Math.floor(where * (ms(plain) - ms(start))))
      const e = at(ms(s) + length)
      if (ms(s) >= ms(plain)) return
      const suspended = elapsed(s, e, "working-hours")
      const shifted = add(plain, WorkDuration.workingHours(suspended))
      expect(elapsed(start, shifted, "working-hours", [{ from: s, to: e }])).toBeCloseTo(duration.amount, 9)
      expect(
        right(WorkDuration.elapsed(cal, start, at(ms(shifted) - 1), "working-hours", [{ from: s, to: e }]))
      ).toBeLessThan(duration.amount)
    }
  )

  it.prop(
    "逐分钟核对: on minute-aligned starts, addDuration agrees with a minute-by-minute walk of the calendar",
    [fc.integer({ min: 0, max: 22 * 525_600 }), fc.integer({ min: 1, max: 3 * 450 })],
    ([startMinute, minutes]) => {
      const start = Date.UTC(2004, 0, 1) - 8 * HOUR + startMinute * MINUTE
      // the walk: a minute [m, m + 1) counts when its day is a working day and it lies inside a period
      const periods = [
        [8 * 60 + 30, 12 * 60],
        [13 * 60 + 30, 17 * 60 + 30]
      ] as const
      let m = start
      let counted = 0
      while (counted < minutes) {
        const local = new Date(m + 8 * HOUR)
        const minuteOfDay = local.getUTCHours() * 60 + local.getUTCMinutes()
        const inPeriod = periods.some(([a, b]) => minuteOfDay >= a && minuteOfDay < b)
        if (inPeriod && right(WorkingCalendar.isWorkingDay(cal, d(local.toISOString().slice(0, 10)))))
          counted++
        m += MINUTE
      }
      expect(ms(add(at(start), WorkDuration.workingHours(minutes / 60)))).toBe(m)
    },
    { fastCheck: { numRuns: 30 } }
  )

  it.prop(
    "未加载年度: any working-clock computation that reaches into 2027 fails with YearNotLoaded(2027)",
    [
      fc.integer({ min: Date.UTC(2026, 11, 1) - 8 * HOUR, max: Date.UTC(2026, 11, 31, 9, 30) - 8 * HOUR }),
      fc.integer({ min: 0, max: 200 * 86_400_000 })
    ],
    ([startMillis, beyond]) => {
      const start = at(startMillis)
      const end = at(Date.UTC(2027, 0, 1) - 8 * HOUR + beyond)
      expect(left(WorkDuration.elapsed(cal, start, end, "working-days")).year).toBe(2027)
      expect(left(WorkDuration.elapsed(cal, end, start, "working-hours")).year).toBe(2027)
      expect(left(WorkDuration.addDuration(cal, start, WorkDuration.workingDays(30))).year).toBe(2027)
    }
  )

  it.prop(
    "自然时钟往返: natural durations round-trip exactly",
    [startArb, fc.integer({ min: 0, max: 10_000 })],
    ([start, hours]) => {
      const end = add(start, WorkDuration.naturalHours(hours))
      expect(ms(end) - ms(start)).toBe(hours * HOUR)
      expect(elapsed(start, end, "natural-hours")).toBe(hours)
    }
  )
})
