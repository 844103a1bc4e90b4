import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Period from "../src/Period.js"
import * as Ratio from "../src/Ratio.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const utc = (iso: string): DateTime.Utc => DateTime.unsafeMake(iso)
const ms = (d: DateTime.DateTime): number => DateTime.toEpochMillis(d)
const parse = (label: string, offset?: number): Period.Period =>
  Either.getOrThrow(Period.parse(label, offset === undefined ? undefined : { utcOffsetMinutes: offset }))

// Instants 1971–2099, whole-minute UTC offsets −12:00…+14:00.
const arbInstant = fc
  .integer({ min: 31_536_000_000, max: 4_102_444_800_000 })
  .map((t) => DateTime.unsafeMake(t))
const arbGranularity = fc.constantFrom<Period.Granularity>("day", "week", "month", "quarter")
const arbOffset = fc.oneof(fc.constant(480), fc.integer({ min: -720, max: 840 }))
const arbPeriod = fc
  .tuple(arbInstant, arbGranularity, arbOffset)
  .map(([t, g, offset]) => Period.periodOf(t, g, { utcOffsetMinutes: offset }))

describe("Period.periodOf", () => {
  it("日检查、周小结、月考核、季讲评 (seed 001): the four granularities and their Chinese names", () => {
    expect(Period.granularities.map((g) => Period.granularityNames[g])).toEqual(["日", "周", "月", "季度"])
  })

  it("an instant falls in Beijing-time periods: 2025-10-01T08:00+08:00", () => {
    const t = utc("2025-10-01T00:00:00Z")
    expect(Period.label(Period.periodOf(t, "day"))).toBe("2025-10-01")
    expect(Period.label(Period.periodOf(t, "week"))).toBe("2025-W40")
    expect(Period.label(Period.periodOf(t, "month"))).toBe("2025-10")
    expect(Period.label(Period.periodOf(t, "quarter"))).toBe("2025-Q4")
  })

  it("the +08:00 offset decides the local date: 2025-09-30T15:59:59Z is still Q3, 16:00Z is Q4", () => {
    expect(Period.label(Period.periodOf(utc("2025-09-30T15:59:59.999Z"), "quarter"))).toBe("2025-Q3")
    expect(Period.label(Period.periodOf(utc("2025-09-30T16:00:00Z"), "quarter"))).toBe("2025-Q4")
    expect(
      Period.label(Period.periodOf(utc("2025-09-30T16:00:00Z"), "quarter", { utcOffsetMinutes: 0 }))
    ).toBe("2025-Q3")
  })

  it("labels and Chinese labels: 2025-Q3, 2025-W40, 2025-10, 2025-10-01", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["2025-Q3", "2025年第3季度"],
      ["2025-W40", "2025年第40周"],
      ["2025-10", "2025年10月"],
      ["2025-10-01", "2025年10月1日"]
    ]
    for (const [label, zh] of cases) {
      const p = parse(label)
      expect(Period.label(p)).toBe(label)
      expect(Period.labelZh(p)).toBe(zh)
      expect(parse(zh)).toEqual(p)
    }
  })

  it("ISO weeks start on Monday and belong to the year of their Thursday", () => {
    expect(parse("2025-W40").firstDay).toBe("2025-09-29")
    expect(Period.lastDay(parse("2025-W40"))).toBe("2025-10-05")
    // 2024-12-30 (Monday) starts ISO week 1 of 2025; 2021-01-03 (Sunday) ends 2020-W53.
    expect(Period.label(Period.ofDate(LocalDate.make("2024-12-30"), "week"))).toBe("2025-W01")
    expect(Period.label(Period.ofDate(LocalDate.make("2021-01-03"), "week"))).toBe("2020-W53")
    expect(Either.isRight(Period.parse("2020-W53"))).toBe(true)
    expect(Either.isLeft(Period.parse("2025-W53"))).toBe(true)
  })

  it("start and end are local midnights; a period covers [start, end)", () => {
    const q3 = parse("2025-Q3")
    expect(DateTime.formatIso(Period.start(q3))).toBe("2025-06-30T16:00:00.000Z")
    expect(DateTime.formatIso(Period.end(q3))).toBe("2025-09-30T16:00:00.000Z")
    expect(Period.contains(q3, Period.start(q3))).toBe(true)
    expect(Period.contains(q3, Period.end(q3))).toBe(false)
    expect(Period.days(q3)).toBe(92)
    expect(Period.days(parse("2024-02"))).toBe(29)
    expect(Period.days(parse("2025-02"))).toBe(28)
    expect(Period.days(parse("2025-W40"))).toBe(7)
    expect(Period.days(parse("2025-10-01"))).toBe(1)
  })

  it.prop(
    "the period of an instant contains it",
    [arbInstant, arbGranularity, arbOffset],
    ([t, g, offset]) => {
      const p = Period.periodOf(t, g, { utcOffsetMinutes: offset })
      expect(Period.contains(p, t)).toBe(true)
      expect(ms(Period.start(p))).toBeLessThanOrEqual(ms(t))
      expect(ms(t)).toBeLessThan(ms(Period.end(p)))
    }
  )

  it.prop("next(previous(p)) = p and previous(next(p)) = p", [arbPeriod], ([p]) => {
    expect(Period.next(Period.previous(p))).toEqual(p)
    expect(Period.previous(Period.next(p))).toEqual(p)
    expect(Period.shift(Period.shift(p, 5), -5)).toEqual(p)
  })

  it.prop("periods tile time: end(p) = start(next(p))", [arbPeriod], ([p]) => {
    expect(ms(Period.end(p))).toBe(ms(Period.start(Period.next(p))))
  })

  it.prop("every period decodes with the Period schema (aligned first day)", [arbPeriod], ([p]) => {
    expect(Either.isRight(Schema.decodeUnknownEither(Period.Period)(p))).toBe(true)
  })

  it.prop("labels parse back to the same period (ISO-style and Chinese)", [arbPeriod], ([p]) => {
    const options = { utcOffsetMinutes: p.utcOffsetMinutes }
    expect(Either.getOrThrow(Period.parse(Period.label(p), options))).toEqual(p)
    expect(Either.getOrThrow(Period.parse(Period.labelZh(p), options))).toEqual(p)
  })

  it.prop("day counts: 1, 7, 28–31, 90–92", [arbPeriod], ([p]) => {
    const d = Period.days(p)
    const allowed = { day: [1, 1], week: [7, 7], month: [28, 31], quarter: [90, 92] }[p.granularity]
    expect(d).toBeGreaterThanOrEqual(allowed[0] ?? 0)
    expect(d).toBeLessThanOrEqual(allowed[1] ?? 0)
  })
})

