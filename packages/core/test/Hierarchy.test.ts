import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as AreaCode from "../src/AreaCode.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Unit from "../src/Unit.js"

// ---------------------------------------------------------------------------
// generators: random valid hierarchies under a scheme, and corrupted rows
// ---------------------------------------------------------------------------

const schemes: ReadonlyArray<LevelScheme.LevelScheme> = [
  LevelScheme.FiveLevel,
  LevelScheme.WithHouseholds,
  LevelScheme.StreetAreaCommunityGrid,
  LevelScheme.SixLevel
]

interface Generated {
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
 * Builds a valid hierarchy deterministically from random choices: each step
 * hangs a new unit under an earlier unit that can have children, at a level
 * the scheme allows there. With `codes`, districts, streets and communities
 * get nested 12-digit area codes.
 */
const generate = (
  scheme: LevelScheme.LevelScheme,
  rootSeed: number,
  steps: ReadonlyArray<readonly [number, number]>,
  codes: boolean
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
  const add = (parent: Node | undefined, rank: number): void => {
    const id = `u${nodes.length}`
    const level = levels[rank]?.id ?? ""
    let code: string | undefined
    let street = parent?.street
    if (codes && level === "district") code = `${COUNTY}000000`
    if (codes && level === "street") {
      code = `${COUNTY}${pad3(++streets)}000`
      street = code.slice(0, 9)
    }
    if (codes && level === "community") code = `${street ?? `${COUNTY}001`}${pad3(++communities)}`
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
  add(undefined, rootSeed % (levels.length - 1))
  for (const [parentSeed, levelSeed] of steps) {
    const open = nodes.filter((n) => childRanks(scheme, n.rank).length > 0)
    const parent = open[parentSeed % open.length]
    if (parent === undefined) continue
    const allowed = childRanks(scheme, parent.rank)
    add(parent, allowed[levelSeed % allowed.length] ?? 0)
  }
  return { scheme, rows }
}

const arbGenerated = (options: {
  readonly codes: boolean
  readonly maxSteps?: number
}): fc.Arbitrary<Generated> =>
  fc
    .record({
      scheme: fc.constantFrom(...schemes),
      rootSeed: fc.nat(),
      steps: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: options.maxSteps ?? 40 })
    })
    .map(({ rootSeed, scheme, steps }) => generate(scheme, rootSeed, steps, options.codes))

const arbTree = arbGenerated({ codes: true })
const arbTreeNoCodes = arbGenerated({ codes: false })

const unsafeMake = (g: Generated): Hierarchy.Hierarchy => {
  const result = Hierarchy.make(g.scheme, g.rows)
  if (Either.isLeft(result)) throw new Error(`generated rows are invalid: ${result.left.message}`)
  return result.right
}

const ids = (units: ReadonlyArray<Unit.Unit>): Array<string> => units.map((u) => u.id)
const some = <A>(o: Option.Option<A>): A => Option.getOrThrow(o)

/** The naive reference: ancestors by walking parent links in the rows. */
const naiveAncestors = (rows: ReadonlyArray<Unit.Unit>, id: string): Array<string> => {
  const byId = new Map(rows.map((r) => [r.id as string, r]))
  const out: Array<string> = []
  let p = byId.get(id)?.parentId ?? null
  while (p !== null) {
    out.push(p)
    p = byId.get(p)?.parentId ?? null
  }
  return out
}

const expectLeft = <A, E>(e: Either.Either<A, E>): E => {
  if (Either.isRight(e)) throw new Error("expected a Left")
  return e.left
}

// ---------------------------------------------------------------------------
// make: validation
// ---------------------------------------------------------------------------

const u = Unit.make
const five = LevelScheme.FiveLevel

const district = u({
  id: "chaoyang",
  parentId: null,
  level: "district",
  name: "朝阳区",
  code: "110105000000"
})
const street = u({
  id: "jianwai",
  parentId: "chaoyang",
  level: "street",
  name: "建外街道",
  code: "110105001000"
})
const community = u({
  id: "yonganli",
  parentId: "jianwai",
  level: "community",
  name: "永安里社区",
  code: "110105001001"
})
const compound = u({ id: "compound-1", parentId: "yonganli", level: "compound", name: "建国门外大街小区" })
const building = u({ id: "building-1", parentId: "compound-1", level: "building", name: "1号楼" })
const valid = [district, street, community, compound, building]

