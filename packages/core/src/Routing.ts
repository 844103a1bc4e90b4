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
 * configuration (`TierLevels`), so schemes such as seed 004's street → area →
 * community → grid route as well.
 *
 * Routing table: a rule matches a case when its category is the case's 小类,
 * its 大类, or absent (any), and its unit is absent (anywhere) or the location
 * lies within the rule's unit. The most specific rule wins: category first
 * (小类 over 大类 over any), then the deepest jurisdiction, then the rule id.
 * With no matching rule the category's own department hint is proposed.
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
}

/**
 * 路由结果 — where a case goes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Route {
  /** 小类 — the case's minor class. */
  readonly category: CaseCategory.MinorClass
  /** 发生单元 — the most specific unit known for the location. */
  readonly unitId: UnitId
  /** 所属网格 — the grid, when the location gave or located one. */
  readonly gridId: Option.Option<GridId>
  /** 所属社区 — the community where the case happened (社区自循环 starts here). */
  readonly communityId: UnitId
  /** 起始层级 — the tier that owns the case first (the category may start above the community). */
  readonly tier: Tier.Tier
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
}

const locateGrid = (ctx: RoutingContext, position: Position): Either.Either<Grid, RoutingFailed> => {
  if (ctx.gridIndex === undefined) {
    return fail("position", "no-grid-index", "routing by position needs a grid index (PointLocation.make)")
  }
  return Either.flatMap(
    Either.mapLeft(
      PointLocation.locate(ctx.gridIndex, position),
      (e) => new RoutingFailed({ field: "position", rule: "invalid-position", detail: e.message })
    ),
    (found) =>
      Option.match(found, {
        onNone: () =>
          fail("position", "outside-every-grid", `[${position[0]}, ${position[1]}] lies in no grid`),
        onSome: (grid) => Either.right(grid)
      })
  )
}

const resolveLocation = (
  ctx: RoutingContext,
  location: RouteLocation
): Either.Either<Located, RoutingFailed> => {
  const { hierarchy } = ctx
  if (location.unitId !== undefined && !Hierarchy.has(hierarchy, location.unitId)) {
    return fail("unitId", "unknown-unit", `unit "${location.unitId}" is not in the hierarchy`)
  }
  let grid: Grid | undefined
  if (location.gridId !== undefined) {
    grid = ctx.grids?.find((g) => g.id === location.gridId)
    if (grid === undefined) return fail("gridId", "unknown-grid", `grid "${location.gridId}" is not known`)
  }
  if (location.position !== undefined) {
    const located = locateGrid(ctx, location.position)
    if (Either.isLeft(located)) {
      // a position outside every grid is fine when a unit or grid already says where
      if (
        located.left.rule !== "outside-every-grid" ||
        (location.unitId === undefined && grid === undefined)
      ) {
        return Either.left(located.left)
      }
    } else if (grid !== undefined && grid.id !== located.right.id) {
      return fail(
        "location",
        "location-mismatch",
        `position lies in grid "${located.right.id}", not in grid "${grid.id}"`
      )
    } else {
      grid = located.right
    }
  }
  if (grid !== undefined) {
    if (!Hierarchy.has(hierarchy, grid.communityId)) {
      return fail(
        "gridId",
        "unknown-unit",
        `grid "${grid.id}" belongs to community "${grid.communityId}", not in the hierarchy`
      )
    }
    if (location.unitId !== undefined && !Hierarchy.isWithin(hierarchy, location.unitId, grid.communityId)) {
      return fail(
        "location",
        "location-mismatch",
        `unit "${location.unitId}" lies outside grid "${grid.id}"'s community "${grid.communityId}"`
      )
    }
    return Either.right({
      unitId: UnitId.make(location.unitId ?? grid.communityId),
      gridId: Option.some(grid.id)
    })
  }
  if (location.unitId !== undefined)
    return Either.right({ unitId: UnitId.make(location.unitId), gridId: Option.none() })
  return fail("location", "no-location", "a report needs a unit, a grid or a position")
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
  return Either.flatMap(resolveLocation(ctx, request.location), (located) => {
    const community = tierUnitOf(ctx.hierarchy, located.unitId, "community", levels)
    if (Option.isNone(community)) {
      return fail(
        "location",
        "no-community",
        `unit "${located.unitId}" lies in no unit of level "${levels.community}"`
      )
    }
    const tier = CaseCategory.startTierOf(minor)
    const owner = tierUnitOf(ctx.hierarchy, community.value, tier, levels)
    if (Option.isNone(owner)) {
      return fail(
        "location",
        "no-tier-unit",
        `community "${community.value}" lies in no unit of level "${levels[tier]}" (tier ${tier})`
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
      communityId: community.value,
      tier,
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
