/**
 * Model-based property tests of the case decider: random command sequences
 * (some legal, some not — wrong status, wrong actor, blank reasons, missing
 * evidence, time going backwards, another case's id) are run through `decide`
 * and `evolve`, and every step and every history is checked against the
 * invariants of the brief.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { type Actor, ActorId, DepartmentId, type Role } from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import { CaseCommand } from "../src/CaseCommand.js"
import { CaseEvent } from "../src/CaseEvent.js"
import * as Tier from "../src/Tier.js"
import { UnitId } from "../src/Unit.js"

// -----------------------------------------------------------------------------
// the world of the model
// -----------------------------------------------------------------------------

const C = UnitId.make("c-jinsha")
const C2 = UnitId.make("c-other")
const S = UnitId.make("s-qingyun")
const S2 = UnitId.make("s-other")
const D = UnitId.make("d-panlong")
const ownerOf: Record<Tier.Tier, UnitId> = { community: C, street: S, district: D }
const DEPT_CG = DepartmentId.make("dept-chengguan")
const DEPT_ZJ = DepartmentId.make("dept-zhujian")

const mk = (id: string, role: Role, unitId: UnitId, departmentId?: DepartmentId): Actor =>
  departmentId === undefined
    ? { id: ActorId.make(id), role, unitId }
    : { id: ActorId.make(id), role, unitId, departmentId }

const A = {
  resident: mk("resident-1", "resident", C),
  gridWorker: mk("gw-1", "grid-worker", C),
  gridWorker2: mk("gw-2", "grid-worker", C2),
  communityStaff: mk("cs-1", "community-staff", C),
  communityStaff2: mk("cs-2", "community-staff", C2),
  streetStaff: mk("ss-1", "street-staff", S),
  streetStaff2: mk("ss-2", "street-staff", S2),
  districtStaff: mk("ds-1", "district-staff", D),
  chengguan: mk("dp-1", "department", D, DEPT_CG),
  zhujian: mk("dp-2", "department", D, DEPT_ZJ),
  hotline: mk("hotline-1", "hotline", D),
  system: mk("system", "system", D)
}
const pool: ReadonlyArray<Actor> = Object.values(A)
const staffOf: Record<Tier.Tier, Actor> = {
  community: A.communityStaff,
  street: A.streetStaff,
  district: A.districtStaff
}

const CASE = Case.CaseId.make("case-1")
const OTHER = Case.CaseId.make("case-2")
const T0 = Date.UTC(2024, 2, 1, 0, 30)

/** One random step of the model: which command, by whom, how well-formed, when. */
interface Intent {
  readonly legal: boolean
  readonly tag: number
  readonly actor: number
  readonly blank: boolean
  readonly wrongCase: boolean
  readonly dt: number
  readonly variant: number
}

const intent: fc.Arbitrary<Intent> = fc.record({
  legal: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  tag: fc.nat({ max: 1000 }),
  actor: fc.oneof(
    { weight: 6, arbitrary: fc.constant(-1) },
    { weight: 1, arbitrary: fc.nat({ max: pool.length - 1 }) }
  ),
  blank: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  wrongCase: fc.integer({ min: 0, max: 49 }).map((n) => n === 0),
  dt: fc.oneof(
    { weight: 29, arbitrary: fc.integer({ min: 0, max: 600 }) },
    { weight: 1, arbitrary: fc.integer({ min: -120, max: -1 }) }
  ),
  variant: fc.nat({ max: 1000 })
})

const intents = fc.array(intent, { minLength: 1, maxLength: 50, size: "max" })

/** Commands that end a case early; the model picks them rarely so runs reach deep into the loop. */
const ending: ReadonlySet<Case.CommandTag> = new Set(["Reject", "Void", "Merge", "Escalate"])

