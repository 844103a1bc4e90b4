import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as CaseCategory from "../src/CaseCategory.js"
import { GridId } from "../src/Grid.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as ProblemList from "../src/ProblemList.js"
import * as Unit from "../src/Unit.js"

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

const base = (id = "P1"): ProblemList.Problem =>
  ProblemList.make({
    id,
    unitId: "xx",
    gridId: "grid-3",
    categoryId: ProblemList.categoryIds.propertyManagement,
    source: { _tag: "HouseholdVisit" },
    description: "小区电瓶车乱停、飞线充电",
    reportedAt: day(0),
    tags: ["电动车治理", "物业协调", "电动车治理"]
  })

describe("ProblemList — categories", () => {
  it("五大类问题: the default table holds seed 000's five categories in its order, with Chinese names", () => {
    expect(ProblemList.defaultCategories.map((c) => [c.id, c.name])).toEqual([
      ["property-management", "物业管理"],
      ["environment", "环境整治"],
      ["culture", "文化娱乐"],
      ["elderly-care", "养老服务"],
      ["child-care", "儿童关爱"]
    ])
  })

  it("the linked case categories exist in CaseCategory.WithCommunityGovernance", () => {
    for (const c of ProblemList.defaultCategories) {
      if (c.caseCategoryId === undefined) continue
      expect(Option.isSome(CaseCategory.get(CaseCategory.WithCommunityGovernance, c.caseCategoryId))).toBe(
        true
      )
    }
  })

  it("is extensible: a local category is added; every duplicated id is refused", () => {
    const local: ProblemList.ProblemCategory = {
      id: ProblemList.ProblemCategoryId.make("parking"),
      name: "停车难",
      nameEn: "parking"
    }
    const table = right(ProblemList.extendCategories(ProblemList.defaultCategories, [local]))
    expect(table.length).toBe(6)
    expect(Option.map(ProblemList.findCategory(table, "parking"), (c) => c.name)).toEqual(
      Option.some("停车难")
    )
    const err = left(
      ProblemList.extendCategories(table, [local, { ...local, id: ProblemList.categoryIds.culture }])
    )
    expect(err.categoryIds).toEqual(["culture", "parking"])
    expect(err.message).toContain("问题类别标识重复")
  })
})

describe("ProblemList — make", () => {
  it("builds an open problem with demand 1, tags deduped and sorted", () => {
    const p = base()
    expect(p.status).toBe("open")
    expect(p.demand).toBe(1)
    expect(p.tags).toEqual(["物业协调", "电动车治理"].sort())
    expect(p.gridId).toBe("grid-3")
    expect(p.caseIds).toEqual([])
  })

  it("平台案件: a platform case source links the case id", () => {
    const p = ProblemList.make({
      id: "P2",
      unitId: "xx",
      categoryId: "environment",
      source: { _tag: "PlatformCase", caseId: "C-9" },
      description: "地下车库返沙",
      reportedAt: day(0),
      caseIds: ["C-1", "C-9"]
    })
    expect(p.caseIds).toEqual(["C-1", "C-9"])
    expect(ProblemList.linkCase(p, "C-0").caseIds).toEqual(["C-0", "C-1", "C-9"])
    expect(ProblemList.linkCase(p, "C-1").caseIds).toEqual(["C-1", "C-9"])
    expect(ProblemList.sourceNames[p.source._tag]).toBe("平台案件")
  })
})

