/**
 * 地理边界 — the GeoJSON (RFC 7946) geometry a grid's boundary is drawn with:
 * Polygon and MultiPolygon, positions as `[longitude, latitude]`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * 坐标 — a GeoJSON position `[longitude, latitude]` (an optional altitude is accepted and ignored).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Position = Schema.Union(
  Schema.Tuple(Schema.Finite, Schema.Finite),
  Schema.Tuple(Schema.Finite, Schema.Finite, Schema.Finite)
).annotations({ identifier: "Position", title: "坐标 position [lon, lat]" })

/**
 * @since 0.1.0
 * @category models
 */
export type Position = typeof Position.Type

/**
 * 线性环 — a closed ring of at least four positions whose first and last positions are equal.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LinearRing = Schema.Array(Position).pipe(
  Schema.filter((ring) => {
    if (ring.length < 4) return "a linear ring needs at least 4 positions"
    const first = ring[0]
    const last = ring[ring.length - 1]
    if (first === undefined || last === undefined || first[0] !== last[0] || first[1] !== last[1]) {
      return "a linear ring must be closed: its first and last positions are equal"
    }
    return true
  }),
  Schema.annotations({ identifier: "LinearRing", title: "线性环 linear ring" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type LinearRing = typeof LinearRing.Type

/**
 * 多边形 — a GeoJSON Polygon: an exterior ring followed by any holes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Polygon = Schema.Struct({
  type: Schema.Literal("Polygon"),
  coordinates: Schema.NonEmptyArray(LinearRing)
}).annotations({ identifier: "Polygon", title: "多边形 polygon" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Polygon extends Schema.Schema.Type<typeof Polygon> {}

/**
 * 多多边形 — a GeoJSON MultiPolygon.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MultiPolygon = Schema.Struct({
  type: Schema.Literal("MultiPolygon"),
  coordinates: Schema.Array(Schema.NonEmptyArray(LinearRing))
}).annotations({ identifier: "MultiPolygon", title: "多多边形 multi-polygon" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MultiPolygon extends Schema.Schema.Type<typeof MultiPolygon> {}

/**
 * 网格边界 — an area boundary: a Polygon or a MultiPolygon.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Boundary = Schema.Union(Polygon, MultiPolygon).annotations({
  identifier: "Boundary",
  title: "边界 boundary"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Boundary = typeof Boundary.Type

/**
 * The polygons of a boundary (one for a Polygon), each as its list of rings.
 *
 * @since 0.1.0
 * @category getters
 */
export const polygonsOf = (boundary: Boundary): ReadonlyArray<ReadonlyArray<LinearRing>> =>
  boundary.type === "Polygon" ? [boundary.coordinates] : boundary.coordinates

/**
 * The bounding box `[minLon, minLat, maxLon, maxLat]` of a boundary.
 *
 * @since 0.1.0
 * @category getters
 */
export const bbox = (boundary: Boundary): readonly [number, number, number, number] => {
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  for (const polygon of polygonsOf(boundary)) {
    // the exterior ring bounds the polygon; holes lie inside it
    for (const [x, y] of polygon[0] ?? []) {
      if (x < minX) minX = x
      if (y < minY) minY = y
      if (x > maxX) maxX = x
      if (y > maxY) maxY = y
    }
  }
  return [minX, minY, maxX, maxY]
}
