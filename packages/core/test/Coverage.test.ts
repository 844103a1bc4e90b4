import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import type { Building } from "../src/Building.js"
import * as Coverage from "../src/Coverage.js"
import { type Grid, GridId, type GridKind, type MicroGrid, MicroGridId } from "../src/Grid.js"
import { UnitId } from "../src/Unit.js"

// -----------------------------------------------------------------------------
// helpers
// -----------------------------------------------------------------------------

const trusted = { disableValidation: true }
const uid = (id: string): UnitId => UnitId.make(id, trusted)
const gid = (id: string): GridId => GridId.make(id, trusted)

const building = (id: string, communityId: string, households = 24): Building => ({
  id: uid(id),
  name: `${id}号楼`,
  communityId: uid(communityId),
  households
})

const grid = (
  id: string,
  communityId: string,
  buildingIds: ReadonlyArray<string>,
  kind: GridKind = "basic",
  microGrids?: ReadonlyArray<MicroGrid>
): Grid => {
  const base: Grid = {
    id: gid(id),
    name: `网格${id}`,
    kind,
    communityId: uid(communityId),
    buildingIds: buildingIds.map(uid)
  }
  return microGrids === undefined ? base : { ...base, microGrids }
}

const micro = (id: string, buildingIds: ReadonlyArray<string>, households: number): MicroGrid => ({
  id: MicroGridId.make(id, trusted),
  name: `微网格${id}`,
  buildingIds: buildingIds.map(uid),
  households
})

/** violations as (rule, community, building, grids) tuples */
const tuples = (vs: ReadonlyArray<Coverage.CoverageViolation>) =>
  vs.map((v) => [v.rule, v.communityId, v.buildingId ?? null, v.gridIds])

/**
 * Valid coverage of 1–3 communities: each building is put into one of the
 * community's 1–4 basic grids; every community also has a dedicated grid
 * (a school 学校) listing some of its buildings, which must not count.
 * Then an injection per building: none, removal from its grid (a gap) or a
 * second listing in another (or, with one grid, the same) basic grid (an overlap).
 */
const injectedArb = fc
  .array(
    fc.record({
      grids: fc.integer({ min: 1, max: 4 }),
      buildings: fc.array(
        fc.record({
          grid: fc.nat(),
          inDedicated: fc.boolean(),
          injection: fc.constantFrom("none", "none", "none", "remove", "duplicate"),
          offset: fc.nat()
        }),
        { minLength: 1, maxLength: 15 }
      )
    }),
    { minLength: 1, maxLength: 3 }
  )
  .map((communities) => {
    const buildings: Array<Building> = []
    const grids: Array<Grid> = []
    const gaps: Array<string> = []
    const overlaps: Array<{ buildingId: string; gridIds: Array<string> }> = []
    communities.forEach((c, ci) => {
      const communityId = `社区${ci}`
      const members: Array<Array<string>> = Array.from({ length: c.grids }, () => [])
      const dedicated: Array<string> = []
      c.buildings.forEach((b, bi) => {
        const id = `${communityId}-楼${String(bi).padStart(2, "0")}`
        buildings.push(building(id, communityId))
        const own = b.grid % c.grids
        if (b.inDedicated) dedicated.push(id)
        if (b.injection === "remove") {
          gaps.push(id)
          return
        }
        members[own]?.push(id)
        if (b.injection === "duplicate") {
          const other = c.grids === 1 ? own : (own + 1 + (b.offset % (c.grids - 1))) % c.grids
          members[other]?.push(id)
          overlaps.push({
            buildingId: id,
            gridIds: [`${communityId}-g${own}`, `${communityId}-g${other}`].sort()
          })
        }
      })
      members.forEach((ids, g) => {
        grids.push(grid(`${communityId}-g${g}`, communityId, ids))
      })
      grids.push(grid(`${communityId}-学校`, communityId, dedicated, "dedicated"))
    })
    return {
      buildings,
      grids,
      gaps: gaps.sort(),
      overlaps: overlaps.sort((a, b) => (a.buildingId < b.buildingId ? -1 : 1))
    }
  })

