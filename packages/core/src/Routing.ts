/**
 * 派遣路由 — routing a report: from its category (小类) and location (a unit, a
 * grid, or a longitude/latitude located through the grid index) to the owning
 * community, the tier that starts the case (社区 / 街道 / 区, from the category's
 * rule), the unit that owns it at that tier, and a proposed handling
 * department from a configurable routing table.
 *
 * The tiers come from the hierarchy: the owner at the community tier is the
 * location's ancestor (or self) at the community level, at the street tier the
 * street above it, at the district tier the district. Level ids are
 * configuration (`TierLevels`), so schemes such as the Pingyi street report's street → area →
 * community → grid route as well.
 *
 * Routing table: a rule matches a case when its category is the case's 小类,
 * its 大类, or absent (any), and its unit is absent (anywhere) or the location
 * lies within the rule's unit. The most specific rule wins: category first
 * (小类 over 大类 over any), then the deepest jurisdiction, then the rule id.
 * With no matching rule the category's own department hint is proposed.
 *
 * A position that lies in no grid (a road, a park, a gap between the drawn
 * grids — FixMyStreet sends whatever the user tapped) is placed by a unit or
 * grid given beside it, else by the address the adapter geocoded
 * (`RouteLocation.addressUnitId`), else by the `OutsideGrids` policy: by
 * default the nearest grid within 200 m, else the 街道 street command centre
 * (`defaultOutsideGrids`); `Refuse` keeps the strict behaviour. Every route
 * says how it was placed (`Route.placedBy`) and carries a 代表点
 * representative position for maps (`Route.position`,
 * `representativePosition`), also for a report that gave only a unit or grid.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { DepartmentId } from "./Actor.js"
import * as CaseCategory from "./CaseCategory.js"
import type { Position } from "./GeoJson.js"
import type { Grid, GridId } from "./Grid.js"
import * as Hierarchy from "./Hierarchy.js"
import { LevelId } from "./LevelScheme.js"
import * as PointLocation from "./PointLocation.js"
import * as Text from "./Text.js"
import * as Tier from "./Tier.js"
import { UnitId } from "./Unit.js"

/**
 * 派遣规则 — one row of the routing table: cases of a category (a 小类, every
 * 小类 of a 大类, or any category when absent) within a unit's jurisdiction
 * (anywhere when absent) go to a department.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RoutingRule = Schema.Struct({
  id: Text.Id,
  /** 类别 — a 小类 or 大类 id; absent = any category. */
  categoryId: Schema.optionalWith(CaseCategory.CategoryId, { exact: true }),
  /** 辖区 — the rule applies within this unit's subtree; absent = anywhere. */
  unitId: Schema.optionalWith(UnitId, { exact: true }),
  /** 职能部门 — the proposed handling department. */
  departmentId: DepartmentId
}).annotations({ identifier: "RoutingRule", title: "派遣规则 routing rule" })

/**
 * @since 0.1.0
 * @category models
 */
export interface RoutingRule extends Schema.Schema.Type<typeof RoutingRule> {}

/**
 * 层级对应 — which hierarchy level holds the units of each tier.
 *
 * @since 0.1.0
 * @category models
 */
export interface TierLevels {
  readonly community: LevelId
  readonly street: LevelId
  readonly district: LevelId
}

/**
 * The default tier levels of the five-level scheme: `community`, `street`, `district`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTierLevels: TierLevels = {
  community: LevelId.make("community"),
  street: LevelId.make("street"),
  district: LevelId.make("district")
}

/**
 * What routing needs: the hierarchy, the category catalogue, the routing
 * table, and — to route by grid or by point — the grids and their index.
 *
 * @since 0.1.0
 * @category models
 */
export interface RoutingContext {
  readonly hierarchy: Hierarchy.Hierarchy
  readonly catalogue: CaseCategory.Catalogue
  readonly rules: ReadonlyArray<RoutingRule>
  /** 网格 — for locations given as a grid id. */
  readonly grids?: ReadonlyArray<Grid>
  /** 网格索引 — for locations given as a position. */
  readonly gridIndex?: PointLocation.GridIndex
  readonly tierLevels?: TierLevels
  /**
   * 网格外坐标 — what a position that lies in no grid (and comes with no unit,
   * grid or known `addressUnitId`) becomes; default `defaultOutsideGrids`
   * (the nearest grid within 200 m, else the street tier).
   */
  readonly outsideGrids?: OutsideGrids
  /**
   * 单元坐标 — the representative position of units by id (usually each
   * 楼栋 building's), for `Route.position` when a report gives no position.
   */
  readonly positions?: ReadonlyMap<string, Position>
  /**
   * 服务辖区 — the entry point's jurisdiction (as `CaseService.ReportInput.within`):
   * the `Nearest` and `Tier` policies consider only grids whose community lies
   * within it (a `within` below the tier's level, e.g. a community, gives the
   * tier unit above it, which lies outside `within`). Routing does not refuse
   * a location outside it; the caller checks that.
   */
  readonly within?: string
}