/** How often the model picks a legal command in a state (guards in mind, endings rare). */
const weight = (tag: Case.CommandTag, state: Case.Case): number => {
  if (ending.has(tag)) return 1
  switch (tag) {
    case "ApproveSuspension":
    case "DenySuspension":
      return state.pendingSuspension === null ? 0 : 10
    case "ApproveExtension":
    case "DenyExtension":
      return state.pendingExtension === null ? 0 : 10
    case "RequestSuspension":
      return state.pendingSuspension === null ? 5 : 0
    case "RequestExtension":
      return state.pendingExtension === null ? 3 : 0
    default:
      return 10
  }
}

const legalIn = (state: Case.Case): ReadonlyArray<Case.CommandTag> =>
  Case.transitions
    .filter((t) => t.from === state.status)
    .flatMap((t) => Array.from({ length: weight(t.command, state) }, () => t.command))

const handlerOf = (state: Case.State): Actor => {
  if (state._tag === "NoCase" || state.dispatchTarget === null) return A.chengguan
  const target = state.dispatchTarget
  if (target._tag === "Department") return target.departmentId === DEPT_CG ? A.chengguan : A.zhujian
  return target.unitId === C ? A.communityStaff : target.unitId === S ? A.streetStaff : A.districtStaff
}

/** The actor who may issue a command in a state (the model's "right actor"). */
const rightActor = (tag: Case.CommandTag, state: Case.State, variant: number): Actor => {
  const tier = state._tag === "Case" ? state.tier : "community"
  const staff = staffOf[tier]
  const authority = Case.authorities[tag][variant % Case.authorities[tag].length] ?? "owning-tier-staff"
  switch (authority) {
    case "reporter":
      return variant % 3 === 0 ? A.resident : A.gridWorker
    case "community-grid-worker":
      return A.gridWorker
    case "owning-tier-staff":
      return staff
    case "handler":
      return handlerOf(state)
    case "system":
      return A.system
    case "hotline":
      return A.hotline
    case "community-staff":
      return A.communityStaff
  }
}

const ratings = Case.Rating.literals
const targets: ReadonlyArray<Case.DispatchTarget> = [
  { _tag: "Department", departmentId: DEPT_CG },
  { _tag: "Department", departmentId: DEPT_ZJ },
  { _tag: "Unit", unitId: C },
  { _tag: "Unit", unitId: S }
]

