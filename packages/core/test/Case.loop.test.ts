/**
 * Seed walkthroughs of the case loop: seed 001's six steps (采集上报 → 指挥派遣 →
 * 处理反馈 → 任务核查 → 结案归档 → 考核评价) and its three-tier loop (社区自循环 →
 * 街道微循环 → 区级小循环, "青云街道金沙社区 … 实现了三级业务闭环，职能部门下沉网格"),
 * seed 002's "琐事不出楼栋" self-handling and its 矛盾纠纷 / 信访代办 sources, and
 * the side branches: rework, reopening, suspension, extension, merge.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import { type Actor, ActorId, DepartmentId, type Role } from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type { CaseCommand, Report } from "../src/CaseCommand.js"
import type { CaseEvent } from "../src/CaseEvent.js"
import { GridId } from "../src/Grid.js"
import { UnitId } from "../src/Unit.js"

// 数字盘龙: 盘龙区 → 青云街道 → 金沙社区 (seed 001)
const PANLONG = UnitId.make("530103") // 盘龙区
const QINGYUN = UnitId.make("530103-qingyun") // 青云街道
const JINSHA = UnitId.make("530103-qingyun-jinsha") // 金沙社区
const CHENGGUAN = DepartmentId.make("panlong-chengguan") // 区城管局
const ZHUJIAN = DepartmentId.make("panlong-zhujian") // 区住建局

const actor = (id: string, role: Role, unitId: UnitId, departmentId?: DepartmentId): Actor =>
  departmentId === undefined
    ? { id: ActorId.make(id), role, unitId }
    : { id: ActorId.make(id), role, unitId, departmentId }

const gridWorker = actor("网格员-李", "grid-worker", JINSHA)
const communityStaff = actor("社区-王", "community-staff", JINSHA)
const streetStaff = actor("街道-赵", "street-staff", QINGYUN)
const districtStaff = actor("区指挥中心-陈", "district-staff", PANLONG)
const chengguan = actor("城管-刘", "department", PANLONG, CHENGGUAN)
const zhujian = actor("住建-周", "department", PANLONG, ZHUJIAN)
const hotline = actor("12345-坐席07", "hotline", PANLONG)
const system = actor("system", "system", PANLONG)

const day = Date.UTC(2024, 3, 8, 0, 30) // Monday 2024-04-08 08:30 in Beijing
/** An instant `minutes` after the start of the walkthrough. */
const at = (minutes: number): DateTime.Utc => DateTime.unsafeMake(day + minutes * 60_000)

const report = (
  caseId: string,
  by: Actor,
  minutes: number,
  overrides: Partial<Omit<Report, "_tag">> = {}
): Report => ({
  _tag: "Report",
  caseId: Case.CaseId.make(caseId),
  actor: by,
  at: at(minutes),
  source: "patrol",
  categoryId: CategoryId.make("市容环境.暴露垃圾"),
  urgency: "normal",
  description: "金沙社区 3 号楼旁垃圾堆放",
  location: { unitId: JINSHA, gridId: GridId.make("jinsha-03"), position: [102.7236, 25.0712] },
  communityId: JINSHA,
  tier: "community",
  anonymous: false,
  ...overrides
})

/** Runs commands in order; each must be accepted. Returns every state and the history. */
const walk = (commands: ReadonlyArray<CaseCommand>, from: Case.State = Case.initial) => {
  let state = from
  const states: Array<Case.Case> = []
  const events: Array<CaseEvent> = []
  for (const command of commands) {
    const result = Case.execute(state, command)
    if (Either.isLeft(result)) return assert.fail(result.left.message)
    state = result.right.state
    events.push(...result.right.events)
    if (state._tag === "NoCase") return assert.fail("a case exists after an accepted command")
    states.push(state)
  }
  const last = states[states.length - 1]
  if (last === undefined) return assert.fail("no command")
  return { state: last, states, events }
}