describe("ProblemList — transitions", () => {
  it("open → planned → resolved (待解决 → 已列入任务 → 已解决)", () => {
    const planned = right(ProblemList.plan(base(), { taskId: "T-P1", at: day(1) }))
    expect([planned.status, planned.taskId, planned.plannedAt]).toEqual(["planned", "T-P1", day(1)])
    const resolved = right(ProblemList.resolve(planned, { at: day(9), note: "集中整治，设置充电桩" }))
    expect([resolved.status, resolved.resolvedAt, resolved.resolution]).toEqual([
      "resolved",
      day(9),
      "集中整治，设置充电桩"
    ])
  })

  it("a planned problem whose task is cancelled returns to open, without its task link", () => {
    const back = right(ProblemList.unplan(right(ProblemList.plan(base(), { taskId: "T-P1", at: day(1) }))))
    expect(back.status).toBe("open")
    expect("taskId" in back).toBe(false)
    expect("plannedAt" in back).toBe(false)
  })

  it("不予解决: closing needs a reason — a blank one is refused with reason-required", () => {
    const err = left(ProblemList.close(base(), { at: day(1), reason: "  " }))
    expect([err.problemId, err.status, err.action, err.rule]).toEqual([
      "P1",
      "open",
      "close",
      "reason-required"
    ])
    const closed = right(ProblemList.close(base(), { at: day(1), reason: " 不属于社区职责 " }))
    expect([closed.status, closed.closedReason]).toEqual(["closed", "不属于社区职责"])
  })

  it("an open problem cannot be resolved without being planned: illegal-transition names status and rule", () => {
    const err = left(ProblemList.resolve(base(), { at: day(1) }))
    expect(err.rule).toBe("illegal-transition")
    expect(err.message).toContain("open → resolved")
  })

  it("a time before the report is refused (before-report)", () => {
    expect(left(ProblemList.plan(base(), { taskId: "T", at: day(-1) })).rule).toBe("before-report")
  })

  type Step =
    | { readonly _tag: "plan"; readonly day: number }
    | { readonly _tag: "unplan" }
    | { readonly _tag: "resolve"; readonly day: number }
    | { readonly _tag: "close"; readonly day: number; readonly reason: string }

  const arbStep: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ _tag: fc.constant("plan" as const), day: fc.integer({ min: -2, max: 20 }) }),
    fc.record({ _tag: fc.constant("unplan" as const) }),
    fc.record({ _tag: fc.constant("resolve" as const), day: fc.integer({ min: -2, max: 20 }) }),
    fc.record({
      _tag: fc.constant("close" as const),
      day: fc.integer({ min: -2, max: 20 }),
      reason: fc.constantFrom("", " ", "重复反映", "不属于社区职责")
    })
  )

  const apply = (p: ProblemList.Problem, s: Step) => {
    switch (s._tag) {
      case "plan":
        return ProblemList.plan(p, { taskId: `T-${s.day}`, at: day(s.day) })
      case "unplan":
        return ProblemList.unplan(p)
      case "resolve":
        return ProblemList.resolve(p, { at: day(s.day) })
      case "close":
        return ProblemList.close(p, { at: day(s.day), reason: s.reason })
    }
  }
  const target: Record<Step["_tag"], ProblemList.ProblemStatus> = {
    plan: "planned",
    unplan: "open",
    resolve: "resolved",
    close: "closed"
  }

  it.prop(
    "moves follow the transition table; a refused move names problem, status and rule and leaves the problem unchanged",
    [fc.array(arbStep, { maxLength: 12 })],
    ([steps]) => {
      let p = base()
      for (const s of steps) {
        const before = JSON.stringify(p)
        const r = apply(p, s)
        const legal = ProblemList.transitions[p.status].includes(target[s._tag])
        if (Either.isRight(r)) {
          expect(legal).toBe(true)
          expect(r.right.status).toBe(target[s._tag])
          p = r.right
        } else {
          expect([r.left.problemId, r.left.status, r.left.action]).toEqual([p.id, p.status, s._tag])
          if (!legal) expect(r.left.rule).toBe("illegal-transition")
          expect(JSON.stringify(p)).toBe(before)
        }
        expect(Either.isRight(ProblemList.validate([p]))).toBe(true)
      }
    }
  )

  it.prop("resolved and closed are final: every move from them is refused", [arbStep], ([s]) => {
    const resolved = right(
      ProblemList.resolve(right(ProblemList.plan(base(), { taskId: "T", at: day(0) })), { at: day(1) })
    )
    const closed = right(ProblemList.close(base(), { at: day(0), reason: "重复" }))
    for (const p of [resolved, closed]) {
      const r = apply(p, s)
      expect(Either.isLeft(r) && r.left.rule === "illegal-transition").toBe(true)
    }
  })
})

