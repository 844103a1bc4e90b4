import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as CaseCategory from "../src/CaseCategory.js"
import type * as GeoJson from "../src/GeoJson.js"
import * as Grid from "../src/Grid.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as PointLocation from "../src/PointLocation.js"
import * as Routing from "../src/Routing.js"
import * as Tier from "../src/Tier.js"
import * as Unit from "../src/Unit.js"

// 示范区: 2 streets × 2 communities × 2 compounds × 2 buildings
const rows: Array<Unit.Unit> = [Unit.make({ id: "d", parentId: null, level: "district", name: "示范区" })]
for (const s of [1, 2]) {
  rows.push(Unit.make({ id: `s${s}`, parentId: "d", level: "street", name: `街道${s}` }))
  for (const c of [1, 2]) {
    rows.push(Unit.make({ id: `s${s}c${c}`, parentId: `s${s}`, level: "community", name: `社区${s}${c}` }))
    for (const x of [1, 2]) {
      const compound = `s${s}c${c}x${x}`
      rows.push(
        Unit.make({ id: compound, parentId: `s${s}c${c}`, level: "compound", name: `小区${s}${c}${x}` })
      )
      for (const b of [1, 2]) {
        rows.push(
          Unit.make({ id: `${compound}b${b}`, parentId: compound, level: "building", name: `楼${b}` })
        )
      }
    }
  }
}
const hierarchy = Either.getOrThrowWith(Hierarchy.make(LevelScheme.FiveLevel, rows), (e) => e.message)
const communityIds = rows.filter((u) => u.level === "community").map((u) => u.id)

const MANHOLE = "BJ-0101" // 上水井盖 — community tier
const SINKHOLE = "SJ-0401" // 路面塌陷 — district tier
const categories = [MANHOLE, SINKHOLE]
const startTier = (categoryId: string): Tier.Tier =>
  CaseCategory.startTierOf(Option.getOrThrow(CaseCategory.getMinor(CaseCategory.Standard, categoryId)))

const right = <A, E>(e: Either.Either<A, E>): A => Either.getOrThrowWith(e, (x) => new Error(String(x)))

// ---------------------------------------------------------------------------
// generated layouts: rectangles on a lattice, some cells missing, each cell
// shrunk by a gap so roads run between grids; exact dyadic coordinates

/** Fine units → degrees around 116°E, 39°N (1/65536°, about 1.3 m east–west). */
const lon = (u: number): number => 116 + u / 65536
const lat = (v: number): number => 39 + v / 65536
/** A cell is 256 fine units (~330 m east–west, ~430 m north–south). */
const CELL = 256

interface Layout {
  readonly grids: ReadonlyArray<Grid.Grid>
  readonly index: PointLocation.GridIndex
  readonly cols: number
  readonly rows: number
}

const rectangle = (u0: number, v0: number, u1: number, v1: number): GeoJson.Polygon => ({
  type: "Polygon",
  coordinates: [
    [
      [lon(u0), lat(v0)],
      [lon(u1), lat(v0)],
      [lon(u1), lat(v1)],
      [lon(u0), lat(v1)],
      [lon(u0), lat(v0)]
    ]
  ]
})

const layoutArb: fc.Arbitrary<Layout> = fc
  .record({ cols: fc.integer({ min: 1, max: 4 }), rows: fc.integer({ min: 1, max: 4 }) })
  .chain(({ cols, rows }) =>
    fc
      .array(
        fc.record({
          present: fc.boolean(),
          community: fc.integer({ min: 0, max: communityIds.length - 1 }),
          // gaps in fine units on each side (0: the grid touches its neighbour)
          gap: fc.tuple(
            fc.integer({ min: 0, max: 40 }),
            fc.integer({ min: 0, max: 40 }),
            fc.integer({ min: 0, max: 40 }),
            fc.integer({ min: 0, max: 40 })
          )
        }),
        { minLength: cols * rows, maxLength: cols * rows }
      )
      .map((cells): Layout => {
        const grids: Array<Grid.Grid> = []
        cells.forEach((cell, k) => {
          if (!cell.present) return
          const i = k % cols
          const j = Math.floor(k / cols)
          const [gw, gs, ge, gn] = cell.gap
          grids.push({
            id: Grid.GridId.make(`g-${i}-${j}`),
            name: `网格${i}${j}`,
            kind: "basic",
            communityId: Unit.UnitId.make(communityIds[cell.community] ?? "s1c1"),
            buildingIds: [],
            boundary: rectangle(i * CELL + gw, j * CELL + gs, (i + 1) * CELL - ge, (j + 1) * CELL - gn)
          })
        })
        return { grids, index: PointLocation.make(grids), cols, rows }
      })
  )

