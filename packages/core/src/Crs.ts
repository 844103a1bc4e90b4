/**
 * 坐标系 — the coordinate reference systems Chinese map data comes in, and the
 * conversions between them. civicgrid stores WGS-84 (GPS, GeoJSON RFC 7946);
 * data drawn on 高德 (AMap) or 腾讯 (Tencent) maps is GCJ-02 (国测局坐标, “火星坐标”),
 * on 百度 (Baidu) maps BD-09. Import converts to WGS-84 once, at the boundary.
 *
 * The conversions are those of the `gcoord` library (MIT). Like gcoord, the
 * GCJ-02 offset applies only inside gcoord's rough bounding box of China
 * (longitude 72.004–137.8347, latitude 0.8293–55.8271): outside it a GCJ-02
 * position is its WGS-84 position (the identity). BD-09 is GCJ-02 with Baidu's
 * further offset, applied everywhere. GCJ-02 → WGS-84 is solved by iteration
 * until the re-encoded position is within 1e-6 degrees of the given one, so a
 * round trip returns within half a metre (about 0.3 m at worst) — below the
 * accuracy of the map data itself.
 *
 * @since 0.1.0
 */
import type * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import gcoordModule from "gcoord"
import type { Boundary, LinearRing, Position } from "./GeoJson.js"

type Gcoord = typeof gcoordModule.default

// gcoord is CommonJS (`module.exports = gcoord`) while its declarations say `export default`:
// Node's ESM import and bundlers hand over the object itself, TypeScript's view nests it in `default`.
const gcoord: Gcoord =
  "transform" in gcoordModule ? (gcoordModule as unknown as Gcoord) : gcoordModule.default

/**
 * 坐标系 — a coordinate reference system: `WGS84` (GPS, GeoJSON, what civicgrid
 * stores), `GCJ02` (高德/腾讯 maps, 火星坐标) or `BD09` (百度 maps).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Crs = Schema.Literal("WGS84", "GCJ02", "BD09").annotations({
  identifier: "Crs",
  title: "坐标系 coordinate reference system"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Crs = typeof Crs.Type

/**
 * 坐标系别名 — the names a coordinate system is commonly given, lower-cased,
 * each with the system it names: `wgs84`, `wgs-84`, `gps`; `gcj02`, `gcj-02`,
 * `火星`, `高德`, `腾讯`; `bd09`, `bd-09`, `百度`.
 *
 * @since 0.1.0
 * @category constants
 */
export const aliases: Readonly<Record<string, Crs>> = {
  wgs84: "WGS84",
  "wgs-84": "WGS84",
  gps: "WGS84",
  gcj02: "GCJ02",
  "gcj-02": "GCJ02",
  火星: "GCJ02",
  高德: "GCJ02",
  腾讯: "GCJ02",
  bd09: "BD09",
  "bd-09": "BD09",
  百度: "BD09"
}

/**
 * 坐标系名称 — the coordinate system a name denotes (trimmed, any case; see
 * `aliases`), or `undefined` for a name it does not know.
 *
 * @since 0.1.0
 * @category parsing
 */
export const fromName = (name: string): Crs | undefined => {
  const key = name.trim().toLowerCase()
  return Object.hasOwn(aliases, key) ? aliases[key] : undefined
}

/**
 * 坐标系（含别名） — decodes a coordinate system from its name or a common
 * alias (case-insensitive, trimmed; see `aliases`); encodes to the canonical
 * literal. An unknown name fails with a bilingual message listing the accepted names.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CrsFromName = Schema.transformOrFail(Schema.String, Crs, {
  strict: true,
  decode: (name, _, ast) => {
    const crs = fromName(name)
    return crs === undefined
      ? ParseResult.fail(
          new ParseResult.Type(
            ast,
            name,
            `坐标系 crs：未知的坐标系「${name}」，应为 ${Object.keys(aliases).join("、")} 之一 — ` +
              `unknown coordinate system "${name}"; expected one of ${Object.keys(aliases).join(", ")}`
          )
        )
      : ParseResult.succeed(crs)
  },
  encode: (crs) => ParseResult.succeed(crs)
}).annotations({ identifier: "CrsFromName", title: "坐标系 coordinate reference system (name or alias)" })

/**
 * Decodes a coordinate system's name or alias (`CrsFromName`).
 *
 * @since 0.1.0
 * @category parsing
 */
export const decodeName: (name: string) => Either.Either<Crs, ParseResult.ParseError> =
  Schema.decodeUnknownEither(CrsFromName)

/**
 * 坐标转换 — converts a position from one coordinate system to another
 * (`[longitude, latitude]`; an altitude is kept unchanged). The same system on
 * both sides is the identity.
 *
 * @since 0.1.0
 * @category conversions
 */
export const convert =
  (from: Crs, to: Crs) =>
  (position: Position): Position => {
    if (from === to) return position
    const [lon, lat] = gcoord.transform(
      [position[0], position[1]],
      gcoord.CRSTypes[from],
      gcoord.CRSTypes[to]
    )
    return position.length === 3 ? [lon, lat, position[2]] : [lon, lat]
  }

/**
 * 转为 WGS-84 — converts a position given in `crs` to WGS-84, the system civicgrid stores.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toWgs84 = (crs: Crs): ((position: Position) => Position) => convert(crs, "WGS84")

/**
 * 由 WGS-84 转换 — converts a WGS-84 position to `crs` (e.g. to draw it on a 高德 or 百度 map).
 *
 * @since 0.1.0
 * @category conversions
 */
export const fromWgs84 = (crs: Crs): ((position: Position) => Position) => convert("WGS84", crs)

/**
 * 边界坐标转换 — converts every position of a Polygon or MultiPolygon boundary
 * from one coordinate system to another, returning a new boundary (the input is
 * not changed). Each position is converted on its own and equal positions give
 * equal results, so every ring stays closed; the offsets vary smoothly over
 * kilometres, so a ring keeps its orientation (exterior and holes alike).
 *
 * @since 0.1.0
 * @category conversions
 */
export const convertBoundary =
  (from: Crs, to: Crs) =>
  (boundary: Boundary): Boundary => {
    if (from === to) return boundary
    const point = convert(from, to)
    const ring = (r: LinearRing): LinearRing => r.map(point)
    const polygon = (rings: readonly [LinearRing, ...Array<LinearRing>]) =>
      [ring(rings[0]), ...rings.slice(1).map(ring)] as const
    return boundary.type === "Polygon"
      ? { type: "Polygon", coordinates: polygon(boundary.coordinates) }
      : { type: "MultiPolygon", coordinates: boundary.coordinates.map(polygon) }
  }
