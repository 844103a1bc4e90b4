/**
 * 网格读取 over HTTP: point → grid lookup (`GET /grids/locate`, placed as a
 * report there would be), and the coverage and staffing reports of a unit —
 * within the principal's jurisdiction only; anything else is 404 like an
 * unknown id; bad input is a 400 naming the field.
 */
import type { Building } from "@civicgrid/core/Building"
import type { Boundary } from "@civicgrid/core/GeoJson"
import { type Grid, GridId } from "@civicgrid/core/Grid"
import { GridRepository } from "@civicgrid/core/GridRepository"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as Staffing from "@civicgrid/core/Staffing"
import { UnitId } from "@civicgrid/core/Unit"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  B1,
  C1,
  C3,
  D,
  dialects,
  env,
  K1,
  login,
  principal,
  raw,
  S1,
  S2,
  seedDemo
} from "./support/Harness.js"

const square = (lon: number, lat: number, size: number): Boundary => ({
  type: "Polygon",
  coordinates: [
    [
      [lon, lat],
      [lon + size, lat],
      [lon + size, lat + size],
      [lon, lat + size],
      [lon, lat]
    ]
  ]
})

const JINSHA_B2 = UnitId.make("jinsha-b2") // a building of 金沙 no grid covers (a gap)
const NANHUA_B1 = UnitId.make("nanhua-b1")

const buildings: ReadonlyArray<Building> = [
  { id: B1, name: "金沙苑3栋", communityId: C1, compoundId: K1, households: 250 },
  { id: JINSHA_B2, name: "金沙2栋", communityId: C1, households: 40 },
  { id: NANHUA_B1, name: "南华1栋", communityId: C3, households: 220 }
]

const grids: ReadonlyArray<Grid> = [
  {
    id: GridId.make("g-jinsha"),
    name: "金沙第一网格",
    kind: "basic",
    communityId: C1,
    buildingIds: [B1],
    boundary: square(102.7, 25.04, 0.01)
  },
  {
    id: GridId.make("g-nanhua"),
    name: "南华第一网格",
    kind: "basic",
    communityId: C3,
    buildingIds: [NANHUA_B1],
    boundary: square(102.8, 25.04, 0.01)
  }
]

const seedGrids = Effect.gen(function* () {
  const store = yield* GridRepository
  yield* store.putBuildings(buildings)
  yield* store.putGrids(grids)
  yield* store.putPeople([Staffing.makePerson({ id: "p-wang", name: "王网格", partyMember: true })])
  yield* store.assign([Staffing.assign("p-wang", "full-time-worker", { grid: "g-jinsha" })])
  const org = PartyOrganization.makeOrg
  yield* Effect.flatMap(HierarchyRepository, (repo) =>
    repo.savePartyOrganizations(
      [
        org({ id: "pw-d", parentId: null, kind: "district-committee", name: "区委", unitId: D }),
        org({
          id: "pw-s1",
          parentId: "pw-d",
          kind: "street-working-committee",
          name: "青云街道党工委",
          unitId: S1
        }),
        org({
          id: "pw-s2",
          parentId: "pw-d",
          kind: "street-working-committee",
          name: "拓东街道党工委",
          unitId: S2
        }),
        org({
          id: "pc-c1",
          parentId: "pw-s1",
          kind: "community-committee",
          name: "金沙社区党委",
          unitId: C1
        }),
        org({
          id: "pc-c3",
          parentId: "pw-s2",
          kind: "community-committee",
          name: "南华社区党委",
          unitId: C3
        }),
        org({
          id: "pb-jinsha",
          parentId: "pc-c1",
          kind: "grid-branch",
          name: "金沙第一网格党支部",
          gridId: "g-jinsha"
        }),
        org({
          id: "pb-nanhua",
          parentId: "pc-c3",
          kind: "grid-branch",
          name: "南华第一网格党支部",
          gridId: "g-nanhua"
        })
      ],
      { grids, kinds: PartyOrganization.DistrictKindOrder }
    )
  )
}).pipe(Effect.orDie)

