import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { CategoryId, type Urgency } from "../src/CaseCategory.js"
import type { CaseStep } from "../src/CaseStep.js"
import * as TimeLimit from "../src/TimeLimit.js"
import * as WorkDuration from "../src/WorkDuration.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const cal = WorkingCalendar.china()
const policy = TimeLimit.defaultPolicy
const d = (text: string) => WorkingCalendar.LocalDate.make(text)
const t = (date: string, time: string) =>
  WorkingCalendar.at(cal, d(date), WorkingCalendar.ClockTime.make(time))
const ms = (instant: DateTime.Utc) => instant.epochMillis
const at = (millis: number) => DateTime.unsafeMake(millis)
const iso = (instant: DateTime.Utc) => DateTime.formatIso(instant)
const cat = (id: string) => CategoryId.make(id)

const right = <A, E>(e: Either.Either<A, E>): A =>
  Either.getOrThrowWith(e, (err) => new Error(`expected Right, got ${JSON.stringify(err)}`))
const left = <A, E>(e: Either.Either<A, E>): E =>
  Either.getOrThrowWith(Either.flip(e), (a) => new Error(`expected Left, got ${JSON.stringify(a)}`))

const input = (
  urgency: Urgency,
  step: CaseStep,
  startedAt: DateTime.Utc,
  more: Partial<Pick<TimeLimit.TimerInput, "suspensions" | "extensions">> = {}
): TimeLimit.TimerInput => ({ categoryId: cat("0101"), urgency, step, startedAt, ...more })

const deadlineOf = (i: TimeLimit.TimerInput, asOf?: DateTime.Utc) =>
  right(TimeLimit.deadline(policy, cal, i, asOf))
const lightOf = (i: TimeLimit.TimerInput, now: DateTime.Utc, thresholds?: TimeLimit.Thresholds) =>
  right(TimeLimit.light(policy, cal, i, now, thresholds))

const HOUR = 3_600_000
const DAY = 86_400_000

