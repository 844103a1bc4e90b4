import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as AccessList from "../src/AccessList.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Planner from "../src/Planner.js"
import * as ProblemList from "../src/ProblemList.js"
import * as ResourceList from "../src/ResourceList.js"
import * as TaskList from "../src/TaskList.js"
import * as Unit from "../src/Unit.js"

// ---------------------------------------------------------------------------
// fixtures
// ---------------------------------------------------------------------------

const u = Unit.make
const at = (iso: string): DateTime.Utc => DateTime.unsafeMake(iso)
const DAY = 86_400_000
const day = (n: number): DateTime.Utc => DateTime.unsafeMake(Date.UTC(2024, 2, 1) + n * DAY)

const right = <A, E>(e: Either.Either<A, E>): A => {
  if (Either.isLeft(e)) throw new Error(`expected Right, got ${String(e.left)}`)
  return e.right
}
const left = <A, E>(e: Either.Either<A, E>): E => {
  if (Either.isRight(e)) throw new Error("expected Left")
  return e.left
}

/** A small FiveLevel hierarchy: 区 → 2 街道 → communities → compounds → buildings. */
const seedRows: ReadonlyArray<Unit.Unit> = [
  u({ id: "district", parentId: null, level: "district", name: "某区" }),
  u({ id: "street-a", parentId: "district", level: "street", name: "甲街道" }),
  u({ id: "street-b", parentId: "district", level: "street", name: "乙街道" }),
  u({ id: "xx", parentId: "street-a", level: "community", name: "××社区" }),
  u({ id: "yy", parentId: "street-a", level: "community", name: "邻近社区" }),
  u({ id: "zz", parentId: "street-b", level: "community", name: "乙街道社区" }),
  u({ id: "city-1", parentId: "xx", level: "compound", name: "××城一期" }),
  u({ id: "city-2", parentId: "xx", level: "compound", name: "××城二期" }),
  u({ id: "binjiang", parentId: "xx", level: "compound", name: "滨江御城" }),
  u({ id: "city-1-b1", parentId: "city-1", level: "building", name: "一期1栋" }),
  u({ id: "city-2-b1", parentId: "city-2", level: "building", name: "二期1栋" }),
  u({ id: "binjiang-b1", parentId: "binjiang", level: "building", name: "御城1栋" }),
  u({ id: "yy-b1", parentId: "yy", level: "building", name: "邻近社区1栋" }),
  u({ id: "zz-b1", parentId: "zz", level: "building", name: "乙社区1栋" })
]
const seedHierarchy = right(Hierarchy.make(LevelScheme.FiveLevel, seedRows))

const visit: ProblemList.ProblemSource = { _tag: "HouseholdVisit" }
const branch: ProblemList.ProblemSource = { _tag: "PartyBranch" }

const problem = (
  id: string,
  unitId: string,
  tags: ReadonlyArray<string>,
  extra: { readonly demand?: number; readonly reportedAt?: DateTime.Utc; readonly categoryId?: string } = {}
): ProblemList.Problem =>
  ProblemList.make({
    id,
    unitId,
    categoryId: extra.categoryId ?? "property-management",
    source: visit,
    description: `问题 ${id}`,
    reportedAt: extra.reportedAt ?? day(0),
    tags,
    ...(extra.demand === undefined ? {} : { demand: extra.demand })
  })

const resource = (
  id: string,
  scope: ReadonlyArray<string>,
  tags: ReadonlyArray<string>,
  capacity: number,
  availability?: ResourceList.Availability
): ResourceList.Resource =>
  ResourceList.make({
    id,
    name: `资源 ${id}`,
    kind: "service",
    tags,
    scope,
    capacity,
    provider: { kind: "co-building-unit", name: `共建单位 ${id}` },
    ...(availability === undefined ? {} : { availability })
  })

const runPlan = (
  problems: ReadonlyArray<ProblemList.Problem>,
  resources: ReadonlyArray<ResourceList.Resource>,
  options?: Planner.PlanOptions
): Planner.Plan =>
  right(
    Planner.plan({
      hierarchy: seedHierarchy,
      problems,
      resources,
      ...(options === undefined ? {} : { options })
    })
  )

