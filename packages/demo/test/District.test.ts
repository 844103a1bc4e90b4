/**
 * 示范区 — the generator's promises: the standard district, sizes that follow
 * the options, options refused with every bad field named, and for every valid
 * option set a hierarchy that passes `Hierarchy.make`, full coverage but for
 * the planted building, grids within 200–300 households, valid party trees
 * and exactly the planted staffing faults; and geometry: grids that tile their
 * community's block, buildings inside their grid, all within the extent.
 */
import * as Coverage from "@civicgrid/core/Coverage"
import * as GeoJson from "@civicgrid/core/GeoJson"
import type * as Grid from "@civicgrid/core/Grid"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as PointLocation from "@civicgrid/core/PointLocation"
import * as Staffing from "@civicgrid/core/Staffing"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as District from "../src/District.js"

const policies: Staffing.PolicySet = {
  oneWorkerPerGrid: Staffing.OneWorkerPerGrid.make({}),
  oneProfessionalManyGrids: Staffing.OneProfessionalManyGrids.make({
    roles: ["full-time-worker", "inspector", "supervisor"],
    maxGrids: 12
  }),
  manyPartTimersPerGrid: Staffing.ManyPartTimersPerGrid.make({}),
  template: Staffing.Template.make({})
}

/** Small valid sizes, so a property run stays fast. */
const smallOptions: fc.Arbitrary<District.Options> = fc.record(
  {
    seed: fc.integer(),
    streets: fc.integer({ min: 1, max: 4 }),
    communitiesPerStreet: fc.integer({ min: 1, max: 3 }),
    householdsScale: fc.double({ min: 0.25, max: 2, noNaN: true })
  },
  { requiredKeys: [] }
)

const count = (d: District.DemoDistrict, level: string) => d.units.filter((u) => u.level === level).length