describe("TimeLimit — policy", () => {
  it("默认时限 (local practice): filing 1 h, dispatch 1 h, handling 2 h / 1 day / 3 days by urgency, verification 1 day, evaluation 2 days", () => {
    const limit = (urgency: Urgency, step: CaseStep) =>
      right(TimeLimit.lookup(policy, { categoryId: cat("0101"), urgency, step }))
    expect(limit("normal", "filing")).toEqual(WorkDuration.workingHours(1))
    expect(limit("critical", "dispatch")).toEqual(WorkDuration.workingHours(1))
    expect(limit("critical", "handling")).toEqual(WorkDuration.workingHours(2))
    expect(limit("urgent", "handling")).toEqual(WorkDuration.workingDays(1))
    expect(limit("normal", "handling")).toEqual(WorkDuration.workingDays(3))
    expect(limit("urgent", "verification")).toEqual(WorkDuration.workingDays(1))
    expect(limit("normal", "evaluation")).toEqual(WorkDuration.workingDays(2))
  })

  const patterns = [
    { categoryId: cat("0101"), urgency: "urgent", step: "handling" },
    { categoryId: cat("0101"), step: "handling" },
    { categoryId: cat("0101"), urgency: "urgent" },
    { categoryId: cat("0101") },
    { urgency: "urgent", step: "handling" },
    { step: "handling" },
    { urgency: "urgent" },
    {}
  ] as const

  it.prop(
    "查找次序: the most specific matching rule wins (category › step › urgency), whatever the rules' order",
    [fc.subarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), fc.integer()],
    ([ranks, seed]) => {
      const rules: Array<TimeLimit.Rule> = ranks.map((rank) => ({
        ...patterns[rank],
        limit: WorkDuration.workingHours(rank + 1)
      }))
      const shuffled = [...rules].sort(
        (a, b) => (((a.limit.amount * 7919) ^ seed) % 97) - (((b.limit.amount * 7919) ^ seed) % 97)
      )
      const p = right(TimeLimit.makePolicy(shuffled))
      const best = Math.min(...ranks)
      expect(
        right(TimeLimit.lookup(p, { categoryId: cat("0101"), urgency: "urgent", step: "handling" })).amount
      ).toBe(best + 1)
    }
  )

  it("无匹配规则: a policy with no matching rule answers NoTimeLimit naming the key", () => {
    const p = right(TimeLimit.makePolicy([{ categoryId: cat("0202"), limit: WorkDuration.workingHours(4) }]))
    const err = left(TimeLimit.lookup(p, { categoryId: cat("0101"), urgency: "normal", step: "filing" }))
    expect(err).toEqual(new TimeLimit.NoTimeLimit({ categoryId: "0101", urgency: "normal", step: "filing" }))
    expect(
      left(
        TimeLimit.light(p, cal, input("normal", "filing", t("2025-10-09", "09:00")), t("2025-10-09", "10:00"))
      )._tag
    ).toBe("NoTimeLimit")
    expect(
      Option.getOrNull(TimeLimit.explain(p, { categoryId: cat("0202"), urgency: "urgent", step: "handling" }))
    ).toBe("0202 × * × * → 4工作时")
  })

  it("规则重复: two rules with the same pattern are refused, every clash reported", () => {
    const err = left(
      TimeLimit.makePolicy([
        { step: "handling", limit: WorkDuration.workingDays(1) },
        { step: "handling", limit: WorkDuration.workingDays(2) },
        { categoryId: cat("0101"), urgency: "critical", limit: WorkDuration.workingHours(1) },
        { categoryId: cat("0101"), urgency: "critical", limit: WorkDuration.workingHours(2) },
        { step: "filing", limit: WorkDuration.workingHours(1) }
      ])
    )
    expect(err.violations.map((v) => [v.subject, v.rule])).toEqual([
      ["* × * × handling", "duplicate-rule"],
      ["0101 × critical × *", "duplicate-rule"]
    ])
    const decoded = Schema.decodeUnknownEither(TimeLimit.TimeLimitPolicy)({
      rules: [
        { step: "handling", limit: { amount: 1, unit: "working-days" } },
        { step: "handling", limit: { amount: 2, unit: "working-days" } }
      ]
    })
    expect(Either.isLeft(decoded)).toBe(true)
  })
})