describe("Hierarchy.make", () => {
  it("builds a valid five-level tree (五级治理) from flat rows", () => {
    const h = unsafeMake({ scheme: five, rows: valid })
    expect(Hierarchy.size(h)).toBe(5)
    expect(Hierarchy.root(h).id).toBe("chaoyang")
    expect(ids(Hierarchy.units(h))).toEqual(["chaoyang", "jianwai", "yonganli", "compound-1", "building-1"])
  })

  it("层级次序: a building may skip the optional compound level", () => {
    const direct = u({ id: "building-2", parentId: "yonganli", level: "building", name: "2号楼" })
    expect(Either.isRight(Hierarchy.make(five, [...valid, direct]))).toBe(true)
  })

  it("层级次序: a community directly under a district skips the required street level", () => {
    const stray = u({ id: "stray", parentId: "chaoyang", level: "community", name: "某社区" })
    const err = expectLeft(Hierarchy.make(five, [...valid, stray]))
    expect(err.violations.map((v) => [v.rule, v.unitId, v.related])).toEqual([
      ["level-order", "stray", ["chaoyang"]]
    ])
  })

  it("层级次序: a child at its parent's own level is a violation", () => {
    const twin = u({ id: "twin", parentId: "jianwai", level: "street", name: "街道" })
    const err = expectLeft(Hierarchy.make(five, [...valid, twin]))
    expect(err.violations[0]?.rule).toBe("level-order")
    expect(err.violations[0]?.message).toContain("层级次序")
  })

  it("reports every violation at once, each naming the unit and the rule", () => {
    const rows = [
      ...valid,
      u({ id: "jianwai", parentId: "chaoyang", level: "street", name: "重复" }),
      u({ id: "orphan", parentId: "nowhere", level: "community", name: "孤儿社区" }),
      u({ id: "a", parentId: "b", level: "compound", name: "a" }),
      u({ id: "b", parentId: "a", level: "building", name: "b" }),
      u({ id: "second-root", parentId: null, level: "district", name: "另一个区" }),
      u({ id: "odd", parentId: "yonganli", level: "village", name: "?" }),
      u({ id: "bad-code", parentId: "chaoyang", level: "street", name: "x", code: "110105999000" }),
      u({ id: "outside", parentId: "jianwai", level: "community", name: "y", code: "110105002001" })
    ]
    const err = expectLeft(Hierarchy.make(five, rows))
    const found = err.violations.map((v) => `${v.rule}:${v.unitId}`)
    expect(found).toEqual([
      "cycle:a",
      "level-order:a",
      "area-code:bad-code",
      "several-roots:chaoyang",
      "duplicate-id:jianwai",
      "unknown-level:odd",
      "missing-parent:orphan",
      "code-nesting:outside",
      "several-roots:second-root"
    ])
    const cycle = err.violations.find((v) => v.rule === "cycle")
    expect(cycle?.related).toEqual(["a", "b"])
    expect(cycle?.message).toContain('"a" → "b" → "a"')
  })

  it("no root: an empty list, or rows whose parents all exist in a cycle", () => {
    expect(expectLeft(Hierarchy.make(five, [])).violations.map((v) => v.rule)).toEqual(["no-root"])
    const rows = [
      u({ id: "x", parentId: "y", level: "street", name: "x" }),
      u({ id: "y", parentId: "x", level: "community", name: "y" })
    ]
    const rules = expectLeft(Hierarchy.make(five, rows)).violations.map((v) => v.rule)
    expect(rules).toContain("no-root")
    expect(rules).toContain("cycle")
  })

  it("HierarchyInvalid is a tagged error value with a readable message", () => {
    const err = expectLeft(
      Hierarchy.make(five, [...valid, u({ id: "o", parentId: "?", level: "x", name: "o" })])
    )
    expect(err._tag).toBe("HierarchyInvalid")
    expect(err.message).toContain("行政层级无效")
    expect(err.violations.every((v) => v._tag === "HierarchyViolation")).toBe(true)
  })

  it.prop("every generated valid hierarchy is accepted", [arbTree], ([g]) => {
    const result = Hierarchy.make(g.scheme, g.rows)
    expect(Either.isRight(result) ? [] : result.left.violations).toEqual([])
  })

  it.prop(
    "make() on shuffled rows gives the same tree",
    [
      arbTree.chain((g) =>
        fc.tuple(fc.constant(g), fc.shuffledSubarray([...g.rows], { minLength: g.rows.length }))
      )
    ],
    ([[g, shuffled]]) => {
      const a = unsafeMake(g)
      const b = unsafeMake({ scheme: g.scheme, rows: shuffled })
      expect(Hierarchy.units(b)).toEqual(Hierarchy.units(a))
      for (const unit of Hierarchy.units(a)) {
        expect(Hierarchy.depth(b, unit.id)).toEqual(Hierarchy.depth(a, unit.id))
        expect(Hierarchy.children(b, unit.id)).toEqual(Hierarchy.children(a, unit.id))
      }
    }
  )
})