describe("District", () => {
  it("make() is the standard district: makeDefault(), 3 streets and 7 communities, the same on every call", () => {
    const made = Either.getOrThrow(District.make())
    expect(made).toEqual(District.makeDefault())
    expect(count(made, "street")).toBe(3)
    expect(count(made, "community")).toBe(7)
    expect(made.units.filter((u) => u.level === "street").map((u) => u.name)).toEqual([
      "金星街道",
      "青云街道",
      "阿子营街道"
    ])
  })

  it.prop(
    "规模: the district has the streets and communities per street asked for",
    [fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.integer()],
    ([streets, communitiesPerStreet, seed]) => {
      const d = Either.getOrThrow(
        District.make({ streets, communitiesPerStreet, seed, householdsScale: 0.5 })
      )
      expect(count(d, "street")).toBe(streets)
      expect(count(d, "community")).toBe(streets * communitiesPerStreet)
      const names = d.units.filter((u) => u.level === "street").map((u) => u.name)
      expect(new Set(names).size).toBe(streets)
    },
    { fastCheck: { numRuns: 20 } }
  )

  it("户数规模: a larger households scale gives more buildings and households per community", () => {
    const households = (scale: number) =>
      Either.getOrThrow(District.make({ householdsScale: scale })).buildings.reduce(
        (acc, b) => acc + b.households,
        0
      )
    expect(households(2)).toBeGreaterThan(households(1))
    expect(households(1)).toBeGreaterThan(households(0.5))
  })

  it("选项校验: bad sizes are refused, naming each bad field and its rule", () => {
    const refused = District.make({ streets: 0, communitiesPerStreet: 2.5, householdsScale: 9, seed: 1.5 })
    expect(Either.isLeft(refused)).toBe(true)
    if (Either.isRight(refused)) return
    expect(refused.left._tag).toBe("InvalidDistrictOptions")
    expect(refused.left.violations.map((v) => v.field)).toEqual([
      "seed",
      "streets",
      "communitiesPerStreet",
      "householdsScale"
    ])
    expect(refused.left.violations[1]).toEqual({
      field: "streets",
      rule: "an integer from 1 to 99",
      value: 0
    })
    expect(refused.left.message).toContain("streets must be an integer from 1 to 99 (got 0)")
  })

  it.prop(
    "选项校验: any streets count outside 1–99 or non-integer is refused with the streets rule",
    [
      fc.oneof(
        fc.integer({ max: 0 }),
        fc.integer({ min: 100 }),
        fc.double().filter((x) => !Number.isInteger(x))
      )
    ],
    ([streets]) => {
      const refused = District.make({ streets })
      expect(Either.isLeft(refused)).toBe(true)
      if (Either.isLeft(refused))
        expect(refused.left.violations).toEqual([
          { field: "streets", rule: "an integer from 1 to 99", value: streets }
        ])
    }
  )

  it.prop(
    "promises: a valid hierarchy, full coverage but the planted building, grids of 200–300 households",
    [smallOptions],
    ([options]) => {
      const d = Either.getOrThrow(District.make(options))
      expect(Either.isRight(Hierarchy.make(d.scheme, d.units))).toBe(true)
      const coverage = Coverage.check(d.buildings, d.grids)
      expect(coverage.communities.flatMap((c) => c.gaps)).toEqual([d.planted.uncoveredBuilding])
      expect(coverage.communities.flatMap((c) => c.overlaps)).toEqual([])
      const size = Coverage.checkSize(d.grids, d.buildings)
      expect(size.violations).toEqual([])
      for (const g of d.grids) expect(g.kind).toBe("basic")
    },
    { fastCheck: { numRuns: 25 } }
  )

  it.prop(
    "promises: each street's party tree is valid; only the planted grid lacks a branch; only the planted staffing faults",
    [smallOptions],
    ([options]) => {
      const d = Either.getOrThrow(District.make(options))
      const hierarchy = Either.getOrThrow(Hierarchy.make(d.scheme, d.units))
      const streets = d.units.filter((u) => u.level === "street")
      const missing: Array<string> = []
      for (const street of streets) {
        const tree = PartyOrganization.make(District.streetPartyOrgs(d, street.id), {
          hierarchy,
          grids: d.grids
        })
        expect(Either.isRight(tree)).toBe(true)
        const streetGrids = d.grids.filter((g) => Hierarchy.isWithin(hierarchy, g.communityId, street.id))
        if (Either.isRight(tree)) {
          Either.match(
            PartyOrganization.checkBranchesOnGrids(PartyOrganization.orgs(tree.right), streetGrids),
            {
              onLeft: (e) => missing.push(...e.violations.map((v) => v.gridId as string)),
              onRight: () => undefined
            }
          )
        }
      }
      expect(missing).toEqual([d.planted.gridWithoutBranch])

      const violations = Staffing.check(policies, {
        grids: d.grids,
        people: d.people,
        assignments: d.assignments,
        buildings: d.buildings,
        locate: d.gridLocations
      })
      const firstStreetGrids = d.grids.filter((g) =>
        Hierarchy.isWithin(hierarchy, g.communityId, streets[0]?.id ?? "")
      ).length
      const summary = violations
        .map((v) => {
          const subject =
            v._tag === "GridStaffingViolation"
              ? v.gridId
              : v._tag === "PersonStaffingViolation"
                ? v.personId
                : "assignment"
          return `${v.policy}:${subject}`
        })
        .sort()
      expect(summary).toEqual(
        [
          `1+1+1+n:${d.planted.vacantGrid}`,
          `one-worker-per-grid:${d.planted.vacantGrid}`,
          ...(firstStreetGrids > 12 ? [`one-professional-many-grids:${d.planted.overloadedSupervisor}`] : [])
        ].sort()
      )
    },
    { fastCheck: { numRuns: 25 } }
  )

  describe("geometry", () => {
    const ringOf = (g: Grid.Grid): GeoJson.LinearRing => {
      if (g.boundary?.type !== "Polygon") throw new Error(`${g.id} has no Polygon boundary`)
      const [ring] = g.boundary.coordinates
      return ring
    }
    /** Twice the signed area (shoelace): positive for a counter-clockwise ring. */
    const signedArea2 = (ring: GeoJson.LinearRing): number => {
      let sum = 0
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x0, y0] = ring[i] ?? [0, 0]
        const [x1, y1] = ring[i + 1] ?? [0, 0]
        sum += x0 * y1 - x1 * y0
      }
      return sum
    }
    const areaOf = ([w, s, e, n]: District.Block): number => (e - w) * (n - s)
    const within = ([w, s, e, n]: District.Block, [x, y]: readonly [number, number]): boolean =>
      x >= w && x <= e && y >= s && y <= n
    const locateAll = (index: PointLocation.GridIndex, p: readonly [number, number]) =>
      Either.getOrThrow(PointLocation.locateAll(index, p))
    const communityIds = (d: District.DemoDistrict) =>
      d.units.filter((u) => u.level === "community").map((u) => u.id)

    it("the standard district lies around 昆明 盘龙区, about 20 × 15 km, every grid a closed counter-clockwise Polygon", () => {
      const d = District.makeDefault()
      const [w, s, e, n] = District.extent(d)
      expect([w, s, e, n]).toEqual([102.66, 25.0, 102.86, 25.135])
      const kmEastWest = (e - w) * 111.32 * Math.cos((((s + n) / 2) * Math.PI) / 180)
      const kmNorthSouth = (n - s) * 110.57
      expect(kmEastWest).toBeGreaterThan(19)
      expect(kmEastWest).toBeLessThan(21)
      expect(kmNorthSouth).toBeGreaterThan(14)
      expect(kmNorthSouth).toBeLessThan(16)
      expect(d.grids.length).toBe(37)
      for (const g of d.grids) {
        expect(Schema.is(GeoJson.Polygon)(g.boundary)).toBe(true)
        expect(signedArea2(ringOf(g))).toBeGreaterThan(0)
      }
      for (const b of d.buildings) expect(b.location).toBeDefined()
      // the street blocks tile the extent
      const streets = d.units.filter((u) => u.level === "street")
      const streetArea = streets.reduce(
        (acc, st) => acc + areaOf(Option.getOrThrow(District.streetBlock(d, st.id))),
        0
      )
      expect(streetArea).toBeCloseTo(areaOf(District.extent(d)), 12)
      expect(Option.isNone(District.communityBlock(d, "no-such-community"))).toBe(true)
    })

    it("the standard district's road point lies metres from a grid, its park point hundreds of metres from every grid", () => {
      const d = District.makeDefault()
      const lat = (District.extent(d)[1] + District.extent(d)[3]) / 2
      /** Metres from a point to the nearest grid rectangle (equirectangular). */
      const metresToNearestGrid = ([x, y]: readonly [number, number]) =>
        Math.min(
          ...d.grids.map((g) => {
            const [w, s, e, n] = GeoJson.bbox(g.boundary ?? { type: "MultiPolygon", coordinates: [] })
            const dx = Math.max(w - x, 0, x - e) * 111_320 * Math.cos((lat * Math.PI) / 180)
            const dy = Math.max(s - y, 0, y - n) * 110_570
            return Math.hypot(dx, dy)
          })
        )
      expect(metresToNearestGrid(District.gapPoint(d))).toBeGreaterThan(5)
      expect(metresToNearestGrid(District.gapPoint(d))).toBeLessThan(50)
      expect(metresToNearestGrid(District.parkPoint(d))).toBeGreaterThan(350)
      expect(metresToNearestGrid(District.parkPoint(d))).toBeLessThan(1000)
      expect(metresToNearestGrid(District.outsidePoint(d))).toBeGreaterThan(3000)
    })

    it.prop(
      "a community's grids tile its block: their areas sum to the block's, and a point of the block lies in exactly one grid (or on a shared edge)",
      [
        smallOptions,
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
          { minLength: 1, maxLength: 8 }
        )
      ],
      ([options, fractions]) => {
        const d = Either.getOrThrow(District.make(options))
        const index = PointLocation.make(d.grids)
        expect(index.unlocatable).toEqual([])
        for (const communityId of communityIds(d)) {
          const block = Option.getOrThrow(District.communityBlock(d, communityId))
          const own = d.grids.filter((g) => g.communityId === communityId)
          expect(own.length).toBeGreaterThan(0)
          const area = own.reduce((acc, g) => acc + signedArea2(ringOf(g)) / 2, 0)
          expect(Math.abs(area - areaOf(block))).toBeLessThanOrEqual(1e-9 * areaOf(block))
          const [w, s, e, n] = block
          for (const [fx, fy] of fractions) {
            const p: readonly [number, number] = [w + (e - w) * fx, s + (n - s) * fy]
            const found = locateAll(index, p)
            const onSharedEdge = own.some((g) => {
              const [gw, gs, ge, gn] = GeoJson.bbox(g.boundary ?? { type: "MultiPolygon", coordinates: [] })
              const inside = p[0] >= gw && p[0] <= ge && p[1] >= gs && p[1] <= gn
              const edge =
                (p[0] === gw && gw !== w) ||
                (p[0] === ge && ge !== e) ||
                (p[1] === gs && gs !== s) ||
                (p[1] === gn && gn !== n)
              return inside && edge
            })
            if (onSharedEdge) expect(found.length).toBeGreaterThanOrEqual(2)
            else expect(found.map((g) => g.id)).toHaveLength(1)
            for (const g of found) expect(g.communityId).toBe(communityId)
          }
        }
      },
      { fastCheck: { numRuns: 25 } }
    )

    it.prop(
      "every building lies strictly inside its grid's polygon and PointLocation locates it there; the planted building lies in the first grid, which does not list it; pointIn locates to its grid",
      [smallOptions],
      ([options]) => {
        const d = Either.getOrThrow(District.make(options))
        const index = PointLocation.make(d.grids)
        const gridOf = new Map<string, Grid.Grid>()
        for (const g of d.grids) for (const id of g.buildingIds) gridOf.set(id, g)
        for (const b of d.buildings) {
          const location = b.location
          if (location === undefined) throw new Error(`${b.id} has no location`)
          const p: readonly [number, number] = [location[0], location[1]]
          const found = locateAll(index, p)
          if (b.id === d.planted.uncoveredBuilding) {
            const first = d.grids.find((g) => g.communityId === b.communityId)
            expect(found.map((g) => g.id)).toEqual([first?.id])
            expect(first?.buildingIds).not.toContain(b.id)
            continue
          }
          const grid = gridOf.get(b.id)
          expect(found.map((g) => g.id)).toEqual([grid?.id])
          const [w, s, e, n] = GeoJson.bbox(grid?.boundary ?? { type: "MultiPolygon", coordinates: [] })
          expect(p[0] > w && p[0] < e && p[1] > s && p[1] < n).toBe(true)
        }
        for (const g of d.grids) {
          const p = Option.getOrThrow(District.pointIn(g))
          expect(Option.map(Either.getOrThrow(PointLocation.locate(index, p)), (x) => x.id)).toEqual(
            Option.some(g.id)
          )
        }
      },
      { fastCheck: { numRuns: 25 } }
    )

    it.prop(
      "every coordinate lies within the extent; community blocks are disjoint; gapPoint and parkPoint lie in the extent but in no grid; outsidePoint lies outside the extent",
      [smallOptions],
      ([options]) => {
        const d = Either.getOrThrow(District.make(options))
        const ext = District.extent(d)
        for (const g of d.grids) for (const p of ringOf(g)) expect(within(ext, [p[0], p[1]])).toBe(true)
        for (const b of d.buildings)
          expect(within(ext, [b.location?.[0] ?? Number.NaN, b.location?.[1] ?? Number.NaN])).toBe(true)
        const blocks = communityIds(d).map((id) => Option.getOrThrow(District.communityBlock(d, id)))
        for (const [i, a] of blocks.entries()) {
          expect(within(ext, [a[0], a[1]]) && within(ext, [a[2], a[3]])).toBe(true)
          for (const b of blocks.slice(i + 1)) {
            const apart = a[2] < b[0] || b[2] < a[0] || a[3] < b[1] || b[3] < a[1]
            expect(apart).toBe(true)
          }
        }
        const index = PointLocation.make(d.grids)
        const gap = District.gapPoint(d)
        expect(within(ext, gap)).toBe(true)
        expect(locateAll(index, gap)).toEqual([])
        const park = District.parkPoint(d)
        const firstStreet = d.units.find((u) => u.level === "street")?.id ?? ""
        expect(within(Option.getOrThrow(District.streetBlock(d, firstStreet)), park)).toBe(true)
        expect(locateAll(index, park)).toEqual([])
        const outside = District.outsidePoint(d)
        expect(within(ext, outside)).toBe(false)
        expect(locateAll(index, outside)).toEqual([])
      },
      { fastCheck: { numRuns: 25 } }
    )

    it.prop(
      "deterministic: the same options give the same geometry, grid boundaries and building positions",
      [smallOptions],
      ([options]) => {
        const a = Either.getOrThrow(District.make(options))
        const b = Either.getOrThrow(District.make(options))
        expect(b.geometry).toEqual(a.geometry)
        expect(b.grids).toEqual(a.grids)
        expect(b.buildings).toEqual(a.buildings)
      },
      { fastCheck: { numRuns: 10 } }
    )

    it("another seed draws other community blocks, within the same extent", () => {
      const a = Either.getOrThrow(District.make({ seed: 1 }))
      const b = Either.getOrThrow(District.make({ seed: 2 }))
      expect(District.extent(b)).toEqual(District.extent(a))
      expect([...b.geometry.communityBlocks.values()]).not.toEqual([...a.geometry.communityBlocks.values()])
    })
  })
})
