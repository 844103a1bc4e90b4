/**
 * Example tests from the seed reports (DOMAIN §1):
 * - seed 004 (山东省平邑县平邑街道): 街道 → 4 个管理片区 → 27 个城市社区 → 56 个基础网格,
 *   and the four-level party structure "街道党工委、片区党委、社区党总支、网格支部";
 * - seed 000 (××社区): 以小区为单位划分为 17 个网格，建立 17 个小区党支部 — 支部建在网格上;
 *   340 名市直单位党员干部包保联系 16470 户居民.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as AreaCode from "../src/AreaCode.js"
import type * as Grid from "../src/Grid.js"
import { GridId } from "../src/Grid.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Party from "../src/PartyOrganization.js"
import * as Unit from "../src/Unit.js"

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

const grid = (id: string, communityId: string, name: string): Grid.Grid => ({
  id: GridId.make(id),
  name,
  kind: "basic",
  communityId: Unit.UnitId.make(communityId),
  buildingIds: []
})

// ---------------------------------------------------------------------------
// seed 004 — 平邑街道: 4 片区, 27 社区, 56 网格
// ---------------------------------------------------------------------------

/** 平邑县 (GB/T 2260: 371326); 平邑街道 street segment 001. */
const PINGYI_STREET = "371326001000"
/** Communities per area (7 + 7 + 7 + 6 = 27). */
const communitiesPerArea = [7, 7, 7, 6] as const
/** Two grids per community, three in the first two: 25 × 2 + 2 × 3 = 56. */
const gridsOf = (communityIndex: number): number => (communityIndex < 2 ? 3 : 2)
const communityNames = ["宗圣社区", "邑东府邸社区", "大南泉社区", "胡同社区"]

const seed004 = () => {
  const units: Array<Unit.Unit> = [
    Unit.make({ id: "pingyi", parentId: null, level: "street", name: "平邑街道", code: PINGYI_STREET })
  ]
  const grids: Array<Grid.Grid> = []
  const orgs: Array<Party.PartyOrganization> = [
    Party.makeOrg({
      id: "pingyi-dgw",
      parentId: null,
      kind: "street-working-committee",
      name: "平邑街道党工委",
      unitId: "pingyi"
    })
  ]
  let c = 0
  communitiesPerArea.forEach((count, a) => {
    const area = `area-${a + 1}`
    units.push(Unit.make({ id: area, parentId: "pingyi", level: "area", name: `第${a + 1}管理片区` }))
    orgs.push(
      Party.makeOrg({
        id: `${area}-party`,
        parentId: "pingyi-dgw",
        kind: "area-committee",
        name: `第${a + 1}片区党委`,
        unitId: area
      })
    )
    for (let k = 0; k < count; k++, c++) {
      const community = `community-${pad(c + 1)}`
      const name = communityNames[c] ?? `第${c + 1}社区`
      units.push(
        Unit.make({
          id: community,
          parentId: area,
          level: "community",
          name,
          code: `${PINGYI_STREET.slice(0, 9)}${pad(c + 1, 3)}`
        })
      )
      orgs.push(
        Party.makeOrg({
          id: `${community}-party`,
          parentId: `${area}-party`,
          kind: "community-committee",
          name: `${name}党总支`,
          unitId: community
        })
      )
      for (let g = 0; g < gridsOf(c); g++) {
        const id = `${community}-grid-${g + 1}`
        units.push(Unit.make({ id, parentId: community, level: "grid", name: `${name}第${g + 1}网格` }))
        grids.push(grid(id, community, `${name}第${g + 1}网格`))
        orgs.push(
          Party.makeOrg({
            id: `${id}-branch`,
            parentId: `${community}-party`,
            kind: "grid-branch",
            name: `${name}第${g + 1}网格支部`,
            unitId: id,
            gridId: id
          })
        )
      }
    }
  })
  return { units, grids, orgs }
}

