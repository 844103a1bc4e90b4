import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import type { Boundary, Position } from "../src/GeoJson.js"
import { type Grid, GridId } from "../src/Grid.js"
import * as PointLocation from "../src/PointLocation.js"
import { UnitId } from "../src/Unit.js"

const grid = (id: string, boundary?: Boundary, kind: Grid["kind"] = "basic"): Grid => ({
  id: GridId.make(id),
  name: `网格 ${id}`,
  kind,
  communityId: UnitId.make(id.startsWith("a") ? "110105001001" : "110105001002"),
  buildingIds: [],
  ...(boundary === undefined ? {} : { boundary })
})

const contains = (boundary: Boundary, position: Position): boolean =>
  Either.getOrThrow(PointLocation.locateLinear([grid("x", boundary)], position)).length > 0

type Pt = readonly [number, number]
const closed = (points: ReadonlyArray<Pt>): Array<Pt> => [...points, ...points.slice(0, 1)]
const rect = (x0: number, y0: number, x1: number, y1: number): Array<Pt> =>
  closed([
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1]
  ])

// ---------------------------------------------------------------------------
// generated shapes around 116°E, 39°N, about 1 km across

const SCALE = 0.01
const CX = 116
const CY = 39

/** A star-shaped polygon (5–12 vertices at jittered angles, radii in [0.2, 1] × SCALE), optionally with a hole at its centre. */
const starArb: fc.Arbitrary<Boundary> = fc
  .record({
    n: fc.integer({ min: 5, max: 12 }),
    dx: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
    dy: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
    hole: fc.boolean()
  })
  .chain(({ n, dx, dy, hole }) =>
    fc
      .array(
        fc.tuple(
          fc.double({ min: -0.3, max: 0.3, noNaN: true }),
          fc.double({ min: 0.2, max: 1, noNaN: true })
        ),
        { minLength: n, maxLength: n }
      )
      .map((vs): Boundary => {
        const cx = CX + dx
        const cy = CY + dy
        const exterior = closed(
          vs.map(([jitter, r], k): Pt => {
            const angle = ((k + jitter) * 2 * Math.PI) / n
            return [cx + r * SCALE * Math.cos(angle), cy + r * SCALE * Math.sin(angle)]
          })
        )
        // the hole's corners lie within 0.2 × cos(1.005) × SCALE of the centre, inside every edge
        const h = 0.05 * SCALE
        return {
          type: "Polygon",
          coordinates: hole ? [exterior, rect(cx - h, cy - h, cx + h, cy + h).reverse()] : [exterior]
        }
      })
  )

/** A U shape (concave: its bounding-box centre lies outside it). */
const uArb: fc.Arbitrary<Boundary> = fc
  .record({
    w: fc.double({ min: 0.002, max: 0.02, noNaN: true }),
    h: fc.double({ min: 0.002, max: 0.02, noNaN: true }),
    t: fc.double({ min: 0.05, max: 0.45, noNaN: true })
  })
  .map(({ w, h, t }): Boundary => {
    const x0 = CX
    const y0 = CY
    const x1 = CX + w
    const y1 = CY + h
    const a = x0 + w * t
    const b = x1 - w * t
    const c = y0 + h * t
    return {
      type: "Polygon",
      coordinates: [
        closed([
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [b, y1],
          [b, c],
          [a, c],
          [a, y1],
          [x0, y1]
        ])
      ]
    }
  })

type Rings = Extract<Boundary, { type: "Polygon" }>["coordinates"]

/** A polygon's rings moved by [dx, dy]. */
const shifted = (rings: Rings, dx: number, dy: number): Rings => {
  const move = (ring: Rings[number]): Rings[number] => ring.map(([x, y]): Pt => [x + dx, y + dy])
  const [exterior, ...holes] = rings
  return [move(exterior), ...holes.map(move)]
}

const multiArb: fc.Arbitrary<Boundary> = fc
  .array(fc.oneof(starArb, uArb), { minLength: 1, maxLength: 3 })
  .map(
    (parts): Boundary => ({
      type: "MultiPolygon",
      // shift each part 0.03° east so the parts are disjoint
      coordinates: parts.flatMap((b, k) =>
        (b.type === "Polygon" ? [b.coordinates] : b.coordinates).map((rings) => shifted(rings, k * 0.03, 0))
      )
    })
  )

const shapeArb = fc.oneof(starArb, uArb, multiArb)