const refusal = (state: Case.State, command: CaseCommand): Case.CaseRefused => {
  const result = Case.decide(command, state)
  if (Either.isRight(result)) return assert.fail(`expected ${command._tag} to be refused`)
  return result.left
}

const id = (s: string) => Case.CaseId.make(s)

describe("seed 001 — 六步闭环 the six-step closed loop", () => {
  it("采集上报 → 指挥派遣 → 处理反馈 → 任务核查 → 结案归档 → 考核评价: a patrol case walks the six steps", () => {
    const c = id("PL-2024-0001")
    const { state, states, events } = walk([
      report("PL-2024-0001", gridWorker, 0), // 采集上报
      { _tag: "Accept", caseId: c, actor: communityStaff, at: at(20) }, // 立案
      {
        _tag: "Dispatch", // 指挥派遣
        caseId: c,
        actor: communityStaff,
        at: at(30),
        target: { _tag: "Department", departmentId: CHENGGUAN }
      },
      {
        _tag: "Handle", // 处理反馈
        caseId: c,
        actor: chengguan,
        at: at(180),
        result: "已清运垃圾并消杀",
        evidence: ["oss://cases/PL-2024-0001/after-1.jpg"]
      },
      { _tag: "Verify", caseId: c, actor: communityStaff, at: at(240), outcome: "pass" }, // 任务核查 → 结案归档
      { _tag: "Evaluate", caseId: c, actor: hotline, at: at(24 * 60), rating: "satisfied" } // 考核评价
    ])
    expect(states.map((s) => [s.status, s.step])).toEqual([
      ["reported", "filing"],
      ["accepted", "dispatch"],
      ["dispatched", "handling"],
      ["handled", "verification"],
      ["closed", "evaluation"],
      ["evaluated", null]
    ])
    expect(events.map((e) => e._tag)).toEqual([
      "Reported",
      "Accepted",
      "Dispatched",
      "Handled",
      "VerificationPassed",
      "Closed",
      "Evaluated"
    ])
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(state.version).toBe(7)
    expect(state.closedTier).toBe("community")
    expect(state.closedVia).toBe("verification")
    expect(state.closedAt).toEqual(at(240))
    expect(state.acceptedAt).toEqual(at(20))
    expect(state.evaluation).toEqual({ rating: "satisfied", at: at(24 * 60), by: hotline.id })
    expect(state.counts).toEqual({ dispatches: 1, returns: 0, reworks: 0, reopens: 0, escalations: 0 })
    expect(Case.fold(events)).toEqual(state)
  })

  it("准确派遣: a wrong dispatch is returned 回退 with its reason and dispatched again", () => {
    const c = id("PL-2024-0002")
    const { state } = walk([
      report("PL-2024-0002", gridWorker, 0, { categoryId: CategoryId.make("房屋土地.违章搭建") }),
      { _tag: "Accept", caseId: c, actor: communityStaff, at: at(10) },
      {
        _tag: "Dispatch",
        caseId: c,
        actor: communityStaff,
        at: at(20),
        target: { _tag: "Department", departmentId: CHENGGUAN }
      },
      { _tag: "Return", caseId: c, actor: chengguan, at: at(60), reason: "违章搭建属住建局职责" },
      {
        _tag: "Dispatch",
        caseId: c,
        actor: communityStaff,
        at: at(70),
        target: { _tag: "Department", departmentId: ZHUJIAN }
      },
      { _tag: "Handle", caseId: c, actor: zhujian, at: at(300), result: "已拆除", evidence: ["oss://b.jpg"] }
    ])
    expect(state.status).toBe("handled")
    expect(state.counts.dispatches).toBe(2)
    expect(state.counts.returns).toBe(1)
    expect(state.dispatchTarget).toEqual({ _tag: "Department", departmentId: ZHUJIAN })
  })
})