describe("seed 004 — 平邑街道: 街道—片区—社区—网格", () => {
  const { grids, orgs, units } = seed004()
  const h = Either.getOrThrow(Hierarchy.make(LevelScheme.StreetAreaCommunityGrid, units))

  it("one street, 4 areas 片区, 27 communities, 56 base grids form a valid hierarchy", () => {
    expect(Hierarchy.size(h)).toBe(1 + 4 + 27 + 56)
    expect(Hierarchy.root(h).name).toBe("平邑街道")
    expect(Hierarchy.unitsAtLevel(h, "area")).toHaveLength(4)
    expect(Hierarchy.unitsAtLevel(h, "community")).toHaveLength(27)
    expect(Hierarchy.unitsAtLevel(h, "grid")).toHaveLength(56)
  })

  it("rollup: grids and communities per area add up to the street's 56 and 27 (全覆盖)", () => {
    const gridCount = Hierarchy.rollupNumbers(h, (u) => (u.level === "grid" ? 1 : 0))
    const communityCount = Hierarchy.rollupNumbers(h, (u) => (u.level === "community" ? 1 : 0))
    expect(gridCount.root).toBe(56)
    expect(communityCount.root).toBe(27)
    const areas = Hierarchy.unitsAtLevel(h, "area").map((a) => a.id)
    expect(areas.map((a) => Option.getOrThrow(communityCount.get(a)))).toEqual([7, 7, 7, 6])
    expect(areas.map((a) => Option.getOrThrow(gridCount.get(a)))).toEqual([16, 14, 14, 12])
  })

  it("辖区: every grid lies within the street and within exactly one area", () => {
    const areas = Hierarchy.unitsAtLevel(h, "area")
    for (const g of Hierarchy.unitsAtLevel(h, "grid")) {
      expect(Hierarchy.isWithin(h, g.id, "pingyi")).toBe(true)
      expect(areas.filter((a) => Hierarchy.isWithin(h, g.id, a.id))).toHaveLength(1)
      expect(Option.map(Hierarchy.depth(h, g.id), (d) => d)).toEqual(Option.some(3))
    }
    expect(
      Option.map(Hierarchy.lowestCommonAncestor(h, "community-01-grid-1", "community-07-grid-2"), (u) => u.id)
    ).toEqual(Option.some("area-1"))
    expect(
      Option.map(Hierarchy.lowestCommonAncestor(h, "community-01-grid-1", "community-27-grid-2"), (u) => u.id)
    ).toEqual(Option.some("pingyi"))
  })

  it("community codes nest in the street's 12-digit area code (371326001…)", () => {
    for (const c of Hierarchy.unitsAtLevel(h, "community")) {
      expect(c.code !== undefined && AreaCode.isWithin(c.code, AreaCode.AreaCode.make(PINGYI_STREET))).toBe(
        true
      )
    }
  })

  it("四级组织架构: 街道党工委 → 片区党委 → 社区党总支 → 网格支部, one branch on each of the 56 grids", () => {
    const tree = Either.getOrThrow(Party.make(orgs, { hierarchy: h, grids }))
    expect(Party.size(tree)).toBe(88)
    expect(Party.ofKind(tree, "area-committee")).toHaveLength(4)
    expect(Party.ofKind(tree, "community-committee")).toHaveLength(27)
    expect(Party.ofKind(tree, "grid-branch")).toHaveLength(56)
    const branches = Either.getOrThrow(Party.checkBranchesOnGrids(orgs, grids))
    expect(branches.size).toBe(56)
  })
})

// ---------------------------------------------------------------------------
// seed 000 — ××社区: 17 网格, 17 小区党支部, 16470 户
// ---------------------------------------------------------------------------

interface HouseholdUnit extends Unit.Unit {
  readonly households: number
}

const TOTAL_HOUSEHOLDS = 16470

