/**
 * Applying case events. One mutable applier (`apply`) serves both `evolve`
 * (copy the state once, apply one event) and `fold` (build one private draft,
 * apply every event in place — no object spread per event). Both therefore
 * compute the same states by construction.
 *
 * @since 0.1.0
 */
import type {
  ApprovedExtension,
  Case,
  CaseId,
  Counts,
  NoCase,
  State,
  SuspensionInterval,
  TierEntry
} from "../Case.js"
import type { CaseEvent, Reported } from "../CaseEvent.js"
import type { CaseStep } from "../CaseStep.js"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** A case under construction: mutable fields, arrays and counts owned by the draft. */
type Draft = Omit<Mutable<Case>, "tierHistory" | "suspensions" | "extensions" | "counts"> & {
  tierHistory: Array<TierEntry>
  suspensions: Array<SuspensionInterval>
  extensions: Array<ApprovedExtension>
  counts: Mutable<Counts>
}

/** The state before any event. */
export const initial: NoCase = { _tag: "NoCase", version: 0 }

const create = (e: Reported): Draft => ({
  _tag: "Case",
  id: e.caseId,
  version: e.sequence,
  status: "reported",
  source: e.source,
  ...(e.localSource === undefined ? {} : { localSource: e.localSource }),
  categoryId: e.categoryId,
  urgency: e.urgency,
  location: e.location,
  ...(e.publishExact === undefined ? {} : { publishExact: e.publishExact }),
  ...(e.notifyReporter === undefined ? {} : { notifyReporter: e.notifyReporter }),
  ...(e.media === undefined ? {} : { media: e.media }),
  communityId: e.communityId,
  anonymous: e.anonymous,
  reportedBy: e.actor.id,
  tier: e.tier,
  ownerUnitId: e.ownerUnitId,
  tierHistory: [{ tier: e.tier, unitId: e.ownerUnitId, at: e.at, automatic: false }],
  step: "filing",
  stepStartedAt: e.at,
  dispatchTarget: null,
  counts: { dispatches: 0, returns: 0, reworks: 0, reopens: 0, escalations: 0 },
  suspensions: [],
  resumeTo: null,
  pendingSuspension: null,
  pendingExtension: null,
  extensions: [],
  reportedAt: e.at,
  acceptedAt: null,
  dispatchedAt: null,
  handledAt: null,
  closedAt: null,
  closedTier: null,
  closedVia: null,
  evaluation: null,
  voidReason: null,
  mergedInto: null,
  updatedAt: e.at
})

const copy = (state: Case): Draft => ({
  ...state,
  tierHistory: state.tierHistory.slice(),
  suspensions: state.suspensions.slice(),
  extensions: state.extensions.slice(),
  counts: { ...state.counts }
})

const startStep = (d: Draft, step: CaseStep, at: Draft["updatedAt"]): void => {
  d.step = step
  d.stepStartedAt = at
}

const endSteps = (d: Draft): void => {
  d.step = null
  d.stepStartedAt = null
}

const clearPending = (d: Draft): void => {
  d.pendingSuspension = null
  d.pendingExtension = null
}

/** Whether an event continues a case: same case, next sequence, not a second `Reported`. */
const continues = (d: { readonly id: CaseId; readonly version: number }, e: CaseEvent): boolean =>
  e._tag !== "Reported" && e.caseId === d.id && e.sequence === d.version + 1

