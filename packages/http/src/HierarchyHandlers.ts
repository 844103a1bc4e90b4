/**
 * 组织体系与网格接口实现 — the `hierarchy` and `grids` groups of the `Api` over
 * the hierarchy and grid repository ports. A principal reads the units of its
 * own unit's subtree (`Hierarchy.isWithin`) and the grids whose community lies
 * there; any other unit or grid is answered exactly like an unknown one
 * (`NotFound`, 404).
 *
 * @since 0.1.0
 */
import * as CaseService from "@civicgrid/core/CaseService"
import { DepartmentRepository } from "@civicgrid/core/DepartmentRepository"
import { GridRepository } from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as PointLocation from "@civicgrid/core/PointLocation"
import * as Routing from "@civicgrid/core/Routing"
import * as Staffing from "@civicgrid/core/Staffing"
import type { Unit } from "@civicgrid/core/Unit"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Api, InvalidQuery, NotFound } from "./Api.js"
import type { Authorization } from "./Authorization.js"
import { mapErrorKeepStorage, optionKeepStorage } from "./internal/storage.js"
import { CurrentPrincipal, isInJurisdiction, jurisdictionOf, structureRootOf } from "./Principal.js"

const unitNotFound = (unitId: string): NotFound =>
  new NotFound({
    resource: "unit",
    id: unitId,
    message: "单元不存在或不在您的辖区内 no such unit in your jurisdiction"
  })

const locationNotFound = (lat: number, long: number, detail: string): NotFound =>
  new NotFound({
    resource: "location",
    id: `${lat},${long}`,
    message: `该位置不在您辖区的任何网格 no grid of your jurisdiction takes this point: ${detail}`
  })

/** The query parameter a core position field is read from. */
const positionParam: Record<PointLocation.PositionField, "lat" | "long"> = {
  latitude: "lat",
  longitude: "long"
}

type PolicyName = Exclude<Staffing.Policy, "integrity">

const allPolicyNames: ReadonlyArray<PolicyName> = Staffing.Policy.literals.filter(
  (p): p is PolicyName => p !== "integrity"
)

/** The chosen policies of `Staffing.allPolicies`, each with its defaults. */
const policySetOf = (names: ReadonlySet<PolicyName>): Staffing.PolicySet => {
  const all = Staffing.allPolicies
  const pick = <K extends keyof Staffing.PolicySet>(name: PolicyName, key: K) => {
    const config = all[key]
    return names.has(name) && config !== undefined ? { [key]: config } : {}
  }
  return {
    ...pick("one-worker-per-grid", "oneWorkerPerGrid"),
    ...pick("one-professional-many-grids", "oneProfessionalManyGrids"),
    ...pick("many-part-timers-per-grid", "manyPartTimersPerGrid"),
    ...pick("1+1+1+n", "template")
  }
}

const toArray = <A>(value: A | ReadonlyArray<A> | undefined): ReadonlyArray<A> | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value as A]

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
  HierarchyRepository | DepartmentRepository | GridRepository | Authorization
