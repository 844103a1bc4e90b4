/**
 * 案件折叠 — folding 1,000,000 case events into case states: about 100,000
 * cases of a district, each with a history of 9–15 events drawn from four
 * realistic paths (the plain six-step loop with an extension; a rework; an
 * escalation with a suspension; a wrong dispatch, a dissatisfied evaluation
 * and a reopening). The histories are produced by `Case.decide` once, outside
 * the timing.
 *
 * Baselines, both honest:
 * 1. the straightforward event-sourcing reducer a developer writes: a map of
 *    per-event reducers returning a patch (`{ counts: { ...s.counts, … },
 *    tierHistory: [...s.tierHistory, …] }`), merged into a new state with one
 *    object spread per event (`{ ...s, ...patch, version, updatedAt }`), folded
 *    with `Array.prototype.reduce` — same semantics, checked equal on a sample;
 * 2. `events.reduce(Case.evolve, Case.initial)`: civicgrid's own per-event
 *    `evolve`, which copies the state (and its arrays) once per event.
 * Subject: `Case.fold`, which applies every event in place on one private draft.
 */
import { isDeepStrictEqual } from "node:util"
import { compare } from "@civicgrid/testkit/Bench"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import { type Actor, ActorId, DepartmentId, type Role } from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type { CaseCommand } from "../src/CaseCommand.js"
import type { CaseEvent } from "../src/CaseEvent.js"
import { UnitId } from "../src/Unit.js"

const TARGET_EVENTS = 1_000_000

const COMMUNITY = UnitId.make("530103001001")
const STREET = UnitId.make("530103001000")
const CG = DepartmentId.make("chengguan")
const ZJ = DepartmentId.make("zhujian")
const person = (id: string, role: Role, unitId: UnitId, departmentId?: DepartmentId): Actor =>
  departmentId === undefined
    ? { id: ActorId.make(id), role, unitId }
    : { id: ActorId.make(id), role, unitId, departmentId }
const gw = person("gw", "grid-worker", COMMUNITY)
const cs = person("cs", "community-staff", COMMUNITY)
const ss = person("ss", "street-staff", STREET)
const cg = person("cg", "department", STREET, CG)
const zj = person("zj", "department", STREET, ZJ)
const hotline = person("hotline", "hotline", STREET)

type Step = (caseId: Case.CaseId, at: DateTime.Utc) => CaseCommand

const dispatchTo =
  (actor: Actor, departmentId: DepartmentId): Step =>
  (caseId, at) => ({ _tag: "Dispatch", caseId, actor, at, target: { _tag: "Department", departmentId } })
const handle =
  (actor: Actor): Step =>
  (caseId, at) => ({ _tag: "Handle", caseId, actor, at, result: "已处置", evidence: ["oss://after.jpg"] })
const verify =
  (actor: Actor, outcome: "pass" | "fail"): Step =>
  (caseId, at) =>
    outcome === "pass"
      ? { _tag: "Verify", caseId, actor, at, outcome }
      : { _tag: "Verify", caseId, actor, at, outcome, note: "现场未整改到位" }
const report: Step = (caseId, at) => ({
  _tag: "Report",
  caseId,
  actor: gw,
  at,
  source: "patrol",
  categoryId: CategoryId.make("市容环境.暴露垃圾"),
  urgency: "normal",
  description: "垃圾堆放",
  location: { unitId: COMMUNITY },
  communityId: COMMUNITY,
  tier: "community",
  anonymous: false
})
const accept =
  (actor: Actor): Step =>
  (caseId, at) => ({ _tag: "Accept", caseId, actor, at })
const evaluate =
  (rating: Case.Rating): Step =>
  (caseId, at) => ({ _tag: "Evaluate", caseId, actor: hotline, at, rating })

const paths: ReadonlyArray<ReadonlyArray<Step>> = [
  // the six-step loop with an extension — 9 events
  [
    report,
    accept(cs),
    dispatchTo(cs, CG),
    (caseId, at) => ({
      _tag: "RequestExtension",
      caseId,
      actor: cg,
      at,
      amount: { amount: 2, unit: "working-days" },
      reason: "需协调"
    }),
    (caseId, at) => ({ _tag: "ApproveExtension", caseId, actor: cs, at }),
    handle(cg),
    verify(cs, "pass"),
    evaluate("satisfied")
  ],
  // a rework — 10 events
  [
    report,
    accept(cs),
    dispatchTo(cs, CG),
    handle(cg),
    verify(cs, "fail"),
    handle(cg),
    verify(cs, "pass"),
    evaluate("basically-satisfied")
  ],
  // escalated to the street, suspended and resumed — 11 events
  [
    report,
    (caseId, at) => ({ _tag: "Escalate", caseId, actor: cs, at, toUnitId: STREET, reason: "上报街道" }),
    accept(ss),
    dispatchTo(ss, ZJ),
    (caseId, at) => ({ _tag: "RequestSuspension", caseId, actor: zj, at, reason: "等待产权单位" }),
    (caseId, at) => ({ _tag: "ApproveSuspension", caseId, actor: ss, at }),
    (caseId, at) => ({ _tag: "Resume", caseId, actor: zj, at }),
    handle(zj),
    verify(ss, "pass"),
    evaluate("satisfied")
  ],
  // a wrong dispatch, a dissatisfied evaluation, a reopening — 15 events
  [
    report,
    accept(cs),
    dispatchTo(cs, ZJ),
    (caseId, at) => ({ _tag: "Return", caseId, actor: zj, at, reason: "非本部门职责" }),
    dispatchTo(cs, CG),
    handle(cg),
    verify(cs, "pass"),
    evaluate("dissatisfied"),
    (caseId, at) => ({ _tag: "Reopen", caseId, actor: hotline, at, reason: "群众不满意", to: "handling" }),
    handle(cg),
    verify(cs, "pass"),
    evaluate("satisfied")
  ]
]