describe("Period.parse", () => {
  it("rejects what is not a period label, with the reason", () => {
    for (const bad of ["2025-13", "2025-Q5", "2025-02-30", "2025年第0周", "Q3 2025", ""]) {
      const result = Period.parse(bad)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(result.left.label).toBe(bad)
    }
  })

  it("the Period schema rejects a week that does not start on Monday", () => {
    const decode = Schema.decodeUnknownEither(Period.Period)
    expect(
      Either.isLeft(decode({ granularity: "week", firstDay: "2025-10-01", utcOffsetMinutes: 480 }))
    ).toBe(true)
    expect(
      Either.isRight(decode({ granularity: "week", firstDay: "2025-09-29", utcOffsetMinutes: 480 }))
    ).toBe(true)
    expect(
      Either.isLeft(decode({ granularity: "quarter", firstDay: "2025-02-01", utcOffsetMinutes: 480 }))
    ).toBe(true)
  })
})

describe("Period.range", () => {
  it("lists the months of 2025 Q3 and the quarters of a year", () => {
    const from = Period.start(parse("2025-07"))
    const to = utc("2025-09-30T15:00:00Z")
    expect(Period.range(from, to, "month").map(Period.label)).toEqual(["2025-07", "2025-08", "2025-09"])
    expect(
      Period.range(utc("2025-01-01T00:00:00Z"), utc("2025-12-31T00:00:00Z"), "quarter").map(Period.label)
    ).toEqual(["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"])
    expect(Period.range(to, from, "month")).toEqual([])
  })

  it("between requires one granularity and offset", () => {
    expect(Either.getOrThrow(Period.between(parse("2025-W39"), parse("2025-W41"))).map(Period.label)).toEqual(
      ["2025-W39", "2025-W40", "2025-W41"]
    )
    expect(Either.isLeft(Period.between(parse("2025-W39"), parse("2025-10")))).toBe(true)
    expect(Either.isLeft(Period.between(parse("2025-10"), parse("2025-11", 0)))).toBe(true)
  })

  it.prop(
    "range is contiguous and contains both ends",
    [arbInstant, fc.integer({ min: 0, max: 800 * 86_400_000 }), arbGranularity],
    ([from, span, g]) => {
      const to = DateTime.unsafeMake(ms(from) + span)
      const periods = Period.range(from, to, g)
      const first = periods[0]
      const last = periods[periods.length - 1]
      expect(first !== undefined && Period.contains(first, from)).toBe(true)
      expect(last !== undefined && Period.contains(last, to)).toBe(true)
      for (let i = 1; i < periods.length; i++) {
        const prior = periods[i - 1]
        const here = periods[i]
        if (prior !== undefined && here !== undefined) expect(here).toEqual(Period.next(prior))
      }
    },
    { fastCheck: { numRuns: 30 } }
  )
})