/** A point over the layout and a margin of about 1.5 km around it (fine units). */
const pointArb = (layout: Layout): fc.Arbitrary<GeoJson.Position> =>
  fc
    .tuple(
      fc.integer({ min: -1200, max: layout.cols * CELL + 1200 }),
      fc.integer({ min: -1200, max: layout.rows * CELL + 1200 })
    )
    .map(([u, v]) => [lon(u), lat(v)] as const)

const layoutAndPoint = layoutArb.chain((layout) =>
  fc.tuple(fc.constant(layout), fc.array(pointArb(layout), { minLength: 1, maxLength: 12 }))
)

const policyArb: fc.Arbitrary<Routing.OutsideGrids> = fc.oneof(
  fc.constant<Routing.OutsideGrids>({ _tag: "Refuse" }),
  fc
    .integer({ min: 0, max: 2000 })
    .map((maxMeters): Routing.OutsideGrids => ({ _tag: "Nearest", maxMeters })),
  fc
    .record({
      tier: fc.constantFrom("street" as const, "district" as const),
      maxMeters: fc.integer({ min: 0, max: 2000 })
    })
    .map(({ tier, maxMeters }): Routing.OutsideGrids => ({ _tag: "Tier", tier, maxMeters })),
  fc.constant(Routing.defaultOutsideGrids)
)

const context = (layout: Layout, outsideGrids?: Routing.OutsideGrids): Routing.RoutingContext => ({
  hierarchy,
  catalogue: CaseCategory.Standard,
  rules: [],
  grids: layout.grids,
  gridIndex: layout.index,
  ...(outsideGrids === undefined ? {} : { outsideGrids })
})

/** Brute force: the nearest grid within maxMeters, first in locate order on ties. */
const bruteNearest = (
  layout: Layout,
  position: GeoJson.Position,
  maxMeters: number
): { readonly grid: Grid.Grid; readonly meters: number } | undefined => {
  let best: { readonly grid: Grid.Grid; readonly meters: number } | undefined
  for (const grid of layout.index.grids) {
    if (grid.boundary === undefined) continue
    const meters = PointLocation.distanceMeters(grid.boundary, position)
    if (meters <= maxMeters && (best === undefined || meters < best.meters)) best = { grid, meters }
  }
  return best
}

const tierUnit = (unitId: string, tier: Tier.Tier): string =>
  Option.getOrThrow(Routing.tierUnitOf(hierarchy, unitId, tier))

describe("Routing — a position in a grid routes to it under every policy", () => {
  it.prop(
    "inside a grid: the located grid, placed by position, whatever the policy",
    [layoutAndPoint, policyArb, fc.constantFrom(...categories)],
    ([[layout, points], policy, categoryId]) => {
      for (const position of points) {
        const located = Option.getOrUndefined(right(PointLocation.locate(layout.index, position)))
        if (located === undefined) continue
        const r = right(Routing.route(context(layout, policy), { categoryId, location: { position } }))
        expect(r.gridId).toEqual(Option.some(located.id))
        expect(r.placedBy).toBe("position")
        expect(r.communityId).toBe(located.communityId)
        expect(r.tier).toBe(startTier(categoryId))
        expect(r.position).toEqual(Option.some({ position, source: "reported" }))
      }
    }
  )
})