// ---------------------------------------------------------------------------
// seed 000: 三张清单 — problems → resources → tasks
// ---------------------------------------------------------------------------

describe("Planner — seed 000 三张清单工作法", () => {
  // 问题清单: 网格员入户走访、小区党支部收集、平台上报案件, five categories.
  const problems = [
    ProblemList.make({
      id: "P01",
      unitId: "city-1",
      categoryId: ProblemList.categoryIds.propertyManagement,
      source: visit,
      description: "小区电瓶车乱停、飞线充电",
      reportedAt: at("2024-03-01T09:00:00Z"),
      tags: ["电动车治理"]
    }),
    ProblemList.make({
      id: "P02",
      unitId: "city-2",
      categoryId: ProblemList.categoryIds.environment,
      source: branch,
      description: "楼道杂物乱放，“五乱”治理反弹",
      reportedAt: at("2024-03-02T09:00:00Z"),
      tags: ["志愿清理"],
      demand: 3
    }),
    ProblemList.make({
      id: "P03",
      unitId: "binjiang-b1",
      categoryId: ProblemList.categoryIds.elderlyCare,
      source: visit,
      description: "空巢老人需要上门慰问",
      reportedAt: at("2024-03-03T09:00:00Z"),
      tags: ["助老"]
    }),
    ProblemList.make({
      id: "P04",
      unitId: "xx",
      categoryId: ProblemList.categoryIds.culture,
      source: { _tag: "PlatformCase", caseId: "C-2024-0117" },
      description: "中秋节“幸福邻里”活动缺场地和文艺节目",
      reportedAt: at("2024-03-04T09:00:00Z"),
      tags: ["场地", "文艺"]
    }),
    ProblemList.make({
      id: "P05",
      unitId: "city-1-b1",
      categoryId: ProblemList.categoryIds.childCare,
      source: visit,
      description: "青少年需要心理疏导",
      reportedAt: at("2024-03-05T09:00:00Z"),
      tags: ["心理咨询"]
    }),
    ProblemList.make({
      id: "P06",
      unitId: "yy-b1",
      categoryId: ProblemList.categoryIds.propertyManagement,
      source: visit,
      description: "邻近社区电瓶车飞线充电",
      reportedAt: at("2024-03-06T09:00:00Z"),
      tags: ["电动车治理"]
    })
  ]
  // 资源清单: 共建单位, 社会组织, 党员 (骨干/老年), 志愿者.
  const resources = [
    ResourceList.make({
      id: "R-jiguan",
      name: "市直机关党员干部包保联系",
      kind: "service",
      tags: ["志愿清理", "助老"],
      scope: ["xx"],
      capacity: 2,
      provider: { kind: "co-building-unit", name: "结对共建市直机关单位" }
    }),
    ResourceList.make({
      id: "R-volunteers",
      name: "热心居民志愿服务队",
      kind: "service",
      tags: ["志愿清理"],
      scope: ["city-2"],
      capacity: 2,
      provider: { kind: "volunteer", name: "志愿服务队" }
    }),
    ResourceList.make({
      id: "R-shancheng",
      name: "山城社工服务中心",
      kind: "service",
      tags: ["助老", "文艺"],
      scope: ["street-a"],
      capacity: 5,
      provider: { kind: "social-organization", name: "××山城社工服务中心" }
    }),
    ResourceList.make({
      id: "R-venue",
      name: "社区党群服务中心用房",
      kind: "venue",
      tags: ["场地"],
      scope: ["xx"],
      capacity: 4,
      provider: { kind: "co-building-unit", name: "共驻共建单位" },
      description: "近1000平方米用房"
    }),
    ResourceList.make({
      id: "R-party-core",
      name: "小区党支部骨干党员",
      kind: "skill",
      tags: ["电动车治理"],
      scope: ["city-1"],
      capacity: 3,
      provider: { kind: "party-member", name: "骨干党员", partyMemberClass: "core" }
    })
  ]

  const result = runPlan(problems, resources)

  it("proposes one task per servable problem, owned by the problem's community, due 30 days after the report", () => {
    expect(result.tasks.map((t) => [t.id, t.problemId, t.resourceIds])).toEqual([
      ["T-P01", "P01", ["R-party-core"]],
      ["T-P02", "P02", ["R-jiguan", "R-volunteers"]],
      ["T-P03", "P03", ["R-jiguan"]],
      ["T-P04", "P04", ["R-shancheng", "R-venue"]]
    ])
    for (const t of result.tasks) {
      expect(t.owner).toEqual(TaskList.unitOwner("xx"))
      expect(t.status).toBe("pending")
    }
    expect(DateTime.formatIso(result.tasks[0]?.deadline ?? day(0))).toBe("2024-03-31T09:00:00.000Z")
  })

  it("清单匹配: the most specific scope goes first — the compound's volunteers before the community-wide co-building unit", () => {
    const p02 = result.allocations.filter((a) => a.problemId === "P02").map((a) => [a.resourceId, a.units])
    expect(p02).toEqual([
      ["R-jiguan", 1],
      ["R-volunteers", 2]
    ])
  })

  it("best fit prefers the most specific scope over more capacity: 助老 for P03 takes the co-building unit's last unit", () => {
    // R-jiguan serves the community (depth 2) with 1 unit left after P02; R-shancheng serves the whole street (depth 1).
    const p03 = result.allocations.filter((a) => a.problemId === "P03")
    expect(p03.map((a) => [a.resourceId, a.units])).toEqual([["R-jiguan", 1]])
  })

  it("a problem needing 场地 and 文艺 combines the venue and the social organisation", () => {
    const p04 = result.allocations.filter((a) => a.problemId === "P04")
    expect(p04.map((a) => [a.resourceId, a.tags])).toEqual([
      ["R-shancheng", ["文艺"]],
      ["R-venue", ["场地"]]
    ])
  })

  it("explains the unmatched: 心理咨询 nobody offers; the neighbouring community lies outside the party members' scope", () => {
    expect(result.unmatched.map((m) => [m.problemId, m.reason])).toEqual([
      ["P05", { _tag: "MissingTags", tags: ["心理咨询"] }],
      ["P06", { _tag: "OutOfScope", tags: ["电动车治理"], resourceIds: ["R-party-core"] }]
    ])
    expect(result.unmatched[0]?.message).toContain("无资源具备所需能力")
  })

  it("reports the resources' usage; nothing exceeds capacity", () => {
    expect(result.usage.map((x) => [x.resourceId, x.capacity, x.planned, x.remaining])).toEqual([
      ["R-jiguan", 2, 2, 0],
      ["R-party-core", 3, 1, 2],
      ["R-shancheng", 5, 1, 4],
      ["R-venue", 4, 1, 3],
      ["R-volunteers", 2, 2, 0]
    ])
  })

  it("the plan feeds the lists: problems become planned, tasks run to done, late ones are recorded", () => {
    const byId = new Map(problems.map((p) => [p.id as string, p]))
    const planned = result.tasks.map((t) => {
      const p = byId.get(t.problemId)
      if (p === undefined) throw new Error("task without problem")
      return right(ProblemList.plan(p, { taskId: t.id, at: at("2024-03-10T00:00:00Z") }))
    })
    expect(planned.map((p) => [p.id, p.status, p.taskId])).toEqual([
      ["P01", "planned", "T-P01"],
      ["P02", "planned", "T-P02"],
      ["P03", "planned", "T-P03"],
      ["P04", "planned", "T-P04"]
    ])
    const [t1, t2] = result.tasks
    if (t1 === undefined || t2 === undefined) throw new Error("missing tasks")
    const done = right(
      TaskList.complete(right(TaskList.start(t1, { at: at("2024-03-11T00:00:00Z") })), {
        at: at("2024-03-20T00:00:00Z")
      })
    )
    expect(done.timeliness).toBe("on-time")
    const late = right(
      TaskList.complete(right(TaskList.start(t2, { at: at("2024-03-11T00:00:00Z") })), {
        at: at("2024-04-05T00:00:00Z")
      })
    )
    expect(TaskList.isDoneLate(late)).toBe(true)
    const now = at("2024-04-10T00:00:00Z")
    expect(TaskList.overdueTasks([done, late, ...result.tasks.slice(2)], now).map((t) => t.id)).toEqual([
      "T-P03",
      "T-P04"
    ])
  })

  it("a platform case's id is linked to its problem (平台上报案件)", () => {
    expect(problems[3]?.caseIds).toEqual(["C-2024-0117"])
  })
})

