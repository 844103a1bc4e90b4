import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import { pipe } from "effect/Function"
import * as Option from "effect/Option"
import type { Boundary, Position } from "../src/GeoJson.js"
import { type Grid, GridId } from "../src/Grid.js"
import * as PointLocation from "../src/PointLocation.js"
import { UnitId } from "../src/Unit.js"

// ---------------------------------------------------------------------------
// helpers

const community = UnitId.make("110105001001")

const grid = (id: string, boundary?: Boundary, kind: Grid["kind"] = "basic"): Grid => ({
  id: GridId.make(id),
  name: `网格 ${id}`,
  kind,
  communityId: community,
  buildingIds: [],
  ...(boundary === undefined ? {} : { boundary })
})

type Pt = readonly [number, number]

/** A closed ring through the given corners. */
const ring = (...corners: ReadonlyArray<Pt>): Array<Pt> => [...corners, ...corners.slice(0, 1)]

/** The axis-aligned rectangle [x0, x1] × [y0, y1] as a ring. */
const rect = (x0: number, y0: number, x1: number, y1: number): Array<Pt> =>
  ring([x0, y0], [x1, y0], [x1, y1], [x0, y1])

const polygon = (
  exterior: ReadonlyArray<Position>,
  ...holes: ReadonlyArray<ReadonlyArray<Position>>
): Boundary => ({
  type: "Polygon",
  coordinates: [exterior, ...holes]
})

const idsOf = (
  result: Either.Either<ReadonlyArray<Grid>, PointLocation.InvalidPosition>
): ReadonlyArray<string> =>
  Either.match(result, { onLeft: () => ["<invalid>"], onRight: (grids) => grids.map((g) => g.id) })

const idOf = (
  result: Either.Either<Option.Option<Grid>, PointLocation.InvalidPosition>
): string | undefined =>
  Either.match(result, { onLeft: () => "<invalid>", onRight: (g) => Option.getOrUndefined(g)?.id })

// ---------------------------------------------------------------------------
// generated layouts: a jittered lattice of quads in exact (dyadic) coordinates

/** Lattice units: a cell is S units wide; a vertex moves at most J units each way. */
const S = 256
const J = 48
/** The hole of a cell spans [H0, H1] × [H0, H1] inside it, well clear of the jitter band. */
const H0 = 96
const H1 = 160
/** Units → degrees around 116°E, 39°N; exact, so a point computed on an edge lies exactly on it. */
const lon = (u: number): number => 116 + u / 65536
const lat = (v: number): number => 39 + v / 65536
const at = (u: number, v: number): Position => [lon(u), lat(v)]

type Shape = "quad" | "hole" | "island" | "triangles" | "missing"

interface LayoutSpec {
  readonly cols: number
  readonly rows: number
  readonly jitter: ReadonlyArray<readonly [number, number]>
  readonly cells: ReadonlyArray<{ readonly owner: number; readonly shape: Shape }>
  readonly ownerIds: ReadonlyArray<number>
  readonly ownerDedicated: ReadonlyArray<boolean>
  readonly overlay: readonly [number, number, number, number] | null
  readonly overlayDedicated: boolean
  readonly unbounded: number
  /** Fractions k/16 used to put points exactly on edges. */
  readonly ks: ReadonlyArray<number>
  /** Random points in [0, 1)² spread over the layout and its margin. */
  readonly randoms: ReadonlyArray<readonly [number, number]>
  readonly shuffleSeed: number
}

const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })

const layoutSpec: fc.Arbitrary<LayoutSpec> = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }))
  .chain(([cols, rows]) => {
    const cells = cols * rows
    const owners = Math.max(1, Math.ceil(cells * 0.75))
    const span = (n: number) => fc.integer({ min: -S / 2, max: n * S + S / 2 })
    return fc.record({
      cols: fc.constant(cols),
      rows: fc.constant(rows),
      jitter: fc.array(fc.tuple(fc.integer({ min: -J, max: J }), fc.integer({ min: -J, max: J })), {
        minLength: (cols + 1) * (rows + 1),
        maxLength: (cols + 1) * (rows + 1)
      }),
      cells: fc.array(
        fc.record({
          owner: fc.integer({ min: 0, max: owners - 1 }),
          shape: fc.constantFrom<Shape>("quad", "quad", "hole", "island", "triangles", "missing")
        }),
        { minLength: cells, maxLength: cells }
      ),
      ownerIds: fc.uniqueArray(fc.integer({ min: 0, max: 9999 }), { minLength: owners, maxLength: owners }),
      ownerDedicated: fc.array(
        fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
        {
          minLength: owners,
          maxLength: owners
        }
      ),
      overlay: fc.option(
        fc.tuple(span(cols), span(rows), span(cols), span(rows)).map(([a, b, c, d]) => {
          const box: readonly [number, number, number, number] = [
            Math.min(a, c),
            Math.min(b, d),
            Math.max(a, c) + 1,
            Math.max(b, d) + 1
          ]
          return box
        })
      ),
      overlayDedicated: fc.boolean(),
      unbounded: fc.integer({ min: 0, max: 2 }),
      ks: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 8, maxLength: 8 }),
      randoms: fc.array(fc.tuple(unit, unit), { maxLength: 40 }),
      shuffleSeed: fc.integer()
    })
  })

interface Probe {
  readonly point: Position
  /** The grids the point lies in, when the generator knows them exactly. */
  readonly expected?: ReadonlyArray<Grid>
  readonly kind: "interior" | "outside" | "hole" | "hole-edge" | "shared-edge" | "vertex" | "random"
}

interface Layout {
  readonly grids: ReadonlyArray<Grid>
  readonly unbounded: ReadonlyArray<Grid>
  readonly probes: ReadonlyArray<Probe>
}

