/**
 * 考核指标 — example tests: seed 000's 受理办结率 (已接案件1415件,办理1411件,
 * 受理办结率达99.7%) rebuilt from case events, seed 002's "琐事不出楼栋、小事不出
 * 网格、大事不出社区" as shares of a three-tier example, on-time judgements on
 * the 2025 China calendar (suspension, extension, the boundary minute), the
 * `unjudged` list for a year with no schedule, the hotline 三率 through
 * `Survey`, rework above 100 %, and "no data".
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { type Actor, ActorId, DepartmentId } from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId, type Urgency } from "../src/CaseCategory.js"
import type { CaseCommand } from "../src/CaseCommand.js"
import type { CaseEvent } from "../src/CaseEvent.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Indicator from "../src/Indicator.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Period from "../src/Period.js"
import * as Ratio from "../src/Ratio.js"
import * as Score from "../src/Score.js"
import * as Survey from "../src/Survey.js"
import type { Tier } from "../src/Tier.js"
import * as TimeLimit from "../src/TimeLimit.js"
import * as Unit from "../src/Unit.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

// -----------------------------------------------------------------------------
// the world: 盘龙区 → 青云街道 (金沙社区, 银河社区), 金马街道 (芙蓉社区)
// -----------------------------------------------------------------------------

const D = "d-panlong"
const S1 = "s-qingyun"
const S2 = "s-jinma"
const C1 = "c-jinsha"
const C2 = "c-yinhe"
const C3 = "c-furong"
const P1 = "p-jinsha-1" // a compound of 金沙社区
const B1 = "b-jinsha-1-1"

const hierarchy = Either.getOrThrow(
  Hierarchy.make(LevelScheme.FiveLevel, [
    Unit.make({ id: D, parentId: null, level: "district", name: "盘龙区" }),
    Unit.make({ id: S1, parentId: D, level: "street", name: "青云街道" }),
    Unit.make({ id: S2, parentId: D, level: "street", name: "金马街道" }),
    Unit.make({ id: C1, parentId: S1, level: "community", name: "金沙社区" }),
    Unit.make({ id: C2, parentId: S1, level: "community", name: "银河社区" }),
    Unit.make({ id: C3, parentId: S2, level: "community", name: "芙蓉社区" }),
    Unit.make({ id: P1, parentId: C1, level: "compound", name: "金沙一期" }),
    Unit.make({ id: B1, parentId: P1, level: "building", name: "1栋" })
  ])
)
const streetOf: Readonly<Record<string, string>> = { [C1]: S1, [C2]: S1, [C3]: S2 }

const CHENGGUAN = DepartmentId.make("dept-chengguan")
const u = (id: string) => Unit.UnitId.make(id)
const hotline: Actor = { id: ActorId.make("12345-07"), role: "hotline", unitId: u(D) }

/** An instant given as Beijing local time, `YYYY-MM-DD HH:MM`. */
const bj = (text: string): number => {
  const [date = "", time = "00:00"] = text.split(" ")
  const [y = 0, m = 1, d = 1] = date.split("-").map(Number)
  const [hh = 0, mm = 0] = time.split(":").map(Number)
  return Date.UTC(y, m - 1, d, hh - 8, mm)
}
const utc = (ms: number): DateTime.Utc => DateTime.unsafeMake(ms)

const staffRole: Readonly<Record<Tier, Actor["role"]>> = {
  community: "community-staff",
  street: "street-staff",
  district: "district-staff"
}

/** A case history written step by step; each command must be accepted by `Case.decide`. */
class Story {
  state: Case.State = Case.initial
  readonly events: Array<CaseEvent> = []
  private now = 0

  constructor(
    readonly id: string,
    readonly community: string,
    readonly fields: { readonly source?: Case.Source; readonly urgency?: Urgency } = {}
  ) {}

  private get current(): Case.Case {
    if (this.state._tag === "NoCase") return assert.fail(`case ${this.id} is not reported yet`)
    return this.state
  }

  private staff(): Actor {
    const c = this.current
    return { id: ActorId.make(`staff-${c.ownerUnitId}`), role: staffRole[c.tier], unitId: c.ownerUnitId }
  }

  private handler(): Actor {
    const target = this.current.dispatchTarget
    if (target === null) return assert.fail(`case ${this.id} has no handler`)
    return target._tag === "Department"
      ? { id: ActorId.make("dept-1"), role: "department", unitId: u(D), departmentId: target.departmentId }
      : { id: ActorId.make(`unit-${target.unitId}`), role: "community-staff", unitId: target.unitId }
  }

  private run(when: string, make: (meta: { caseId: Case.CaseId; at: DateTime.Utc }) => CaseCommand): this {
    this.now = bj(when)
    const command = make({ caseId: Case.CaseId.make(this.id), at: utc(this.now) })
    const result = Case.execute(this.state, command)
    if (Either.isLeft(result)) return assert.fail(result.left.message)
    this.state = result.right.state
    this.events.push(...result.right.events)
    return this
  }

  private reportFields(when: string) {
    return {
      caseId: Case.CaseId.make(this.id),
      at: utc(bj(when)),
      source: this.fields.source ?? "patrol",
      categoryId: CategoryId.make("市容环境.暴露垃圾"),
      urgency: this.fields.urgency ?? "normal",
      description: "楼道堆放杂物",
      location: { unitId: u(this.community) },
      communityId: u(this.community),
      tier: "community" as const,
      anonymous: false
    }
  }

