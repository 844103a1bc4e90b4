/**
 * 坐标定位网格 — point location: given a longitude/latitude, find the grid whose
 * boundary contains it, to route a report to the grid (and so the grid worker)
 * where it happened, as FixMyStreet routes a report by area (domain brief §2,
 * "Point location"; seed 001: "人在网格走、事在网格办").
 *
 * `make` builds an immutable index over every grid that has a boundary (one
 * bounding box per polygon, in a static packed Hilbert R-tree); `locate` and
 * `locateAll` answer a lookup in about logarithmic time, so thousands of grids
 * stay fast. `locateLinear` is the O(n) reference that scans every grid.
 *
 * Semantics:
 * - **Boundary inclusive**: a point on an edge or a vertex of a grid's polygon
 *   belongs to the grid. A point strictly inside a hole is outside; a point on
 *   a hole's edge is on the boundary, so it belongs to the grid.
 * - **MultiPolygon**: a grid contains a point when any of its polygons does.
 * - **Several grids** (a shared edge or vertex, or overlapping grids such as a
 *   dedicated grid drawn over basic ones): `locateAll` returns every one of them
 *   in locate order; `locate` returns the first. The default locate order puts
 *   基础网格 basic grids before 专属网格 dedicated grids (basic grids partition
 *   the community, "全覆盖、无疏漏", and carry its "1+1+1+n" staff, so they own a
 *   report by default), then the smaller id (UTF-16 code-unit order). The
 *   order is configuration (`make`'s `order` option; `dedicatedFirst` is given).
 *   Grids with equal ids keep their input order.
 * - **Invalid positions** (a non-finite coordinate, longitude outside
 *   [-180, 180], latitude outside [-90, 90]) give `Either.left(InvalidPosition)`
 *   listing every violation; an altitude is ignored.
 * - **Planar**: edges are straight lines in longitude/latitude, as RFC 7946
 *   §3.1.1 reads them; no boundary may cross the antimeridian. Points and
 *   boundaries must use the same datum — Chinese web maps serve GCJ-02
 *   (火星坐标) or BD-09, GPS gives WGS-84; convert before locating.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import * as Order from "effect/Order"
import * as Schema from "effect/Schema"
import { type Position, polygonsOf } from "./GeoJson.js"
import type { Grid } from "./Grid.js"
import * as internal from "./internal/pointLocation.js"

/**
 * The brand of a `GridIndex`; the property under it holds the packed R-tree
 * (an implementation detail, not part of the API).
 *
 * @since 0.1.0
 * @category symbols
 */
export const TypeId: unique symbol = Symbol.for("@civicgrid/core/PointLocation/GridIndex")

/**
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * 网格空间索引 — an immutable spatial index of grids for point location.
 *
 * @since 0.1.0
 * @category models
 */
export interface GridIndex {
  /** 已索引网格 — the grids with a boundary, in locate order. */
  readonly grids: ReadonlyArray<Grid>
  /**
   * 无法定位的网格 — grids that no point can locate: those without a boundary
   * (and any whose boundary has no polygon, an empty MultiPolygon), in locate
   * order. Listed so that a missing boundary is visible, not silently dropped.
   */
  readonly unlocatable: ReadonlyArray<Grid>
  /** The number of polygons indexed (a MultiPolygon contributes one per polygon). */
  readonly polygons: number
  /** The packed R-tree (implementation detail). */
  readonly [TypeId]: internal.Packed
}

/**
 * 定位次序 — basic grids (基础网格) before dedicated grids (专属网格), then by id:
 * the default order in which `locate` picks among several containing grids.
 *
 * @since 0.1.0
 * @category orders
 */
export const basicFirst: Order.Order<Grid> = Order.combine(
  Order.mapInput(Order.number, (grid: Grid) => (grid.kind === "basic" ? 0 : 1)),
  Order.mapInput(Order.string, (grid: Grid) => grid.id)
)

/**
 * Dedicated grids (专属网格) before basic grids (基础网格), then by id: for
 * platforms that route a report inside a school or hospital to its dedicated
 * grid even where a basic grid overlaps it.
 *
 * @since 0.1.0
 * @category orders
 */