const build = (spec: LayoutSpec): Layout => {
  const { cols, rows } = spec
  const vertex = (i: number, j: number): Pt => {
    const [dx, dy] = spec.jitter[i * (rows + 1) + j] ?? [0, 0]
    return [i * S + dx, j * S + dy]
  }
  const cell = (i: number, j: number) => spec.cells[i * rows + j] ?? { owner: 0, shape: "missing" as const }
  const k = (n: number): number => spec.ks[n % spec.ks.length] ?? 8
  const toPositions = (r: ReadonlyArray<Pt>): Array<Position> => r.map(([u, v]) => at(u, v))

  // polygons per owner, in units
  const ownerPolygons = new Map<number, Array<Array<Array<Pt>>>>()
  const islands: Array<{ readonly i: number; readonly j: number; readonly grid: Grid }> = []
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < rows; j++) {
      const { owner, shape } = cell(i, j)
      if (shape === "missing") continue
      const a = vertex(i, j)
      const b = vertex(i + 1, j)
      const c = vertex(i + 1, j + 1)
      const d = vertex(i, j + 1)
      const hole = rect(i * S + H0, j * S + H0, i * S + H1, j * S + H1)
      const polygons = ownerPolygons.get(owner) ?? []
      if (shape === "triangles") polygons.push([ring(a, b, c)], [ring(a, c, d)])
      else if (shape === "quad") polygons.push([ring(a, b, c, d)])
      else polygons.push([ring(a, b, c, d), hole])
      ownerPolygons.set(owner, polygons)
      if (shape === "island") {
        islands.push({ i, j, grid: grid(`I${i}-${j}`, polygon(toPositions(hole)), "dedicated") })
      }
    }
  }
  const owners = new Map<number, Grid>()
  for (const [owner, polygons] of ownerPolygons) {
    const coordinates = polygons.map((rings) => rings.map(toPositions))
    const [only, ...more] = coordinates
    const boundary: Boundary =
      only !== undefined && more.length === 0
        ? { type: "Polygon", coordinates: [only[0] ?? [], ...only.slice(1)] }
        : {
            type: "MultiPolygon",
            coordinates: coordinates.map((rings) => [rings[0] ?? [], ...rings.slice(1)])
          }
    const id = `G${String(spec.ownerIds[owner] ?? owner).padStart(4, "0")}`
    owners.set(owner, grid(id, boundary, spec.ownerDedicated[owner] === true ? "dedicated" : "basic"))
  }
  const overlayBox = spec.overlay
  const overlay =
    overlayBox === null
      ? undefined
      : grid("O", polygon(toPositions(rect(...overlayBox))), spec.overlayDedicated ? "dedicated" : "basic")
  const unbounded = Array.from({ length: spec.unbounded }, (_, n) => grid(`U${n}`))

  const inOverlay = ([u, v]: Pt): boolean =>
    overlayBox !== null &&
    overlayBox[0] <= u &&
    u <= overlayBox[2] &&
    overlayBox[1] <= v &&
    v <= overlayBox[3]
  const ownerOf = (i: number, j: number): Grid | undefined =>
    i < 0 || j < 0 || i >= cols || j >= rows || cell(i, j).shape === "missing"
      ? undefined
      : owners.get(cell(i, j).owner)
  const islandOf = (i: number, j: number): Grid | undefined =>
    islands.find((x) => x.i === i && x.j === j)?.grid
  const expectedAt = (p: Pt, ...gs: ReadonlyArray<Grid | undefined>): ReadonlyArray<Grid> => {
    const set = new Set<Grid>()
    for (const g of gs) if (g !== undefined) set.add(g)
    if (overlay !== undefined && inOverlay(p)) set.add(overlay)
    return [...set].sort(PointLocation.basicFirst)
  }
  const probe = (kind: Probe["kind"], p: Pt, ...gs: ReadonlyArray<Grid | undefined>): Probe => ({
    kind,
    point: at(p[0], p[1]),
    expected: expectedAt(p, ...gs)
  })

  const probes: Array<Probe> = []
  let n = 0
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < rows; j++) {
      const { shape } = cell(i, j)
      const f = (k(n++) - 1) / 14 // 0 … 1
      // interior: between the jitter band and the hole
      const inner: Pt = [i * S + J + 8 + f * (H0 - J - 16), j * S + J + 8 + (1 - f) * (S - 2 * J - 16)]
      probes.push(probe("interior", inner, ownerOf(i, j)))
      // strictly inside the hole area
      const inHole: Pt = [i * S + H0 + 1 + f * (H1 - H0 - 2), j * S + (H0 + H1) / 2]
      const holeOwners =
        shape === "hole"
          ? []
          : shape === "island"
            ? [islandOf(i, j)]
            : shape === "missing"
              ? []
              : [ownerOf(i, j)]
      probes.push(probe("hole", inHole, ...holeOwners))
      if (shape === "hole" || shape === "island") {
        // exactly on the hole's edge and at its corner
        const h = k(n++)
        probes.push(
          probe("hole-edge", [i * S + H0 + ((H1 - H0) * h) / 16, j * S + H0], ownerOf(i, j), islandOf(i, j))
        )
        probes.push(probe("hole-edge", [i * S + H1, j * S + H1], ownerOf(i, j), islandOf(i, j)))
      }
    }
  }
  // exactly on shared (and outer) edges: vertical edges between (i-1, j) and (i, j) …
  for (let i = 0; i <= cols; i++) {
    for (let j = 0; j < rows; j++) {
      const [u0, v0] = vertex(i, j)
      const [u1, v1] = vertex(i, j + 1)
      const t = k(n++) / 16
      probes.push(
        probe("shared-edge", [u0 + (u1 - u0) * t, v0 + (v1 - v0) * t], ownerOf(i - 1, j), ownerOf(i, j))
      )
    }
  }
  // … and horizontal edges between (i, j-1) and (i, j)
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j <= rows; j++) {
      const [u0, v0] = vertex(i, j)
      const [u1, v1] = vertex(i + 1, j)
      const t = k(n++) / 16
      probes.push(
        probe("shared-edge", [u0 + (u1 - u0) * t, v0 + (v1 - v0) * t], ownerOf(i, j - 1), ownerOf(i, j))
      )
    }
  }
  // every lattice vertex, shared by up to four cells
  for (let i = 0; i <= cols; i++) {
    for (let j = 0; j <= rows; j++) {
      probes.push(
        probe(
          "vertex",
          vertex(i, j),
          ownerOf(i - 1, j - 1),
          ownerOf(i, j - 1),
          ownerOf(i - 1, j),
          ownerOf(i, j)
        )
      )
    }
  }
  // outside the lattice (beyond the jitter band), each side
  const margin = J + 1
  const f0 = k(n++) / 16
  probes.push(probe("outside", [-margin - 7, f0 * rows * S]))
  probes.push(probe("outside", [cols * S + margin, (1 - f0) * rows * S]))
  probes.push(probe("outside", [f0 * cols * S, -margin]))
  probes.push(probe("outside", [(1 - f0) * cols * S, rows * S + margin + 0.5]))
  // random points over the layout and its margin, without a known answer
  for (const [x, y] of spec.randoms) {
    probes.push({ kind: "random", point: at(-S + x * (cols + 2) * S, -S + y * (rows + 2) * S) })
  }

  const bounded = [
    ...owners.values(),
    ...islands.map((x) => x.grid),
    ...(overlay === undefined ? [] : [overlay])
  ]
  return { grids: [...bounded, ...unbounded], unbounded, probes }
}