/** Builds a command from an intent, in the current state. */
const build = (i: Intent, state: Case.State, at: DateTime.Utc): CaseCommand => {
  const legalTags: ReadonlyArray<Case.CommandTag> =
    state._tag === "NoCase" ? [i.variant % 5 === 0 ? "SelfHandle" : "Report"] : legalIn(state)
  const tag: Case.CommandTag =
    i.legal && legalTags.length > 0
      ? (legalTags[i.tag % legalTags.length] ?? "Accept")
      : (Case.commandTags[i.tag % Case.commandTags.length] ?? "Accept")
  const actor = i.actor < 0 ? rightActor(tag, state, i.variant) : (pool[i.actor] ?? A.resident)
  const caseId = i.wrongCase ? OTHER : CASE
  const text = (s: string) => (i.blank ? "  " : s)
  const meta = { caseId, actor, at }
  const tier = state._tag === "Case" ? state.tier : "community"
  const v = i.variant
  switch (tag) {
    case "Report":
    case "SelfHandle": {
      const startTier: Tier.Tier = v % 7 === 0 ? "street" : v % 11 === 0 ? "district" : "community"
      const report = {
        ...meta,
        source: Case.Source.literals[v % Case.Source.literals.length] ?? "patrol",
        categoryId: CategoryId.make("环境卫生.暴露垃圾"),
        urgency: v % 4 === 0 ? ("urgent" as const) : ("normal" as const),
        description: text("楼道堆放杂物"),
        location: { unitId: C },
        communityId: C,
        tier: startTier,
        ...(startTier === "community" && v % 13 !== 0 ? {} : { ownerUnitId: ownerOf[startTier] }),
        ...(v % 17 === 0 ? { contact: { phone: "13800001234" } } : {}),
        anonymous: v % 6 === 0,
        attributes: { floor: 3 }
      }
      return tag === "Report"
        ? { _tag: "Report", ...report }
        : {
            _tag: "SelfHandle",
            ...report,
            result: text("已清理"),
            evidence: i.blank ? [] : ["photo://after.jpg"]
          }
    }
    case "Accept":
      return { _tag: "Accept", ...meta }
    case "Reject":
      return { _tag: "Reject", ...meta, reason: text("不属于受理范围") }
    case "Void":
      return { _tag: "Void", ...meta, reason: v % 2 === 0 ? "duplicate" : "invalid", note: text("重复上报") }
    case "Dispatch":
      return { _tag: "Dispatch", ...meta, target: targets[v % targets.length] ?? { _tag: "Unit", unitId: C } }
    case "Return":
      return { _tag: "Return", ...meta, reason: text("非本部门职责") }
    case "Handle":
      return {
        _tag: "Handle",
        ...meta,
        result: text("已处置"),
        evidence: i.blank ? [] : [`photo://${v}.jpg`]
      }
    case "Verify":
      return v % 3 === 0
        ? { _tag: "Verify", ...meta, outcome: "fail", note: text("现场仍有垃圾") }
        : { _tag: "Verify", ...meta, outcome: "pass" }
    case "Evaluate":
      return { _tag: "Evaluate", ...meta, rating: ratings[v % ratings.length] ?? "satisfied" }
    case "Reopen":
      return {
        _tag: "Reopen",
        ...meta,
        reason: text("群众不满意"),
        to: v % 2 === 0 ? "handling" : "dispatch"
      }
    case "RequestSuspension":
      return { _tag: "RequestSuspension", ...meta, reason: text("等待产权单位确认") }
    case "ApproveSuspension":
      return { _tag: "ApproveSuspension", ...meta }
    case "DenySuspension":
      return { _tag: "DenySuspension", ...meta, reason: text("理由不充分") }
    case "Resume":
      return { _tag: "Resume", ...meta }
    case "RequestExtension":
      return {
        _tag: "RequestExtension",
        ...meta,
        amount: { amount: i.blank ? 0 : 1 + (v % 5), unit: "working-days" },
        reason: text("需协调施工单位")
      }
    case "ApproveExtension":
      return v % 2 === 0
        ? { _tag: "ApproveExtension", ...meta }
        : { _tag: "ApproveExtension", ...meta, amount: { amount: 1, unit: "natural-hours" } }
    case "DenyExtension":
      return { _tag: "DenyExtension", ...meta, reason: text("不予延期") }
    case "Merge":
      return { _tag: "Merge", ...meta, targetId: v % 9 === 0 ? caseId : OTHER }
    case "Escalate": {
      const up = Tier.next(tier)
      const toUnitId = up._tag === "Some" ? ownerOf[up.value] : D
      return {
        _tag: "Escalate",
        ...meta,
        toUnitId: v % 19 === 0 ? ownerOf[tier] : toUnitId,
        reason: text("超期未办结")
      }
    }
  }
}

/** One step of a run: the command, the state before, and the decision. */
interface Step {
  readonly command: CaseCommand
  readonly before: Case.State
  /** The state's JSON before `decide` ran (only when the run keeps snapshots). */
  readonly snapshotBefore: string | undefined
  readonly result: Either.Either<ReadonlyArray<CaseEvent>, Case.CaseRefused>
  readonly after: Case.State
}

interface Run {
  readonly steps: ReadonlyArray<Step>
  readonly events: ReadonlyArray<CaseEvent>
  readonly state: Case.State
}

const snapshot = (state: Case.State): string => JSON.stringify(Schema.encodeSync(Case.State)(state))