export const dedicatedFirst: Order.Order<Grid> = Order.combine(
  Order.mapInput(Order.number, (grid: Grid) => (grid.kind === "dedicated" ? 0 : 1)),
  Order.mapInput(Order.string, (grid: Grid) => grid.id)
)

/**
 * Options of `make` and `locateLinear`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** 定位次序 — the order of `locateAll`'s result; `locate` takes the first. Default `basicFirst`. */
  readonly order?: Order.Order<Grid>
}

/**
 * 坐标分量 — the coordinate a position violation concerns.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PositionField = Schema.Literal("longitude", "latitude").annotations({
  identifier: "PositionField",
  title: "坐标分量 position field"
})

/**
 * @since 0.1.0
 * @category models
 */
export type PositionField = typeof PositionField.Type

/**
 * 坐标规则 — `finite`: a coordinate is a finite number; `range`: longitude lies
 * in [-180, 180] and latitude in [-90, 90].
 *
 * @since 0.1.0
 * @category schemas
 */
export const PositionRule = Schema.Literal("finite", "range").annotations({
  identifier: "PositionRule",
  title: "坐标规则 position rule"
})

/**
 * @since 0.1.0
 * @category models
 */
export type PositionRule = typeof PositionRule.Type

/**
 * 坐标违规 — one rule a position breaks: the field, the rule and a readable message.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PositionViolation = Schema.Struct({
  field: PositionField,
  rule: PositionRule,
  message: Schema.String
}).annotations({ identifier: "PositionViolation", title: "坐标违规 position violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PositionViolation extends Schema.Schema.Type<typeof PositionViolation> {}

/**
 * 坐标无效 — a position that cannot be located, with every rule it breaks.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidPosition extends Schema.TaggedError<InvalidPosition>()("InvalidPosition", {
  /** The position as given. */
  position: Schema.Array(Schema.Number),
  violations: Schema.NonEmptyArray(PositionViolation)
}) {
  override get message(): string {
    return `invalid position [${this.position.join(", ")}]: ${this.violations.map((v) => v.message).join("; ")}`
  }
}

const fieldNames: Record<PositionField, string> = { longitude: "经度 longitude", latitude: "纬度 latitude" }
const limits: Record<PositionField, number> = { longitude: 180, latitude: 90 }

const checkField = (field: PositionField, value: number): PositionViolation | undefined => {
  if (!Number.isFinite(value)) {
    return { field, rule: "finite", message: `${fieldNames[field]} must be a finite number (got ${value})` }
  }
  const limit = limits[field]
  if (value < -limit || value > limit) {
    return {
      field,
      rule: "range",
      message: `${fieldNames[field]} must lie in [-${limit}, ${limit}] (got ${value})`
    }
  }
  return undefined
}

/**
 * 坐标校验 — checks a position for point location: both coordinates finite,
 * longitude in [-180, 180], latitude in [-90, 90]. Returns `[lon, lat]` or an
 * `InvalidPosition` listing every violation (an altitude is ignored).
 *
 * @since 0.1.0
 * @category validation
 */
export const checkPosition = (
  position: Position
): Either.Either<readonly [number, number], InvalidPosition> => {
  const lon = position[0]
  const lat = position[1]
  const lonViolation = checkField("longitude", lon)
  const latViolation = checkField("latitude", lat)
  if (lonViolation === undefined && latViolation === undefined) return Either.right([lon, lat])
  const violations: Array<PositionViolation> = []
  if (lonViolation !== undefined) violations.push(lonViolation)
  if (latViolation !== undefined) violations.push(latViolation)
  const [first, ...rest] = violations
  if (first === undefined) return Either.right([lon, lat])
  return Either.left(new InvalidPosition({ position: [...position], violations: [first, ...rest] }))
}