  report(when: string): this {
    // the hotline files its own cases (12345); a grid worker what it finds on patrol
    const reporter: Actor =
      this.fields.source === "hotline"
        ? hotline
        : { id: ActorId.make("gw"), role: "grid-worker", unitId: u(this.community) }
    return this.run(when, () => ({ _tag: "Report", actor: reporter, ...this.reportFields(when) }))
  }
  selfHandle(when: string): this {
    const gridWorker: Actor = { id: ActorId.make("gw"), role: "grid-worker", unitId: u(this.community) }
    return this.run(when, () => ({
      _tag: "SelfHandle",
      actor: gridWorker,
      ...this.reportFields(when),
      result: "已当场清理",
      evidence: ["photo://after.jpg"]
    }))
  }
  accept(when: string): this {
    return this.run(when, (m) => ({ _tag: "Accept", ...m, actor: this.staff() }))
  }
  dispatch(when: string, to: "department" | string = "department"): this {
    return this.run(when, (m) => ({
      _tag: "Dispatch",
      ...m,
      actor: this.staff(),
      target:
        to === "department"
          ? { _tag: "Department", departmentId: CHENGGUAN }
          : { _tag: "Unit", unitId: u(to) }
    }))
  }
  handle(when: string): this {
    return this.run(when, (m) => ({
      _tag: "Handle",
      ...m,
      actor: this.handler(),
      result: "已处置",
      evidence: ["photo://done.jpg"]
    }))
  }
  pass(when: string): this {
    return this.run(when, (m) => ({ _tag: "Verify", ...m, actor: this.staff(), outcome: "pass" }))
  }
  fail(when: string): this {
    return this.run(when, (m) => ({
      _tag: "Verify",
      ...m,
      actor: this.staff(),
      outcome: "fail",
      note: "仍有杂物"
    }))
  }
  evaluate(when: string, rating: Case.Rating, resolved?: boolean): this {
    return this.run(when, (m) => ({
      _tag: "Evaluate",
      ...m,
      actor: hotline,
      rating,
      ...(resolved === undefined ? {} : { resolved })
    }))
  }
  reopen(when: string): this {
    return this.run(when, (m) => ({
      _tag: "Reopen",
      ...m,
      actor: hotline,
      reason: "群众不满意",
      to: "handling"
    }))
  }
  giveBack(when: string): this {
    return this.run(when, (m) => ({ _tag: "Return", ...m, actor: this.handler(), reason: "非本部门职责" }))
  }
  voided(when: string): this {
    return this.run(when, (m) => ({
      _tag: "Void",
      ...m,
      actor: this.staff(),
      reason: "duplicate",
      note: "重复上报"
    }))
  }
  merged(when: string, into: string): this {
    return this.run(when, (m) => ({
      _tag: "Merge",
      ...m,
      actor: this.staff(),
      targetId: Case.CaseId.make(into)
    }))
  }
  escalate(when: string): this {
    const c = this.current
    const toUnitId = u(c.tier === "community" ? (streetOf[this.community] ?? D) : D)
    return this.run(when, (m) => ({
      _tag: "Escalate",
      ...m,
      actor: this.staff(),
      toUnitId,
      reason: "需上级协调"
    }))
  }
  suspend(when: string, approved: string): this {
    this.run(when, (m) => ({
      _tag: "RequestSuspension",
      ...m,
      actor: this.handler(),
      reason: "等待产权单位确认"
    }))
    return this.run(approved, (m) => ({ _tag: "ApproveSuspension", ...m, actor: this.staff() }))
  }
  resume(when: string): this {
    return this.run(when, (m) => ({ _tag: "Resume", ...m, actor: this.staff() }))
  }
  extend(when: string, approved: string, days: number): this {
    this.run(when, (m) => ({
      _tag: "RequestExtension",
      ...m,
      actor: this.handler(),
      amount: { amount: days, unit: "working-days" },
      reason: "需协调施工单位"
    }))
    return this.run(approved, (m) => ({ _tag: "ApproveExtension", ...m, actor: this.staff() }))
  }
}

/** report → accept (10 min) → dispatch (20 min) at `when` (a working morning). */
const opened = (id: string, community: string, day: string, fields = {}): Story =>
  new Story(id, community, fields).report(`${day} 09:00`).accept(`${day} 09:10`).dispatch(`${day} 09:20`)

const calendar = WorkingCalendar.china()
const context = {
  hierarchy,
  timeLimits: TimeLimit.defaultPolicy,
  calendar,
  granularity: "month" as const
}

const computeOk = (
  stories: ReadonlyArray<Story>,
  extra: Partial<Pick<Indicator.Context, "asOf" | "options" | "granularity" | "calendar">> = {}
): Indicator.Report => {
  const result = Indicator.compute({ ...context, ...extra, events: stories.flatMap((s) => s.events) })
  if (Either.isLeft(result)) return assert.fail(result.left.message)
  return result.right
}

const month = (label: string): Period.Period => Either.getOrThrow(Period.parse(label))

const indicatorsOf = (report: Indicator.Report, unitId: string, label: string): Indicator.Indicators =>
  Option.getOrElse(report.get(unitId, month(label)), () => assert.fail(`no unit ${unitId}`))

