/**
 * Generated hierarchies for the non-case conformance suites: random valid
 * trees under the shipped level schemes, with ids that stress materialised
 * paths (a `/`, a `%`, `%2F` itself, ids that are prefixes of siblings, ids
 * around the path separator in byte order, Chinese and non-BMP characters),
 * and nested 12-digit area codes on districts, streets and communities.
 */
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"

export const schemes: ReadonlyArray<LevelScheme.LevelScheme> = [
  LevelScheme.FiveLevel,
  LevelScheme.WithHouseholds,
  LevelScheme.StreetAreaCommunityGrid,
  LevelScheme.SixLevel
]

/** Id stems: each id is a stem plus a unique number. */
export const stems: ReadonlyArray<string> = ["u", "u-", "u/", "a%2F", "b%", "街道", "社区·", "𠀀", "x.", "u0"]

export interface Generated {
  readonly scheme: LevelScheme.LevelScheme
  readonly rows: ReadonlyArray<Unit.Unit>
}

const pad3 = (n: number): string => String(n).padStart(3, "0")
const COUNTY = "110105"

const childRanks = (scheme: LevelScheme.LevelScheme, rank: number): Array<number> => {
  const out: Array<number> = []
  const parentLevel = scheme.levels[rank]?.id ?? ""
  scheme.levels.forEach((level, c) => {
    if (LevelScheme.canParent(scheme, parentLevel, level.id)) out.push(c)
  })
  return out
}

/**
 * Builds a valid hierarchy from choices: each step hangs a new unit (id stem
 * `stems[stemSeed]`) under an earlier unit that can have children, at a level
 * the scheme allows there.
 */
export const generate = (
  scheme: LevelScheme.LevelScheme,
  rootSeed: number,
  steps: ReadonlyArray<readonly [parentSeed: number, levelSeed: number, stemSeed: number]>
): Generated => {
  const levels = scheme.levels
  interface Node {
    readonly id: string
    readonly rank: number
    readonly street?: string
  }
  const nodes: Array<Node> = []
  const rows: Array<Unit.Unit> = []
  let streets = 0
  let communities = 0
  const add = (parent: Node | undefined, rank: number, stem: string): void => {
    const id = `${stem}${nodes.length}`
    const level = levels[rank]?.id ?? ""
    let code: string | undefined
    let street = parent?.street
    if (level === "district") code = `${COUNTY}000000`
    if (level === "street") {
      code = `${COUNTY}${pad3(++streets)}000`
      street = code.slice(0, 9)
    }
    if (level === "community") code = `${street ?? `${COUNTY}001`}${pad3(++communities)}`
    nodes.push(street === undefined ? { id, rank } : { id, rank, street })
    rows.push(
      Unit.make({
        id,
        parentId: parent?.id ?? null,
        level,
        name: `${levels[rank]?.name ?? ""}${nodes.length}`,
        ...(code === undefined ? {} : { code })
      })
    )
  }
  add(undefined, rootSeed % (levels.length - 1), "root")
  for (const [parentSeed, levelSeed, stemSeed] of steps) {
    const open = nodes.filter((n) => childRanks(scheme, n.rank).length > 0)
    const parent = open[parentSeed % open.length]
    if (parent === undefined) continue
    const allowed = childRanks(scheme, parent.rank)
    add(parent, allowed[levelSeed % allowed.length] ?? 0, stems[stemSeed % stems.length] ?? "u")
  }
  return { scheme, rows }
}

/** Random valid hierarchies of up to `maxSteps + 1` units. */
export const arbHierarchy = (maxSteps = 30): fc.Arbitrary<Generated> =>
  fc
    .record({
      scheme: fc.constantFrom(...schemes),
      rootSeed: fc.nat(),
      steps: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: maxSteps })
    })
    .map(({ rootSeed, scheme, steps }) => generate(scheme, rootSeed, steps))

/** The hierarchy of generated rows (they are valid by construction). */
export const build = (g: Generated): Hierarchy.Hierarchy => {
  const result = Hierarchy.make(g.scheme, g.rows)
  if (Either.isLeft(result)) throw new Error(`generated rows are invalid: ${result.left.message}`)
  return result.right
}

/** A unit and its descendants, in id order, by the core. */
export const subtreeByCore = (h: Hierarchy.Hierarchy, unitId: string): ReadonlyArray<string> => {
  const below = Hierarchy.descendants(h, unitId)
  return below._tag === "None" ? [] : [unitId, ...below.value.map((u) => u.id)].sort(compare)
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * A fixed district in the five-level scheme: 朝阳区 d1 → streets s1, s2 → two
 * communities each (s1c1 …) → `buildingsPerCommunity` buildings each
 * (s1c1b1 …). With `codes`, the district, streets and communities carry nested
 * area codes (then a community cannot move to another street).
 */
export const district = (options?: {
  readonly buildingsPerCommunity?: number
  readonly codes?: boolean
}): Generated => {
  const buildingsPerCommunity = options?.buildingsPerCommunity ?? 3
  const codes = options?.codes ?? true
  const code = (c: string) => (codes ? { code: c } : {})
  const rows: Array<Unit.Unit> = [
    Unit.make({ id: "d1", parentId: null, level: "district", name: "朝阳区", ...code("110105000000") })
  ]
  for (let s = 1; s <= 2; s++) {
    const street = `s${s}`
    rows.push(
      Unit.make({
        id: street,
        parentId: "d1",
        level: "street",
        name: `街道${s}`,
        ...code(`110105${pad3(s)}000`)
      })
    )
    for (let c = 1; c <= 2; c++) {
      const community = `${street}c${c}`
      rows.push(
        Unit.make({
          id: community,
          parentId: street,
          level: "community",
          name: `社区${s}-${c}`,
          ...code(`110105${pad3(s)}${pad3(c)}`)
        })
      )
      for (let b = 1; b <= buildingsPerCommunity; b++) {
        rows.push(
          Unit.make({ id: `${community}b${b}`, parentId: community, level: "building", name: `${b}号楼` })
        )
      }
    }
  }
  return { scheme: LevelScheme.FiveLevel, rows }
}
