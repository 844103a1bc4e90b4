/**
 * 超时自动上报 — automatic escalation of overdue cases through the three-tier
 * loop (the Panlong district report: 社区自循环 → 街道微循环 → 区级小循环). A pure function: given
 * the open cases, the time-limit policy, the working calendar, the hierarchy
 * and `now`, it lists the escalations due — each as a ready `Escalate`
 * command by the `system` actor that `Case.decide` accepts — and the cases it
 * could not judge (e.g. a year with no loaded schedule), never silently.
 *
 * A case is due when it is open, not suspended (挂账 stops the clock), below
 * the district, its current step is one of the escalating steps (default:
 * 立案 filing, 派遣 dispatch, 处置 handling), and the step's timer has used
 * more than `afterFraction` of its limit (default 1: past the deadline — the
 * red light). Escalation never goes past the district.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { type Actor, ActorId } from "./Actor.js"
import * as Case from "./Case.js"
import * as CaseCommand from "./CaseCommand.js"
import type { CaseStep } from "./CaseStep.js"
import type * as Hierarchy from "./Hierarchy.js"
import * as Routing from "./Routing.js"
import type { Tier } from "./Tier.js"
import * as TimeLimit from "./TimeLimit.js"
import type { UnitId } from "./Unit.js"
import type * as WorkingCalendar from "./WorkingCalendar.js"

/**
 * 自动上报规则 — which steps escalate automatically, and past which share of
 * the limit. Local practice: configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface AutoEscalationPolicy {
  readonly steps: ReadonlyArray<CaseStep>
  /** Escalate when the used share of the step's limit exceeds this (1 = past the deadline). */
  readonly afterFraction: number
}

/**
 * The default: filing, dispatch and handling escalate once past their deadline.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPolicy: AutoEscalationPolicy = {
  steps: ["filing", "dispatch", "handling"],
  afterFraction: 1
}

/**
 * What `due` needs besides the cases.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly hierarchy: Hierarchy.Hierarchy
  readonly timeLimits: TimeLimit.TimeLimitPolicy
  readonly calendar: WorkingCalendar.WorkingCalendar
  readonly policy?: AutoEscalationPolicy
  readonly tierLevels?: Routing.TierLevels
  readonly thresholds?: TimeLimit.Thresholds
  /** The id the `system` actor acts under; `"system"` by default. */
  readonly systemActorId?: string
}

/**
 * 应上报 — one escalation due: the case, its overdue step and light, where it
 * goes, and the command to run through `Case.decide`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Due {
  readonly caseId: Case.CaseId
  readonly step: CaseStep
  readonly light: TimeLimit.TimerLight
  readonly from: Tier
  readonly to: { readonly tier: Tier; readonly unitId: UnitId }
  readonly command: CaseCommand.Escalate
}

/**
 * A case `due` could not judge, with the reason (e.g. `YearNotLoaded`, or no
 * unit of the next tier above its community).
 *
 * @since 0.1.0
 * @category models
 */
export interface Skipped {
  readonly caseId: Case.CaseId
  readonly reason:
    | TimeLimit.TimeLimitError
    | { readonly _tag: "NoEscalationTarget"; readonly message: string }
}

/**
 * The timer input of a case's current step — its current run: suspensions
 * begun and extensions approved since the step (re)started; none when the
 * case has no running step.
 *
 * @since 0.1.0
 * @category getters
 */
export const timerInputOf = (self: Case.Case): Option.Option<TimeLimit.TimerInput> => {
  if (self.step === null || self.stepStartedAt === null) return Option.none()
  const step = self.step
  const startedAt = self.stepStartedAt
  // only the current run of the step: a rework, reopen or escalation restarts the
  // clock, and what was suspended or extended in an earlier run does not carry over
  const inRun = (at: DateTime.Utc): boolean => DateTime.greaterThanOrEqualTo(at, startedAt)
  return Option.some({
    categoryId: self.categoryId,
    urgency: self.urgency,
    step,
    startedAt,
    suspensions: Case.suspensionsOf(self, step)
      .filter((s) => inRun(s.from))
      .map((s) => ({ from: s.from, to: s.to })),
    extensions: self.extensions.filter((e) => e.step === step && inRun(e.approvedAt)).map((e) => e.amount)
  })
}

/**
 * 到期上报清单 — the escalations due at `now` among the given cases, in case-id
 * order, and the cases that could not be judged.
 *
 * @since 0.1.0
 * @category escalation
 */
export const due = (
  cases: Iterable<Case.Case>,
  now: DateTime.Utc,
  ctx: Context
): { readonly due: ReadonlyArray<Due>; readonly skipped: ReadonlyArray<Skipped> } => {
  const policy = ctx.policy ?? defaultPolicy
  const steps = new Set<string>(policy.steps)
  const out: Array<Due> = []
  const skipped: Array<Skipped> = []
  for (const c of cases) {
    if (!Case.isOpen(c.status) || c.status === "suspended" || c.tier === "district") continue
    if (c.step === null || !steps.has(c.step)) continue
    const input = timerInputOf(c)
    if (Option.isNone(input)) continue
    const light = TimeLimit.light(ctx.timeLimits, ctx.calendar, input.value, now, ctx.thresholds)
    if (Either.isLeft(light)) {
      skipped.push({ caseId: c.id, reason: light.left })
      continue
    }
    if (!(light.right.fraction > policy.afterFraction)) continue
    const target = Routing.escalationTarget(ctx.hierarchy, c.communityId, c.tier, ctx.tierLevels)
    if (Option.isNone(target)) {
      skipped.push({
        caseId: c.id,
        reason: {
          _tag: "NoEscalationTarget",
          message: `no unit of the tier above ${c.tier} contains community ${c.communityId}`
        }
      })
      continue
    }
    const actor: Actor = {
      id: ActorId.make(ctx.systemActorId ?? "system"),
      role: "system",
      unitId: c.ownerUnitId
    }
    const step = c.step
    out.push({
      caseId: c.id,
      step,
      light: light.right,
      from: c.tier,
      to: target.value,
      command: CaseCommand.Escalate.make({
        caseId: c.id,
        actor,
        at: now,
        toUnitId: target.value.unitId,
        reason: `超时自动上报 overdue: step ${step} passed ${Math.round(light.right.fraction * 100)}% of its limit (deadline ${DateTime.formatIso(light.right.deadline)})`
      })
    })
  }
  out.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0))
  skipped.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0))
  return { due: out, skipped }
}