describe("Routing — a position in no grid follows the policy", () => {
  it.prop(
    "Refuse refuses every point outside every grid (rule outside-every-grid, field position)",
    [layoutAndPoint],
    ([[layout, points]]) => {
      for (const position of points) {
        const inGrid = Option.isSome(right(PointLocation.locate(layout.index, position)))
        const r = Routing.route(context(layout, { _tag: "Refuse" }), {
          categoryId: MANHOLE,
          location: { position }
        })
        if (inGrid) expect(Either.isRight(r)).toBe(true)
        else {
          expect(
            Either.isLeft(r) && r.left.rule === "outside-every-grid" && r.left.field === "position"
          ).toBe(true)
        }
      }
    }
  )

  it.prop(
    "Nearest picks the grid at minimal distance when within maxMeters, else refuses (brute force)",
    [layoutAndPoint, fc.integer({ min: 0, max: 2000 })],
    ([[layout, points], maxMeters]) => {
      for (const position of points) {
        if (Option.isSome(right(PointLocation.locate(layout.index, position)))) continue
        const r = Routing.route(context(layout, { _tag: "Nearest", maxMeters }), {
          categoryId: MANHOLE,
          location: { position }
        })
        const expected = bruteNearest(layout, position, maxMeters)
        if (expected === undefined) {
          expect(Either.isLeft(r) && r.left.rule === "outside-every-grid").toBe(true)
        } else {
          const route = right(r)
          expect(route.placedBy).toBe("nearest-grid")
          expect(route.gridId).toEqual(Option.some(expected.grid.id))
          expect(route.communityId).toBe(expected.grid.communityId)
          expect(route.unitId).toBe(expected.grid.communityId)
          expect(route.tier).toBe("community")
        }
      }
    }
  )

  it.prop(
    "Tier gives the tier unit above the nearest grid's community and owns the case there; far from every grid it refuses",
    [
      layoutAndPoint,
      fc.constantFrom("street" as const, "district" as const),
      fc.integer({ min: 0, max: 2000 }),
      fc.constantFrom(...categories)
    ],
    ([[layout, points], tier, maxMeters, categoryId]) => {
      for (const position of points) {
        if (Option.isSome(right(PointLocation.locate(layout.index, position)))) continue
        const routed = Routing.route(context(layout, { _tag: "Tier", tier, maxMeters }), {
          categoryId,
          location: { position }
        })
        const near = bruteNearest(layout, position, maxMeters)
        if (near === undefined) {
          // outside the drawn district: nobody's to take
          expect(Either.isLeft(routed) && routed.left.rule).toBe("outside-every-grid")
          continue
        }
        const route = right(routed)
        const placed = { unit: tierUnit(near.grid.communityId, tier), tier }
        const expectedTier = Tier.max(startTier(categoryId), placed.tier)
        expect(route.placedBy).toBe("tier-fallback")
        expect(route.unitId).toBe(placed.unit)
        expect(route.communityId).toBe(placed.unit)
        expect(route.gridId).toEqual(Option.none())
        expect(route.tier).toBe(expectedTier)
        expect(route.ownerUnitId).toBe(tierUnit(placed.unit, expectedTier))
        // escalation from the fallback unit works: the next tier's unit above it, none past the district
        expect(Routing.escalationTarget(hierarchy, route.communityId, route.tier)).toEqual(
          expectedTier === "district" ? Option.none() : Option.some({ tier: "district", unitId: "d" })
        )
      }
    }
  )

  it.prop(
    "the default is Nearest within 200 m, then the street tier within 3 km, else refused",
    [layoutAndPoint],
    ([[layout, points]]) => {
      for (const position of points) {
        if (Option.isSome(right(PointLocation.locate(layout.index, position)))) continue
        const routed = Routing.route(context(layout), { categoryId: MANHOLE, location: { position } })
        if (bruteNearest(layout, position, Routing.defaultTierNearMeters) === undefined) {
          expect(Either.isLeft(routed) && routed.left.rule).toBe("outside-every-grid")
          continue
        }
        const route = right(routed)
        const near = bruteNearest(layout, position, 200)
        const street = bruteNearest(layout, position, Routing.defaultTierNearMeters)
        if (near !== undefined) {
          expect([route.placedBy, route.gridId]).toEqual(["nearest-grid", Option.some(near.grid.id)])
        } else if (street !== undefined) {
          expect([route.placedBy, route.unitId, route.tier]).toEqual([
            "tier-fallback",
            tierUnit(street.grid.communityId, "street"),
            "street"
          ])
        }
      }
    }
  )

  it.prop(
    "route never throws and answers Right or a RoutingFailed for any location, policy and context",
    [
      layoutArb,
      fc.option(
        fc.oneof(
          policyArb,
          // unchecked radii (NaN, negative, infinite) from a caller that did not decode its configuration
          fc.double().map(
            (maxMeters): Routing.OutsideGrids => ({
              _tag: "Nearest",
              maxMeters,
              orElse: { _tag: "Tier", tier: "street", maxMeters }
            })
          )
        ),
        { nil: undefined }
      ),
      fc.record(
        {
          unitId: fc.oneof(fc.constantFrom(...rows.map((u) => u.id)), fc.string({ maxLength: 4 })),
          gridId: fc.oneof(fc.constantFrom("g-0-0", "g-1-0", "g-0-1"), fc.string({ maxLength: 4 })),
          position: fc.tuple(fc.double(), fc.double()),
          addressUnitId: fc.oneof(fc.constantFrom(...rows.map((u) => u.id)), fc.string({ maxLength: 4 }))
        },
        { requiredKeys: [] }
      ),
      fc.option(fc.constantFrom(...rows.map((u) => u.id), "nowhere"), { nil: undefined }),
      fc.boolean()
    ],
    ([layout, policy, location, within, withIndex]) => {
      const { gridIndex, ...base } = context(layout, policy)
      const ctx: Routing.RoutingContext = {
        ...base,
        ...(within === undefined ? {} : { within }),
        ...(withIndex && gridIndex !== undefined ? { gridIndex } : {})
      }
      const r = Routing.route(ctx, { categoryId: MANHOLE, location })
      if (Either.isLeft(r)) expect(r.left._tag).toBe("RoutingFailed")
      else {
        expect(Hierarchy.has(hierarchy, r.right.communityId)).toBe(true)
        expect(Hierarchy.isWithin(hierarchy, r.right.communityId, r.right.ownerUnitId)).toBe(true)
        const placedInGrid = ["grid", "position", "nearest-grid"].includes(r.right.placedBy)
        expect(Option.isSome(r.right.gridId)).toBe(placedInGrid)
      }
    }
  )
})

