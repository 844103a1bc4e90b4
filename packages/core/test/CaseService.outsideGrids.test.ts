/**
 * 网格外上报 — a report at a point in no grid, end to end through the use
 * cases: the routing policy places it (the nearest grid's community, or the
 * street's command centre), the decider accepts the placement, and the case
 * runs its loop from there (accepted by the street, escalated to the
 * district); `Refuse` keeps the strict rule.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Actor from "../src/Actor.js"
import * as Case from "../src/Case.js"
import * as CaseRepository from "../src/CaseRepository.js"
import * as CaseService from "../src/CaseService.js"
import * as DepartmentRepository from "../src/DepartmentRepository.js"
import type { Boundary } from "../src/GeoJson.js"
import { type Grid, GridId } from "../src/Grid.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as PointLocation from "../src/PointLocation.js"
import type * as Routing from "../src/Routing.js"
import * as Unit from "../src/Unit.js"

const DISTRICT = Unit.UnitId.make("d-panlong")
const STREET = Unit.UnitId.make("s-qingyun")
const JINSHA = Unit.UnitId.make("c-jinsha")
const units = [
  Unit.make({ id: DISTRICT, parentId: null, level: "district", name: "盘龙区" }),
  Unit.make({ id: STREET, parentId: DISTRICT, level: "street", name: "青云街道" }),
  Unit.make({ id: JINSHA, parentId: STREET, level: "community", name: "金沙社区" })
]

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
/** 金沙第一网格: 102.70–102.71 E, 25.04–25.05 N (about 1 × 1.1 km). */
const grids: ReadonlyArray<Grid> = [
  {
    id: GridId.make("g-jinsha-1"),
    name: "金沙第一网格",
    kind: "basic",
    communityId: JINSHA,
    buildingIds: [],
    boundary: square(102.7, 25.04, 0.01)
  }
]
/** About 50 m west of the grid. */
const ROADSIDE: readonly [number, number] = [102.6995, 25.045]
/** About 1 km west of the grid: past the nearest-grid radius, within the street's. */
const PARK: readonly [number, number] = [102.69, 25.045]
/** Hundreds of kilometres away. */
const ELSEWHERE: readonly [number, number] = [114.3, 30.5]

const resident: Actor.Actor = { id: Actor.ActorId.make("r-1"), role: "resident", unitId: DISTRICT }
const streetStaff: Actor.Actor = { id: Actor.ActorId.make("ss"), role: "street-staff", unitId: STREET }
const T0 = Date.UTC(2024, 2, 4, 1, 0)
const MINUTE = 60_000

const stores = (outsideGrids?: Routing.OutsideGrids) =>
  Layer.effectDiscard(
    Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) => h.save(LevelScheme.FiveLevel, units)).pipe(
      Effect.orDie
    )
  ).pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        CaseRepository.layerMemory({ units }),
        DepartmentRepository.layerMemory,
        CaseService.layerSettings({
          grids: Effect.succeed({ grids, gridIndex: PointLocation.make(grids) }),
          ...(outsideGrids === undefined ? {} : { outsideGrids })
        })
      ).pipe(Layer.provideMerge(HierarchyRepository.layerMemory))
    )
  )

const reportAt = (caseId: string, position: readonly [number, number]) =>
  CaseService.report({
    caseId,
    actor: resident,
    at: DateTime.unsafeMake(T0),
    source: "resident-app",
    categoryId: "SJ-0102",
    description: "路边堆放垃圾",
    location: { position: [position[0], position[1]] },
    anonymous: true,
    within: DISTRICT
  })

describe("CaseService — a report at a point in no grid", () => {
  it.effect(
    "by default: beside a grid → that grid's community; farther → the street, which runs the case",
    () =>
      Effect.gen(function* () {
        const roadside = yield* reportAt("c-road", ROADSIDE)
        expect([roadside.after.communityId, roadside.after.tier, roadside.after.location.gridId]).toEqual([
          JINSHA,
          "community",
          "g-jinsha-1"
        ])

        const park = yield* reportAt("c-park", PARK)
        expect([park.after.communityId, park.after.tier, park.after.ownerUnitId]).toEqual([
          STREET,
          "street",
          STREET
        ])
        // the street's command centre accepts it and may escalate it to the district
        const accepted = yield* CaseService.execute("c-park", () => ({
          _tag: "Accept",
          caseId: Case.CaseId.make("c-park"),
          actor: streetStaff,
          at: DateTime.unsafeMake(T0 + MINUTE)
        }))
        expect(accepted.after.status).toBe("accepted")
        const escalated = yield* CaseService.execute("c-park", (ctx) => ({
          _tag: "Escalate",
          caseId: Case.CaseId.make("c-park"),
          actor: streetStaff,
          at: DateTime.unsafeMake(T0 + 2 * MINUTE),
          toUnitId: Option.getOrThrow(ctx.escalationTarget),
          reason: "需区级协调"
        }))
        expect([escalated.after.tier, escalated.after.ownerUnitId]).toEqual(["district", DISTRICT])

        const far = yield* Effect.either(reportAt("c-far", ELSEWHERE))
        expect(Either.isLeft(far) && far.left._tag === "RoutingFailed" && far.left.rule).toBe(
          "outside-every-grid"
        )
      }).pipe(Effect.provide(stores()))
  )

  it.effect("Refuse: every point in no grid is refused, the roadside one too", () =>
    Effect.gen(function* () {
      const roadside = yield* Effect.either(reportAt("c-road", ROADSIDE))
      expect(Either.isLeft(roadside) && roadside.left._tag === "RoutingFailed" && roadside.left.rule).toBe(
        "outside-every-grid"
      )
    }).pipe(Effect.provide(stores({ _tag: "Refuse" })))
  )
})
