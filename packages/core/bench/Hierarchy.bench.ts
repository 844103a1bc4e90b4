/**
 * Hierarchy benchmarks on a 1,000,000-unit five-level tree (五级治理: 1 district,
 * 20 streets, 10–20 communities per street, 45–75 compounds per community,
 * about 50–60 buildings per compound (weights 40–70 scaled to reach exactly
 * 1,000,000 units), 0–5 buildings directly under each community).
 *
 * Each comparison runs the straightforward implementation a developer would
 * write (object nodes in a Map, children arrays, parent walks) against
 * civicgrid's `Hierarchy`, on the same rows in the same process.
 */

import { compare, keep } from "@civicgrid/testkit/Bench"
import { prng } from "@civicgrid/testkit/Random"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as AreaCode from "../src/AreaCode.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Unit from "../src/Unit.js"

const N = 1_000_000

interface BenchUnit extends Unit.Unit {
  /** 户数 — households (buildings only). */
  readonly households: number
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/**
 * Generates exactly N rows in pre-order (as a database export sorted by path
 * would be). First the shape (streets, communities, compounds, stand-alone
 * buildings and a weight per compound in 40–70), then the remaining budget of
 * buildings is spread over the compounds in proportion to their weights.
 */
const generate = (): Array<BenchUnit> => {
  const random = prng(20240601)
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  interface CommunityShape {
    readonly weights: Array<number>
    readonly standalone: number
  }
  const streets: Array<Array<CommunityShape>> = []
  let fixed = 1
  let weightSum = 0
  for (let s = 0; s < 20; s++) {
    const communities: Array<CommunityShape> = []
    for (let c = between(10, 20); c > 0; c--) {
      const weights: Array<number> = []
      for (let p = between(45, 75); p > 0; p--) {
        const w = between(40, 70)
        weights.push(w)
        weightSum += w
      }
      const standalone = between(0, 5)
      communities.push({ weights, standalone })
      fixed += 1 + weights.length + standalone
    }
    streets.push(communities)
    fixed += 1
  }
  const budget = N - fixed
  let remainder = budget
  for (const communities of streets) {
    for (const community of communities) {
      community.weights.forEach((w, k) => {
        const buildings = Math.floor((w * budget) / weightSum)
        community.weights[k] = buildings
        remainder -= buildings
      })
    }
  }
  const rows: Array<BenchUnit> = []
  const push = (
    id: string,
    parentId: string | null,
    level: string,
    name: string,
    households: number,
    code?: string
  ) => {
    const unit = Unit.make(
      code === undefined ? { id, parentId, level, name } : { id, parentId, level, name, code }
    )
    rows.push({ ...unit, households })
  }
  push("D", null, "district", "示范区", 0, "110105000000")
  streets.forEach((communities, s) => {
    const street = `S${pad(s + 1, 2)}`
    const streetCode = `110105${pad(s + 1, 3)}000`
    push(street, "D", "street", `第${s + 1}街道`, 0, streetCode)
    communities.forEach((shape, c) => {
      const community = `${street}C${pad(c + 1, 2)}`
      push(community, street, "community", `第${c + 1}社区`, 0, `${streetCode.slice(0, 9)}${pad(c + 1, 3)}`)
      shape.weights.forEach((count, p) => {
        const compound = `${community}P${pad(p + 1, 3)}`
        push(compound, community, "compound", `第${p + 1}小区`, 0)
        const buildings = count + (remainder > 0 ? 1 : 0)
        if (remainder > 0) remainder--
        for (let b = 1; b <= buildings; b++) {
          push(`${compound}B${pad(b, 3)}`, compound, "building", `${b}号楼`, between(20, 200))
        }
      })
      // a few stand-alone buildings directly under the community (the optional compound level skipped)
      for (let b = 1; b <= shape.standalone; b++) {
        push(`${community}B${pad(b, 3)}`, community, "building", `独栋${b}号楼`, between(20, 200))
      }
    })
  })
  return rows
}

// ---------------------------------------------------------------------------
// the naive baseline
// ---------------------------------------------------------------------------

interface NaiveNode {
  readonly unit: BenchUnit
  parent: NaiveNode | undefined
  readonly children: Array<NaiveNode>
  depth: number
}

/** The straightforward build + validate: object nodes in a Map, children arrays, parent walks. */
const naiveBuild = (scheme: LevelScheme.LevelScheme, rows: ReadonlyArray<BenchUnit>) => {
  const violations: Array<string> = []
  const nodes = new Map<string, NaiveNode>()
  for (const unit of rows) {
    if (nodes.has(unit.id)) {
      violations.push(`duplicate id ${unit.id}`)
      continue
    }
    nodes.set(unit.id, { unit, parent: undefined, children: [], depth: 0 })
  }
  const roots: Array<NaiveNode> = []
  for (const node of nodes.values()) {
    const parentId = node.unit.parentId
    if (parentId === null) {
      roots.push(node)
      continue
    }
    const parent = nodes.get(parentId)
    if (parent === undefined) {
      violations.push(`missing parent ${parentId} of ${node.unit.id}`)
      continue
    }
    node.parent = parent
    parent.children.push(node)
  }
  if (roots.length !== 1) violations.push(`${roots.length} roots`)
  for (const node of nodes.values()) {
    // cycle check and depth: walk up the parents (a walk longer than the tree is a cycle)
    let depth = 0
    let p = node.parent
    while (p !== undefined) {
      if (p === node || depth > nodes.size) {
        violations.push(`cycle through ${node.unit.id}`)
        break
      }
      depth++
      p = p.parent
    }
    node.depth = depth
    if (!scheme.levels.some((l) => l.id === node.unit.level))
      violations.push(`unknown level ${node.unit.level}`)
    const parent = node.parent
    if (parent !== undefined && !LevelScheme.canParent(scheme, parent.unit.level, node.unit.level)) {
      violations.push(`level order ${node.unit.id}`)
    }
    const code = node.unit.code
    if (code !== undefined) {
      if (Option.isSome(AreaCode.check(code))) violations.push(`bad code ${node.unit.id}`)
      else if (parent?.unit.code !== undefined && !AreaCode.isWithin(code, parent.unit.code)) {
        violations.push(`code nesting ${node.unit.id}`)
      }
    }
  }
  return { nodes, roots, violations }
}

const naiveRollup = (root: NaiveNode): Map<string, number> => {
  const totals = new Map<string, number>()
  const visit = (node: NaiveNode): number => {
    let total = node.unit.households
    for (const child of node.children) total += visit(child)
    totals.set(node.unit.id, total)
    return total
  }
  visit(root)
  return totals
}

const naiveIsWithin = (
  byId: ReadonlyMap<string, BenchUnit>,
  unitId: string,
  jurisdictionId: string
): boolean => {
  let id: string | null = unitId
  while (id !== null) {
    if (id === jurisdictionId) return true
    id = byId.get(id)?.parentId ?? null
  }
  return false
}

const naiveAncestors = (byId: ReadonlyMap<string, BenchUnit>, unitId: string): Array<BenchUnit> => {
  const out: Array<BenchUnit> = []
  let id = byId.get(unitId)?.parentId ?? null
  while (id !== null) {
    const unit = byId.get(id)
    if (unit === undefined) break
    out.push(unit)
    id = unit.parentId
  }
  return out
}

// ---------------------------------------------------------------------------

const shuffle = <A>(xs: ReadonlyArray<A>, seed: number): Array<A> => {
  const random = prng(seed)
  const out = xs.slice()
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const a = out[i]
    const b = out[j]
    if (a !== undefined && b !== undefined) {
      out[i] = b
      out[j] = a
    }
  }
  return out
}

