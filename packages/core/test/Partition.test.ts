import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import type { Building } from "../src/Building.js"
import * as Coverage from "../src/Coverage.js"
import * as GridCode from "../src/GridCode.js"
import * as Partition from "../src/Partition.js"
import { UnitId } from "../src/Unit.js"

// -----------------------------------------------------------------------------
// helpers
// -----------------------------------------------------------------------------

const trusted = { disableValidation: true }
const uid = (id: string): UnitId => UnitId.make(id, trusted)

const building = (id: string, households: number, compoundId?: string, communityId = "c1"): Building => {
  const base: Building = { id: uid(id), name: `${id}号楼`, communityId: uid(communityId), households }
  return compoundId === undefined ? base : { ...base, compoundId: uid(compoundId) }
}

const proposeOk = (
  buildings: ReadonlyArray<Building>,
  options?: Partition.ProposeOptions
): Partition.Proposal => {
  return Either.getOrThrowWith(
    Partition.propose(buildings, options),
    (errors) => new Error(errors.map((e) => e.message).join("; "))
  )
}

const idsOf = (p: Partition.Proposal): Array<string> => p.grids.flatMap((g) => g.buildingIds).sort()

const total = (buildings: ReadonlyArray<Building>): number => buildings.reduce((n, b) => n + b.households, 0)

/** a proposal as plain data (issues with their messages), for equality across runs */
const plain = (p: Partition.Proposal) => ({
  ...p,
  issues: p.issues.map((i) => ({ ...i, message: i.message }))
})

/** splits `total` into parts at the given cut points (parts may be 0) */
const splitAt = (amount: number, cuts: ReadonlyArray<number>): Array<number> => {
  const points = [0, ...cuts.map((c) => c % (amount + 1)).sort((a, b) => a - b), amount]
  return points.slice(1).map((p, i) => p - (points[i] ?? 0))
}

const boundsArb: fc.Arbitrary<Coverage.GridSizeBounds> = fc
  .tuple(fc.integer({ min: 40, max: 250 }), fc.integer({ min: 0, max: 120 }))
  .map(([min, width]) => ({ min, max: min + width }))

/** ids in random order relative to the generation order, so ids carry no hint of the planted groups */
const withIds = (
  specs: ReadonlyArray<{ readonly households: number; readonly compoundId: string | undefined }>,
  keys: ReadonlyArray<number>
): Array<Building> =>
  specs.map((s, i) => building(`b${String(keys[i] ?? i).padStart(5, "0")}-${i}`, s.households, s.compoundId))

/**
 * A community with a known partition within the bounds: up to 7 planted grids,
 * each with a total within the bounds cut into 1–6 buildings (some with 0
 * households), compounds assigned at random (they may span planted grids).
 */
const feasibleArb = boundsArb.chain((bounds) =>
  fc
    .record({
      groups: fc.array(
        fc.record({
          amount: fc.integer({ min: bounds.min, max: bounds.max }),
          cuts: fc.array(fc.nat(), { maxLength: 5 })
        }),
        { minLength: 1, maxLength: 7 }
      ),
      compounds: fc.array(fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), {
        minLength: 42,
        maxLength: 42
      }),
      keys: fc.array(fc.nat(99_999), { minLength: 42, maxLength: 42 })
    })
    .map(({ compounds, groups, keys }) => {
      const households = groups.flatMap((g) => splitAt(g.amount, g.cuts))
      const specs = households.map((h, i) => {
        const c = compounds[i]
        return { households: h, compoundId: c === undefined ? undefined : `k${c}` }
      })
      return { bounds, buildings: withIds(specs, keys) }
    })
)

/**
 * A community with a known partition that keeps every compound whole: each
 * planted grid (total within the bounds) is cut into 1–3 compounds, each
 * compound into 1–4 buildings; a few planted grids also hold a building
 * without a compound.
 */