/** Weights of the four paths (per 10 cases). */
const mix = [0, 0, 0, 0, 0, 0, 1, 1, 2, 3]

const histories = (): Array<ReadonlyArray<CaseEvent>> => {
  // one template history per path, by the decider itself
  const templates = paths.map((steps, p) => {
    let state = Case.initial
    const events: Array<CaseEvent> = []
    const caseId = Case.CaseId.make(`template-${p}`)
    steps.forEach((step, k) => {
      const result = Case.execute(state, step(caseId, DateTime.unsafeMake(Date.UTC(2024, 3, 8, 1 + k))))
      if (Either.isLeft(result)) {
        console.error(`bench setup: ${result.left.message}`)
        return
      }
      events.push(...result.right.events)
      state = result.right.state
    })
    return events
  })
  const out: Array<ReadonlyArray<CaseEvent>> = []
  let total = 0
  for (let i = 0; total < TARGET_EVENTS; i++) {
    const template = templates[mix[i % mix.length] ?? 0] ?? []
    const caseId = Case.CaseId.make(`PL-${i}`)
    const events = template.map((e) => ({ ...e, caseId }))
    out.push(events)
    total += events.length
  }
  return out
}

// -----------------------------------------------------------------------------
// baseline 1: the straightforward immutable reducer
// -----------------------------------------------------------------------------

type Reducer<E> = (s: Case.Case, e: E) => Partial<Case.Case>
type Reducers = { readonly [K in CaseEvent["_tag"]]: Reducer<Extract<CaseEvent, { _tag: K }>> }

const reducers: Omit<Reducers, "Reported"> = {
  Supervised: (s, e) => ({
    supervisions: (s.supervisions ?? 0) + 1,
    lastSupervision: { at: e.at, level: e.level }
  }),
  Accepted: (_s, e) => ({ status: "accepted", acceptedAt: e.at, step: "dispatch", stepStartedAt: e.at }),
  Rejected: () => ({ status: "rejected", step: null, stepStartedAt: null }),
  Voided: (_s, e) => ({
    status: "voided",
    voidReason: e.reason,
    pendingSuspension: null,
    pendingExtension: null,
    step: null,
    stepStartedAt: null
  }),
  Dispatched: (s, e) => ({
    status: "dispatched",
    dispatchTarget: e.target,
    dispatchedAt: e.at,
    counts: { ...s.counts, dispatches: s.counts.dispatches + 1 },
    step: "handling",
    stepStartedAt: e.at
  }),
  Returned: (s, e) => ({
    status: "accepted",
    dispatchTarget: null,
    counts: { ...s.counts, returns: s.counts.returns + 1 },
    pendingSuspension: null,
    pendingExtension: null,
    step: "dispatch",
    stepStartedAt: e.at
  }),
  Handled: (_s, e) => ({
    status: "handled",
    handledAt: e.at,
    pendingSuspension: null,
    pendingExtension: null,
    step: "verification",
    stepStartedAt: e.at
  }),
  VerificationPassed: () => ({}),
  VerificationFailed: (s, e) => ({
    status: "rework",
    counts: { ...s.counts, reworks: s.counts.reworks + 1 },
    step: "handling",
    stepStartedAt: e.at
  }),
  Closed: (_s, e) => ({
    status: "closed",
    closedAt: e.at,
    closedTier: e.tier,
    closedVia: e.via,
    step: "evaluation",
    stepStartedAt: e.at
  }),
  Evaluated: (_s, e) => ({
    status: "evaluated",
    evaluation: { rating: e.rating, at: e.at, by: e.actor.id },
    ...(e.rating === "unreachable" ? {} : { step: null, stepStartedAt: null })
  }),
  Reopened: (s, e) => ({
    counts: { ...s.counts, reopens: s.counts.reopens + 1 },
    closedAt: null,
    closedTier: null,
    closedVia: null,
    evaluation: null,
    ...(e.to === "handling"
      ? { status: "dispatched", step: "handling", stepStartedAt: e.at }
      : { status: "accepted", dispatchTarget: null, step: "dispatch", stepStartedAt: e.at })
  }),
  SuspensionRequested: (_s, e) => ({
    pendingSuspension: { step: e.step, requestedAt: e.at, requestedBy: e.actor.id, reason: e.reason }
  }),
  SuspensionApproved: (s, e) => ({
    suspensions: [
      ...s.suspensions,
      {
        step: s.pendingSuspension?.step ?? s.step ?? "handling",
        from: e.at,
        to: null,
        reason: s.pendingSuspension?.reason ?? "(no request)"
      }
    ],
    resumeTo: s.status,
    status: "suspended",
    pendingSuspension: null
  }),
  SuspensionDenied: () => ({ pendingSuspension: null }),
  Resumed: (s, e) => ({
    status: s.resumeTo ?? "dispatched",
    resumeTo: null,
    suspensions: s.suspensions.map((x, k) =>
      k === s.suspensions.length - 1 && x.to === null ? { ...x, to: e.at } : x
    )
  }),
  ExtensionRequested: (_s, e) => ({
    pendingExtension: {
      step: e.step,
      requestedAt: e.at,
      requestedBy: e.actor.id,
      reason: e.reason,
      amount: e.amount
    }
  }),
  ExtensionApproved: (s, e) => ({
    extensions: [...s.extensions, { step: e.step, amount: e.amount, approvedAt: e.at }],
    pendingExtension: null
  }),
  ExtensionDenied: () => ({ pendingExtension: null }),
  Merged: (_s, e) => ({
    status: "merged",
    mergedInto: e.targetId,
    pendingSuspension: null,
    pendingExtension: null,
    step: null,
    stepStartedAt: null
  }),
  Escalated: (s, e) => {
    const handing = s.status === "dispatched" || s.status === "rework"
    return {
      tier: e.toTier,
      ownerUnitId: e.toUnitId,
      tierHistory: [
        ...s.tierHistory,
        { tier: e.toTier, unitId: e.toUnitId, at: e.at, automatic: e.automatic }
      ],
      counts: { ...s.counts, escalations: s.counts.escalations + 1 },
      pendingSuspension: null,
      pendingExtension: null,
      ...(handing
        ? { status: "accepted", dispatchTarget: null, step: "dispatch", stepStartedAt: e.at }
        : { step: s.step ?? "filing", stepStartedAt: e.at })
    }
  },
  SelfHandled: (_s, e) => ({
    status: "handled",
    acceptedAt: e.at,
    handledAt: e.at,
    step: "verification",
    stepStartedAt: e.at
  }),
  Commented: (_s, e) => ({ commentedAt: e.at })
}