/** A deterministic shuffle (mulberry32), to feed the same grids in another order. */
const shuffle = <A>(xs: ReadonlyArray<A>, seed: number): Array<A> => {
  let a = seed >>> 0
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const x = out[i]
    const y = out[j]
    if (x !== undefined && y !== undefined) {
      out[i] = y
      out[j] = x
    }
  }
  return out
}

/** Every position of every ring of every grid: exact vertices, holes' included. */
const ringVertices = (grids: ReadonlyArray<Grid>): Array<Position> =>
  grids.flatMap((g) =>
    g.boundary === undefined
      ? []
      : (g.boundary.type === "Polygon" ? [g.boundary.coordinates] : g.boundary.coordinates).flatMap((p) =>
          p.flatMap((r) => [...r])
        )
  )

const layouts = layoutSpec.map(build)
const heavy = { fastCheck: { numRuns: 100 } }

// ---------------------------------------------------------------------------
// properties

describe("PointLocation properties (jittered lattices with shared edges, holes, MultiPolygons)", () => {
  it.prop(
    "索引与线性扫描一致: locateAll and locate agree with the O(n) reference at vertices, edges, holes and random points",
    [layouts],
    ([layout]) => {
      const index = PointLocation.make(layout.grids)
      const points = [...layout.probes.map((p) => p.point), ...ringVertices(layout.grids)]
      for (const point of points) {
        const reference = idsOf(PointLocation.locateLinear(layout.grids, point))
        expect(idsOf(PointLocation.locateAll(index, point)), `at [${point.join(", ")}]`).toStrictEqual(
          reference
        )
        expect(idOf(PointLocation.locate(index, point)), `at [${point.join(", ")}]`).toBe(reference[0])
      }
    },
    heavy
  )

  it.prop(
    "内部点: a point inside one grid's interior is located to it (and to an overlapping grid, in locate order)",
    [layouts],
    ([layout]) => {
      const index = PointLocation.make(layout.grids)
      for (const probe of layout.probes.filter((p) => p.kind === "interior" || p.kind === "hole")) {
        const expected = (probe.expected ?? []).map((g) => g.id)
        expect(idsOf(PointLocation.locateAll(index, probe.point))).toStrictEqual(expected)
        expect(idOf(PointLocation.locate(index, probe.point))).toBe(expected[0])
      }
    },
    heavy
  )

  it.prop(
    "外部点: points outside every grid (beyond the lattice, in an empty hole, in a missing cell) give none",
    [layouts],
    ([layout]) => {
      const index = PointLocation.make(layout.grids)
      const outside = layout.probes.filter((p) => p.expected !== undefined && p.expected.length === 0)
      for (const probe of outside) {
        expect(PointLocation.locate(index, probe.point)).toStrictEqual(Either.right(Option.none()))
        expect(PointLocation.locateAll(index, probe.point)).toStrictEqual(Either.right([]))
      }
    },
    heavy
  )

  it.prop(
    "边界包含: a point exactly on an edge or vertex shared by grids is located to each of them, each once",
    [layouts],
    ([layout]) => {
      const index = PointLocation.make(layout.grids)
      for (const probe of layout.probes.filter((p) => p.kind === "shared-edge" || p.kind === "vertex")) {
        const expected = (probe.expected ?? []).map((g) => g.id)
        expect(
          idsOf(PointLocation.locateAll(index, probe.point)),
          `at [${probe.point.join(", ")}]`
        ).toStrictEqual(expected)
        expect(idOf(PointLocation.locate(index, probe.point))).toBe(expected[0])
      }
    },
    heavy
  )

  it.prop(
    "洞: a point on a hole's edge belongs to the grid (and to an island grid filling the hole)",
    [layouts],
    ([layout]) => {
      const index = PointLocation.make(layout.grids)
      for (const probe of layout.probes.filter((p) => p.kind === "hole-edge")) {
        const expected = (probe.expected ?? []).map((g) => g.id)
        expect(expected.length).toBeGreaterThan(0)
        expect(idsOf(PointLocation.locateAll(index, probe.point))).toStrictEqual(expected)
      }
    },
    heavy
  )

  it.prop(
    "确定性: the answers do not depend on the order the grids are given in",
    [layouts, fc.integer()],
    ([layout, seed]) => {
      const index = PointLocation.make(layout.grids)
      const shuffled = PointLocation.make(shuffle(layout.grids, seed))
      expect(shuffled.grids.map((g) => g.id)).toStrictEqual(index.grids.map((g) => g.id))
      for (const { point } of layout.probes) {
        expect(idsOf(PointLocation.locateAll(shuffled, point))).toStrictEqual(
          idsOf(PointLocation.locateAll(index, point))
        )
        expect(idOf(PointLocation.locate(shuffled, point))).toBe(idOf(PointLocation.locate(index, point)))
      }
    },
    heavy
  )

  it.prop(
    "无边界网格: grids without a boundary are listed as unlocatable, never dropped and never located",
    [layouts],
    ([layout]) => {
      const index = PointLocation.make(layout.grids)
      expect(index.unlocatable.map((g) => g.id)).toStrictEqual(layout.unbounded.map((g) => g.id))
      expect(index.grids.length + index.unlocatable.length).toBe(layout.grids.length)
      const located = new Set(index.grids)
      for (const { point } of layout.probes) {
        for (const g of Either.getOrElse(PointLocation.locateAll(index, point), () => [])) {
          expect(located.has(g)).toBe(true)
        }
      }
    },
    heavy
  )

  it.prop(
    "定位次序: locateAll lists grids in locate order (basic before dedicated, then by id), each once",
    [layouts],
    ([layout]) => {
      const index = PointLocation.make(layout.grids)
      for (const { point } of layout.probes) {
        const found = Either.getOrElse(PointLocation.locateAll(index, point), () => [])
        expect(new Set(found).size).toBe(found.length)
        expect([...found].sort(PointLocation.basicFirst)).toStrictEqual(found)
      }
    },
    heavy
  )
})