describe("seed 001 — 三级闭环 社区自循环 → 街道微循环 → 区级小循环", () => {
  const communityLoop = () => {
    const c = id("T-1")
    return walk([
      report("T-1", gridWorker, 0, { source: "dispute", categoryId: CategoryId.make("矛盾纠纷.邻里纠纷") }),
      { _tag: "Accept", caseId: c, actor: communityStaff, at: at(5) },
      {
        _tag: "Dispatch",
        caseId: c,
        actor: communityStaff,
        at: at(10),
        target: { _tag: "Unit", unitId: JINSHA }
      },
      {
        _tag: "Handle",
        caseId: c,
        actor: communityStaff,
        at: at(120),
        result: "调解成功，双方签订调解协议",
        evidence: ["oss://T-1/agreement.pdf"]
      },
      { _tag: "Verify", caseId: c, actor: communityStaff, at: at(180), outcome: "pass" }
    ])
  }

  const streetLoop = () => {
    const c = id("T-2")
    return walk([
      report("T-2", gridWorker, 0, { categoryId: CategoryId.make("道路交通.占道经营") }),
      { _tag: "Accept", caseId: c, actor: communityStaff, at: at(5) },
      {
        _tag: "Escalate",
        caseId: c,
        actor: communityStaff,
        at: at(30),
        toUnitId: QINGYUN,
        reason: "社区无执法权，上报街道"
      },
      {
        _tag: "Dispatch",
        caseId: c,
        actor: streetStaff,
        at: at(40),
        target: { _tag: "Department", departmentId: CHENGGUAN }
      },
      {
        _tag: "Handle",
        caseId: c,
        actor: chengguan,
        at: at(200),
        result: "已劝离",
        evidence: ["oss://T-2.jpg"]
      },
      { _tag: "Verify", caseId: c, actor: streetStaff, at: at(260), outcome: "pass" }
    ])
  }

  const districtLoop = () => {
    const c = id("T-3")
    return walk([
      report("T-3", gridWorker, 0, { categoryId: CategoryId.make("公用设施.井盖缺失"), urgency: "urgent" }),
      {
        _tag: "Escalate",
        caseId: c,
        actor: communityStaff,
        at: at(10),
        toUnitId: QINGYUN,
        reason: "涉及市政设施"
      },
      { _tag: "Accept", caseId: c, actor: streetStaff, at: at(20) },
      {
        _tag: "Dispatch",
        caseId: c,
        actor: streetStaff,
        at: at(30),
        target: { _tag: "Department", departmentId: ZHUJIAN }
      },
      // overdue: the system escalates automatically to the district command centre
      {
        _tag: "Escalate",
        caseId: c,
        actor: system,
        at: at(3 * 24 * 60),
        toUnitId: PANLONG,
        reason: "处置超期"
      },
      {
        _tag: "Dispatch",
        caseId: c,
        actor: districtStaff,
        at: at(3 * 24 * 60 + 30),
        target: { _tag: "Department", departmentId: ZHUJIAN }
      },
      {
        _tag: "Handle",
        caseId: c,
        actor: zhujian,
        at: at(3 * 24 * 60 + 240),
        result: "已补装井盖",
        evidence: ["oss://T-3-a.jpg", "oss://T-3-b.jpg"]
      },
      { _tag: "Verify", caseId: c, actor: districtStaff, at: at(3 * 24 * 60 + 300), outcome: "pass" }
    ])
  }

  it("社区自循环: a dispute (矛盾纠纷, seed 002) is handled by the community itself and closed at the community tier", () => {
    const { state } = communityLoop()
    expect(state.status).toBe("closed")
    expect(state.closedTier).toBe("community")
    expect(state.tierHistory.map((t) => t.tier)).toEqual(["community"])
  })

  it("街道微循环: the community escalates 上报 to the street, which dispatches, verifies and closes at the street tier", () => {
    const { state, states } = streetLoop()
    expect(states[2]?.status).toBe("accepted")
    expect(states[2]?.ownerUnitId).toBe(QINGYUN)
    expect(state.closedTier).toBe("street")
    expect(state.tierHistory.map((t) => [t.tier, t.unitId, t.automatic])).toEqual([
      ["community", JINSHA, false],
      ["street", QINGYUN, false]
    ])
  })

  it("街道微循环: after escalation the community no longer acts for the case (rule role)", () => {
    const { state } = walk([
      report("T-2b", gridWorker, 0),
      {
        _tag: "Escalate",
        caseId: id("T-2b"),
        actor: communityStaff,
        at: at(30),
        toUnitId: QINGYUN,
        reason: "上报街道"
      }
    ])
    const refused = refusal(state, { _tag: "Accept", caseId: id("T-2b"), actor: communityStaff, at: at(40) })
    expect(refused.rule).toBe("role")
    expect(refused.role).toBe("community-staff")
  })

  it("区级小循环: an overdue case escalates automatically (system) to the district, which re-dispatches and closes it", () => {
    const { state, states } = districtLoop()
    const afterAuto = states[4]
    expect(afterAuto?.tier).toBe("district")
    expect(afterAuto?.status).toBe("accepted")
    expect(afterAuto?.dispatchTarget).toBeNull()
    expect(afterAuto?.step).toBe("dispatch")
    expect(state.closedTier).toBe("district")
    expect(state.counts).toMatchObject({ dispatches: 2, escalations: 2 })
    expect(state.tierHistory.map((t) => [t.tier, t.automatic])).toEqual([
      ["community", false],
      ["street", false],
      ["district", true]
    ])
  })

  it("区级小循环: nothing lies above the district — escalation beyond the district is refused", () => {
    const { states } = districtLoop()
    const atDistrict = states[4]
    if (atDistrict === undefined) return assert.fail("missing state")
    const refused = refusal(atDistrict, {
      _tag: "Escalate",
      caseId: id("T-3"),
      actor: system,
      at: at(10 * 24 * 60),
      toUnitId: UnitId.make("530100"),
      reason: "处置超期"
    })
    expect(refused.rule).toBe("escalation-beyond-district")
    expect(refused.message).toContain("district")
  })

  it("a category can require a higher tier: routing starts the case at the street", () => {
    const { state } = walk([
      report("T-4", hotline, 0, { source: "hotline", tier: "street", ownerUnitId: QINGYUN, anonymous: true })
    ])
    expect(state.tier).toBe("street")
    expect(state.ownerUnitId).toBe(QINGYUN)
    expect(state.communityId).toBe(JINSHA)
    expect(state.tierHistory).toHaveLength(1)
  })

  it("琐事不出楼栋、小事不出网格、大事不出社区 (seed 002): the share closed at each tier is measurable", () => {
    const selfHandled = walk([
      {
        ...report("T-5", gridWorker, 0),
        _tag: "SelfHandle",
        result: "已现场清理楼道杂物",
        evidence: ["oss://T-5.jpg"]
      }
    ])
    const closed = [communityLoop(), streetLoop(), districtLoop(), selfHandled].map((w) => w.state.closedTier)
    const share = (tier: string) => closed.filter((t) => t === tier).length / closed.length
    expect([share("community"), share("street"), share("district")]).toEqual([0.5, 0.25, 0.25])
  })
})

