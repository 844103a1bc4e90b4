/**
 * 坐标定位网格 — point location: given a longitude/latitude, find the grid whose
 * boundary contains it, to route a report to the grid (and so the grid worker)
 * where it happened, as FixMyStreet routes a report by area (网格化管理;
 * the Panlong district report: "人在网格走、事在网格办").
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
 * Beyond containment: `distanceMeters` (metres from a position to a boundary,
 * 0 inside; equirectangular on a sphere of the mean Earth radius), `nearest`
 * (the nearest grid within a radius, through the same R-tree — for a report
 * tapped on a road just outside every grid) and `pointOnSurface` (a 代表点
 * guaranteed to lie inside a boundary, for placing a grid on a map).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import * as Order from "effect/Order"
import * as Schema from "effect/Schema"
import { type Boundary, type Position, polygonsOf } from "./GeoJson.js"
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

// -----------------------------------------------------------------------------
// distance, nearest grid, point on surface
// -----------------------------------------------------------------------------

/**
 * 地球半径 — the mean Earth radius (IUGG, of the WGS-84 ellipsoid) in metres,
 * the radius behind `distanceMeters`.
 *
 * @since 0.1.0
 * @category constants
 */
export const earthRadiusMeters = 6_371_008.8

const metresPerDegree = (earthRadiusMeters * Math.PI) / 180

/** Equirectangular distance (metres) from the origin to the segment a–b, given in local metres. */
const segmentDistance = (ax: number, ay: number, bx: number, by: number): number => {
  const dx = bx - ax
  const dy = by - ay
  const len2 = dx * dx + dy * dy
  let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0
  if (t < 0) t = 0
  else if (t > 1) t = 1
  return Math.hypot(ax + t * dx, ay + t * dy)
}

/** Distance (metres) from `[lon, lat]` to the edges of prepared rings; 0 when the polygon contains it. */
const ringsDistance = (rings: internal.Rings, lon: number, lat: number, kx: number): number => {
  if (internal.contains(rings, lon, lat)) return 0
  let best = Number.POSITIVE_INFINITY
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const a = ring[i - 1]
      const b = ring[i]
      if (a === undefined || b === undefined) continue
      const d = segmentDistance(
        (a[0] - lon) * kx,
        (a[1] - lat) * metresPerDegree,
        (b[0] - lon) * kx,
        (b[1] - lat) * metresPerDegree
      )
      if (d < best) best = d
    }
  }
  // outside by less than a rounding error still counts as outside: keep the distance positive
  return best > 0 ? best : Number.MIN_VALUE
}

const lonScale = (lat: number): number => metresPerDegree * Math.cos((lat * Math.PI) / 180)

/**
 * 点到边界距离 — the distance in metres from a position to a boundary: 0 when
 * the boundary contains the position (boundary inclusive, exactly as `locate`
 * decides), otherwise the distance to the nearest edge of any ring (a hole's
 * edges too) of any polygon, always positive. Infinity for a boundary without
 * polygons.
 *
 * Metric: the **equirectangular approximation** on a sphere of radius
 * `earthRadiusMeters`, centred on the position (a longitude degree is
 * `cos(latitude)` times a latitude degree, edges are straight in
 * longitude/latitude as `locate` reads them). Within a few kilometres, the
 * scale of routing a report to a nearby grid, it differs from the
 * great-circle distance by well under 1%. A non-finite position gives NaN;
 * check positions with `checkPosition` first.
 *
 * @since 0.1.0
 * @category geometry
 */
export const distanceMeters: {
  (position: Position): (boundary: Boundary) => number
  (boundary: Boundary, position: Position): number
} = dual(2, (boundary: Boundary, position: Position): number => {
  const lon = position[0]
  const lat = position[1]
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return Number.NaN
  const kx = lonScale(lat)
  let best = Number.POSITIVE_INFINITY
  for (const polygon of polygonsOf(boundary)) {
    const rings = internal.prepare(polygon)
    if (rings === undefined) continue
    const d = ringsDistance(rings, lon, lat, kx)
    if (d < best) best = d
  }
  return best
})

/**
 * 最近网格 — a grid found by `nearest` and its distance in metres (0 when it contains the position).
 *
 * @since 0.1.0
 * @category models
 */
export interface NearestGrid {
  readonly grid: Grid
  readonly meters: number
}

/**
 * Options of `nearest`.
 *
 * @since 0.1.0
 * @category models
 */
export interface NearestOptions {
  /** 最大距离 — only grids within this many metres (inclusive) count; `Infinity` for any distance. */
  readonly maxMeters: number
  /** 候选网格 — only grids passing this test count (e.g. those of one jurisdiction); default: all. */
  readonly filter?: (grid: Grid) => boolean
}

