import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import type * as Grid from "../src/Grid.js"
import { GridId } from "../src/Grid.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Party from "../src/PartyOrganization.js"
import * as Unit from "../src/Unit.js"

// ---------------------------------------------------------------------------
// generator: a street (街道—片区—社区—网格) with a party tree mirroring it
// ---------------------------------------------------------------------------

interface World {
  readonly hierarchy: Hierarchy.Hierarchy
  readonly grids: ReadonlyArray<Grid.Grid>
  readonly orgs: ReadonlyArray<Party.PartyOrganization>
}

const gridRecord = (id: string, communityId: string, name: string): Grid.Grid => ({
  id: GridId.make(id),
  name,
  kind: "basic",
  communityId: Unit.UnitId.make(communityId),
  buildingIds: []
})

const lowerKinds: ReadonlyArray<Party.PartyOrgKind> = ["building-group", "member-household", "vanguard-post"]

/**
 * A street with `areas[i]` communities in area i, each community with
 * `grids` grids; the party tree has a 街道党工委, a 片区党委 per area, a 社区党总支
 * per community, a 网格党支部 per grid, and below each branch a chain of lower
 * organisations (party group → household → vanguard post, skipping optional kinds).
 */
const world = (shape: {
  readonly areas: ReadonlyArray<ReadonlyArray<number>>
  readonly below: ReadonlyArray<number>
}): World => {
  const units: Array<Unit.Unit> = [Unit.make({ id: "street", parentId: null, level: "street", name: "街道" })]
  const grids: Array<Grid.Grid> = []
  const orgs: Array<Party.PartyOrganization> = [
    Party.makeOrg({
      id: "p-street",
      parentId: null,
      kind: "street-working-committee",
      name: "街道党工委",
      unitId: "street"
    })
  ]
  let gridCount = 0
  shape.areas.forEach((communities, a) => {
    const area = `area-${a}`
    units.push(Unit.make({ id: area, parentId: "street", level: "area", name: `片区${a}` }))
    orgs.push(
      Party.makeOrg({
        id: `p-${area}`,
        parentId: "p-street",
        kind: "area-committee",
        name: `片区党委${a}`,
        unitId: area
      })
    )
    communities.forEach((gridsHere, c) => {
      const community = `${area}-c${c}`
      units.push(Unit.make({ id: community, parentId: area, level: "community", name: `社区${c}` }))
      orgs.push(
        Party.makeOrg({
          id: `p-${community}`,
          parentId: `p-${area}`,
          kind: "community-committee",
          name: `社区党总支${c}`,
          unitId: community
        })
      )
      for (let g = 0; g < Math.max(1, gridsHere); g++) {
        const grid = `${community}-g${g}`
        units.push(Unit.make({ id: grid, parentId: community, level: "grid", name: `网格${g}` }))
        grids.push(gridRecord(grid, community, `网格${g}`))
        orgs.push(
          Party.makeOrg({
            id: `p-${grid}`,
            parentId: `p-${community}`,
            kind: "grid-branch",
            name: `网格党支部${g}`,
            unitId: grid,
            gridId: grid
          })
        )
        const depth = shape.below[gridCount++ % Math.max(1, shape.below.length)] ?? 0
        let parent = `p-${grid}`
        for (let k = 0; k < depth % 4; k++) {
          const id = `${parent}-${k}`
          orgs.push(
            Party.makeOrg({
              id,
              parentId: parent,
              kind: lowerKinds[k] ?? "vanguard-post",
              name: `组织${k}`,
              gridId: grid
            })
          )
          parent = id
        }
      }
    })
  })
  const hierarchy = Either.getOrThrow(Hierarchy.make(LevelScheme.StreetAreaCommunityGrid, units))
  return { hierarchy, grids, orgs }
}

const arbWorld: fc.Arbitrary<World> = fc
  .record({
    areas: fc.array(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 3
    }),
    below: fc.array(fc.nat({ max: 3 }), { maxLength: 6 })
  })
  .map(world)