// ---------------------------------------------------------------------------
// examples on a fixed layout: four grids side by side, one per community, with
// 0.001° (~86 m) roads between them

const fixedGrids: ReadonlyArray<Grid.Grid> = communityIds.map((c, i) => ({
  id: Grid.GridId.make(`g-${c}`),
  name: `网格${i + 1}`,
  kind: "basic",
  communityId: Unit.UnitId.make(c),
  buildingIds: [Unit.UnitId.make(`${c}x1b1`), Unit.UnitId.make(`${c}x1b2`)],
  boundary: {
    type: "Polygon",
    coordinates: [
      [
        [116 + i * 0.011, 39],
        [116.01 + i * 0.011, 39],
        [116.01 + i * 0.011, 39.01],
        [116 + i * 0.011, 39.01],
        [116 + i * 0.011, 39]
      ]
    ]
  }
}))
const fixed: Routing.RoutingContext = {
  hierarchy,
  catalogue: CaseCategory.Standard,
  rules: [],
  grids: fixedGrids,
  gridIndex: PointLocation.make(fixedGrids)
}
/** On the road between the grids of s1c1 and s1c2, nearer s1c1 (~30 m). */
const road: GeoJson.Position = [116.0104, 39.005]
/** About 1 km east of the last grid (s2c2's), in no grid. */
const eastKm: GeoJson.Position = [116.056, 39.005]