describe("任务核查 — rework 返工", () => {
  it("a failed verification sends the case back to the handler, who must handle it again before the next verify", () => {
    const c = id("R-1")
    const { state: reworking } = walk([
      report("R-1", gridWorker, 0),
      { _tag: "Accept", caseId: c, actor: communityStaff, at: at(5) },
      {
        _tag: "Dispatch",
        caseId: c,
        actor: communityStaff,
        at: at(10),
        target: { _tag: "Department", departmentId: CHENGGUAN }
      },
      {
        _tag: "Handle",
        caseId: c,
        actor: chengguan,
        at: at(100),
        result: "已清理",
        evidence: ["oss://r1.jpg"]
      },
      {
        _tag: "Verify",
        caseId: c,
        actor: communityStaff,
        at: at(150),
        outcome: "fail",
        note: "现场仍有残留垃圾"
      }
    ])
    expect(reworking.status).toBe("rework")
    expect(reworking.step).toBe("handling")
    expect(reworking.stepStartedAt).toEqual(at(150))
    expect(reworking.counts.reworks).toBe(1)

    const early = refusal(reworking, {
      _tag: "Verify",
      caseId: c,
      actor: communityStaff,
      at: at(160),
      outcome: "pass"
    })
    expect(early.rule).toBe("status")
    expect(early.message).toContain("cannot verify (任务核查) a case in status rework")

    const { state } = walk(
      [
        {
          _tag: "Handle",
          caseId: c,
          actor: chengguan,
          at: at(200),
          result: "彻底清理",
          evidence: ["oss://r1-2.jpg"]
        },
        { _tag: "Verify", caseId: c, actor: communityStaff, at: at(260), outcome: "pass" }
      ],
      reworking
    )
    expect(state.status).toBe("closed")
    expect(state.counts.reworks).toBe(1)
  })
})