/**
 * 网格外坐标策略 — what a reported position that lies in no grid (a road, a
 * park, a gap between the drawn grids) becomes. Applies only when the report
 * gives no unit, no grid and no known `addressUnitId` (those place it first).
 *
 * - `Refuse`: refused, `RoutingFailed` rule `outside-every-grid` (the strict
 *   behaviour, for entry points that must have a grid).
 * - `Nearest`: the grid whose boundary is nearest within `maxMeters`
 *   (`PointLocation.nearest`: equirectangular metres on a sphere of the mean
 *   Earth radius; equal distances go to the first grid in locate order),
 *   routed as if the position lay in it (`placedBy: "nearest-grid"`); none that
 *   near: `orElse` (absent: refused as `outside-every-grid`).
 * - `Tier`: handed to a 街道 street (or 区 district) command centre that
 *   dispatches it by hand (`placedBy: "tier-fallback"`): the unit at that tier
 *   above the community of the nearest grid within `maxMeters` (default
 *   `defaultTierNearMeters`); when no grid is that near the point lies outside
 *   the drawn district and is refused (`outside-every-grid`) — a point a
 *   thousand kilometres away is nobody's to take. See `Route` for how such a
 *   route looks.
 *
 * @since 0.1.0
 * @category models
 */
export type OutsideGrids = OutsideGridsRefuse | OutsideGridsNearest | OutsideGridsTier

/**
 * 拒绝 — refuse a position in no grid (rule `outside-every-grid`).
 *
 * @since 0.1.0
 * @category models
 */
export interface OutsideGridsRefuse {
  readonly _tag: "Refuse"
}

/**
 * 就近网格 — the nearest grid within `maxMeters`, else `orElse` (absent: refuse).
 *
 * @since 0.1.0
 * @category models
 */
export interface OutsideGridsNearest {
  readonly _tag: "Nearest"
  /** 最大距离 — metres (inclusive); `Infinity` for any distance. */
  readonly maxMeters: number
  /** 否则 — the policy when no grid lies that near; absent: refuse. */
  readonly orElse?: OutsideGrids
}

/**
 * 层级兜底 — the street (or district) unit that takes reports no grid holds.
 *
 * @since 0.1.0
 * @category models
 */
export interface OutsideGridsTier {
  readonly _tag: "Tier"
  readonly tier: "street" | "district"
  /** 就近距离 — how near a grid must be to pick its street/district; default `defaultTierNearMeters`. */
  readonly maxMeters?: number
}

const Meters = Schema.Number.pipe(
  Schema.nonNegative(),
  Schema.filter((n) => !Number.isNaN(n))
)

/**
 * The schema of `OutsideGrids` (for configuration files): a tagged union,
 * `maxMeters` a non-negative number (`Infinity` allowed).
 *
 * @since 0.1.0
 * @category schemas
 */
export const OutsideGrids: Schema.Schema<OutsideGrids> = Schema.Union(
  Schema.TaggedStruct("Refuse", {}),
  Schema.TaggedStruct("Nearest", {
    maxMeters: Meters,
    orElse: Schema.optionalWith(
      Schema.suspend((): Schema.Schema<OutsideGrids> => OutsideGrids),
      { exact: true }
    )
  }),
  Schema.TaggedStruct("Tier", {
    tier: Schema.Literal("street", "district"),
    maxMeters: Schema.optionalWith(Meters, { exact: true })
  })
).annotations({ identifier: "OutsideGrids", title: "网格外坐标策略 outside-grids policy" })