describe("TimeLimit — deadlines", () => {
  it("一般处置 3 个工作日: a Friday 15:00 dispatch is due Wednesday 15:00", () => {
    const r = deadlineOf(input("normal", "handling", t("2025-09-19", "15:00")))
    expect(iso(r.deadline)).toBe(iso(t("2025-09-24", "15:00")))
    expect(r.limit).toEqual(WorkDuration.workingDays(3))
    expect(r.limitMillis).toBe(22.5 * HOUR)
    expect(r.paused).toBe(false)
  })

  it("节前派遣: normal handling dispatched 10:00 Sep 30, 2025 is due 10:00 on the make-up Saturday Oct 11", () => {
    expect(iso(deadlineOf(input("normal", "handling", t("2025-09-30", "10:00"))).deadline)).toBe(
      iso(t("2025-10-11", "10:00"))
    )
  })

  it("延期: an extension of 1 working day moves the deadline by one working day", () => {
    const r = deadlineOf(
      input("normal", "handling", t("2025-09-19", "15:00"), { extensions: [WorkDuration.workingDays(1)] })
    )
    expect(iso(r.deadline)).toBe(iso(t("2025-09-25", "15:00")))
    expect(r.limitMillis).toBe(30 * HOUR)
  })

  it("延期 3 个自然日: a natural-day extension of a working-day limit adds the working time of the 3 days after the deadline", () => {
    const r = deadlineOf(
      input("urgent", "handling", t("2025-09-18", "15:00"), { extensions: [WorkDuration.naturalDays(3)] })
    )
    // 1 working day: Thursday 15:00 → Friday 15:00; three natural days later is Monday 15:00
    expect(iso(r.deadline)).toBe(iso(t("2025-09-22", "15:00")))
    expect(r.limitMillis).toBe(15 * HOUR)
  })

  it("挂账: a whole working day suspended moves the deadline one working day later", () => {
    const suspensions = [{ from: t("2025-09-22", "08:00"), to: t("2025-09-22", "18:00") }]
    expect(
      iso(deadlineOf(input("normal", "handling", t("2025-09-19", "15:00"), { suspensions })).deadline)
    ).toBe(iso(t("2025-09-25", "15:00")))
  })

  it("挂账中: an open suspension pauses the clock — without asOf the deadline has not moved yet; with asOf it runs until then", () => {
    const suspensions = [{ from: t("2025-09-22", "08:30"), to: null }]
    const i = input("normal", "handling", t("2025-09-19", "15:00"), { suspensions })
    const paused = deadlineOf(i)
    expect(paused.paused).toBe(true)
    expect(iso(paused.deadline)).toBe(iso(t("2025-09-24", "15:00")))
    expect(iso(deadlineOf(i, t("2025-09-23", "08:30")).deadline)).toBe(iso(t("2025-09-25", "15:00")))
    const l = lightOf(i, t("2025-09-23", "12:00"))
    expect(l.paused).toBe(true)
    expect(l.usedMillis).toBe(2.5 * HOUR)
    // the clock stopped Monday 08:30 and is still stopped at Tuesday 12:00: 20 of 22.5 hours remain from then
    expect(iso(l.deadline)).toBe(iso(t("2025-09-26", "09:30")))
  })

  it("未加载年度: a step whose limit runs into 2027 fails with YearNotLoaded(2027)", () => {
    const err = left(TimeLimit.deadline(policy, cal, input("normal", "handling", t("2026-12-30", "10:00"))))
    expect(err).toEqual(new WorkingCalendar.YearNotLoaded({ year: 2027 }))
  })

  it("未加载年度: a suspension that starts after the deadline, in an unloaded year, neither moves the deadline nor needs that year", () => {
    // 立案 1 working hour from Thursday 2026-12-31 09:00: due 10:00 the same day, wholly in 2026
    const start = t("2026-12-31", "09:00")
    const due = iso(t("2026-12-31", "10:00"))
    const from = at(Date.UTC(2027, 0, 4, 1, 0)) // 2027-01-04 09:00 in Beijing
    const closed = input("normal", "filing", start, {
      suspensions: [{ from, to: at(Date.UTC(2027, 0, 5, 1, 0)) }]
    })
    expect(iso(deadlineOf(closed).deadline)).toBe(due)
    const open = input("normal", "filing", start, { suspensions: [{ from, to: null }] })
    expect(iso(deadlineOf(open, at(Date.UTC(2027, 0, 6))).deadline)).toBe(due)
    // an extension on the other clock still needs only 2026 (the deadline moves to 11:00 that day)
    const extended = input("normal", "filing", start, {
      suspensions: [{ from, to: null }],
      extensions: [WorkDuration.naturalHours(1)]
    })
    expect(iso(deadlineOf(extended, at(Date.UTC(2027, 0, 6))).deadline)).toBe(iso(t("2026-12-31", "11:00")))
    // a deadline that itself reaches 2027 still fails, suspension or not
    const long = input("normal", "handling", t("2026-12-30", "10:00"), { suspensions: [{ from, to: null }] })
    expect(left(TimeLimit.deadline(policy, cal, long, at(Date.UTC(2027, 0, 6))))).toEqual(
      new WorkingCalendar.YearNotLoaded({ year: 2027 })
    )
  })
})