const isValid = (lon: number, lat: number): boolean =>
  Number.isFinite(lon) && Number.isFinite(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90

const preparedPolygons = (grid: Grid): Array<internal.Rings> => {
  const prepared: Array<internal.Rings> = []
  if (grid.boundary === undefined) return prepared
  for (const polygon of polygonsOf(grid.boundary)) {
    const rings = internal.prepare(polygon)
    if (rings !== undefined) prepared.push(rings)
  }
  return prepared
}

/**
 * 建立索引 — builds the point-location index over every grid with a boundary
 * (one R-tree box per polygon; a MultiPolygon contributes one per polygon).
 * Grids without a boundary are listed in `unlocatable`. The boundaries are
 * copied, so later changes to the input do not affect the index.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (grids: Iterable<Grid>, options?: Options): GridIndex => {
  const sorted = Array.from(grids).sort(options?.order ?? basicFirst)
  const located: Array<Grid> = []
  const unlocatable: Array<Grid> = []
  const polygonsByRank: Array<ReadonlyArray<internal.Rings>> = []
  let polygons = 0
  for (const grid of sorted) {
    const prepared = preparedPolygons(grid)
    if (prepared.length === 0) {
      unlocatable.push(grid)
    } else {
      located.push(grid)
      polygonsByRank.push(prepared)
      polygons += prepared.length
    }
  }
  return Object.freeze({
    grids: Object.freeze(located),
    unlocatable: Object.freeze(unlocatable),
    polygons,
    [TypeId]: internal.pack(polygonsByRank)
  })
}

/**
 * 坐标定位 — the grid whose boundary contains the position (boundary
 * inclusive); where several do, the first in locate order (default: basic
 * before dedicated, then the smaller id). None when no grid contains it; an
 * `InvalidPosition` when the position is not a valid longitude/latitude.
 *
 * @since 0.1.0
 * @category locating
 */
export const locate: {
  (position: Position): (index: GridIndex) => Either.Either<Option.Option<Grid>, InvalidPosition>
  (index: GridIndex, position: Position): Either.Either<Option.Option<Grid>, InvalidPosition>
} = dual(2, (index: GridIndex, position: Position): Either.Either<Option.Option<Grid>, InvalidPosition> => {
  const lon = position[0]
  const lat = position[1]
  if (!isValid(lon, lat)) return Either.map(checkPosition(position), () => Option.none())
  const rank = internal.firstHit(index[TypeId], lon, lat)
  return Either.right(Option.fromNullable(index.grids[rank]))
})

/**
 * 坐标定位（全部） — every grid whose boundary contains the position (boundary
 * inclusive), in locate order, each once; empty when none does.
 *
 * @since 0.1.0
 * @category locating
 */
export const locateAll: {
  (position: Position): (index: GridIndex) => Either.Either<ReadonlyArray<Grid>, InvalidPosition>
  (index: GridIndex, position: Position): Either.Either<ReadonlyArray<Grid>, InvalidPosition>
} = dual(2, (index: GridIndex, position: Position): Either.Either<ReadonlyArray<Grid>, InvalidPosition> => {
  const lon = position[0]
  const lat = position[1]
  if (!isValid(lon, lat)) return Either.map(checkPosition(position), () => [])
  const found: Array<Grid> = []
  for (const rank of internal.allHits(index[TypeId], lon, lat)) {
    const grid = index.grids[rank]
    if (grid !== undefined) found.push(grid)
  }
  return Either.right(found)
})

/**
 * 线性扫描定位 — the O(n) reference: tests every polygon of every grid (no
 * index, no bounding-box pre-check) and returns every containing grid in
 * locate order, as `locateAll` does. For tests and tiny inputs; use `make` +
 * `locate` for anything else.
 *
 * @since 0.1.0
 * @category locating
 */
export const locateLinear = (
  grids: Iterable<Grid>,
  position: Position,
  options?: Options
): Either.Either<ReadonlyArray<Grid>, InvalidPosition> =>
  Either.map(checkPosition(position), ([lon, lat]) =>
    Array.from(grids)
      .filter((grid) => preparedPolygons(grid).some((rings) => internal.contains(rings, lon, lat)))
      .sort(options?.order ?? basicFirst)
  )
