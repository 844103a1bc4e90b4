/**
 * 管理 — the base-data administration use cases on the memory layers: units,
 * buildings, grids, staff and departments are written within a scope only;
 * every write goes through the core's checks; a random walk of commands keeps
 * the stored hierarchy valid, never dies, and never changes anything outside
 * the scope.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import { DepartmentId } from "../src/Actor.js"
import * as Administration from "../src/Administration.js"
import type { Building } from "../src/Building.js"
import * as CaseCategory from "../src/CaseCategory.js"
import * as DepartmentRepository from "../src/DepartmentRepository.js"
import { type Grid, GridId } from "../src/Grid.js"
import * as GridRepository from "../src/GridRepository.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as PolicyRepository from "../src/PolicyRepository.js"
import * as Staffing from "../src/Staffing.js"
import * as Unit from "../src/Unit.js"

const uid = (id: string) => Unit.UnitId.make(id)

const base: ReadonlyArray<Unit.Unit> = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "示范区" }),
  Unit.make({ id: "s1", parentId: "d", level: "street", name: "一街道" }),
  Unit.make({ id: "s2", parentId: "d", level: "street", name: "二街道" }),
  Unit.make({ id: "c1", parentId: "s1", level: "community", name: "一社区" }),
  Unit.make({ id: "c2", parentId: "s1", level: "community", name: "二社区" }),
  Unit.make({ id: "c3", parentId: "s2", level: "community", name: "三社区" })
]

const memory = () => {
  const hierarchy = HierarchyRepository.layerMemory
  const stores = Layer.mergeAll(GridRepository.layerMemory, DepartmentRepository.layerMemory).pipe(
    Layer.provideMerge(hierarchy)
  )
  const seeded = Layer.effectDiscard(
    Effect.gen(function* () {
      yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) =>
        r.save(LevelScheme.FiveLevel, base)
      )
      const grids = yield* GridRepository.GridRepository
      yield* grids.putBuildings([building("b3", "c3")])
      yield* grids.putGrids([grid("g3", "c3", ["b3"])])
      yield* grids.putPeople([Staffing.makePerson({ id: "p3", name: "三网格员", partyMember: false })])
      yield* grids.assign([Staffing.assign("p3", "full-time-worker", { grid: "g3" })])
    }).pipe(Effect.orDie)
  )
  return seeded.pipe(Layer.provideMerge(stores))
}

const building = (id: string, communityId: string, location?: readonly [number, number]): Building => ({
  id: uid(id),
  name: `${id}号楼`,
  communityId: uid(communityId),
  households: 20,
  ...(location === undefined ? {} : { location })
})

const grid = (id: string, communityId: string, buildingIds: ReadonlyArray<string>): Grid => ({
  id: GridId.make(id),
  name: `网格${id}`,
  kind: "basic",
  communityId: uid(communityId),
  buildingIds: buildingIds.map(uid)
})

const units = Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) =>
  Effect.map(r.load, (h) => Hierarchy.units(h))
)

const failure = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.flip(self)

describe("Administration units", () => {
  it.effect("creates a unit under a parent in scope, renames it, moves it within scope", () =>
    Effect.gen(function* () {
      const created = yield* Administration.putUnit(
        "s1",
        Unit.make({ id: "c4", parentId: "s1", level: "community", name: "四社区" })
      )
      expect(created.name).toBe("四社区")
      yield* Administration.putUnit(
        "s1",
        Unit.make({ id: "c4", parentId: "s1", level: "community", name: "新四社区" })
      )
      yield* Administration.putUnit(
        "s1",
        Unit.make({ id: "k4", parentId: "c4", level: "compound", name: "小区" })
      )
      yield* Administration.putUnit(
        "s1",
        Unit.make({ id: "k4", parentId: "c1", level: "compound", name: "小区" })
      )
      const stored = yield* units
      expect(stored.find((u) => u.id === "c4")?.name).toBe("新四社区")
      expect(stored.find((u) => u.id === "k4")?.parentId).toBe("c1")
    }).pipe(Effect.provide(memory()))
  )

  it.effect("refuses units outside the scope, a second root, moving the scope unit, a broken hierarchy", () =>
    Effect.gen(function* () {
      const outside = yield* failure(
        Administration.putUnit("s1", Unit.make({ id: "c5", parentId: "s2", level: "community", name: "五" }))
      )
      expect(outside).toBeInstanceOf(Administration.OutsideJurisdiction)
      expect(outside.message).toMatch(/^超出辖区/)
      expect(outside.message).toContain("parentId")
      expect(outside.message).toContain("(rule jurisdiction)")
      const rename = yield* failure(
        Administration.putUnit("s1", Unit.make({ id: "c3", parentId: "s2", level: "community", name: "改" }))
      )
      expect(rename._tag).toBe("OutsideJurisdiction")
      const steal = yield* failure(
        Administration.putUnit("s1", Unit.make({ id: "c3", parentId: "s1", level: "community", name: "改" }))
      )
      expect(steal._tag).toBe("OutsideJurisdiction")
      const root = yield* failure(
        Administration.putUnit("s1", Unit.make({ id: "r2", parentId: null, level: "district", name: "根" }))
      )
      expect(root).toMatchObject({ _tag: "UnitChangeRefused", rule: "second-root", field: "parentId" })
      expect(root.message).toMatch(/^第二个根单元/)
      const moveScope = yield* failure(
        Administration.putUnit("s1", Unit.make({ id: "s1", parentId: "s1", level: "street", name: "一" }))
      )
      // the scope unit keeps its parent: under itself is a cycle, anywhere else is outside the scope
      expect(moveScope._tag).toBe("HierarchyInvalid")
      expect(moveScope._tag === "HierarchyInvalid" && moveScope.violations.map((v) => v.rule)).toContain(
        "cycle"
      )
      const moveOut = yield* failure(
        Administration.putUnit("s1", Unit.make({ id: "s1", parentId: "s2", level: "street", name: "一" }))
      )
      expect(moveOut).toMatchObject({ _tag: "OutsideJurisdiction", field: "parentId", unitId: "s2" })
      const level = yield* failure(
        Administration.putUnit("s1", Unit.make({ id: "x", parentId: "c1", level: "street", name: "错层" }))
      )
      expect(level._tag).toBe("HierarchyInvalid")
      expect(level._tag === "HierarchyInvalid" && level.violations.map((v) => v.rule)).toContain(
        "level-order"
      )
      expect(yield* units).toEqual(
        Hierarchy.units(Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, base)))
      )
      // the root's own admin renames the root
      yield* Administration.putUnit(
        "d",
        Unit.make({ id: "d", parentId: null, level: "district", name: "新区" })
      )
      expect((yield* units)[0]?.name).toBe("新区")
    }).pipe(Effect.provide(memory()))
  )
})

describe("Administration grids, staff and departments", () => {
  it.effect("a building, a grid covering it, a person and an assignment within the scope", () =>
    Effect.gen(function* () {
      yield* Administration.putBuildings("s1", [building("b1", "c1", [102.7, 25.04])])
      yield* Administration.putGrid("s1", grid("g1", "c1", ["b1"]))
      yield* Administration.putPerson(
        "s1",
        Staffing.makePerson({ id: "p1", name: "网格员", partyMember: true })
      )
      yield* Administration.assign("s1", Staffing.assign("p1", "full-time-worker", { grid: "g1" }))
      const snapshot = yield* Effect.flatMap(GridRepository.GridRepository, (g) => g.snapshot("s1"))
      expect(snapshot.grids.map((g) => g.id)).toEqual(["g1"])
      expect(snapshot.buildings.map((b) => b.location)).toEqual([[102.7, 25.04]])
      expect(snapshot.assignments).toHaveLength(1)
      expect(
        yield* Administration.unassign("s1", Staffing.assign("p1", "full-time-worker", { grid: "g1" }))
      ).toBe(1)
      const dept = yield* Administration.putDepartment("s1", {
        id: DepartmentId.make("s1-zhifa"),
        name: "综合执法队",
        nameEn: "Enforcement Team",
        jurisdiction: uid("s1")
      })
      expect(dept.jurisdiction).toBe("s1")
    }).pipe(Effect.provide(memory()))
  )

  it.effect("refuses what lies outside the scope and a grid listing another community's building", () =>
    Effect.gen(function* () {
      const tags = (e: { readonly _tag: string }) => e._tag
      expect(tags(yield* failure(Administration.putBuildings("s1", [building("b9", "c3")])))).toBe(
        "OutsideJurisdiction"
      )
      // a stored building of another street cannot be taken over by id
      expect(tags(yield* failure(Administration.putBuildings("s1", [building("b3", "c1")])))).toBe(
        "OutsideJurisdiction"
      )
      expect(tags(yield* failure(Administration.putGrid("s1", grid("g3", "c1", []))))).toBe(
        "OutsideJurisdiction"
      )
      expect(tags(yield* failure(Administration.putGrid("s1", grid("g9", "c3", []))))).toBe(
        "OutsideJurisdiction"
      )
      const foreign = yield* failure(Administration.putGrid("s2", grid("g8", "c3", ["b3", "b3"])))
      expect(foreign._tag).toBe("GridCoverageRefused")
      yield* Administration.putBuildings("s1", [building("b1", "c1")])
      const crossing = yield* failure(Administration.putGrid("d", grid("g8", "c1", ["b1", "b3"])))
      expect(crossing).toBeInstanceOf(Administration.GridCoverageRefused)
      expect(crossing.message).toContain("buildingIds")
      expect(crossing.message).toContain("foreign-building")
      const unknown = yield* failure(Administration.putGrid("s1", grid("g8", "c1", ["nope"])))
      expect(unknown._tag).toBe("GridDataInvalid")
      expect(
        tags(
          yield* failure(
            Administration.putPerson("s1", Staffing.makePerson({ id: "p3", name: "改", partyMember: false }))
          )
        )
      ).toBe("OutsideJurisdiction")
      expect(
        tags(yield* failure(Administration.assign("s1", Staffing.assign("p3", "volunteer", { grid: "g3" }))))
      ).toBe("OutsideJurisdiction")
      expect(
        tags(
          yield* failure(
            Administration.unassign("s1", Staffing.assign("p3", "full-time-worker", { grid: "g3" }))
          )
        )
      ).toBe("OutsideJurisdiction")
      expect(
        tags(
          yield* failure(
            Administration.putDepartment("s1", {
              id: DepartmentId.make("x"),
              name: "部门",
              nameEn: "Dept",
              jurisdiction: uid("d")
            })
          )
        )
      ).toBe("OutsideJurisdiction")
    }).pipe(Effect.provide(memory()))
  )
})

// -----------------------------------------------------------------------------
// random walks
// -----------------------------------------------------------------------------

const ids = ["d", "s1", "s2", "c1", "c2", "c3", "n1", "n2", "n3", "k1", "k2"] as const
const levels = ["district", "street", "community", "compound", "building"] as const
const buildingIds = ["b1", "b2", "b3", "b4"] as const
const gridIds = ["g1", "g2", "g3"] as const
const personIds = ["p1", "p2", "p3"] as const
const roles = ["full-time-worker", "building-leader", "inspector", "volunteer"] as const

const pick = <A>(xs: ReadonlyArray<A>) => fc.constantFrom(...xs)

type Command =
  | {
      readonly _tag: "unit"
      readonly id: string
      readonly parentId: string | null
      readonly level: string
      readonly name: string
    }
  | { readonly _tag: "building"; readonly id: string; readonly communityId: string }
  | {
      readonly _tag: "grid"
      readonly id: string
      readonly communityId: string
      readonly buildingIds: ReadonlyArray<string>
    }
  | { readonly _tag: "person"; readonly id: string }
  | {
      readonly _tag: "assign" | "unassign"
      readonly personId: string
      readonly role: (typeof roles)[number]
      readonly target: string
    }
  | { readonly _tag: "department"; readonly id: string; readonly jurisdiction: string }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    _tag: fc.constant("unit" as const),
    id: pick(ids),
    parentId: fc.option(pick(ids), { nil: null, freq: 8 }),
    level: pick(levels),
    name: fc.constantFrom("甲", "乙", "丙")
  }),
  fc.record({ _tag: fc.constant("building" as const), id: pick(buildingIds), communityId: pick(ids) }),
  fc.record({
    _tag: fc.constant("grid" as const),
    id: pick(gridIds),
    communityId: pick(ids),
    buildingIds: fc.subarray([...buildingIds])
  }),
  fc.record({ _tag: fc.constant("person" as const), id: pick(personIds) }),
  fc.record({
    _tag: fc.constantFrom("assign" as const, "unassign" as const),
    personId: pick(personIds),
    role: pick(roles),
    target: pick([...gridIds, ...buildingIds, ...ids])
  }),
  fc.record({
    _tag: fc.constant("department" as const),
    id: fc.constantFrom("dep1", "dep2"),
    jurisdiction: pick(ids)
  })
)

const run = (
  scope: string,
  c: Command
): Effect.Effect<
  unknown,
  { readonly _tag: string },
  | HierarchyRepository.HierarchyRepository
  | GridRepository.GridRepository
  | DepartmentRepository.DepartmentRepository
> => {
  switch (c._tag) {
    case "unit":
      return Administration.putUnit(
        scope,
        Unit.make({ id: c.id, parentId: c.parentId, level: c.level, name: c.name })
      )
    case "building":
      return Administration.putBuildings(scope, [building(c.id, c.communityId)])
    case "grid":
      return Administration.putGrid(scope, grid(c.id, c.communityId, c.buildingIds))
    case "person":
      return Administration.putPerson(
        scope,
        Staffing.makePerson({ id: c.id, name: "人员", partyMember: false })
      )
    case "assign":
    case "unassign": {
      const target = c.target.startsWith("g")
        ? { grid: c.target }
        : c.target.startsWith("b")
          ? { building: c.target }
          : { unit: c.target }
      const a = Staffing.assign(c.personId, c.role, target)
      return c._tag === "assign" ? Administration.assign(scope, a) : Administration.unassign(scope, a)
    }
    case "department":
      return Administration.putDepartment(scope, {
        id: DepartmentId.make(c.id),
        name: "部门",
        nameEn: "Department",
        jurisdiction: uid(c.jurisdiction)
      })
  }
}

/** What lies outside the scope: the units not in its subtree, and the grid data of street s2. */
const outsideOf = (scope: string) =>
  Effect.gen(function* () {
    const h = yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)
    const snapshot = yield* Effect.flatMap(GridRepository.GridRepository, (g) => g.snapshot("s2"))
    const departments = yield* Effect.flatMap(DepartmentRepository.DepartmentRepository, (d) => d.list)
    return {
      units: Hierarchy.units(h).filter((u) => !Hierarchy.isWithin(h, u.id, scope)),
      grids: scope === "s1" ? snapshot : undefined,
      departments: departments.filter((d) => !Hierarchy.isWithin(h, d.jurisdiction, scope))
    }
  })