// ---------------------------------------------------------------------------
// corruptions: every injected fault is reported with its rule and unit
// ---------------------------------------------------------------------------

type Corruption =
  | "duplicate-id"
  | "missing-parent"
  | "cycle"
  | "several-roots"
  | "unknown-level"
  | "level-order"
  | "area-code"
  | "code-nesting"

const corruptions: ReadonlyArray<Corruption> = [
  "duplicate-id",
  "missing-parent",
  "cycle",
  "several-roots",
  "unknown-level",
  "level-order",
  "area-code",
  "code-nesting"
]

interface Injected {
  readonly rule: Corruption
  readonly unitId: string
  /** For a cycle: the unit whose parent link now points into its own subtree. */
  readonly also?: string
}

/**
 * Corrupts the rows at targets that are pairwise unrelated (no target is an
 * ancestor of another), so no fault can hide another; each target gets one
 * applicable corruption.
 */
const corrupt = (
  g: Generated,
  picks: ReadonlyArray<readonly [number, number, number]>
): { readonly rows: ReadonlyArray<Unit.Unit>; readonly injected: ReadonlyArray<Injected> } => {
  const rows = g.rows.slice()
  const byId = new Map(rows.map((r, i) => [r.id as string, i]))
  const related = (a: string, b: string) =>
    a === b || naiveAncestors(g.rows, a).includes(b) || naiveAncestors(g.rows, b).includes(a)
  const descendantsOf = (id: string) => g.rows.filter((r) => naiveAncestors(g.rows, r.id).includes(id))
  const injected: Array<Injected> = []
  const extra: Array<Unit.Unit> = []
  for (const [targetSeed, kindSeed, descendantSeed] of picks) {
    const target = g.rows[targetSeed % g.rows.length]
    if (target === undefined || injected.some((i) => related(i.unitId, target.id))) continue
    const parent = target.parentId === null ? undefined : g.rows[byId.get(target.parentId) ?? -1]
    const applicable = (c: Corruption): boolean => {
      switch (c) {
        case "missing-parent":
        case "several-roots":
        case "level-order":
          return parent !== undefined
        case "code-nesting":
          return target.code !== undefined && parent?.code !== undefined
        default:
          return true
      }
    }
    let rule: Corruption = "duplicate-id"
    for (let k = 0; k < corruptions.length; k++) {
      const c = corruptions[(kindSeed + k) % corruptions.length] ?? "duplicate-id"
      if (applicable(c)) {
        rule = c
        break
      }
    }
    const at = byId.get(target.id) ?? 0
    switch (rule) {
      case "duplicate-id":
        extra.push({ ...target, name: `${target.name}（重复）` })
        injected.push({ rule, unitId: target.id })
        break
      case "missing-parent":
        rows[at] = { ...target, parentId: Unit.UnitId.make(`ghost-of-${target.id}`) }
        injected.push({ rule, unitId: target.id })
        break
      case "cycle": {
        const below = descendantsOf(target.id)
        const into = below[descendantSeed % (below.length + 1)] ?? target
        rows[at] = { ...target, parentId: into.id }
        injected.push({ rule, unitId: target.id, also: into.id })
        break
      }
      case "several-roots":
        rows[at] = { ...target, parentId: null }
        injected.push({ rule, unitId: target.id })
        break
      case "unknown-level":
        rows[at] = { ...target, level: LevelScheme.LevelId.make("no-such-level") }
        injected.push({ rule, unitId: target.id })
        break
      case "level-order":
        rows[at] = { ...target, level: parent?.level ?? target.level }
        injected.push({ rule, unitId: target.id })
        break
      case "area-code":
        rows[at] = { ...target, code: AreaCode.AreaCode.make("99x", { disableValidation: true }) }
        injected.push({ rule, unitId: target.id })
        break
      case "code-nesting":
        rows[at] = { ...target, code: AreaCode.AreaCode.make("120000000000") }
        injected.push({ rule, unitId: target.id })
        break
    }
  }
  return { rows: [...rows, ...extra], injected }
}