const seed000 = () => {
  const units: Array<HouseholdUnit> = [
    { ...Unit.make({ id: "community", parentId: null, level: "community", name: "××社区" }), households: 0 }
  ]
  const grids: Array<Grid.Grid> = []
  const orgs: Array<Party.PartyOrganization> = [
    Party.makeOrg({
      id: "big-committee",
      parentId: null,
      kind: "community-committee",
      name: "社区“大党委”",
      unitId: "community"
    })
  ]
  for (let k = 1; k <= 17; k++) {
    const gridId = `grid-${pad(k)}`
    const compound = `compound-${pad(k)}`
    // 16 compounds of 969 households and one of 966: 16470 in all
    const households = k < 17 ? 969 : TOTAL_HOUSEHOLDS - 16 * 969
    units.push({
      ...Unit.make({ id: gridId, parentId: "community", level: "grid", name: `第${k}网格` }),
      households: 0
    })
    units.push({
      ...Unit.make({ id: compound, parentId: gridId, level: "compound", name: `第${k}小区` }),
      households
    })
    grids.push(grid(gridId, "community", `第${k}网格`))
    orgs.push(
      Party.makeOrg({
        id: `branch-${pad(k)}`,
        parentId: "big-committee",
        kind: "grid-branch",
        name: `第${k}小区党支部`,
        unitId: compound,
        gridId
      })
    )
  }
  return { units, grids, orgs }
}

describe("seed 000 — ××社区: 以小区为单位划分 17 个网格, 建立 17 个小区党支部", () => {
  const { grids, orgs, units } = seed000()
  const h = Either.getOrThrow(Hierarchy.make(LevelScheme.SixLevel, units))

  it("the community, its 17 grids and 17 compounds form a valid six-level subtree", () => {
    expect(Hierarchy.size(h)).toBe(35)
    expect(Hierarchy.unitsAtLevel(h, "grid")).toHaveLength(17)
    expect(Hierarchy.unitsAtLevel(h, "compound")).toHaveLength(17)
  })

  it("rollup keeps the units' own fields: 16470 households add up at the community", () => {
    const totals = Hierarchy.rollupNumbers(h, (u) => u.households)
    expect(totals.root).toBe(TOTAL_HOUSEHOLDS)
    expect(Option.getOrThrow(totals.get("grid-01"))).toBe(969)
  })

  it("the party tree (大党委 → 17 小区党支部) is valid against the hierarchy and grids", () => {
    const tree = Either.getOrThrow(Party.make(orgs, { hierarchy: h, grids }))
    expect(Party.ofKind(tree, "grid-branch")).toHaveLength(17)
  })

  it("支部建在网格上: each of the 17 grids has its branch", () => {
    const branches = Either.getOrThrow(Party.checkBranchesOnGrids(orgs, grids))
    expect(branches.size).toBe(17)
    expect(branches.get(GridId.make("grid-05"))).toBe("branch-05")
  })

  it("支部建在网格上: removing one branch is reported on its grid", () => {
    const without = orgs.filter((o) => o.id !== "branch-09")
    const err = Either.getOrThrow(Either.flip(Party.checkBranchesOnGrids(without, grids)))
    expect(err.violations.map((v) => [v.rule, v.gridId])).toEqual([["grid-without-branch", "grid-09"]])
    expect(err.message).toContain("网格未建支部")
  })

  it("支部建在网格上: a second branch on one grid is reported with both branches", () => {
    const extra = Party.makeOrg({
      id: "branch-09b",
      parentId: "big-committee",
      kind: "grid-branch",
      name: "第9小区第二党支部",
      unitId: "compound-09",
      gridId: "grid-09"
    })
    const err = Either.getOrThrow(Either.flip(Party.checkBranchesOnGrids([...orgs, extra], grids)))
    expect(err.violations.map((v) => [v.rule, v.gridId, v.branchIds])).toEqual([
      ["grid-with-several-branches", "grid-09", ["branch-09", "branch-09b"]]
    ])
  })
})
