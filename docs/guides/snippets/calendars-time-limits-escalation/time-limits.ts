import { CategoryId } from "@civicgrid/core/CaseCategory"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"

// 处置时限 — a policy is a list of rules: the limit for a pattern of 小类 × urgency × step, any part a
// wildcard; the most specific match wins. Start from the default (立案 1 working hour, 派遣 1, 处置 by
// urgency: 特急 2 working hours, 紧急 1 working day, 一般 3 working days; 核查 1 day; 回访 2 days) and add
// local rules — here: burning rubbish (焚烧垃圾树叶) must be handled within 4 working hours.
const burning = CategoryId.make("SJ-0110")
export const policy = TimeLimit.makePolicy([
  ...TimeLimit.defaultPolicy.rules,
  { categoryId: burning, step: "handling", limit: WorkDuration.workingHours(4) }
])
// → Right(policy); two rules with the same pattern would be Left(InvalidPolicy) naming the pattern

export const explained = Either.map(policy, (p) =>
  [
    TimeLimit.explain(p, { categoryId: burning, urgency: "urgent", step: "handling" }),
    TimeLimit.explain(p, { categoryId: CategoryId.make("SJ-0102"), urgency: "urgent", step: "handling" })
  ].map((rule) => Option.getOrElse(rule, () => "no rule"))
) // → ["SJ-0110 × * × handling → 4工作时", "* × urgent × handling → 1个工作日"]

// 计时灯 — a burning-rubbish case dispatched on Monday 10 March 2025 at 09:00 (handling step).
const china = WorkingCalendar.china()
const at = (time: string) => DateTime.unsafeMake(`2025-03-10T${time}:00+08:00`)
const handling: TimeLimit.TimerInput = {
  categoryId: burning,
  urgency: "normal",
  step: "handling",
  startedAt: at("09:00")
}
export const colors = Either.map(policy, (p) =>
  [at("11:00"), at("14:00"), at("14:30"), at("15:00")].map((now) =>
    Either.map(TimeLimit.light(p, china, handling, now), (light) => light.color)
  )
) // → green (2 of 4 h used), yellow (3.5 h: ≥ 80 %), yellow (exactly 4 h: the deadline, 14:30), red (past it: 超期)

// The deadline moves with a suspension 挂账 (the clock stops) and an approved extension 延期 (more time):
export const deadline = Either.flatMap(policy, (p) =>
  TimeLimit.deadline(p, china, {
    ...handling,
    suspensions: [{ from: at("10:00"), to: at("11:00") }],
    extensions: [WorkDuration.workingHours(2)]
  })
).pipe(
  Either.map((d) =>
    DateTime.formatIsoOffset(DateTime.setZone(d.deadline, DateTime.zoneMakeOffset(8 * 3_600_000)))
  )
) // → Right("2025-03-10T17:30:00.000+08:00"): 4 h + 2 h extension, plus the hour suspended; lunch excluded
