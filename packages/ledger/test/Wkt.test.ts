/**
 * 边界文本 WKT (core `Wkt`, issue 15): every boundary survives WKT and back
 * exactly (numbers in their shortest exact form), with altitude, holes and
 * several polygons; keywords in any case, full-width punctuation and a
 * PostGIS `SRID=4326;` prefix are read; an open ring, another geometry, a
 * position of one number or another SRID are refused naming the rule.
 */

import type * as GeoJson from "@civicgrid/core/GeoJson"
import * as Wkt from "@civicgrid/core/Wkt"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"

/** Finite coordinates (the LinearRing filter makes a Schema-derived arbitrary impractical: rings must close). */
const coordinate = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e7, max: 1e7 })

const positionOf = (dimensions: 2 | 3): fc.Arbitrary<GeoJson.Position> =>
  dimensions === 2 ? fc.tuple(coordinate, coordinate) : fc.tuple(coordinate, coordinate, coordinate)

const ringOf = (dimensions: 2 | 3) =>
  fc
    .array(positionOf(dimensions), { minLength: 3, maxLength: 8 })
    .map((ps): Array<GeoJson.Position> => [...ps, ...ps.slice(0, 1)])

const boundaryOf = (dimensions: 2 | 3): fc.Arbitrary<GeoJson.Boundary> => {
  const polygon = fc
    .tuple(ringOf(dimensions), fc.array(ringOf(dimensions), { maxLength: 2 }))
    .map(([exterior, holes]): GeoJson.Polygon => ({ type: "Polygon", coordinates: [exterior, ...holes] }))
  return fc.oneof(
    polygon,
    fc.array(polygon, { maxLength: 3 }).map(
      (polygons): GeoJson.MultiPolygon => ({
        type: "MultiPolygon",
        coordinates: polygons.map((p) => p.coordinates)
      })
    )
  )
}

const boundary = fc.oneof(boundaryOf(2), boundaryOf(3))

const reason = (text: string): string =>
  Either.match(Wkt.parse(text), { onLeft: (e) => e.message, onRight: () => "accepted" })

describe("Wkt 边界文本", () => {
  it.prop("polygon → WKT → polygon gives the same boundary", [boundary], ([b]) => {
    expect(Wkt.parse(Wkt.format(b))).toStrictEqual(Either.right(b))
  })

  it.prop("the schema encodes and decodes the same way", [boundary], ([b]) => {
    const text = Schema.encodeSync(Wkt.BoundaryFromWkt)(b)
    expect(text).toBe(Wkt.format(b))
    expect(Schema.decodeSync(Wkt.BoundaryFromWkt)(text)).toStrictEqual(b)
  })

  it("reads keywords in any case, full-width punctuation and SRID=4326", () => {
    const square: GeoJson.Polygon = {
      type: "Polygon",
      coordinates: [
        [
          [116.3, 39.9],
          [116.31, 39.9],
          [116.31, 39.91],
          [116.3, 39.9]
        ]
      ]
    }
    expect(Wkt.parse("polygon((116.3 39.9,116.31 39.9, 116.31 39.91 ,116.3 39.9))")).toStrictEqual(
      Either.right(square)
    )
    expect(Wkt.parse("POLYGON（（116.3 39.9，116.31 39.9，116.31 39.91，116.3 39.9））")).toStrictEqual(
      Either.right(square)
    )
    expect(Wkt.parse("SRID=4326;POLYGON((116.3 39.9, 116.31 39.9, 116.31 39.91, 116.3 39.9))")).toStrictEqual(
      Either.right(square)
    )
    expect(Wkt.parse("MULTIPOLYGON EMPTY")).toStrictEqual(
      Either.right({ type: "MultiPolygon", coordinates: [] })
    )
  })

  it("refuses what is not a boundary, naming where and why", () => {
    expect(reason("POLYGON((0 0, 1 0, 1 1, 0 1))")).toContain("linear ring must be closed")
    expect(reason("POINT(1 2)")).toContain("only POLYGON and MULTIPOLYGON")
    expect(reason("POLYGON((0 0, 1, 1 1, 0 0))")).toContain("第 16 个字符")
    expect(reason("POLYGON((0 0, 1 0, 1 1, 0 0)")).toContain("the text ends")
    expect(reason("POLYGON((0 0, 1 0, 1 1, 0 0)) x")).toContain("unexpected text after the boundary")
    expect(reason("SRID=3857;POLYGON((0 0, 1 0, 1 1, 0 0))")).toContain("SRID 3857")
    expect(reason("")).toContain("the text is empty")
    expect(reason("POLYGON((0 0, 1 0, 1 1, 0 0))")).toBe("accepted")
    expect(reason("POLYGON((a b))")).toContain("rule wkt")
  })
})