const reported = (violations: ReadonlyArray<Hierarchy.HierarchyViolation>, i: Injected): boolean =>
  violations.some((v) =>
    i.rule === "cycle"
      ? v.rule === "cycle" &&
        v.related.includes(Unit.UnitId.make(i.unitId)) &&
        v.related.some((r) => r === i.also)
      : v.rule === i.rule && v.unitId === i.unitId
  )

describe("Hierarchy.make — corrupted rows", () => {
  it.prop(
    "each injected corruption is reported with the right rule and unit (all of them, not just the first)",
    [arbTree, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 })],
    ([g, picks]) => {
      const { injected, rows } = corrupt(g, picks)
      const err = expectLeft(Hierarchy.make(g.scheme, rows))
      for (const i of injected) expect(reported(err.violations, i), `${i.rule} on ${i.unitId}`).toBe(true)
    }
  )

  it.prop(
    "each kind of corruption alone is reported on its unit",
    [arbTree, fc.nat(), fc.nat({ max: corruptions.length - 1 }), fc.nat()],
    ([g, target, kind, below]) => {
      const { injected, rows } = corrupt(g, [[target, kind, below]])
      const err = expectLeft(Hierarchy.make(g.scheme, rows))
      expect(injected).toHaveLength(1)
      for (const i of injected) expect(reported(err.violations, i), `${i.rule} on ${i.unitId}`).toBe(true)
    }
  )

  it.prop(
    "violations come back sorted by unit id, then rule",
    [arbTree, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 })],
    ([g, picks]) => {
      const { rows } = corrupt(g, picks)
      const err = expectLeft(Hierarchy.make(g.scheme, rows))
      const keys = err.violations.map((v) => v.unitId ?? "")
      expect(keys).toEqual([...keys].sort())
    }
  )
})

// ---------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------

