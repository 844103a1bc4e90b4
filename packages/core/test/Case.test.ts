/**
 * The case decider rule by rule: the role table, the transition table, every
 * refusal rule, and the semantics of `evolve`, `fold` and `replay`.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Actor from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type { CaseCommand, Report } from "../src/CaseCommand.js"
import * as CaseEvent from "../src/CaseEvent.js"
import { UnitId } from "../src/Unit.js"

const JINSHA = UnitId.make("c-jinsha")
const OTHER_COMMUNITY = UnitId.make("c-other")
const QINGYUN = UnitId.make("s-qingyun")
const PANLONG = UnitId.make("d-panlong")
const CHENGGUAN = Actor.DepartmentId.make("chengguan")
const ZHUJIAN = Actor.DepartmentId.make("zhujian")

const person = (
  id: string,
  role: Actor.Role,
  unitId: UnitId,
  departmentId?: Actor.DepartmentId
): Actor.Actor =>
  departmentId === undefined
    ? { id: Actor.ActorId.make(id), role, unitId }
    : { id: Actor.ActorId.make(id), role, unitId, departmentId }

const resident = person("resident", "resident", JINSHA)
const gridWorker = person("gw", "grid-worker", JINSHA)
const staff = person("cs", "community-staff", JINSHA)
const otherStaff = person("cs-other", "community-staff", OTHER_COMMUNITY)
const streetStaff = person("ss", "street-staff", QINGYUN)
const chengguan = person("cg", "department", PANLONG, CHENGGUAN)
const zhujian = person("zj", "department", PANLONG, ZHUJIAN)
const hotline = person("hotline", "hotline", PANLONG)
const system = person("system", "system", PANLONG)

const T0 = Date.UTC(2024, 3, 8, 0, 30)
const at = (minutes: number): DateTime.Utc => DateTime.unsafeMake(T0 + minutes * 60_000)
const C = Case.CaseId.make("case-1")

const report = (overrides: Partial<Omit<Report, "_tag">> = {}): Report => ({
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
  anonymous: false,
  ...overrides
})

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

const refuse = (state: Case.State, command: CaseCommand): Case.CaseRefused => {
  const result = Case.decide(command, state)
  if (Either.isRight(result)) return assert.fail(`expected ${command._tag} to be refused`)
  return result.left
}

const rules = (refusal: Case.CaseRefused) => refusal.violations.map((v) => v.rule)

const reported = () => run([report()])
const accepted = () => run([{ _tag: "Accept", caseId: C, actor: staff, at: at(1) }], reported())
const dispatched = () =>
  run(
    [
      {
        _tag: "Dispatch",
        caseId: C,
        actor: staff,
        at: at(2),
        target: { _tag: "Department", departmentId: CHENGGUAN }
      }
    ],
    accepted()
  )
const handled = () =>
  run(
    [{ _tag: "Handle", caseId: C, actor: chengguan, at: at(3), result: "已处理", evidence: ["e1"] }],
    dispatched()
  )
const closed = () => run([{ _tag: "Verify", caseId: C, actor: staff, at: at(4), outcome: "pass" }], handled())

describe("Actor — 操作人", () => {
  it("role names: every role has its Chinese name (居民, 网格员, 社区工作人员, 街道工作人员, 区指挥中心, 职能部门, 12345 热线, 系统)", () => {
    expect(Actor.roles.map((r) => Actor.roleNames[r])).toEqual([
      "居民",
      "网格员",
      "社区工作人员",
      "街道工作人员",
      "区指挥中心",
      "职能部门",
      "12345 热线",
      "系统"
    ])
  })

  it("staff roles map to their tier and back", () => {
    for (const tier of ["community", "street", "district"] as const) {
      expect(Actor.staffTier(Actor.staffRole[tier])).toEqual(Option.some(tier))
    }
    expect(Actor.staffTier("grid-worker")).toEqual(Option.none())
    expect(Actor.isStaffOf(staff, "community", JINSHA)).toBe(true)
    expect(Actor.isStaffOf(staff, "community", OTHER_COMMUNITY)).toBe(false)
    expect(Actor.isStaffOf(streetStaff, "community", QINGYUN)).toBe(false)
  })

  it("an actor encodes and decodes; departmentId is optional", () => {
    const roundTrip = (a: Actor.Actor) =>
      Schema.decodeUnknownSync(Actor.Actor)(Schema.encodeSync(Actor.Actor)(a))
    expect(roundTrip(chengguan)).toEqual(chengguan)
    expect(roundTrip(staff)).toEqual(staff)
    expect("departmentId" in roundTrip(staff)).toBe(false)
  })
})

describe("the transition table", () => {
  it("covers every command, and every status but the ends allows some command besides a comment", () => {
    const commands = new Set(Case.transitions.map((t) => t.command))
    expect([...commands].sort()).toEqual([...Case.commandTags].sort())
    for (const status of Case.statuses) {
      const allows = Case.commandTags.some((c) => c !== "Comment" && Case.isAllowed(status, c))
      expect([status, allows]).toEqual([status, !Case.isEnd(status)])
    }
    expect(Case.isAllowed("none", "Report")).toBe(true)
    expect(Case.isAllowed("none", "Accept")).toBe(false)
  })

  it("has at most one row per status and command, each leading to known statuses", () => {
    const keys = Case.transitions.map((t) => `${t.from}|${t.command}`)
    expect(new Set(keys).size).toBe(keys.length)
    for (const t of Case.transitions) {
      expect(t.to.length).toBeGreaterThan(0)
      for (const s of t.to) expect(Case.statuses).toContain(s)
    }
  })

  it("is data a docs generator can turn into a Mermaid state diagram", () => {
    const lines = Case.transitions.flatMap((t) =>
      t.to.map((to) => `  ${t.from === "none" ? "[*]" : t.from} --> ${to} : ${t.command}`)
    )
    const diagram = ["stateDiagram-v2", ...lines].join("\n")
    expect(diagram).toContain("[*] --> reported : Report")
    expect(diagram).toContain("handled --> rework : Verify")
    expect(diagram).toContain("evaluated --> dispatched : Reopen")
  })

  it("the command and event unions carry exactly the tags the table and the names know", () => {
    type Equals<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
    const commandTags: Equals<CaseCommand["_tag"], Case.CommandTag> = true
    const eventTags: Equals<CaseEvent.CaseEvent["_tag"], Case.EventTag> = true
    expect([commandTags, eventTags]).toEqual([true, true])
    expect(Object.keys(CaseEvent.eventNames).sort()).toEqual([...Case.EventTag.literals].sort())
    expect(Object.keys(Case.commandNames).sort()).toEqual([...Case.commandTags].sort())
    expect(Object.keys(Case.statusNames).sort()).toEqual([...Case.statuses].sort())
  })

  it("every command names its authorities (the who-may-do-what table)", () => {
    for (const tag of Case.commandTags) expect(Case.authorities[tag].length).toBeGreaterThan(0)
    expect(Case.authorities.Handle).toEqual(["handler"])
    expect(Case.authorities.Escalate).toEqual(["owning-tier-staff", "system"])
  })
})

describe("refusals — each names the case, the status, the command, the role and the rule", () => {
  it("case-not-found: a command on no case", () => {
    const r = refuse(Case.initial, { _tag: "Accept", caseId: C, actor: staff, at: at(1) })
    expect(r).toMatchObject({
      caseId: C,
      status: "none",
      command: "Accept",
      role: "community-staff",
      rule: "case-not-found"
    })
  })

  it("case-exists: reporting a case that exists", () => {
    expect(refuse(reported(), report()).rule).toBe("case-exists")
  })

  it("case-id: a command for another case", () => {
    const r = refuse(reported(), {
      _tag: "Accept",
      caseId: Case.CaseId.make("case-2"),
      actor: staff,
      at: at(1)
    })
    expect(r.rule).toBe("case-id")
  })

  it("time-order: a command dated before the case's last event", () => {
    const r = refuse(accepted(), { _tag: "Reject", caseId: C, actor: staff, at: at(0), reason: "x" })
    expect(rules(r)).toContain("time-order")
  })

  it("status: cannot dispatch a case in status reported", () => {
    const r = refuse(reported(), {
      _tag: "Dispatch",
      caseId: C,
      actor: staff,
      at: at(1),
      target: { _tag: "Department", departmentId: CHENGGUAN }
    })
    expect(r).toMatchObject({ status: "reported", command: "Dispatch", rule: "status" })
    expect(r.message).toContain("cannot dispatch (指挥派遣) a case in status reported (待立案)")
  })

  it("role: a resident may not accept; the refusal names the role and who may", () => {
    const r = refuse(reported(), { _tag: "Accept", caseId: C, actor: resident, at: at(1) })
    expect(r).toMatchObject({ role: "resident", rule: "role" })
    expect(r.message).toContain("role resident (居民) may not accept")
    expect(r.message).toContain("社区工作人员")
  })

  it("role: the system may not report", () => {
    expect(refuse(Case.initial, report({ actor: system })).rule).toBe("role")
  })

  it("jurisdiction: staff of another community may not accept", () => {
    expect(refuse(reported(), { _tag: "Accept", caseId: C, actor: otherStaff, at: at(1) }).rule).toBe(
      "jurisdiction"
    )
  })

  it("handler: only the dispatched department handles, returns or asks for suspension / extension", () => {
    const state = dispatched()
    const handle = refuse(state, {
      _tag: "Handle",
      caseId: C,
      actor: zhujian,
      at: at(5),
      result: "x",
      evidence: ["e"]
    })
    expect(handle.rule).toBe("handler")
    expect(handle.message).toContain("dispatched to department chengguan")
    expect(refuse(state, { _tag: "Return", caseId: C, actor: zhujian, at: at(5), reason: "x" }).rule).toBe(
      "handler"
    )
    expect(
      refuse(state, { _tag: "Handle", caseId: C, actor: staff, at: at(5), result: "x", evidence: ["e"] }).rule
    ).toBe("role")
  })

  it("evidence-required: handle requires evidence; a blank reference is refused too", () => {
    const none = refuse(dispatched(), {
      _tag: "Handle",
      caseId: C,
      actor: chengguan,
      at: at(5),
      result: "ok",
      evidence: []
    })
    expect(none.rule).toBe("evidence-required")
    expect(none.message).toContain("handle (处理反馈) requires evidence")
    const blank = refuse(dispatched(), {
      _tag: "Handle",
      caseId: C,
      actor: chengguan,
      at: at(5),
      result: "ok",
      evidence: ["e1", " "]
    })
    expect(blank.rule).toBe("evidence-required")
  })

  it("result-required, reason-required, note-required, description-required: blank texts are refusals", () => {
    expect(
      refuse(dispatched(), {
        _tag: "Handle",
        caseId: C,
        actor: chengguan,
        at: at(5),
        result: " ",
        evidence: ["e"]
      }).rule
    ).toBe("result-required")
    expect(refuse(reported(), { _tag: "Reject", caseId: C, actor: staff, at: at(1), reason: "" }).rule).toBe(
      "reason-required"
    )
    expect(
      refuse(dispatched(), { _tag: "Return", caseId: C, actor: chengguan, at: at(5), reason: "  " }).rule
    ).toBe("reason-required")
    expect(
      refuse(handled(), { _tag: "Verify", caseId: C, actor: staff, at: at(5), outcome: "fail" }).rule
    ).toBe("reason-required")
    expect(
      refuse(reported(), { _tag: "Void", caseId: C, actor: staff, at: at(1), reason: "duplicate", note: "" })
        .rule
    ).toBe("note-required")
    expect(refuse(Case.initial, report({ description: "   " })).rule).toBe("description-required")
  })

  it("anonymous-contact: an anonymous report carries no contact", () => {
    expect(refuse(Case.initial, report({ anonymous: true, contact: { phone: "13800001234" } })).rule).toBe(
      "anonymous-contact"
    )
  })

  it("owner-unit: a case starting above the community names its owner; a community case is owned by its community", () => {
    expect(refuse(Case.initial, report({ tier: "street" })).rule).toBe("owner-unit")
    expect(refuse(Case.initial, report({ ownerUnitId: QINGYUN })).rule).toBe("owner-unit")
    expect(run([report({ tier: "street", ownerUnitId: QINGYUN })]).ownerUnitId).toBe(QINGYUN)
    // routing's tier fallback: a point in no grid placed at the street, which is its own owner
    const placedAtStreet = report({
      tier: "street",
      communityId: QINGYUN,
      ownerUnitId: QINGYUN,
      location: { unitId: QINGYUN }
    })
    expect(run([placedAtStreet]).ownerUnitId).toBe(QINGYUN)
  })

  it("self-handle: only a grid worker of the community, only at the community tier, with evidence", () => {
    const selfHandle = (
      over: Partial<Omit<Report, "_tag">>,
      evidence: ReadonlyArray<string>
    ): CaseCommand => ({
      ...report(over),
      _tag: "SelfHandle",
      result: "已处理",
      evidence
    })
    expect(refuse(Case.initial, selfHandle({ actor: staff }, ["e"])).rule).toBe("role")
    expect(
      refuse(Case.initial, selfHandle({ actor: person("gw2", "grid-worker", OTHER_COMMUNITY) }, ["e"])).rule
    ).toBe("jurisdiction")
    expect(
      refuse(Case.initial, selfHandle({ tier: "district", ownerUnitId: PANLONG }, ["e"])).violations.map(
        (v) => v.rule
      )
    ).toEqual(["self-handle-community-only"])
    expect(refuse(Case.initial, selfHandle({}, [])).rule).toBe("evidence-required")
  })

  it("escalation: never beyond the district, always to another unit, by owning-tier staff or the system", () => {
    const atDistrict = run(
      [
        { _tag: "Escalate", caseId: C, actor: staff, at: at(1), toUnitId: QINGYUN, reason: "上报" },
        { _tag: "Escalate", caseId: C, actor: system, at: at(2), toUnitId: PANLONG, reason: "超期" }
      ],
      reported()
    )
    expect(atDistrict.tier).toBe("district")
    const beyond = refuse(atDistrict, {
      _tag: "Escalate",
      caseId: C,
      actor: system,
      at: at(3),
      toUnitId: PANLONG,
      reason: "超期"
    })
    expect(rules(beyond)).toEqual(["escalation-beyond-district", "escalation-unit"])
    expect(
      refuse(reported(), {
        _tag: "Escalate",
        caseId: C,
        actor: staff,
        at: at(1),
        toUnitId: JINSHA,
        reason: "x"
      }).rule
    ).toBe("escalation-unit")
    expect(
      refuse(reported(), {
        _tag: "Escalate",
        caseId: C,
        actor: gridWorker,
        at: at(1),
        toUnitId: QINGYUN,
        reason: "x"
      }).rule
    ).toBe("role")
  })

  it("merge-into-self: a case cannot be merged into itself", () => {
    expect(refuse(reported(), { _tag: "Merge", caseId: C, actor: staff, at: at(1), targetId: C }).rule).toBe(
      "merge-into-self"
    )
  })

  it("request-pending / no-pending-request: one request of a kind at a time; nothing to approve without one", () => {
    const asked = run(
      [{ _tag: "RequestSuspension", caseId: C, actor: chengguan, at: at(5), reason: "等待" }],
      dispatched()
    )
    expect(
      refuse(asked, { _tag: "RequestSuspension", caseId: C, actor: chengguan, at: at(6), reason: "再等" })
        .rule
    ).toBe("request-pending")
    expect(refuse(dispatched(), { _tag: "ApproveSuspension", caseId: C, actor: staff, at: at(5) }).rule).toBe(
      "no-pending-request"
    )
    expect(
      refuse(dispatched(), { _tag: "DenyExtension", caseId: C, actor: staff, at: at(5), reason: "x" }).rule
    ).toBe("no-pending-request")
    // approving is for the owning tier, not for the handler who asked
    expect(refuse(asked, { _tag: "ApproveSuspension", caseId: C, actor: chengguan, at: at(6) }).rule).toBe(
      "role"
    )
  })

  it("extension-amount: an extension is a positive whole amount", () => {
    for (const amount of [0, -1, 1.5, Number.NaN]) {
      const r = refuse(dispatched(), {
        _tag: "RequestExtension",
        caseId: C,
        actor: chengguan,
        at: at(5),
        amount: { amount, unit: "working-days" },
        reason: "x"
      })
      expect(r.rule).toBe("extension-amount")
    }
  })

  it("reopen: requires a dissatisfied evaluation; a self-handled case reopens to dispatch, not to a handler", () => {
    expect(
      refuse(closed(), {
        _tag: "Reopen",
        caseId: C,
        actor: hotline,
        at: at(9),
        reason: "x",
        to: "handling"
      }).violations.map((v) => v.rule)
    ).toEqual(["status", "reopen-requires-dissatisfied"])
    const selfHandled = run([
      { ...report(), _tag: "SelfHandle", result: "已处理", evidence: ["e"] },
      { _tag: "Evaluate", caseId: C, actor: hotline, at: at(5), rating: "dissatisfied" }
    ])
    expect(
      refuse(selfHandled, {
        _tag: "Reopen",
        caseId: C,
        actor: hotline,
        at: at(6),
        reason: "x",
        to: "handling"
      }).rule
    ).toBe("reopen-needs-handler")
    const reopened = run(
      [{ _tag: "Reopen", caseId: C, actor: hotline, at: at(6), reason: "不满意", to: "dispatch" }],
      selfHandled
    )
    expect(reopened.status).toBe("accepted")
  })

  it("evaluate: hotline or the owning community's staff; not a grid worker", () => {
    expect(
      refuse(closed(), { _tag: "Evaluate", caseId: C, actor: gridWorker, at: at(9), rating: "satisfied" })
        .rule
    ).toBe("role")
    expect(
      refuse(closed(), { _tag: "Evaluate", caseId: C, actor: otherStaff, at: at(9), rating: "satisfied" })
        .rule
    ).toBe("jurisdiction")
  })

  it("every broken rule is reported, not just the first", () => {
    const r = refuse(reported(), {
      _tag: "Handle",
      caseId: C,
      actor: resident,
      at: at(1),
      result: "",
      evidence: []
    })
    expect(rules(r)).toEqual(["status", "role", "result-required", "evidence-required"])
    expect(r.rule).toBe("status")
    expect(r.message).toContain("[evidence-required]")
  })

  it("CaseRefused is a Schema.TaggedError: an Error with a tag that encodes and decodes", () => {
    const r = refuse(reported(), { _tag: "Accept", caseId: C, actor: resident, at: at(1) })
    expect(r).toBeInstanceOf(Error)
    expect(r._tag).toBe("CaseRefused")
    const decoded = Schema.decodeUnknownSync(Case.CaseRefused)(Schema.encodeSync(Case.CaseRefused)(r))
    expect(decoded.violations).toEqual(r.violations)
    expect(decoded.message).toBe(r.message)
  })
})

describe("decide, evolve, fold and replay", () => {
  it("decide numbers events from version + 1: a passed verification gives two consecutive events", () => {
    const state = handled()
    const events = Either.getOrThrow(
      Case.decide({ _tag: "Verify", caseId: C, actor: staff, at: at(5), outcome: "pass" }, state)
    )
    expect(events.map((e) => [e._tag, e.sequence])).toEqual([
      ["VerificationPassed", state.version + 1],
      ["Closed", state.version + 2]
    ])
  })

  it("evolve ignores an out-of-order event: the state is returned unchanged", () => {
    const state = reported()
    const events = Either.getOrThrow(
      Case.decide({ _tag: "Accept", caseId: C, actor: staff, at: at(1) }, state)
    )
    const accept = events[0]
    if (accept === undefined) return assert.fail("no event")
    expect(Case.evolve(state, { ...accept, sequence: 3 })).toBe(state)
    expect(Case.evolve(state, { ...accept, sequence: 1 })).toBe(state)
    expect(Case.evolve(Case.initial, accept)).toBe(Case.initial)
    expect(Case.evolve(state, accept)).not.toBe(state)
  })

  it("no event is applied twice: a redelivered history folds to the same state", () => {
    const events: Array<CaseEvent.CaseEvent> = []
    let state = Case.initial
    for (const command of [
      report(),
      { _tag: "Accept", caseId: C, actor: staff, at: at(1) },
      { _tag: "Dispatch", caseId: C, actor: staff, at: at(2), target: { _tag: "Unit", unitId: JINSHA } }
    ] satisfies ReadonlyArray<CaseCommand>) {
      const result = Either.getOrThrow(Case.execute(state, command))
      events.push(...result.events)
      state = result.state
    }
    const redelivered = events.flatMap((e) => [e, e])
    expect(Case.fold(redelivered)).toEqual(state)
    expect(Case.replay(redelivered)).toMatchObject({
      _tag: "Left",
      left: { rule: "sequence", index: 1, expected: 2 }
    })
  })

  it("replay is strict: a gap, a foreign event or a history not starting with Reported is a CaseReplayError", () => {
    const state = dispatched()
    const events = [
      ...Either.getOrThrow(Case.decide(report(), Case.initial)),
      ...Either.getOrThrow(Case.decide({ _tag: "Accept", caseId: C, actor: staff, at: at(1) }, reported()))
    ]
    const [first, second] = events
    if (first === undefined || second === undefined) return assert.fail("no events")
    expect(Case.replay([first, { ...second, sequence: 3 }])).toMatchObject({
      _tag: "Left",
      left: { _tag: "CaseReplayError", rule: "sequence", sequence: 3, expected: 2 }
    })
    expect(Case.replay([second])).toMatchObject({ _tag: "Left", left: { rule: "first-event" } })
    expect(Case.replay([first, { ...second, caseId: Case.CaseId.make("case-9") }])).toMatchObject({
      _tag: "Left",
      left: { rule: "case-id" }
    })
    expect(Case.replay([])).toEqual(Either.right(Case.initial))
    expect(state.version).toBe(3)
  })

  it("concurrency: two commands decided on the same version claim the same sequence — exactly one can be stored", () => {
    const state = reported()
    const a = Either.getOrThrow(Case.decide({ _tag: "Accept", caseId: C, actor: staff, at: at(1) }, state))
    const b = Either.getOrThrow(
      Case.decide({ _tag: "Reject", caseId: C, actor: staff, at: at(1), reason: "重复" }, state)
    )
    expect(a[0]?.sequence).toBe(2)
    expect(b[0]?.sequence).toBe(2)
    // the store keeps a; the loser re-decides against the new state and gets a clear refusal
    const afterA = a.reduce(Case.evolve, state)
    expect(
      refuse(afterA, { _tag: "Reject", caseId: C, actor: staff, at: at(1), reason: "重复" }).message
    ).toContain("cannot reject (不予立案) a case in status accepted")
  })

  it("the state keeps what metrics and time limits need", () => {
    const state = handled()
    expect(state).toMatchObject({
      status: "handled",
      tier: "community",
      ownerUnitId: JINSHA,
      source: "patrol",
      urgency: "normal",
      step: "verification",
      stepStartedAt: at(3),
      reportedAt: at(0),
      acceptedAt: at(1),
      dispatchedAt: at(2),
      handledAt: at(3),
      counts: { dispatches: 1, returns: 0, reworks: 0, reopens: 0, escalations: 0 },
      version: 4
    })
    expect(Case.isOpen(state.status)).toBe(true)
    expect(Case.isOpen(closed().status)).toBe(false)
  })

  it("a state snapshot encodes to JSON and decodes back (Case.State schema)", () => {
    for (const state of [Case.initial, reported(), closed()]) {
      const json = JSON.parse(JSON.stringify(Schema.encodeSync(Case.State)(state)))
      expect(Schema.decodeUnknownSync(Case.State)(json)).toEqual(state)
    }
  })

  it("decide trims free texts so every event it emits decodes (blank address and contact fields dropped)", () => {
    const events = Either.getOrThrow(
      Case.decide(
        report({
          description: "  垃圾堆放  ",
          location: { unitId: JINSHA, address: "   " },
          contact: { name: " 张女士 ", phone: "" }
        }),
        Case.initial
      )
    )
    const [event] = events
    if (event === undefined || event._tag !== "Reported") return assert.fail("no Reported event")
    expect(event.description).toBe("垃圾堆放")
    expect(event.location).toEqual({ unitId: JINSHA })
    expect(event.contact).toEqual({ name: "张女士" })
    expect(
      Schema.decodeUnknownSync(CaseEvent.CaseEvent)(Schema.encodeSync(CaseEvent.CaseEvent)(event))
    ).toEqual(event)
  })

  it("events decode from stored JSON and carry their bilingual names", () => {
    const [event] = Either.getOrThrow(Case.decide(report(), Case.initial))
    if (event === undefined) return assert.fail("no event")
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(CaseEvent.CaseEvent)(event)))
    expect(json).toMatchObject({
      _tag: "Reported",
      sequence: 1,
      at: "2024-04-08T00:30:00.000Z",
      caseId: "case-1"
    })
    expect(Schema.decodeUnknownSync(CaseEvent.CaseEvent)(json)).toEqual(event)
    expect(CaseEvent.eventNames[event._tag]).toBe("已上报")
  })
})

describe("publication consent (公开精确位置)", () => {
  it("a report's publishExact is carried into the Reported event and the case; absent, neither has it", () => {
    const withConsent = Case.decide(report({ publishExact: true }), Case.initial)
    if (Either.isLeft(withConsent)) return assert.fail(withConsent.left.message)
    const [event] = withConsent.right
    expect(event?._tag === "Reported" && event.publishExact).toBe(true)
    expect(run([report({ publishExact: true })]).publishExact).toBe(true)
    expect(run([report({ publishExact: false })]).publishExact).toBe(false)
    const without = run([report()])
    expect("publishExact" in without).toBe(false)
  })

  it("self-handling carries it too, and it survives the event's JSON round trip", () => {
    const selfHandle: CaseCommand = {
      ...report({ publishExact: true }),
      _tag: "SelfHandle",
      result: "已清理",
      evidence: ["photo-1"]
    }
    const decided = Case.decide(selfHandle, Case.initial)
    if (Either.isLeft(decided)) return assert.fail(decided.left.message)
    const reportedEvent = decided.right[0]
    if (reportedEvent === undefined) return assert.fail("no event")
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(CaseEvent.CaseEvent)(reportedEvent)))
    expect(json.publishExact).toBe(true)
    expect(Case.fold(decided.right)).toMatchObject({ publishExact: true, status: "closed" })
  })
})