// ---------------------------------------------------------------------------
// examples of each rule
// ---------------------------------------------------------------------------

describe("Planner — rules by example", () => {
  it("best fit: deepest scope, then most remaining capacity, then id", () => {
    const r = runPlan(
      [problem("p1", "city-1-b1", ["A"])],
      [
        resource("r-street", ["street-a"], ["A"], 9),
        resource("r-b", ["city-1"], ["A"], 1),
        resource("r-a", ["city-1"], ["A"], 1),
        resource("r-big", ["city-1"], ["A"], 3)
      ]
    )
    expect(r.tasks[0]?.resourceIds).toEqual(["r-big"])
    const tie = runPlan(
      [problem("p1", "city-1-b1", ["A"])],
      [resource("r-b", ["city-1"], ["A"], 1), resource("r-a", ["city-1"], ["A"], 1)]
    )
    expect(tie.tasks[0]?.resourceIds).toEqual(["r-a"])
  })

  it("a resource offering two needed tags is engaged once and takes the demand once", () => {
    const r = runPlan(
      [problem("p1", "xx", ["A", "B"], { demand: 2 })],
      [resource("both", ["xx"], ["A", "B"], 2)]
    )
    expect(r.allocations.map((a) => [a.resourceId, a.units, a.tags])).toEqual([["both", 2, ["A", "B"]]])
    expect(r.usage[0]?.remaining).toBe(0)
  })

  it("a demand larger than any one resource is split across resources", () => {
    const r = runPlan(
      [problem("p1", "xx", ["A"], { demand: 3 })],
      [resource("r1", ["xx"], ["A"], 1), resource("r2", ["xx"], ["A"], 1), resource("r3", ["xx"], ["A"], 1)]
    )
    expect(r.allocations.map((a) => [a.resourceId, a.units])).toEqual([
      ["r1", 1],
      ["r2", 1],
      ["r3", 1]
    ])
  })

  it("first come, first served: the earlier report gets the last capacity; the later one is CapacityExhausted", () => {
    const r = runPlan(
      [
        problem("z-early", "xx", ["A"], { reportedAt: day(1) }),
        problem("a-late", "xx", ["A"], { reportedAt: day(2) })
      ],
      [resource("r1", ["xx"], ["A"], 1)]
    )
    expect(r.tasks.map((t) => t.problemId)).toEqual(["z-early"])
    expect(r.unmatched.map((m) => m.reason)).toEqual([
      { _tag: "CapacityExhausted", shortfalls: [{ tag: "A", needed: 1, available: 0 }] }
    ])
  })

  it("capacity already used elsewhere (options.used) is not planned again", () => {
    const r = runPlan([problem("p1", "xx", ["A"], { demand: 2 })], [resource("r1", ["xx"], ["A"], 3)], {
      used: { r1: 2 }
    })
    expect(r.unmatched[0]?.reason).toEqual({
      _tag: "CapacityExhausted",
      shortfalls: [{ tag: "A", needed: 2, available: 1 }]
    })
    expect(r.usage).toEqual([{ resourceId: "r1", capacity: 3, used: 2, planned: 0, remaining: 1 }])
  })

  it("a resource outside its availability window is Unavailable, not assigned", () => {
    const window = { from: day(100), to: day(120) }
    const r = runPlan([problem("p1", "xx", ["A"])], [resource("r1", ["xx"], ["A"], 5, window)])
    expect(r.unmatched[0]?.reason).toEqual({ _tag: "Unavailable", tags: ["A"], resourceIds: ["r1"] })
    const inWindow = runPlan(
      [problem("p1", "xx", ["A"], { reportedAt: day(95) })],
      [resource("r1", ["xx"], ["A"], 5, window)]
    )
    expect(inWindow.tasks.length).toBe(1)
  })

  it("when tags fail at different stages the earliest stage is reported with its tags", () => {
    const r = runPlan(
      [problem("p1", "yy", ["A", "B", "C"])],
      [resource("r-a", ["city-1"], ["A"], 1), resource("r-c", ["yy"], ["C"], 1)]
    )
    expect(r.unmatched[0]?.reason).toEqual({ _tag: "MissingTags", tags: ["B"] })
  })

  it("non-open problems, unknown units and problems naming no tag are unmatched with that reason", () => {
    const closed = right(
      ProblemList.close(problem("p-closed", "xx", ["A"]), { at: day(1), reason: "不属于社区职责" })
    )
    const r = runPlan(
      [closed, problem("p-ghost", "nowhere", ["A"]), problem("p-none", "xx", [])],
      [resource("r1", ["xx"], ["A"], 5)]
    )
    expect(r.unmatched.map((m) => [m.problemId, m.reason])).toEqual([
      ["p-closed", { _tag: "NotOpen", status: "closed" }],
      ["p-ghost", { _tag: "UnknownUnit", unitId: "nowhere" }],
      ["p-none", { _tag: "NoTagsNeeded" }]
    ])
  })

  it("options: deadline days, owner level, task ids, titles", () => {
    const r = runPlan([problem("p1", "city-1-b1", ["A"])], [resource("r1", ["xx"], ["A"], 5)], {
      deadlineDays: 7,
      ownerLevel: "street",
      taskIdOf: (p) => `RW-${p.id}`,
      titleOf: (p) => `处置: ${p.description}`
    })
    const t = r.tasks[0]
    expect(t?.id).toBe("RW-p1")
    expect(t?.title).toBe("处置: 问题 p1")
    expect(t?.owner).toEqual(TaskList.unitOwner("street-a"))
    expect(t?.deadline).toEqual(day(7))
  })

  it("大党委联席会: ownerOf can hand a task to a functional department (城管, 房管 …), which the access list does not govern", () => {
    const list = right(AccessList.make({ positive: [], negative: [], mode: "strict" }))
    const r = runPlan([problem("p1", "city-1", ["A"])], [resource("r1", ["xx"], ["A"], 5)], {
      ownerOf: () => TaskList.departmentOwner("chengguan"),
      access: { list }
    })
    expect(r.tasks.map((t) => t.owner)).toEqual([TaskList.departmentOwner("chengguan")])
  })

  it("owner falls back to the problem's unit when it has no unit of the owner level above it", () => {
    const r = runPlan([problem("p1", "street-a", ["A"])], [resource("r1", ["street-a"], ["A"], 5)])
    expect(r.tasks[0]?.owner).toEqual(TaskList.unitOwner("street-a"))
  })

  it("社区工作准入: a problem whose work is on the negative list is not given to the community", () => {
    const item = (code: string, name: string): AccessList.AccessItem => ({
      code: AccessList.WorkCode.make(code),
      name,
      authority: "XX县区",
      basis: "XX县区社区工作准入制度"
    })
    const list = right(
      AccessList.make({
        positive: [item("property-management", "协助物业管理矛盾调处")],
        negative: [item("demolition", "征地拆迁")],
        mode: "strict"
      })
    )
    const r = runPlan(
      [
        problem("p1", "city-1", ["A"]),
        problem("p2", "city-1", ["A"], { categoryId: "demolition" }),
        problem("p3", "city-1", ["A"], { categoryId: "culture" })
      ],
      [resource("r1", ["xx"], ["A"], 5)],
      { access: { list } }
    )
    expect(r.tasks.map((t) => [t.problemId, t.workCode])).toEqual([["p1", "property-management"]])
    expect(
      r.unmatched.map((m) => [m.problemId, m.reason._tag === "AccessRefused" ? m.reason.refusal.rule : ""])
    ).toEqual([
      ["p2", "negative-list"],
      ["p3", "not-on-positive-list"]
    ])
    expect(r.unmatched[0]?.message).toContain("负面清单")
    // the refused problems consumed nothing
    expect(r.usage[0]?.planned).toBe(1)
    // the whole plan, refusals included, round-trips through its schema (for ledgers and JSON APIs)
    const encoded = Schema.encodeSync(Planner.Plan)(r)
    expect(Schema.decodeUnknownSync(Planner.Plan)(JSON.parse(JSON.stringify(encoded)))).toEqual(r)
  })

  it("invalid input is refused with every violation", () => {
    const err = left(
      Planner.plan({
        hierarchy: seedHierarchy,
        problems: [
          problem("p1", "xx", ["A"]),
          problem("p1", "xx", ["A"]),
          { ...problem("p2", "xx", ["A"]), demand: 0 }
        ],
        resources: [
          resource("r1", ["xx"], ["A"], 1),
          resource("r1", ["xx"], ["A"], 1),
          resource("r2", ["xx"], ["A"], -1)
        ],
        options: { used: { r1: 1.5 } }
      })
    )
    expect(err.violations.map((v) => [v.rule, v.id])).toEqual([
      ["duplicate-problem-id", "p1"],
      ["duplicate-resource-id", "r1"],
      ["duplicate-task-id", "T-p1"],
      ["invalid-capacity", "r2"],
      ["invalid-demand", "p2"],
      ["invalid-used", "r1"]
    ])
  })
})