/**
 * 就近距离 — how near (metres) a grid must be for the `Tier` policy to pick the
 * street (or district) above it: 3000 m, about the size of a 街道. Local
 * practice: configure `OutsideGrids.Tier.maxMeters`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTierNearMeters = 3000

/**
 * The default `OutsideGrids` policy, for real clients (FixMyStreet and other
 * Open311 apps send the position the user tapped, often a road or a park just
 * outside the drawn grids): the nearest grid within 200 m, else the 街道
 * street command centre (`Tier` street).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultOutsideGrids: OutsideGrids = {
  _tag: "Nearest",
  maxMeters: 200,
  orElse: { _tag: "Tier", tier: "street" }
}

/**
 * 发生地点 — where a reported case happened: a unit, a grid, a position, or
 * several of them (they must agree).
 *
 * @since 0.1.0
 * @category models
 */
export interface RouteLocation {
  readonly unitId?: string
  readonly gridId?: string
  readonly position?: Position
  /**
   * 地址解析单元 — the unit an adapter geocoded from an address text (a fuzzy
   * hint, not a claim). With no unit, grid or position it places the report
   * as `unitId` would (`placedBy: "address"`); with a position that lies in no
   * grid it places the report before the `OutsideGrids` policy applies. A
   * position that lies in a grid wins, and the hint is ignored (no
   * `location-mismatch` from a fuzzy geocode); an explicit `unitId` or
   * `gridId` wins too. A unit above the community level (a geocode that only
   * reached the 街道) places the report at its tier, as the `Tier` policy
   * does. An id not in the hierarchy is ignored, unless nothing else places
   * the report (`unknown-unit`).
   */
  readonly addressUnitId?: string
}

/**
 * 定位方式 — how a route was placed:
 * - `unit`: by the given `unitId` (a position in no grid beside it is ignored);
 * - `grid`: by the given `gridId` (a position or unit beside it agreed);
 * - `position`: the position lies in a grid;
 * - `nearest-grid`: the position lies in no grid; the `Nearest` policy took the nearest one;
 * - `address`: by `addressUnitId`;
 * - `tier-fallback`: the `Tier` policy handed it to a street or district unit.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Placement = Schema.Literal(
  "unit",
  "grid",
  "position",
  "nearest-grid",
  "address",
  "tier-fallback"
)

/**
 * @since 0.1.0
 * @category models
 */
export type Placement = typeof Placement.Type

/**
 * 代表点 — a position standing for a routed location, for maps: the reported
 * position (`reported`), the unit's own position from `RoutingContext.positions`
 * (`unit`), or a point inside a grid's boundary (`grid`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RepresentativePosition {
  readonly position: Position
  readonly source: "reported" | "unit" | "grid"
}

/**
 * 路由结果 — where a case goes.
 *
 * A `tier-fallback` route (and an `address` route whose unit lies above every
 * community) has no community: `unitId` and `communityId` are then both the
 * street (or district) unit itself, `tier` is the higher of the category's
 * start tier and that unit's tier, and `ownerUnitId` the unit at `tier` above
 * (or at) it. `tierUnitOf(unit, its own tier)` is the unit itself, so
 * escalation (`escalationTarget`: street → district) and a raised start tier
 * work from it unchanged; figures attributed by `communityId` count the case
 * under that street or district.
 *
 * @since 0.1.0
 * @category models
 */
export interface Route {
  /** 小类 — the case's minor class. */
  readonly category: CaseCategory.MinorClass
  /** 发生单元 — the most specific unit known for the location (a tier fallback: the street/district unit). */
  readonly unitId: UnitId
  /** 所属网格 — the grid, when the location gave or located one (also the nearest grid). */
  readonly gridId: Option.Option<GridId>
  /**
   * 所属社区 — the community where the case happened (社区自循环 starts here);
   * for a route placed at a tier above every community, that tier's unit.
   */
  readonly communityId: UnitId
  /** 起始层级 — the tier that owns the case first (the category may start above the community). */
  readonly tier: Tier.Tier
  /** 定位方式 — how the location was placed. */
  readonly placedBy: Placement
  /** 代表点 — the reported position, or one standing for the location (`representativePosition`). */
  readonly position: Option.Option<RepresentativePosition>
  /** 责任单元 — the unit that owns the case at that tier. */
  readonly ownerUnitId: UnitId
  /** 建议处置部门 — the proposed handling department. */
  readonly departmentId: Option.Option<DepartmentId>
  /** Where the department came from: a routing rule (its id), the category's hint, or nowhere. */
  readonly departmentSource:
    | { readonly _tag: "Rule"; readonly ruleId: string }
    | { readonly _tag: "Category" }
    | { readonly _tag: "None" }
}

/**
 * The rule a route request breaks.
 *
 * @since 0.1.0
 * @category models
 */