describe("考核评价 — return visits and 重办", () => {
  const closedCase = (caseId: string) => {
    const c = id(caseId)
    return walk([
      report(caseId, hotline, 0, { source: "hotline" }),
      { _tag: "Accept", caseId: c, actor: communityStaff, at: at(5) },
      {
        _tag: "Dispatch",
        caseId: c,
        actor: communityStaff,
        at: at(10),
        target: { _tag: "Department", departmentId: CHENGGUAN }
      },
      {
        _tag: "Handle",
        caseId: c,
        actor: chengguan,
        at: at(100),
        result: "已处理",
        evidence: ["oss://e.jpg"]
      },
      { _tag: "Verify", caseId: c, actor: communityStaff, at: at(150), outcome: "pass" }
    ]).state
  }

  it("a dissatisfied evaluation reopens the case to its handler; it is handled, verified and evaluated again", () => {
    const c = id("E-1")
    const { state, states, events } = walk(
      [
        {
          _tag: "Evaluate",
          caseId: c,
          actor: hotline,
          at: at(1000),
          rating: "dissatisfied",
          note: "噪音仍在"
        },
        {
          _tag: "Reopen",
          caseId: c,
          actor: hotline,
          at: at(1010),
          reason: "群众不满意，重办",
          to: "handling"
        },
        {
          _tag: "Handle",
          caseId: c,
          actor: chengguan,
          at: at(1300),
          result: "加装隔音设施",
          evidence: ["oss://e2.jpg"]
        },
        { _tag: "Verify", caseId: c, actor: communityStaff, at: at(1400), outcome: "pass" },
        { _tag: "Evaluate", caseId: c, actor: communityStaff, at: at(2000), rating: "basically-satisfied" }
      ],
      closedCase("E-1")
    )
    const reopened = states[1]
    expect(reopened?.status).toBe("dispatched")
    expect(reopened?.closedAt).toBeNull()
    expect(reopened?.evaluation).toBeNull()
    expect(reopened?.dispatchTarget).toEqual({ _tag: "Department", departmentId: CHENGGUAN })
    expect(state.counts.reopens).toBe(1)
    expect(state.closedAt).toEqual(at(1400))
    expect(state.evaluation?.rating).toBe("basically-satisfied")
    expect(events.map((e) => e._tag)).toEqual([
      "Evaluated",
      "Reopened",
      "Handled",
      "VerificationPassed",
      "Closed",
      "Evaluated"
    ])
  })

  it("a reopening to dispatch clears the handler so the case is dispatched anew", () => {
    const c = id("E-2")
    const { state } = walk(
      [
        { _tag: "Evaluate", caseId: c, actor: hotline, at: at(1000), rating: "dissatisfied" },
        {
          _tag: "Reopen",
          caseId: c,
          actor: communityStaff,
          at: at(1010),
          reason: "派遣单位不当",
          to: "dispatch"
        }
      ],
      closedCase("E-2")
    )
    expect(state.status).toBe("accepted")
    expect(state.step).toBe("dispatch")
    expect(state.dispatchTarget).toBeNull()
  })

  it("是否解决: a valid return visit records the resident's answer; an unreachable or refused one cannot", () => {
    const c = id("E-4")
    const { state, events } = walk(
      [
        {
          _tag: "Evaluate",
          caseId: c,
          actor: hotline,
          at: at(1000),
          rating: "basically-satisfied",
          resolved: false
        }
      ],
      closedCase("E-4")
    )
    expect(state.status).toBe("evaluated")
    expect(events.map((e) => (e._tag === "Evaluated" ? e.resolved : undefined))).toEqual([false])
    for (const rating of ["unreachable", "refused"] as const) {
      const refused = refusal(closedCase("E-5"), {
        _tag: "Evaluate",
        caseId: id("E-5"),
        actor: hotline,
        at: at(1000),
        rating,
        resolved: true
      })
      expect(refused.rule).toBe("resolved-needs-visit")
    }
  })

  it("重办 on 问题未解决: a resident who says the problem is not resolved reopens the case, whatever the rating (12345 practice)", () => {
    const c = id("E-6")
    const { state } = walk(
      [
        { _tag: "Evaluate", caseId: c, actor: hotline, at: at(1000), rating: "satisfied", resolved: false },
        { _tag: "Reopen", caseId: c, actor: hotline, at: at(1100), reason: "问题未解决", to: "handling" }
      ],
      closedCase("E-6")
    )
    expect(state.status).toBe("dispatched")
    expect(state.counts.reopens).toBe(1)
    // resolved, or not asked: a satisfied visit does not reopen
    for (const resolved of [true, undefined]) {
      const { state: visited } = walk(
        [
          {
            _tag: "Evaluate",
            caseId: id("E-7"),
            actor: hotline,
            at: at(1000),
            rating: "satisfied",
            ...(resolved === undefined ? {} : { resolved })
          }
        ],
        closedCase("E-7")
      )
      const refused = refusal(visited, {
        _tag: "Reopen",
        caseId: id("E-7"),
        actor: hotline,
        at: at(1100),
        reason: "x",
        to: "handling"
      })
      expect(refused.rule).toBe("reopen-requires-dissatisfied")
    }
  })

  it("来源 follows the reporter's role: a resident files through the app or Open311, never as 12345 or 信访", () => {
    const resident = actor("居民-01", "resident", JINSHA)
    for (const source of Case.Source.literals) {
      const decided = Case.decide(report("S-1", resident, 0, { source }), Case.initial)
      expect([source, Either.isRight(decided)]).toEqual([
        source,
        Case.reportSources.resident.includes(source)
      ])
      if (Either.isLeft(decided)) expect(decided.left.rule).toBe("source")
    }
    expect(Case.reportSources.resident).toEqual(["resident-app", "open311"])
    expect(Case.defaultSourceOf("hotline")).toBe("hotline")
    expect(Case.defaultSourceOf("system")).toBeUndefined()
  })

  it("an unreachable return visit (无法联系) may be repeated; a satisfied one is final and never reopens", () => {
    const c = id("E-3")
    const { state } = walk(
      [
        { _tag: "Evaluate", caseId: c, actor: hotline, at: at(1000), rating: "unreachable" },
        { _tag: "Evaluate", caseId: c, actor: hotline, at: at(2000), rating: "satisfied" }
      ],
      closedCase("E-3")
    )
    expect(state.evaluation?.rating).toBe("satisfied")
    expect(state.step).toBeNull()
    const again = refusal(state, {
      _tag: "Evaluate",
      caseId: c,
      actor: hotline,
      at: at(3000),
      rating: "dissatisfied"
    })
    expect(again.rule).toBe("evaluation-final")
    const reopen = refusal(state, {
      _tag: "Reopen",
      caseId: c,
      actor: hotline,
      at: at(3000),
      reason: "x",
      to: "handling"
    })
    expect(reopen.rule).toBe("reopen-requires-dissatisfied")
  })
})