const makeTree = (w: World, orgs = w.orgs) => Party.make(orgs, { hierarchy: w.hierarchy, grids: w.grids })

const expectLeft = <A, E>(e: Either.Either<A, E>): E => {
  if (Either.isRight(e)) throw new Error("expected a Left")
  return e.left
}

// ---------------------------------------------------------------------------
// make
// ---------------------------------------------------------------------------

describe("PartyOrganization.make", () => {
  it.prop("a party tree that mirrors the hierarchy is valid", [arbWorld], ([w]) => {
    const result = makeTree(w)
    expect(Either.isRight(result) ? [] : result.left.violations).toEqual([])
  })

  it.prop(
    "the row order does not matter",
    [
      arbWorld.chain((w) =>
        fc.tuple(fc.constant(w), fc.shuffledSubarray([...w.orgs], { minLength: w.orgs.length }))
      )
    ],
    ([[w, shuffled]]) => {
      const a = Either.getOrThrow(makeTree(w))
      const b = Either.getOrThrow(makeTree(w, shuffled))
      expect(Party.orgs(b)).toEqual(Party.orgs(a))
    }
  )

  it.prop(
    "each injected fault is reported on its organisation with the right rule",
    [arbWorld, fc.nat(), fc.nat({ max: 6 })],
    ([w, pick, kindSeed]) => {
      const orgs = w.orgs.slice()
      const at = 1 + (pick % (orgs.length - 1)) // never the root
      const target = orgs[at]
      if (target === undefined || target.parentId === null) return
      const rules = [
        "duplicate-id",
        "missing-parent",
        "cycle",
        "kind-order",
        "unknown-unit",
        "unlinked"
      ] as const
      const rule = rules[kindSeed % rules.length] ?? "duplicate-id"
      const extra: Array<Party.PartyOrganization> = []
      switch (rule) {
        case "duplicate-id":
          extra.push({ ...target, name: "重复" })
          break
        case "missing-parent":
          orgs[at] = { ...target, parentId: Party.PartyOrgId.make("ghost") }
          break
        case "cycle":
          orgs[at] = { ...target, parentId: target.id }
          break
        case "kind-order":
          orgs[at] = { ...target, kind: "street-working-committee" }
          break
        case "unknown-unit":
          orgs[at] = { ...target, unitId: Unit.UnitId.make("no-such-unit") }
          break
        case "unlinked": {
          const { gridId: _g, unitId: _u, ...rest } = target
          orgs[at] = rest
          break
        }
      }
      const err = expectLeft(makeTree(w, [...orgs, ...extra]))
      expect(err.violations.some((v) => v.rule === rule && v.orgId === target.id)).toBe(true)
    }
  )

  it("一个组织的单元必须在上级组织的辖区内: a community branch built on another area's community", () => {
    const w = world({ areas: [[1], [1]], below: [] })
    const orgs = w.orgs.map((o) =>
      o.id === "p-area-0-c0" ? { ...o, unitId: Unit.UnitId.make("area-1-c0") } : o
    )
    const err = expectLeft(makeTree(w, orgs))
    const found = err.violations.map((v) => [v.rule, v.orgId])
    expect(found).toContainEqual(["jurisdiction", "p-area-0-c0"])
    // its grid branch now lies outside the (moved) community committee's unit too
    expect(found).toContainEqual(["jurisdiction", "p-area-0-c0-g0"])
    const v = err.violations.find((x) => x.orgId === "p-area-0-c0")
    expect(v?.related).toEqual(["p-area-0", "area-1-c0", "area-0"])
  })

  it("an organisation linked only to a grid lies within a superior built on the grid's community", () => {
    const w = world({ areas: [[1, 1]], below: [] })
    const branch = Party.makeOrg({
      id: "branch",
      parentId: "p-area-0-c0",
      kind: "grid-branch",
      name: "网格党支部",
      gridId: "area-0-c0-g0"
    })
    expect(Either.isRight(makeTree(w, [...w.orgs, branch]))).toBe(true)
    const elsewhere = { ...branch, parentId: Party.PartyOrgId.make("p-area-0-c1") }
    const err = expectLeft(makeTree(w, [...w.orgs, elsewhere]))
    expect(err.violations.map((v) => [v.rule, v.orgId])).toEqual([["jurisdiction", "branch"]])
  })

  it("an organisation on another grid than its superior's is outside its jurisdiction; unknown grids are reported", () => {
    const w = world({ areas: [[2]], below: [1] })
    const orgs = [
      ...w.orgs,
      Party.makeOrg({
        id: "stray",
        parentId: "p-area-0-c0-g0",
        kind: "vanguard-post",
        name: "岗",
        gridId: "nope"
      }),
      Party.makeOrg({
        id: "wrong",
        parentId: "p-area-0-c0-g0",
        kind: "vanguard-post",
        name: "岗",
        gridId: "area-0-c0-g1"
      })
    ]
    const err = expectLeft(makeTree(w, orgs))
    expect(err.violations.map((v) => [v.rule, v.orgId])).toEqual([
      ["unknown-grid", "stray"],
      ["jurisdiction", "stray"],
      ["jurisdiction", "wrong"]
    ])
  })

  it("grid-community: a branch's unit must lie in its grid's community", () => {
    const w = world({ areas: [[1, 1]], below: [] })
    const orgs = w.orgs.map((o) =>
      o.id === "p-area-0-c0-g0" ? { ...o, gridId: GridId.make("area-0-c1-g0") } : o
    )
    const err = expectLeft(makeTree(w, orgs))
    expect(err.violations.map((v) => [v.rule, v.orgId])).toEqual([["grid-community", "p-area-0-c0-g0"]])
  })

  it("the kind order is configuration: a custom order may drop 片区党委", () => {
    const w = world({ areas: [[1]], below: [] })
    const [top, , ...lower] = Party.KindOrder.levels
    if (top === undefined) return
    const kinds: LevelScheme.LevelScheme = { ...Party.KindOrder, levels: [top, ...lower] }
    const err = expectLeft(Party.make(w.orgs, { hierarchy: w.hierarchy, kinds }))
    expect(err.violations.map((v) => [v.rule, v.orgId])).toEqual([["unknown-kind", "p-area-0"]])
  })

  it.prop(
    "区级党组织: under DistrictKindOrder a 区委 holds street trees; the default order does not know the kind, and a 区委 never sits below a 党工委",
    [arbWorld],
    ([w]) => {
      // the world's street under a district unit, so the 区委 is built on a unit
      const scheme: LevelScheme.LevelScheme = {
        ...LevelScheme.StreetAreaCommunityGrid,
        levels: [
          { id: LevelScheme.LevelId.make("district"), name: "区", nameEn: "district", optional: false },
          ...LevelScheme.StreetAreaCommunityGrid.levels
        ]
      }
      const hierarchy = Either.getOrThrow(
        Hierarchy.make(scheme, [
          Unit.make({ id: "district", parentId: null, level: "district", name: "区" }),
          ...[...w.hierarchy].map((u) =>
            u.parentId === null ? { ...u, parentId: Unit.UnitId.make("district") } : u
          )
        ])
      )
      const districtRoot = Party.makeOrg({
        id: "p-district",
        parentId: null,
        kind: "district-committee",
        name: "区委",
        unitId: "district"
      })
      const underDistrict = [
        districtRoot,
        ...w.orgs.map((o) => (o.parentId === null ? Party.makeOrg({ ...o, parentId: "p-district" }) : o))
      ]
      const options = { hierarchy, grids: w.grids }
      const tree = Party.make(underDistrict, { ...options, kinds: Party.DistrictKindOrder })
      expect(Either.map(tree, (t) => [Party.root(t).kind, Party.size(t)])).toEqual(
        Either.right(["district-committee", w.orgs.length + 1])
      )
      const unknown = expectLeft(Party.make(underDistrict, options))
      expect(unknown.violations.map((v) => [v.rule, v.orgId])).toContainEqual(["unknown-kind", "p-district"])
      const misplaced = Party.make(
        [
          ...w.orgs,
          Party.makeOrg({ id: "p-low", parentId: "p-street", kind: "district-committee", name: "区委" })
        ],
        { ...options, kinds: Party.DistrictKindOrder }
      )
      expect(Either.isLeft(misplaced)).toBe(true)
    }
  )

  it("queries: root, children, ancestors, ofKind", () => {
    const w = world({ areas: [[2]], below: [3] })
    const tree = Either.getOrThrow(makeTree(w))
    expect(Party.root(tree).kind).toBe("street-working-committee")
    expect(Party.size(tree)).toBe(w.orgs.length)
    expect(Party.ofKind(tree, "grid-branch").map((o) => o.id)).toEqual(["p-area-0-c0-g0", "p-area-0-c0-g1"])
    expect(Option.map(Party.children(tree, "p-area-0"), (xs) => xs.map((o) => o.id))).toEqual(
      Option.some(["p-area-0-c0"])
    )
    expect(Option.map(Party.ancestors(tree, "p-area-0-c0-g0-0-1-2"), (xs) => xs.map((o) => o.kind))).toEqual(
      Option.some([
        "member-household",
        "building-group",
        "grid-branch",
        "community-committee",
        "area-committee",
        "street-working-committee"
      ])
    )
    expect(Party.get(tree, "nope")).toEqual(Option.none())
  })
})