describe("Administration random walks", () => {
  it.effect.prop(
    "any walk of admin commands keeps the hierarchy valid, never dies, and leaves everything outside the scope as it was",
    [fc.constantFrom("s1", "c1", "d"), fc.array(command, { maxLength: 25 })],
    ([scope, commands]) =>
      Effect.gen(function* () {
        const before = yield* outsideOf(scope)
        for (const c of commands) {
          const exit = yield* Effect.exit(run(scope, c))
          if (Exit.isFailure(exit)) {
            // typed failures only: no defect, no interruption
            expect(Cause.isFailType(exit.cause)).toBe(true)
          }
          const h = yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)
          expect(Either.isRight(Hierarchy.make(h.scheme, Hierarchy.units(h)))).toBe(true)
        }
        expect(yield* outsideOf(scope)).toEqual(before)
      }).pipe(Effect.provide(memory())),
    { fastCheck: { numRuns: 60 } }
  )

  it.effect.prop(
    "a command naming a unit outside the scope is refused as OutsideJurisdiction",
    [
      fc.oneof(
        fc.record({
          _tag: fc.constant("building" as const),
          id: pick(buildingIds),
          communityId: fc.constantFrom("s2", "c3", "d")
        }),
        fc.record({
          _tag: fc.constant("grid" as const),
          id: pick(gridIds),
          communityId: fc.constantFrom("s2", "c3", "d"),
          buildingIds: fc.constant([])
        }),
        fc.record({
          _tag: fc.constant("department" as const),
          id: fc.constantFrom("dep1"),
          jurisdiction: fc.constantFrom("s2", "c3", "d")
        }),
        fc.record({
          _tag: fc.constant("unit" as const),
          id: fc.constantFrom("n1", "c3"),
          parentId: fc.constantFrom("s2", "c3", "d"),
          level: pick(levels),
          name: fc.constant("甲")
        }),
        fc.record({
          _tag: fc.constantFrom("assign" as const, "unassign" as const),
          personId: pick(personIds),
          role: pick(roles),
          target: fc.constantFrom("g3", "b3", "s2", "c3", "d")
        })
      )
    ],
    ([c]) =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(run("s1", c))
        expect(error._tag).toBe("OutsideJurisdiction")
      }).pipe(Effect.provide(memory())),
    { fastCheck: { numRuns: 100 } }
  )
})

