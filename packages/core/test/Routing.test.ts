import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Actor from "../src/Actor.js"
import * as CaseCategory from "../src/CaseCategory.js"
import type * as GeoJson from "../src/GeoJson.js"
import type * as Grid from "../src/Grid.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as PointLocation from "../src/PointLocation.js"
import * as Routing from "../src/Routing.js"
import * as Unit from "../src/Unit.js"

// 示范区: 2 streets × 2 communities × 2 compounds × 2 buildings
const rows: Array<Unit.Unit> = [Unit.make({ id: "d", parentId: null, level: "district", name: "示范区" })]
for (const s of [1, 2]) {
  rows.push(Unit.make({ id: `s${s}`, parentId: "d", level: "street", name: `街道${s}` }))
  for (const c of [1, 2]) {
    rows.push(Unit.make({ id: `s${s}c${c}`, parentId: `s${s}`, level: "community", name: `社区${s}${c}` }))
    for (const x of [1, 2]) {
      rows.push(
        Unit.make({
          id: `s${s}c${c}x${x}`,
          parentId: `s${s}c${c}`,
          level: "compound",
          name: `小区${s}${c}${x}`
        })
      )
      for (const b of [1, 2]) {
        rows.push(
          Unit.make({
            id: `s${s}c${c}x${x}b${b}`,
            parentId: `s${s}c${c}x${x}`,
            level: "building",
            name: `楼${s}${c}${x}${b}`
          })
        )
      }
    }
  }
}
const hierarchy = Either.getOrThrowWith(Hierarchy.make(LevelScheme.FiveLevel, rows), (e) => e.message)
const communities = rows.filter((u) => u.level === "community")

/** one square grid per community, laid side by side along the longitude axis */
const square = (i: number): GeoJson.Polygon => ({
  type: "Polygon",
  coordinates: [
    [
      [116 + i, 39],
      [117 + i, 39],
      [117 + i, 40],
      [116 + i, 40],
      [116 + i, 39]
    ]
  ]
})
const grids: Array<Grid.Grid> = communities.map((c, i) => ({
  id: `g-${c.id}` as Grid.GridId,
  name: `网格${i + 1}`,
  kind: "basic",
  communityId: c.id,
  buildingIds: [],
  boundary: square(i)
}))
const gridIndex = PointLocation.make(grids)

const dept = (id: string) => Actor.DepartmentId.make(id)
const rule = (
  id: string,
  departmentId: string,
  categoryId?: string,
  unitId?: string
): Routing.RoutingRule => ({
  id,
  departmentId: dept(departmentId),
  ...(categoryId === undefined ? {} : { categoryId: CaseCategory.CategoryId.make(categoryId) }),
  ...(unitId === undefined ? {} : { unitId: Unit.UnitId.make(unitId) })
})

const ctx = (rules: ReadonlyArray<Routing.RoutingRule> = []): Routing.RoutingContext => ({
  hierarchy,
  catalogue: CaseCategory.Standard,
  rules,
  grids,
  gridIndex
})

const MANHOLE = "BJ-0101" // 上水井盖 — community tier, hint water-supply
const SINKHOLE = "SJ-0401" // 路面塌陷 — starts at the district
const right = <A, E>(e: Either.Either<A, E>): A => Either.getOrThrowWith(e, (x) => new Error(String(x)))

describe("Routing — location to community and tier", () => {
  it("a building routes to its community; a community-tier category is owned by that community", () => {
    const r = right(Routing.route(ctx(), { categoryId: MANHOLE, location: { unitId: "s2c1x2b1" } }))
    expect(r.communityId).toBe("s2c1")
    expect(r.tier).toBe("community")
    expect(r.ownerUnitId).toBe("s2c1")
    expect(r.departmentId).toEqual(Option.some("water-supply"))
    expect(r.departmentSource).toEqual({ _tag: "Category" })
  })

  it("a category whose rule starts above the community (突发事件 路面塌陷) is owned by the district from the start", () => {
    const r = right(Routing.route(ctx(), { categoryId: SINKHOLE, location: { unitId: "s1c2x1b2" } }))
    expect(r.communityId).toBe("s1c2")
    expect(r.tier).toBe("district")
    expect(r.ownerUnitId).toBe("d")
  })

  it("a position is located through the grid index to its grid and community", () => {
    const r = right(Routing.route(ctx(), { categoryId: MANHOLE, location: { position: [118.5, 39.5] } }))
    expect(r.gridId).toEqual(Option.some("g-s2c1"))
    expect(r.communityId).toBe("s2c1")
  })

  it("under the Refuse policy a position outside every grid is refused naming the position field", () => {
    const e = Routing.route(
      { ...ctx(), outsideGrids: { _tag: "Refuse" } },
      { categoryId: MANHOLE, location: { position: [100, 30] } }
    )
    expect(Either.isLeft(e) && e.left.field === "position" && e.left.rule === "outside-every-grid").toBe(true)
  })

  it("by default a position far from every grid (outside the drawn district) is refused", () => {
    const e = Routing.route(ctx(), { categoryId: MANHOLE, location: { position: [100, 30] } })
    expect(Either.isLeft(e) && [e.left.field, e.left.rule]).toEqual(["position", "outside-every-grid"])
  })

  it("a unit outside the given grid's community is refused as a location mismatch", () => {
    const e = Routing.route(ctx(), {
      categoryId: MANHOLE,
      location: { gridId: "g-s1c1", unitId: "s2c2x1b1" }
    })
    expect(Either.isLeft(e) && e.left.rule === "location-mismatch").toBe(true)
  })

  it("unknown categories, major classes and units are refused with the field named", () => {
    const unknown = Routing.route(ctx(), { categoryId: "XX-9999", location: { unitId: "s1c1" } })
    expect(
      Either.isLeft(unknown) &&
        unknown.left.field === "categoryId" &&
        unknown.left.rule === "unknown-category"
    ).toBe(true)
    const major = Routing.route(ctx(), { categoryId: "BJ-01", location: { unitId: "s1c1" } })
    expect(Either.isLeft(major) && major.left.rule === "not-a-minor-class").toBe(true)
    const unit = Routing.route(ctx(), { categoryId: MANHOLE, location: { unitId: "nowhere" } })
    expect(Either.isLeft(unit) && unit.left.field === "unitId" && unit.left.rule === "unknown-unit").toBe(
      true
    )
    const none = Routing.route(ctx(), { categoryId: MANHOLE, location: {} })
    expect(Either.isLeft(none) && none.left.rule === "no-location").toBe(true)
  })

  it("a street is not inside any community: routing it is refused (no-community)", () => {
    const e = Routing.route(ctx(), { categoryId: MANHOLE, location: { unitId: "s1" } })
    expect(Either.isLeft(e) && e.left.rule === "no-community").toBe(true)
  })

  it.prop(
    "every route's community contains the location, and its owner is the tier's unit above that community",
    [
      fc.constantFrom(...rows.filter((u) => u.level === "building" || u.level === "compound")),
      fc.constantFrom(MANHOLE, SINKHOLE, "SJ-0402")
    ],
    ([unit, categoryId]) => {
      const r = right(Routing.route(ctx(), { categoryId, location: { unitId: unit.id } }))
      expect(Hierarchy.isWithin(hierarchy, unit.id, r.communityId)).toBe(true)
      expect(Hierarchy.isWithin(hierarchy, r.communityId, r.ownerUnitId)).toBe(true)
      expect(Option.map(Hierarchy.get(hierarchy, r.ownerUnitId), (u) => u.level)).toEqual(Option.some(r.tier))
    }
  )
})

