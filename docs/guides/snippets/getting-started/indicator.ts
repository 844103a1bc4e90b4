import * as Indicator from "@civicgrid/core/Indicator"
import * as Period from "@civicgrid/core/Period"
import * as Ratio from "@civicgrid/core/Ratio"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { closed } from "./case-loop.js"
import { district } from "./hierarchy.js"

// 考核指标 — indicators per unit and period, from the case events: each unit gets its subtree's
// totals (numerators and denominators added up the hierarchy; percentages are never averaged).
export const report = Either.flatMap(closed, ({ events }) =>
  Indicator.compute({
    hierarchy: district,
    events,
    timeLimits: TimeLimit.defaultPolicy, // 立案 1 working hour, 派遣 1, 处置 3 working days …
    calendar: WorkingCalendar.china(), // official holidays and 调休 make-up working days
    granularity: "month",
    asOf: DateTime.unsafeMake("2025-03-31T16:00:00Z") // the end of March in Beijing
  })
)

const march = Period.periodOf(DateTime.unsafeMake("2025-03-03T09:00:00+08:00"), "month") // 2025-03

// 盘龙区's figures for March: the rollup of 金沙社区's single case.
export const panlongMarch = Either.map(report, (r) =>
  Option.getOrElse(r.get("panlong", march), () => Indicator.empty)
)

// 受理办结率 closed ÷ accepted, and 按期结案率 closed on time ÷ due
export const acceptanceClosure = Either.map(panlongMarch, (i) =>
  Ratio.format(i["acceptance-closure"], { counts: true })
) // → "100.0% (1/1)"
export const onTimeClosure = Either.map(panlongMarch, (i) =>
  Ratio.format(i["on-time-closure"], { counts: true })
) // → "100.0% (1/1)"

// No return visit yet, so 重办率 (reopens ÷ valid return visits) is 0 ÷ 0: "no data", never 0 % or 100 %.
export const reopenRate = Either.map(panlongMarch, (i) => Ratio.format(i.reopen)) // → "无数据 no data"
