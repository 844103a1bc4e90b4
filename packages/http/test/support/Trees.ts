/**
 * Generated district trees for the scope properties: a district, 1–3 streets,
 * 1–3 communities per street, 0–2 compounds per community; ids carry a prefix
 * so several trees can live in one database.
 */
import * as Unit from "@civicgrid/core/Unit"
import * as fc from "effect/FastCheck"

export type Shape = ReadonlyArray<ReadonlyArray<number>>

export const shape: fc.Arbitrary<Shape> = fc.array(
  fc.array(fc.nat({ max: 2 }), { minLength: 1, maxLength: 3 }),
  {
    minLength: 1,
    maxLength: 3
  }
)

export interface Tree {
  readonly rows: ReadonlyArray<Unit.Unit>
  /** Units where a case can be reported (communities and compounds). */
  readonly placeable: ReadonlyArray<Unit.UnitId>
  readonly parent: ReadonlyMap<string, string | null>
}

export const build = (prefix: string, s: Shape): Tree => {
  const rows: Array<Unit.Unit> = []
  const placeable: Array<Unit.UnitId> = []
  const parent = new Map<string, string | null>()
  const add = (id: string, parentId: string | null, level: string): Unit.UnitId => {
    rows.push(Unit.make({ id, parentId, level, name: id }))
    parent.set(id, parentId)
    return Unit.UnitId.make(id)
  }
  const district = add(`${prefix}d`, null, "district")
  s.forEach((communities, i) => {
    const street = add(`${prefix}s${i}`, district, "street")
    communities.forEach((compounds, j) => {
      const community = add(`${prefix}s${i}c${j}`, street, "community")
      placeable.push(community)
      for (let k = 0; k < compounds; k++)
        placeable.push(add(`${prefix}s${i}c${j}k${k}`, community, "compound"))
    })
  })
  return { rows, placeable, parent }
}

/** Whether `unit` is `jurisdiction` or lies below it — by walking parents (independent of `Hierarchy`). */
export const below = (tree: Tree, unit: string, jurisdiction: string): boolean => {
  let at: string | null | undefined = unit
  while (at !== null && at !== undefined) {
    if (at === jurisdiction) return true
    at = tree.parent.get(at)
  }
  return false
}