> = HttpApiBuilder.group(Api, "hierarchy", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* HierarchyRepository
    const departments = yield* DepartmentRepository
    const gridStore = yield* GridRepository
    const provide = Effect.provideService(HierarchyRepository, repo)
    return handlers
      .handle("partyOrganizations", () =>
        Effect.gen(function* () {
          // an organisation is built on a unit or a grid (then it stands for the grid's community):
          // it is the principal's when that unit, or the grid, lies in its structure's subtree
          const principal = yield* CurrentPrincipal
          const root = structureRootOf(principal)
          const hierarchy = yield* optionKeepStorage(repo.load)
          const tree = yield* optionKeepStorage(repo.loadPartyOrganizations)
          if (Option.isNone(hierarchy) || Option.isNone(tree)) return []
          const grids = yield* optionKeepStorage(gridStore.grids(root))
          const gridIds = new Set(Option.getOrElse(grids, () => []).map((g) => g.id))
          return PartyOrganization.orgs(tree.value).filter((org) =>
            org.unitId !== undefined
              ? Hierarchy.isWithin(hierarchy.value, org.unitId, root)
              : org.gridId !== undefined && gridIds.has(org.gridId)
          )
        })
      )
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
  HierarchyRepository | GridRepository | CaseService.Settings | Authorization
> = HttpApiBuilder.group(Api, "grids", (handlers) =>
  Effect.gen(function* () {
    const hierarchies = yield* HierarchyRepository
    const grids = yield* GridRepository
    const settings = yield* CaseService.Settings
    const provide = Effect.provideService(HierarchyRepository, hierarchies)
    return handlers
      .handle("coverage", ({ path }) =>
        Effect.gen(function* () {
          const { unit } = yield* visibleUnit(path.unitId)
          return yield* grids.coverage(unit.id).pipe(mapErrorKeepStorage(() => unitNotFound(path.unitId)))
        }).pipe(provide)
      )
      .handle("staffing", ({ path, urlParams }) =>
        Effect.gen(function* () {
          const { hierarchy, unit } = yield* visibleUnit(path.unitId)
          const snapshot = yield* grids
            .snapshot(unit.id)
            .pipe(mapErrorKeepStorage(() => unitNotFound(path.unitId)))
          const asked = new Set(toArray(urlParams.policy) ?? allPolicyNames)
          const chosen = allPolicyNames.filter((name) => asked.has(name))
          const policies = policySetOf(asked)
          const communityOf = new Map(snapshot.grids.map((g) => [g.id, g.communityId]))
          // the 1+1+1+n template's street and district of a grid: the tier units above its community
          const locate: Staffing.GridLocator = (gridId) =>
            Option.flatMap(Option.fromNullable(communityOf.get(gridId)), (communityId) =>
              Option.all({
                streetId: Routing.tierUnitOf(hierarchy, communityId, "street", settings.tierLevels),
                districtId: Routing.tierUnitOf(hierarchy, communityId, "district", settings.tierLevels)
              })
            )
          const violations = Staffing.check(policies, { ...snapshot, locate })
          return {
            within: unit.id,
            policies: ["integrity" as const, ...chosen],
            violations,
            complete: violations.length === 0
          }
        }).pipe(provide)
      )
      .handle("locate", ({ urlParams: { lat, long } }) =>
        Effect.gen(function* () {
          const position = yield* PointLocation.checkPosition([long, lat]).pipe(
            Effect.mapError((e) => {
              const [first, ...rest] = e.violations.map((v) => ({
                field: positionParam[v.field],
                message: `坐标无效 ${positionParam[v.field]}: ${v.message} (rule ${v.rule})`
              }))
              return new InvalidQuery({
                violations: [first ?? { field: "lat", message: e.message }, ...rest],
                message: `坐标无效 invalid point: ${e.message}`
              })
            })
          )
          const principal = yield* CurrentPrincipal
          const root = jurisdictionOf(principal)
          const hierarchy = yield* optionKeepStorage(hierarchies.load)
          if (root === undefined || Option.isNone(hierarchy)) {
            return yield* Effect.fail(locationNotFound(lat, long, "no jurisdiction"))
          }
          const lookup = yield* settings.grids
          // placed as a report there would be (`CaseService.report`): the settings' grids and
          // outside-grids policy, falling back only to grids within the jurisdiction
          const placed = Routing.place(
            {
              hierarchy: hierarchy.value,
              catalogue: settings.catalogue,
              rules: settings.rules,
              grids: lookup.grids,
              gridIndex: lookup.gridIndex,
              tierLevels: settings.tierLevels,
              ...(settings.outsideGrids === undefined ? {} : { outsideGrids: settings.outsideGrids }),
              within: root
            },
            { position }
          )
          if (Either.isLeft(placed))
            return yield* Effect.fail(locationNotFound(lat, long, placed.left.message))
          const found = placed.right
          if (!isInJurisdiction(principal, hierarchy.value, found.communityId)) {
            return yield* Effect.fail(locationNotFound(lat, long, "outside your jurisdiction"))
          }
          const grid = Option.flatMap(found.gridId, (id) =>
            Option.fromNullable(lookup.grids.find((g) => g.id === id))
          )
          return {
            placedBy: found.placedBy,
            unitId: found.unitId,
            communityId: found.communityId,
            grid: Option.match(grid, {
              onNone: () => null,
              onSome: (g) => ({ id: g.id, name: g.name, kind: g.kind, communityId: g.communityId })
            })
          }
        })
      )
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