describe("TimeLimit — timer lights", () => {
  it("计时灯: 2 working hours from 09:00 — green at 50 %, yellow from 80 % through 100 %, red after 11:00", () => {
    const i = input("critical", "handling", t("2025-10-09", "09:00"))
    const at10 = lightOf(i, t("2025-10-09", "10:00"))
    expect([at10.color, at10.fraction, at10.remainingMillis, at10.remaining]).toEqual(["green", 0.5, HOUR, 1])
    expect(lightOf(i, t("2025-10-09", "10:35")).color).toBe("green")
    expect(lightOf(i, t("2025-10-09", "10:36")).color).toBe("yellow")
    const at11 = lightOf(i, t("2025-10-09", "11:00"))
    expect([at11.color, at11.fraction]).toEqual(["yellow", 1])
    const late = lightOf(i, t("2025-10-09", "11:01"))
    expect(late.color).toBe("red")
    expect(late.remainingMillis).toBe(-60_000)
    expect(iso(late.deadline)).toBe(iso(t("2025-10-09", "11:00")))
  })

  it("午休: a deadline at 12:00 stays yellow through the lunch break and turns red after 13:30", () => {
    const i = input("critical", "handling", t("2025-10-09", "10:00"))
    expect(iso(lightOf(i, t("2025-10-09", "12:30")).deadline)).toBe(iso(t("2025-10-09", "12:00")))
    expect(lightOf(i, t("2025-10-09", "12:30")).color).toBe("yellow")
    expect(lightOf(i, t("2025-10-09", "13:31")).color).toBe("red")
  })

  it("节假日不计时: a normal case from Sep 30, 2025 10:00 is still green on Oct 5 (6 of 22.5 working hours used)", () => {
    const l = lightOf(input("normal", "handling", t("2025-09-30", "10:00")), t("2025-10-05", "10:00"))
    expect(l.color).toBe("green")
    expect(l.usedMillis).toBe(6 * HOUR)
    expect(l.remaining).toBeCloseTo(16.5 / 7.5, 12)
  })

  it("阈值可配置: with yellow 0.5 and red 0.9 the same case turns yellow and red earlier", () => {
    const i = input("critical", "handling", t("2025-10-09", "09:00"))
    const th = { yellow: 0.5, red: 0.9 }
    expect(lightOf(i, t("2025-10-09", "09:59"), th).color).toBe("green")
    expect(lightOf(i, t("2025-10-09", "10:00"), th).color).toBe("yellow")
    expect(lightOf(i, t("2025-10-09", "10:49"), th).color).toBe("red")
    expect(Either.isLeft(Schema.decodeUnknownEither(TimeLimit.Thresholds)({ yellow: 1.2, red: 1 }))).toBe(
      true
    )
  })

  it.prop(
    "阈值: fraction < 0.8 is green, 0.8 ≤ fraction ≤ 1 yellow, fraction > 1 red",
    [fc.double({ min: -1, max: 3, noNaN: true })],
    ([f]) => {
      const expected = f < 0.8 ? "green" : f <= 1 ? "yellow" : "red"
      expect(TimeLimit.colorOf(f)).toBe(expected)
    }
  )
})

// -----------------------------------------------------------------------------
// random open cases
// -----------------------------------------------------------------------------

const startArb = fc.integer({ min: Date.UTC(2004, 1, 1), max: Date.UTC(2026, 8, 1) })

const caseArb = fc
  .record({
    categoryId: fc.constantFrom("0101", "0102", "0201").map(cat),
    urgency: fc.constantFrom<Urgency>("normal", "urgent", "critical"),
    step: fc.constantFrom<CaseStep>("filing", "dispatch", "handling", "verification", "evaluation"),
    start: startArb,
    suspensions: fc.array(
      fc.record({
        offset: fc.integer({ min: -DAY, max: 10 * DAY }),
        length: fc.integer({ min: 0, max: 3 * DAY })
      }),
      { maxLength: 2 }
    ),
    extensions: fc.array(
      fc.record({
        amount: fc.integer({ min: 0, max: 3 }),
        unit: fc.constantFrom<WorkDuration.DurationUnit>("working-hours", "working-days", "natural-days")
      }),
      { maxLength: 2 }
    )
  })
  .map(
    (r): TimeLimit.TimerInput => ({
      categoryId: r.categoryId,
      urgency: r.urgency,
      step: r.step,
      startedAt: at(r.start),
      suspensions: r.suspensions.map((s) => ({
        from: at(r.start + s.offset),
        to: at(r.start + s.offset + s.length)
      })),
      extensions: r.extensions.map((e) => WorkDuration.make(e.amount, e.unit))
    })
  )

