/**
 * 督办/催办 (issue 16): `Supervise` by street or district staff on an open
 * case, a note required; the event `Supervised` is in the history, counted on
 * the case, and changes neither the status nor the step's clock. A property:
 * in every open status the legal supervisors succeed and every other role is
 * refused with rule `role`.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Actor from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type { CaseCommand, Supervise } from "../src/CaseCommand.js"
import { UnitId } from "../src/Unit.js"

const JINSHA = UnitId.make("c-jinsha")
const QINGYUN = UnitId.make("s-qingyun")
const PANLONG = UnitId.make("d-panlong")
const person = (id: string, role: Actor.Role, unitId: UnitId): Actor.Actor => ({
  id: Actor.ActorId.make(id),
  role,
  unitId
})
const gridWorker = person("gw", "grid-worker", JINSHA)
const staff = person("cs", "community-staff", JINSHA)
const streetStaff = person("ss", "street-staff", QINGYUN)
const districtStaff = person("ds", "district-staff", PANLONG)
const T0 = Date.UTC(2024, 3, 8, 0, 30)
const at = (minutes: number): DateTime.Utc => DateTime.unsafeMake(T0 + minutes * 60_000)
const C = Case.CaseId.make("case-s")

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

const reported = () =>
  run([
    {
      _tag: "Report",
      caseId: C,
      actor: gridWorker,
      at: at(0),
      source: "patrol",
      categoryId: CategoryId.make("市容环境.暴露垃圾"),
      urgency: "normal",
      description: "垃圾堆放",
      location: { unitId: JINSHA },
      communityId: JINSHA,
      tier: "community",
      anonymous: false
    }
  ])

const supervise = (actor: Actor.Actor, minutes: number, overrides: Partial<Supervise> = {}): Supervise => ({
  _tag: "Supervise",
  caseId: C,
  actor,
  at: at(minutes),
  level: "supervise",
  note: "限期办结",
  ...overrides
})

describe("督办/催办 Supervise", () => {
  it("street and district staff supervise an open case: Supervised in the history, counted, status and clock unchanged", () => {
    const before = run([{ _tag: "Accept", caseId: C, actor: staff, at: at(1) }], reported())
    const after = run([supervise(streetStaff, 5, { level: "urge" }), supervise(districtStaff, 9)], before)
    expect(after.status).toBe("accepted")
    expect([after.step, after.stepStartedAt]).toEqual([before.step, before.stepStartedAt])
    expect(after.supervisions).toBe(2)
    expect(after.lastSupervision).toEqual({ at: at(9), level: "supervise" })
    const events = Case.decide(supervise(streetStaff, 12), after)
    expect(Either.isRight(events) && events.right.map((e) => e._tag)).toEqual(["Supervised"])
  })

  it("refusals: a blank note (note-required), a closed case (the status), other roles (role)", () => {
    const state = reported()
    const blank = Case.decide(supervise(streetStaff, 2, { note: "  " }), state)
    expect(Either.isLeft(blank) && blank.left.violations.map((v) => v.rule)).toContain("note-required")
    for (const actor of [gridWorker, staff]) {
      const refused = Case.decide(supervise(actor, 2), state)
      expect(Either.isLeft(refused) && refused.left.violations.map((v) => v.rule)).toContain("role")
    }
    const voided = run(
      [{ _tag: "Void", caseId: C, actor: staff, at: at(1), reason: "duplicate", note: "重复" }],
      state
    )
    expect(Either.isLeft(Case.decide(supervise(streetStaff, 2), voided))).toBe(true)
  })

  it.prop(
    "on an open case only street and district staff may supervise, at either level; the status never changes",
    [fc.constantFrom(...Actor.roles), fc.constantFrom<Case.SupervisionLevel>("urge", "supervise")],
    ([role, level]) => {
      const state = reported()
      const actor = person(
        `p-${role}`,
        role,
        role === "street-staff"
          ? QINGYUN
          : role === "community-staff" || role === "grid-worker"
            ? JINSHA
            : PANLONG
      )
      const result = Case.execute(state, supervise(actor, 3, { level }))
      if (role === "street-staff" || role === "district-staff") {
        expect(
          Either.isRight(result) && result.right.state._tag === "Case" && result.right.state.status
        ).toBe("reported")
      } else {
        expect(Either.isLeft(result) && result.left.violations.map((v) => v.rule)).toContain("role")
      }
    }
  )
})
