import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Crs from "../src/Crs.js"
import type { Boundary, LinearRing, Position } from "../src/GeoJson.js"

// -----------------------------------------------------------------------------
// helpers
// -----------------------------------------------------------------------------

/** Great-circle distance in metres (haversine, mean Earth radius). */
const metres = (a: Position, b: Position): number => {
  const rad = Math.PI / 180
  const dLat = (b[1] - a[1]) * rad
  const dLon = (b[0] - a[0]) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h))
}

/** Twice the signed area of a closed ring (shoelace): > 0 counter-clockwise. */
const signedArea = (ring: LinearRing): number => {
  let sum = 0
  for (let i = 0; i + 1 < ring.length; i++) {
    const p = ring[i] as Position
    const q = ring[i + 1] as Position
    sum += p[0] * q[1] - q[0] * p[1]
  }
  return sum
}

const inChina = fc.tuple(
  fc.double({ min: 73, max: 135, noNaN: true }),
  fc.double({ min: 18, max: 54, noNaN: true })
)

// well outside gcoord's bounding box of China (lon 72.004–137.8347, lat 0.8293–55.8271)
const outsideChina = fc.oneof(
  fc.tuple(fc.double({ min: -180, max: 70, noNaN: true }), fc.double({ min: -85, max: 85, noNaN: true })),
  fc.tuple(fc.double({ min: 140, max: 180, noNaN: true }), fc.double({ min: -85, max: 85, noNaN: true })),
  fc.tuple(fc.double({ min: 73, max: 135, noNaN: true }), fc.double({ min: -85, max: -1, noNaN: true })),
  fc.tuple(fc.double({ min: 73, max: 135, noNaN: true }), fc.double({ min: 57, max: 85, noNaN: true }))
)

/** A closed quadrilateral around a centre (size in degrees), counter-clockwise or clockwise. */
const ring = (centre: readonly [number, number], size: number, clockwise: boolean): LinearRing => {
  const [x, y] = centre
  const ccw: Array<Position> = [
    [x, y],
    [x + size, y],
    [x + size, y + size * 0.7],
    [x + size * 0.2, y + size]
  ]
  const points = clockwise ? [...ccw].reverse() : ccw
  return [...points, points[0] as Position]
}

const crsArb = fc.constantFrom<Crs.Crs>("WGS84", "GCJ02", "BD09")

// -----------------------------------------------------------------------------
// names
// -----------------------------------------------------------------------------

describe("Crs names 坐标系名称", () => {
  it("decodes the canonical names and every alias, in any case and with spaces around", () => {
    const cases: ReadonlyArray<readonly [string, Crs.Crs]> = [
      ["WGS84", "WGS84"],
      ["wgs-84", "WGS84"],
      [" GPS ", "WGS84"],
      ["gcj02", "GCJ02"],
      ["GCJ-02", "GCJ02"],
      ["火星", "GCJ02"],
      ["高德", "GCJ02"],
      ["腾讯", "GCJ02"],
      ["Bd09", "BD09"],
      ["BD-09", "BD09"],
      ["百度", "BD09"]
    ]
    for (const [name, crs] of cases) {
      expect(Crs.decodeName(name)).toStrictEqual(Either.right(crs))
    }
  })

  it("refuses an unknown name with a bilingual message naming it", () => {
    for (const name of ["EPSG3857", "", "google", "toString", "constructor"]) {
      const result = Crs.decodeName(name)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left.message).toContain(`未知的坐标系「${name}」`)
        expect(result.left.message).toContain(`unknown coordinate system "${name}"`)
      }
    }
  })
})

// -----------------------------------------------------------------------------
// reference points
// -----------------------------------------------------------------------------