describe("Period.trend", () => {
  const month = (label: string): Period.Period => parse(label)

  it("gives the change in rate between consecutive months (环比), none when either has no data", () => {
    const points = Either.getOrThrow(
      Period.trend([
        [month("2025-07"), Ratio.make(90, 100)],
        [month("2025-09"), Ratio.make(0, 0)],
        [month("2025-08"), Ratio.make(95, 100)],
        [month("2025-11"), Ratio.make(47, 50)]
      ])
    )
    expect(points.map((p) => Period.label(p.period))).toEqual([
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11"
    ])
    expect(Option.isNone(points[0]?.change ?? Option.some(0))).toBe(true)
    expect(Option.getOrThrow(points[1]?.change ?? Option.none())).toBeCloseTo(0.05, 12)
    expect(points[1]?.direction).toBe("up")
    // September has no data, October is a gap (no data), so both changes are none.
    expect(points.slice(2).map((p) => Option.isNone(p.change))).toEqual([true, true, true])
    expect(points.slice(2).map((p) => p.direction)).toEqual(["no-data", "no-data", "no-data"])
  })

  it("adds entries of the same period count-wise (never averages them)", () => {
    const points = Either.getOrThrow(
      Period.trend([
        [month("2025-07"), Ratio.make(1, 1)],
        [month("2025-07"), Ratio.make(0, 99)],
        [month("2025-08"), Ratio.make(1, 100)]
      ])
    )
    expect(points[0]?.ratio).toEqual(Ratio.make(1, 100))
    expect(points[1]?.direction).toBe("flat")
    expect(points[1]?.change).toEqual(Option.some(0))
  })

  it("refuses periods of different granularities", () => {
    expect(
      Either.isLeft(
        Period.trend([
          [month("2025-07"), Ratio.make(1, 2)],
          [parse("2025-Q3"), Ratio.make(1, 2)]
        ])
      )
    ).toBe(true)
    expect(Period.trend([])).toEqual(Either.right([]))
  })

  it.prop(
    "each change is the difference of consecutive rates, or none when either is no data",
    [fc.array(fc.tuple(fc.nat(30), fc.nat(20), fc.nat(20)), { maxLength: 12 })],
    ([rows]) => {
      const base = month("2025-01")
      const series = rows.map(
        ([k, a, b]) => [Period.shift(base, k), Ratio.make(Math.min(a, b), Math.max(a, b))] as const
      )
      const points = Either.getOrThrow(Period.trend(series))
      for (let i = 1; i < points.length; i++) {
        const here = points[i]
        const prior = points[i - 1]
        if (here === undefined || prior === undefined) continue
        expect(Period.next(prior.period)).toEqual(here.period)
        const expected = Ratio.difference(here.ratio, prior.ratio)
        expect(here.change).toEqual(expected)
      }
    }
  )
})
