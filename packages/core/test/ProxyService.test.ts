/**
 * 网格代办 — the proxy-service decider (seed 002: "网格代办", "信访代办7件"):
 * accepted → submitted → done, cancellation, who may act, and — with
 * schema-derived commands — the decider's invariants.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { type Actor, ActorId, type Role } from "../src/Actor.js"
import { HouseholdId } from "../src/Household.js"
import * as ProxyService from "../src/ProxyService.js"
import { UnitId } from "../src/Unit.js"

const C = UnitId.make("c-x")
const HU = UnitId.make("b-tali-3")
const person = (id: string, role: Role, unitId: UnitId = C): Actor => ({ id: ActorId.make(id), role, unitId })
const gw = person("gw-1", "grid-worker")
const S = ProxyService.ServiceId.make("ps-1")
const T0 = Date.UTC(2024, 4, 10, 1, 0)
const at = (m: number): DateTime.Utc => DateTime.unsafeMake(T0 + m * 60_000)

const accept = (over: Partial<Omit<ProxyService.Accept, "_tag">> = {}): ProxyService.Accept => ({
  _tag: "Accept",
  serviceId: S,
  actor: gw,
  at: at(0),
  householdId: HouseholdId.make("h-1"),
  householdUnitId: HU,
  communityId: C,
  matter: "低保年审材料代交",
  source: "visit",
  visitId: "v-1",
  ...over
})
const submit: ProxyService.Submit = {
  _tag: "Submit",
  serviceId: S,
  actor: gw,
  at: at(10),
  office: "街道便民服务中心"
}
const complete: ProxyService.Complete = {
  _tag: "Complete",
  serviceId: S,
  actor: gw,
  at: at(20),
  result: "年审通过"
}

const run = (commands: ReadonlyArray<ProxyService.ProxyServiceCommand>) => {
  let state = ProxyService.initial
  const events: Array<ProxyService.ProxyServiceEvent> = []
  const refusals: Array<ProxyService.ProxyServiceRefused> = []
  for (const c of commands) {
    const r = ProxyService.execute(state, c)
    if (Either.isLeft(r)) refusals.push(r.left)
    else {
      events.push(...r.right.events)
      state = r.right.state
    }
  }
  return { state, events, refusals }
}

describe("ProxyService", () => {
  it("accepted → submitted → done", () => {
    const { state, events, refusals } = run([accept(), submit, complete])
    expect(refusals).toEqual([])
    expect(events.map((e) => [e._tag, e.sequence])).toEqual([
      ["Accepted", 1],
      ["Submitted", 2],
      ["Completed", 3]
    ])
    expect(
      ProxyService.isService(state) && [state.status, state.office, state.result, state.visitId]
    ).toEqual(["done", "街道便民服务中心", "年审通过", "v-1"])
  })

  it("done only through submitted; a done service cannot be cancelled", () => {
    const early = run([accept(), complete])
    expect(early.refusals.map((r) => [r.rule, r.status])).toEqual([["status", "accepted"]])
    const late = run([
      accept(),
      submit,
      complete,
      { _tag: "Cancel", serviceId: S, actor: gw, at: at(30), reason: "重复" }
    ])
    expect(late.refusals.map((r) => r.rule)).toEqual(["status"])
  })

  it("every broken rule is listed, with the field", () => {
    const r = ProxyService.decide(
      accept({ actor: person("hot-1", "hotline"), matter: "  ", visitId: " " }),
      ProxyService.initial
    )
    expect(Either.isLeft(r) && r.left.violations.map((v) => [v.rule, v.field])).toEqual([
      ["role", "actor"],
      ["matter-required", "matter"],
      ["visit-required", "visitId"]
    ])
    expect(Either.isLeft(r) && r.left.message).toContain("拒绝受理")
  })

  it("staff of another community: jurisdiction; the household itself may cancel", () => {
    const other = run([accept({ actor: person("gw-9", "grid-worker", UnitId.make("c-other")) })])
    expect(other.refusals.map((r) => r.rule)).toEqual(["jurisdiction"])
    const self = run([
      accept(),
      { _tag: "Cancel", serviceId: S, actor: person("r-1", "resident", HU), at: at(5), reason: "已自行办理" }
    ])
    expect(self.refusals).toEqual([])
    expect(ProxyService.isService(self.state) && self.state.status).toBe("cancelled")
  })

  it("proactive sources are visits and patrols", () => {
    expect(ProxyService.Source.literals.filter(ProxyService.isProactive)).toEqual(["visit", "patrol"])
  })

  // commands with every field generated from the schema; some aimed at the service and acting in order
  const command = fc
    .tuple(Arbitrary.make(ProxyService.ProxyServiceCommand), fc.boolean(), fc.nat({ max: 1000 }))
    .map(([c, aimed, minutes]) =>
      aimed
        ? {
            ...c,
            serviceId: S,
            actor: gw,
            at: at(minutes),
            ...(c._tag === "Accept" ? { communityId: C } : {})
          }
        : c
    )

  it.prop(
    "the history replays to the state; versions count events; done only after submitted",
    [fc.array(command, { maxLength: 12 })],
    ([cs]) => {
      const { state, events } = run(cs)
      expect(state.version).toBe(events.length)
      expect(ProxyService.replay(events)).toEqual(Either.right(state))
      const tags = events.map((e) => e._tag)
      const done = tags.indexOf("Completed")
      if (done >= 0) expect(tags.slice(0, done)).toContain("Submitted")
      for (const [i, e] of events.entries()) expect(e.sequence).toBe(i + 1)
    }
  )

  it.prop(
    "every event encodes to JSON and decodes to itself",
    [fc.array(command, { maxLength: 8 })],
    ([cs]) => {
      const { events } = run(cs)
      const codec = Schema.parseJson(Schema.Array(ProxyService.ProxyServiceEvent))
      expect(Schema.decodeSync(codec)(Schema.encodeSync(codec)(events))).toEqual(events)
    }
  )

  it.prop("a refusal changes nothing and always names a rule", [command], ([c]) => {
    const r = ProxyService.decide(c, ProxyService.initial)
    if (Either.isLeft(r)) {
      expect(r.left.violations.length).toBeGreaterThan(0)
      expect(r.left.rule).toBe(r.left.violations[0]?.rule)
    } else expect(r.right.every((e) => e.sequence === 1)).toBe(true)
  })
})
