/**
 * 地理入库 — on SQLite in memory: seeding stores every grid's boundary and
 * every building's position, so the running server routes a report by point:
 * over the grids read back, a building's position locates its grid, each
 * grid's `District.pointIn` locates that grid, and `District.gapPoint` (a
 * road), `District.parkPoint` (the green belt) and `District.outsidePoint`
 * lie in no grid.
 */
import * as GridRepository from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as PointLocation from "@civicgrid/core/PointLocation"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as District from "../src/District.js"
import * as Seed from "../src/Seed.js"

const fresh = () =>
  Seed.layerStores.pipe(Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })), Layer.orDie)

const district = Either.getOrThrow(District.make({ streets: 2, communitiesPerStreet: 2, seed: 11 }))

describe("Seed geometry", () => {
  it.effect("grid boundaries and building positions read back as generated, and locate by point", () =>
    Effect.gen(function* () {
      const seeded = yield* Seed.prepare({ district, cases: { count: 10 } })
      expect(seeded._tag).toBe("Seeded")
      const hierarchy = yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)
      const rootId = Hierarchy.root(hierarchy).id
      const repo = yield* GridRepository.GridRepository
      const grids = yield* repo.grids(rootId)
      const buildings = yield* repo.buildings(rootId)

      const boundaryOf = new Map(grids.map((g) => [g.id as string, g.boundary]))
      for (const g of district.grids) expect(boundaryOf.get(g.id)).toEqual(g.boundary)
      const locationOf = new Map(buildings.map((b) => [b.id as string, b.location]))
      for (const b of district.buildings) expect(locationOf.get(b.id)).toEqual(b.location)

      const index = PointLocation.make(grids)
      expect(index.unlocatable).toEqual([])
      const located = (p: readonly [number, number]) =>
        Option.map(Either.getOrThrow(PointLocation.locate(index, p)), (g) => g.id as string)
      for (const g of district.grids) {
        expect(located(Option.getOrThrow(District.pointIn(g)))).toEqual(Option.some(g.id))
        for (const id of g.buildingIds) {
          const location = locationOf.get(id)
          expect(location).toBeDefined()
          if (location !== undefined) expect(located([location[0], location[1]])).toEqual(Option.some(g.id))
        }
      }
      expect(located(District.gapPoint(district))).toEqual(Option.none())
      expect(located(District.parkPoint(district))).toEqual(Option.none())
      expect(located(District.outsidePoint(district))).toEqual(Option.none())
    }).pipe(Effect.provide(fresh()))
  )
})
