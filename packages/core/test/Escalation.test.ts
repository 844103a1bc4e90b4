/**
 * 超时自动上报 — seed 001's three-tier loop driven by the clock: an overdue case
 * escalates community → street → district through `Escalation.due` and
 * `Case.decide`, never past the district, never while suspended.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import { type Actor, ActorId } from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type { CaseCommand } from "../src/CaseCommand.js"
import * as Escalation from "../src/Escalation.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as TimeLimit from "../src/TimeLimit.js"
import * as Unit from "../src/Unit.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const hierarchy = Either.getOrThrowWith(
  Hierarchy.make(LevelScheme.FiveLevel, [
    Unit.make({ id: "panlong", parentId: null, level: "district", name: "盘龙区" }),
    Unit.make({ id: "qingyun", parentId: "panlong", level: "street", name: "青云街道" }),
    Unit.make({ id: "jinsha", parentId: "qingyun", level: "community", name: "金沙社区" })
  ]),
  (e) => e.message
)
const calendar = WorkingCalendar.china()
const ctx: Escalation.Context = { hierarchy, timeLimits: TimeLimit.defaultPolicy, calendar }

const person = (id: string, role: Actor["role"], unitId: string): Actor => ({
  id: ActorId.make(id),
  role,
  unitId: Unit.UnitId.make(unitId)
})
const gridWorker = person("网格员-李", "grid-worker", "jinsha")
const communityStaff = person("社区-王", "community-staff", "jinsha")

// Monday 2025-04-07 09:00 in Beijing (01:00 UTC)
const start = Date.UTC(2025, 3, 7, 1, 0)
const at = (hours: number): DateTime.Utc => DateTime.unsafeMake(start + hours * 3_600_000)
const caseId = Case.CaseId.make("JS-2025-0001")

const run = (commands: ReadonlyArray<CaseCommand>, from: Case.State = Case.initial): Case.Case => {
  let state = from
  for (const command of commands) {
    const result = Case.execute(state, command)
    if (Either.isLeft(result)) return assert.fail(result.left.message)
    state = result.right.state
  }
  if (state._tag === "NoCase") return assert.fail("no case")
  return state
}

/** reported at 09:00 Monday and accepted at once: its 派遣 dispatch step runs from then */
const accepted = run([
  {
    _tag: "Report",
    caseId,
    actor: gridWorker,
    at: at(0),
    source: "patrol",
    categoryId: CategoryId.make("SJ-0101"),
    urgency: "normal",
    description: "金沙社区 3 号楼旁私搭乱建",
    location: { unitId: Unit.UnitId.make("jinsha") },
    communityId: Unit.UnitId.make("jinsha"),
    tier: "community",
    anonymous: false
  },
  { _tag: "Accept", caseId, actor: communityStaff, at: at(0.1) }
])

describe("Escalation.timerInputOf — the current run of a step", () => {
  it("an extension approved in an earlier handling round does not extend the round after a rework (返工)", () => {
    const handler = person("城管-刘", "community-staff", "jinsha")
    const dispatched = run(
      [
        {
          _tag: "Dispatch",
          caseId,
          actor: communityStaff,
          at: at(0.2),
          target: { _tag: "Unit", unitId: Unit.UnitId.make("jinsha") }
        },
        {
          _tag: "RequestExtension",
          caseId,
          actor: handler,
          at: at(1),
          amount: { amount: 2, unit: "working-days" },
          reason: "需协调施工队"
        },
        { _tag: "ApproveExtension", caseId, actor: communityStaff, at: at(1.5) }
      ],
      accepted
    )
    const firstRound = Escalation.timerInputOf(dispatched)
    expect(firstRound._tag === "Some" && firstRound.value.extensions).toEqual([
      { amount: 2, unit: "working-days" }
    ])
    const reworked = run(
      [
        {
          _tag: "Handle",
          caseId,
          actor: handler,
          at: at(3),
          result: "已拆除",
          evidence: ["oss://after.jpg"]
        },
        { _tag: "Verify", caseId, actor: communityStaff, at: at(4), outcome: "fail", note: "未拆除干净" }
      ],
      dispatched
    )
    expect(reworked.step).toBe("handling")
    const secondRound = Escalation.timerInputOf(reworked)
    expect(secondRound._tag === "Some" && secondRound.value.extensions).toEqual([])
    expect(secondRound._tag === "Some" && DateTime.toEpochMillis(secondRound.value.startedAt)).toBe(
      DateTime.toEpochMillis(at(4))
    )
  })
})

describe("Escalation.due — overdue cases climb the three tiers", () => {
  it("a case within its dispatch limit is not due; past it, it is due to the street with a command decide accepts", () => {
    expect(accepted.step).toBe("dispatch")
    expect(Escalation.due([accepted], at(0.5), ctx).due).toEqual([])
    const { due, skipped } = Escalation.due([accepted], at(30), ctx)
    expect(skipped).toEqual([])
    expect(due.map((d) => [d.caseId, d.from, d.to.tier, d.to.unitId, d.light.color])).toEqual([
      [caseId, "community", "street", "qingyun", "red"]
    ])
    const [first] = due
    if (first === undefined) return assert.fail("nothing due")
    const escalated = run([first.command], accepted)
    expect(escalated.tier).toBe("street")
    expect(escalated.ownerUnitId).toBe("qingyun")
    expect(escalated.tierHistory.length).toBe(2)
  })

  it("escalation never goes past the district: repeated overdue checks stop there", () => {
    let state = accepted
    let hours = 0
    const tiers: Array<string> = [state.tier]
    for (let i = 0; i < 5; i++) {
      hours += 200
      const [next] = Escalation.due([state], at(hours), ctx).due
      if (next === undefined) break
      state = run([next.command], state)
      tiers.push(state.tier)
    }
    expect(tiers).toEqual(["community", "street", "district"])
    expect(Escalation.due([state], at(hours + 10_000), ctx).due).toEqual([])
  })

  it("a suspended case (挂账) is never due: its clock is stopped", () => {
    const suspended = { ...accepted, status: "suspended" as const }
    expect(Escalation.due([suspended], at(500), ctx).due).toEqual([])
  })

  it("a year with no loaded schedule is reported as skipped, never judged on plain weekdays", () => {
    const empty = WorkingCalendar.empty
    const { due, skipped } = Escalation.due([accepted], at(30), { ...ctx, calendar: empty })
    expect(due).toEqual([])
    expect(skipped.map((s) => s.reason._tag)).toEqual(["YearNotLoaded"])
  })

  it.prop(
    "due exactly when the step's light is past the limit (fraction > 1), for any time after acceptance",
    [fc.double({ min: 0.2, max: 24 * 20, noNaN: true })],
    ([hours]) => {
      const now = at(hours)
      const input = Escalation.timerInputOf(accepted)
      if (input._tag === "None") return assert.fail("no timer")
      const light = Either.getOrThrow(TimeLimit.light(ctx.timeLimits, calendar, input.value, now))
      expect(Escalation.due([accepted], now, ctx).due.length).toBe(light.fraction > 1 ? 1 : 0)
    }
  )
})