describe("Hierarchy queries", () => {
  const h = unsafeMake({ scheme: five, rows: valid })

  it("get / parent / children / path / depth on the five-level example", () => {
    expect(Option.map(Hierarchy.get(h, "yonganli"), (x) => x.name)).toEqual(Option.some("永安里社区"))
    expect(Option.map(Hierarchy.parent(h, "yonganli"), (x) => x.id)).toEqual(Option.some("jianwai"))
    expect(Hierarchy.parent(h, "chaoyang")).toEqual(Option.none())
    expect(ids(some(Hierarchy.children(h, "chaoyang")))).toEqual(["jianwai"])
    expect(ids(some(Hierarchy.path(h, "building-1")))).toEqual([
      "chaoyang",
      "jianwai",
      "yonganli",
      "compound-1",
      "building-1"
    ])
    expect(ids(some(Hierarchy.ancestors(h, "compound-1")))).toEqual(["yonganli", "jianwai", "chaoyang"])
    expect(Hierarchy.depth(h, "building-1")).toEqual(Option.some(4))
    expect(ids(Hierarchy.unitsAtLevel(h, "community"))).toEqual(["yonganli"])
  })

  it("unknown ids give none (or false), never a throw", () => {
    const queries: ReadonlyArray<(self: Hierarchy.Hierarchy, id: string) => Option.Option<unknown>> = [
      Hierarchy.get,
      Hierarchy.parent,
      Hierarchy.children,
      Hierarchy.ancestors,
      Hierarchy.path
    ]
    for (const q of queries) {
      expect(Option.isNone(q(h, "nope"))).toBe(true)
    }
    expect(Hierarchy.depth(h, "nope")).toEqual(Option.none())
    expect(Hierarchy.descendants(h, "nope")).toEqual(Option.none())
    expect(Hierarchy.subtree(h, "nope")).toEqual(Option.none())
    expect(Hierarchy.lowestCommonAncestor(h, "nope", "chaoyang")).toEqual(Option.none())
    expect(Hierarchy.isWithin(h, "nope", "chaoyang")).toBe(false)
    expect(Hierarchy.has(h, "nope")).toBe(false)
  })

  it("辖区: a unit is within itself and within each ancestor's jurisdiction, never a descendant's", () => {
    expect(Hierarchy.isWithin(h, "building-1", "building-1")).toBe(true)
    expect(Hierarchy.isWithin(h, "building-1", "jianwai")).toBe(true)
    expect(Hierarchy.isWithin(h, "jianwai", "building-1")).toBe(false)
  })

  it("data-last forms compose with pipe", () => {
    expect(h.pipe(Hierarchy.depth("yonganli"))).toEqual(Option.some(2))
    expect(h.pipe(Hierarchy.isWithin("building-1", "chaoyang"))).toBe(true)
    expect([...h].map((x) => x.id)).toEqual(ids(Hierarchy.units(h)))
  })

  it.prop("duality: y ∈ descendants(x) ⇔ x ∈ ancestors(y)", [arbTree], ([g]) => {
    const h = unsafeMake(g)
    for (const x of Hierarchy.units(h)) {
      const below = new Set(ids(some(Hierarchy.descendants(h, x.id))))
      for (const y of Hierarchy.units(h)) {
        const above = ids(some(Hierarchy.ancestors(h, y.id)))
        expect(below.has(y.id)).toBe(above.includes(x.id))
      }
    }
  })

  it.prop("ancestors agree with walking the rows' parent links, nearest first", [arbTree], ([g]) => {
    const h = unsafeMake(g)
    for (const row of g.rows)
      expect(ids(some(Hierarchy.ancestors(h, row.id)))).toEqual(naiveAncestors(g.rows, row.id))
  })

  it.prop(
    "isWithin(y, x) ⇔ x lies on path(y); depth = |ancestors|; path = reversed ancestors + self",
    [arbTree],
    ([g]) => {
      const h = unsafeMake(g)
      for (const y of Hierarchy.units(h)) {
        const p = ids(some(Hierarchy.path(h, y.id)))
        const a = ids(some(Hierarchy.ancestors(h, y.id)))
        expect(some(Hierarchy.depth(h, y.id))).toBe(a.length)
        expect(p).toEqual([...a].reverse().concat(y.id))
        expect(p[0]).toBe(Hierarchy.root(h).id)
        for (const x of Hierarchy.units(h)) expect(Hierarchy.isWithin(h, y.id, x.id)).toBe(p.includes(x.id))
      }
    }
  )

  it.prop(
    "LCA is an ancestor-or-self of both units, and the deepest such",
    [arbTree, fc.nat(), fc.nat()],
    ([g, i, j]) => {
      const h = unsafeMake(g)
      const all = Hierarchy.units(h)
      const a = all[i % all.length]
      const b = all[j % all.length]
      if (a === undefined || b === undefined) return
      const lca = some(Hierarchy.lowestCommonAncestor(h, a.id, b.id))
      expect(Hierarchy.isWithin(h, a.id, lca.id)).toBe(true)
      expect(Hierarchy.isWithin(h, b.id, lca.id)).toBe(true)
      for (const child of some(Hierarchy.children(h, lca.id))) {
        expect(Hierarchy.isWithin(h, a.id, child.id) && Hierarchy.isWithin(h, b.id, child.id)).toBe(false)
      }
      expect(Hierarchy.lowestCommonAncestor(h, b.id, a.id)).toEqual(Option.some(lca))
    }
  )

  it.prop(
    "descendants are the subtree in pre-order; units() is a pre-order of the whole tree",
    [arbTree],
    ([g]) => {
      const h = unsafeMake(g)
      const order = ids(Hierarchy.units(h))
      expect([...order].sort()).toEqual(ids(g.rows).sort())
      for (const x of Hierarchy.units(h)) {
        const below = ids(some(Hierarchy.descendants(h, x.id)))
        const start = order.indexOf(x.id)
        expect(below).toEqual(order.slice(start + 1, start + 1 + below.length))
        const kids = ids(some(Hierarchy.children(h, x.id)))
        expect(kids).toEqual([...kids].sort())
        expect(kids).toEqual(below.filter((id) => some(Hierarchy.parent(h, id)).id === x.id))
      }
    }
  )

  it.prop(
    "subtree(x) is a hierarchy rooted at x holding exactly x and its descendants",
    [arbTree, fc.nat()],
    ([g, i]) => {
      const h = unsafeMake(g)
      const x = Hierarchy.units(h)[i % Hierarchy.size(h)]
      if (x === undefined) return
      const s = some(Hierarchy.subtree(h, x.id))
      expect(Hierarchy.root(s).id).toBe(x.id)
      expect(Hierarchy.root(s).parentId).toBeNull()
      expect(ids(Hierarchy.units(s))).toEqual([x.id, ...ids(some(Hierarchy.descendants(h, x.id)))])
      for (const y of Hierarchy.units(s)) {
        expect(some(Hierarchy.depth(s, y.id))).toBe(
          some(Hierarchy.depth(h, y.id)) - some(Hierarchy.depth(h, x.id))
        )
        expect(ids(some(Hierarchy.children(s, y.id)))).toEqual(ids(some(Hierarchy.children(h, y.id))))
      }
      // the subtree's units form a valid hierarchy on their own
      expect(Hierarchy.units(unsafeMake({ scheme: g.scheme, rows: Hierarchy.units(s) }))).toEqual(
        Hierarchy.units(s)
      )
    }
  )
})