const reportedState = (e: Extract<CaseEvent, { _tag: "Reported" }>): Case.Case => ({
  _tag: "Case",
  id: e.caseId,
  version: e.sequence,
  status: "reported",
  source: e.source,
  categoryId: e.categoryId,
  urgency: e.urgency,
  location: e.location,
  ...(e.publishExact === undefined ? {} : { publishExact: e.publishExact }),
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

const naiveEvolve = (s: Case.State, e: CaseEvent): Case.State => {
  if (s._tag === "NoCase") return e._tag === "Reported" && e.sequence === 1 ? reportedState(e) : s
  if (e._tag === "Reported" || e.caseId !== s.id || e.sequence !== s.version + 1) return s
  const reducer = reducers[e._tag] as Reducer<CaseEvent>
  // a comment leaves `updatedAt` alone
  return {
    ...s,
    ...reducer(s, e),
    version: e.sequence,
    updatedAt: e._tag === "Commented" ? s.updatedAt : e.at
  }
}

const foldAll = (
  all: ReadonlyArray<ReadonlyArray<CaseEvent>>,
  fold: (events: ReadonlyArray<CaseEvent>) => Case.State
) => {
  const out = new Array<Case.State>(all.length)
  for (let i = 0; i < all.length; i++) out[i] = fold(all[i] ?? [])
  return out
}

export default async () => {
  const all = histories()
  const events = all.reduce((n, h) => n + h.length, 0)
  const naive = (h: ReadonlyArray<CaseEvent>) => h.reduce(naiveEvolve, Case.initial)
  const perEvent = (h: ReadonlyArray<CaseEvent>) => h.reduce(Case.evolve, Case.initial)
  // same input, same answers
  for (let i = 0; i < 40; i++) {
    const h = all[i] ?? []
    const expected = Case.fold(h)
    if (!isDeepStrictEqual(naive(h), expected) || !isDeepStrictEqual(perEvent(h), expected)) {
      console.error(`bench setup: the contenders disagree on case ${i}`)
      return
    }
  }
  const title = `Case fold: ${events.toLocaleString("en-US")} events, ${all.length.toLocaleString("en-US")} cases`
  compare({
    title: `${title} — vs spread reducers`,
    baseline: { name: "immutable reducer map, object/array spreads", run: () => foldAll(all, naive) },
    subject: { name: "Case.fold (one draft per case, in place)", run: () => foldAll(all, Case.fold) },
    items: events,
    itemLabel: "events"
  })
  compare({
    title: `${title} — vs reduce(Case.evolve)`,
    baseline: { name: "events.reduce(Case.evolve) (copy per event)", run: () => foldAll(all, perEvent) },
    subject: { name: "Case.fold (one draft per case, in place)", run: () => foldAll(all, Case.fold) },
    items: events,
    itemLabel: "events"
  })
}