describe("TimeLimit — properties", () => {
  it.prop("截止时间总在工作时间: a working-clock deadline is a working instant", [caseArb], ([c]) => {
    expect(right(WorkingCalendar.isWorkingInstant(cal, deadlineOf(c).deadline))).toBe(true)
  })

  it.prop(
    "到期即满: at the deadline exactly the whole limit is used (fraction 1, yellow), a millisecond earlier less",
    [caseArb],
    ([c]) => {
      const r = deadlineOf(c)
      const l = lightOf(c, r.deadline)
      expect(l.usedMillis).toBe(l.limitMillis)
      expect(l.color).toBe("yellow")
      expect(lightOf(c, at(ms(r.deadline) - 1)).usedMillis).toBeLessThan(l.limitMillis)
    }
  )

  it.prop(
    "挂账平移: adding a suspension [s, e] that starts before the deadline moves it by the working time of [s, e]",
    [caseArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 5 * DAY })],
    ([c, where, length]) => {
      // natural-day extensions are converted at the deadline they extend, so they are left out here
      const base = {
        ...c,
        suspensions: [],
        extensions: (c.extensions ?? []).filter((e) => e.unit !== "natural-days")
      }
      const plain = deadlineOf(base).deadline
      const s = at(ms(c.startedAt) + Math.floor(where * (ms(plain) - ms(c.startedAt))))
      if (ms(s) >= ms(plain)) return
      const e = at(ms(s) + length)
      const suspended = right(WorkDuration.elapsed(cal, s, e, "working-hours"))
      const moved = deadlineOf({ ...base, suspensions: [{ from: s, to: e }] }).deadline
      expect(iso(moved)).toBe(
        iso(right(WorkDuration.addDuration(cal, plain, WorkDuration.workingHours(suspended))))
      )
    }
  )

  it.prop(
    "颜色与比例一致: each light's color is colorOf(used ÷ limit)",
    [caseArb, fc.integer({ min: 0, max: 20 * DAY })],
    ([c, after]) => {
      const l = lightOf(c, at(ms(c.startedAt) + after))
      expect(l.fraction).toBe(l.usedMillis / l.limitMillis)
      expect(l.color).toBe(TimeLimit.colorOf(l.fraction))
      expect(l.remainingMillis).toBe(l.limitMillis - l.usedMillis)
    }
  )

  it.prop(
    "批量 = 逐个: lights over many cases equals light case by case, in input order",
    [
      fc.array(caseArb, { maxLength: 30 }),
      fc.integer({ min: Date.UTC(2026, 8, 1), max: Date.UTC(2026, 11, 1) })
    ],
    ([cases, now]) => {
      const batch = TimeLimit.lights(policy, cal, cases, at(now))
      expect(batch).toEqual(cases.map((c) => TimeLimit.light(policy, cal, c, at(now))))
    },
    { fastCheck: { numRuns: 50 } }
  )

  it.prop(
    "未加载年度: a case started in an unloaded year fails with YearNotLoaded; the batch keeps the others",
    [caseArb, fc.integer({ min: 2027, max: 2100 })],
    ([c, year]) => {
      const bad = { ...c, startedAt: at(Date.UTC(year, 5, 1, 2)), suspensions: [] }
      const [ok, failed] = TimeLimit.lights(policy, cal, [c, bad], at(Date.UTC(2026, 11, 1)))
      expect(ok !== undefined && Either.isRight(ok)).toBe(true)
      expect(failed).toEqual(Either.left(new WorkingCalendar.YearNotLoaded({ year })))
    }
  )
})