export default async () => {
  const scheme = LevelScheme.FiveLevel
  const rows = generate()
  const counts = new Map<string, number>()
  for (const r of rows) counts.set(r.level, (counts.get(r.level) ?? 0) + 1)
  console.log(
    `\nHierarchy: ${rows.length.toLocaleString("en-US")} units (${[...counts].map(([l, n]) => `${l} ${n.toLocaleString("en-US")}`).join(", ")})`
  )

  const built = Hierarchy.make(scheme, rows)
  if (Either.isLeft(built)) throw new Error(built.left.message)
  const h = built.right
  const naive = naiveBuild(scheme, rows)
  const naiveRoot = naive.roots[0]
  if (naive.violations.length > 0 || naiveRoot === undefined) throw new Error("the baseline rejects the rows")

  compare({
    title: "Hierarchy.make: build + validate 1M units (rows in pre-order)",
    baseline: {
      name: "Map of object nodes + children arrays + parent walks",
      run: () => naiveBuild(scheme, rows)
    },
    subject: {
      name: "Hierarchy.make (typed arrays, Euler intervals, CSR)",
      run: () => Hierarchy.make(scheme, rows)
    },
    items: rows.length,
    itemLabel: "units",
    targetMs: 2000,
    runs: 5
  })

  const shuffled = shuffle(rows, 7)
  compare({
    title: "Hierarchy.make: build + validate 1M units (rows shuffled)",
    baseline: {
      name: "Map of object nodes + children arrays + parent walks",
      run: () => naiveBuild(scheme, shuffled)
    },
    subject: {
      name: "Hierarchy.make (sorts sibling lists by id)",
      run: () => Hierarchy.make(scheme, shuffled)
    },
    items: rows.length,
    itemLabel: "units",
    targetMs: 2000,
    runs: 5
  })

  const households = (u: BenchUnit) => u.households
  const fast = Hierarchy.rollupNumbers(h, households)
  const slow = naiveRollup(naiveRoot)
  if (fast.root !== slow.get("D")) throw new Error("rollup totals disagree")
  console.log(`  (households at the district: ${fast.root.toLocaleString("en-US")})`)

  compare({
    title: "rollup of household counts, 1M units",
    baseline: { name: "recursive DFS over object nodes, totals in a Map", run: () => naiveRollup(naiveRoot) },
    subject: {
      name: "Hierarchy.rollupNumbers (Float64Array, reverse pre-order)",
      run: () => Hierarchy.rollupNumbers(h, households)
    },
    items: rows.length,
    itemLabel: "units",
    runs: 7
  })

  const sum: Hierarchy.Monoid<number> = { empty: 0, combine: (a, b) => a + b }
  compare({
    title: "rollup of household counts, generic monoid, 1M units",
    baseline: { name: "recursive DFS over object nodes, totals in a Map", run: () => naiveRollup(naiveRoot) },
    subject: { name: "Hierarchy.rollup (Monoid<number>)", run: () => Hierarchy.rollup(h, households, sum) },
    items: rows.length,
    itemLabel: "units",
    runs: 7
  })

  // 1M queries: a random unit against an actual ancestor half the time, a random street or community otherwise.
  const random = prng(99)
  const Q = 1_000_000
  const xs: Array<string> = []
  const ys: Array<string> = []
  const upper = rows.filter((r) => r.level === "street" || r.level === "community")
  const byId = new Map<string, BenchUnit>(rows.map((r) => [r.id, r]))
  for (let q = 0; q < Q; q++) {
    const x = rows[Math.floor(random() * rows.length)] ?? rows[0]
    if (x === undefined) break
    xs.push(x.id)
    const ancestors = naiveAncestors(byId, x.id)
    const y =
      random() < 0.5 && ancestors.length > 0
        ? ancestors[Math.floor(random() * ancestors.length)]
        : upper[Math.floor(random() * upper.length)]
    ys.push(y?.id ?? "D")
  }
  let expected = 0
  for (let q = 0; q < Q; q++) if (naiveIsWithin(byId, xs[q] ?? "", ys[q] ?? "")) expected++
  let actual = 0
  for (let q = 0; q < Q; q++) if (Hierarchy.isWithin(h, xs[q] ?? "", ys[q] ?? "")) actual++
  if (expected !== actual) throw new Error(`isWithin disagrees: ${expected} vs ${actual}`)
  console.log(`  (${actual.toLocaleString("en-US")} of ${Q.toLocaleString("en-US")} pairs are within)`)

  compare({
    title: "1M isWithin + 1M ancestors queries",
    baseline: {
      name: "parent walk via Map<id, row>",
      run: () => {
        let within = 0
        let length = 0
        for (let q = 0; q < Q; q++) {
          if (naiveIsWithin(byId, xs[q] ?? "", ys[q] ?? "")) within++
          length += naiveAncestors(byId, xs[q] ?? "").length
        }
        return within + length
      }
    },
    subject: {
      name: "Hierarchy.isWithin (Euler interval) + Hierarchy.ancestors",
      run: () => {
        let within = 0
        let length = 0
        for (let q = 0; q < Q; q++) {
          if (Hierarchy.isWithin(h, xs[q] ?? "", ys[q] ?? "")) within++
          const a = Hierarchy.ancestors(h, xs[q] ?? "")
          if (Option.isSome(a)) length += a.value.length
        }
        return within + length
      }
    },
    items: 2 * Q,
    itemLabel: "queries",
    runs: 5
  })

  compare({
    title: "1M isWithin queries alone",
    baseline: {
      name: "parent walk via Map<id, row>",
      run: () => {
        let within = 0
        for (let q = 0; q < Q; q++) if (naiveIsWithin(byId, xs[q] ?? "", ys[q] ?? "")) within++
        return within
      }
    },
    subject: {
      name: "Hierarchy.isWithin (two lookups + interval test)",
      run: () => {
        let within = 0
        for (let q = 0; q < Q; q++) if (Hierarchy.isWithin(h, xs[q] ?? "", ys[q] ?? "")) within++
        return within
      }
    },
    items: Q,
    itemLabel: "queries",
    runs: 5
  })
  keep(h)
}
