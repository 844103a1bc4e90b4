/**
 * Case events → `CaseFacts` (the per-case summary the indicators are computed
 * from). The walk mirrors the case decider's `evolve` (internal/caseEvolve.ts)
 * for everything the indicators need — status, the running timed step and when
 * it started, the tier — and records what `evolve` forgets: every step run
 * (计时段) with how it ended, every dispatch and whether it was returned, every
 * rework, every return visit and whether it led to a reopen, the first closure.
 * Instants are epoch milliseconds.
 *
 * @since 0.1.0
 */
import type { CaseId, DispatchTarget, Status } from "../Case.js"
import type { CaseEvent } from "../CaseEvent.js"
import type { CaseStep } from "../CaseStep.js"
import type {
  CaseFacts,
  ClosureFact,
  DispatchFact,
  EvaluationFact,
  ExtensionFact,
  RunEnd,
  StepRun,
  SuspensionFact
} from "../Indicator.js"
import type { UnitId } from "../Unit.js"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Why a history cannot be summarised (the same rules as `Case.replay`). */
export interface HistoryBreak {
  readonly caseId: CaseId
  readonly index: number
  readonly sequence: number
  readonly expected: number
  readonly rule: "first-event" | "sequence" | "case-id"
}

/**
 * Sorts one case's events by sequence, drops exact repeats (same sequence,
 * tag and instant — a store delivering an event twice) and checks the rest
 * continue the case: the first is `Reported` with sequence 1, sequences are
 * gapless, every event is of the same case. Returns the ordered events or the
 * first break.
 */
export const order = (
  events: ReadonlyArray<CaseEvent>
): { readonly events: ReadonlyArray<CaseEvent> } | { readonly break: HistoryBreak } => {
  const sorted = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.sequence - b.e.sequence || a.i - b.i)
    .map((x) => x.e)
  const out: Array<CaseEvent> = []
  const first = sorted[0]
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]
    if (e === undefined) continue
    const prev = out[out.length - 1]
    if (
      prev !== undefined &&
      prev.sequence === e.sequence &&
      prev._tag === e._tag &&
      prev.at.epochMillis === e.at.epochMillis &&
      prev.caseId === e.caseId
    ) {
      continue
    }
    const expected = out.length + 1
    const problem = { caseId: e.caseId, index: out.length, sequence: e.sequence, expected }
    if (out.length === 0) {
      if (e._tag !== "Reported" || e.sequence !== 1) return { break: { ...problem, rule: "first-event" } }
    } else {
      if (first !== undefined && e.caseId !== first.caseId) return { break: { ...problem, rule: "case-id" } }
      if (e.sequence !== expected) return { break: { ...problem, rule: "sequence" } }
      if (e._tag === "Reported") return { break: { ...problem, rule: "first-event" } }
    }
    out.push(e)
  }
  return { events: out }
}

const handlerUnit = (target: DispatchTarget | null): UnitId | null =>
  target !== null && target._tag === "Unit" ? target.unitId : null

/**
 * Summarises an ordered, gapless history (see `order`); undefined when it is
 * empty. Events after `until` (epoch ms) are left out.
 */