const compoundFeasibleArb = boundsArb.chain((bounds) =>
  fc
    .record({
      groups: fc.array(
        fc.record({
          amount: fc.integer({ min: bounds.min, max: bounds.max }),
          compoundCuts: fc.array(fc.nat(), { maxLength: 2 }),
          buildingCuts: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 3, maxLength: 3 }),
          loose: fc.boolean()
        }),
        { minLength: 1, maxLength: 6 }
      ),
      keys: fc.array(fc.nat(99_999), { minLength: 60, maxLength: 60 })
    })
    .map(({ groups, keys }) => {
      const specs: Array<{ households: number; compoundId: string | undefined }> = []
      let compound = 0
      for (const g of groups) {
        const parts = splitAt(g.amount, g.compoundCuts)
        parts.forEach((part, j) => {
          const looseBuilding = g.loose && j === 0
          if (looseBuilding) {
            specs.push({ households: part, compoundId: undefined })
            return
          }
          const id = `k${compound++}`
          for (const h of splitAt(part, g.buildingCuts[j] ?? []))
            specs.push({ households: h, compoundId: id })
        })
      }
      return { bounds, buildings: withIds(specs, keys) }
    })
)

/** Any community: households 0–400 (some above any max), any bounds, any compounds. */
const anyArb = fc.record({
  bounds: boundsArb,
  buildings: fc
    .array(
      fc.record({
        households: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 400 })),
        compound: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined })
      }),
      { minLength: 1, maxLength: 40 }
    )
    .map((rows) =>
      rows.map((r, i) =>
        building(
          `b${String(i).padStart(3, "0")}`,
          r.households,
          r.compound === undefined ? undefined : `k${r.compound}`
        )
      )
    )
})