// ---------------------------------------------------------------------------
// move and diff
// ---------------------------------------------------------------------------

const movable = (h: Hierarchy.Hierarchy, x: Unit.Unit): Array<Unit.Unit> =>
  Hierarchy.units(h).filter(
    (p) => !Hierarchy.isWithin(h, p.id, x.id) && LevelScheme.canParent(h.scheme, p.level, x.level)
  )

describe("Hierarchy.move", () => {
  it.prop(
    "a moved subtree keeps every unit, hangs under its new parent, and no cycle appears",
    [arbTreeNoCodes, fc.nat(), fc.nat()],
    ([g, i, j]) => {
      const h = unsafeMake(g)
      const x = Hierarchy.units(h)[1 + (i % Math.max(1, Hierarchy.size(h) - 1))]
      if (x === undefined) return
      const targets = movable(h, x)
      const p = targets[j % Math.max(1, targets.length)]
      if (p === undefined) return
      const before = ids(some(Hierarchy.descendants(h, x.id))).sort()
      const moved = Either.getOrThrow(Hierarchy.move(h, x.id, p.id))
      expect(ids(Hierarchy.units(moved)).sort()).toEqual(ids(Hierarchy.units(h)).sort())
      expect(some(Hierarchy.parent(moved, x.id)).id).toBe(p.id)
      expect(ids(some(Hierarchy.descendants(moved, x.id))).sort()).toEqual(before)
      for (const y of Hierarchy.units(moved)) {
        expect(some(Hierarchy.path(moved, y.id))[0]?.id).toBe(Hierarchy.root(moved).id)
      }
      const d = Hierarchy.diff(h, moved)
      const parentBefore = x.parentId
      expect(d).toEqual({
        added: [],
        removed: [],
        changed: [],
        moved: parentBefore === p.id ? [] : [{ unitId: x.id, from: parentBefore, to: p.id }]
      })
    }
  )

  it.prop(
    "moving a unit under itself or one of its descendants is refused as a cycle",
    [arbTreeNoCodes, fc.nat(), fc.nat()],
    ([g, i, j]) => {
      const h = unsafeMake(g)
      const x = Hierarchy.units(h)[i % Hierarchy.size(h)]
      if (x === undefined) return
      const below = [x, ...some(Hierarchy.descendants(h, x.id))]
      const y = below[j % below.length]
      if (y === undefined) return
      const err = expectLeft(Hierarchy.move(h, x.id, y.id))
      expect(err._tag).toBe("HierarchyInvalid")
      if (err._tag === "HierarchyInvalid") {
        const cycle = err.violations.find((v) => v.rule === "cycle")
        expect(cycle?.related).toContain(x.id)
        expect(cycle?.related).toContain(y.id)
      }
    }
  )

  it("re-checks level order and code nesting after a move", () => {
    const h = unsafeMake({
      scheme: five,
      rows: [
        ...valid,
        u({ id: "street-2", parentId: "chaoyang", level: "street", name: "朝外街道", code: "110105002000" })
      ]
    })
    const toStreet = expectLeft(Hierarchy.move(h, "yonganli", "street-2"))
    expect(
      toStreet._tag === "HierarchyInvalid" && toStreet.violations.map((v) => [v.rule, v.unitId])
    ).toEqual([["code-nesting", "yonganli"]])
    const toDistrict = expectLeft(Hierarchy.move(h, "compound-1", "chaoyang"))
    expect(toDistrict._tag === "HierarchyInvalid" && toDistrict.violations.map((v) => v.rule)).toEqual([
      "level-order"
    ])
    expect(expectLeft(Hierarchy.move(h, "nope", "chaoyang"))._tag).toBe("UnitNotFound")
    expect(expectLeft(Hierarchy.move(h, "yonganli", "nope"))._tag).toBe("UnitNotFound")
  })
})

