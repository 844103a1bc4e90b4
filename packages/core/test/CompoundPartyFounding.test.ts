/**
 * 小区党组织组建 — the Yilong county report's five steps (找党员 → 转关系 →
 * 建组织 → 配班子 → 履承诺) as a decider: the steps in order, each refusal typed,
 * and — over generated command sequences — the history always a prefix of the
 * five steps.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { BodyId, BodyKindId } from "../src/Body.js"
import * as Founding from "../src/CompoundPartyFounding.js"
import * as Decider from "../src/Decider.js"
import { PersonId } from "../src/Staffing.js"
import { UnitId } from "../src/Unit.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const CP = UnitId.make("cp-dongbei-1")
const C = UnitId.make("c-dongbei")
const on = (d: string) => LocalDate.make(d)
const people = (...ids: ReadonlyArray<string>) => ids.map((id) => PersonId.make(id))

const find: Founding.Command = {
  _tag: "FindMembers",
  compoundId: CP,
  on: on("2024-03-01"),
  communityId: C,
  memberIds: people("pm-1", "pm-2", "pm-3", "pm-4", "pm-5")
}
const transfer: Founding.Command = {
  _tag: "TransferRelations",
  compoundId: CP,
  on: on("2024-03-10"),
  memberIds: people("pm-1", "pm-2", "pm-3", "pm-4")
}
const establish: Founding.Command = {
  _tag: "Establish",
  compoundId: CP,
  on: on("2024-03-20"),
  bodyId: BodyId.make("cp-dongbei-1-branch"),
  kind: BodyKindId.make("compound-party-branch"),
  name: "东北社区一号小区党支部"
}
const staff: Founding.Command = {
  _tag: "StaffCommittee",
  compoundId: CP,
  on: on("2024-03-25"),
  secretaryId: PersonId.make("pm-1"),
  memberIds: people("pm-2", "pm-3")
}
const pledge: Founding.Command = {
  _tag: "Pledge",
  compoundId: CP,
  on: on("2024-04-01"),
  commitments: ["每月开展一次主题党日", "党员联系楼栋，琐事不出楼栋"]
}

const run = (commands: ReadonlyArray<Founding.Command>, decider = Founding.decider) => {
  let state = decider.initial
  const events: Array<Founding.Event> = []
  const refusals: Array<Founding.FoundingRefused> = []
  for (const c of commands) {
    const r = Decider.execute(decider)(state, c)
    if (Either.isRight(r)) {
      state = r.right.state
      events.push(...r.right.events)
    } else refusals.push(r.left)
  }
  return { state, events, refusals }
}

describe("CompoundPartyFounding — the five steps", () => {
  it("runs 找党员 → 转关系 → 建组织 → 配班子 → 履承诺 to a founded organisation", () => {
    const { state, events, refusals } = run([find, transfer, establish, staff, pledge])
    expect(refusals).toEqual([])
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5])
    expect(Founding.isFounded(state)).toBe(true)
    expect(Founding.nextStep(state)).toBeUndefined()
    if (state._tag === "Founding") {
      expect(state.done).toEqual(Founding.steps)
      expect(state.bodyId).toBe("cp-dongbei-1-branch")
      expect(state.secretaryId).toBe("pm-1")
      expect(state.foundedOn).toBe("2024-04-01")
    }
    expect(Either.getOrThrow(Founding.replay(events))).toEqual(state)
  })

  it("refuses a step out of order, naming the step expected", () => {
    const { refusals } = run([find, establish])
    expect(refusals.map((r) => [r.step, r.expected, r.rules])).toEqual([
      ["establish", "transfer-relations", ["out-of-order"]]
    ])
    expect(refusals[0]?.message).toContain("下一步应为「转关系」")
    expect(refusals[0]?.message).toContain("the next step is transfer-relations")
    const [before] = run([transfer]).refusals
    expect(before?.rules).toEqual(["out-of-order"])
    expect(before?.expected).toBe("find-members")
  })

  it("refuses to transfer someone not found, to establish with fewer than three, to staff with someone not transferred", () => {
    const stranger = { ...transfer, memberIds: people("pm-1", "stranger") } as const
    expect(run([find, stranger]).refusals.map((r) => [r.rules, r.personIds])).toEqual([
      [["not-found"], ["stranger"]]
    ])
    const two = { ...transfer, memberIds: people("pm-1", "pm-2") } as const
    const [few] = run([find, two, establish]).refusals
    expect(few?.rules).toEqual(["too-few-members"])
    expect(few?.minimum).toBe(3)
    expect(run([find, two, establish], Founding.makeDecider({ minimumMembers: 2 })).refusals).toEqual([])
    const outsider = { ...staff, memberIds: people("pm-2", "pm-5") } as const
    expect(run([find, transfer, establish, outsider]).refusals.map((r) => [r.rules, r.personIds])).toEqual([
      [["not-transferred"], ["pm-5"]]
    ])
  })

  it("refuses empty lists, repeats, empty pledges, a step dated before the last, another compound, and anything after the fifth", () => {
    expect(run([{ ...find, memberIds: [] }]).refusals[0]?.rules).toEqual(["no-members"])
    expect(run([{ ...find, memberIds: people("a", "a") }]).refusals[0]?.rules).toEqual(["duplicate-member"])
    const blank = { ...pledge, commitments: [" "] } as const
    expect(run([find, transfer, establish, staff, blank]).refusals[0]?.rules).toEqual(["no-commitments"])
    const early = { ...transfer, on: on("2024-02-01") } as const
    expect(run([find, early]).refusals[0]?.rules).toEqual(["date-before-previous"])
    const other = { ...transfer, compoundId: UnitId.make("cp-other") } as const
    expect(run([find, other]).refusals[0]?.rules).toEqual(["other-compound"])
    expect(run([find, transfer, establish, staff, pledge, pledge]).refusals[0]?.rules).toEqual(["founded"])
  })

  it("commands decode from their schema", () => {
    expect(Schema.decodeUnknownSync(Founding.Command)(Schema.encodeSync(Founding.Command)(staff))).toEqual(
      staff
    )
  })
})

describe("CompoundPartyFounding — properties", () => {
  const pool = people("pm-1", "pm-2", "pm-3", "pm-4", "pm-5")
  const subset = fc.subarray(pool, { minLength: 0, maxLength: 5 })
  const dateArb = fc
    .integer({ min: 0, max: 60 })
    .map((n) => on(new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)))
  const commandArb: fc.Arbitrary<Founding.Command> = fc.oneof(
    fc.record({ on: dateArb, m: subset }).map(({ on, m }) => ({ ...find, on, memberIds: m })),
    fc.record({ on: dateArb, m: subset }).map(({ on, m }) => ({ ...transfer, on, memberIds: m })),
    dateArb.map((on) => ({ ...establish, on })),
    fc.record({ on: dateArb, m: subset, s: fc.constantFrom(...pool) }).map(({ on, m, s }) => ({
      ...staff,
      on,
      secretaryId: s,
      memberIds: m
    })),
    fc
      .record({ on: dateArb, commitments: Arbitrary.make(Founding.Pledge.fields.commitments) })
      .map(({ on, commitments }) => ({ ...pledge, on, commitments }))
  )

  it.prop(
    "the history is always a prefix of the five steps, with gapless sequences and rising dates",
    [fc.array(commandArb, { maxLength: 30 })],
    ([commands]) => {
      const { state, events } = run(commands)
      const order = events.map(
        (e) =>
          ({ MembersFound: 0, RelationsTransferred: 1, Established: 2, CommitteeStaffed: 3, Pledged: 4 })[
            e._tag
          ]
      )
      expect(order).toEqual(order.map((_, i) => i))
      expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1))
      const days = events.map((e) => e.on)
      expect(days).toEqual([...days].sort())
      expect(Decider.fold(Founding.decider)(events)).toEqual(state)
      if (state._tag === "Founding") {
        expect(state.done.length).toBe(events.length)
        // the committee comes from the transferred, who come from the found
        for (const id of state.transferred) expect(state.found).toContain(id)
        for (const id of [
          ...(state.committee ?? []),
          ...(state.secretaryId === undefined ? [] : [state.secretaryId])
        ])
          expect(state.transferred).toContain(id)
        if (state.bodyId !== undefined) expect(state.transferred.length).toBeGreaterThanOrEqual(3)
      }
    }
  )

  it.prop(
    "a refused command changes nothing and names at least one rule",
    [fc.array(commandArb, { maxLength: 20 }), commandArb],
    ([commands, last]) => {
      const { state } = run(commands)
      const r = Founding.decider.decide(last, state)
      if (Either.isLeft(r)) {
        expect(r.left.rules.length).toBeGreaterThan(0)
        expect(r.left.step).toBe(Founding.stepOf[last._tag])
        expect(run([...commands, last]).state).toEqual(state)
      } else {
        expect(Founding.nextStep(state)).toBe(Founding.stepOf[last._tag])
      }
    }
  )
})
