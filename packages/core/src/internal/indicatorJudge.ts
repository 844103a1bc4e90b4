/**
 * On-time judgement of step runs (计时段) for the indicators.
 *
 * A run of a timed step is **on time** when it ended at or before its
 * deadline, **late** when it ended after it or is still running at `asOf`
 * past it, **pending** when it is still running and not yet past it.
 * The deadline is `TimeLimit.deadline` for the case's category × urgency ×
 * step, from the run's start, with the suspensions of that step that overlap
 * the run and the extensions of that step approved during the run — each
 * extension only if approved at or before the deadline it extends (a late
 * approval does not rescue an overdue run).
 *
 * Fast path: a run with no such suspension or extension (almost every run)
 * has the deadline `start + limit` on the limit's clock — exactly what
 * `TimeLimit.deadline` computes then (`Clock.deadlineOn` with no
 * suspensions is `Clock.addOn`), without building `DateTime`s. Every other
 * run goes through `TimeLimit.deadline` itself. The test suite checks the two
 * agree.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import type { CategoryId, Urgency } from "../CaseCategory.js"
import type { CaseStep } from "../CaseStep.js"
import type { CaseFacts, ExtensionFact, StepRun } from "../Indicator.js"
import * as TimeLimit from "../TimeLimit.js"
import * as WorkDuration from "../WorkDuration.js"
import { type WorkingCalendar, YearNotLoaded } from "../WorkingCalendar.js"
import * as Cal from "./calendar.js"
import * as Clock from "./calendarClock.js"

/** The run ended at or before its deadline. */
export const ON_TIME = 0
/** The run ended after its deadline, or is still running past it at `asOf`. */
export const LATE = 1
/** The run is still running and its deadline has not passed at `asOf`. */
export const PENDING = 2
/** The deadline could not be computed (see `Judge.error`). */
export const FAILED = 3

/** One of `ON_TIME`, `LATE`, `PENDING`, `FAILED`. */
export type Verdict = 0 | 1 | 2 | 3

interface Limit {
  readonly index: Cal.CalendarIndex | undefined
  readonly ms: number
}

const urgencySlot: Readonly<Record<Urgency, number>> = { normal: 0, urgent: 1, critical: 2 }
const stepSlot: Readonly<Record<CaseStep, number>> = {
  filing: 0,
  dispatch: 1,
  handling: 2,
  verification: 3,
  evaluation: 4
}

const byApproval = (a: ExtensionFact, b: ExtensionFact): number => a.approvedAt - b.approvedAt

/** Judges step runs against one policy and calendar at one `asOf` (epoch ms). */
export class Judge {
  /** The deadline (epoch ms) of the last run judged `ON_TIME` or `LATE`. */
  deadline = 0
  /** Why the last `FAILED` verdict failed. */
  error: TimeLimit.TimeLimitError | undefined = undefined
  private readonly memo = new Map<string, Array<Limit | TimeLimit.NoTimeLimit | undefined>>()
  private asOfUtc: DateTime.Utc | undefined = undefined
  /** The instant runs are judged at (epoch ms); see `setAsOf`. */
  asOf: number

  constructor(
    readonly policy: TimeLimit.TimeLimitPolicy,
    readonly calendar: WorkingCalendar,
    asOf: number
  ) {
    this.asOf = asOf
  }

  /** Judges at another instant from now on (the limits looked up so far are kept). */
  setAsOf(asOf: number): void {
    this.asOf = asOf
    this.asOfUtc = undefined
  }

  /** `asOf` as a `DateTime`, made when first needed (the slow path only). */
  private asOfDateTime(): DateTime.Utc {
    if (this.asOfUtc === undefined) this.asOfUtc = DateTime.unsafeMake(this.asOf)
    return this.asOfUtc
  }

  private limitOf(categoryId: CategoryId, urgency: Urgency, step: CaseStep): Limit | TimeLimit.NoTimeLimit {
    let slots = this.memo.get(categoryId)
    if (slots === undefined) {
      slots = new Array<Limit | TimeLimit.NoTimeLimit | undefined>(15).fill(undefined)
      this.memo.set(categoryId, slots)
    }
    const slot = urgencySlot[urgency] * 5 + stepSlot[step]
    const hit = slots[slot]
    if (hit !== undefined) return hit
    const found = Either.match(TimeLimit.lookup(this.policy, { categoryId, urgency, step }), {
      onLeft: (error): Limit | TimeLimit.NoTimeLimit => error,
      onRight: (limit): Limit | TimeLimit.NoTimeLimit => ({
        index: Clock.clockIndex(this.calendar, limit.unit),
        ms: WorkDuration.toMillis(this.calendar, limit)
      })
    })
    slots[slot] = found
    return found
  }

  /** The verdict on one run of a case. */
  judge(facts: CaseFacts, run: StepRun): Verdict {
    const start = run.start
    const end = run.end
    // (no shortcut for runs that took no time: a run in a year with no schedule is never judged on time)
    if (end === null && this.asOf <= start) return PENDING
    const limit = this.limitOf(facts.categoryId, facts.urgency, run.step)
    if ("_tag" in limit) {
      this.error = limit
      return FAILED
    }
    const horizon = end ?? this.asOf
    let simple = true
    for (const s of facts.suspensions) {
      if (s.step === run.step && s.from < horizon && (s.to === null || s.to > start)) {
        simple = false
        break
      }
    }
    if (simple) {
      for (const x of facts.extensions) {
        if (x.step === run.step && x.approvedAt >= start && x.approvedAt <= horizon) {
          simple = false
          break
        }
      }
    }
    const deadline = simple ? Clock.addOn(limit.index, start, limit.ms) : this.slow(facts, run, horizon)
    if (Number.isNaN(deadline)) {
      if (simple) this.error = new YearNotLoaded({ year: Cal.missingYear() })
      return FAILED
    }
    this.deadline = deadline
    if (end !== null) return end <= deadline ? ON_TIME : LATE
    return this.asOf > deadline ? LATE : PENDING
  }

  /** `TimeLimit.deadline` with the run's suspensions and its in-time extensions; NaN (and `error`) on failure. */
  private slow(facts: CaseFacts, run: StepRun, horizon: number): number {
    const suspensions = facts.suspensions
      .filter((s) => s.step === run.step && s.from < horizon && (s.to === null || s.to > run.start))
      .map((s) => ({
        from: DateTime.unsafeMake(s.from),
        to: s.to === null ? null : DateTime.unsafeMake(s.to)
      }))
    const candidates = facts.extensions
      .filter((x) => x.step === run.step && x.approvedAt >= run.start && x.approvedAt <= horizon)
      .sort(byApproval)
    const extensions: Array<WorkDuration.WorkDuration> = []
    const input = (): TimeLimit.TimerInput => ({
      categoryId: facts.categoryId,
      urgency: facts.urgency,
      step: run.step,
      startedAt: DateTime.unsafeMake(run.start),
      suspensions,
      extensions
    })
    let result = TimeLimit.deadline(this.policy, this.calendar, input(), this.asOfDateTime())
    for (const x of candidates) {
      if (Either.isLeft(result)) break
      if (x.approvedAt > result.right.deadline.epochMillis) break
      extensions.push(x.amount)
      result = TimeLimit.deadline(this.policy, this.calendar, input(), this.asOfDateTime())
    }
    if (Either.isLeft(result)) {
      this.error = result.left
      return Number.NaN
    }
    return result.right.deadline.epochMillis
  }
}