describe("Routing — the most specific rule wins", () => {
  it("小类 beats 大类 beats any; within a category rank the deepest jurisdiction wins", () => {
    const rules = [
      rule("any", "command-centre"),
      rule("major", "utilities", "BJ-01"),
      rule("minor", "water-supply-co", MANHOLE),
      rule("minor-street", "water-supply-s1", MANHOLE, "s1"),
      rule("minor-other-street", "water-supply-s2", MANHOLE, "s2")
    ]
    const inS1 = right(Routing.route(ctx(rules), { categoryId: MANHOLE, location: { unitId: "s1c1x1b1" } }))
    expect(inS1.departmentSource).toEqual({ _tag: "Rule", ruleId: "minor-street" })
    const other = right(Routing.route(ctx(rules), { categoryId: "BJ-0102", location: { unitId: "s1c1" } }))
    expect(other.departmentSource).toEqual({ _tag: "Rule", ruleId: "major" })
    const event = right(Routing.route(ctx(rules), { categoryId: SINKHOLE, location: { unitId: "s1c1" } }))
    expect(event.departmentSource).toEqual({ _tag: "Rule", ruleId: "any" })
  })

  const ruleArb = fc.record({
    id: fc.string({ minLength: 1, maxLength: 3 }).filter((s) => s.trim() === s && s.length > 0),
    department: fc.constantFrom("a", "b", "c"),
    category: fc.option(fc.constantFrom(MANHOLE, "BJ-01", "BJ-0102", SINKHOLE, "SJ-04"), { nil: undefined }),
    unit: fc.option(fc.constantFrom(...rows.map((u) => u.id)), { nil: undefined })
  })

  it.prop(
    "the chosen rule matches, and no matching rule is more specific (brute force over the table)",
    [
      fc.array(ruleArb, { maxLength: 12 }),
      fc.constantFrom(...rows.filter((u) => u.level === "building")),
      fc.constantFrom(MANHOLE, "BJ-0102", SINKHOLE)
    ],
    ([specs, unit, categoryId]) => {
      const rules = specs.map((s, i) => rule(`${s.id}-${i}`, s.department, s.category, s.unit))
      const minor = Option.getOrThrow(CaseCategory.getMinor(CaseCategory.Standard, categoryId))
      const rank = (r: Routing.RoutingRule): readonly [number, number] | undefined => {
        const c =
          r.categoryId === undefined
            ? 0
            : r.categoryId === minor.id
              ? 2
              : r.categoryId === minor.majorId
                ? 1
                : -1
        if (c < 0) return undefined
        if (r.unitId === undefined) return [c, -1]
        if (!Hierarchy.isWithin(hierarchy, unit.id, r.unitId)) return undefined
        return [c, Option.getOrThrow(Hierarchy.depth(hierarchy, r.unitId))]
      }
      const chosen = Routing.matchRule(hierarchy, rules, minor, unit.id)
      const matching = rules.filter((r) => rank(r) !== undefined)
      if (matching.length === 0) {
        expect(Option.isNone(chosen)).toBe(true)
        return
      }
      const c = Option.getOrThrow(chosen)
      const [cc, cs] = rank(c) ?? [-1, -1]
      for (const r of matching) {
        const [rc, rs] = rank(r) ?? [-1, -1]
        expect(rc > cc || (rc === cc && rs > cs)).toBe(false)
      }
    }
  )
})

describe("Routing — escalation targets (三级闭环)", () => {
  it("community → street → district, and nothing past the district", () => {
    expect(Routing.escalationTarget(hierarchy, "s2c2", "community")).toEqual(
      Option.some({ tier: "street", unitId: "s2" })
    )
    expect(Routing.escalationTarget(hierarchy, "s2c2", "street")).toEqual(
      Option.some({ tier: "district", unitId: "d" })
    )
    expect(Routing.escalationTarget(hierarchy, "s2c2", "district")).toEqual(Option.none())
  })
})