const counts = (r: Ratio.Ratio): readonly [number, number] => [r.numerator, r.denominator]

// -----------------------------------------------------------------------------

describe("受理办结率 — seed 000: 已接案件1415件,办理1411件,受理办结率达99.7%", () => {
  it("1415 cases accepted in 2021, 1411 of them closed: 1411 / 1415 = 99.7%", () => {
    const stories: Array<Story> = []
    const workdays = ["2021-03-01", "2021-03-02", "2021-03-03", "2021-03-04", "2021-03-05"]
    for (let i = 0; i < 1415; i++) {
      const day = workdays[i % workdays.length] ?? "2021-03-01"
      const s = new Story(`SQ-2021-${String(i).padStart(4, "0")}`, C1)
        .report(`${day} 08:40`)
        .accept(`${day} 08:50`)
        .dispatch(`${day} 09:00`)
      if (i >= 4) s.handle(`${day} 15:00`).pass(`${day} 16:00`)
      stories.push(s)
    }
    const report = computeOk(stories, { granularity: "quarter" })
    const q1 = Option.getOrThrow(report.get(C1, Either.getOrThrow(Period.parse("2021-Q1"))))
    expect(counts(q1["acceptance-closure"])).toEqual([1411, 1415])
    expect(Ratio.format(q1["acceptance-closure"])).toBe("99.7%")
    // the street and the district hold the same counts: the community is all they have
    expect(
      counts(Option.getOrThrow(report.get(D, report.periods[0] ?? month("2021-01")))["acceptance-closure"])
    ).toEqual([1411, 1415])
  })

  it("a voided or merged case leaves the denominator; a reopened case is not 办结 until it closes again", () => {
    const closed = opened("A", C1, "2025-03-03").handle("2025-03-03 15:00").pass("2025-03-03 16:00")
    const reopened = opened("B", C1, "2025-03-03")
      .handle("2025-03-03 15:00")
      .pass("2025-03-03 16:00")
      .evaluate("2025-03-04 10:00", "dissatisfied")
      .reopen("2025-03-04 10:30")
    const open = new Story("C", C1).report("2025-03-03 09:00").accept("2025-03-03 09:10")
    const v = new Story("D", C1).report("2025-03-03 09:00").accept("2025-03-03 09:10")
    const voidCommand = (s: Story) =>
      Case.execute(s.state, {
        _tag: "Void",
        caseId: Case.CaseId.make(s.id),
        actor: { id: ActorId.make("cs"), role: "community-staff", unitId: u(C1) },
        at: utc(bj("2025-03-03 09:30")),
        reason: "duplicate",
        note: "重复上报"
      })
    const result = voidCommand(v)
    if (Either.isLeft(result)) return assert.fail(result.left.message)
    const report = Either.getOrThrow(
      Indicator.compute({
        ...context,
        events: [...closed.events, ...reopened.events, ...open.events, ...v.events, ...result.right.events]
      })
    )
    const march = indicatorsOf(report, C1, "2025-03")
    // A closed, B reopened (not 办结), C accepted and open; D voided → out
    expect(counts(march["acceptance-closure"])).toEqual([1, 3])
    // 准确立案率: D was filed and voided
    expect(counts(march["filing-accuracy"])).toEqual([3, 4])
  })
})