/** Applies an event that continues the case, in place. */
const apply = (d: Draft, e: CaseEvent): void => {
  d.version = e.sequence
  if (e._tag === "Commented") {
    // a comment changes nothing of the case: not its status, not `updatedAt`
    d.commentedAt = e.at
    return
  }
  d.updatedAt = e.at
  switch (e._tag) {
    case "Reported":
      return
    case "Supervised":
      // never changes the status or the step's clock: counted, with the last one's instant and level
      d.supervisions = (d.supervisions ?? 0) + 1
      d.lastSupervision = { at: e.at, level: e.level }
      return
    case "Accepted":
      d.status = "accepted"
      d.acceptedAt = e.at
      startStep(d, "dispatch", e.at)
      return
    case "Rejected":
      d.status = "rejected"
      endSteps(d)
      return
    case "Voided":
      d.status = "voided"
      d.voidReason = e.reason
      clearPending(d)
      endSteps(d)
      return
    case "Dispatched":
      d.status = "dispatched"
      d.dispatchTarget = e.target
      d.dispatchedAt = e.at
      d.counts.dispatches++
      startStep(d, "handling", e.at)
      return
    case "Returned":
      d.status = "accepted"
      d.dispatchTarget = null
      d.counts.returns++
      clearPending(d)
      startStep(d, "dispatch", e.at)
      return
    case "Handled":
      d.status = "handled"
      d.handledAt = e.at
      clearPending(d)
      startStep(d, "verification", e.at)
      return
    case "VerificationPassed":
      // the case stays `handled` until the `Closed` event that follows
      return
    case "VerificationFailed":
      d.status = "rework"
      d.counts.reworks++
      startStep(d, "handling", e.at)
      return
    case "Closed":
      d.status = "closed"
      d.closedAt = e.at
      d.closedTier = e.tier
      d.closedVia = e.via
      startStep(d, "evaluation", e.at)
      return
    case "Evaluated":
      d.status = "evaluated"
      d.evaluation =
        e.resolved === undefined
          ? { rating: e.rating, at: e.at, by: e.actor.id }
          : { rating: e.rating, resolved: e.resolved, at: e.at, by: e.actor.id }
      // an unreachable return visit leaves the evaluation step running, to be repeated
      if (e.rating !== "unreachable") endSteps(d)
      return
    case "Reopened":
      d.counts.reopens++
      d.closedAt = null
      d.closedTier = null
      d.closedVia = null
      d.evaluation = null
      if (e.to === "handling") {
        d.status = "dispatched"
        startStep(d, "handling", e.at)
      } else {
        d.status = "accepted"
        d.dispatchTarget = null
        startStep(d, "dispatch", e.at)
      }
      return
    case "SuspensionRequested":
      d.pendingSuspension = { step: e.step, requestedAt: e.at, requestedBy: e.actor.id, reason: e.reason }
      return
    case "SuspensionApproved": {
      const pending = d.pendingSuspension
      d.suspensions.push({
        step: pending?.step ?? d.step ?? "handling",
        from: e.at,
        to: null,
        reason: pending?.reason ?? "(no request)"
      })
      d.resumeTo = d.status
      d.status = "suspended"
      d.pendingSuspension = null
      return
    }
    case "SuspensionDenied":
      d.pendingSuspension = null
      return
    case "Resumed": {
      d.status = d.resumeTo ?? "dispatched"
      d.resumeTo = null
      const i = d.suspensions.length - 1
      const last = d.suspensions[i]
      // replace, never mutate: the interval object may be shared with an earlier state
      if (last !== undefined && last.to === null) d.suspensions[i] = { ...last, to: e.at }
      return
    }
    case "ExtensionRequested":
      d.pendingExtension = {
        step: e.step,
        requestedAt: e.at,
        requestedBy: e.actor.id,
        reason: e.reason,
        amount: e.amount
      }
      return
    case "ExtensionApproved":
      d.extensions.push({ step: e.step, amount: e.amount, approvedAt: e.at })
      d.pendingExtension = null
      return
    case "ExtensionDenied":
      d.pendingExtension = null
      return
    case "Merged":
      d.status = "merged"
      d.mergedInto = e.targetId
      clearPending(d)
      endSteps(d)
      return
    case "Escalated":
      d.tier = e.toTier
      d.ownerUnitId = e.toUnitId
      d.tierHistory.push({ tier: e.toTier, unitId: e.toUnitId, at: e.at, automatic: e.automatic })
      d.counts.escalations++
      clearPending(d)
      if (d.status === "dispatched" || d.status === "rework") {
        // the higher tier takes the case over and dispatches it anew
        d.status = "accepted"
        d.dispatchTarget = null
        startStep(d, "dispatch", e.at)
      } else {
        // the new owner's clock for the current step starts now
        startStep(d, d.step ?? "filing", e.at)
      }
      return
    case "SelfHandled":
      d.status = "handled"
      d.acceptedAt = e.at
      d.handledAt = e.at
      startStep(d, "verification", e.at)
      return
  }
}

/** One event: a new state (the given one is untouched), or the same state if the event does not continue it. */
export const evolve = (state: State, event: CaseEvent): State => {
  if (state._tag === "NoCase") {
    return event._tag === "Reported" && event.sequence === 1 ? create(event) : state
  }
  if (!continues(state, event)) return state
  const d = copy(state)
  apply(d, event)
  return d
}

/** Many events from a state, on one draft; events that do not continue the case are skipped. */
export const evolveAll = (state: State, events: Iterable<CaseEvent>): State => {
  let d: Draft | undefined = state._tag === "Case" ? copy(state) : undefined
  if (Array.isArray(events)) {
    // indexed loop: no iterator protocol on the hot path
    const list: ReadonlyArray<CaseEvent> = events
    for (let i = 0; i < list.length; i++) {
      const e = list[i]
      if (e === undefined) continue
      if (d === undefined) {
        if (e._tag === "Reported" && e.sequence === 1) d = create(e)
      } else if (continues(d, e)) {
        apply(d, e)
      }
    }
    return d ?? state
  }
  for (const e of events) {
    if (d === undefined) {
      if (e._tag === "Reported" && e.sequence === 1) d = create(e)
    } else if (continues(d, e)) {
      apply(d, e)
    }
  }
  return d ?? state
}

/** The fold from `initial`. */
export const fold = (events: Iterable<CaseEvent>): State => evolveAll(initial, events)

/** The first event that does not continue the history, for a strict replay. */
export const firstBreak = (
  events: ReadonlyArray<CaseEvent>
):
  | {
      readonly caseId: CaseId
      readonly index: number
      readonly sequence: number
      readonly expected: number
      readonly rule: "first-event" | "sequence" | "case-id"
    }
  | undefined => {
  const first = events[0]
  if (first === undefined) return undefined
  for (let index = 0; index < events.length; index++) {
    const e = events[index]
    if (e === undefined) continue
    const expected = index + 1
    const problem = { caseId: e.caseId, index, sequence: e.sequence, expected }
    if (index === 0) {
      if (e._tag !== "Reported" || e.sequence !== 1) return { ...problem, rule: "first-event" }
      continue
    }
    if (e.caseId !== first.caseId) return { ...problem, rule: "case-id" }
    if (e.sequence !== expected) return { ...problem, rule: "sequence" }
    if (e._tag === "Reported") return { ...problem, rule: "first-event" }
  }
  return undefined
}