export const RoutingRuleBroken = Schema.Literal(
  "unknown-category",
  "not-a-minor-class",
  "no-location",
  "unknown-unit",
  "unknown-grid",
  "invalid-position",
  "no-grid-index",
  "outside-every-grid",
  "location-mismatch",
  "no-community",
  "no-tier-unit",
  "outside-jurisdiction"
)

/**
 * @since 0.1.0
 * @category models
 */
export type RoutingRuleBroken = typeof RoutingRuleBroken.Type

/**
 * 无法路由 — a report that cannot be routed, naming the field and the rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class RoutingFailed extends Schema.TaggedError<RoutingFailed>()("RoutingFailed", {
  field: Schema.Literal("categoryId", "unitId", "gridId", "position", "location"),
  rule: RoutingRuleBroken,
  detail: Schema.String
}) {
  override get message(): string {
    return `无法路由 cannot route (${this.field}: ${this.rule}): ${this.detail}`
  }
}

const fail = (
  field: RoutingFailed["field"],
  rule: RoutingRuleBroken,
  detail: string
): Either.Either<never, RoutingFailed> => Either.left(new RoutingFailed({ field, rule, detail }))

/**
 * 层级单元 — the unit at a tier's level among a unit's ancestors (or the unit
 * itself); none when the unit lies below no unit of that level.
 *
 * @since 0.1.0
 * @category getters
 */
export const tierUnitOf = (
  hierarchy: Hierarchy.Hierarchy,
  unitId: string,
  tier: Tier.Tier,
  levels: TierLevels = defaultTierLevels
): Option.Option<UnitId> => {
  const level = levels[tier]
  return Option.flatMap(Hierarchy.get(hierarchy, unitId), (unit) => {
    if (unit.level === level) return Option.some(unit.id)
    const above = Option.getOrElse(Hierarchy.ancestors(hierarchy, unitId), () => [])
    return Option.fromNullable(above.find((u) => u.level === level)?.id)
  })
}

interface Located {
  readonly unitId: UnitId
  readonly gridId: Option.Option<GridId>
  readonly placedBy: Placement
  /** A placement above every community: the tier the unit itself holds (its community is itself). */
  readonly tierUnit?: Tier.Tier
}

const locateGrid = (
  ctx: RoutingContext,
  position: Position
): Either.Either<Option.Option<Grid>, RoutingFailed> => {
  if (ctx.gridIndex === undefined) {
    return fail("position", "no-grid-index", "routing by position needs a grid index (PointLocation.make)")
  }
  return Either.mapLeft(
    PointLocation.locate(ctx.gridIndex, position),
    (e) => new RoutingFailed({ field: "position", rule: "invalid-position", detail: e.message })
  )
}

/**
 * The unit at the lowest tier (from `from` up) at or above a unit: the unit
 * that takes a report placed at `unitId` when it must be owned at `from` or
 * above (a district unit for the street tier is itself, at the district tier).
 */
const tierPlacement = (
  hierarchy: Hierarchy.Hierarchy,
  unitId: string,
  from: Tier.Tier,
  levels: TierLevels
): Option.Option<{ readonly unitId: UnitId; readonly tier: Tier.Tier }> => {
  for (const tier of Tier.all) {
    if (Tier.rank(tier) < Tier.rank(from)) continue
    const unit = tierUnitOf(hierarchy, unitId, tier, levels)
    if (Option.isSome(unit)) return Option.some({ unitId: unit.value, tier })
  }
  return Option.none()
}

/** A unit placed as `unitId` places it: in its community, or — above every community — at its own tier. */
const placeAtUnit = (
  ctx: RoutingContext,
  unitId: string,
  placedBy: Placement
): Either.Either<Located, RoutingFailed> => {
  const levels = ctx.tierLevels ?? defaultTierLevels
  if (Option.isSome(tierUnitOf(ctx.hierarchy, unitId, "community", levels))) {
    return Either.right({ unitId: UnitId.make(unitId), gridId: Option.none(), placedBy })
  }
  return Option.match(tierPlacement(ctx.hierarchy, unitId, "community", levels), {
    onNone: () =>
      fail(
        "location",
        "no-tier-unit",
        `unit "${unitId}" lies in no unit of a tier level (community, street, district)`
      ),
    onSome: (placed) =>
      Either.right({ unitId: placed.unitId, gridId: Option.none(), placedBy, tierUnit: placed.tier })
  })
}