export const summarize = (events: ReadonlyArray<CaseEvent>, until: number): CaseFacts | undefined => {
  const reported = events[0]
  if (reported === undefined || reported._tag !== "Reported" || reported.at.epochMillis > until)
    return undefined
  const runs: Array<Mutable<StepRun>> = []
  const dispatches: Array<Mutable<DispatchFact>> = []
  const reworks: Array<number> = []
  const evaluations: Array<Mutable<EvaluationFact>> = []
  const suspensions: Array<Mutable<SuspensionFact>> = []
  const extensions: Array<ExtensionFact> = []
  let status: Status = "reported"
  let step: CaseStep | null = null
  let resumeTo: Status | null = null
  let pendingSuspension: CaseStep | null = null
  let target: DispatchTarget | null = null
  let acceptedAt: number | null = null
  let selfHandled = false
  let firstClose: ClosureFact | null = null
  let lastAt = reported.at.epochMillis

  const start = (s: CaseStep, at: number): void => {
    step = s
    runs.push({ step: s, start: at, end: null, endedBy: null })
  }
  const end = (by: RunEnd, at: number): void => {
    const run = runs[runs.length - 1]
    if (step !== null && run !== undefined && run.end === null) {
      run.end = at
      run.endedBy = by
    }
    step = null
  }

  start("filing", reported.at.epochMillis)
  for (let i = 1; i < events.length; i++) {
    const e = events[i]
    if (e === undefined) continue
    const at = e.at.epochMillis
    if (at > until) break
    lastAt = at
    switch (e._tag) {
      case "Reported":
        break
      case "Accepted":
        end("accepted", at)
        status = "accepted"
        if (acceptedAt === null) acceptedAt = at
        start("dispatch", at)
        break
      case "Rejected":
        end("rejected", at)
        status = "rejected"
        break
      case "Voided":
        end("voided", at)
        status = "voided"
        break
      case "Dispatched":
        end("dispatched", at)
        status = "dispatched"
        target = e.target
        dispatches.push({ at, target: e.target, returnedAt: null })
        start("handling", at)
        break
      case "Returned": {
        end("returned", at)
        status = "accepted"
        target = null
        const last = dispatches[dispatches.length - 1]
        if (last !== undefined && last.returnedAt === null) last.returnedAt = at
        start("dispatch", at)
        break
      }
      case "Handled":
        end("handled", at)
        status = "handled"
        start("verification", at)
        break
      case "VerificationPassed":
        break
      case "VerificationFailed":
        end("failed", at)
        status = "rework"
        reworks.push(at)
        start("handling", at)
        break
      case "Closed":
        end("closed", at)
        status = "closed"
        if (firstClose === null) {
          firstClose = { at, tier: e.tier, via: e.via, handlerUnitId: handlerUnit(target) }
        }
        start("evaluation", at)
        break
      case "Evaluated":
        status = "evaluated"
        evaluations.push({
          at,
          rating: e.rating,
          reopenedAt: null,
          ...(e.resolved === undefined ? {} : { resolved: e.resolved })
        })
        if (e.rating !== "unreachable") end("evaluated", at)
        break
      case "Reopened": {
        const last = evaluations[evaluations.length - 1]
        if (last !== undefined && last.reopenedAt === null) last.reopenedAt = at
        if (e.to === "handling") {
          status = "dispatched"
          start("handling", at)
        } else {
          status = "accepted"
          target = null
          start("dispatch", at)
        }
        break
      }
      case "SuspensionRequested":
        pendingSuspension = e.step
        break
      case "SuspensionApproved":
        suspensions.push({ step: pendingSuspension ?? step ?? "handling", from: at, to: null })
        resumeTo = status
        status = "suspended"
        pendingSuspension = null
        break
      case "SuspensionDenied":
        pendingSuspension = null
        break
      case "Resumed": {
        status = resumeTo ?? "dispatched"
        resumeTo = null
        const last = suspensions[suspensions.length - 1]
        if (last !== undefined && last.to === null) last.to = at
        break
      }
      case "ExtensionRequested":
      case "ExtensionDenied":
        break
      case "ExtensionApproved":
        extensions.push({ step: e.step, amount: e.amount, approvedAt: at })
        break
      case "Merged":
        end("merged", at)
        status = "merged"
        pendingSuspension = null
        break
      case "Escalated":
        pendingSuspension = null
        if (status === "dispatched" || status === "rework") {
          end("escalated", at)
          status = "accepted"
          target = null
          start("dispatch", at)
        } else {
          const current: CaseStep = step ?? "filing"
          end("escalated", at)
          start(current, at)
        }
        break
      case "SelfHandled":
        end("self-handled", at)
        status = "handled"
        acceptedAt = at
        selfHandled = true
        start("verification", at)
        break
      case "Commented":
        // a comment changes nothing the indicators count
        break
    }
  }
  return {
    caseId: reported.caseId,
    communityId: reported.communityId,
    locationUnitId: reported.location.unitId,
    source: reported.source,
    categoryId: reported.categoryId,
    urgency: reported.urgency,
    reportedAt: reported.at.epochMillis,
    acceptedAt,
    selfHandled,
    status,
    lastAt,
    firstClose,
    runs,
    dispatches,
    reworks,
    evaluations,
    suspensions,
    extensions
  }
}