describe("挂账 / 延期 — side branches with approval", () => {
  const dispatched = (caseId: string) => {
    const c = id(caseId)
    return walk([
      report(caseId, gridWorker, 0, { categoryId: CategoryId.make("房屋土地.外墙脱落") }),
      { _tag: "Accept", caseId: c, actor: communityStaff, at: at(5) },
      {
        _tag: "Dispatch",
        caseId: c,
        actor: communityStaff,
        at: at(10),
        target: { _tag: "Department", departmentId: ZHUJIAN }
      }
    ]).state
  }

  it("挂账: the handler requests, the owning tier approves, the clock stops until resumed; the interval is recorded", () => {
    const c = id("S-1")
    const { state, states } = walk(
      [
        {
          _tag: "RequestSuspension",
          caseId: c,
          actor: zhujian,
          at: at(60),
          reason: "需产权单位出具维修方案"
        },
        { _tag: "ApproveSuspension", caseId: c, actor: communityStaff, at: at(90), note: "同意挂账" },
        { _tag: "Resume", caseId: c, actor: zhujian, at: at(5 * 24 * 60), note: "方案已出具" },
        {
          _tag: "Handle",
          caseId: c,
          actor: zhujian,
          at: at(6 * 24 * 60),
          result: "已加固",
          evidence: ["oss://s1.jpg"]
        }
      ],
      dispatched("S-1")
    )
    expect(states[0]?.pendingSuspension?.reason).toBe("需产权单位出具维修方案")
    const suspended = states[1]
    expect(suspended?.status).toBe("suspended")
    expect(suspended?.step).toBe("handling")
    expect(suspended?.suspensions).toEqual([
      { step: "handling", from: at(90), to: null, reason: "需产权单位出具维修方案" }
    ])
    if (suspended === undefined) return assert.fail("missing state")
    const whileSuspended = refusal(suspended, {
      _tag: "Handle",
      caseId: c,
      actor: zhujian,
      at: at(100),
      result: "x",
      evidence: ["y"]
    })
    expect(whileSuspended.rule).toBe("status")
    expect(states[2]?.status).toBe("dispatched")
    expect(state.suspensions).toEqual([
      { step: "handling", from: at(90), to: at(5 * 24 * 60), reason: "需产权单位出具维修方案" }
    ])
    expect(Case.suspensionsOf(state, "handling")).toHaveLength(1)
    expect(state.status).toBe("handled")
  })

  it("挂账: a denied request leaves the clock running and records no interval", () => {
    const c = id("S-2")
    const { state } = walk(
      [
        { _tag: "RequestSuspension", caseId: c, actor: zhujian, at: at(60), reason: "人手不足" },
        { _tag: "DenySuspension", caseId: c, actor: communityStaff, at: at(70), reason: "不属于挂账情形" }
      ],
      dispatched("S-2")
    )
    expect(state.status).toBe("dispatched")
    expect(state.pendingSuspension).toBeNull()
    expect(state.suspensions).toEqual([])
  })

  it("延期: an approved extension is recorded with its step and the approved (not the requested) amount", () => {
    const c = id("X-1")
    const { state } = walk(
      [
        {
          _tag: "RequestExtension",
          caseId: c,
          actor: zhujian,
          at: at(60),
          amount: { amount: 3, unit: "working-days" },
          reason: "需协调施工队"
        },
        {
          _tag: "ApproveExtension",
          caseId: c,
          actor: communityStaff,
          at: at(80),
          amount: { amount: 2, unit: "working-days" }
        }
      ],
      dispatched("X-1")
    )
    expect(state.extensions).toEqual([
      { step: "handling", amount: { amount: 2, unit: "working-days" }, approvedAt: at(80) }
    ])
    expect(Case.extensionsOf(state, "handling")).toEqual([{ amount: 2, unit: "working-days" }])
    expect(Case.extensionsOf(state, "verification")).toEqual([])
    expect(state.pendingExtension).toBeNull()
  })
})