describe("按期 — on time on the working calendar (立案 1 工作时, 派遣 1 工作时, 处置 3 工作日, 核查 1 工作日)", () => {
  const dispatchedAt = bj("2025-03-03 09:20") // Monday
  const deadline = Either.getOrThrow(
    TimeLimit.deadline(TimeLimit.defaultPolicy, calendar, {
      categoryId: CategoryId.make("市容环境.暴露垃圾"),
      urgency: "normal",
      step: "handling",
      startedAt: utc(dispatchedAt)
    })
  ).deadline.epochMillis

  it("the handling deadline is 3 working days (22.5 working hours) after the dispatch: Thursday 09:20", () => {
    expect(deadline).toBe(bj("2025-03-06 09:20"))
  })

  it("按期处置率: handled at the deadline is on time, one minute later is late (but still 处置 in the period)", () => {
    const onTime = opened("T", C1, "2025-03-03").handle("2025-03-06 09:20").pass("2025-03-06 10:00")
    const late = opened("L", C1, "2025-03-03").handle("2025-03-06 09:21").pass("2025-03-06 10:00")
    const march = indicatorsOf(computeOk([onTime, late]), C1, "2025-03")
    expect(counts(march["on-time-handling"])).toEqual([1, 2])
    expect(counts(march.handling)).toEqual([2, 2])
    expect(counts(march["on-time-closure"])).toEqual([1, 2])
    expect(counts(march.closure)).toEqual([2, 2])
    expect(counts(march["on-time-filing"])).toEqual([2, 2])
    expect(counts(march["dispatch-accuracy"])).toEqual([2, 2])
  })

  it("挂账 stops the clock: two working days suspended push the deadline to the next Monday", () => {
    // suspended Monday 13:30 → resumed Wednesday 12:00: 4 + 7.5 + 3.5 = 15 working hours
    const s = opened("S", C1, "2025-03-03")
      .suspend("2025-03-03 13:00", "2025-03-03 13:30")
      .resume("2025-03-05 12:00")
      .handle("2025-03-07 16:00")
      .pass("2025-03-07 17:00")
    const march = indicatorsOf(computeOk([s]), C1, "2025-03")
    expect(counts(march["on-time-handling"])).toEqual([1, 1])
    // without the suspension the same handling is late
    const t = opened("T", C1, "2025-03-03").handle("2025-03-07 16:00").pass("2025-03-07 17:00")
    expect(counts(indicatorsOf(computeOk([t]), C1, "2025-03")["on-time-handling"])).toEqual([0, 1])
  })

  it("延期 adds to the limit when approved before the deadline; a late approval does not rescue an overdue run", () => {
    const inTime = opened("E1", C1, "2025-03-03")
      .extend("2025-03-05 10:00", "2025-03-05 15:00", 2)
      .handle("2025-03-07 16:00")
    const tooLate = opened("E2", C1, "2025-03-03")
      .extend("2025-03-06 10:00", "2025-03-06 11:00", 2)
      .handle("2025-03-07 16:00")
    const march = indicatorsOf(computeOk([inTime, tooLate]), C1, "2025-03")
    expect(counts(march["on-time-handling"])).toEqual([1, 2])
  })

  it("a run still open past its deadline at asOf is late (应处置, not 处置); one before its deadline is pending", () => {
    const overdue = opened("O", C1, "2025-03-03")
    const fresh = opened("F", C1, "2025-03-07")
    const report = computeOk([overdue, fresh], { asOf: utc(bj("2025-03-07 12:00")) })
    const march = indicatorsOf(report, C1, "2025-03")
    expect(counts(march.handling)).toEqual([0, 1])
    expect(counts(march["on-time-handling"])).toEqual([0, 1])
    // 结案: O is due (its handling deadline passed) and not closed; F is pending
    expect(counts(march.closure)).toEqual([0, 1])
  })

  it("an overdue case settles in the month of the deadline it missed; its late closure next month does not count there", () => {
    const s = opened("X", C1, "2025-03-24").handle("2025-04-02 10:00").pass("2025-04-02 11:00")
    const report = computeOk([s])
    const march = indicatorsOf(report, C1, "2025-03")
    const april = indicatorsOf(report, C1, "2025-04")
    expect(counts(march["on-time-closure"])).toEqual([0, 1])
    expect(counts(march.closure)).toEqual([0, 1]) // not closed by the end of March
    expect(Ratio.isNoData(april.closure)).toBe(true)
    // the share closed at each tier counts the closure itself, in April
    expect(counts(april["closed-at-community"])).toEqual([1, 1])
  })

  it("a year with no loaded schedule is reported in unjudged, never counted on time", () => {
    const only2025 = Either.getOrThrow(
      WorkingCalendar.make({ years: WorkingCalendar.officialSchedules().filter((y) => y.year === 2025) })
    )
    const s = new Story("Y", C1)
      .report("2025-12-31 16:00")
      .accept("2025-12-31 16:10")
      .dispatch("2025-12-31 16:20")
      .handle("2026-01-05 10:00")
    const report = computeOk([s], { calendar: only2025 })
    expect(report.unjudged.map((x) => [x.caseId, x.step, x.reason._tag, x.indicators])).toEqual([
      [
        "Y",
        "handling",
        "YearNotLoaded",
        ["closure", "on-time-closure", "handling", "on-time-handling", "rework"]
      ]
    ])
    const reason = report.unjudged[0]?.reason
    expect(reason?._tag === "YearNotLoaded" ? reason.year : undefined).toBe(2026)
    const dec = indicatorsOf(report, C1, "2025-12")
    expect(Ratio.isNoData(dec["on-time-handling"])).toBe(true)
    expect(Ratio.isNoData(indicatorsOf(report, C1, "2026-01")["on-time-handling"])).toBe(true)
    // the indicators that need no deadline still count it
    expect(counts(dec["acceptance-closure"])).toEqual([0, 1])
    expect(counts(dec["on-time-filing"])).toEqual([1, 1])
  })

  it("even a case self-handled on the spot is not judged on time in a year with no schedule", () => {
    const only2025 = Either.getOrThrow(
      WorkingCalendar.make({ years: WorkingCalendar.officialSchedules().filter((y) => y.year === 2025) })
    )
    const report = computeOk([new Story("Z", C1).selfHandle("2026-01-05 10:00")], { calendar: only2025 })
    expect(report.unjudged.map((x) => [x.caseId, x.step, x.indicators])).toEqual([
      ["Z", "filing", ["closure", "on-time-closure"]]
    ])
    const jan = indicatorsOf(report, C1, "2026-01")
    expect(Ratio.isNoData(jan["on-time-closure"])).toBe(true)
    expect(counts(jan["self-handled"])).toEqual([1, 1])
  })
})