/** The grid's community must be in the hierarchy. */
const placeAtGrid = (
  ctx: RoutingContext,
  grid: Grid,
  unitId: string | undefined,
  placedBy: Placement
): Either.Either<Located, RoutingFailed> => {
  const { hierarchy } = ctx
  if (!Hierarchy.has(hierarchy, grid.communityId)) {
    return fail(
      "gridId",
      "unknown-unit",
      `grid "${grid.id}" belongs to community "${grid.communityId}", not in the hierarchy`
    )
  }
  if (unitId !== undefined && !Hierarchy.isWithin(hierarchy, unitId, grid.communityId)) {
    return fail(
      "location",
      "location-mismatch",
      `unit "${unitId}" lies outside grid "${grid.id}"'s community "${grid.communityId}"`
    )
  }
  return Either.right({
    unitId: UnitId.make(unitId ?? grid.communityId),
    gridId: Option.some(grid.id),
    placedBy
  })
}

const describeMeters = (m: number): string => (Number.isFinite(m) ? `${m} m` : "any distance")

/** Applies the outside-grids policy to a valid position that lies in no grid. */
const outside = (
  ctx: RoutingContext,
  index: PointLocation.GridIndex,
  position: Position,
  policy: OutsideGrids
): Either.Either<Located, RoutingFailed> => {
  const where = `[${position[0]}, ${position[1]}]`
  const within = ctx.within
  const filter =
    within === undefined
      ? undefined
      : (grid: Grid) => Hierarchy.isWithin(ctx.hierarchy, grid.communityId, within)
  const near = (maxMeters: number): Option.Option<PointLocation.NearestGrid> =>
    Either.getOrElse(
      PointLocation.nearest(index, position, filter === undefined ? { maxMeters } : { maxMeters, filter }),
      () => Option.none()
    )
  switch (policy._tag) {
    case "Refuse":
      return fail("position", "outside-every-grid", `${where} lies in no grid`)
    case "Nearest": {
      const found = near(policy.maxMeters)
      if (Option.isSome(found)) return placeAtGrid(ctx, found.value.grid, undefined, "nearest-grid")
      if (policy.orElse !== undefined) return outside(ctx, index, position, policy.orElse)
      return fail(
        "position",
        "outside-every-grid",
        `${where} lies in no grid, and no grid lies within ${describeMeters(policy.maxMeters)}`
      )
    }
    case "Tier": {
      const levels = ctx.tierLevels ?? defaultTierLevels
      const maxMeters = policy.maxMeters ?? defaultTierNearMeters
      const found = near(maxMeters)
      // a point far from every grid lies outside the district's drawn area: nobody's to take
      if (Option.isNone(found)) {
        return fail(
          "position",
          "outside-every-grid",
          `${where} lies in no grid, and no grid lies within ${describeMeters(maxMeters)}`
        )
      }
      const anchor = found.value.grid.communityId
      return Option.match(tierPlacement(ctx.hierarchy, anchor, policy.tier, levels), {
        onNone: () =>
          fail(
            "position",
            "no-tier-unit",
            `${where} lies in no grid; unit "${anchor}" lies in no unit of level "${levels[policy.tier]}" (tier ${policy.tier}) or above`
          ),
        onSome: (placed) =>
          Either.right({
            unitId: placed.unitId,
            gridId: Option.none(),
            placedBy: "tier-fallback",
            tierUnit: placed.tier
          })
      })
    }
  }
}

