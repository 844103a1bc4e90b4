/**
 * docs/guides/calendars-time-limits-escalation.md — the working calendar with
 * 调休, durations on it, time-limit policies and timer lights, and automatic
 * escalation.
 */
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import { assert, describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Durations from "../guides/snippets/calendars-time-limits-escalation/durations.js"
import * as Escalation from "../guides/snippets/calendars-time-limits-escalation/escalation.js"
import * as TimeLimits from "../guides/snippets/calendars-time-limits-escalation/time-limits.js"
import * as Calendar from "../guides/snippets/calendars-time-limits-escalation/working-calendar.js"

describe("the working calendar 工作日历", () => {
  it("ships the official schedules 2004–2026; 1 Oct 2025 is 国庆节, Saturday 11 Oct 2025 a make-up working day", () => {
    expect(Calendar.years[0]).toBe(2004)
    expect(Calendar.years[Calendar.years.length - 1]).toBe(2026)
    expect(Calendar.nationalDay).toEqual(
      Either.right({ date: "2025-10-01", kind: "holiday", working: false, name: "国庆节" })
    )
    expect(Calendar.makeUpSaturday).toEqual(
      Either.right({ date: "2025-10-11", kind: "makeUpWorkday", working: true, name: "国庆节" })
    )
    expect(Calendar.octoberWorkingDays).toEqual(Either.right(18))
  })

  it("a year with no loaded schedule is refused (YearNotLoaded 2027) until withYear loads it", () => {
    if (Either.isRight(Calendar.nextYear)) return assert.fail("2027 should not be loaded")
    expect(Calendar.nextYear.left).toMatchObject({ _tag: "YearNotLoaded", year: 2027 })
    expect(Calendar.nextYearLoaded).toEqual(Either.right(true))
    expect(Either.map(Calendar.with2027, WorkingCalendar.loadedYears)).toEqual(
      Either.right([...Calendar.years, 2027])
    )
  })

  it("working periods are configuration; a broken schedule reports every rule", () => {
    expect(Calendar.summerMinutes).toEqual(Either.right(450))
    if (Either.isRight(Calendar.broken)) return assert.fail("expected InvalidCalendar")
    expect(Calendar.broken.left.violations.map((v) => v.rule).sort()).toEqual([
      "date-format",
      "date-outside-year"
    ])
  })
})

describe("durations on the calendar 工作日 / 自然日 / 工作时", () => {
  it("3 working days from 30 Sep 2025 15:00 skip the National Day holiday and end on the make-up Saturday", () => {
    expect(Durations.threeWorkingDays).toEqual(Either.right("2025-10-11T15:00:00.000+08:00"))
    expect(Durations.threeNaturalDays).toEqual(Either.right("2025-10-03T15:00:00.000+08:00"))
  })

  it("2 working hours from Friday 20:00 end on Monday 10:30; a suspension does not count as used time", () => {
    expect(Durations.twoWorkingHours).toEqual(Either.right("2025-03-10T10:30:00.000+08:00"))
    expect(Durations.used).toEqual(Either.right(5.5))
  })
})

describe("time limits 处置时限 and the timer light 计时灯", () => {
  it("a category rule beats the step default; explain names the rule used", () => {
    expect(Either.isRight(TimeLimits.policy)).toBe(true)
    expect(TimeLimits.explained).toEqual(
      Either.right(["SJ-0110 × * × handling → 4工作时", "* × urgent × handling → 1个工作日"])
    )
  })

  it("green below 80 %, yellow from 80 % up to the deadline itself, red past it", () => {
    expect(TimeLimits.colors).toEqual(
      Either.right([
        Either.right("green"),
        Either.right("yellow"),
        Either.right("yellow"),
        Either.right("red")
      ])
    )
  })

  it("a suspension and an extension move the deadline to 17:30", () => {
    expect(TimeLimits.deadline).toEqual(Either.right("2025-03-10T17:30:00.000+08:00"))
  })
})

describe("automatic escalation 超时自动上报", () => {
  it("an overdue handling step at the community tier escalates to 青云街道; the decider applies the system's command", () => {
    if (Either.isLeft(Escalation.escalated)) return assert.fail(Escalation.escalated.left.message)
    const { due, skipped, after } = Escalation.escalated.right
    expect(due).toEqual([
      {
        caseId: "QY-2025-0200",
        step: "handling",
        from: "community",
        to: { tier: "street", unitId: "qingyun" },
        color: "red"
      }
    ])
    expect(skipped).toEqual([])
    const [state] = after
    if (state?._tag !== "Case") return assert.fail("no case after escalation")
    expect([state.tier, state.ownerUnitId, state.status, state.step, state.counts.escalations]).toEqual([
      "street",
      "qingyun",
      "accepted",
      "dispatch",
      1
    ])
    expect(state.tierHistory.map((t) => [t.tier, t.unitId, t.automatic])).toEqual([
      ["community", "jinsha", false],
      ["street", "qingyun", true]
    ])
  })
})