describe("三级闭环 — seed 002: 琐事不出楼栋、小事不出网格、大事不出社区 as shares", () => {
  const day = "2025-03-04"
  const stories = [
    // 3 self-handled by the grid worker in 金沙社区 (琐事不出楼栋)
    ...["S-1", "S-2", "S-3"].map((id) => new Story(id, C1).selfHandle(`${day} 10:00`)),
    // 2 in 金沙社区 handled by its own compound (小事不出网格)
    ...["L-1", "L-2"].map((id) =>
      new Story(id, C1)
        .report(`${day} 09:00`)
        .accept(`${day} 09:10`)
        .dispatch(`${day} 09:20`, P1)
        .handle(`${day} 15:00`)
        .pass(`${day} 16:00`)
    ),
    // 2 in 银河社区 closed at the community tier by a department (大事不出社区)
    ...["M-1", "M-2"].map((id) => opened(id, C2, day).handle(`${day} 15:00`).pass(`${day} 16:00`)),
    // 2 in 银河社区 escalated to 青云街道 and closed there (街道微循环)
    ...["T-1", "T-2"].map((id) =>
      new Story(id, C2)
        .report(`${day} 09:00`)
        .accept(`${day} 09:10`)
        .escalate(`${day} 09:15`)
        .dispatch(`${day} 09:30`)
        .handle(`${day} 15:00`)
        .pass(`${day} 16:00`)
    ),
    // 1 in 芙蓉社区 escalated to 金马街道, then to the district (区级小循环)
    new Story("D-1", C3)
      .report(`${day} 09:00`)
      .accept(`${day} 09:10`)
      .escalate(`${day} 09:15`)
      .escalate(`${day} 09:20`)
      .dispatch(`${day} 09:30`)
      .handle(`${day} 15:00`)
      .pass(`${day} 16:00`)
  ]
  const report = computeOk(stories)
  const shares = (unitId: string) => {
    const m = indicatorsOf(report, unitId, "2025-03")
    return {
      self: counts(m["self-handled"]),
      local: counts(m["closed-locally"]),
      community: counts(m["closed-at-community"]),
      street: counts(m["closed-at-street"]),
      district: counts(m["closed-at-district"])
    }
  }

  it("the district: 3/10 self-handled, 5/10 locally, 7/10 at the community tier, 2/10 street, 1/10 district", () => {
    expect(shares(D)).toEqual({
      self: [3, 10],
      local: [5, 10],
      community: [7, 10],
      street: [2, 10],
      district: [1, 10]
    })
  })

  it("each community and street holds its own subtree's counts", () => {
    expect(shares(C1)).toEqual({
      self: [3, 5],
      local: [5, 5],
      community: [5, 5],
      street: [0, 5],
      district: [0, 5]
    })
    expect(shares(C2)).toEqual({
      self: [0, 4],
      local: [0, 4],
      community: [2, 4],
      street: [2, 4],
      district: [0, 4]
    })
    expect(shares(S1)).toEqual({
      self: [3, 9],
      local: [5, 9],
      community: [7, 9],
      street: [2, 9],
      district: [0, 9]
    })
    expect(shares(S2)).toEqual({
      self: [0, 1],
      local: [0, 1],
      community: [0, 1],
      street: [0, 1],
      district: [1, 1]
    })
  })

  it("rollups add counts, never average rates: 大事不出社区 is 70% for the district, not the 38.9% mean of its streets", () => {
    const district = indicatorsOf(report, D, "2025-03")["closed-at-community"]
    const streets = [S1, S2].map((s) =>
      Option.getOrThrow(Ratio.rate(indicatorsOf(report, s, "2025-03")["closed-at-community"]))
    )
    const mean = streets.reduce((a, b) => a + b, 0) / streets.length
    expect(Ratio.format(district)).toBe("70.0%")
    expect(mean).toBeCloseTo(7 / 18, 10)
    expect(Option.getOrThrow(Ratio.rate(district))).not.toBeCloseTo(mean, 3)
    // and the report agrees with Hierarchy.rollup of the units' own indicators with the Ratio monoid
    const totals = Indicator.totals(report, month("2025-03"))
    expect(Option.getOrThrow(totals.get(D))).toEqual(indicatorsOf(report, D, "2025-03"))
  })

  it("the three slogans nest: self-handled ⊆ closed locally ⊆ closed at the community tier", () => {
    const m = indicatorsOf(report, D, "2025-03")
    expect(m["self-handled"].numerator).toBeLessThanOrEqual(m["closed-locally"].numerator)
    expect(m["closed-locally"].numerator).toBeLessThanOrEqual(m["closed-at-community"].numerator)
  })

  it("self-handled cases have no filing step: 按时立案率 counts only the reported ones", () => {
    expect(counts(indicatorsOf(report, C1, "2025-03")["on-time-filing"])).toEqual([2, 2])
  })
})