const resolveLocation = (
  ctx: RoutingContext,
  location: RouteLocation
): Either.Either<Located, RoutingFailed> => {
  const { hierarchy } = ctx
  if (location.unitId !== undefined && !Hierarchy.has(hierarchy, location.unitId)) {
    return fail("unitId", "unknown-unit", `unit "${location.unitId}" is not in the hierarchy`)
  }
  const addressUnitId =
    location.addressUnitId !== undefined && Hierarchy.has(hierarchy, location.addressUnitId)
      ? location.addressUnitId
      : undefined
  let grid: Grid | undefined
  if (location.gridId !== undefined) {
    grid = ctx.grids?.find((g) => g.id === location.gridId)
    if (grid === undefined) return fail("gridId", "unknown-grid", `grid "${location.gridId}" is not known`)
  }
  if (grid !== undefined) {
    if (location.position !== undefined) {
      // a position outside every grid is fine when the grid already says where
      const located = locateGrid(ctx, location.position)
      if (Either.isLeft(located)) return Either.left(located.left)
      if (Option.isSome(located.right) && located.right.value.id !== grid.id) {
        return fail(
          "location",
          "location-mismatch",
          `position lies in grid "${located.right.value.id}", not in grid "${grid.id}"`
        )
      }
    }
    return placeAtGrid(ctx, grid, location.unitId, "grid")
  }
  if (location.position !== undefined) {
    const located = locateGrid(ctx, location.position)
    if (Either.isLeft(located)) return Either.left(located.left)
    if (Option.isSome(located.right))
      return placeAtGrid(ctx, located.right.value, location.unitId, "position")
    // in no grid: a unit beside it says where, else the address, else the policy
    if (location.unitId === undefined) {
      if (addressUnitId !== undefined) return placeAtUnit(ctx, addressUnitId, "address")
      if (ctx.gridIndex !== undefined) {
        return outside(ctx, ctx.gridIndex, location.position, ctx.outsideGrids ?? defaultOutsideGrids)
      }
    }
  }
  if (location.unitId !== undefined)
    return Either.right({ unitId: UnitId.make(location.unitId), gridId: Option.none(), placedBy: "unit" })
  if (addressUnitId !== undefined) return placeAtUnit(ctx, addressUnitId, "address")
  if (location.addressUnitId !== undefined) {
    return fail(
      "unitId",
      "unknown-unit",
      `address unit "${location.addressUnitId}" (geocoded from the address) is not in the hierarchy`
    )
  }
  return fail("location", "no-location", "a report needs a unit, a grid or a position")
}

/**
 * 代表点 — a position standing for a location, for maps (an Open311
 * `address_id`-only report still gets a point): the reported position when
 * given; else the unit's own position from `positions` (usually a 楼栋
 * building's); else a point inside the given grid's boundary
 * (`PointLocation.pointOnSurface`, guaranteed inside, unlike a centroid);
 * else a point inside a grid under the unit — the first, in locate order
 * (basic before dedicated, then id), of the grids that cover the unit's
 * buildings (or the unit itself), then of the grids of the communities within
 * it. None when nothing gives one (no positions, no grids with a boundary).
 *
 * @since 0.1.0
 * @category routing
 */
export const representativePosition = (
  ctx: Pick<RoutingContext, "hierarchy" | "grids" | "positions">,
  location: { readonly unitId?: string; readonly gridId?: string; readonly position?: Position }
): Option.Option<RepresentativePosition> => {
  if (location.position !== undefined) return Option.some({ position: location.position, source: "reported" })
  const unitId = location.unitId
  const own = unitId === undefined ? undefined : ctx.positions?.get(unitId)
  if (own !== undefined) return Option.some({ position: own, source: "unit" })
  const grids = ctx.grids ?? []
  const inside = (grid: Grid | undefined): Option.Option<RepresentativePosition> =>
    grid?.boundary === undefined
      ? Option.none()
      : Option.map(PointLocation.pointOnSurface(grid.boundary), (position) => ({ position, source: "grid" }))
  if (location.gridId !== undefined) {
    const given = inside(grids.find((g) => g.id === location.gridId))
    if (Option.isSome(given)) return given
  }
  if (unitId === undefined || !Hierarchy.has(ctx.hierarchy, unitId)) return Option.none()
  const bounded = grids.filter((g) => g.boundary !== undefined).sort(PointLocation.basicFirst)
  const covering = bounded.filter((g) =>
    g.buildingIds.some((b) => Hierarchy.isWithin(ctx.hierarchy, b, unitId))
  )
  const under = bounded.filter((g) => Hierarchy.isWithin(ctx.hierarchy, g.communityId, unitId))
  for (const grid of [...covering, ...under]) {
    const found = inside(grid)
    if (Option.isSome(found)) return found
  }
  return Option.none()
}

const categoryRank = (rule: RoutingRule, minor: CaseCategory.MinorClass): number =>
  rule.categoryId === undefined
    ? 0
    : rule.categoryId === minor.id
      ? 2
      : rule.categoryId === minor.majorId
        ? 1
        : -1

/**
 * The routing rule that applies to a category at a unit, if any (most specific wins).
 *
 * @since 0.1.0
 * @category routing
 */
