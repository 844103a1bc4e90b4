import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as ResourceList from "../src/ResourceList.js"
import * as Unit from "../src/Unit.js"

const u = Unit.make
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

const rows: ReadonlyArray<Unit.Unit> = [
  u({ id: "district", parentId: null, level: "district", name: "某区" }),
  u({ id: "street-a", parentId: "district", level: "street", name: "甲街道" }),
  u({ id: "street-b", parentId: "district", level: "street", name: "乙街道" }),
  u({ id: "xx", parentId: "street-a", level: "community", name: "××社区" }),
  u({ id: "yy", parentId: "street-a", level: "community", name: "邻近社区" }),
  u({ id: "zz", parentId: "street-b", level: "community", name: "乙街道社区" }),
  u({ id: "city-1", parentId: "xx", level: "compound", name: "××城一期" }),
  u({ id: "city-1-b1", parentId: "city-1", level: "building", name: "一期1栋" }),
  u({ id: "zz-b1", parentId: "zz", level: "building", name: "乙社区1栋" })
]
const hierarchy = right(Hierarchy.make(LevelScheme.FiveLevel, rows))

const shancheng = ResourceList.make({
  id: "R-shancheng",
  name: "山城社工服务中心",
  kind: "service",
  tags: ["助老", "心理咨询", "助老"],
  scope: ["street-a", "zz", "street-a"],
  capacity: 5,
  provider: { kind: "social-organization", name: "××山城社工服务中心" }
})

const partyMember = (id: string, cls: "core" | "ordinary" | "mobile" | "elderly") =>
  ResourceList.make({
    id,
    name: `党员 ${id}`,
    kind: "skill",
    tags: ["维修"],
    scope: ["city-1"],
    capacity: 1,
    provider: { kind: "party-member", name: `党员${id}`, partyMemberClass: cls }
  })

describe("ResourceList", () => {
  it("make dedupes and sorts tags and scope", () => {
    expect(shancheng.tags).toEqual(["助老", "心理咨询"].sort())
    expect(shancheng.scope).toEqual(["street-a", "zz"])
    expect(ResourceList.offers(shancheng, "助老")).toBe(true)
    expect(ResourceList.offers(shancheng, "维修")).toBe(false)
  })

  it("服务范围: a resource serves every unit within one of its scope units, and nothing else", () => {
    expect(ResourceList.serves(hierarchy, shancheng, "street-a")).toBe(true)
    expect(ResourceList.serves(hierarchy, shancheng, "city-1-b1")).toBe(true)
    expect(ResourceList.serves(hierarchy, shancheng, "zz-b1")).toBe(true)
    expect(ResourceList.serves(hierarchy, shancheng, "street-b")).toBe(false)
    expect(ResourceList.serves(hierarchy, shancheng, "district")).toBe(false)
    expect(ResourceList.serves(hierarchy, shancheng, "unknown")).toBe(false)
  })

  it("scopeDepthFor gives the deepest scope unit that covers the unit", () => {
    const both = ResourceList.make({ ...shancheng, id: "R2", scope: ["district", "xx"] })
    expect(ResourceList.scopeDepthFor(hierarchy, both, "city-1-b1")).toEqual(Option.some(2))
    expect(ResourceList.scopeDepthFor(hierarchy, both, "zz-b1")).toEqual(Option.some(0))
    expect(ResourceList.scopeDepthFor(hierarchy, shancheng, "district")).toEqual(Option.none())
  })

  it("availability: no window is always available; a window must overlap the interval (ends included)", () => {
    expect(ResourceList.isAvailable(shancheng, day(0), day(1))).toBe(true)
    const w = ResourceList.make({ ...shancheng, id: "R3", availability: { from: day(10), to: day(20) } })
    expect(ResourceList.isAvailable(w, day(0), day(9))).toBe(false)
    expect(ResourceList.isAvailable(w, day(0), day(10))).toBe(true)
    expect(ResourceList.isAvailable(w, day(20), day(30))).toBe(true)
    expect(ResourceList.isAvailable(w, day(21), day(30))).toBe(false)
  })

  it("党员分为骨干、一般、流动、老年4大类: party-member resources grouped by class, in id order", () => {
    const groups = ResourceList.partyMembersByClass([
      partyMember("m3", "core"),
      partyMember("m1", "core"),
      partyMember("m2", "elderly"),
      shancheng
    ])
    expect(groups.core.map((r) => r.id)).toEqual(["m1", "m3"])
    expect(groups.ordinary).toEqual([])
    expect(groups.mobile).toEqual([])
    expect(groups.elderly.map((r) => r.id)).toEqual(["m2"])
  })

  it("validate reports every violation: duplicate id, no tags, empty scope, unknown scope unit, window order", () => {
    const err = left(
      ResourceList.validate(
        [
          shancheng,
          shancheng,
          ResourceList.make({ ...shancheng, id: "R-empty", tags: [], scope: [] }),
          ResourceList.make({ ...shancheng, id: "R-ghost", scope: ["ghost", "xx"] }),
          ResourceList.make({ ...shancheng, id: "R-window", availability: { from: day(5), to: day(1) } })
        ],
        { hierarchy }
      )
    )
    expect(err.violations.map((v) => [v.resourceId, v.rule, v.unitIds])).toEqual([
      ["R-empty", "empty-scope", []],
      ["R-empty", "no-tags", []],
      ["R-ghost", "unknown-scope-unit", ["ghost"]],
      ["R-shancheng", "duplicate-id", []],
      ["R-window", "availability-order", []]
    ])
  })

  it("a valid list comes back sorted by id; the schema decodes a ledger row", () => {
    expect(right(ResourceList.validate([shancheng, partyMember("m1", "mobile")])).map((r) => r.id)).toEqual([
      "R-shancheng",
      "m1"
    ])
    const row = {
      id: "R-venue",
      name: "社区党群服务中心用房",
      kind: "venue",
      tags: ["场地"],
      scope: ["xx"],
      capacity: 4,
      provider: { kind: "party-member", name: "王某", partyMemberClass: "elderly" },
      availability: { from: "2024-03-01T00:00:00Z", to: "2024-06-30T00:00:00Z" },
      description: "近1000平方米用房"
    }
    const decode = Schema.decodeUnknownEither(ResourceList.Resource)
    const decoded = right(decode(row))
    expect(decoded.provider.kind === "party-member" && decoded.provider.partyMemberClass).toBe("elderly")
    expect(ResourceList.kindNames[decoded.kind]).toBe("场地")
    expect(Either.isLeft(decode({ ...row, provider: { kind: "party-member", name: "x" } }))).toBe(true)
  })

  it.prop(
    "serves ⇔ one of the scope units is the unit or an ancestor of it (path check)",
    [
      fc.subarray(
        rows.map((r) => r.id as string),
        { minLength: 0, maxLength: 3 }
      ),
      fc.constantFrom(...rows.map((r) => r.id as string))
    ],
    ([scope, unitId]) => {
      const r = ResourceList.make({ ...shancheng, id: "R", scope })
      const path = Option.getOrElse(Hierarchy.path(hierarchy, unitId), () => []).map((x) => x.id as string)
      expect(ResourceList.serves(hierarchy, r, unitId)).toBe(scope.some((s) => path.includes(s)))
      expect(Option.isSome(ResourceList.scopeDepthFor(hierarchy, r, unitId))).toBe(
        ResourceList.serves(hierarchy, r, unitId)
      )
    }
  )
})