const run = (is: ReadonlyArray<Intent>, keepSnapshots = false): Run => {
  let state = Case.initial
  let now = T0
  const events: Array<CaseEvent> = []
  const steps: Array<Step> = []
  for (const i of is) {
    now += i.dt * 60_000
    const command = build(i, state, DateTime.unsafeMake(now))
    const snapshotBefore = keepSnapshots ? snapshot(state) : undefined
    const result = Case.decide(command, state)
    const before = state
    if (Either.isRight(result)) {
      state = result.right.reduce(Case.evolve, state)
      events.push(...result.right)
    }
    steps.push({ command, before, snapshotBefore, result, after: state })
  }
  return { steps, events, state }
}

const rank = (state: Case.State): number => (state._tag === "Case" ? Tier.rank(state.tier) : -1)

/** State invariants; returns the broken ones (empty when all hold). */
const broken = (state: Case.State, eventCount: number): ReadonlyArray<string> => {
  const out: Array<string> = []
  if (state.version !== eventCount) out.push(`version ${state.version} ≠ ${eventCount} events`)
  if (state._tag === "NoCase") return out
  const closed = state.status === "closed" || state.status === "evaluated"
  if (closed !== (state.closedAt !== null)) out.push("closedAt is set exactly when closed")
  if (closed !== (state.closedTier !== null)) out.push("closedTier is set exactly when closed")
  if (closed !== (state.closedVia !== null)) out.push("closedVia is set exactly when closed")
  if (state.closedTier !== null && Tier.rank(state.closedTier) > Tier.rank(state.tier))
    out.push("closed above the current tier")
  const open = state.suspensions.filter((s) => s.to === null)
  if ((state.status === "suspended") !== (open.length === 1))
    out.push("one open suspension exactly when suspended")
  if (open.length > 1) out.push("at most one open suspension")
  if ((state.status === "suspended") !== (state.resumeTo !== null))
    out.push("resumeTo set exactly when suspended")
  let last = Number.NEGATIVE_INFINITY
  for (const s of state.suspensions) {
    if (s.from.epochMillis < last) out.push("suspension intervals are ordered")
    if (s.to !== null && s.to.epochMillis < s.from.epochMillis) out.push("a suspension ends after it starts")
    last = s.to === null ? s.from.epochMillis : s.to.epochMillis
  }
  const handling = state.status === "dispatched" || state.status === "rework" || state.status === "suspended"
  if (!handling && (state.pendingSuspension !== null || state.pendingExtension !== null))
    out.push("requests are pending only while handling")
  if ((state.status === "dispatched" || state.status === "rework") && state.dispatchTarget === null)
    out.push("a case being handled has a dispatch target")
  if (state.counts.returns > state.counts.dispatches) out.push("returns ≤ dispatches")
  if (state.tierHistory.length !== state.counts.escalations + 1) out.push("one tier entry per escalation")
  const lastTier = state.tierHistory[state.tierHistory.length - 1]
  if (lastTier === undefined || lastTier.tier !== state.tier || lastTier.unitId !== state.ownerUnitId)
    out.push("the last tier entry is the current tier and owner")
  for (let k = 1; k < state.tierHistory.length; k++) {
    const a = state.tierHistory[k - 1]
    const b = state.tierHistory[k]
    if (a === undefined || b === undefined || Tier.rank(b.tier) !== Tier.rank(a.tier) + 1)
      out.push("each escalation moves exactly one tier up")
  }
  const untimed =
    state.status === "rejected" ||
    state.status === "voided" ||
    state.status === "merged" ||
    (state.status === "evaluated" && state.evaluation?.rating !== "unreachable")
  if (untimed !== (state.step === null)) out.push("a step runs exactly while something is timed")
  if ((state.step === null) !== (state.stepStartedAt === null)) out.push("step and stepStartedAt go together")
  return out
}

