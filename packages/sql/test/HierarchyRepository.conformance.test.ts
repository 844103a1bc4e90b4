import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as Unit from "@civicgrid/core/Unit"
import * as SqlClient from "@effect/sql/SqlClient"
import { addEqualityTesters, describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as fc from "effect/FastCheck"
import { flip } from "./support/Errors.js"
import { arbHierarchy, build, district, type Generated, subtreeByCore } from "./support/Hierarchies.js"
import { sqlTargets, targets } from "./support/Stores.js"

addEqualityTesters()

const expectSame = (actual: Hierarchy.Hierarchy, expected: Hierarchy.Hierarchy): void => {
  expect(Hierarchy.diff(expected, actual)).toEqual({ added: [], removed: [], moved: [], changed: [] })
  expect(actual.scheme).toEqual(expected.scheme)
  expect(Hierarchy.units(actual)).toEqual(Hierarchy.units(expected))
}

/** A 1,005-unit district: 1 district, 4 streets, 5 communities each, 49 buildings each. */
const large = (extra?: string): Generated => {
  const rows: Array<Unit.Unit> = [Unit.make({ id: "d", parentId: null, level: "district", name: "大区" })]
  for (let s = 0; s < 4; s++) {
    rows.push(Unit.make({ id: `d/s${s}`, parentId: "d", level: "street", name: `街道${s}` }))
    for (let c = 0; c < 5; c++) {
      const community = `d/s${s}/c${c}`
      rows.push(Unit.make({ id: community, parentId: `d/s${s}`, level: "community", name: `社区${s}${c}` }))
      for (let b = 0; b < 49; b++) {
        rows.push(
          Unit.make({ id: `${community}/b${b}`, parentId: community, level: "building", name: `${b}号楼` })
        )
      }
    }
  }
  if (extra !== undefined)
    rows.push(Unit.make({ id: extra, parentId: "d", level: "street", name: "最后一个街道" }))
  return { scheme: LevelScheme.FiveLevel, rows }
}

describe.each(targets)("HierarchyRepository on $name", (target) => {
  it.effect("round trip: the loaded hierarchy equals the saved one (Hierarchy.diff is empty)", () =>
    Effect.gen(function* () {
      const repo = yield* HierarchyRepository
      const g = district()
      const saved = yield* repo.save(g.scheme, g.rows)
      expectSame(saved, build(g))
      expectSame(yield* repo.load, build(g))
      expect(yield* repo.subtreeIds("s1")).toEqual([
        "s1",
        "s1c1",
        "s1c1b1",
        "s1c1b2",
        "s1c1b3",
        "s1c2",
        "s1c2b1",
        "s1c2b2",
        "s1c2b3"
      ])
      expect(yield* repo.subtreeIds("s2c1b2")).toEqual(["s2c1b2"])
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect("before any save: load is HierarchyNotFound, subtreeIds and move are UnitNotFound", () =>
    Effect.gen(function* () {
      const repo = yield* HierarchyRepository
      expect((yield* flip(repo.load))._tag).toBe("HierarchyNotFound")
      expect(yield* flip(repo.subtreeIds("s1"))).toEqual(new Hierarchy.UnitNotFound({ unitId: "s1" }))
      expect((yield* flip(repo.move("s1", "d1")))._tag).toBe("UnitNotFound")
      expect((yield* flip(repo.loadPartyOrganizations))._tag).toBe("HierarchyNotFound")
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "an invalid hierarchy is refused with every violation (as Hierarchy.make) and nothing is written",
    () =>
      Effect.gen(function* () {
        const repo = yield* HierarchyRepository
        const g = district()
        yield* repo.save(g.scheme, g.rows)
        const bad = [
          ...g.rows.filter((u) => u.id !== "s1"),
          Unit.make({ id: "s2c1", parentId: "s2", level: "community", name: "重复" }),
          Unit.make({ id: "x1", parentId: "nowhere", level: "community", name: "无上级" }),
          Unit.make({ id: "x2", parentId: "d1", level: "province", name: "未知层级" })
        ]
        const error = yield* flip(repo.save(g.scheme, bad))
        const expected = Hierarchy.make(g.scheme, bad)
        expect(Either.isLeft(expected)).toBe(true)
        if (Either.isLeft(expected)) expect(error).toEqual(expected.left)
        expect(new Set(error.violations.map((v) => v.rule))).toEqual(
          new Set(["duplicate-id", "missing-parent", "unknown-level"])
        )
        expectSame(yield* repo.load, build(g))
        expect(yield* repo.subtreeIds("s1")).toHaveLength(9)
      }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "save replaces the whole hierarchy: units that are gone are gone, moved ones are under their new parent",
    () =>
      Effect.gen(function* () {
        const repo = yield* HierarchyRepository
        const g = district({ codes: false })
        yield* repo.save(g.scheme, g.rows)
        const next: Generated = {
          scheme: g.scheme,
          rows: g.rows
            .filter((u) => !u.id.startsWith("s2c2"))
            .map((u) => (u.id === "s1c2" ? { ...u, parentId: Unit.UnitId.make("s2"), name: "划转社区" } : u))
        }
        yield* repo.save(next.scheme, next.rows)
        expectSame(yield* repo.load, build(next))
        expect(yield* flip(repo.subtreeIds("s2c2"))).toEqual(new Hierarchy.UnitNotFound({ unitId: "s2c2" }))
        expect(yield* repo.subtreeIds("s2")).toEqual(subtreeByCore(build(next), "s2"))
      }).pipe(Effect.provide(target.layer()))
  )

  it.effect("move: re-validated by the core; subtree queries follow the moved subtree", () =>
    Effect.gen(function* () {
      const repo = yield* HierarchyRepository
      const g = district({ codes: false })
      yield* repo.save(g.scheme, g.rows)
      const moved = yield* repo.move("s1c2", "s2")
      const expected = build(g).pipe(Hierarchy.move("s1c2", "s2"))
      expect(Either.isRight(expected)).toBe(true)
      if (Either.isRight(expected)) {
        expectSame(moved, expected.right)
        expectSame(yield* repo.load, expected.right)
        for (const id of ["d1", "s1", "s2", "s1c2", "s1c2b1"]) {
          expect(yield* repo.subtreeIds(id)).toEqual(subtreeByCore(expected.right, id))
        }
      }
      // a cycle and a level-order violation are refused, nothing written
      const cycle = yield* flip(repo.move("s2", "s1c2b1"))
      expect(cycle._tag === "HierarchyInvalid" && cycle.violations.some((v) => v.rule === "cycle")).toBe(true)
      const order = yield* flip(repo.move("s1c1b1", "d1"))
      expect(order._tag === "HierarchyInvalid" && order.violations.map((v) => v.rule)).toEqual([
        "level-order"
      ])
      if (Either.isRight(expected)) expectSame(yield* repo.load, expected.right)
      expect(yield* flip(repo.move("nope", "s2"))).toEqual(new Hierarchy.UnitNotFound({ unitId: "nope" }))
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect("a 1,000-unit hierarchy saves in batches and loads back equal; a re-save replaces it", () =>
    Effect.gen(function* () {
      const repo = yield* HierarchyRepository
      const g = large()
      expect(g.rows).toHaveLength(1005)
      yield* repo.save(g.scheme, g.rows)
      expectSame(yield* repo.load, build(g))
      expect(yield* repo.subtreeIds("d/s1")).toHaveLength(1 + 5 * 50)
      const smaller: Generated = { scheme: g.scheme, rows: g.rows.filter((u) => !u.id.startsWith("d/s3")) }
      yield* repo.save(smaller.scheme, smaller.rows)
      expectSame(yield* repo.load, build(smaller))
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "party organisations: saved against the hierarchy, loaded back; refused with every violation",
    () =>
      Effect.gen(function* () {
        const repo = yield* HierarchyRepository
        const g = district()
        expect((yield* flip(repo.savePartyOrganizations([])))._tag).toBe("HierarchyNotFound")
        yield* repo.save(g.scheme, g.rows)
        expect((yield* flip(repo.loadPartyOrganizations))._tag).toBe("PartyTreeNotFound")
        const orgs = [
          PartyOrganization.makeOrg({
            id: "p1",
            parentId: null,
            kind: "street-working-committee",
            name: "街道党工委",
            unitId: "s1"
          }),
          PartyOrganization.makeOrg({
            id: "p2",
            parentId: "p1",
            kind: "community-committee",
            name: "社区党总支",
            unitId: "s1c1"
          }),
          PartyOrganization.makeOrg({
            id: "p3",
            parentId: "p2",
            kind: "grid-branch",
            name: "网格支部",
            gridId: "g1"
          })
        ]
        const tree = yield* repo.savePartyOrganizations(orgs)
        const loaded = yield* repo.loadPartyOrganizations
        expect(PartyOrganization.orgs(loaded)).toEqual(PartyOrganization.orgs(tree))
        const bad = [
          ...orgs,
          PartyOrganization.makeOrg({
            id: "p4",
            parentId: "p9",
            kind: "grid-branch",
            name: "无上级",
            unitId: "zz"
          })
        ]
        const error = yield* flip(repo.savePartyOrganizations(bad))
        expect(error._tag).toBe("PartyOrganizationInvalid")
        if (error._tag === "PartyOrganizationInvalid") {
          expect(new Set(error.violations.map((v) => v.rule))).toEqual(
            new Set(["missing-parent", "unknown-unit"])
          )
        }
        expect(PartyOrganization.orgs(yield* repo.loadPartyOrganizations)).toEqual(
          PartyOrganization.orgs(tree)
        )
        // a hierarchy without s1c1 no longer fits the stored tree: loading says so
        yield* repo.save(
          g.scheme,
          g.rows.filter((u) => !u.id.startsWith("s1c1"))
        )
        expect((yield* flip(repo.loadPartyOrganizations))._tag).toBe("PartyOrganizationInvalid")
      }).pipe(Effect.provide(target.layer()))
  )

  layer(target.layer(), { timeout: "30 seconds" })("properties", (it) => {
    it.effect.prop(
      "round trip of generated hierarchies (ids with '/', '%', CJK, non-BMP): diff is empty; subtreeIds = self + descendants",
      [arbHierarchy()],
      ([g]) =>
        Effect.gen(function* () {
          const repo = yield* HierarchyRepository
          const h = build(g)
          yield* repo.save(g.scheme, g.rows)
          expectSame(yield* repo.load, h)
          for (const u of Hierarchy.units(h)) {
            expect(yield* repo.subtreeIds(u.id)).toEqual(subtreeByCore(h, u.id))
          }
        }),
      { fastCheck: { numRuns: 20 } }
    )

    it.effect.prop(
      "move agrees with Hierarchy.move (refused alike, nothing written); subtree queries stay right",
      [arbHierarchy(), fc.nat(), fc.nat()],
      ([g, a, b]) =>
        Effect.gen(function* () {
          const repo = yield* HierarchyRepository
          const h = build(g)
          yield* repo.save(g.scheme, g.rows)
          const units = Hierarchy.units(h)
          const unit = units[a % units.length]
          const parent = units[b % units.length]
          if (unit === undefined || parent === undefined) return
          const expected = Hierarchy.move(h, unit.id, parent.id)
          const actual = yield* Effect.either(repo.move(unit.id, parent.id))
          expect(Either.isRight(actual)).toBe(Either.isRight(expected))
          const now = Either.isRight(expected) ? expected.right : h
          if (Either.isLeft(actual) && Either.isLeft(expected)) expect(actual.left).toEqual(expected.left)
          expectSame(yield* repo.load, now)
          for (const u of Hierarchy.units(now)) {
            expect(yield* repo.subtreeIds(u.id)).toEqual(subtreeByCore(now, u.id))
          }
        }),
      { fastCheck: { numRuns: 20 } }
    )
  })
})

describe.each(sqlTargets)("HierarchyRepository on $name (SQL only): faults and transactions", (target) => {
  it.effect("a fault in the last batch of a 1,000-unit save rolls the whole save back", () =>
    Effect.gen(function* () {
      const repo = yield* HierarchyRepository
      const sql = yield* SqlClient.SqlClient
      const old = district()
      yield* repo.save(old.scheme, old.rows)
      // fault injection: the database refuses the unit "zz-boom", written last (pre-order, id order)
      yield* sql.onDialectOrElse({
        pg: () =>
          Effect.zipRight(
            sql.unsafe(`CREATE FUNCTION cg_test_fault() RETURNS trigger AS $$
              BEGIN IF NEW.id = 'zz-boom' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END
              $$ LANGUAGE plpgsql`),
            sql.unsafe(
              "CREATE TRIGGER cg_test_fault BEFORE INSERT ON cg_units FOR EACH ROW EXECUTE FUNCTION cg_test_fault()"
            )
          ),
        orElse: () =>
          sql.unsafe(`CREATE TRIGGER cg_test_fault BEFORE INSERT ON cg_units WHEN NEW.id = 'zz-boom'
            BEGIN SELECT RAISE(ABORT, 'injected fault'); END`)
      })
      const next = large("zz-boom")
      const exit = yield* Effect.exit(repo.save(next.scheme, next.rows))
      expect(Exit.isFailure(exit) && Exit.isInterrupted(exit) === false).toBe(true)
      expect(Exit.isFailure(exit) && exit.cause._tag).toBe("Die")
      expectSame(yield* repo.load, build(old))
      const [count] = yield* sql<{ readonly n: unknown }>`SELECT COUNT(*) AS n FROM cg_units`
      expect(Number(count?.n)).toBe(old.rows.length)
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "composes inside a caller's transaction: reads join it, and the caller's failure rolls the save back",
    () =>
      Effect.gen(function* () {
        const repo = yield* HierarchyRepository
        const sql = yield* SqlClient.SqlClient
        const old = district()
        yield* repo.save(old.scheme, old.rows)
        const next = large()
        const inside = yield* Effect.flip(
          sql.withTransaction(
            Effect.gen(function* () {
              yield* repo.save(next.scheme, next.rows)
              expectSame(yield* repo.load, build(next))
              expect(yield* repo.subtreeIds("d/s1")).toHaveLength(251)
              return yield* Effect.fail("the caller gives up" as const)
            })
          )
        )
        expect(inside).toBe("the caller gives up")
        expectSame(yield* repo.load, build(old))
      }).pipe(Effect.provide(target.layer()))
  )
})