// ---------------------------------------------------------------------------
// properties over random hierarchies and lists
// ---------------------------------------------------------------------------

interface World {
  readonly hierarchy: Hierarchy.Hierarchy
  readonly problems: ReadonlyArray<ProblemList.Problem>
  readonly resources: ReadonlyArray<ResourceList.Resource>
  readonly used: Readonly<Record<string, number>>
}

const TAGS = ["A", "B", "C", "D"] as const

const buildHierarchy = (shape: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>): Hierarchy.Hierarchy => {
  const rows: Array<Unit.Unit> = [u({ id: "d", parentId: null, level: "district", name: "区" })]
  shape.forEach((communities, s) => {
    const street = `s${s}`
    rows.push(u({ id: street, parentId: "d", level: "street", name: `街道${s}` }))
    communities.forEach((compounds, c) => {
      const community = `${street}c${c}`
      rows.push(u({ id: community, parentId: street, level: "community", name: `社区${c}` }))
      compounds.forEach((buildings, k) => {
        const compound = `${community}x${k}`
        rows.push(u({ id: compound, parentId: community, level: "compound", name: `小区${k}` }))
        for (let b = 0; b < buildings; b++) {
          rows.push(u({ id: `${compound}b${b}`, parentId: compound, level: "building", name: `楼${b}` }))
        }
      })
    })
  })
  return right(Hierarchy.make(LevelScheme.FiveLevel, rows))
}