/** History invariants over the event log. */
const brokenHistory = (events: ReadonlyArray<CaseEvent>): ReadonlyArray<string> => {
  const out: Array<string> = []
  let reworkOpen = false
  events.forEach((e, k) => {
    if (e.sequence !== k + 1) out.push(`event #${k} has sequence ${e.sequence}`)
    if (e._tag === "Closed") {
      const prev = events[k - 1]
      if (prev === undefined || (prev._tag !== "VerificationPassed" && prev._tag !== "SelfHandled"))
        out.push("Closed follows a verification pass or a self-handle")
      if (e.via === "self-handle" && e.tier !== "community") out.push("self-handled at the community tier")
    }
    if (e._tag === "VerificationFailed") {
      if (reworkOpen) out.push("a rework is handled before the next verification")
      reworkOpen = true
    }
    if (e._tag === "VerificationPassed" && reworkOpen)
      out.push("a rework is handled before the next verification")
    if (e._tag === "Handled") reworkOpen = false
  })
  return out
}

const encodeEvent = Schema.encodeSync(CaseEvent)
const decodeEvent = Schema.decodeUnknownSync(CaseEvent)
const encodeCommand = Schema.encodeSync(CaseCommand)
const decodeCommand = Schema.decodeUnknownSync(CaseCommand)

const runs = { fastCheck: { numRuns: 100 } }

