/**
 * `Routing.place` — a location placed without a category — places every
 * location exactly as `Routing.route` places a report there (the HTTP point
 * lookup answers with it, so a lookup and a report never disagree).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as CaseCategory from "../src/CaseCategory.js"
import type * as GeoJson from "../src/GeoJson.js"
import * as Grid from "../src/Grid.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as PointLocation from "../src/PointLocation.js"
import * as Routing from "../src/Routing.js"
import * as Unit from "../src/Unit.js"

// 2 streets × 2 communities × 1 building each
const rows: Array<Unit.Unit> = [Unit.make({ id: "d", parentId: null, level: "district", name: "示范区" })]
for (const s of [1, 2]) {
  rows.push(Unit.make({ id: `s${s}`, parentId: "d", level: "street", name: `街道${s}` }))
  for (const c of [1, 2]) {
    rows.push(Unit.make({ id: `s${s}c${c}`, parentId: `s${s}`, level: "community", name: `社区${s}${c}` }))
    rows.push(Unit.make({ id: `s${s}c${c}b1`, parentId: `s${s}c${c}`, level: "building", name: "楼1" }))
  }
}
const hierarchy = Either.getOrThrowWith(Hierarchy.make(LevelScheme.FiveLevel, rows), (e) => e.message)
const communityIds = rows.filter((u) => u.level === "community").map((u) => u.id)
const unitIds = rows.map((u) => u.id)

const MANHOLE = "BJ-0101" // 上水井盖 — community tier
const SINKHOLE = "SJ-0401" // 路面塌陷 — district tier

const lon = (u: number): number => 116 + u / 65536
const lat = (v: number): number => 39 + v / 65536
const CELL = 256

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

const gridsArb: fc.Arbitrary<ReadonlyArray<Grid.Grid>> = fc
  .array(
    fc.record({
      present: fc.boolean(),
      community: fc.integer({ min: 0, max: communityIds.length - 1 }),
      gap: fc.integer({ min: 0, max: 60 })
    }),
    { minLength: 9, maxLength: 9 }
  )
  .map((cells) =>
    cells.flatMap((cell, k) => {
      if (!cell.present) return []
      const i = k % 3
      const j = Math.floor(k / 3)
      return [
        {
          id: Grid.GridId.make(`g-${i}-${j}`),
          name: `网格${i}${j}`,
          kind: "basic" as const,
          communityId: Unit.UnitId.make(communityIds[cell.community] ?? "s1c1"),
          buildingIds: [],
          boundary: rectangle(i * CELL + cell.gap, j * CELL + cell.gap, (i + 1) * CELL, (j + 1) * CELL)
        }
      ]
    })
  )

const positionArb: fc.Arbitrary<GeoJson.Position> = fc
  .tuple(fc.integer({ min: -2400, max: 3 * CELL + 2400 }), fc.integer({ min: -2400, max: 3 * CELL + 2400 }))
  .map(([u, v]) => [lon(u), lat(v)] as const)

const policyArb: fc.Arbitrary<Routing.OutsideGrids> = fc.oneof(
  fc.constant<Routing.OutsideGrids>({ _tag: "Refuse" }),
  fc
    .integer({ min: 0, max: 2000 })
    .map((maxMeters): Routing.OutsideGrids => ({ _tag: "Nearest", maxMeters })),
  fc
    .record({
      tier: fc.constantFrom("street" as const, "district" as const),
      maxMeters: fc.integer({ min: 0, max: 3000 })
    })
    .map(({ tier, maxMeters }): Routing.OutsideGrids => ({ _tag: "Tier", tier, maxMeters })),
  fc.constant(Routing.defaultOutsideGrids)
)

// mostly a bare position (the point lookup), sometimes with a unit, grid or address beside it
const locationArb: fc.Arbitrary<Routing.RouteLocation> = fc.oneof(
  { arbitrary: positionArb.map((position): Routing.RouteLocation => ({ position })), weight: 3 },
  {
    arbitrary: fc.record(
      {
        position: positionArb,
        unitId: fc.constantFrom(...unitIds, "unknown"),
        gridId: fc.constantFrom("g-0-0", "g-1-1", "g-2-2", "g-none"),
        addressUnitId: fc.constantFrom(...unitIds, "unknown")
      },
      { requiredKeys: [] }
    ),
    weight: 1
  }
)

describe("Routing.place", () => {
  it.prop(
    "places every location as route places a report there (same unit, grid, community, placement; same refusal)",
    [
      gridsArb,
      locationArb,
      policyArb,
      fc.option(fc.constantFrom("d", "s1", "s2", "s1c1"), { nil: undefined }),
      fc.constantFrom(MANHOLE, SINKHOLE)
    ],
    ([grids, location, outsideGrids, within, categoryId]) => {
      const ctx: Routing.RoutingContext = {
        hierarchy,
        catalogue: CaseCategory.Standard,
        rules: [],
        grids,
        gridIndex: PointLocation.make(grids),
        outsideGrids,
        ...(within === undefined ? {} : { within })
      }
      const placed = Routing.place(ctx, location)
      const routed = Routing.route(ctx, { categoryId, location })
      if (Either.isLeft(placed)) {
        // a location that cannot be placed refuses the report for the same reason
        expect(Either.isLeft(routed) && [routed.left.field, routed.left.rule]).toEqual([
          placed.left.field,
          placed.left.rule
        ])
        return
      }
      // every unit of a placement lies in a community with a street and district above: route succeeds
      const route = Either.getOrThrowWith(routed, (e) => new Error(e.message))
      expect({
        unitId: placed.right.unitId,
        gridId: placed.right.gridId,
        communityId: placed.right.communityId,
        placedBy: placed.right.placedBy
      }).toEqual({
        unitId: route.unitId,
        gridId: route.gridId,
        communityId: route.communityId,
        placedBy: route.placedBy
      })
    }
  )

  it("a position in no grid, with no grid near, is refused under Refuse (outside-every-grid)", () => {
    const result = Routing.place(
      {
        hierarchy,
        catalogue: CaseCategory.Standard,
        rules: [],
        grids: [],
        gridIndex: PointLocation.make([]),
        outsideGrids: { _tag: "Refuse" }
      },
      { position: [lon(0), lat(0)] }
    )
    expect(Either.isLeft(result) && result.left.rule).toBe("outside-every-grid")
  })
})