describe("ProblemList — validate and summarize", () => {
  const hierarchy = right(
    Hierarchy.make(LevelScheme.FiveLevel, [
      Unit.make({ id: "d", parentId: null, level: "district", name: "区" }),
      Unit.make({ id: "s", parentId: "d", level: "street", name: "街道" }),
      Unit.make({ id: "xx", parentId: "s", level: "community", name: "××社区" })
    ])
  )

  it("reports every violation: duplicate id, unknown category, unknown unit, incomplete status fields", () => {
    const bad: ProblemList.Problem = { ...base("P2"), categoryId: ProblemList.ProblemCategoryId.make("nope") }
    const ghost: ProblemList.Problem = { ...base("P3"), unitId: Unit.UnitId.make("ghost") }
    const broken: ProblemList.Problem = { ...base("P4"), status: "closed" }
    const err = left(ProblemList.validate([base(), base(), bad, ghost, broken], { hierarchy }))
    expect(err.violations.map((v) => [v.problemId, v.rule])).toEqual([
      ["P1", "duplicate-id"],
      ["P2", "unknown-category"],
      ["P3", "unknown-unit"],
      ["P4", "status-fields"]
    ])
    expect(err.violations[3]?.message).toContain("closedAt, closedReason")
  })

  it("a valid list comes back sorted by id", () => {
    expect(right(ProblemList.validate([base("b"), base("a")], { hierarchy })).map((p) => p.id)).toEqual([
      "a",
      "b"
    ])
  })

  it("条目式分类梳理: counts by category and status, five rows even when empty, unknown categories last", () => {
    const planned = right(ProblemList.plan(base("P2"), { taskId: "T", at: day(1) }))
    const other: ProblemList.Problem = {
      ...base("P3"),
      categoryId: ProblemList.ProblemCategoryId.make("parking")
    }
    const rows = ProblemList.summarize([base("P1"), planned, other])
    expect(rows.map((r) => [r.name, r.counts.open, r.counts.planned, r.total])).toEqual([
      ["物业管理", 1, 1, 2],
      ["环境整治", 0, 0, 0],
      ["文化娱乐", 0, 0, 0],
      ["养老服务", 0, 0, 0],
      ["儿童关爱", 0, 0, 0],
      ["parking", 1, 0, 1]
    ])
  })
})