describe("Case decider — properties", () => {
  it.prop(
    "accepted sequences fold to states that satisfy the invariants (closed ⇒ verified or self-handled, …)",
    [intents],
    ([is]) => {
      const r = run(is)
      let count = 0
      for (const step of r.steps) {
        if (Either.isRight(step.result)) count += step.result.right.length
        expect(broken(step.after, count)).toEqual([])
      }
      expect(brokenHistory(r.events)).toEqual([])
    },
    runs
  )

  it.prop(
    "every rework is followed by a handle before the next verify; sequences are gapless 1..n",
    [intents],
    ([is]) => {
      const r = run(is)
      expect(r.events.map((e) => e.sequence)).toEqual(r.events.map((_, k) => k + 1))
      expect(brokenHistory(r.events)).toEqual([])
    },
    runs
  )

  it.prop(
    "decide numbers new events from version + 1 and stamps them with the command's case, actor and time",
    [intents],
    ([is]) => {
      for (const step of run(is).steps) {
        if (Either.isLeft(step.result)) continue
        step.result.right.forEach((e, k) => {
          expect(e.sequence).toBe(step.before.version + k + 1)
          expect(e.caseId).toBe(step.command.caseId)
          expect(e.actor).toBe(step.command.actor)
          expect(e.at).toBe(step.command.at)
        })
      }
    },
    runs
  )

  it.prop(
    "illegal commands never change state: decide returns Left naming case, status, command, role and rule",
    [intents],
    ([is]) => {
      for (const step of run(is, true).steps) {
        expect(snapshot(step.before)).toBe(step.snapshotBefore)
        if (Either.isRight(step.result)) continue
        const refusal = step.result.left
        expect(step.after).toBe(step.before)
        expect(refusal._tag).toBe("CaseRefused")
        expect(refusal.caseId).toBe(step.command.caseId)
        expect(refusal.status).toBe(step.before._tag === "Case" ? step.before.status : "none")
        expect(refusal.command).toBe(step.command._tag)
        expect(refusal.role).toBe(step.command.actor.role)
        expect(refusal.rule).toBe(refusal.violations[0].rule)
        expect(refusal.message).toContain(refusal.rule)
      }
    },
    runs
  )

  it.prop(
    "decide agrees with the transition table: accepted ⇒ a row leads there; no row ⇒ refused with rule status",
    [intents],
    ([is]) => {
      for (const step of run(is).steps) {
        const from = step.before._tag === "Case" ? step.before.status : "none"
        const row = Case.transitions.find((t) => t.from === from && t.command === step.command._tag)
        if (Either.isRight(step.result)) {
          expect(row).toBeDefined()
          expect(step.after._tag).toBe("Case")
          if (step.after._tag === "Case") expect(row?.to).toContain(step.after.status)
        } else if (row === undefined) {
          const rules = step.result.left.violations.map((v) => v.rule)
          expect(rules.some((r) => r === "status" || r === "case-exists" || r === "case-not-found")).toBe(
            true
          )
        }
      }
    },
    runs
  )

  it.prop(
    "tier never goes down and never past the district; escalation at the district is refused",
    [intents],
    ([is]) => {
      for (const step of run(is).steps) {
        expect(rank(step.after)).toBeGreaterThanOrEqual(rank(step.before))
        expect(rank(step.after)).toBeLessThanOrEqual(Tier.rank("district"))
        if (
          step.command._tag === "Escalate" &&
          step.before._tag === "Case" &&
          step.before.tier === "district"
        ) {
          expect(Either.isLeft(step.result)).toBe(true)
        }
      }
    },
    runs
  )

  it.prop(
    "replaying the events (fold, replay) reproduces the incrementally built state",
    [intents],
    ([is]) => {
      const r = run(is)
      expect(Case.fold(r.events)).toEqual(r.state)
      expect(Case.replay(r.events)).toEqual(Either.right(r.state))
      for (const step of r.steps) {
        if (Either.isRight(step.result)) {
          const executed = Case.execute(step.before, step.command)
          expect(Either.map(executed, (x) => x.state)).toEqual(Either.right(step.after))
        }
      }
    },
    runs
  )

  it.prop(
    "events and commands round-trip through their Schemas (encode → JSON → decode); states too",
    [intents],
    ([is]) => {
      const r = run(is)
      for (const e of r.events) {
        const json = JSON.parse(JSON.stringify(encodeEvent(e)))
        expect(decodeEvent(json)).toEqual(e)
      }
      for (const step of r.steps) {
        const json = JSON.parse(JSON.stringify(encodeCommand(step.command)))
        expect(decodeCommand(json)).toEqual(step.command)
      }
      const state = JSON.parse(snapshot(r.state))
      expect(Schema.decodeUnknownSync(Case.State)(state)).toEqual(r.state)
    },
    runs
  )

  it.prop(
    "evolve ignores an event that does not continue the case (out of order, repeated, another case's)",
    [intents, fc.nat(), fc.nat()],
    ([is, a, b]) => {
      const r = run(is)
      if (r.events.length === 0) return
      const state = r.state
      const stale = r.events[a % r.events.length]
      if (stale !== undefined) expect(Case.evolve(state, stale)).toBe(state)
      const prefixLength = b % r.events.length
      const prefix = Case.fold(r.events.slice(0, prefixLength))
      const ahead = r.events[prefixLength + 1]
      if (ahead !== undefined) expect(Case.evolve(prefix, ahead)).toBe(prefix)
      const next = r.events[prefixLength]
      if (next !== undefined && prefix._tag === "Case") {
        expect(Case.evolve(prefix, { ...next, caseId: Case.CaseId.make(`${prefix.id}-elsewhere`) })).toBe(
          prefix
        )
      }
      // a shuffled-out history replays to an error, never to a wrong state
      if (r.events.length > 1) {
        const swapped = [...r.events]
        const [x, y] = [swapped[0], swapped[1]]
        if (x !== undefined && y !== undefined) {
          swapped[0] = y
          swapped[1] = x
          expect(Either.isLeft(Case.replay(swapped))).toBe(true)
        }
      }
    },
    runs
  )

  it.prop(
    "evolve never modifies the state it is given",
    [intents],
    ([is]) => {
      const r = run(is)
      let state = Case.initial
      for (const e of r.events) {
        const before = snapshot(state)
        const next = Case.evolve(state, e)
        expect(snapshot(state)).toBe(before)
        state = next
      }
      expect(state).toEqual(r.state)
    },
    runs
  )
})