const shuffleArb = <A>(items: ReadonlyArray<A>): fc.Arbitrary<Array<A>> =>
  fc.array(fc.double({ noNaN: true }), { minLength: items.length, maxLength: items.length }).map((keys) =>
    items
      .map((item, i) => ({ item, key: keys[i] ?? 0 }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.item)
  )

// -----------------------------------------------------------------------------
// properties
// -----------------------------------------------------------------------------

describe("Partition.propose — properties", () => {
  it.prop(
    "全覆盖: the proposal lists every building exactly once (no loss, no duplicate)",
    [anyArb],
    ([{ bounds, buildings }]) => {
      const p = proposeOk(buildings, { bounds })
      expect(idsOf(p)).toEqual(buildings.map((b) => b.id).sort())
      for (const g of p.grids) {
        expect(g.households).toBe(total(buildings.filter((b) => g.buildingIds.includes(b.id))))
      }
      expect(p.totalHouseholds).toBe(total(buildings))
    },
    { fastCheck: { numRuns: 150 } }
  )

  it.prop(
    "网格规模: whenever a partition within the bounds exists, every proposed grid is within the bounds",
    [feasibleArb],
    ([{ bounds, buildings }]) => {
      const p = proposeOk(buildings, { bounds })
      expect(p.withinBounds).toBe(true)
      for (const g of p.grids) {
        expect(g.status).toBe("ok")
        expect(g.households).toBeGreaterThanOrEqual(bounds.min)
        expect(g.households).toBeLessThanOrEqual(bounds.max)
      }
      expect(p.issues.filter((i) => i.rule !== "compound-split")).toEqual([])
      expect(idsOf(p)).toEqual(buildings.map((b) => b.id).sort())
    },
    { fastCheck: { numRuns: 200 } }
  )

  it.prop(
    "网格规模: the 200–300 default and the 160–255 alternative bounds are met whenever possible",
    [
      fc.constantFrom(Coverage.defaultBounds, Coverage.compactBounds).chain((bounds) =>
        fc
          .array(
            fc.record({
              amount: fc.integer({ min: bounds.min, max: bounds.max }),
              cuts: fc.array(fc.nat(), { minLength: 2, maxLength: 7 })
            }),
            { minLength: 1, maxLength: 5 }
          )
          .map((groups) => ({
            bounds,
            buildings: groups
              .flatMap((g) => splitAt(g.amount, g.cuts))
              .map((h, i) => building(`楼${String((i * 7919) % 1000).padStart(3, "0")}-${i}`, h))
          }))
      )
    ],
    ([{ bounds, buildings }]) => {
      const p = proposeOk(buildings, { bounds })
      expect(p.withinBounds).toBe(true)
    }
  )

  it.prop(
    "确定性: the same buildings in any order give the same proposal",
    [anyArb.chain((x) => shuffleArb(x.buildings).map((shuffled) => ({ ...x, shuffled })))],
    ([{ bounds, buildings, shuffled }]) => {
      expect(plain(proposeOk(shuffled, { bounds }))).toEqual(plain(proposeOk(buildings, { bounds })))
    },
    { fastCheck: { numRuns: 100 } }
  )

  it.prop(
    "确定性: shuffling a feasible community changes nothing either",
    [feasibleArb.chain((x) => shuffleArb(x.buildings).map((shuffled) => ({ ...x, shuffled })))],
    ([{ bounds, buildings, shuffled }]) => {
      expect(plain(proposeOk(shuffled, { bounds }))).toEqual(plain(proposeOk(buildings, { bounds })))
    },
    { fastCheck: { numRuns: 100 } }
  )

  it.prop(
    "以小区为单位: no compound is split when every compound fits and a compound-respecting partition exists",
    [compoundFeasibleArb],
    ([{ bounds, buildings }]) => {
      const p = proposeOk(buildings, { bounds })
      expect(p.withinBounds).toBe(true)
      expect(p.splitCompounds).toEqual([])
      expect(p.issues).toEqual([])
      for (const g of p.grids) {
        const inGrid = buildings.filter((b) => g.buildingIds.includes(b.id))
        for (const c of g.compoundIds) {
          expect(inGrid.filter((b) => b.compoundId === c).length).toBe(
            buildings.filter((b) => b.compoundId === c).length
          )
        }
      }
    },
    { fastCheck: { numRuns: 200 } }
  )

  it.prop(
    "全覆盖、无疏漏: a proposal fed back as grids passes the coverage check, and its size check agrees",
    [fc.oneof(anyArb, feasibleArb)],
    ([{ bounds, buildings }]) => {
      const p = proposeOk(buildings, { bounds })
      const grids = Partition.toGrids(p)
      const coverage = Coverage.check(buildings, grids)
      expect(coverage.complete).toBe(true)
      expect(coverage.violations).toEqual([])
      const size = Coverage.checkSize(grids, buildings, bounds)
      expect(size.withinBounds).toBe(p.withinBounds)
      expect(size.grids.map((g) => g.households)).toEqual(p.grids.map((g) => g.households))
    },
    { fastCheck: { numRuns: 100 } }
  )

  it.prop(
    "单栋超限: a building above max sits alone in a grid flagged above-max, with an issue naming it",
    [anyArb],
    ([{ bounds, buildings }]) => {
      const p = proposeOk(buildings, { bounds })
      for (const b of buildings.filter((x) => x.households > bounds.max)) {
        const g = p.grids.find((x) => x.buildingIds.includes(b.id))
        expect(g?.buildingIds).toEqual([b.id])
        expect(g?.status).toBe("above-max")
        const issue = p.issues.find((i) => i.rule === "oversize-building" && i.buildingId === b.id)
        expect(issue?.sequences).toEqual([g?.sequence])
        expect(issue?.households).toBe(b.households)
        expect(issue?.bound).toBe(bounds.max)
      }
      expect(p.issues.filter((i) => i.rule === "oversize-building").length).toBe(
        buildings.filter((x) => x.households > bounds.max).length
      )
    }
  )

  it.prop(
    "总户数不足: buildings totalling less than min form one grid flagged below-min, never silently",
    [
      fc
        .record({
          min: fc.integer({ min: 50, max: 300 }),
          parts: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 12 })
        })
        .filter(({ min, parts }) => parts.reduce((a, b) => a + b, 0) < min)
    ],
    ([{ min, parts }]) => {
      const buildings = parts.map((h, i) => building(`b${i}`, h))
      const p = proposeOk(buildings, { bounds: { min, max: min + 100 } })
      expect(p.grids.length).toBe(1)
      expect(p.grids[0]?.status).toBe("below-min")
      expect(p.withinBounds).toBe(false)
      expect(p.issues.map((i) => [i.rule, i.households, i.bound])).toEqual([
        ["undersize-total", total(buildings), min]
      ])
    }
  )

  it.prop("issues explain every out-of-bounds grid", [anyArb], ([{ bounds, buildings }]) => {
    const p = proposeOk(buildings, { bounds })
    expect(p.withinBounds).toBe(p.grids.every((g) => g.status === "ok"))
    for (const g of p.grids.filter((x) => x.status !== "ok")) {
      expect(p.issues.some((i) => i.sequences.includes(g.sequence) && i.rule !== "compound-split")).toBe(true)
    }
    for (const c of p.splitCompounds) {
      expect(p.issues.some((i) => i.rule === "compound-split" && i.compoundId === c)).toBe(true)
    }
  })

  it.prop(
    "网格编码: with an area code every grid gets the GB/T 30428.1 code area + sequence",
    [feasibleArb],
    ([{ bounds, buildings }]) => {
      const p = proposeOk(buildings, { bounds, areaCode: "530103001002" })
      p.grids.forEach((g, i) => {
        expect(g.sequence).toBe(i + 1)
        expect(g.name).toBe(`第${i + 1}网格`)
        expect(g.code).toBe(`530103001002${String(i + 1).padStart(3, "0")}`)
        const decoded = GridCode.decode(g.code ?? "")
        expect(Either.getOrThrow(decoded)).toEqual({
          format: "GB/T 30428.1",
          area: "530103001002",
          sequence: i + 1
        })
      })
    },
    { fastCheck: { numRuns: 50 } }
  )
})