describe("Administration valid walks", () => {
  const next: Record<string, ReadonlyArray<string>> = {
    street: ["community"],
    community: ["compound", "building"],
    compound: ["building"]
  }

  it.effect.prop(
    "every valid command of a random walk succeeds, and the stores then hold exactly what was written",
    [fc.gen()],
    ([g]) =>
      Effect.gen(function* () {
        const model = {
          units: new Map<string, { parentId: string; level: string; name: string }>([
            ["s1", { parentId: "d", level: "street", name: "一街道" }],
            ["c1", { parentId: "s1", level: "community", name: "一社区" }],
            ["c2", { parentId: "s1", level: "community", name: "二社区" }]
          ]),
          buildings: new Map<string, string>(),
          grids: new Map<string, string>(),
          people: new Set<string>(),
          assignments: new Set<string>()
        }
        const steps = g(fc.integer, { min: 1, max: 30 })
        for (let i = 0; i < steps; i++) {
          const kind = g(fc.constantFrom, "unit", "rename", "building", "grid", "person", "assign")
          const communities = [...model.units].filter(([, u]) => u.level === "community").map(([id]) => id)
          if (kind === "unit") {
            const parents = [...model.units].filter(([, u]) => next[u.level] !== undefined)
            const [parentId, parent] = g(fc.constantFrom, ...parents)
            const level = g(fc.constantFrom, ...(next[parent.level] ?? []))
            const unit = { parentId, level, name: `单元${i}` }
            model.units.set(`wu${i}`, unit)
            yield* Administration.putUnit("s1", Unit.make({ id: `wu${i}`, ...unit }))
          } else if (kind === "rename") {
            const [id, unit] = g(fc.constantFrom, ...model.units)
            model.units.set(id, { ...unit, name: `改名${i}` })
            yield* Administration.putUnit("s1", Unit.make({ id, ...unit, name: `改名${i}` }))
          } else if (kind === "building") {
            const communityId = g(fc.constantFrom, ...communities)
            model.buildings.set(`wb${i}`, communityId)
            yield* Administration.putBuildings("s1", [building(`wb${i}`, communityId)])
          } else if (kind === "grid") {
            const communityId = g(fc.constantFrom, ...communities)
            const own = [...model.buildings].filter(([, c]) => c === communityId).map(([id]) => id)
            model.grids.set(`wg${i}`, communityId)
            yield* Administration.putGrid("s1", grid(`wg${i}`, communityId, g(fc.subarray, own)))
          } else if (kind === "person") {
            model.people.add(`wp${i}`)
            yield* Administration.putPerson(
              "s1",
              Staffing.makePerson({ id: `wp${i}`, name: "人员", partyMember: false })
            )
          } else if (model.people.size > 0 && model.grids.size > 0) {
            const personId = g(fc.constantFrom, ...model.people)
            const gridId = g(fc.constantFrom, ...model.grids.keys())
            if (!model.assignments.has(`${personId}/${gridId}`)) {
              model.assignments.add(`${personId}/${gridId}`)
              yield* Administration.assign(
                "s1",
                Staffing.assign(personId, "part-time-worker", { grid: gridId })
              )
            }
          }
        }
        const h = yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)
        expect(Either.isRight(Hierarchy.make(h.scheme, Hierarchy.units(h)))).toBe(true)
        for (const [id, unit] of model.units) {
          expect(Hierarchy.get(h, id)).toEqual(
            expect.objectContaining({ _tag: "Some", value: { id, ...unit } })
          )
        }
        const snapshot = yield* Effect.flatMap(GridRepository.GridRepository, (s) => s.snapshot("s1"))
        expect(snapshot.grids.map((x) => [x.id, x.communityId])).toEqual(
          [...model.grids].sort(([a], [b]) => (a < b ? -1 : 1))
        )
        expect(snapshot.buildings.map((x) => [x.id, x.communityId])).toEqual(
          [...model.buildings].sort(([a], [b]) => (a < b ? -1 : 1))
        )
        expect(snapshot.assignments.length).toBe(model.assignments.size)
      }).pipe(Effect.orDie, Effect.provide(memory())),
    { fastCheck: { numRuns: 60 } }
  )
})