describe("Routing — the address fallback (addressUnitId)", () => {
  it("a position in no grid is placed by the geocoded address unit before the policy", () => {
    const r = right(
      Routing.route(
        { ...fixed, outsideGrids: { _tag: "Refuse" } },
        { categoryId: MANHOLE, location: { position: road, addressUnitId: "s2c1x2b1" } }
      )
    )
    expect([r.placedBy, r.unitId, r.communityId, r.tier]).toEqual([
      "address",
      "s2c1x2b1",
      "s2c1",
      "community"
    ])
    expect(r.position).toEqual(Option.some({ position: road, source: "reported" }))
  })

  it("a position in a grid wins over the address unit: no location mismatch from a fuzzy geocode", () => {
    const r = right(
      Routing.route(fixed, {
        categoryId: MANHOLE,
        location: { position: [116.005, 39.005], addressUnitId: "s2c2" }
      })
    )
    expect([r.placedBy, r.communityId, r.gridId]).toEqual(["position", "s1c1", Option.some("g-s1c1")])
  })

  it("with no position the address unit places the report like a unit id; an explicit unit id wins", () => {
    const byAddress = right(
      Routing.route(fixed, { categoryId: MANHOLE, location: { addressUnitId: "s1c2x1" } })
    )
    expect([byAddress.placedBy, byAddress.unitId, byAddress.communityId]).toEqual([
      "address",
      "s1c2x1",
      "s1c2"
    ])
    const byUnit = right(
      Routing.route(fixed, { categoryId: MANHOLE, location: { unitId: "s2c2x1b1", addressUnitId: "s1c2x1" } })
    )
    expect([byUnit.placedBy, byUnit.communityId]).toEqual(["unit", "s2c2"])
  })

  it("an address that reached only a street places the report at the street tier", () => {
    const r = right(Routing.route(fixed, { categoryId: MANHOLE, location: { addressUnitId: "s2" } }))
    expect([r.placedBy, r.unitId, r.communityId, r.tier, r.ownerUnitId]).toEqual([
      "address",
      "s2",
      "s2",
      "street",
      "s2"
    ])
    // an explicit unit id at the street level is still refused: a report names where it happened
    const e = Routing.route(fixed, { categoryId: MANHOLE, location: { unitId: "s2" } })
    expect(Either.isLeft(e) && e.left.rule === "no-community").toBe(true)
  })

  it("an unknown address unit is ignored beside a position, and refused (unknown-unit) when it is all there is", () => {
    const r = right(
      Routing.route(fixed, { categoryId: MANHOLE, location: { position: road, addressUnitId: "nowhere" } })
    )
    expect([r.placedBy, r.gridId]).toEqual(["nearest-grid", Option.some("g-s1c1")])
    const e = Routing.route(fixed, { categoryId: MANHOLE, location: { addressUnitId: "nowhere" } })
    expect(Either.isLeft(e) && e.left.field === "unitId" && e.left.rule === "unknown-unit").toBe(true)
  })
})

describe("Routing — policies on a fixed layout", () => {
  it("a point on the road goes to the nearest grid; a unit beside it still places it (the position is kept)", () => {
    const r = right(Routing.route(fixed, { categoryId: MANHOLE, location: { position: road } }))
    expect([r.placedBy, r.gridId, r.communityId, r.tier]).toEqual([
      "nearest-grid",
      Option.some("g-s1c1"),
      "s1c1",
      "community"
    ])
    const u = right(
      Routing.route(fixed, { categoryId: MANHOLE, location: { position: road, unitId: "s2c2x1" } })
    )
    expect([u.placedBy, u.communityId, u.gridId]).toEqual(["unit", "s2c2", Option.none()])
  })

  it("1 km from every grid: Nearest 200 m then the street of the nearest grid; a district-tier category stays at the district", () => {
    const r = right(Routing.route(fixed, { categoryId: MANHOLE, location: { position: eastKm } }))
    expect([r.placedBy, r.unitId, r.communityId, r.tier, r.ownerUnitId]).toEqual([
      "tier-fallback",
      "s2",
      "s2",
      "street",
      "s2"
    ])
    expect(Routing.tierUnitOf(hierarchy, r.communityId, r.tier)).toEqual(Option.some("s2"))
    expect(Routing.escalationTarget(hierarchy, r.communityId, r.tier)).toEqual(
      Option.some({ tier: "district", unitId: "d" })
    )
    const district = right(Routing.route(fixed, { categoryId: SINKHOLE, location: { position: eastKm } }))
    expect([district.communityId, district.tier, district.ownerUnitId]).toEqual(["s2", "district", "d"])
  })

  it("Nearest without orElse refuses beyond maxMeters; Nearest with a larger radius reaches the grid", () => {
    const near = (maxMeters: number): Routing.RoutingContext => ({
      ...fixed,
      outsideGrids: { _tag: "Nearest", maxMeters }
    })
    const e = Routing.route(near(500), { categoryId: MANHOLE, location: { position: eastKm } })
    expect(Either.isLeft(e) && e.left.rule === "outside-every-grid").toBe(true)
    const r = right(Routing.route(near(1500), { categoryId: MANHOLE, location: { position: eastKm } }))
    expect(r.gridId).toEqual(Option.some("g-s2c2"))
  })

  it("within: only grids of the jurisdiction count; no grid of it near enough is a refusal", () => {
    const inS1: Routing.RoutingContext = { ...fixed, within: "s1" }
    // without within, s2c2's grid (~1 km west) is the nearest; within s1 only s1's grids count (s1c2's, ~3 km)
    const nearest = (ctx: Routing.RoutingContext) =>
      right(
        Routing.route(
          { ...ctx, outsideGrids: { _tag: "Nearest", maxMeters: 5000 } },
          { categoryId: MANHOLE, location: { position: eastKm } }
        )
      ).gridId
    expect(nearest(fixed)).toEqual(Option.some("g-s2c2"))
    expect(nearest(inS1)).toEqual(Option.some("g-s1c2"))
    // within s1 a grid of s1 within 5 km picks s1's street; none of s1 within 100 m refuses
    const tier = (ctx: Routing.RoutingContext, maxMeters: number) =>
      Routing.route(
        { ...ctx, outsideGrids: { _tag: "Tier", tier: "street", maxMeters } },
        { categoryId: MANHOLE, location: { position: eastKm } }
      )
    const picked = right(tier(inS1, 5000))
    expect([picked.placedBy, picked.unitId, picked.tier]).toEqual(["tier-fallback", "s1", "street"])
    const far = tier(inS1, 100)
    expect(Either.isLeft(far) && far.left.rule).toBe("outside-every-grid")
  })

  it("the policy schema decodes configuration and rejects a negative radius", () => {
    const decode = Schema.decodeUnknownEither(Routing.OutsideGrids)
    expect(decode({ _tag: "Nearest", maxMeters: 200, orElse: { _tag: "Tier", tier: "street" } })).toEqual(
      Either.right(Routing.defaultOutsideGrids)
    )
    expect(Either.isLeft(decode({ _tag: "Nearest", maxMeters: -1 }))).toBe(true)
    expect(Either.isLeft(decode({ _tag: "Tier", tier: "community" }))).toBe(true)
  })
})