const pointNear: fc.Arbitrary<Position> = fc
  .tuple(fc.double({ min: -0.08, max: 0.12, noNaN: true }), fc.double({ min: -0.08, max: 0.08, noNaN: true }))
  .map(([dx, dy]) => [CX + dx, CY + dy] as const)

/** Great-circle distance (haversine) on the same sphere. */
const haversine = (a: Position, b: Position): number => {
  const rad = Math.PI / 180
  const dLat = (b[1] - a[1]) * rad
  const dLon = (b[0] - a[0]) * rad
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2
  return 2 * PointLocation.earthRadiusMeters * Math.asin(Math.min(1, Math.sqrt(s)))
}

describe("PointLocation.distanceMeters", () => {
  it.prop(
    "0 exactly when the boundary contains the point (as locate decides), positive otherwise",
    [shapeArb, fc.array(pointNear, { minLength: 1, maxLength: 20 })],
    ([boundary, points]) => {
      for (const p of points) {
        const d = PointLocation.distanceMeters(boundary, p)
        if (contains(boundary, p)) expect(d).toBe(0)
        else expect(d).toBeGreaterThan(0)
      }
    }
  )

  it.prop(
    "every vertex is on the boundary (0), and the distance never exceeds the distance to any vertex",
    [shapeArb, pointNear],
    ([boundary, p]) => {
      const d = PointLocation.distanceMeters(boundary, p)
      const kx = (PointLocation.earthRadiusMeters * Math.PI * Math.cos((p[1] * Math.PI) / 180)) / 180
      const ky = (PointLocation.earthRadiusMeters * Math.PI) / 180
      const rings = boundary.type === "Polygon" ? boundary.coordinates : boundary.coordinates.flat()
      for (const ring of rings) {
        for (const v of ring) {
          expect(PointLocation.distanceMeters(boundary, v)).toBe(0)
          expect(d).toBeLessThanOrEqual(Math.hypot((v[0] - p[0]) * kx, (v[1] - p[1]) * ky) * (1 + 1e-12))
        }
      }
    }
  )

  it.prop(
    "to a rectangle: the equirectangular closed form, and within 1% of the great-circle distance up to ~5 km",
    [
      fc.double({ min: -60, max: 60, noNaN: true }),
      fc.double({ min: 0.001, max: 0.02, noNaN: true }),
      fc.double({ min: 0.001, max: 0.02, noNaN: true }),
      fc.double({ min: -0.04, max: 0.06, noNaN: true }),
      fc.double({ min: -0.04, max: 0.06, noNaN: true })
    ],
    ([y0, w, h, dx, dy]) => {
      const x0 = 116
      const boundary: Boundary = { type: "Polygon", coordinates: [rect(x0, y0, x0 + w, y0 + h)] }
      const p: Position = [x0 + dx, y0 + dy]
      const qx = Math.min(Math.max(p[0], x0), x0 + w)
      const qy = Math.min(Math.max(p[1], y0), y0 + h)
      const ky = (PointLocation.earthRadiusMeters * Math.PI) / 180
      const kx = ky * Math.cos((p[1] * Math.PI) / 180)
      const expected = Math.hypot((p[0] - qx) * kx, (p[1] - qy) * ky)
      const d = PointLocation.distanceMeters(boundary, p)
      if (expected === 0) expect(d).toBe(0)
      else {
        expect(Math.abs(d - expected)).toBeLessThanOrEqual(1e-6 * expected + 1e-9)
        expect(Math.abs(d - haversine(p, [qx, qy]))).toBeLessThanOrEqual(0.01 * d + 1e-9)
      }
    }
  )

  it("a point strictly inside a hole is outside: its distance is the distance to the hole's edge", () => {
    const boundary: Boundary = {
      type: "Polygon",
      coordinates: [rect(116, 39, 116.01, 39.01), rect(116.004, 39.004, 116.006, 39.006)]
    }
    const d = PointLocation.distanceMeters(boundary, [116.005, 39.005])
    expect(d).toBeCloseTo(
      0.001 * ((PointLocation.earthRadiusMeters * Math.PI) / 180) * Math.cos((39.005 * Math.PI) / 180),
      3
    )
    expect(PointLocation.distanceMeters({ type: "MultiPolygon", coordinates: [] }, [116, 39])).toBe(
      Number.POSITIVE_INFINITY
    )
  })
})