/** In 金沙第一网格. */
const IN_JINSHA = { lat: 25.045, long: 102.705 }
/** About 55 m north of 金沙第一网格: the nearest grid within 200 m takes it. */
const NEAR_JINSHA = { lat: 25.0505, long: 102.705 }
/** About 1 km east of 金沙第一网格, 7 km from 南华: no grid within 200 m, so the street takes it. */
const EAST_OF_JINSHA = { lat: 25.045, long: 102.72 }
/** Far from every grid. */
const NOWHERE = { lat: 30.5, long: 114.3 }

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(Effect.zipRight(seedDemo, seedGrids)).pipe(
    Layer.provideMerge(env(dialect))
  )
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(
    `grid reads on ${dialect.name}`,
    (it) => {
      it.effect("坐标定位: the grid a point lies in, the nearest grid, the street tier; else 404", () =>
        Effect.gen(function* () {
          const street = yield* login(principal("ss-locate", "street-staff", S1))
          const inside = yield* street.client.grids.locate({ urlParams: IN_JINSHA })
          expect(inside).toEqual({
            placedBy: "position",
            unitId: C1,
            communityId: C1,
            grid: { id: "g-jinsha", name: "金沙第一网格", kind: "basic", communityId: C1 }
          })
          const near = yield* street.client.grids.locate({ urlParams: NEAR_JINSHA })
          expect([near.placedBy, near.grid?.id]).toEqual(["nearest-grid", "g-jinsha"])
          const east = yield* street.client.grids.locate({ urlParams: EAST_OF_JINSHA })
          expect(east).toEqual({ placedBy: "tier-fallback", unitId: S1, communityId: S1, grid: null })

          const nowhere = yield* Effect.flip(street.client.grids.locate({ urlParams: NOWHERE }))
          expect(nowhere._tag).toBe("NotFound")
          expect(nowhere._tag === "NotFound" && nowhere.resource).toBe("location")
          expect(nowhere.message).toMatch(/网格/)
          expect(nowhere.message).toMatch(/no grid/)
        })
      )

      it.effect("坐标定位 scope: another street's or community's point is 404, like nowhere", () =>
        Effect.gen(function* () {
          const otherStreet = yield* login(principal("ss-locate-2", "street-staff", S2))
          const nanhua = yield* login(principal("cs-locate", "community-staff", C3))
          const resident = yield* login(principal("res-locate", "resident", C1))
          for (const who of [otherStreet, nanhua, resident]) {
            const hidden = yield* Effect.flip(who.client.grids.locate({ urlParams: IN_JINSHA }))
            expect(hidden._tag).toBe("NotFound")
          }
          // the other street's point outside every grid is not handed to this street either
          const east = yield* Effect.flip(otherStreet.client.grids.locate({ urlParams: EAST_OF_JINSHA }))
          expect(east._tag).toBe("NotFound")
          // its own grid is found
          expect(
            (yield* nanhua.client.grids.locate({ urlParams: { lat: 25.045, long: 102.805 } })).grid?.id
          ).toBe("g-nanhua")
        })
      )

      it.effect("坐标定位 bad input: 400 naming lat or long", () =>
        Effect.gen(function* () {
          const street = yield* login(principal("ss-locate-bad", "street-staff", S1))
          const notNumber = yield* raw("GET", "/grids/locate?lat=abc&long=102.7", street.token)
          expect(notNumber.status).toBe(400)
          expect(JSON.parse(notNumber.text).field).toBe("lat")
          const missing = yield* raw("GET", "/grids/locate?lat=25", street.token)
          expect(missing.status).toBe(400)
          expect(JSON.parse(missing.text).field).toBe("long")
          const range = yield* Effect.flip(
            street.client.grids.locate({ urlParams: { lat: 91, long: 102.7 } })
          )
          expect(range._tag).toBe("InvalidQuery")
          expect(range._tag === "InvalidQuery" && range.violations.map((v) => v.field)).toEqual(["lat"])
          const both = yield* raw("GET", "/grids/locate?lat=-95&long=181", street.token)
          expect(both.status).toBe(400)
          expect(JSON.parse(both.text).violations.map((v: { field: string }) => v.field)).toEqual([
            "long",
            "lat"
          ])
        })
      )

      it.effect("覆盖检查: a unit's coverage report; another street's unit is 404", () =>
        Effect.gen(function* () {
          const street = yield* login(principal("ss-coverage", "street-staff", S1))
          const report = yield* street.client.grids.coverage({ path: { unitId: S1 } })
          expect(report.complete).toBe(false)
          expect(report.violations.map((v) => [v.rule, v.communityId, v.buildingId])).toEqual([
            ["gap", C1, JINSHA_B2]
          ])
          // only the communities within the unit are reported
          expect(report.communities.every((c) => c.communityId !== C3)).toBe(true)
          const nanhua = yield* login(principal("cs-coverage", "community-staff", C3))
          expect((yield* nanhua.client.grids.coverage({ path: { unitId: C3 } })).complete).toBe(true)
          for (const unitId of [C1, S1, "nope"]) {
            const hidden = yield* Effect.flip(nanhua.client.grids.coverage({ path: { unitId } }))
            expect(hidden._tag).toBe("NotFound")
          }
        })
      )

      it.effect("党组织: the organisations built on units or grids of your jurisdiction, pre-order", () =>
        Effect.gen(function* () {
          const ids = (orgs: ReadonlyArray<{ readonly id: string }>) => orgs.map((o) => o.id)
          const street = yield* login(principal("ss-party", "street-staff", S1))
          expect(ids(yield* street.client.hierarchy.partyOrganizations())).toEqual([
            "pw-s1",
            "pc-c1",
            "pb-jinsha"
          ])
          const nanhua = yield* login(principal("cs-party", "community-staff", C3))
          expect(ids(yield* nanhua.client.hierarchy.partyOrganizations())).toEqual(["pc-c3", "pb-nanhua"])
          const district = yield* login(principal("ds-party", "district-staff", D))
          expect(ids(yield* district.client.hierarchy.partyOrganizations())).toHaveLength(7)
          const found = (yield* street.client.hierarchy.partyOrganizations()).find(
            (o) => o.id === "pb-jinsha"
          )
          expect(found).toEqual({
            id: "pb-jinsha",
            parentId: "pc-c1",
            kind: "grid-branch",
            name: "金沙第一网格党支部",
            gridId: "g-jinsha"
          })
        })
      )

      it.effect("力量配置检查: the chosen policies over a unit's grids; 400 for an unknown policy", () =>
        Effect.gen(function* () {
          const street = yield* login(principal("ss-staffing", "street-staff", S1))
          const one = yield* street.client.grids.staffing({
            path: { unitId: C1 },
            urlParams: { policy: "one-worker-per-grid" }
          })
          expect(one).toEqual({
            within: C1,
            policies: ["integrity", "one-worker-per-grid"],
            violations: [],
            complete: true
          })
          const all = yield* street.client.grids.staffing({ path: { unitId: C1 }, urlParams: {} })
          expect(all.policies).toEqual([
            "integrity",
            "one-worker-per-grid",
            "one-professional-many-grids",
            "many-part-timers-per-grid",
            "1+1+1+n"
          ])
          expect(all.complete).toBe(false)
          const rules = all.violations.map((v) => `${v.policy}/${v.rule}`)
          expect(rules).toContain("many-part-timers-per-grid/too-few")
          expect(rules).toContain("1+1+1+n/missing")
          expect(rules.some((r) => r.startsWith("one-worker-per-grid/"))).toBe(false)

          const nanhua = yield* login(principal("cs-staffing", "community-staff", C3))
          const hidden = yield* Effect.flip(
            nanhua.client.grids.staffing({ path: { unitId: C1 }, urlParams: {} })
          )
          expect(hidden._tag).toBe("NotFound")
          // 南华's own grid has no full-time worker
          const own = yield* nanhua.client.grids.staffing({
            path: { unitId: C3 },
            urlParams: { policy: ["one-worker-per-grid"] }
          })
          expect(own.violations.map((v) => v._tag === "GridStaffingViolation" && [v.gridId, v.rule])).toEqual(
            [["g-nanhua", "missing"]]
          )

          const bad = yield* raw("GET", `/hierarchy/units/${C1}/staffing?policy=one-grid`, street.token)
          expect(bad.status).toBe(400)
          expect(JSON.parse(bad.text).field).toBe("policy")
        })
      )
    }
  )
}
