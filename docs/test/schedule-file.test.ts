/**
 * The guide's schedule-file snippet (calendars-time-limits-escalation.md, "Next year's schedule"): the
 * skeleton classifies every date by weekday, the edited (synthetic) file decodes, the calendar reaches
 * 2027-12-31, and a broken file is refused naming each date and rule.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Snippet from "../guides/snippets/calendars-time-limits-escalation/schedule-file.js"

describe("the schedule file 年度安排文件", () => {
  it("a skeleton has every date of 2027 by weekday; the edited file decodes with one holiday and one make-up day", () => {
    expect(Snippet.skeleton.days).toHaveLength(365)
    expect(Snippet.skeleton.days.every((d) => d.kind === "workday" || d.kind === "restDay")).toBe(true)
    expect(Snippet.skeletonCsv.startsWith("date,kind,name\r\n2027-01-01,workday,\r\n")).toBe(true)
    const file = Either.getOrThrow(Snippet.file)
    expect(file.year).toBe(2027)
    expect(file.days.filter((d) => d.kind === "holiday")).toEqual([
      { date: "2027-01-01", kind: "holiday", name: "元旦" }
    ])
    expect(file.days.filter((d) => d.kind === "makeUpWorkday")).toEqual([
      { date: "2027-01-09", kind: "makeUpWorkday" }
    ])
  })

  it("the calendar built from it reaches 2027-12-31; a broken file is refused with each date and rule", () => {
    expect(Snippet.reach).toEqual(Either.right({ lastDay: "2027-12-31", daysLeft: 390, warning: false }))
    const error = Either.getLeft(Snippet.refused)
    expect(error._tag).toBe("Some")
    if (error._tag === "Some") {
      expect(error.value.violations.map((v) => `${v.subject} [${v.field}, ${v.rule}]`)).toEqual([
        "2027-01-01 [name, holiday-name]",
        "2027-01-04 [kind, make-up-on-weekday]"
      ])
    }
  })
})
