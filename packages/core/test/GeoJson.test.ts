import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as GeoJson from "../src/GeoJson.js"

const decodeRing = Schema.decodeUnknownEither(GeoJson.LinearRing)
const decodeBoundary = Schema.decodeUnknownEither(GeoJson.Boundary)

const errorText = (result: Either.Either<unknown, { readonly message: string }>): string =>
  Either.match(result, { onLeft: (e) => e.message, onRight: () => "" })

/** Finite coordinates, as GeoJSON positions carry them. */
const coordinate = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
const position = fc.tuple(coordinate, coordinate)

/** A closed ring: three or more positions, then the first again. */
const ring = fc
  .array(position, { minLength: 3, maxLength: 12 })
  .map((ps): Array<readonly [number, number]> => [...ps, ...ps.slice(0, 1)])

const polygon = fc
  .tuple(ring, fc.array(ring, { maxLength: 2 }))
  .map(([exterior, holes]): GeoJson.Polygon => ({ type: "Polygon", coordinates: [exterior, ...holes] }))

const boundary: fc.Arbitrary<GeoJson.Boundary> = fc.oneof(
  polygon,
  fc.array(polygon, { minLength: 1, maxLength: 4 }).map(
    (polygons): GeoJson.MultiPolygon => ({
      type: "MultiPolygon",
      coordinates: polygons.map((p) => p.coordinates)
    })
  )
)

const square: ReadonlyArray<readonly [number, number]> = [
  [116.3, 39.9],
  [116.31, 39.9],
  [116.31, 39.91],
  [116.3, 39.91],
  [116.3, 39.9]
]

describe("GeoJson.Position", () => {
  it("坐标: [lon, lat] decodes, and an altitude is accepted", () => {
    expect(Either.isRight(Schema.decodeUnknownEither(GeoJson.Position)([116.3, 39.9]))).toBe(true)
    expect(Either.isRight(Schema.decodeUnknownEither(GeoJson.Position)([116.3, 39.9, 44.5]))).toBe(true)
  })

  it("坐标: a non-finite coordinate or a single number is rejected", () => {
    for (const bad of [[Number.NaN, 39.9], [116.3, Number.POSITIVE_INFINITY], [116.3], []]) {
      expect(Either.isLeft(Schema.decodeUnknownEither(GeoJson.Position)(bad))).toBe(true)
    }
  })
})

describe("GeoJson.LinearRing", () => {
  it("线性环: a closed ring of four positions decodes", () => {
    expect(Either.isRight(decodeRing([...square.slice(0, 3), square[0]]))).toBe(true)
  })

  it("线性环: an open ring is rejected with a message saying it must be closed", () => {
    const result = decodeRing(square.slice(0, 4))
    expect(Either.isLeft(result)).toBe(true)
    expect(errorText(result)).toContain("a linear ring must be closed")
  })

  it("线性环: a ring closed in longitude only is still open", () => {
    const result = decodeRing([...square.slice(0, 4), [116.3, 39.95]])
    expect(errorText(result)).toContain("a linear ring must be closed")
  })

  it("线性环: fewer than four positions are rejected with a message, even when closed", () => {
    for (const bad of [[], [square[0]], [square[0], square[0]], [square[0], square[1], square[0]]]) {
      const result = decodeRing(bad)
      expect(Either.isLeft(result)).toBe(true)
      expect(errorText(result)).toContain("a linear ring needs at least 4 positions")
    }
  })

  it.prop("线性环: every closed ring of at least four positions decodes", [ring], ([r]) => {
    expect(decodeRing(r)).toStrictEqual(Either.right(r))
  })

  it.prop(
    "线性环: a ring whose last position differs from its first is rejected",
    [fc.array(position, { minLength: 4, maxLength: 12 })],
    ([ps]) => {
      const first = ps[0]
      const last = ps[ps.length - 1]
      fc.pre(first !== undefined && last !== undefined && (first[0] !== last[0] || first[1] !== last[1]))
      expect(errorText(decodeRing(ps))).toContain("a linear ring must be closed")
    }
  )
})

