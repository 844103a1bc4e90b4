import { Building } from "@civicgrid/core/Building"
import * as Coverage from "@civicgrid/core/Coverage"
import { Grid } from "@civicgrid/core/Grid"
import { coverageWithin, GridRepository } from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as Staffing from "@civicgrid/core/Staffing"
import { addEqualityTesters, describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { flip } from "./support/Errors.js"
import { build, district } from "./support/Hierarchies.js"
import { targets } from "./support/Stores.js"

addEqualityTesters()

const place = district()
const communities = ["s1c1", "s1c2", "s2c1", "s2c2"] as const

const building = (id: string, extra: Partial<Schema.Schema.Encoded<typeof Building>> = {}): Building =>
  Schema.decodeUnknownSync(Building)({
    id,
    name: `${id.slice(-1)}号楼`,
    communityId: id.slice(0, 4),
    households: 100 + id.length,
    ...extra
  })

/** Every building unit of the district as a building record (s1c1b1 has a location and party households). */
const buildings: ReadonlyArray<Building> = place.rows
  .filter((u) => u.level === "building")
  .map((u) =>
    u.id === "s1c1b1"
      ? building(u.id, { location: [116.45, 39.92], partyMemberHouseholds: 12 })
      : building(u.id)
  )

const grid = (
  id: string,
  communityId: string,
  buildingIds: ReadonlyArray<string>,
  extra: Partial<Schema.Schema.Encoded<typeof Grid>> = {}
): Grid =>
  Schema.decodeUnknownSync(Grid)({ id, name: `网格${id}`, kind: "basic", communityId, buildingIds, ...extra })

const square = {
  type: "Polygon",
  coordinates: [
    [
      [116.4, 39.9],
      [116.5, 39.9],
      [116.5, 40.0],
      [116.4, 40.0],
      [116.4, 39.9]
    ]
  ]
} as const

const fullGrid = grid("g1", "s1c1", ["s1c1b1", "s1c1b2"], {
  code: "110105001001001",
  boundary: square,
  microGrids: [
    { id: "m1", name: "微网格1", buildingIds: ["s1c1b1"], households: 9 },
    { id: "m2", name: "微网格2", buildingIds: ["s1c1b2"], households: 11 }
  ]
})
const school = grid("g-school", "s1c1", ["s1c1b3"], { kind: "dedicated", dedicatedTo: "school" })

const setup = Effect.gen(function* () {
  const hierarchies = yield* HierarchyRepository
  const repo = yield* GridRepository
  yield* hierarchies.save(place.scheme, place.rows)
  yield* repo.putBuildings(buildings)
  return repo
})

const rules = (e: { readonly violations: ReadonlyArray<{ readonly rule: string; readonly id: string }> }) =>
  e.violations.map((v) => `${v.id}:${v.rule}`)

describe.each(targets)("GridRepository on $name", (target) => {
  it.effect("round trip: grids (code, boundary, micro-grids, dedicated) and buildings come back equal", () =>
    Effect.gen(function* () {
      const repo = yield* setup
      const g2 = grid("g2", "s1c2", ["s1c2b3", "s1c2b1", "s1c2b2"])
      const g3 = grid("g3", "s2c1", ["s2c1b1"])
      yield* repo.putGrids([g2, fullGrid, school, g3])
      expect(yield* repo.grid("g1")).toEqual(fullGrid)
      expect(yield* repo.grid("g2")).toEqual(g2)
      expect(yield* repo.grids("s1c1")).toEqual([school, fullGrid])
      expect(yield* repo.grids("s1")).toEqual([school, fullGrid, g2])
      expect(yield* repo.grids("d1")).toEqual([school, fullGrid, g2, g3])
      expect(yield* repo.grids("s2c2")).toEqual([])
      expect(yield* repo.buildings("s1c1")).toEqual(buildings.filter((b) => b.communityId === "s1c1"))
      expect(yield* repo.buildings("d1")).toEqual(buildings)
      expect(yield* flip(repo.grid("nope"))).toMatchObject({ _tag: "GridNotFound", gridId: "nope" })
      expect(yield* flip(repo.grids("nope"))).toEqual(new Hierarchy.UnitNotFound({ unitId: "nope" }))
      // upsert: a grid written again replaces its buildings and fields
      const g2b = grid("g2", "s1c2", ["s1c2b2"], { name: "新二网格" })
      yield* repo.putGrids([g2b])
      expect(yield* repo.grid("g2")).toEqual(g2b)
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect("broken references are refused with every violation, and nothing of the write is stored", () =>
    Effect.gen(function* () {
      const repo = yield* setup
      const refused = yield* flip(
        repo.putGrids([
          grid("g1", "s1c1", ["s1c1b1"]),
          grid("g1", "s1c1", ["s1c1b2"]),
          grid("g2", "nowhere", ["s1c1b3", "ghost"])
        ])
      )
      expect(refused._tag).toBe("GridDataInvalid")
      expect(rules(refused)).toEqual(["g1:duplicate-id", "g2:unknown-building", "g2:unknown-unit"])
      expect(yield* repo.grids("d1")).toEqual([])
      const badBuildings = yield* flip(
        repo.putBuildings([building("b9", { communityId: "zz", compoundId: "yy" })])
      )
      expect(rules(badBuildings)).toEqual(["b9:unknown-unit"])
      expect(badBuildings.violations[0]?.related).toEqual(["zz", "yy"])
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "coverage is stored as given and checked on read: a building in two basic grids is an overlap, a missing one a gap",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        const stored = [
          grid("g1", "s1c1", ["s1c1b1", "s1c1b2"]),
          grid("g2", "s1c1", ["s1c1b2", "s2c1b1"]), // s1c1b2 twice (重叠); s2c1b1 of another community (跨社区)
          grid("g3", "s2c1", ["s2c1b1", "s2c1b2", "s2c1b3"])
        ]
        yield* repo.putGrids(stored)
        const report = yield* repo.coverage("s1c1")
        expect(report.complete).toBe(false)
        expect(report.communities.map((c) => c.communityId)).toEqual(["s1c1"])
        const [c] = report.communities
        expect(c?.gaps).toEqual(["s1c1b3"])
        expect(c?.overlaps).toEqual([{ buildingId: "s1c1b2", gridIds: ["g1", "g2"] }])
        expect(c?.foreign).toEqual([{ gridId: "g2", buildingId: "s2c1b1", buildingCommunityId: "s2c1" }])
        expect(c?.unknown).toEqual([])
        // the same as the core's check over everything, restricted to the jurisdiction
        const everything = Coverage.check(buildings, stored)
        expect(report.violations).toEqual(everything.violations.filter((v) => v.communityId === "s1c1"))
        const s2 = yield* repo.coverage("s2c1")
        expect(s2.complete).toBe(true)
      }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "staffing: people and assignments are checked by Staffing.checkIntegrity; the snapshot feeds Staffing.check",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        yield* repo.putGrids([
          grid("g1", "s1c1", ["s1c1b1", "s1c1b2", "s1c1b3"]),
          grid("g2", "s2c1", ["s2c1b1"])
        ])
        const badPeople = yield* flip(
          repo.putPeople([
            Staffing.makePerson({ id: "p1", name: "张某", partyMember: false, partyMemberClass: "core" }),
            Staffing.makePerson({ id: "p2", name: "李某", partyMember: true }),
            Staffing.makePerson({ id: "p2", name: "李某某", partyMember: true })
          ])
        )
        expect(rules(badPeople)).toEqual(["p1:class-without-membership", "p2:duplicate-id"])
        const people = [
          Staffing.makePerson({
            id: "p1",
            name: "张某",
            partyMember: true,
            partyMemberClass: "core",
            phone: "13800000000"
          }),
          Staffing.makePerson({ id: "p2", name: "李某", partyMember: false }),
          Staffing.makePerson({ id: "p3", name: "王某", partyMember: false })
        ]
        yield* repo.putPeople(people)
        const good = [
          Staffing.assign("p1", "full-time-worker", { grid: "g1" }),
          Staffing.assign("p2", "building-leader", { building: "s1c1b1" }),
          Staffing.assign("p3", "supervisor", { unit: "s1" }),
          Staffing.assign("p3", "supervisor", { grid: "g1" }),
          Staffing.assign("p2", "full-time-worker", { grid: "g2" })
        ]
        yield* repo.assign(good)
        const refused = yield* flip(
          repo.assign([
            Staffing.assign("ghost", "volunteer", { grid: "g1" }),
            Staffing.assign("p1", "full-time-worker", { grid: "g9" }),
            Staffing.assign("p1", "building-leader", { grid: "g1" }),
            Staffing.assign("p1", "supervisor", { unit: "zz" }),
            Staffing.assign("p1", "full-time-worker", { grid: "g1" })
          ])
        )
        expect(refused.violations.map((v) => v.rule).sort()).toEqual([
          "duplicate-assignment",
          "role-target",
          "unknown-grid",
          "unknown-person",
          "unknown-unit"
        ])
        const snapshot = yield* repo.snapshot("s1c1")
        expect(snapshot.grids.map((g) => g.id)).toEqual(["g1"])
        expect(snapshot.people).toEqual(people)
        expect(snapshot.assignments).toEqual([good[0], good[1], good[3]])
        const street = yield* repo.snapshot("s1")
        expect(street.assignments).toEqual([good[0], good[1], good[3], good[2]])
        expect(street.people.map((p) => p.id)).toEqual(["p1", "p2", "p3"])
        const violations = Staffing.check(
          { oneWorkerPerGrid: Staffing.OneWorkerPerGrid.make({}) },
          { grids: snapshot.grids, people: snapshot.people, assignments: snapshot.assignments }
        )
        expect(violations).toEqual([])
        expect(
          yield* repo.unassign([
            good[0] as Staffing.Assignment,
            Staffing.assign("p1", "volunteer", { grid: "g1" })
          ])
        ).toBe(1)
        const after = Staffing.check(
          { oneWorkerPerGrid: Staffing.OneWorkerPerGrid.make({}) },
          yield* repo.snapshot("s1c1")
        )
        expect(after.map((v) => v._tag === "GridStaffingViolation" && v.rule)).toEqual(["missing"])
        // removing a grid removes its building links and the assignments to it
        yield* repo.removeGrid("g1")
        expect((yield* repo.snapshot("s1")).assignments).toEqual([good[1], good[2]])
        expect(yield* flip(repo.removeGrid("g1"))).toMatchObject({ _tag: "GridNotFound" })
      }).pipe(Effect.provide(target.layer()))
  )

  layer(target.layer(), { timeout: "30 seconds" })("properties", (it) => {
    const arbGrids = fc
      .array(
        fc.record({
          community: fc.constantFrom(...communities),
          buildings: fc.subarray(buildings.map((b) => b.id)),
          dedicated: fc.boolean()
        }),
        { maxLength: 6 }
      )
      .map((specs) =>
        specs.map((s, i) =>
          grid(
            `g${i}`,
            s.community,
            s.buildings,
            s.dedicated ? { kind: "dedicated", dedicatedTo: "market" } : {}
          )
        )
      )

    it.effect.prop(
      "grids within any unit and their coverage equal the core's over what was stored",
      [arbGrids],
      ([grids]) =>
        Effect.gen(function* () {
          const repo = yield* setup
          for (const g of yield* repo.grids("d1")) yield* repo.removeGrid(g.id)
          yield* repo.putGrids(grids)
          const h = build(place)
          for (const within of ["d1", "s1", "s2c2"]) {
            const scope = new Set<string>([
              within,
              ...Hierarchy.descendants(h, within).pipe((d) =>
                d._tag === "Some" ? d.value.map((u) => u.id) : []
              )
            ])
            const mine = grids.filter((g) => scope.has(g.communityId)).sort((a, b) => (a.id < b.id ? -1 : 1))
            expect(yield* repo.grids(within)).toEqual(mine)
            const expected = coverageWithin({ grids: mine, buildings, people: [], assignments: [] }, scope)
            expect(yield* repo.coverage(within)).toEqual(expected)
          }
        }),
      { fastCheck: { numRuns: 15 } }
    )
  })
})