describe("hotline 三率 and 重办率 (Survey's functions, k configurable)", () => {
  const ratings: ReadonlyArray<Case.Rating> = [
    "satisfied",
    "satisfied",
    "basically-satisfied",
    "dissatisfied",
    "unreachable",
    "refused"
  ]
  const stories = ratings.map((rating, i) => {
    const s = opened(`H-${i}`, C1, "2025-03-03", { source: "hotline" })
      .handle("2025-03-03 15:00")
      .pass("2025-03-03 16:00")
      .evaluate("2025-03-04 10:00", rating)
    return rating === "dissatisfied" ? s.reopen("2025-03-04 11:00") : s
  })
  const patrol = opened("P-0", C1, "2025-03-03").handle("2025-03-03 15:00").pass("2025-03-03 16:00")

  it("满意率 = (满意 + 0.9·基本满意) / (满意 + 基本满意 + 不满意); unreachable and refused stay out", () => {
    const report = computeOk([...stories, patrol], {
      options: { basicWeight: 0.9, hotlineSources: ["hotline"] }
    })
    const m = indicatorsOf(report, C1, "2025-03")
    expect(counts(m.satisfaction)).toEqual([2.9, 4])
    expect(m.satisfaction).toEqual(
      Survey.satisfactionRate({ satisfied: 2, basicallySatisfied: 1, dissatisfied: 1 }, { basicWeight: 0.9 })
    )
    expect(counts(m.resolution)).toEqual([3, 4])
    expect(counts(m.reopen)).toEqual([1, 4])
    // 响应率 counts the 6 hotline cases, not the patrol case
    expect(counts(m.response)).toEqual([6, 6])
    expect(counts(m["on-time-filing"])).toEqual([7, 7])
  })

  it("解决率 takes the resident's own answer when the visit recorded one, and infers it from a reopen otherwise", () => {
    const visit = (id: string, rating: Case.Rating, resolved?: boolean) =>
      opened(id, C1, "2025-03-03", { source: "hotline" })
        .handle("2025-03-03 15:00")
        .pass("2025-03-03 16:00")
        .evaluate("2025-03-04 10:00", rating, resolved)
    const answered = [
      visit("A-0", "satisfied", true),
      visit("A-1", "basically-satisfied", false), // not solved though basically satisfied, never reopened
      visit("A-2", "satisfied", false),
      visit("A-3", "dissatisfied", true).reopen("2025-03-04 11:00"), // said solved: the answer wins over the reopen
      visit("A-4", "satisfied"), // no answer, no reopen: solved
      visit("A-5", "dissatisfied").reopen("2025-03-04 11:00") // no answer, reopened: unsolved
    ]
    const m = indicatorsOf(computeOk(answered), C1, "2025-03")
    // solved: of 6 valid visits (inferring from reopens alone would give 4)
    expect(counts(m.resolution)).toEqual([3, 6])
    expect(counts(m.reopen)).toEqual([2, 6])
  })

  it("by default every source feeds the 三率 and k = 1", () => {
    const m = indicatorsOf(computeOk([...stories, patrol]), C1, "2025-03")
    expect(counts(m.satisfaction)).toEqual([3, 4])
    expect(counts(m.response)).toEqual([7, 7])
  })

  it("the indicators feed Score's shipped profiles as they are", () => {
    const m = indicatorsOf(computeOk([...stories, patrol]), C1, "2025-03")
    const score = Score.score(Score.threeRates_10_50_40, m)
    expect(score.complete).toBe(true)
    expect(Option.getOrThrow(score.score)).toBeCloseTo(10 * 1 + 50 * 0.75 + 40 * 0.75, 6)
    expect(Score.score(Score.cjt292Style, m).complete).toBe(true)
  })
})

describe("返工率 and no data", () => {
  // (rule change, DOMAIN §5: rates count cases — this example read 2 / 1 = 200% in March before; per round it still does)
  it("返工率 counts a case reworked twice once (CJ/T 292); per round (counting: 'round') it counts each rework and can exceed 100%", () => {
    const s = opened("R", C1, "2025-02-27")
      .handle("2025-02-28 10:00") // due in February, on time
      .fail("2025-03-03 09:00") // rework 1, March
      .handle("2025-03-03 10:00") // due in March, on time
      .fail("2025-03-03 11:00") // rework 2, March; the third run is still going
    const asOf = utc(bj("2025-03-04 09:00"))
    const byCase = computeOk([s], { asOf, granularity: "quarter" })
    const q1 = Option.getOrThrow(byCase.get(C1, Either.getOrThrow(Period.parse("2025-Q1"))))
    expect(counts(q1.rework)).toEqual([1, 1])
    expect(counts(q1.handling)).toEqual([1, 1])
    const byRound = computeOk([s], { asOf, options: { counting: "round" } })
    const march = indicatorsOf(byRound, C1, "2025-03")
    expect(counts(march.rework)).toEqual([2, 1])
    expect(Ratio.format(march.rework)).toBe("200.0%")
    expect(Indicator.definitionOf("rework").proportion).toBe(false)
  })

  it("a unit with no cases has no data — never 0% or 100%", () => {
    const s = opened("N", C1, "2025-03-03").handle("2025-03-03 15:00").pass("2025-03-03 16:00")
    const report = computeOk([s])
    const quiet = indicatorsOf(report, C3, "2025-03")
    for (const id of Indicator.ids) expect(Option.isNone(Ratio.rate(quiet[id]))).toBe(true)
    // a period without observations gives every unit no data too
    expect(indicatorsOf(report, C1, "2025-07")).toEqual(Indicator.empty)
    expect(Option.isNone(report.get("no-such-unit", month("2025-03")))).toBe(true)
    expect(Option.isNone(report.get(C1, Either.getOrThrow(Period.parse("2025-Q1"))))).toBe(true)
  })
})