// ---------------------------------------------------------------------------
// invalid positions

const validLon = fc.double({ min: -180, max: 180, noNaN: true })
const validLat = fc.double({ min: -90, max: 90, noNaN: true })
const badLon = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double({ min: 180, max: 1e9, minExcluded: true, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e9, max: -180, maxExcluded: true, noNaN: true, noDefaultInfinity: true })
)
const badLat = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double({ min: 90, max: 1e9, minExcluded: true, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e9, max: -90, maxExcluded: true, noNaN: true, noDefaultInfinity: true })
)
const ruleFor = (x: number): PointLocation.PositionRule => (Number.isFinite(x) ? "range" : "finite")

const someGrids: ReadonlyArray<Grid> = [grid("a", polygon(rect(-180, -90, 180, 90)))]
const someIndex = PointLocation.make(someGrids)

describe("PointLocation invalid positions", () => {
  it.prop(
    "坐标有效: any longitude in [-180, 180] and latitude in [-90, 90] is accepted",
    [validLon, validLat],
    ([x, y]) => {
      expect(PointLocation.checkPosition([x, y])).toStrictEqual(Either.right([x, y]))
      expect(idOf(PointLocation.locate(someIndex, [x, y]))).toBe("a")
    }
  )

  it.prop(
    "坐标无效: a bad longitude gives InvalidPosition naming the field and rule, from every function",
    [badLon, validLat],
    ([x, y]) => {
      const expected = [{ field: "longitude", rule: ruleFor(x) }]
      const results: ReadonlyArray<Either.Either<unknown, PointLocation.InvalidPosition>> = [
        PointLocation.checkPosition([x, y]),
        PointLocation.locate(someIndex, [x, y]),
        PointLocation.locateAll(someIndex, [x, y]),
        PointLocation.locateLinear(someGrids, [x, y])
      ]
      for (const result of results) {
        const error = Either.getLeft(result)
        expect(Option.map(error, (e) => e._tag)).toStrictEqual(Option.some("InvalidPosition"))
        expect(
          Option.map(error, (e) => e.violations.map(({ field, rule }) => ({ field, rule })))
        ).toStrictEqual(Option.some(expected))
      }
    }
  )

  it.prop(
    "坐标无效: a bad latitude is reported, and with a bad longitude both are reported",
    [fc.oneof(validLon, badLon), badLat],
    ([x, y]) => {
      const expected = [
        ...(Number.isFinite(x) && x >= -180 && x <= 180 ? [] : [{ field: "longitude", rule: ruleFor(x) }]),
        { field: "latitude", rule: ruleFor(y) }
      ]
      const error = Either.getLeft(PointLocation.locate(someIndex, [x, y]))
      expect(
        Option.map(error, (e) => e.violations.map(({ field, rule }) => ({ field, rule })))
      ).toStrictEqual(Option.some(expected))
    }
  )

  it("坐标无效: the message names the coordinate, the rule and the value", () => {
    const error = Either.getLeft(PointLocation.locate(someIndex, [181, Number.NaN]))
    expect(Option.map(error, (e) => e.message)).toStrictEqual(
      Option.some(
        "invalid position [181, NaN]: 经度 longitude must lie in [-180, 180] (got 181); 纬度 latitude must be a finite number (got NaN)"
      )
    )
  })

  it("坐标: an altitude is ignored", () => {
    expect(idOf(PointLocation.locate(someIndex, [116.3, 39.9, 44.5]))).toBe("a")
    expect(idOf(PointLocation.locate(someIndex, [116.3, 39.9, Number.NaN]))).toBe("a")
  })
})