describe("Hierarchy.diff", () => {
  it.prop("diff(h, h) is empty", [arbTree], ([g]) => {
    const h = unsafeMake(g)
    expect(Hierarchy.isEmptyDiff(Hierarchy.diff(h, h))).toBe(true)
  })

  it.prop(
    "diff(h, subtree(h, x)) removes everything outside x and re-roots x",
    [arbTree, fc.nat()],
    ([g, i]) => {
      const h = unsafeMake(g)
      const x = Hierarchy.units(h)[i % Hierarchy.size(h)]
      if (x === undefined) return
      const d = Hierarchy.diff(h, some(Hierarchy.subtree(h, x.id)))
      const inside = new Set([x.id, ...ids(some(Hierarchy.descendants(h, x.id)))])
      expect(ids(d.removed)).toEqual(ids(Hierarchy.units(h).filter((y) => !inside.has(y.id))).sort())
      expect(d.added).toEqual([])
      expect(d.moved).toEqual(x.parentId === null ? [] : [{ unitId: x.id, from: x.parentId, to: null }])
    }
  )

  it("reports added, removed, moved and changed units in id order", () => {
    const before = unsafeMake({ scheme: five, rows: valid })
    const after = unsafeMake({
      scheme: five,
      rows: [
        district,
        { ...street, name: "建国门外街道" },
        community,
        u({ id: "building-9", parentId: "yonganli", level: "building", name: "9号楼" }),
        { ...building, parentId: community.id }
      ]
    })
    expect(Hierarchy.diff(before, after)).toEqual({
      added: [after.tree.nodes.find((x) => x.id === "building-9")],
      removed: [compound],
      moved: [{ unitId: "building-1", from: "compound-1", to: "yonganli" }],
      changed: [
        { unitId: "jianwai", fields: ["name"], before: street, after: { ...street, name: "建国门外街道" } }
      ]
    })
  })
})

// ---------------------------------------------------------------------------
// rollup
// ---------------------------------------------------------------------------

const own = (unit: Unit.Unit): number => (Number(unit.id.slice(1)) * 7919) % 101
const sum: Hierarchy.Monoid<number> = { empty: 0, combine: (a, b) => a + b }

interface Ratio {
  readonly numerator: number
  readonly denominator: number
}
const ratio: Hierarchy.Monoid<Ratio> = {
  empty: { numerator: 0, denominator: 0 },
  combine: (a, b) => ({ numerator: a.numerator + b.numerator, denominator: a.denominator + b.denominator })
}