describe("GeoJson.Polygon and GeoJson.MultiPolygon", () => {
  it("多边形: a Polygon with an exterior ring and a hole decodes", () => {
    const hole = [
      [116.302, 39.902],
      [116.302, 39.904],
      [116.304, 39.904],
      [116.304, 39.902],
      [116.302, 39.902]
    ]
    const result = Schema.decodeUnknownEither(GeoJson.Polygon)({
      type: "Polygon",
      coordinates: [square, hole]
    })
    expect(Either.isRight(result)).toBe(true)
  })

  it("多边形: a Polygon needs at least one ring, and every ring must be valid", () => {
    const decode = Schema.decodeUnknownEither(GeoJson.Polygon)
    expect(Either.isLeft(decode({ type: "Polygon", coordinates: [] }))).toBe(true)
    expect(errorText(decode({ type: "Polygon", coordinates: [square.slice(0, 4)] }))).toContain(
      "a linear ring must be closed"
    )
  })

  it("多多边形: a MultiPolygon of two polygons decodes, and so does an empty one", () => {
    const decode = Schema.decodeUnknownEither(GeoJson.MultiPolygon)
    const shifted = square.map(([x, y]) => [x + 0.02, y])
    expect(Either.isRight(decode({ type: "MultiPolygon", coordinates: [[square], [shifted]] }))).toBe(true)
    expect(Either.isRight(decode({ type: "MultiPolygon", coordinates: [] }))).toBe(true)
  })

  it("边界: a Boundary is a Polygon or a MultiPolygon, told apart by `type`", () => {
    expect(Either.isRight(decodeBoundary({ type: "Polygon", coordinates: [square] }))).toBe(true)
    expect(Either.isRight(decodeBoundary({ type: "MultiPolygon", coordinates: [[square]] }))).toBe(true)
    expect(Either.isLeft(decodeBoundary({ type: "Point", coordinates: [116.3, 39.9] }))).toBe(true)
    expect(Either.isLeft(decodeBoundary({ type: "MultiPolygon", coordinates: [square] }))).toBe(true)
  })

  it.prop("边界: every generated boundary decodes to itself", [boundary], ([b]) => {
    expect(decodeBoundary(b)).toStrictEqual(Either.right(b))
  })

  it.prop("polygonsOf: a Polygon gives itself; a MultiPolygon gives its polygons", [boundary], ([b]) => {
    const polygons = GeoJson.polygonsOf(b)
    expect(polygons).toStrictEqual(b.type === "Polygon" ? [b.coordinates] : b.coordinates)
  })
})

describe("GeoJson.bbox", () => {
  it("bbox: the box of a square is its corners", () => {
    expect(GeoJson.bbox({ type: "Polygon", coordinates: [square] })).toStrictEqual([
      116.3, 39.9, 116.31, 39.91
    ])
  })

  it.prop("bbox: every exterior position lies within the bounding box", [boundary], ([b]) => {
    const [minX, minY, maxX, maxY] = GeoJson.bbox(b)
    for (const p of GeoJson.polygonsOf(b)) {
      for (const [x, y] of p[0] ?? []) {
        expect(minX <= x && x <= maxX && minY <= y && y <= maxY).toBe(true)
      }
    }
  })

  it.prop("bbox: the box is tight — each bound is attained by an exterior position", [boundary], ([b]) => {
    const [minX, minY, maxX, maxY] = GeoJson.bbox(b)
    const exterior = GeoJson.polygonsOf(b).flatMap((p) => p[0] ?? [])
    expect(exterior.some(([x]) => x === minX)).toBe(true)
    expect(exterior.some(([, y]) => y === minY)).toBe(true)
    expect(exterior.some(([x]) => x === maxX)).toBe(true)
    expect(exterior.some(([, y]) => y === maxY)).toBe(true)
  })
})