describe("Administration categories", () => {
  const env = PolicyRepository.layerMemory.pipe(Layer.provideMerge(memory()))
  const rows = PolicyRepository.defaultCatalogue.categories

  it.effect(
    "the root's admin replaces the catalogue through PolicyRepository; a scope below the root may not",
    () =>
      Effect.gen(function* () {
        const below = yield* failure(Administration.putCategories("s1", rows))
        expect(below).toMatchObject({
          _tag: "OutsideJurisdiction",
          entity: "categories",
          field: "scope",
          unitId: "d"
        })
        expect(yield* Effect.flatMap(PolicyRepository.PolicyRepository, (p) => p.catalogue)).toEqual(
          expect.objectContaining({ _tag: "None" })
        )
        const first = rows.slice(0, 2)
        expect(yield* Administration.putCategories("d", first)).toEqual(first)
        const stored = yield* Effect.flatMap(PolicyRepository.PolicyRepository, (p) => p.catalogue)
        expect(stored._tag === "Some" && stored.value.categories).toEqual(first)
        const orphan = CaseCategory.minor({
          family: "event",
          majorId: "SJ-99",
          code: "9901",
          name: "孤儿小类"
        })
        const refused = yield* failure(Administration.putCategories("d", [orphan]))
        expect(refused._tag).toBe("PolicyRefused")
      }).pipe(Effect.provide(env))
  )
})