export const matchRule = (
  hierarchy: Hierarchy.Hierarchy,
  rules: ReadonlyArray<RoutingRule>,
  minor: CaseCategory.MinorClass,
  unitId: string
): Option.Option<RoutingRule> => {
  let best: RoutingRule | undefined
  let bestKey: readonly [number, number] = [-1, -2]
  for (const rule of rules) {
    const c = categoryRank(rule, minor)
    if (c < 0) continue
    let scope = -1
    if (rule.unitId !== undefined) {
      if (!Hierarchy.isWithin(hierarchy, unitId, rule.unitId)) continue
      scope = Option.getOrElse(Hierarchy.depth(hierarchy, rule.unitId), () => 0)
    }
    const better =
      c > bestKey[0] ||
      (c === bestKey[0] && scope > bestKey[1]) ||
      (c === bestKey[0] && scope === bestKey[1] && best !== undefined && rule.id < best.id)
    if (best === undefined || better) {
      best = rule
      bestKey = [c, scope]
    }
  }
  return Option.fromNullable(best)
}

/**
 * 定位结果 — where a location is placed, before any category: the unit (and
 * grid) it resolves to, its community (for a placement above every community,
 * that tier's unit) and how it was placed. `route` places every report this way.
 *
 * @since 0.1.0
 * @category models
 */
export interface Placed {
  readonly unitId: UnitId
  readonly gridId: Option.Option<GridId>
  readonly communityId: UnitId
  readonly placedBy: Placement
  /** A placement above every community: the tier the unit itself holds. */
  readonly tierUnit?: Tier.Tier
}

/**
 * 定位 — places a location as a report there would be placed (`route` without
 * a category): by unit, grid or position, a position in no grid by the
 * `OutsideGrids` policy; then finds its community (rule `no-community`).
 *
 * @since 0.1.0
 * @category routing
 */
export const place = (ctx: RoutingContext, location: RouteLocation): Either.Either<Placed, RoutingFailed> => {
  const levels = ctx.tierLevels ?? defaultTierLevels
  return Either.flatMap(resolveLocation(ctx, location), (located) => {
    // a placement above every community is its own community (see `Route`)
    const community =
      located.tierUnit === undefined
        ? tierUnitOf(ctx.hierarchy, located.unitId, "community", levels)
        : Option.some(located.unitId)
    if (Option.isNone(community)) {
      return fail(
        "location",
        "no-community",
        `unit "${located.unitId}" lies in no unit of level "${levels.community}"`
      )
    }
    return Either.right({ ...located, communityId: community.value })
  })
}

/**
 * 路由 — routes a report: resolves its location to a unit (and grid), finds
 * the community, the starting tier from the category, the owner unit at that
 * tier, and the proposed department.
 *
 * @since 0.1.0
 * @category routing
 */
export const route = (
  ctx: RoutingContext,
  request: { readonly categoryId: string; readonly location: RouteLocation }
): Either.Either<Route, RoutingFailed> => {
  const levels = ctx.tierLevels ?? defaultTierLevels
  const category = CaseCategory.get(ctx.catalogue, request.categoryId)
  if (Option.isNone(category)) {
    return fail("categoryId", "unknown-category", `category "${request.categoryId}" is not in the catalogue`)
  }
  if (!CaseCategory.isMinor(category.value)) {
    return fail(
      "categoryId",
      "not-a-minor-class",
      `"${request.categoryId}" is a 大类 major class; a report names a 小类 minor class`
    )
  }
  const minor = category.value
  return Either.flatMap(place(ctx, request.location), (located) => {
    const startTier = CaseCategory.startTierOf(minor)
    const tier = located.tierUnit === undefined ? startTier : Tier.max(startTier, located.tierUnit)
    const owner = tierUnitOf(ctx.hierarchy, located.communityId, tier, levels)
    if (Option.isNone(owner)) {
      return fail(
        "location",
        "no-tier-unit",
        `community "${located.communityId}" lies in no unit of level "${levels[tier]}" (tier ${tier})`
      )
    }
    const rule = matchRule(ctx.hierarchy, ctx.rules, minor, located.unitId)
    const hint = minor.departmentId
    const departmentSource: Route["departmentSource"] = Option.isSome(rule)
      ? { _tag: "Rule", ruleId: rule.value.id }
      : hint !== undefined
        ? { _tag: "Category" }
        : { _tag: "None" }
    const departmentId = Option.isSome(rule)
      ? Option.some(rule.value.departmentId)
      : hint === undefined
        ? Option.none()
        : Option.some(DepartmentId.make(hint))
    return Either.right({
      category: minor,
      unitId: located.unitId,
      gridId: located.gridId,
      communityId: located.communityId,
      tier,
      placedBy: located.placedBy,
      position: representativePosition(ctx, {
        unitId: located.unitId,
        ...(Option.isSome(located.gridId) ? { gridId: located.gridId.value } : {}),
        ...(request.location.position === undefined ? {} : { position: request.location.position })
      }),
      ownerUnitId: owner.value,
      departmentId,
      departmentSource
    })
  })
}