const arbTags = (universe: ReadonlyArray<string>) =>
  fc.subarray([...universe], { minLength: 0, maxLength: 3 })

const arbWorld: fc.Arbitrary<World> = fc
  .record({
    shape: fc.array(
      fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }), { minLength: 1, maxLength: 2 }),
      {
        minLength: 1,
        maxLength: 2
      }
    ),
    problems: fc.array(
      fc.record({
        unit: fc.nat(),
        tags: fc.oneof(
          { arbitrary: fc.subarray([...TAGS], { minLength: 1, maxLength: 2 }), weight: 8 },
          { arbitrary: arbTags([...TAGS, "Z"]), weight: 2 }
        ),
        demand: fc.integer({ min: 1, max: 3 }),
        day: fc.integer({ min: 0, max: 5 }),
        status: fc.constantFrom("open", "open", "open", "open", "open", "open", "open", "closed")
      }),
      { maxLength: 14 }
    ),
    resources: fc.array(
      fc.record({
        scope: fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.nat()), { minLength: 1, maxLength: 2 }),
        tags: fc.subarray([...TAGS], { minLength: 1, maxLength: 3 }),
        capacity: fc.integer({ min: 0, max: 6 }),
        window: fc.option(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 10 })), {
          nil: undefined,
          freq: 3
        }),
        used: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined, freq: 2 })
      }),
      { minLength: 2, maxLength: 14 }
    )
  })
  .map(({ shape, problems, resources }) => {
    const hierarchy = buildHierarchy(shape)
    const units = Hierarchy.units(hierarchy)
    const unitAt = (n: number): string => units[n % units.length]?.id ?? "d"
    const used: Record<string, number> = {}
    return {
      hierarchy,
      problems: problems.map((p, i) => {
        const made = problem(`p${String(i).padStart(2, "0")}`, unitAt(p.unit), p.tags, {
          demand: p.demand,
          reportedAt: day(p.day)
        })
        return p.status === "closed"
          ? right(ProblemList.close(made, { at: day(p.day), reason: "不予解决" }))
          : made
      }),
      resources: resources.map((r, i) => {
        const id = `r${String(i).padStart(2, "0")}`
        if (r.used !== undefined) used[id] = r.used
        return resource(
          id,
          r.scope.map(unitAt),
          r.tags,
          r.capacity,
          r.window === undefined ? undefined : { from: day(r.window[0]), to: day(r.window[0] + r.window[1]) }
        )
      }),
      used
    }
  })

