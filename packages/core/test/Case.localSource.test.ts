/**
 * 本地案件来源 — a case reported from a local source of the role table (枫桥小屋,
 * 民情恳谈会, 信访代办) records the built-in source it acts as, by which the
 * rules keep deciding, and the local source beside it; events and cases
 * stored before local sources decode unchanged.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as Actor from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type { Report } from "../src/CaseCommand.js"
import * as CaseEvent from "../src/CaseEvent.js"
import * as RoleTable from "../src/RoleTable.js"
import { UnitId } from "../src/Unit.js"

const JINSHA = UnitId.make("c-jinsha")
const T0 = Date.UTC(2024, 3, 8, 0, 30)
const C = Case.CaseId.make("case-1")
const table = Either.getOrThrow(RoleTable.make(RoleTable.standard))

const actorOf = (role: Actor.Role): Actor.Actor => ({
  id: Actor.ActorId.make(`a-${role}`),
  role,
  unitId: JINSHA
})

const reportFrom = (role: Actor.Role, name: string): Report => {
  const resolved = Either.getOrThrow(RoleTable.reportSource(table, name))
  return {
    _tag: "Report",
    caseId: C,
    actor: actorOf(role),
    at: DateTime.unsafeMake(T0),
    ...resolved,
    categoryId: CategoryId.make("市容环境.暴露垃圾"),
    urgency: "normal",
    description: "邻里纠纷",
    location: { unitId: JINSHA },
    communityId: JINSHA,
    tier: "community",
    anonymous: false
  }
}

describe("Case — local report sources", () => {
  it("a report from 枫桥小屋 is a dispute with its local source, in the event and the case", () => {
    const result = Case.execute(Case.initial, reportFrom("grid-worker", "枫桥小屋"))
    if (Either.isLeft(result)) return assert.fail(result.left.message)
    const [reported] = result.right.events
    expect(reported?._tag === "Reported" && [reported.source, reported.localSource]).toEqual([
      "dispute",
      "fengqiao-cabin"
    ])
    const state = result.right.state
    expect(state._tag === "Case" && [state.source, state.localSource]).toEqual(["dispute", "fengqiao-cabin"])
  })

  it("the rules decide by the built-in source: a grid worker may not file through 信访代办 (a petition)", () => {
    const refused = Case.execute(Case.initial, reportFrom("grid-worker", "信访代办"))
    expect(Either.isLeft(refused) && refused.left.violations.map((v) => v.rule)).toEqual(["source"])
    expect(Either.isRight(Case.execute(Case.initial, reportFrom("community-staff", "信访代办")))).toBe(true)
  })

  it("an event and a case stored before local sources decode as before, without localSource", () => {
    const result = Case.execute(Case.initial, reportFrom("grid-worker", "dispute"))
    if (Either.isLeft(result)) return assert.fail(result.left.message)
    const [reported] = result.right.events
    const json = JSON.parse(
      JSON.stringify(Schema.encodeSync(CaseEvent.CaseEvent)(reported as CaseEvent.CaseEvent))
    )
    expect("localSource" in json).toBe(false)
    const decoded = Schema.decodeUnknownSync(CaseEvent.CaseEvent)(json)
    expect(decoded).toEqual(reported)
    const state = Case.fold([decoded])
    expect(state._tag === "Case" && "localSource" in state).toBe(false)
    const stateJson = JSON.parse(JSON.stringify(Schema.encodeSync(Case.State)(state)))
    expect(Schema.decodeUnknownSync(Case.State)(stateJson)).toEqual(state)
  })

  const names = RoleTable.rolesOf(table, "report-source").flatMap((e) => [e.id, e.zh])
  it.prop(
    "any source name and reporter: refused by rule source iff the built-in source is not the role's; else the case carries both, and its events round-trip",
    [fc.constantFrom(...names), fc.constantFrom(...Actor.roles.filter((r) => r !== "system"))],
    ([name, role]) => {
      const resolved = Either.getOrThrow(RoleTable.reportSource(table, name))
      const result = Case.execute(Case.initial, reportFrom(role, name))
      const allowed = Case.reportSources[role].includes(resolved.source)
      const rules = Either.isLeft(result) ? result.left.violations.map((v) => v.rule) : []
      expect(rules.includes("source")).toBe(!allowed)
      if (Either.isRight(result) && result.right.state._tag === "Case") {
        expect(result.right.state.source).toBe(resolved.source)
        expect(result.right.state.localSource).toBe(resolved.localSource)
        for (const event of result.right.events) {
          const json = JSON.parse(JSON.stringify(Schema.encodeSync(CaseEvent.CaseEvent)(event)))
          expect(Schema.decodeUnknownSync(CaseEvent.CaseEvent)(json)).toEqual(event)
        }
      }
    }
  )
})