/**
 * 上报目标 — the unit a case escalates to from its current tier: the unit at
 * the next tier's level above the case's community; none at the district.
 *
 * @since 0.1.0
 * @category routing
 */
export const escalationTarget = (
  hierarchy: Hierarchy.Hierarchy,
  communityId: string,
  from: Tier.Tier,
  levels: TierLevels = defaultTierLevels
): Option.Option<{ readonly tier: Tier.Tier; readonly unitId: UnitId }> =>
  Option.flatMap(Tier.next(from), (tier) =>
    Option.map(tierUnitOf(hierarchy, communityId, tier, levels), (unitId) => ({ tier, unitId }))
  )

// -----------------------------------------------------------------------------
// the routing table
// -----------------------------------------------------------------------------

/**
 * The rule a routing table breaks:
 *
 * - `duplicate-rule-id` — two rules share an id;
 * - `unknown-category` — a rule names a category that is not in the catalogue in force;
 * - `unknown-unit` — a rule names a unit that is not in the hierarchy (or no hierarchy is stored yet).
 *
 * @since 0.1.0
 * @category validation
 */
export const TableRule = Schema.Literal("duplicate-rule-id", "unknown-category", "unknown-unit").annotations({
  identifier: "RoutingTableRule",
  title: "派遣规则表规则 routing table rule"
})

/**
 * @since 0.1.0
 * @category models
 */
export type TableRule = typeof TableRule.Type

/**
 * 派遣规则表违规 — one violation of a routing table: the routing rule (its id) and the rule it breaks.
 *
 * @since 0.1.0
 * @category validation
 */
export const TableViolation = Schema.Struct({
  ruleId: Schema.String,
  rule: TableRule,
  message: Schema.String
}).annotations({ identifier: "RoutingTableViolation", title: "派遣规则表违规 routing table violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TableViolation extends Schema.Schema.Type<typeof TableViolation> {}

/**
 * 校验派遣规则表 — every violation of a routing table against the catalogue
 * in force and the hierarchy (none: no hierarchy stored yet, so a rule that
 * names a unit is refused): ids unique, each named category (a 小类 or a 大类)
 * in the catalogue, each named unit in the hierarchy. Sorted by rule id, then
 * rule; empty when the table is valid.
 *
 * @since 0.1.0
 * @category validation
 */
export const tableViolations = (
  rules: ReadonlyArray<RoutingRule>,
  context: {
    readonly catalogue: CaseCategory.Catalogue
    readonly hierarchy: Option.Option<Hierarchy.Hierarchy>
  }
): Array<TableViolation> => {
  const out: Array<TableViolation> = []
  const counts = new Map<string, number>()
  for (const r of rules) counts.set(r.id, (counts.get(r.id) ?? 0) + 1)
  for (const [id, n] of counts) {
    if (n > 1) {
      out.push({
        ruleId: id,
        rule: "duplicate-rule-id",
        message: `派遣规则编号 "${id}" 被 ${n} 条规则使用 (duplicate-rule-id: ${n} rules share the id)`
      })
    }
  }
  for (const r of rules) {
    if (r.categoryId !== undefined && Option.isNone(CaseCategory.get(context.catalogue, r.categoryId))) {
      out.push({
        ruleId: r.id,
        rule: "unknown-category",
        message: `派遣规则 "${r.id}" 的类别 "${r.categoryId}" 不在现行类别目录中 (unknown-category: not in the catalogue in force)`
      })
    }
    if (r.unitId !== undefined) {
      const known = Option.match(context.hierarchy, {
        onNone: () => false,
        onSome: (h) => Option.isSome(Hierarchy.get(h, r.unitId ?? ""))
      })
      if (!known) {
        out.push({
          ruleId: r.id,
          rule: "unknown-unit",
          message: Option.isNone(context.hierarchy)
            ? `派遣规则 "${r.id}" 的辖区 "${r.unitId}" 无从核对：尚未导入组织体系 (unknown-unit: no hierarchy is stored)`
            : `派遣规则 "${r.id}" 的辖区 "${r.unitId}" 不在组织体系中 (unknown-unit: not in the hierarchy)`
        })
      }
    }
  }
  return out.sort(
    (a, b) =>
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  )
}