/**
 * 就近网格 — the grid whose boundary is nearest to the position within
 * `maxMeters` (`distanceMeters`: equirectangular metres, 0 for a containing
 * grid); on equal distances the first in locate order. None when no indexed
 * grid passing `filter` lies that near; an `InvalidPosition` when the position
 * is not a valid longitude/latitude. The index's R-tree narrows the search to
 * the boxes within `maxMeters`, so a bounded search stays fast.
 *
 * @since 0.1.0
 * @category locating
 */
export const nearest = (
  index: GridIndex,
  position: Position,
  options: NearestOptions
): Either.Either<Option.Option<NearestGrid>, InvalidPosition> =>
  Either.map(checkPosition(position), ([lon, lat]) => {
    const { itemRank, itemRings, tree } = index[TypeId]
    const maxMeters = options.maxMeters
    if (tree === undefined || !(maxMeters >= 0)) return Option.none()
    const kx = lonScale(lat)
    const dLat = maxMeters / metresPerDegree
    const dLon = kx > 0 ? maxMeters / kx : Number.POSITIVE_INFINITY
    const candidates = Number.isFinite(dLat + dLon)
      ? tree.search(lon - dLon, lat - dLat, lon + dLon, lat + dLat)
      : tree.search(-180, -90, 180, 90)
    let bestRank = -1
    let bestMeters = Number.POSITIVE_INFINITY
    for (let i = 0; i < candidates.length; i++) {
      const item = candidates[i] ?? -1
      const rings = itemRings[item]
      const rank = itemRank[item]
      if (rings === undefined || rank === undefined) continue
      const grid = index.grids[rank]
      if (grid === undefined || (options.filter !== undefined && !options.filter(grid))) continue
      const d = ringsDistance(rings, lon, lat, kx)
      if (d > maxMeters) continue
      if (d < bestMeters || (d === bestMeters && rank < bestRank)) {
        bestRank = rank
        bestMeters = d
      }
    }
    const grid = index.grids[bestRank]
    return grid === undefined ? Option.none() : Option.some({ grid, meters: bestMeters })
  })

interface SurfacePoint {
  readonly x: number
  readonly y: number
  readonly width: number
}

/** The midpoint of the widest interior interval of a horizontal line through the polygon. */
const surfacePointOf = (rings: internal.Rings): SurfacePoint | undefined => {
  const exterior = rings[0]
  const first = exterior?.[0]
  if (exterior === undefined || first === undefined) return undefined
  let minY = Number.POSITIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  for (const [, y] of exterior) {
    if (y < minY) minY = y
    if (y > maxY) maxY = y
  }
  const vertex = { x: first[0], y: first[1], width: 0 }
  if (!(maxY > minY)) return vertex
  // a scan line strictly between the two vertex latitudes nearest the middle crosses no vertex
  const centre = (minY + maxY) / 2
  let lo = minY
  let hi = maxY
  for (const ring of rings) {
    for (const [, y] of ring) {
      if (y <= centre && y > lo) lo = y
      if (y > centre && y < hi) hi = y
    }
  }
  const scanY = (lo + hi) / 2
  const xs: Array<number> = []
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const a = ring[i - 1]
      const b = ring[i]
      if (a === undefined || b === undefined) continue
      if (a[1] > scanY !== b[1] > scanY) xs.push(a[0] + ((scanY - a[1]) * (b[0] - a[0])) / (b[1] - a[1]))
    }
  }
  xs.sort((p, q) => p - q)
  let best: SurfacePoint = vertex
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const x0 = xs[i] ?? 0
    const x1 = xs[i + 1] ?? 0
    if (x1 - x0 > best.width) best = { x: (x0 + x1) / 2, y: scanY, width: x1 - x0 }
  }
  // guard against rounding (a sliver narrower than the float spacing): a vertex is on the boundary
  return internal.contains(rings, best.x, best.y) ? best : vertex
}

/**
 * 代表点 — a point on the surface of a boundary, guaranteed to lie in it
 * (`locate` finds the boundary's grid there): the midpoint of the widest
 * interior stretch of a horizontal line through the middle of the polygon
 * (strictly between vertex latitudes, so holes and concave shapes are
 * respected), over every polygon of a MultiPolygon. Unlike a centroid it never
 * falls into a hole or outside a concave shape. A polygon without area gives
 * one of its vertices (on its boundary, so still located); none for a
 * boundary without polygons.
 *
 * @since 0.1.0
 * @category geometry
 */
export const pointOnSurface = (boundary: Boundary): Option.Option<Position> => {
  let best: SurfacePoint | undefined
  for (const polygon of polygonsOf(boundary)) {
    const rings = internal.prepare(polygon)
    if (rings === undefined) continue
    const point = surfacePointOf(rings)
    if (point !== undefined && (best === undefined || point.width > best.width)) best = point
  }
  return best === undefined ? Option.none() : Option.some([best.x, best.y])
}