const planWorld = (w: World, shuffle?: number): Planner.Plan => {
  const permute = <A>(xs: ReadonlyArray<A>, seed: number): Array<A> => {
    const out = [...xs]
    let s = seed >>> 0
    for (let i = out.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0
      const j = s % (i + 1)
      const a = out[i]
      const b = out[j]
      if (a === undefined || b === undefined) continue
      out[i] = b
      out[j] = a
    }
    return out
  }
  return right(
    Planner.plan({
      hierarchy: w.hierarchy,
      problems: shuffle === undefined ? w.problems : permute(w.problems, shuffle),
      resources: shuffle === undefined ? w.resources : permute(w.resources, shuffle * 7 + 3),
      options: { used: w.used }
    })
  )
}

const runs = { fastCheck: { numRuns: 100 } }

describe("Planner — properties", () => {
  it.prop(
    "never assigns a resource outside its scope (Hierarchy.isWithin one of its scope units)",
    [arbWorld],
    ([w]) => {
      const plan = planWorld(w)
      const problems = new Map(w.problems.map((p) => [p.id as string, p]))
      const resources = new Map(w.resources.map((r) => [r.id as string, r]))
      for (const a of plan.allocations) {
        const p = problems.get(a.problemId)
        const r = resources.get(a.resourceId)
        expect(p !== undefined && r !== undefined).toBe(true)
        if (p === undefined || r === undefined) continue
        expect(r.scope.some((s) => Hierarchy.isWithin(w.hierarchy, p.unitId, s))).toBe(true)
      }
    },
    runs
  )

  it.prop(
    "never assigns a resource over its capacity (capacity minus what was already used)",
    [arbWorld],
    ([w]) => {
      const plan = planWorld(w)
      const taken = new Map<string, number>()
      for (const a of plan.allocations) taken.set(a.resourceId, (taken.get(a.resourceId) ?? 0) + a.units)
      for (const r of w.resources) {
        const left = Math.max(0, r.capacity - (w.used[r.id] ?? 0))
        expect(taken.get(r.id) ?? 0).toBeLessThanOrEqual(left)
        const usage = plan.usage.find((x) => x.resourceId === r.id)
        expect(usage?.planned).toBe(taken.get(r.id) ?? 0)
        expect(usage?.remaining).toBe(left - (taken.get(r.id) ?? 0))
      }
    },
    runs
  )

  it.prop(
    "every problem is in exactly one proposed task or unmatched with a reason",
    [arbWorld],
    ([w]) => {
      const plan = planWorld(w)
      const inTasks = plan.tasks.map((t) => t.problemId as string)
      const unmatched = plan.unmatched.map((m) => m.problemId as string)
      expect(new Set(inTasks).size).toBe(inTasks.length)
      expect(new Set(unmatched).size).toBe(unmatched.length)
      expect([...inTasks, ...unmatched].sort()).toEqual(w.problems.map((p) => p.id as string).sort())
      for (const m of plan.unmatched) expect(m.message.length).toBeGreaterThan(0)
    },
    runs
  )

  it.prop(
    "every task covers each needed tag with the full demand from resources offering it, within their availability",
    [arbWorld],
    ([w]) => {
      const plan = planWorld(w)
      const problems = new Map(w.problems.map((p) => [p.id as string, p]))
      const resources = new Map(w.resources.map((r) => [r.id as string, r]))
      for (const t of plan.tasks) {
        const p = problems.get(t.problemId)
        if (p === undefined) throw new Error("task for an unknown problem")
        expect(p.status).toBe("open")
        const mine = plan.allocations.filter((a) => a.taskId === t.id)
        expect(mine.map((a) => a.resourceId)).toEqual([...t.resourceIds])
        for (const tag of p.tags) {
          const units = mine
            .filter((a) => ResourceList.offers(resources.get(a.resourceId) ?? resource("x", [], [], 0), tag))
            .reduce((n, a) => n + a.units, 0)
          expect(units).toBeGreaterThanOrEqual(p.demand)
        }
        for (const a of mine) {
          const r = resources.get(a.resourceId)
          if (r === undefined) throw new Error("unknown resource")
          expect(ResourceList.isAvailable(r, p.reportedAt, t.deadline)).toBe(true)
        }
      }
    },
    runs
  )

  it.prop(
    "deterministic: the same lists in any order give the same plan",
    [arbWorld, fc.nat(), fc.nat()],
    ([w, s1, s2]) => {
      const base = planWorld(w)
      expect(planWorld(w, s1)).toEqual(base)
      expect(planWorld(w, s2)).toEqual(base)
    },
    runs
  )

  it.prop(
    "a problem needing a tag no resource offers is unmatched with MissingTags naming it",
    [arbWorld],
    ([w]) => {
      const plan = planWorld(w)
      const offered = new Set(w.resources.flatMap((r) => r.tags as ReadonlyArray<string>))
      for (const p of w.problems) {
        const missing = p.tags.filter((t) => !offered.has(t))
        if (p.status !== "open" || missing.length === 0 || !Hierarchy.has(w.hierarchy, p.unitId)) continue
        const m = plan.unmatched.find((x) => x.problemId === p.id)
        expect(m?.reason).toEqual({ _tag: "MissingTags", tags: missing })
      }
    },
    runs
  )

  it.prop(
    "unmatched reasons are true: OutOfScope resources do not serve the unit; CapacityExhausted shows less than needed",
    [arbWorld],
    ([w]) => {
      const plan = planWorld(w)
      const problems = new Map(w.problems.map((p) => [p.id as string, p]))
      const resources = new Map(w.resources.map((r) => [r.id as string, r]))
      for (const m of plan.unmatched) {
        const p = problems.get(m.problemId)
        if (p === undefined) throw new Error("unknown problem")
        const reason = m.reason
        if (reason._tag === "OutOfScope") {
          for (const tag of reason.tags) {
            const serving = w.resources.filter(
              (r) => ResourceList.offers(r, tag) && ResourceList.serves(w.hierarchy, r, p.unitId)
            )
            expect(serving).toEqual([])
          }
          for (const id of reason.resourceIds) expect(resources.has(id)).toBe(true)
        }
        if (reason._tag === "MissingTags") {
          for (const tag of reason.tags)
            expect(w.resources.filter((r) => ResourceList.offers(r, tag))).toEqual([])
        }
        if (reason._tag === "Unavailable") {
          const deadline = DateTime.add(p.reportedAt, { days: Planner.defaults.deadlineDays })
          for (const tag of reason.tags) {
            const usable = w.resources.filter(
              (r) =>
                ResourceList.offers(r, tag) &&
                ResourceList.serves(w.hierarchy, r, p.unitId) &&
                ResourceList.isAvailable(r, p.reportedAt, deadline)
            )
            expect(usable).toEqual([])
          }
        }
        if (reason._tag === "CapacityExhausted") {
          for (const s of reason.shortfalls) expect(s.available).toBeLessThan(s.needed)
        }
        if (reason._tag === "NotOpen") expect(p.status).not.toBe("open")
      }
    },
    runs
  )
})