// -----------------------------------------------------------------------------
// coverage
// -----------------------------------------------------------------------------

describe("Coverage.check — properties", () => {
  it.prop(
    "全覆盖、无疏漏: the check finds exactly the injected gaps and overlaps, and nothing else",
    [injectedArb],
    ([{ buildings, gaps, grids, overlaps }]) => {
      const report = Coverage.check(buildings, grids)
      expect(report.communities.flatMap((c) => c.gaps)).toEqual(gaps)
      expect(report.communities.flatMap((c) => c.overlaps)).toEqual(overlaps)
      expect(report.communities.flatMap((c) => [...c.foreign, ...c.unknown])).toEqual([])
      expect(report.complete).toBe(gaps.length === 0 && overlaps.length === 0)
      for (const c of report.communities)
        expect(c.complete).toBe(c.gaps.length === 0 && c.overlaps.length === 0)
      expect(report.violations.map((v) => v.rule).sort()).toEqual(
        [...gaps.map(() => "gap"), ...overlaps.map(() => "overlap")].sort()
      )
      for (const o of overlaps) {
        const v = report.violations.find((x) => x.rule === "overlap" && x.buildingId === o.buildingId)
        expect(v?.gridIds).toEqual(o.gridIds)
      }
    }
  )

  it.prop(
    "专属网格: dedicated grids never count toward coverage — removing them changes nothing",
    [injectedArb],
    ([{ buildings, grids }]) => {
      const withDedicated = Coverage.check(buildings, grids)
      const without = Coverage.check(
        buildings,
        grids.filter((g) => g.kind === "basic")
      )
      expect(without.communities.map((c) => [c.gaps, c.overlaps, c.complete])).toEqual(
        withDedicated.communities.map((c) => [c.gaps, c.overlaps, c.complete])
      )
    }
  )

  it.prop(
    "跨社区 / 未知楼栋: foreign and unknown buildings listed by grids are found exactly",
    [
      injectedArb.chain((x) =>
        fc.record({
          base: fc.constant(x),
          foreign: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
          unknown: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 99 })), { maxLength: 4 })
        })
      )
    ],
    ([{ base, foreign, unknown }]) => {
      const grids = base.grids.map((g) => ({ ...g, buildingIds: [...g.buildingIds] }))
      const expectedForeign = new Set<string>()
      for (const [gi, bi] of foreign) {
        const g = grids[gi % grids.length]
        const b = base.buildings[bi % base.buildings.length]
        if (g === undefined || b === undefined || b.communityId === g.communityId) continue
        g.buildingIds.push(b.id)
        expectedForeign.add(`${g.id}|${b.id}|${b.communityId}`)
      }
      const expectedUnknown = new Set<string>()
      for (const [gi, n] of unknown) {
        const g = grids[gi % grids.length]
        if (g === undefined) continue
        g.buildingIds.push(uid(`未知-${n}`))
        expectedUnknown.add(`${g.id}|未知-${n}`)
      }
      const report = Coverage.check(base.buildings, grids)
      // duplicates of the same pair are listed once per listing; compare as sets
      expect(
        new Set(
          report.communities.flatMap((c) =>
            c.foreign.map((f) => `${f.gridId}|${f.buildingId}|${f.buildingCommunityId}`)
          )
        )
      ).toEqual(expectedForeign)
      expect(
        new Set(report.communities.flatMap((c) => c.unknown.map((u) => `${u.gridId}|${u.buildingId}`)))
      ).toEqual(expectedUnknown)
      // a grid's faults are reported under the grid's community
      for (const c of report.communities) {
        for (const f of c.foreign)
          expect(grids.find((g) => g.id === f.gridId)?.communityId).toBe(c.communityId)
      }
      // foreign listings never cover: gaps and overlaps are unchanged
      expect(report.communities.flatMap((c) => c.gaps)).toEqual(base.gaps)
      expect(report.communities.flatMap((c) => c.overlaps)).toEqual(base.overlaps)
      expect(report.complete).toBe(
        base.gaps.length === 0 &&
          base.overlaps.length === 0 &&
          expectedForeign.size === 0 &&
          expectedUnknown.size === 0
      )
    }
  )

  it.prop(
    "确定性: the report does not depend on the order of buildings or grids",
    [injectedArb.chain((x) => fc.tuple(fc.constant(x), fc.nat(), fc.nat()))],
    ([[{ buildings, grids }, s1, s2]]) => {
      const rotate = <A>(xs: ReadonlyArray<A>, n: number): Array<A> => {
        const k = xs.length === 0 ? 0 : n % xs.length
        return [...xs.slice(k), ...xs.slice(0, k)].reverse()
      }
      const a = Coverage.check(buildings, grids)
      const b = Coverage.check(rotate(buildings, s1), rotate(grids, s2))
      expect(b.communities).toEqual(a.communities)
      expect(tuples(b.violations)).toEqual(tuples(a.violations))
    }
  )
})