describe("Routing — 代表点 representative position", () => {
  const positions = new Map<string, GeoJson.Position>([["s1c1x1b1", [116.001, 39.001]]])
  const inside = (gridId: string, position: GeoJson.Position): boolean =>
    right(PointLocation.locateLinear(fixedGrids, position)).some((g) => g.id === gridId)

  it("a building with a known position stands at it", () => {
    const r = right(
      Routing.route({ ...fixed, positions }, { categoryId: MANHOLE, location: { unitId: "s1c1x1b1" } })
    )
    expect(r.position).toEqual(Option.some({ position: [116.001, 39.001], source: "unit" }))
  })

  it("a grid id alone stands at a point inside the grid", () => {
    const r = right(Routing.route(fixed, { categoryId: MANHOLE, location: { gridId: "g-s2c1" } }))
    const p = Option.getOrThrow(r.position)
    expect(p.source).toBe("grid")
    expect(inside("g-s2c1", p.position)).toBe(true)
  })

  it("a building, compound or community without a position stands inside the grid that covers it", () => {
    for (const [unitId, gridId] of [
      ["s1c2x1b2", "g-s1c2"],
      ["s2c1x1", "g-s2c1"],
      ["s2c2", "g-s2c2"]
    ] as const) {
      const p = Option.getOrThrow(Routing.representativePosition(fixed, { unitId }))
      expect(p.source).toBe("grid")
      expect(inside(gridId, p.position)).toBe(true)
    }
    // a street stands inside one of its communities' grids
    const street = Option.getOrThrow(Routing.representativePosition(fixed, { unitId: "s2" }))
    expect(inside("g-s2c1", street.position) || inside("g-s2c2", street.position)).toBe(true)
  })

  it("nothing to stand on: none (no positions, no grids)", () => {
    expect(Routing.representativePosition({ hierarchy }, { unitId: "s1c1x1b1" })).toEqual(Option.none())
    // a compound whose buildings no grid covers has no grid to stand in
    expect(Routing.representativePosition(fixed, { unitId: "s1c1x2" })).toEqual(Option.none())
  })

  it.prop(
    "the representative point of every generated grid lies inside it, and routing it alone finds that grid",
    [layoutArb],
    ([layout]) => {
      const ctx = context(layout)
      for (const grid of layout.grids) {
        const r = right(Routing.route(ctx, { categoryId: MANHOLE, location: { gridId: grid.id } }))
        const p = Option.getOrThrow(r.position)
        expect(p.source).toBe("grid")
        expect(right(PointLocation.locateAll(layout.index, p.position)).map((g) => g.id)).toContain(grid.id)
      }
    }
  )
})