describe("合并 — merging a duplicate", () => {
  it("a second report of the same manhole is merged into the first and ends as merged", () => {
    const { state: first } = walk([report("M-1", gridWorker, 0)])
    const { state: duplicate } = walk([
      report("M-2", actor("居民-张", "resident", JINSHA), 5, { source: "resident-app" })
    ])
    const { state } = walk(
      [
        {
          _tag: "Merge",
          caseId: id("M-2"),
          actor: communityStaff,
          at: at(20),
          targetId: first.id,
          note: "同一井盖"
        }
      ],
      duplicate
    )
    expect(state.status).toBe("merged")
    expect(state.mergedInto).toBe(first.id)
    expect(state.step).toBeNull()
    expect(Case.isEnd(state.status)).toBe(true)
    const after = refusal(state, { _tag: "Accept", caseId: id("M-2"), actor: communityStaff, at: at(30) })
    expect(after.rule).toBe("status")
  })
})

describe("自处理 — seed 002 琐事不出楼栋", () => {
  it("a grid worker reports and resolves a stairwell clutter case in one step, closed at the community", () => {
    const { state, events } = walk([
      {
        ...report("Z-1", gridWorker, 0, { description: "塔利公租房 2 栋楼道堆放杂物" }),
        _tag: "SelfHandle",
        result: "已劝导住户自行清理",
        evidence: ["oss://Z-1-before.jpg", "oss://Z-1-after.jpg"]
      }
    ])
    expect(events.map((e) => [e._tag, e.sequence])).toEqual([
      ["Reported", 1],
      ["SelfHandled", 2],
      ["Closed", 3]
    ])
    expect(state.status).toBe("closed")
    expect(state.closedVia).toBe("self-handle")
    expect(state.closedTier).toBe("community")
    expect(state.acceptedAt).toEqual(at(0))
    expect(state.counts.dispatches).toBe(0)
    const { state: evaluated } = walk(
      [{ _tag: "Evaluate", caseId: id("Z-1"), actor: communityStaff, at: at(60), rating: "satisfied" }],
      state
    )
    expect(evaluated.status).toBe("evaluated")
  })

  it("only the community tier may self-handle", () => {
    const refused = refusal(Case.initial, {
      ...report("Z-2", gridWorker, 0, { tier: "street", ownerUnitId: QINGYUN }),
      _tag: "SelfHandle",
      result: "已处理",
      evidence: ["oss://z2.jpg"]
    })
    expect(refused.rule).toBe("self-handle-community-only")
    expect(refused.message).toContain("only the community tier may self-handle")
  })

  it("信访代办 (seed 002): a petition handled on a resident's behalf goes through the loop like any case", () => {
    const c = id("P-1")
    const { state } = walk([
      report("P-1", communityStaff, 0, { source: "petition", categoryId: CategoryId.make("信访.住房保障") }),
      { _tag: "Accept", caseId: c, actor: communityStaff, at: at(5) },
      {
        _tag: "Dispatch",
        caseId: c,
        actor: communityStaff,
        at: at(10),
        target: { _tag: "Unit", unitId: JINSHA }
      },
      {
        _tag: "Handle",
        caseId: c,
        actor: communityStaff,
        at: at(600),
        result: "已代办公租房申请",
        evidence: ["oss://P-1-receipt.pdf"]
      },
      { _tag: "Verify", caseId: c, actor: communityStaff, at: at(700), outcome: "pass" }
    ])
    expect(state.source).toBe("petition")
    expect(state.closedTier).toBe("community")
  })
})