describe("Coverage.check — examples", () => {
  const buildings = [
    building("1号楼", "金星社区"),
    building("2号楼", "金星社区"),
    building("3号楼", "金星社区"),
    building("4号楼", "金沙社区")
  ]

  it("a community whose buildings lie each in one basic grid is complete", () => {
    const grids = [
      grid("金星-1", "金星社区", ["1号楼", "2号楼"]),
      grid("金星-2", "金星社区", ["3号楼"]),
      grid("金沙-1", "金沙社区", ["4号楼"])
    ]
    const report = Coverage.check(buildings, grids)
    expect(report.complete).toBe(true)
    expect(report.violations).toEqual([])
    expect(report.communities.map((c) => [c.communityId, c.buildings, c.basicGrids, c.complete])).toEqual([
      ["金星社区", 3, 2, true],
      ["金沙社区", 1, 1, true]
    ])
    expect(Coverage.validate(buildings, grids)).toEqual(Either.right(report))
  })

  it("疏漏, 重叠, 跨社区, 未知: every violation is reported, naming grid, building and rule", () => {
    const grids = [
      grid("金星-1", "金星社区", ["1号楼", "2号楼", "4号楼"]),
      grid("金星-2", "金星社区", ["2号楼", "9号楼"]),
      grid("金星-学校", "金星社区", ["3号楼"], "dedicated"),
      grid("金沙-1", "金沙社区", ["4号楼"])
    ]
    const report = Coverage.check(buildings, grids)
    expect(report.complete).toBe(false)
    expect(tuples(report.violations)).toEqual([
      ["gap", "金星社区", "3号楼", []],
      ["overlap", "金星社区", "2号楼", ["金星-1", "金星-2"]],
      ["foreign-building", "金星社区", "4号楼", ["金星-1"]],
      ["unknown-building", "金星社区", "9号楼", ["金星-2"]]
    ])
    expect(report.violations.map((v) => v._tag)).toEqual(Array(4).fill("CoverageViolation"))
    expect(report.violations[0]?.message).toContain("疏漏")
    expect(report.violations[2]?.buildingCommunityId).toBe("金沙社区")
    expect(report.communities.find((c) => c.communityId === "金沙社区")?.complete).toBe(true)
    const validated = Coverage.validate(buildings, grids)
    expect(Either.isLeft(validated) && validated.left.length).toBe(4)
    // the report is plain data: it encodes to JSON and decodes back
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(Coverage.CoverageReport)(report)))
    expect(json.violations[1]).toEqual({
      _tag: "CoverageViolation",
      rule: "overlap",
      communityId: "金星社区",
      buildingId: "2号楼",
      gridIds: ["金星-1", "金星-2"]
    })
    const decoded = Schema.decodeUnknownSync(Coverage.CoverageReport)(json)
    expect(tuples(decoded.violations)).toEqual(tuples(report.violations))
    expect(decoded.communities).toEqual(report.communities)
  })

  it("a grid listing the same building twice is an overlap of that grid with itself", () => {
    const report = Coverage.check([building("1号楼", "c")], [grid("g", "c", ["1号楼", "1号楼"])])
    expect(report.communities[0]?.overlaps).toEqual([{ buildingId: "1号楼", gridIds: ["g", "g"] }])
  })

  it("duplicate building and grid ids are reported", () => {
    const report = Coverage.check(
      [building("1号楼", "c"), building("1号楼", "c")],
      [grid("g", "c", ["1号楼"]), grid("g", "c", [])]
    )
    expect(tuples(report.violations)).toEqual([
      ["duplicate-building-id", "c", "1号楼", []],
      ["duplicate-grid-id", "c", null, ["g"]]
    ])
  })

  it("a community with grids but no buildings still appears; a community with buildings but no grid has only gaps", () => {
    const report = Coverage.check([building("1号楼", "a")], [grid("g", "b", [])])
    expect(report.communities.map((c) => [c.communityId, c.gaps, c.complete])).toEqual([
      ["a", ["1号楼"], false],
      ["b", [], true]
    ])
  })
})

