/**
 * The packed spatial index behind `PointLocation`: one bounding box per polygon
 * in a static Hilbert R-tree (`flatbush`), refined by a robust point-in-polygon
 * test (`point-in-polygon-hao`, exact orientation predicates, so a point on an
 * edge is reported as such and never falls through a crack between two
 * polygons that share the edge).
 *
 * Items are added in locate order (the rank of their grid), so an item's index
 * grows with its grid's rank and the first hit is the smallest hit index.
 *
 * @internal
 */
import Flatbush from "flatbush"
import pointInPolygon from "point-in-polygon-hao"
import type { LinearRing } from "../GeoJson.js"

/** A polygon as the library takes it: its rings (exterior first), each a closed list of `[x, y]`. */
export type Rings = Array<Array<[number, number]>>

/**
 * Copies a polygon's rings into the library's mutable form, keeping `[lon, lat]`
 * only (an altitude is dropped) and closing a ring whose last position differs
 * from its first (decoded `LinearRing`s are always closed; this guards values
 * built without decoding). Empty rings are dropped; a polygon whose exterior
 * ring is empty has no area and gives `undefined`.
 */
export const prepare = (polygon: ReadonlyArray<LinearRing>): Rings | undefined => {
  const rings: Rings = []
  for (const ring of polygon) {
    const copy: Array<[number, number]> = []
    for (const position of ring) copy.push([position[0], position[1]])
    const first = copy[0]
    const last = copy[copy.length - 1]
    if (first === undefined || last === undefined) {
      if (rings.length === 0) return undefined
      continue
    }
    if (first[0] !== last[0] || first[1] !== last[1]) copy.push([first[0], first[1]])
    rings.push(copy)
  }
  return rings.length === 0 ? undefined : rings
}

/**
 * Whether `[x, y]` lies in the polygon, boundary inclusive: on an edge or a
 * vertex of any ring (a hole's too) counts as inside; strictly inside a hole
 * is outside.
 */
export const contains = (rings: Rings, x: number, y: number): boolean =>
  pointInPolygon([x, y], rings) !== false

/** The packed index: item → grid rank, item → rings, and the R-tree over the items' boxes. */
export interface Packed {
  readonly tree: Flatbush | undefined
  readonly itemRank: Int32Array
  readonly itemRings: ReadonlyArray<Rings>
}

/**
 * Packs polygons given per grid in locate order (`polygonsByRank[rank]`); each
 * polygon becomes one item with the bounding box of all its rings.
 */
export const pack = (polygonsByRank: ReadonlyArray<ReadonlyArray<Rings>>): Packed => {
  let count = 0
  for (const polygons of polygonsByRank) count += polygons.length
  const itemRank = new Int32Array(count)
  const itemRings: Array<Rings> = []
  if (count === 0) return { tree: undefined, itemRank, itemRings }
  const tree = new Flatbush(count)
  for (let rank = 0; rank < polygonsByRank.length; rank++) {
    for (const rings of polygonsByRank[rank] ?? []) {
      let minX = Number.POSITIVE_INFINITY
      let minY = Number.POSITIVE_INFINITY
      let maxX = Number.NEGATIVE_INFINITY
      let maxY = Number.NEGATIVE_INFINITY
      for (const ring of rings) {
        for (const [x, y] of ring) {
          if (x < minX) minX = x
          if (y < minY) minY = y
          if (x > maxX) maxX = x
          if (y > maxY) maxY = y
        }
      }
      const item = tree.add(minX, minY, maxX, maxY)
      itemRank[item] = rank
      itemRings.push(rings)
    }
  }
  tree.finish()
  return { tree, itemRank, itemRings }
}

/** The smallest rank of a grid containing `[x, y]`, or -1. */
export const firstHit = (packed: Packed, x: number, y: number): number => {
  const { itemRank, itemRings, tree } = packed
  if (tree === undefined) return -1
  const candidates = tree.search(x, y, x, y)
  let best = -1
  for (let i = 0; i < candidates.length; i++) {
    const item = candidates[i] ?? -1
    if (item < 0 || (best >= 0 && item > best)) continue
    const rings = itemRings[item]
    if (rings !== undefined && contains(rings, x, y)) best = item
  }
  return best < 0 ? -1 : (itemRank[best] ?? -1)
}

/** The ranks of every grid containing `[x, y]`, ascending and distinct. */
export const allHits = (packed: Packed, x: number, y: number): Array<number> => {
  const { itemRank, itemRings, tree } = packed
  if (tree === undefined) return []
  const candidates = tree.search(x, y, x, y)
  const ranks: Array<number> = []
  for (let i = 0; i < candidates.length; i++) {
    const item = candidates[i] ?? -1
    const rings = itemRings[item]
    const rank = itemRank[item]
    if (rings !== undefined && rank !== undefined && contains(rings, x, y)) ranks.push(rank)
  }
  if (ranks.length < 2) return ranks
  ranks.sort((a, b) => a - b)
  const distinct: Array<number> = []
  for (const rank of ranks) if (distinct[distinct.length - 1] !== rank) distinct.push(rank)
  return distinct
}