// ---------------------------------------------------------------------------
// 支部建在网格上
// ---------------------------------------------------------------------------

describe("PartyOrganization.checkBranchesOnGrids", () => {
  it.prop("支部建在网格上: every grid has exactly one branch, and the map says which", [arbWorld], ([w]) => {
    const map = Either.getOrThrow(Party.checkBranchesOnGrids(w.orgs, w.grids))
    expect(map.size).toBe(w.grids.length)
    for (const grid of w.grids) expect(map.get(grid.id)).toBe(`p-${grid.id}`)
  })

  it.prop(
    "removing branches reports exactly those grids; adding a second branch reports that grid",
    [arbWorld, fc.array(fc.nat()), fc.nat()],
    ([w, removals, twin]) => {
      const removed = new Set(removals.map((r) => w.grids[r % w.grids.length]?.id ?? ""))
      const doubled = w.grids[twin % w.grids.length]
      if (doubled === undefined) return
      removed.delete(doubled.id)
      const orgs = [
        ...w.orgs.filter(
          (o) => !(o.kind === "grid-branch" && o.gridId !== undefined && removed.has(o.gridId))
        ),
        Party.makeOrg({
          id: "second",
          parentId: null,
          kind: "grid-branch",
          name: "另一支部",
          gridId: doubled.id
        })
      ]
      const err = expectLeft(Party.checkBranchesOnGrids(orgs, w.grids))
      expect(err.violations.filter((v) => v.rule === "grid-without-branch").map((v) => v.gridId)).toEqual(
        [...removed].sort()
      )
      expect(err.violations.filter((v) => v.rule === "grid-with-several-branches")).toEqual([
        {
          _tag: "GridBranchViolation",
          rule: "grid-with-several-branches",
          gridId: doubled.id,
          branchIds: [`p-${doubled.id}`, "second"].sort(),
          message: expect.stringContaining("一格多支部")
        }
      ])
    }
  )

  it("only the chosen grid kinds need a branch (dedicated grids may be left out)", () => {
    const w = world({ areas: [[1]], below: [] })
    const dedicated: Grid.Grid = { ...gridRecord("school", "area-0-c0", "学校专属网格"), kind: "dedicated" }
    expect(Either.isLeft(Party.checkBranchesOnGrids(w.orgs, [...w.grids, dedicated]))).toBe(true)
    expect(
      Either.isRight(Party.checkBranchesOnGrids(w.orgs, [...w.grids, dedicated], { gridKinds: ["basic"] }))
    ).toBe(true)
  })
})
