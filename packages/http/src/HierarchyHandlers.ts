/**
 * 组织体系与网格接口实现 — the `hierarchy` and `grids` groups of the `Api` over
 * the hierarchy and grid repository ports. A principal reads the units of its
 * own unit's subtree (`Hierarchy.isWithin`) and the grids whose community lies
 * there; any other unit or grid is answered exactly like an unknown one
 * (`NotFound`, 404).
 *
 * @since 0.1.0
 */
import { DepartmentRepository } from "@civicgrid/core/DepartmentRepository"
import { GridRepository } from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import type { Unit } from "@civicgrid/core/Unit"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Api, NotFound } from "./Api.js"
import type { Authorization } from "./Authorization.js"
import { mapErrorKeepStorage, optionKeepStorage } from "./internal/storage.js"
import { CurrentPrincipal, structureRootOf } from "./Principal.js"

const unitNotFound = (unitId: string): NotFound =>
  new NotFound({
    resource: "unit",
    id: unitId,
    message: "单元不存在或不在您的辖区内 no such unit in your jurisdiction"
  })

const gridNotFound = (gridId: string): NotFound =>
  new NotFound({
    resource: "grid",
    id: gridId,
    message: "网格不存在或不在您的辖区内 no such grid in your jurisdiction"
  })

/**
 * The stored hierarchy and a unit in the current principal's jurisdiction
 * (`NotFound` for an unknown unit, one outside it, or no hierarchy at all).
 */
const visibleUnit = (unitId: string) =>
  Effect.gen(function* () {
    const principal = yield* CurrentPrincipal
    const hierarchy = yield* Effect.flatMap(HierarchyRepository, (repo) => repo.load).pipe(
      mapErrorKeepStorage(() => unitNotFound(unitId))
    )
    if (!Hierarchy.isWithin(hierarchy, unitId, structureRootOf(principal)))
      return yield* Effect.fail(unitNotFound(unitId))
    const unit = Hierarchy.get(hierarchy, unitId)
    if (Option.isNone(unit)) return yield* Effect.fail(unitNotFound(unitId))
    return { hierarchy, unit: unit.value }
  })

const subtreeOf = (hierarchy: Hierarchy.Hierarchy, unit: Unit): ReadonlyArray<Unit> => [
  unit,
  ...Option.getOrElse(Hierarchy.descendants(hierarchy, unit.id), () => [])
]

/**
 * The `hierarchy` group of the `Api`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "hierarchy">,
  never,
  HierarchyRepository | DepartmentRepository | Authorization
> = HttpApiBuilder.group(Api, "hierarchy", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* HierarchyRepository
    const departments = yield* DepartmentRepository
    const provide = Effect.provideService(HierarchyRepository, repo)
    return handlers
      .handle("departments", () =>
        Effect.gen(function* () {
          // a department serves the principal's jurisdiction when their units are on one branch
          const principal = yield* CurrentPrincipal
          const hierarchy = yield* optionKeepStorage(repo.load)
          const all = yield* departments.list
          return Option.match(hierarchy, {
            onNone: () => [],
            onSome: (h) =>
              all.filter(
                (d) =>
                  Hierarchy.isWithin(h, d.jurisdiction, structureRootOf(principal)) ||
                  Hierarchy.isWithin(h, structureRootOf(principal), d.jurisdiction)
              )
          })
        })
      )
      .handle("units", () =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          const { hierarchy, unit } = yield* visibleUnit(structureRootOf(principal))
          return subtreeOf(hierarchy, unit)
        }).pipe(provide)
      )
      .handle("unit", ({ path }) => Effect.map(visibleUnit(path.unitId), ({ unit }) => unit).pipe(provide))
      .handle("children", ({ path }) =>
        Effect.map(visibleUnit(path.unitId), ({ hierarchy, unit }) =>
          Option.getOrElse(Hierarchy.children(hierarchy, unit.id), () => [])
        ).pipe(provide)
      )
      .handle("subtree", ({ path }) =>
        Effect.map(visibleUnit(path.unitId), ({ hierarchy, unit }) => subtreeOf(hierarchy, unit)).pipe(
          provide
        )
      )
  })
)

/**
 * The `grids` group of the `Api`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerGrids: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "grids">,
  never,
  HierarchyRepository | GridRepository | Authorization
> = HttpApiBuilder.group(Api, "grids", (handlers) =>
  Effect.gen(function* () {
    const hierarchies = yield* HierarchyRepository
    const grids = yield* GridRepository
    const provide = Effect.provideService(HierarchyRepository, hierarchies)
    return handlers
      .handle("within", ({ path }) =>
        Effect.gen(function* () {
          const { unit } = yield* visibleUnit(path.unitId)
          return yield* grids.grids(unit.id).pipe(mapErrorKeepStorage(() => unitNotFound(path.unitId)))
        }).pipe(provide)
      )
      .handle("grid", ({ path }) =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          const grid = yield* grids
            .grid(path.gridId)
            .pipe(mapErrorKeepStorage(() => gridNotFound(path.gridId)))
          const hierarchy = yield* hierarchies.load.pipe(mapErrorKeepStorage(() => gridNotFound(path.gridId)))
          if (!Hierarchy.isWithin(hierarchy, grid.communityId, structureRootOf(principal))) {
            return yield* Effect.fail(gridNotFound(path.gridId))
          }
          return grid
        })
      )
  })
)
