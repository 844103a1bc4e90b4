/**
 * 坐标定位网格 — point location over a city: 10,000 grids (a 100×100 jittered
 * lattice of quads around 116.3°E, 39.9°N, every seventh with a hole, every
 * eleventh a MultiPolygon of two triangles), 100,000 random lookups (about 5%
 * outside the lattice). Baseline: what a developer writes without an index —
 * scan every grid, bounding-box pre-check, then point-in-polygon.
 */

import { compare } from "@civicgrid/testkit/Bench"
import { prng as rng } from "@civicgrid/testkit/Random"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import pointInPolygon from "point-in-polygon-hao"
import { type Boundary, bbox, type Position, polygonsOf } from "../src/GeoJson.js"
import type { Grid } from "../src/Grid.js"
import { GridId } from "../src/Grid.js"
import * as PointLocation from "../src/PointLocation.js"
import { UnitId } from "../src/Unit.js"

const SIDE = 100
const LOOKUPS = 100_000
const LON0 = 116.2
const LAT0 = 39.8
const CELL = 0.002 // degrees, about 170 m × 220 m

const city = (): Array<Grid> => {
  const random = rng(42)
  const vertex: Array<Array<readonly [number, number]>> = []
  for (let i = 0; i <= SIDE; i++) {
    const column: Array<readonly [number, number]> = []
    for (let j = 0; j <= SIDE; j++) {
      const edge = i === 0 || j === 0 || i === SIDE || j === SIDE
      const jx = edge ? 0 : (random() - 0.5) * 0.5 * CELL
      const jy = edge ? 0 : (random() - 0.5) * 0.5 * CELL
      column.push([LON0 + i * CELL + jx, LAT0 + j * CELL + jy])
    }
    vertex.push(column)
  }
  const at = (i: number, j: number): readonly [number, number] => vertex[i]?.[j] ?? [LON0, LAT0]
  const grids: Array<Grid> = []
  const community = UnitId.make("110105001001")
  for (let i = 0; i < SIDE; i++) {
    for (let j = 0; j < SIDE; j++) {
      const n = i * SIDE + j
      const a = at(i, j)
      const b = at(i + 1, j)
      const c = at(i + 1, j + 1)
      const d = at(i, j + 1)
      const cx = LON0 + (i + 0.5) * CELL
      const cy = LAT0 + (j + 0.5) * CELL
      const h = CELL * 0.15
      const hole: Array<Position> = [
        [cx - h, cy - h],
        [cx - h, cy + h],
        [cx + h, cy + h],
        [cx + h, cy - h],
        [cx - h, cy - h]
      ]
      const boundary: Boundary =
        n % 11 === 0
          ? {
              type: "MultiPolygon",
              coordinates: [[[a, b, c, a]], [[a, c, d, a]]]
            }
          : { type: "Polygon", coordinates: n % 7 === 0 ? [[a, b, c, d, a], hole] : [[a, b, c, d, a]] }
      grids.push({
        id: GridId.make(`G${String(n).padStart(5, "0")}`),
        name: `第${n + 1}网格`,
        kind: "basic",
        communityId: community,
        buildingIds: [],
        boundary
      })
    }
  }
  return grids
}

const lookups = (): Array<Position> => {
  const random = rng(7)
  const span = SIDE * CELL
  const points: Array<Position> = []
  for (let k = 0; k < LOOKUPS; k++) {
    points.push([LON0 - 0.025 * span + random() * 1.05 * span, LAT0 - 0.025 * span + random() * 1.05 * span])
  }
  return points
}

/** The naive setup: each grid's bounding box and its polygons as the point-in-polygon library takes them. */
const naiveSetup = (grids: ReadonlyArray<Grid>) =>
  grids.map((grid) => ({
    grid,
    box: grid.boundary === undefined ? undefined : bbox(grid.boundary),
    polygons:
      grid.boundary === undefined
        ? []
        : polygonsOf(grid.boundary).map((rings) => rings.map((ring) => ring.map(([x, y]) => [x, y])))
  }))

/** The naive lookup: scan every grid, bounding-box pre-check, then point-in-polygon; first hit wins. */
const naiveLocate = (scan: ReturnType<typeof naiveSetup>, [x, y]: Position): Grid | undefined => {
  for (const { box, grid, polygons } of scan) {
    if (box === undefined || x < box[0] || y < box[1] || x > box[2] || y > box[3]) continue
    for (const rings of polygons) if (pointInPolygon([x, y], rings) !== false) return grid
  }
  return undefined
}

export default async () => {
  const grids = city()
  const points = lookups()
  const scan = naiveSetup(grids)
  const index = PointLocation.make(grids)

  compare({
    title: `PointLocation: build for ${grids.length.toLocaleString("en-US")} grids`,
    baseline: { name: "naive setup (bbox + ring copies per grid)", run: () => naiveSetup(grids) },
    subject: { name: "PointLocation.make (R-tree over polygon boxes)", run: () => PointLocation.make(grids) },
    items: grids.length,
    itemLabel: "grids"
  })

  compare({
    title: `PointLocation: ${LOOKUPS.toLocaleString("en-US")} lookups over ${grids.length.toLocaleString("en-US")} grids`,
    baseline: {
      name: "scan all grids, bbox pre-check, point-in-polygon",
      run: () => {
        let found = 0
        for (const point of points) if (naiveLocate(scan, point) !== undefined) found++
        return found
      }
    },
    subject: {
      name: "PointLocation.locate (index built beforehand)",
      run: () => {
        let found = 0
        for (const point of points) {
          const result = PointLocation.locate(index, point)
          if (Either.isRight(result) && Option.isSome(result.right)) found++
        }
        return found
      }
    },
    runs: 1,
    warmup: false,
    items: LOOKUPS,
    itemLabel: "lookups",
    targetMs: 1000
  })

  compare({
    title: `PointLocation: build + ${LOOKUPS.toLocaleString("en-US")} locateAll lookups`,
    baseline: {
      name: "naive setup + scan all grids, bbox pre-check, pip",
      run: () => {
        const fresh = naiveSetup(grids)
        let found = 0
        for (const point of points) if (naiveLocate(fresh, point) !== undefined) found++
        return found
      }
    },
    subject: {
      name: "PointLocation.make + locateAll",
      run: () => {
        const fresh = PointLocation.make(grids)
        let found = 0
        for (const point of points) {
          const result = PointLocation.locateAll(fresh, point)
          if (Either.isRight(result)) found += result.right.length
        }
        return found
      }
    },
    runs: 1,
    warmup: false,
    items: LOOKUPS,
    itemLabel: "lookups",
    targetMs: 1000
  })

  // Same answers, or the figures mean nothing.
  let agree = 0
  for (const point of points) {
    const naive = naiveLocate(scan, point)
    const indexed = PointLocation.locate(index, point)
    const got = Either.isRight(indexed) ? Option.getOrUndefined(indexed.right) : undefined
    if (got?.id === naive?.id) agree++
  }
  console.log(
    `  check     locate agrees with the scan on ${agree.toLocaleString("en-US")} of ${LOOKUPS.toLocaleString("en-US")} points`
  )
}