describe("ProblemList — a problem's grid belongs to its community", () => {
  // 区 d → 街道 s → 社区 c1 (小区 c1-b1, c1-b2), 社区 c2 (小区 c2-b1)
  const hierarchy = right(
    Hierarchy.make(LevelScheme.FiveLevel, [
      Unit.make({ id: "d", parentId: null, level: "district", name: "区" }),
      Unit.make({ id: "s", parentId: "d", level: "street", name: "街道" }),
      Unit.make({ id: "c1", parentId: "s", level: "community", name: "一社区" }),
      Unit.make({ id: "c2", parentId: "s", level: "community", name: "二社区" }),
      Unit.make({ id: "c1-b1", parentId: "c1", level: "compound", name: "一小区" }),
      Unit.make({ id: "c1-b2", parentId: "c1", level: "compound", name: "二小区" }),
      Unit.make({ id: "c2-b1", parentId: "c2", level: "compound", name: "三小区" })
    ])
  )
  const grids: ReadonlyArray<ProblemList.GridOfProblem> = [
    { id: GridId.make("g1"), communityId: Unit.UnitId.make("c1") },
    { id: GridId.make("g2"), communityId: Unit.UnitId.make("c2") }
  ]
  const at = (id: string, unitId: string, gridId?: string): ProblemList.Problem => {
    const { gridId: _gridId, ...rest } = base(id)
    const p: ProblemList.Problem = { ...rest, unitId: Unit.UnitId.make(unitId) }
    return gridId === undefined ? p : { ...p, gridId: GridId.make(gridId) }
  }

  it("a grid of another community is refused (grid-community), naming the problem, grid, community and unit", () => {
    const err = left(
      ProblemList.validate([at("P1", "c1-b1", "g1"), at("P2", "c1-b2", "g2")], { hierarchy, grids })
    )
    expect(err.violations.map((v) => [v.problemId, v.rule])).toEqual([["P2", "grid-community"]])
    const message = err.violations[0]?.message ?? ""
    for (const part of ["网格不属于问题所在社区", '"P2"', '"g2"', '"c2"', '"c1-b2"', "rule grid-community"]) {
      expect(message).toContain(part)
    }
  })

  it("a grid the given grids do not hold is refused (unknown-grid); without grids nothing is checked", () => {
    const ghost = at("P1", "c1-b1", "g9")
    const err = left(ProblemList.validate([ghost], { hierarchy, grids }))
    expect(err.violations.map((v) => [v.rule, v.message])).toEqual([
      ["unknown-grid", expect.stringContaining('unknown grid "g9" (rule unknown-grid)')]
    ])
    expect(Either.isRight(ProblemList.validate([ghost, at("P2", "c1-b1", "g2")], { hierarchy }))).toBe(true)
  })

  it.prop(
    "refused with grid-community exactly when the unit does not lie within the grid's community",
    [fc.constantFrom("c1", "c2", "c1-b1", "c1-b2", "c2-b1", "s"), fc.constantFrom("g1", "g2"), fc.boolean()],
    ([unitId, gridId, withGrid]) => {
      const p = at("P", unitId, withGrid ? gridId : undefined)
      const community = gridId === "g1" ? "c1" : "c2"
      const inside = unitId === community || unitId.startsWith(`${community}-`)
      const out = ProblemList.validate([p], { hierarchy, grids })
      expect(Either.isLeft(out)).toBe(withGrid && !inside)
      if (Either.isLeft(out)) expect(out.left.violations.map((v) => v.rule)).toEqual(["grid-community"])
    }
  )
})

describe("ProblemList — bounded, control-free text (Text)", () => {
  const decode = Schema.decodeUnknownEither(ProblemList.Problem)
  const encoded = (p: ProblemList.Problem) => Schema.encodeSync(ProblemList.Problem)(p)
  const issue = (fields: Record<string, unknown>): string => {
    const out = decode({ ...encoded(base()), ...fields })
    return Either.isLeft(out) ? out.left.message : ""
  }

  it("a description holds at most Text.limits.description characters", () => {
    expect(Either.isRight(decode({ ...encoded(base()), description: "述".repeat(4000) }))).toBe(true)
    expect(issue({ description: "述".repeat(4001) })).toContain("rule max-length")
  })

  it.prop(
    "a control character (NUL, ESC, DEL, C1) in any text field is refused with rule no-control-characters",
    [
      fc.constantFrom("description", "id", "unitId", "categoryId", "resolution"),
      fc.constantFrom("\u0000", "\u0007", "\u001b", "\u007f", "\u009b")
    ],
    ([field, control]) => {
      expect(issue({ [field]: `小区${control}电瓶车` })).toContain("rule no-control-characters")
    }
  )

  it("a case id, a source note and a closing reason are bounded too", () => {
    expect(issue({ caseIds: ["c".repeat(129)] })).toContain("rule max-length")
    expect(issue({ source: { _tag: "Other", note: "注".repeat(2001) } })).toContain("rule max-length")
    expect(issue({ source: { _tag: "PlatformCase", caseId: "c\u0000" } })).toContain(
      "rule no-control-characters"
    )
    expect(issue({ status: "closed", closedAt: "2024-03-02T00:00:00.000Z", closedReason: "  " })).not.toBe("")
  })

  it("an impossible date (2025-02-30) is refused with rule valid-date, not read as 2 March", () => {
    expect(issue({ reportedAt: "2025-02-30T08:00:00Z" })).toContain("rule valid-date")
    expect(issue({ reportedAt: "2024-02-29T08:00:00Z" })).toBe("")
  })
})