describe("Crs reference points 参考点", () => {
  // gcoord's own unit tests, test/unit/crs/GCJ02.spec.ts and BD09.spec.ts (hujiulong/gcoord), to 5 decimals
  it("GCJ-02 [123, 45] is WGS-84 [122.99395597, 44.99804071] (gcoord GCJ02.spec.ts)", () => {
    const [lon, lat] = Crs.toWgs84("GCJ02")([123, 45])
    expect(lon).toBeCloseTo(122.99395597, 5)
    expect(lat).toBeCloseTo(44.99804071, 5)
  })

  it("BD-09 [123, 45] is WGS-84 [122.98762210, 44.99171540] (gcoord BD09.spec.ts)", () => {
    const [lon, lat] = Crs.toWgs84("BD09")([123, 45])
    expect(lon).toBeCloseTo(122.9876221, 5)
    expect(lat).toBeCloseTo(44.9917154, 5)
  })

  it("BD-09 [123, 45] is GCJ-02 [122.99363304, 44.99365430] (gcoord BD09.spec.ts)", () => {
    const [lon, lat] = Crs.convert("BD09", "GCJ02")([123, 45])
    expect(lon).toBeCloseTo(122.99363304, 5)
    expect(lat).toBeCloseTo(44.9936543, 5)
  })

  // gcoord README, “使用”: WGS-84 [116.403988, 39.914266] → BD-09 [116.41661560068297, 39.92196580126834]
  it("WGS-84 [116.403988, 39.914266] is BD-09 [116.41661560068297, 39.92196580126834] (gcoord README)", () => {
    const [lon, lat] = Crs.fromWgs84("BD09")([116.403988, 39.914266])
    expect(lon).toBeCloseTo(116.41661560068297, 8)
    expect(lat).toBeCloseTo(39.92196580126834, 8)
  })

  it("GCJ-02 outside China is the identity (gcoord GCJ02.spec.ts: [183, 45])", () => {
    expect(Crs.toWgs84("GCJ02")([183, 45])).toStrictEqual([183, 45])
  })

  it("keeps an altitude unchanged", () => {
    const converted = Crs.toWgs84("GCJ02")([123, 45, 87.5])
    expect(converted.length).toBe(3)
    expect(converted[2]).toBe(87.5)
  })
})

// -----------------------------------------------------------------------------
// properties
// -----------------------------------------------------------------------------

describe("Crs properties 性质", () => {
  it.prop("GCJ-02 → WGS-84 → GCJ-02 returns within 1 m, in China", [inChina], ([position]) => {
    const back = Crs.fromWgs84("GCJ02")(Crs.toWgs84("GCJ02")(position))
    expect(metres(position, back)).toBeLessThan(1)
  })

  it.prop("BD-09 → WGS-84 → BD-09 returns within 1 m, in China", [inChina], ([position]) => {
    const back = Crs.fromWgs84("BD09")(Crs.toWgs84("BD09")(position))
    expect(metres(position, back)).toBeLessThan(1)
  })

  it.prop("the GCJ-02 offset in China is real and bounded (1 m – 1 km)", [inChina], ([position]) => {
    const offset = metres(position, Crs.toWgs84("GCJ02")(position))
    expect(offset).toBeGreaterThan(1)
    expect(offset).toBeLessThan(1000)
  })

  it.prop("GCJ-02 ↔ WGS-84 is the identity outside China", [outsideChina], ([position]) => {
    expect(Crs.toWgs84("GCJ02")(position)).toStrictEqual(position)
    expect(Crs.fromWgs84("GCJ02")(position)).toStrictEqual(position)
  })

  it.prop("a system converted to itself is the identity", [crsArb, inChina], ([crs, position]) => {
    expect(Crs.convert(crs, crs)(position)).toStrictEqual(position)
  })

  it.prop(
    "a converted boundary keeps every ring closed, its orientation and its shape; the input is unchanged",
    [
      crsArb,
      crsArb,
      fc.tuple(fc.double({ min: 74, max: 133, noNaN: true }), fc.double({ min: 19, max: 52, noNaN: true })),
      fc.double({ min: 0.001, max: 0.05, noNaN: true }),
      fc.boolean(),
      fc.boolean()
    ],
    ([from, to, centre, size, clockwise, multi]) => {
      // an exterior ring with a hole of the other orientation inside it
      const exterior = ring(centre, size, clockwise)
      const hole = ring([centre[0] + size * 0.3, centre[1] + size * 0.3], size * 0.3, !clockwise)
      const boundary: Boundary = multi
        ? {
            type: "MultiPolygon",
            coordinates: [[exterior, hole], [ring([centre[0] - 2 * size, centre[1]], size, clockwise)]]
          }
        : { type: "Polygon", coordinates: [exterior, hole] }
      const before = JSON.stringify(boundary)
      const converted = Crs.convertBoundary(from, to)(boundary)
      expect(JSON.stringify(boundary)).toBe(before)
      expect(converted.type).toBe(boundary.type)
      const rings = (b: Boundary): ReadonlyArray<LinearRing> =>
        b.type === "Polygon" ? b.coordinates : b.coordinates.flat()
      const original = rings(boundary)
      const result = rings(converted)
      expect(result.length).toBe(original.length)
      const point = Crs.convert(from, to)
      result.forEach((r, i) => {
        const o = original[i] as LinearRing
        expect(r.length).toBe(o.length)
        expect(r[0]).toStrictEqual(r[r.length - 1])
        expect(Math.sign(signedArea(r))).toBe(Math.sign(signedArea(o)))
        expect(r).toStrictEqual(o.map(point))
      })
    }
  )
})
