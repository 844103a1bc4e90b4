/**
 * Property tests of the case decider over generated histories
 * (`@civicgrid/testkit/CaseHistory`): valid walks through the whole loop —
 * every command, every optional field of every command schema, every actor
 * the authorities admit — and the candidates the decider refused on the way,
 * plus hostile commands (any command of the `CaseCommand` schema, another
 * case's id, time going backwards) against every state a walk reaches. Every
 * step and every history is checked against the invariants of the brief.
 */
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as Case from "../src/Case.js"
import { CaseCommand } from "../src/CaseCommand.js"
import { CaseEvent } from "../src/CaseEvent.js"
import * as Tier from "../src/Tier.js"

// -----------------------------------------------------------------------------
// runs: generated histories as steps
// -----------------------------------------------------------------------------

/** One step of a run: the command, the state before, and the decision. */
interface Step {
  readonly command: CaseCommand
  readonly before: Case.State
  readonly result: Either.Either<ReadonlyArray<CaseEvent>, Case.CaseRefused>
  readonly after: Case.State
}

interface Run {
  /** Every accepted command (in order) and every refused candidate, each with its decision. */
  readonly steps: ReadonlyArray<Step>
  readonly events: ReadonlyArray<CaseEvent>
  readonly state: Case.State
}

const snapshot = (state: Case.State): string => JSON.stringify(Schema.encodeSync(Case.State)(state))

/** Re-decides a generated history step by step (the decider, not the generator, is under test). */
/** Another case's id (ids are bounded, so not the id with a suffix). */
const elsewhere = (id: Case.CaseId): Case.CaseId =>
  Case.CaseId.make(id === "elsewhere" ? "elsewhere-2" : "elsewhere")

const run = (h: CaseHistory.CaseHistory): Run => {
  let state = Case.initial
  const steps: Array<Step> = []
  const events: Array<CaseEvent> = []
  for (const command of h.commands) {
    const result = Case.decide(command, state)
    const before = state
    if (Either.isRight(result)) {
      state = result.right.reduce(Case.evolve, state)
      events.push(...result.right)
    }
    steps.push({ command, before, result, after: state })
  }
  for (const r of h.refused) {
    steps.push({
      command: r.command,
      before: r.state,
      result: Case.decide(r.command, r.state),
      after: r.state
    })
  }
  return { steps, events, state }
}

/** A hostile command: any command the schema admits, mostly for this case, at a random offset from its last event. */
const anyCommand = Arbitrary.make(CaseCommand)
const hostile = fc.record({
  command: anyCommand,
  ownCase: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
  minutes: fc.integer({ min: -600, max: 600 }),
  at: fc.nat()
})

type Attack = typeof hostile extends fc.Arbitrary<infer A> ? A : never

interface Hostile {
  readonly command: CaseCommand
  readonly before: Case.State
  readonly result: Either.Either<ReadonlyArray<CaseEvent>, Case.CaseRefused>
}