// -----------------------------------------------------------------------------
// examples
// -----------------------------------------------------------------------------

describe("Partition.propose — examples", () => {
  /**
   * A community in the style of seed 003's 东北社区 (6 grids, compounds with
   * their own party branches): seven compounds and three loose buildings, 1,600 households.
   */
  const dongbei: Array<Building> = [
    ...["01", "02", "03", "04", "05", "06"].map((n) => building(`东北-阳光-${n}`, 48, "阳光小区")),
    ...["01", "02", "03", "04"].map((n) => building(`东北-锦绣-${n}`, 60, "锦绣花园")),
    ...["01", "02", "03", "04", "05", "06", "07"].map((n) => building(`东北-新政-${n}`, 36, "新政苑")),
    ...["01", "02", "03", "04", "05"].map((n) => building(`东北-滨江-${n}`, 54, "滨江御城")),
    ...["01", "02", "03", "04", "05", "06", "07", "08"].map((n) =>
      building(`东北-金城-${n}`, 32, "金城一期")
    ),
    ...["01", "02", "03"].map((n) => building(`东北-老街-${n}`, 24)),
    ...["01", "02", "03", "04"].map((n) => building(`东北-学府-${n}`, 38, "学府小区")),
    ...["01", "02"].map((n) => building(`东北-商住-${n}`, 35, "商住楼"))
  ]

  it("a realistic community with the 200–300 default: every grid within bounds, compounds whole", () => {
    expect(total(dongbei)).toBe(1600)
    const p = proposeOk(dongbei)
    expect(p.bounds).toEqual({ min: 200, max: 300 })
    expect(p.withinBounds).toBe(true)
    expect(p.splitCompounds).toEqual([])
    expect(p.issues).toEqual([])
    expect(p.grids.length).toBeGreaterThanOrEqual(6)
    expect(p.grids.length).toBeLessThanOrEqual(7)
    expect(p.grids.map((g) => g.sequence)).toEqual(p.grids.map((_, i) => i + 1))
    // grids are numbered by their smallest building id
    const firsts = p.grids.map((g) => g.buildingIds[0] ?? "")
    expect(firsts).toEqual(firsts.slice().sort())
  })

  it("the same community with the 160–255 alternative needs more, smaller grids", () => {
    const p = proposeOk(dongbei, { bounds: Coverage.compactBounds })
    expect(p.withinBounds).toBe(true)
    expect(p.grids.length).toBeGreaterThanOrEqual(7)
    for (const g of p.grids) {
      expect(g.households).toBeGreaterThanOrEqual(160)
      expect(g.households).toBeLessThanOrEqual(255)
    }
  })

  it("小区拆分: a compound above max is split over as few grids as fit and reported as such", () => {
    // 12 buildings × 60 = 720 households: needs 3 grids of at most 300
    const big = Array.from({ length: 12 }, (_, i) => building(`b${String(i).padStart(2, "0")}`, 60, "御城"))
    const p = proposeOk(big)
    expect(p.withinBounds).toBe(true)
    expect(p.grids.map((g) => g.households)).toEqual([240, 240, 240])
    expect(p.splitCompounds).toEqual(["御城"])
    const issue = p.issues.find((i) => i.rule === "compound-split")
    expect(issue?.cause).toBe("compound-exceeds-max")
    expect(issue?.sequences).toEqual([1, 2, 3])
    expect(issue?.message).toContain("小区拆分")
  })

  it("单栋超限: a 420-household tower gets its own oversize grid; the rest is partitioned within bounds", () => {
    const buildings = [
      building("tower", 420, "华府"),
      ...Array.from({ length: 8 }, (_, i) => building(`low-${i}`, 60, "华府"))
    ]
    const p = proposeOk(buildings)
    expect(p.withinBounds).toBe(false)
    const tower = p.grids.find((g) => g.buildingIds.includes(uid("tower")))
    expect(tower?.buildingIds).toEqual(["tower"])
    expect(tower?.status).toBe("above-max")
    expect(p.grids.filter((g) => g !== tower).every((g) => g.status === "ok")).toBe(true)
    expect(p.issues.map((i) => i.rule).sort()).toEqual(["compound-split", "oversize-building"])
    expect(p.issues.find((i) => i.rule === "compound-split")?.cause).toBe("oversize-building")
  })

  it("无可行划分: buildings of 160 under 200–300 cannot be partitioned; proven, best effort flagged", () => {
    const buildings = Array.from({ length: 5 }, (_, i) => building(`b${i}`, 160))
    const p = proposeOk(buildings)
    expect(p.withinBounds).toBe(false)
    const issue = p.issues.find((i) => i.rule === "no-feasible-partition")
    expect(issue?.cause).toBe("exhaustive-search")
    expect(issue?.sequences.length).toBeGreaterThan(0)
    expect(idsOf(p)).toEqual(["b0", "b1", "b2", "b3", "b4"])
  })

  it("无可行划分: 350 households fit no number of 200–300 grids", () => {
    const p = proposeOk([building("a", 100), building("b", 120), building("c", 130)])
    expect(p.withinBounds).toBe(false)
    expect(p.issues.find((i) => i.rule === "no-feasible-partition")?.cause).toBe("no-grid-count")
    expect(p.grids.every((g) => g.status !== "ok")).toBe(true)
  })

  it("a community whose total is within bounds becomes a single grid", () => {
    const p = proposeOk([building("a", 100), building("b", 120, "x"), building("c", 0)])
    expect(p.grids.map((g) => [g.buildingIds, g.households, g.status])).toEqual([
      [["a", "b", "c"], 220, "ok"]
    ])
  })

  it("buildings without households join their compound's grid", () => {
    const buildings = [
      ...Array.from({ length: 4 }, (_, i) => building(`a${i}`, 60, "甲")),
      ...Array.from({ length: 4 }, (_, i) => building(`b${i}`, 60, "乙")),
      building("z-empty", 0, "乙")
    ]
    const p = proposeOk(buildings)
    expect(p.splitCompounds).toEqual([])
    const grid = p.grids.find((g) => g.buildingIds.includes(uid("z-empty")))
    expect(grid?.compoundIds).toEqual(["乙"])
  })

  it("code-unavailable: sequences above 999 get no GB/T 30428.1 code", () => {
    const buildings = Array.from({ length: 1001 }, (_, i) => building(`b${String(i).padStart(4, "0")}`, 1))
    const p = proposeOk(buildings, { bounds: { min: 1, max: 1 }, areaCode: "110105001001" })
    expect(p.grids.length).toBe(1001)
    expect(p.grids[998]?.code).toBe("110105001001999")
    expect(p.grids[999]?.code).toBeUndefined()
    expect(p.issues.map((i) => [i.rule, i.sequences])).toEqual([
      ["code-unavailable", [1000]],
      ["code-unavailable", [1001]]
    ])
  })

  it("toGrids: basic grids of the community with ids, names and codes", () => {
    const p = proposeOk(dongbei, { areaCode: "511324100001" })
    const grids = Partition.toGrids(p)
    expect(grids[0]).toMatchObject({
      id: "c1-grid-001",
      name: "第1网格",
      kind: "basic",
      communityId: "c1",
      code: "511324100001001"
    })
  })

  it("a proposal is plain data: it encodes to JSON and decodes back", () => {
    const p = proposeOk([...dongbei, building("塔楼", 330)], { areaCode: "511324100001" })
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(Partition.Proposal)(p)))
    expect(plain(Schema.decodeUnknownSync(Partition.Proposal)(json))).toEqual(plain(p))
    expect(json.issues[0]).toMatchObject({
      _tag: "PartitionIssue",
      rule: "oversize-building",
      buildingId: "塔楼"
    })
  })

  it("every input error is reported, not just the first", () => {
    const result = Partition.propose(
      [building("a", 10), building("a", 20), building("b", 30, undefined, "c2")],
      { bounds: { min: 300, max: 200 }, areaCode: "110105001000" }
    )
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left.map((e) => [e._tag, e.rule, e.values])).toEqual([
        ["InvalidPartitionInput", "mixed-communities", ["c1", "c2"]],
        ["InvalidPartitionInput", "duplicate-building-id", ["a"]],
        ["InvalidPartitionInput", "invalid-bounds", ["300–200"]],
        ["InvalidPartitionInput", "invalid-area-code", ["110105001000"]]
      ])
      expect(result.left[0]?.message).toContain("跨社区")
    }
    const empty = Partition.propose([])
    expect(Either.isLeft(empty) && empty.left.map((e) => e.rule)).toEqual(["no-buildings"])
  })

  it("exact search limits are configuration: with none, a hard instance falls back to best effort honestly", () => {
    // 7 buildings of 100 under 150–250: every grid would need exactly two buildings (100 < 150, 300 > 250),
    // and 7 is odd, so no partition exists; only the exact search can prove it
    const buildings = Array.from({ length: 7 }, (_, i) => building(`b${i}`, 100))
    const withSearch = proposeOk(buildings, { bounds: { min: 150, max: 250 } })
    const issue = withSearch.issues.find((i) => i.rule === "no-feasible-partition")
    expect(issue?.cause).toBe("exhaustive-search")
    const noSearch = proposeOk(buildings, { bounds: { min: 150, max: 250 }, exactSearch: { maxItems: 0 } })
    expect(noSearch.issues.find((i) => i.rule === "no-feasible-partition")?.cause).toBe("search-limit")
  })
})
