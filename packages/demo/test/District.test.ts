/**
 * 示范区 — the generator's promises: the standard district, sizes that follow
 * the options, options refused with every bad field named, and for every valid
 * option set a hierarchy that passes `Hierarchy.make`, full coverage but for
 * the planted building, grids within 200–300 households, valid party trees
 * and exactly the planted staffing faults.
 */
import * as Coverage from "@civicgrid/core/Coverage"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as Staffing from "@civicgrid/core/Staffing"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
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
})