/** The hostile command against one of the states the walk reached (before its first command … after its last). */
const attack = (r: Run, x: Attack, caseId: Case.CaseId): Hostile => {
  const reached = [Case.initial, ...r.steps.filter((s) => Either.isRight(s.result)).map((s) => s.after)]
  const before = reached[x.at % reached.length] ?? Case.initial
  const last = before._tag === "Case" ? before.updatedAt.epochMillis : Date.UTC(2024, 2, 4, 1)
  const command: CaseCommand = {
    ...x.command,
    ...(x.ownCase ? { caseId } : {}),
    at: DateTime.unsafeMake(last + x.minutes * 60_000)
  }
  return { command, before, result: Case.decide(command, before) }
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

const history = CaseHistory.history()
const runs = { fastCheck: { ...CaseHistory.parameters, numRuns: 100 } }

/** Checks a refusal names the command's case, the status it met, the command, the role and its rules. */
const expectRefusal = (step: {
  readonly command: CaseCommand
  readonly before: Case.State
  readonly result: Either.Either<ReadonlyArray<CaseEvent>, Case.CaseRefused>
}) => {
  if (Either.isRight(step.result)) return
  const refusal = step.result.left
  expect(refusal._tag).toBe("CaseRefused")
  expect(refusal.caseId).toBe(step.command.caseId)
  expect(refusal.status).toBe(step.before._tag === "Case" ? step.before.status : "none")
  expect(refusal.command).toBe(step.command._tag)
  expect(refusal.role).toBe(step.command.actor.role)
  expect(refusal.rule).toBe(refusal.violations[0].rule)
  expect(refusal.message).toContain(refusal.rule)
}

describe("Case decider — properties over generated histories", () => {
  it.prop(
    "accepted sequences fold to states that satisfy the invariants (closed ⇒ verified or self-handled, …)",
    [history],
    ([h]) => {
      const r = run(h)
      let count = 0
      for (const step of r.steps) {
        if (Either.isRight(step.result)) count += step.result.right.length
        else continue
        expect(broken(step.after, count)).toEqual([])
      }
      expect(brokenHistory(r.events)).toEqual([])
    },
    runs
  )

  it.prop(
    "the generated commands are accepted again in order, with the events generated; sequences are gapless 1..n",
    [history],
    ([h]) => {
      const r = run(h)
      const accepted = r.steps.filter((s) => Either.isRight(s.result))
      expect(accepted.length).toBe(h.commands.length)
      expect(r.events).toEqual(h.events)
      expect(r.state).toEqual(h.state)
      expect(r.events.map((e) => e.sequence)).toEqual(r.events.map((_, k) => k + 1))
    },
    runs
  )

  it.prop(
    "decide numbers new events from version + 1 and stamps them with the command's case, actor and time",
    [history],
    ([h]) => {
      for (const step of run(h).steps) {
        if (Either.isLeft(step.result)) continue
        expect(step.result.right.length).toBeGreaterThan(0)
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
    "refused commands never change state: decide returns Left naming case, status, command, role and rule",
    [history, fc.array(hostile, { minLength: 1, maxLength: 8 })],
    ([h, attacks]) => {
      const r = run(h)
      const refused = r.steps.filter((s) => Either.isLeft(s.result))
      expect(refused.length).toBe(h.refused.length)
      for (const step of refused) {
        expect(step.after).toBe(step.before)
        expectRefusal(step)
      }
      for (const x of attacks) {
        const a = attack(r, x, h.caseId)
        const frozen = snapshot(a.before)
        const again = Case.decide(a.command, a.before)
        expect(snapshot(a.before)).toBe(frozen)
        expect(again).toEqual(a.result)
        expectRefusal(a)
      }
    },
    runs
  )

  it.prop(
    "another case's id or an instant before the last event is always refused",
    [history, hostile],
    ([h, x]) => {
      const r = run(h)
      const a = attack(r, { ...x, ownCase: true }, h.caseId)
      if (a.before._tag !== "Case" || a.command._tag === "Report" || a.command._tag === "SelfHandle") return
      const refused = Case.decide({ ...a.command, caseId: elsewhere(h.caseId) }, a.before)
      expect(Either.isLeft(refused) && refused.left.violations.map((v) => v.rule)).toContain("case-id")
      const earlier = Case.decide(
        { ...a.command, at: DateTime.unsafeMake(a.before.updatedAt.epochMillis - 1) },
        a.before
      )
      expect(Either.isLeft(earlier) && earlier.left.violations.map((v) => v.rule)).toContain("time-order")
    },
    runs
  )

  it.prop(
    "decide agrees with the transition table: accepted ⇒ a row leads there; no row ⇒ refused with rule status",
    [history, fc.array(hostile, { maxLength: 8 })],
    ([h, attacks]) => {
      const r = run(h)
      const steps = [...r.steps, ...attacks.map((x) => attack(r, x, h.caseId))]
      for (const step of steps) {
        const from = step.before._tag === "Case" ? step.before.status : "none"
        const row = Case.transitions.find((t) => t.from === from && t.command === step.command._tag)
        if (Either.isRight(step.result)) {
          expect(row).toBeDefined()
          const after = step.result.right.reduce(Case.evolve, step.before)
          expect(after._tag).toBe("Case")
          if (after._tag === "Case") expect(row?.to).toContain(after.status)
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
    [history],
    ([h]) => {
      for (const step of run(h).steps) {
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
    "replaying the events (fold, replay) reproduces the incrementally built state; execute agrees with decide + evolve",
    [history],
    ([h]) => {
      const r = run(h)
      expect(Case.fold(r.events)).toEqual(r.state)
      expect(Case.replay(r.events)).toEqual(Either.right(r.state))
      for (const step of r.steps) {
        const executed = Case.execute(step.before, step.command)
        if (Either.isRight(step.result)) {
          expect(Either.map(executed, (x) => x.state)).toEqual(Either.right(step.after))
          expect(Either.map(executed, (x) => x.events)).toEqual(step.result)
        } else expect(Either.isLeft(executed)).toBe(true)
      }
    },
    runs
  )

  it.prop(
    "every prefix of a history replays to the state the walk had there",
    [history],
    ([h]) => {
      const r = run(h)
      let seen = 0
      for (const step of r.steps) {
        if (Either.isLeft(step.result)) continue
        seen += step.result.right.length
        expect(Case.fold(r.events.slice(0, seen))).toEqual(step.after)
      }
    },
    { fastCheck: { ...CaseHistory.parameters, numRuns: 50 } }
  )

  it.prop(
    "folding several cases' interleaved events gives the first reported case's state: other cases' events are skipped",
    [CaseHistory.histories({ cases: { min: 2, max: 5 } })],
    ([hs]) => {
      const first = hs.events[0]
      if (first === undefined) return
      const owner = hs.cases.find((c) => c.caseId === first.caseId)
      expect(Case.fold(hs.events)).toEqual(owner?.state)
      for (const c of hs.cases) {
        expect(Case.fold(hs.events.filter((e) => e.caseId === c.caseId))).toEqual(c.state)
      }
    },
    { fastCheck: { ...CaseHistory.parameters, numRuns: 50 } }
  )

  it.prop(
    "events and commands round-trip through their Schemas (encode → JSON → decode); states too",
    [history],
    ([h]) => {
      // compared as JSON: what a store or a client keeps (JSON has no -0, so the objects may differ by it)
      const r = run(h)
      for (const e of r.events) {
        const json = JSON.stringify(encodeEvent(e))
        expect(JSON.stringify(encodeEvent(decodeEvent(JSON.parse(json))))).toBe(json)
      }
      for (const step of r.steps) {
        const json = JSON.stringify(encodeCommand(step.command))
        expect(JSON.stringify(encodeCommand(decodeCommand(JSON.parse(json))))).toBe(json)
      }
      const state = snapshot(r.state)
      expect(snapshot(Schema.decodeUnknownSync(Case.State)(JSON.parse(state)))).toBe(state)
    },
    runs
  )

  it.prop(
    "evolve ignores an event that does not continue the case (out of order, repeated, another case's)",
    [history, fc.nat(), fc.nat()],
    ([h, a, b]) => {
      const r = run(h)
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
        expect(Case.evolve(prefix, { ...next, caseId: elsewhere(prefix.id) })).toBe(prefix)
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
    [history],
    ([h]) => {
      const r = run(h)
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