describe("PointLocation.pointOnSurface", () => {
  it.prop(
    "always lies in the boundary (stars with a hole at the centre, U shapes, multi-polygons)",
    [shapeArb],
    ([boundary]) => {
      const p = Option.getOrThrow(PointLocation.pointOnSurface(boundary))
      expect(contains(boundary, p)).toBe(true)
    }
  )

  it.prop(
    "lies strictly inside a rectangle (not on its edge)",
    [
      fc.double({ min: -60, max: 60, noNaN: true }),
      fc.double({ min: 1e-6, max: 0.05, noNaN: true }),
      fc.double({ min: 1e-6, max: 0.05, noNaN: true })
    ],
    ([y0, w, h]) => {
      const [x, y] = Option.getOrThrow(
        PointLocation.pointOnSurface({ type: "Polygon", coordinates: [rect(116, y0, 116 + w, y0 + h)] })
      )
      expect(x > 116 && x < 116 + w && y > y0 && y < y0 + h).toBe(true)
    }
  )

  it("a U shape's point avoids the notch where its bounding-box centre lies; no polygon: none", () => {
    const u: Boundary = {
      type: "Polygon",
      coordinates: [
        closed([
          [0, 0],
          [3, 0],
          [3, 3],
          [2, 3],
          [2, 1],
          [1, 1],
          [1, 3],
          [0, 3]
        ])
      ]
    }
    expect(contains(u, [1.5, 1.5])).toBe(false)
    expect(contains(u, Option.getOrThrow(PointLocation.pointOnSurface(u)))).toBe(true)
    expect(PointLocation.pointOnSurface({ type: "MultiPolygon", coordinates: [] })).toEqual(Option.none())
  })
})

describe("PointLocation.nearest", () => {
  const gridsArb = fc
    .array(
      fc.tuple(
        fc.oneof(starArb, uArb),
        fc.constantFrom("basic" as const, "dedicated" as const),
        fc.boolean()
      ),
      {
        minLength: 0,
        maxLength: 8
      }
    )
    .map((specs) =>
      specs.map(([boundary, kind, bounded], i) => {
        // spread the shapes over ~6 km so some lie far from a point
        const shift = (i % 4) * 0.02
        const moved: Boundary =
          boundary.type === "Polygon"
            ? {
                type: "Polygon",
                coordinates: shifted(boundary.coordinates, shift, -shift)
              }
            : boundary
        return grid(`${i % 2 === 0 ? "a" : "b"}${i}`, bounded ? moved : undefined, kind)
      })
    )

  it.prop(
    "equals the brute-force minimum of distanceMeters within maxMeters, first in locate order on ties, honouring the filter",
    [
      gridsArb,
      fc.array(pointNear, { minLength: 1, maxLength: 10 }),
      fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.constant(Number.POSITIVE_INFINITY)),
      fc.boolean()
    ],
    ([grids, points, maxMeters, filtered]) => {
      const index = PointLocation.make(grids)
      const filter = (g: Grid) => g.id.startsWith("a")
      for (const p of points) {
        let best: { grid: Grid; meters: number } | undefined
        for (const g of index.grids) {
          if ((filtered && !filter(g)) || g.boundary === undefined) continue
          const meters = PointLocation.distanceMeters(g.boundary, p)
          if (meters <= maxMeters && (best === undefined || meters < best.meters)) best = { grid: g, meters }
        }
        const found = Either.getOrThrow(
          PointLocation.nearest(index, p, filtered ? { maxMeters, filter } : { maxMeters })
        )
        expect(Option.map(found, (n) => [n.grid.id, n.meters])).toEqual(
          best === undefined ? Option.none() : Option.some([best.grid.id, best.meters])
        )
        // a containing grid is at distance 0, and then nearest agrees with locate (unfiltered)
        const located = Either.getOrThrow(PointLocation.locate(index, p))
        if (!filtered && Option.isSome(located)) {
          expect(Option.map(found, (n) => [n.grid.id, n.meters])).toEqual(Option.some([located.value.id, 0]))
        }
      }
    }
  )

  it("an invalid position is an InvalidPosition, as for locate", () => {
    const index = PointLocation.make([
      grid("a1", { type: "Polygon", coordinates: [rect(116, 39, 116.01, 39.01)] })
    ])
    const r = PointLocation.nearest(index, [200, 39], { maxMeters: 100 })
    expect(Either.isLeft(r) && r.left._tag === "InvalidPosition").toBe(true)
    expect(
      Either.getOrThrow(PointLocation.nearest(PointLocation.make([]), [116, 39], { maxMeters: 1e9 }))
    ).toEqual(Option.none())
  })
})