describe("DOMAIN §5 — rates count cases, not handling rounds (CJ/T 292)", () => {
  // R is reworked twice and handled three times, all on time; K is handled once; both in March 2025
  const twice = opened("R", C1, "2025-03-03")
    .handle("2025-03-03 15:00")
    .fail("2025-03-03 16:00")
    .handle("2025-03-04 10:00")
    .fail("2025-03-04 11:00")
    .handle("2025-03-04 15:00")
    .pass("2025-03-04 16:00")
  const once = opened("K", C1, "2025-03-03").handle("2025-03-03 15:00").pass("2025-03-03 16:00")

  it("返工率 = reworked cases ÷ cases due: 1 / 2 = 50% (per round: 2 reworks ÷ 4 rounds = 50%, 3 of them R's)", () => {
    const march = indicatorsOf(computeOk([twice, once]), C1, "2025-03")
    expect(counts(march.rework)).toEqual([1, 2])
    expect(Ratio.format(march.rework)).toBe("50.0%")
    const rounds = indicatorsOf(computeOk([twice, once], { options: { counting: "round" } }), C1, "2025-03")
    expect(counts(rounds.rework)).toEqual([2, 4])
  })

  it("应处置 counts cases: 处置率 2 / 2 and 按期处置率 2 / 2 (per round: 4 / 4)", () => {
    const march = indicatorsOf(computeOk([twice, once]), C1, "2025-03")
    expect(counts(march.handling)).toEqual([2, 2])
    expect(counts(march["on-time-handling"])).toEqual([2, 2])
    const rounds = indicatorsOf(computeOk([twice, once], { options: { counting: "round" } }), C1, "2025-03")
    expect(counts(rounds.handling)).toEqual([4, 4])
    expect(counts(rounds["on-time-handling"])).toEqual([4, 4])
  })

  it("a case is judged on its first due handling run: late then on time is 处置 but not 按期处置 (per round: 1 of 2 on time)", () => {
    const s = opened("LT", C1, "2025-03-03")
      .handle("2025-03-07 10:00") // past Thursday 09:20: late
      .fail("2025-03-07 11:00")
      .handle("2025-03-07 15:00") // on time
      .pass("2025-03-07 16:00")
    const march = indicatorsOf(computeOk([s]), C1, "2025-03")
    expect(counts(march.handling)).toEqual([1, 1])
    expect(counts(march["on-time-handling"])).toEqual([0, 1])
    expect(counts(march.rework)).toEqual([1, 1])
    const rounds = indicatorsOf(computeOk([s], { options: { counting: "round" } }), C1, "2025-03")
    expect(counts(rounds["on-time-handling"])).toEqual([1, 2])
  })
})

describe("DOMAIN §5 — a voided or merged case leaves 应结案 and 应处置 whenever it is voided", () => {
  // accepted Monday 09:10, never dispatched: the 1-working-hour 派遣 limit passes at 10:10; voided in the afternoon
  const lateVoid = (id: string) =>
    new Story(id, C1).report("2025-03-03 09:00").accept("2025-03-03 09:10").voided("2025-03-03 15:00")

  // (rule change: before, both cases stayed in 应结案 — 结案率 0 / 2 while 受理办结率 read 0 / 0)
  it("two cases voided after their deadline: 结案率 and 按期结案率 no data, like 受理办结率 (was 0 / 2)", () => {
    const march = indicatorsOf(computeOk([lateVoid("V1"), lateVoid("V2")]), C1, "2025-03")
    expect(counts(march["acceptance-closure"])).toEqual([0, 0])
    expect(counts(march.closure)).toEqual([0, 0])
    expect(counts(march["on-time-closure"])).toEqual([0, 0])
    expect(Ratio.isNoData(march.closure)).toBe(true)
    // still filed, and voided: 准确立案率 0 / 2; filed late: 按时立案率 counts them
    expect(counts(march["filing-accuracy"])).toEqual([0, 2])
  })

  it("before the void, the overdue case is due: judged at 14:00 结案率 reads 0 / 1; the void takes it out", () => {
    const s = lateVoid("V3")
    const before = computeOk([s], { asOf: utc(bj("2025-03-03 14:00")) })
    expect(counts(indicatorsOf(before, C1, "2025-03").closure)).toEqual([0, 1])
    expect(counts(indicatorsOf(computeOk([s]), C1, "2025-03").closure)).toEqual([0, 0])
  })

  it("a handling run overdue, then returned and voided, or merged while dispatched: 处置率 no data (was 0 / 1 each)", () => {
    const returned = opened("VR", C1, "2025-03-03")
      .giveBack("2025-03-07 10:00") // after Thursday 09:20: the run was late
      .voided("2025-03-07 11:00")
    const merged = opened("VM", C1, "2025-03-03").merged("2025-03-07 10:00", "VR")
    for (const counting of ["case", "round"] as const) {
      const march = indicatorsOf(computeOk([returned, merged], { options: { counting } }), C1, "2025-03")
      expect(counts(march.handling)).toEqual([0, 0])
      expect(counts(march["on-time-handling"])).toEqual([0, 0])
      expect(counts(march.rework)).toEqual([0, 0])
      expect(counts(march.closure)).toEqual([0, 0])
    }
  })
})