describe("Hierarchy.rollup", () => {
  it.prop("the root's total equals the sum of every unit's own value", [arbTree], ([g]) => {
    const h = unsafeMake(g)
    const totals = Hierarchy.rollup(h, own, sum)
    expect(totals.root).toBe(g.rows.reduce((acc, r) => acc + own(r), 0))
    expect(Hierarchy.rollupNumbers(h, own).root).toBe(totals.root)
  })

  it.prop("each unit's total = its own value + its children's totals", [arbTree], ([g]) => {
    const h = unsafeMake(g)
    const totals = Hierarchy.rollup(h, own, sum)
    const fast = Hierarchy.rollupNumbers(h, own)
    for (const x of Hierarchy.units(h)) {
      const kids = some(Hierarchy.children(h, x.id)).reduce((acc, c) => acc + some(totals.get(c.id)), 0)
      expect(some(totals.get(x.id))).toBe(own(x) + kids)
      expect(some(fast.get(x.id))).toBe(some(totals.get(x.id)))
    }
    expect(Array.from(fast.values)).toEqual(totals.values)
    expect([...totals.toMap().keys()]).toEqual(ids(Hierarchy.units(h)))
  })

  it.prop("a struct monoid (numerator / denominator) rolls rates up without averaging", [arbTree], ([g]) => {
    const h = unsafeMake(g)
    const value = (x: Unit.Unit): Ratio => ({ numerator: own(x) % 10, denominator: 10 })
    const totals = Hierarchy.rollup(h, value, ratio)
    expect(totals.root).toEqual({
      numerator: g.rows.reduce((acc, r) => acc + (own(r) % 10), 0),
      denominator: 10 * g.rows.length
    })
  })

  it.prop(
    "non-commutative monoids fold in pre-order: concatenating ids gives units() in order",
    [arbTree],
    ([g]) => {
      const h = unsafeMake(g)
      const concat: Hierarchy.Monoid<ReadonlyArray<string>> = { empty: [], combine: (a, b) => [...a, ...b] }
      const totals = Hierarchy.rollup(h, (x) => [x.id], concat)
      expect(totals.root).toEqual(ids(Hierarchy.units(h)))
      for (const x of Hierarchy.units(h)) {
        expect(some(totals.get(x.id))).toEqual([x.id, ...ids(some(Hierarchy.descendants(h, x.id)))])
      }
    }
  )

  it("unknown ids give none", () => {
    const h = unsafeMake({ scheme: five, rows: valid })
    expect(Hierarchy.rollup(h, () => 1, sum).get("nope")).toEqual(Option.none())
    expect(Hierarchy.rollupNumbers(h, () => 1).get("chaoyang")).toEqual(Option.some(5))
  })
})

// ---------------------------------------------------------------------------
// decodeRows
// ---------------------------------------------------------------------------

describe("Hierarchy.decodeRows", () => {
  it("decodes untrusted rows with the Unit schema", () => {
    const rows = Either.getOrThrow(
      Hierarchy.decodeRows([
        { id: "chaoyang", parentId: null, level: "district", name: "朝阳区", code: "110105000000" },
        { id: "jianwai", parentId: "chaoyang", level: "street", name: "建外街道" }
      ])
    )
    expect(Either.isRight(Hierarchy.make(five, rows))).toBe(true)
  })

  it("reports every row error with its row index, not just the first", () => {
    const err = expectLeft(
      Hierarchy.decodeRows([
        { id: "ok", parentId: null, level: "district", name: "区" },
        { id: "", parentId: null, level: "street", name: "x" },
        { id: "c", parentId: 3, level: "community", name: "y", code: "12345" }
      ])
    )
    expect(err._tag).toBe("UnitRowsInvalid")
    const byRow = err.errors.map((e) => `${e.row}:${e.path}`)
    expect(byRow).toEqual(["1:id", "2:parentId", "2:code"])
  })

  it("a non-array input is one error without a row", () => {
    const err = expectLeft(Hierarchy.decodeRows({ not: "rows" }))
    expect(err.errors.map((e) => e.row)).toEqual([null])
  })
})