// ---------------------------------------------------------------------------
// examples

describe("PointLocation examples", () => {
  // a 4 × 4 square at 116.3°E 39.9°N (in 1/1024 degree steps) with a 2 × 2 hole in the middle
  const d = (n: number) => n / 1024
  const sq = (x0: number, y0: number, x1: number, y1: number) =>
    rect(116.3 + d(x0), 39.9 + d(y0), 116.3 + d(x1), 39.9 + d(y1))
  const p = (x: number, y: number): Position => [116.3 + d(x), 39.9 + d(y)]

  describe("a square with a hole", () => {
    const holed = grid("holed", polygon(sq(0, 0, 4, 4), sq(1, 1, 3, 3)))
    const index = PointLocation.make([holed])

    it("洞内: the centre, inside the hole, is in no grid", () => {
      expect(PointLocation.locate(index, p(2, 2))).toStrictEqual(Either.right(Option.none()))
      expect(PointLocation.locateAll(index, p(2, 2))).toStrictEqual(Either.right([]))
    })

    it("环内: a point in the ring between hole and exterior is in the grid", () => {
      expect(PointLocation.locate(index, p(0.5, 2))).toStrictEqual(Either.right(Option.some(holed)))
      expect(idOf(PointLocation.locate(index, p(3.5, 3.5)))).toBe("holed")
    })

    it("洞边: a point on the hole's edge or corner is on the boundary, so in the grid", () => {
      expect(idOf(PointLocation.locate(index, p(1, 2)))).toBe("holed")
      expect(idOf(PointLocation.locate(index, p(2, 3)))).toBe("holed")
      expect(idOf(PointLocation.locate(index, p(3, 1)))).toBe("holed")
    })

    it("外边: a point on the exterior edge or vertex is in the grid; beyond it, in none", () => {
      expect(idOf(PointLocation.locate(index, p(0, 2)))).toBe("holed")
      expect(idOf(PointLocation.locate(index, p(4, 4)))).toBe("holed")
      expect(idOf(PointLocation.locate(index, p(4.001, 2)))).toBeUndefined()
      expect(idOf(PointLocation.locate(index, p(-1, -1)))).toBeUndefined()
    })

    it("岛: a dedicated grid filling the hole owns its inside; both own the hole's edge", () => {
      const school = grid("school", polygon(sq(1, 1, 3, 3)), "dedicated")
      const both = PointLocation.make([school, holed])
      expect(idsOf(PointLocation.locateAll(both, p(2, 2)))).toStrictEqual(["school"])
      expect(idsOf(PointLocation.locateAll(both, p(1, 2)))).toStrictEqual(["holed", "school"])
      expect(idOf(PointLocation.locate(both, p(1, 2)))).toBe("holed")
      expect(
        idOf(
          PointLocation.locate(
            PointLocation.make([school, holed], { order: PointLocation.dedicatedFirst }),
            p(1, 2)
          )
        )
      ).toBe("school")
    })
  })

  describe("two squares sharing an edge", () => {
    const west = grid("west", polygon(sq(0, 0, 4, 4)))
    const east = grid("east", polygon(sq(4, 0, 8, 4)))

    it("共边: a point on the shared edge is in both; locate picks the smaller id", () => {
      const index = PointLocation.make([west, east])
      expect(idsOf(PointLocation.locateAll(index, p(4, 2)))).toStrictEqual(["east", "west"])
      expect(idOf(PointLocation.locate(index, p(4, 2)))).toBe("east")
      expect(idsOf(PointLocation.locateAll(index, p(3.5, 2)))).toStrictEqual(["west"])
      expect(idsOf(PointLocation.locateAll(index, p(4.5, 2)))).toStrictEqual(["east"])
    })

    it("定位次序: a basic grid comes before a dedicated one, whatever the ids", () => {
      const market = grid("a-market", polygon(sq(4, 0, 8, 4)), "dedicated")
      const index = PointLocation.make([market, west])
      expect(idsOf(PointLocation.locateAll(index, p(4, 2)))).toStrictEqual(["west", "a-market"])
      expect(idOf(PointLocation.locate(index, p(4, 2)))).toBe("west")
      const dedicatedFirst = PointLocation.make([market, west], { order: PointLocation.dedicatedFirst })
      expect(idOf(PointLocation.locate(dedicatedFirst, p(4, 2)))).toBe("a-market")
      expect(idsOf(PointLocation.locateLinear([west, market], p(4, 2)))).toStrictEqual(["west", "a-market"])
    })
  })

  it("共点: a vertex shared by four cells is in all four, by id; locate picks the first", () => {
    const cells = [
      grid("c4", polygon(sq(4, 4, 8, 8))),
      grid("c2", polygon(sq(4, 0, 8, 4))),
      grid("c3", polygon(sq(0, 4, 4, 8))),
      grid("c1", polygon(sq(0, 0, 4, 4)))
    ]
    const index = PointLocation.make(cells)
    expect(idsOf(PointLocation.locateAll(index, p(4, 4)))).toStrictEqual(["c1", "c2", "c3", "c4"])
    expect(idOf(PointLocation.locate(index, p(4, 4)))).toBe("c1")
    expect(idsOf(PointLocation.locateAll(index, p(4, 6)))).toStrictEqual(["c3", "c4"])
  })

  it("多多边形: a MultiPolygon grid owns each of its parts, and is listed once where they touch", () => {
    const split = grid("split", {
      type: "MultiPolygon",
      coordinates: [[sq(0, 0, 2, 2)], [sq(2, 0, 4, 2)], [sq(10, 10, 12, 12)]]
    })
    const index = PointLocation.make([split])
    expect(index.polygons).toBe(3)
    expect(idOf(PointLocation.locate(index, p(1, 1)))).toBe("split")
    expect(idOf(PointLocation.locate(index, p(11, 11)))).toBe("split")
    expect(idsOf(PointLocation.locateAll(index, p(2, 1)))).toStrictEqual(["split"])
    expect(idOf(PointLocation.locate(index, p(6, 6)))).toBeUndefined()
  })

  it("无边界网格: a grid without a boundary, or with an empty MultiPolygon, is listed as unlocatable", () => {
    const drawn = grid("drawn", polygon(sq(0, 0, 4, 4)))
    const undrawn = grid("undrawn")
    const empty = grid("empty", { type: "MultiPolygon", coordinates: [] })
    const index = PointLocation.make([undrawn, drawn, empty])
    expect(index.grids).toStrictEqual([drawn])
    expect(index.unlocatable.map((g) => g.id)).toStrictEqual(["empty", "undrawn"])
    expect(idsOf(PointLocation.locateAll(index, p(2, 2)))).toStrictEqual(["drawn"])
  })

  it("空索引: an index of no grids locates nothing", () => {
    const index = PointLocation.make([])
    expect(index.polygons).toBe(0)
    expect(PointLocation.locate(index, p(0, 0))).toStrictEqual(Either.right(Option.none()))
    expect(PointLocation.locateAll(index, p(0, 0))).toStrictEqual(Either.right([]))
  })

  it("不可变: the index copies the boundaries; changing the input afterwards changes nothing", () => {
    const exterior: Array<Position> = [...sq(0, 0, 4, 4)]
    const index = PointLocation.make([grid("g", { type: "Polygon", coordinates: [exterior] })])
    exterior[2] = p(100, 100)
    expect(idOf(PointLocation.locate(index, p(2, 2)))).toBe("g")
    expect(idOf(PointLocation.locate(index, p(50, 50)))).toBeUndefined()
    expect(Object.isFrozen(index)).toBe(true)
    expect(Object.isFrozen(index.grids)).toBe(true)
  })

  it("pipe: locate and locateAll also take the position first", () => {
    const index = PointLocation.make([grid("g", polygon(sq(0, 0, 4, 4)))])
    expect(idOf(pipe(index, PointLocation.locate(p(1, 1))))).toBe("g")
    expect(idsOf(pipe(index, PointLocation.locateAll(p(1, 1))))).toStrictEqual(["g"])
  })
})