describe("DOMAIN §5 — a case whose deadline cannot be judged is left out consistently, for all its rounds", () => {
  const only2025 = Either.getOrThrow(
    WorkingCalendar.make({ years: WorkingCalendar.officialSchedules().filter((y) => y.year === 2025) })
  )
  // U2: two runs, both in 2025, reworked once. U3: its first run handled on time in December 2025, reworked
  // on the last afternoon of the year: its second run's deadline lies in 2026, a year with no schedule
  const s = opened("U2", C1, "2025-12-01")
    .handle("2025-12-01 15:00")
    .fail("2025-12-02 10:00")
    .handle("2025-12-02 11:00")
    .pass("2025-12-02 12:00")
  const late = opened("U3", C1, "2025-12-15")
    .handle("2025-12-15 15:00")
    .fail("2025-12-31 17:00")
    .handle("2026-01-05 10:00")

  it("a case with one unjudgeable handling run is in none of 处置率, 按期处置率, 返工率 — neither its other runs nor its reworks (was 3 / 3 per round: U3's first run still counted, its rework dropped)", () => {
    const report = computeOk([s, late], { calendar: only2025, granularity: "quarter" })
    expect(report.unjudged.map((x) => [x.caseId, x.step, x.indicators])).toEqual([
      ["U3", "handling", ["handling", "on-time-handling", "rework"]]
    ])
    const q4 = Option.getOrThrow(report.get(C1, Either.getOrThrow(Period.parse("2025-Q4"))))
    // only U2 counts: handled on time, reworked once
    expect(counts(q4.handling)).toEqual([1, 1])
    expect(counts(q4["on-time-handling"])).toEqual([1, 1])
    expect(counts(q4.rework)).toEqual([1, 1])
    for (const counting of ["round"] as const) {
      const rounds = computeOk([s, late], {
        calendar: only2025,
        granularity: "quarter",
        options: { counting }
      })
      const r = Option.getOrThrow(rounds.get(C1, Either.getOrThrow(Period.parse("2025-Q4"))))
      expect(counts(r.handling)).toEqual([2, 2])
      expect(counts(r.rework)).toEqual([1, 2])
    }
  })
})

describe("input handling", () => {
  it("invalid options are refused with every violation", () => {
    const result = Indicator.compute({
      ...context,
      facts: [],
      options: { basicWeight: 1.5, utcOffsetMinutes: 30.5 }
    })
    expect(Either.isLeft(result) ? result.left.violations.map((v) => v.rule) : []).toEqual([
      "basic-weight",
      "utc-offset"
    ])
  })

  it("a broken history and a case of an unknown unit are skipped and listed, not silently dropped", () => {
    const good = opened("G", C1, "2025-03-03")
    const broken = opened("B", C1, "2025-03-03").events.filter((e) => e.sequence !== 2)
    const stranger = opened("U", "c-elsewhere", "2025-03-03")
    const report = Either.getOrThrow(
      Indicator.compute({ ...context, events: [...good.events, ...broken, ...stranger.events] })
    )
    expect(report.skipped.map((s) => [s.caseId, s.reason])).toEqual([
      ["B", "invalid-history"],
      ["U", "unknown-unit"]
    ])
    expect(report.cases).toBe(1)
  })

  it("events delivered twice count once", () => {
    const s = opened("T", C1, "2025-03-03").handle("2025-03-03 15:00").pass("2025-03-03 16:00")
    const once = computeOk([s]).rows()
    const twice = Either.getOrThrow(
      Indicator.compute({ ...context, events: [...s.events, ...s.events] })
    ).rows()
    expect(twice).toEqual(once)
  })

  it("summaries given with events after asOf are skipped; events are cut at asOf", () => {
    const s = opened("A", C1, "2025-03-03").handle("2025-03-03 15:00")
    const facts = Option.getOrThrow(Either.getOrThrow(Indicator.summarize(s.events)))
    const asOf = utc(bj("2025-03-03 12:00"))
    const fromFacts = Either.getOrThrow(Indicator.compute({ ...context, facts: [facts], asOf }))
    expect(fromFacts.skipped.map((x) => x.reason)).toEqual(["after-as-of"])
    const fromEvents = Either.getOrThrow(Indicator.compute({ ...context, events: s.events, asOf }))
    expect(fromEvents.skipped).toEqual([])
    expect(counts(Option.getOrThrow(fromEvents.get(C1, month("2025-03"))).handling)).toEqual([0, 0])
  })

  it("series feed Period.trend", () => {
    const a = opened("A", C1, "2025-03-03").handle("2025-03-03 15:00").pass("2025-03-03 16:00")
    const b = opened("B", C1, "2025-04-01").handle("2025-04-07 15:00").pass("2025-04-07 16:00")
    const points = Either.getOrThrow(
      Period.trend(Indicator.series(computeOk([a, b]), C1, "on-time-handling"))
    )
    expect(points.map((p) => [Period.label(p.period), counts(p.ratio), p.direction])).toEqual([
      ["2025-03", [1, 1], "no-data"],
      ["2025-04", [0, 1], "down"]
    ])
  })
})

describe("definitions as data", () => {
  it("every indicator has one definition with its Chinese and English names, numerator, denominator and formula", () => {
    expect(Indicator.definitions.map((d) => d.id)).toEqual(Indicator.ids)
    for (const d of Indicator.definitions) {
      expect(d.name.length).toBeGreaterThan(0)
      expect(d.nameEn.length).toBeGreaterThan(0)
      expect(d.numerator.length).toBeGreaterThan(0)
      expect(d.denominator.length).toBeGreaterThan(0)
      expect(d.formula).toContain("=")
      expect(d.attribution.length).toBeGreaterThan(0)
    }
    expect(Indicator.definitions.filter((d) => !d.proportion).map((d) => d.id)).toEqual(["rework"])
    expect(Indicator.definitionOf("acceptance-closure").name).toBe("受理办结率")
  })
})