// -----------------------------------------------------------------------------
// size
// -----------------------------------------------------------------------------

describe("Coverage.checkSize", () => {
  it("网格规模: the default bounds are 200–300 households; 160–255 is the exported alternative", () => {
    expect(Coverage.defaultBounds).toEqual({ min: 200, max: 300 })
    expect(Coverage.compactBounds).toEqual({ min: 160, max: 255 })
    expect(Coverage.defaultMicroGridBounds).toEqual({ min: 5, max: 15 })
    const decode = Schema.decodeUnknownEither(Coverage.GridSizeBounds)
    expect(Either.isRight(decode({ min: 200, max: 300 }))).toBe(true)
    expect(Either.isLeft(decode({ min: 300, max: 200 }))).toBe(true)
    expect(Either.isLeft(decode({ min: -1, max: 200 }))).toBe(true)
    expect(Either.isLeft(decode({ min: 0, max: 0 }))).toBe(true)
  })

  it.prop(
    "网格规模: exactly the basic grids outside the bounds are flagged, naming grid, total and bound",
    [
      fc.record({
        bounds: fc
          .tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 150 }))
          .map(([min, w]) => ({ min, max: min + w })),
        grids: fc.array(
          fc.record({
            households: fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 6 }),
            kind: fc.constantFrom<GridKind>("basic", "basic", "dedicated")
          }),
          { minLength: 1, maxLength: 8 }
        )
      })
    ],
    ([{ bounds, grids: specs }]) => {
      const buildings: Array<Building> = []
      const grids = specs.map((s, gi) => {
        const ids = s.households.map((h, bi) => {
          buildings.push(building(`g${gi}-b${bi}`, "c", h))
          return `g${gi}-b${bi}`
        })
        return grid(`g${gi}`, "c", ids, s.kind)
      })
      const report = Coverage.checkSize(grids, buildings, bounds)
      const expected = specs.flatMap((s, gi) => {
        const total = s.households.reduce((a, b) => a + b, 0)
        if (s.kind !== "basic") return []
        if (total < bounds.min) return [["below-min", `g${gi}`, total, bounds.min]]
        if (total > bounds.max) return [["above-max", `g${gi}`, total, bounds.max]]
        return []
      })
      const got = report.violations.map((v) => [v.rule, v.gridId, v.households, v.bound])
      expect(got.sort()).toEqual(expected.sort())
      expect(report.withinBounds).toBe(expected.length === 0)
      for (const g of report.grids) {
        if (g.kind === "dedicated") expect(g.status).toBe("exempt")
      }
    }
  )

  it("the 160–255 alternative flags a 270-household grid the default accepts", () => {
    const buildings = [building("a", "c", 150), building("b", "c", 120)]
    const grids = [grid("g", "c", ["a", "b"])]
    expect(Coverage.checkSize(grids, buildings).withinBounds).toBe(true)
    const compact = Coverage.checkSize(grids, buildings, Coverage.compactBounds)
    expect(compact.violations.map((v) => [v.rule, v.gridId, v.households, v.bound])).toEqual([
      ["above-max", "g", 270, 255]
    ])
    expect(compact.violations[0]?.message).toContain("户数超限")
  })

  it("a building listed twice counts once; unknown ids count zero", () => {
    const report = Coverage.checkSize([grid("g", "c", ["a", "a", "zz"])], [building("a", "c", 210)])
    expect(report.grids[0]?.households).toBe(210)
  })

  it.prop(
    "微网格: micro-grids out of bounds or using buildings outside their grid are flagged exactly",
    [
      fc.array(
        fc.record({
          households: fc.integer({ min: 0, max: 30 }),
          outside: fc.boolean()
        }),
        { maxLength: 8 }
      )
    ],
    ([specs]) => {
      const buildings = [building("a", "c", 200), building("b", "c", 100), building("x", "c", 10)]
      const micros = specs.map((s, i) => micro(`m${i}`, s.outside ? ["a", "x"] : ["a"], s.households))
      const report = Coverage.checkSize([grid("g", "c", ["a", "b"], "basic", micros)], buildings)
      const expected = specs.flatMap((s, i) => [
        ...(s.outside ? [["micro-grid-outside-grid", `m${i}`, "x"]] : []),
        ...(s.households < 5 ? [["micro-grid-below-min", `m${i}`, null]] : []),
        ...(s.households > 15 ? [["micro-grid-above-max", `m${i}`, null]] : [])
      ])
      const sum = specs.reduce((a, s) => a + s.households, 0)
      const got = report.violations.map((v) => [v.rule, v.microGridId ?? null, v.buildingId ?? null])
      expect(got.filter((v) => v[0] !== "micro-grids-exceed-grid").sort()).toEqual(expected.sort())
      expect(got.some((v) => v[0] === "micro-grids-exceed-grid")).toBe(sum > 300)
      expect(report.grids[0]?.microGrids.map((m) => m.outsideBuildingIds)).toEqual(
        specs
          .map((s, i) => ({ s, id: `m${i}` }))
          .sort((p, q) => (p.id < q.id ? -1 : 1))
          .map(({ s }) => (s.outside ? ["x"] : []))
      )
    }
  )

  it("微网格: seed 003's ten-household micro-grids pass; the bounds are configuration", () => {
    const buildings = [building("1号楼", "东北社区", 30), building("2号楼", "东北社区", 200)]
    const micros = [micro("m1", ["1号楼"], 10), micro("m2", ["1号楼"], 10), micro("m3", ["1号楼"], 10)]
    const grids = [grid("第一网格", "东北社区", ["1号楼", "2号楼"], "basic", micros)]
    expect(Coverage.checkSize(grids, buildings).violations).toEqual([])
    const strict = Coverage.checkSize(grids, buildings, Coverage.defaultBounds, { min: 12, max: 20 })
    expect(strict.violations.map((v) => [v.rule, v.microGridId, v.households, v.bound])).toEqual([
      ["micro-grid-below-min", "m1", 10, 12],
      ["micro-grid-below-min", "m2", 10, 12],
      ["micro-grid-below-min", "m3", 10, 12]
    ])
    const result = Coverage.validateSize(grids, buildings, Coverage.defaultBounds, { min: 12, max: 20 })
    expect(Either.isLeft(result) && result.left.length).toBe(3)
  })

  it("微网格: micro-grids holding more households than their grid are flagged", () => {
    const report = Coverage.checkSize(
      [grid("g", "c", ["a"], "basic", [micro("m1", ["a"], 15), micro("m2", ["a"], 15)])],
      [building("a", "c", 20)],
      { min: 0, max: 300 }
    )
    expect(report.violations.map((v) => [v.rule, v.households, v.bound])).toEqual([
      ["micro-grids-exceed-grid", 30, 20]
    ])
  })
})
