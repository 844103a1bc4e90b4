/**
 * 处置时限 — the time limits page: the rules of `TimeLimit.defaultPolicy`,
 * the limit every step gets at every urgency under it (looked up with
 * `TimeLimit.lookupRule`, as a case would), the timer-light thresholds, the
 * default working calendar and the default automatic escalation.
 *
 * @since 0.1.0
 */
import { CategoryId, Urgency } from "@civicgrid/core/CaseCategory"
import * as CaseStep from "@civicgrid/core/CaseStep"
import * as Escalation from "@civicgrid/core/Escalation"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Either from "effect/Either"
import { docOf, findModule, literalNames } from "../internal/exported.js"
import { code, document, notice, num, table } from "../internal/markdown.js"
import * as Files from "./Files.js"
import type { ModuleDoc } from "./SourceDoc.js"

/**
 * The page path.
 *
 * @since 0.1.0
 * @category constants
 */
export const page = "time-limits.md"

const urgencyNames = literalNames(Urgency.ast)
const lightNames = literalNames(TimeLimit.LightColor.ast)

const urgencyLabel = (u: Urgency): string => `${u} ${urgencyNames.get(u) ?? ""}`.trim()
const stepLabel = (s: CaseStep.CaseStep): string => `${s} ${CaseStep.names[s]}`

const limitText = (d: WorkDuration.WorkDuration): string =>
  `${WorkDuration.format(d)} (${num(d.amount)} ${d.unit})`

/**
 * The limit of each step at each urgency under a policy, for a category with
 * no rules of its own (`—` where no rule matches).
 *
 * @since 0.1.0
 * @category utils
 */
export const matrix = (
  policy: TimeLimit.TimeLimitPolicy
): ReadonlyArray<{ readonly step: CaseStep.CaseStep; readonly limits: ReadonlyArray<string> }> => {
  const categoryId = CategoryId.make("*")
  return CaseStep.all.map((step) => ({
    step,
    limits: Urgency.literals.map((urgency) =>
      Either.match(TimeLimit.lookupRule(policy, { categoryId, urgency, step }), {
        onLeft: () => "—",
        onRight: (rule) => limitText(rule.limit)
      })
    )
  }))
}

const yearRanges = (years: ReadonlyArray<number>): string => {
  const runs: Array<[number, number]> = []
  for (const year of [...years].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1]
    if (last !== undefined && last[1] + 1 === year) last[1] = year
    else runs.push([year, year])
  }
  return runs.map(([from, to]) => (from === to ? `${from}` : `${from}–${to}`)).join(", ")
}

/**
 * The time limits page.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderPage = (modules: ReadonlyArray<ModuleDoc>): string => {
  const timeLimit = findModule(modules, "@civicgrid/core", "TimeLimit")
  const calendar = findModule(modules, "@civicgrid/core", "WorkingCalendar")
  const escalation = findModule(modules, "@civicgrid/core", "Escalation")
  const policy = TimeLimit.defaultPolicy
  const thresholds = TimeLimit.defaultThresholds
  const minutes = WorkingCalendar.defaultPeriods.reduce((sum, p) => {
    const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5))
    return sum + toMinutes(p.end) - toMinutes(p.start)
  }, 0)
  return document([
    "# Time limits 处置时限",
    notice,
    "Every value here is configuration with the documented default. Lookup order and deadline rules: " +
      "see [TimeLimit](core/TimeLimit.md).",
    "## Default policy 默认时限",
    docOf(timeLimit, "defaultPolicy")?.text ?? "",
    `The ${policy.rules.length} rules of \`TimeLimit.defaultPolicy\` (a blank cell matches anything):`,
    table(
      ["category", "urgency", "step", "limit"],
      policy.rules.map((r) => [
        r.categoryId === undefined ? "" : code(r.categoryId),
        r.urgency === undefined ? "" : urgencyLabel(r.urgency),
        r.step === undefined ? "" : stepLabel(r.step),
        limitText(r.limit)
      ])
    ),
    "### Limits by step and urgency",
    "What `TimeLimit.lookup` gives a category without rules of its own:",
    table(
      ["step", ...Urgency.literals.map(urgencyLabel)],
      matrix(policy).map((row) => [stepLabel(row.step), ...row.limits])
    ),
    "## Timer light 计时灯",
    docOf(timeLimit, "defaultThresholds")?.text ?? "",
    table(
      ["light", "中文", "used share of the limit"],
      [
        [code("green"), lightNames.get("green") ?? "", `below ${num(thresholds.yellow)}`],
        [
          code("yellow"),
          lightNames.get("yellow") ?? "",
          `from ${num(thresholds.yellow)} up to and including ${num(thresholds.red)}`
        ],
        [code("red"), lightNames.get("red") ?? "", `above ${num(thresholds.red)}`]
      ]
    ),
    "## Working calendar 工作日历",
    docOf(calendar, "defaultPeriods")?.text ?? "",
    table(
      ["setting", "default"],
      [
        [
          "working periods `WorkingCalendar.defaultPeriods`",
          `${WorkingCalendar.defaultPeriods.map((p) => `${p.start}–${p.end}`).join(", ")} (${num(minutes / 60)} h a day)`
        ],
        [
          "weekly rest days `WorkingCalendar.defaultRestDays` (1 = Monday)",
          WorkingCalendar.defaultRestDays.join(", ")
        ],
        [
          "UTC offset `WorkingCalendar.defaultUtcOffsetMinutes`",
          `${num(WorkingCalendar.defaultUtcOffsetMinutes)} minutes (UTC+${num(WorkingCalendar.defaultUtcOffsetMinutes / 60)})`
        ],
        [
          "official holiday schedules `WorkingCalendar.officialYears()`",
          yearRanges(WorkingCalendar.officialYears())
        ]
      ]
    ),
    "## Automatic escalation 自动上报",
    docOf(escalation, "defaultPolicy")?.text ?? "",
    table(
      ["setting", "default"],
      [
        ["steps", Escalation.defaultPolicy.steps.map(stepLabel).join(", ")],
        ["after used share of the limit", num(Escalation.defaultPolicy.afterFraction)]
      ]
    )
  ])
}

/**
 * The time limits page of the core.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (modules: ReadonlyArray<ModuleDoc>): Files.Files =>
  Files.make([[page, renderPage(modules)]])
