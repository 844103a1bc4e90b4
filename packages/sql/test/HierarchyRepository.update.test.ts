/**
 * 原子更新（SQL） — `HierarchyRepository.update` and `Administration.putUnit`
 * on SQLite and PostgreSQL, bare and behind `layerCached`: concurrent unit
 * writes never lose one another (N concurrent writes of distinct units under
 * one parent all land, the hierarchy stays valid), concurrent writes of one
 * unit leave one of them, a refused change writes nothing and fails typed.
 * Two clients on one database (two processes: a SQLite file opened twice, two
 * PostgreSQL pools) writing at once lose nothing either. The memory store
 * runs the same checks in `packages/core/test/HierarchyRepository.update.test.ts`.
 */
import * as Administration from "@civicgrid/core/Administration"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import { freshDatabaseUrl } from "@civicgrid/testkit/Databases"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { describe, expect, it, layer } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Arr from "effect/Array"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Migrations from "../src/Migrations.js"
import * as SqlHierarchyRepository from "../src/SqlHierarchyRepository.js"
import * as SqliteStore from "../src/SqliteStore.js"
import { type Dialect, dialects, pgUrl, sqliteFile } from "./support/Databases.js"

const base: ReadonlyArray<Unit.Unit> = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "示范区" }),
  Unit.make({ id: "s1", parentId: "d", level: "street", name: "一街道" }),
  Unit.make({ id: "s2", parentId: "d", level: "street", name: "二街道" }),
  Unit.make({ id: "c1", parentId: "s1", level: "community", name: "一社区" }),
  Unit.make({ id: "c3", parentId: "s2", level: "community", name: "三社区" })
]
const baseIds = new Set<string>(base.map((u) => u.id))

/** New unit ids (Schema-derived: '/', '%', CJK … stress the paths), none of the base units'. */
const newIds = (maxLength: number) =>
  fc.uniqueArray(
    Arbitrary.make(Unit.UnitId).filter((id) => !baseIds.has(id)),
    { minLength: 1, maxLength }
  )
const anyName = Arbitrary.make(Unit.Unit.fields.name)

class Refused extends Schema.TaggedError<Refused>()("Refused", { reason: Schema.String }) {}

const migrated = (dialect: Dialect) =>
  Layer.effectDiscard(Effect.orDie(Migrations.run)).pipe(Layer.provideMerge(dialect.fresh()))

const targets = dialects.flatMap((dialect) => [
  {
    name: dialect.name,
    layer: () => SqlHierarchyRepository.layer.pipe(Layer.provide(migrated(dialect)))
  },
  {
    name: `${dialect.name} behind layerCached`,
    layer: () =>
      HierarchyRepository.layerCached().pipe(
        Layer.provide(SqlHierarchyRepository.layer),
        Layer.provide(migrated(dialect))
      )
  }
])

const reset = Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) =>
  r.save(LevelScheme.FiveLevel, base)
)
const stored = Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)

/** N units under `c1` (within scope `s1`) or `c3` (outside it), written at once through `putUnit`. */
const putConcurrently = (
  units: ReadonlyArray<Unit.Unit>,
  on: (i: number) => Context.Context<HierarchyRepository.HierarchyRepository>
) =>
  Effect.all(
    units.map((u, i) => Effect.either(Administration.putUnit("s1", u).pipe(Effect.provide(on(i))))),
    { concurrency: "unbounded" }
  )

/** Every accepted unit stored, every refused one refused for its parent and absent; the hierarchy valid. */
const expectAllLanded = (
  h: Hierarchy.Hierarchy,
  units: ReadonlyArray<Unit.Unit>,
  results: ReadonlyArray<Either.Either<Unit.Unit, { readonly _tag: string }>>
) => {
  expect(Either.isRight(Hierarchy.make(h.scheme, Hierarchy.units(h)))).toBe(true)
  expect(results.length).toBe(units.length)
  for (const [u, result] of Arr.zip(units, results)) {
    if (u.parentId === "c1") {
      expect(Either.getOrUndefined(result)).toEqual(u)
      expect(Option.getOrUndefined(Hierarchy.get(h, u.id))).toEqual(u)
    } else {
      expect(Either.getLeft(result).pipe(Option.getOrUndefined)).toEqual(
        new Administration.OutsideJurisdiction({
          scopeId: "s1",
          entity: "unit",
          id: u.id,
          field: "parentId",
          unitId: "c3"
        })
      )
      expect(Hierarchy.has(h, u.id)).toBe(false)
    }
  }
  expect(Hierarchy.units(h).length).toBe(base.length + units.filter((u) => u.parentId === "c1").length)
}

const unitsUnder = newIds(20).chain((ids) =>
  fc.tuple(fc.constant(ids), fc.array(fc.boolean(), { minLength: ids.length, maxLength: ids.length }))
)

const toUnits = (ids: ReadonlyArray<string>, inside: ReadonlyArray<boolean>, name: string) =>
  ids.map((id, i) => Unit.make({ id, parentId: inside[i] === false ? "c3" : "c1", level: "compound", name }))

describe.each(targets)("HierarchyRepository.update on $name", (target) => {
  layer(target.layer(), { timeout: "60 seconds" })("properties", (it) => {
    it.effect.prop(
      "N concurrent putUnit under one parent: every unit within the scope is stored, every one outside it is refused typed, the hierarchy stays valid",
      [unitsUnder, anyName],
      ([[ids, inside], name]) =>
        Effect.gen(function* () {
          yield* reset
          const context = yield* Effect.context<HierarchyRepository.HierarchyRepository>()
          const units = toUnits(ids, inside, name)
          const results = yield* putConcurrently(units, () => context)
          expectAllLanded(yield* stored, units, results)
        }),
      { fastCheck: { numRuns: 8 } }
    )

    it.effect.prop(
      "concurrent putUnit of one unit id with different names: each succeeds, the stored unit has one of the names",
      [newIds(1), fc.uniqueArray(anyName, { minLength: 2, maxLength: 10 })],
      ([[id], names]) =>
        Effect.gen(function* () {
          yield* reset
          if (id === undefined) return
          const results = yield* Effect.all(
            names.map((name) =>
              Effect.either(
                Administration.putUnit("d", Unit.make({ id, parentId: "c1", level: "compound", name }))
              )
            ),
            { concurrency: "unbounded" }
          )
          for (const r of results) expect(Either.isRight(r)).toBe(true)
          const h = yield* stored
          const unit = Hierarchy.get(h, id)
          expect(Option.isSome(unit) && names.includes(unit.value.name)).toBe(true)
          expect(Hierarchy.units(h).length).toBe(base.length + 1)
        }),
      { fastCheck: { numRuns: 8 } }
    )
  })

  it.effect("concurrent first updates of an empty store: one creates the hierarchy, the rest add to it", () =>
    Effect.gen(function* () {
      const repo = yield* HierarchyRepository.HierarchyRepository
      const ids = Array.from({ length: 20 }, (_, i) => `new${i}`)
      yield* Effect.all(
        ids.map((id) =>
          repo.update((current) => {
            const units = Option.match(current, { onNone: () => base, onSome: Hierarchy.units })
            return Either.right({
              scheme: LevelScheme.FiveLevel,
              units: [...units, Unit.make({ id, parentId: "c1", level: "compound", name: "小区" })]
            })
          })
        ),
        { concurrency: "unbounded" }
      )
      const h = yield* stored
      expect(
        Hierarchy.units(h)
          .map((u) => u.id)
          .sort()
      ).toEqual([...baseIds, ...ids].sort())
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "a refused change fails with the caller's error, an invalid one with HierarchyInvalid; nothing is written; move and save still queue with updates",
    () =>
      Effect.gen(function* () {
        const repo = yield* HierarchyRepository.HierarchyRepository
        const before = yield* reset
        expect(yield* Effect.flip(repo.update(() => Either.left(new Refused({ reason: "no" }))))).toEqual(
          new Refused({ reason: "no" })
        )
        const cycle = [
          ...base.filter((u) => u.id !== "s1"),
          Unit.make({ id: "s1", parentId: "c1", level: "street", name: "一街道" })
        ]
        const invalid = yield* Effect.flip(
          repo.update(() => Either.right({ scheme: LevelScheme.FiveLevel, units: cycle }))
        )
        const expected = Hierarchy.make(LevelScheme.FiveLevel, cycle)
        expect(Either.isLeft(expected) && expected.left).toEqual(invalid)
        expect(Hierarchy.units(yield* stored)).toEqual(Hierarchy.units(before))
        // updates, a move and a save at once: each lands whole, the last state is valid
        const add = (id: string) =>
          repo.update((current) =>
            Option.match(current, {
              onNone: () => Either.left(new Refused({ reason: "empty" })),
              onSome: (h) =>
                Either.right({
                  scheme: h.scheme,
                  units: [
                    ...Hierarchy.units(h),
                    Unit.make({ id, parentId: "c3", level: "compound", name: "小区" })
                  ]
                })
            })
          )
        yield* Effect.all([add("a1"), repo.move("c1", "s2"), add("a2"), add("a3")], {
          concurrency: "unbounded"
        })
        const h = yield* stored
        for (const id of ["a1", "a2", "a3"]) expect(Hierarchy.has(h, id)).toBe(true)
        expect(Option.map(Hierarchy.get(h, "c1"), (u) => u.parentId)).toEqual(Option.some("s2"))
        expect(yield* repo.subtreeIds("s2")).toEqual(["a1", "a2", "a3", "c1", "c3", "s2"])
      }).pipe(Effect.provide(target.layer()))
  )
})

// ---------------------------------------------------------------------------
// two clients on one database (two processes)
// ---------------------------------------------------------------------------

type Client = Layer.Layer<SqlClient.SqlClient>

/** Two separate clients on one fresh database of each dialect. */
const twoClients: ReadonlyArray<{
  readonly name: string
  readonly clients: Effect.Effect<readonly [Client, Client], never, Scope.Scope>
}> = [
  {
    name: "sqlite file opened twice",
    clients: Effect.map(
      Effect.acquireRelease(Effect.sync(sqliteFile), (f) => Effect.sync(f.cleanup)),
      (f) =>
        [SqliteStore.layer({ filename: f.filename }), SqliteStore.layer({ filename: f.filename })] as const
    ).pipe(Effect.map(([a, b]) => [Layer.orDie(a), Layer.orDie(b)] as const))
  },
  ...(pgUrl === undefined
    ? []
    : [
        {
          name: "pg, two pools",
          clients: Effect.map(freshDatabaseUrl(pgUrl), (url) => {
            const pool = () =>
              PgClient.layer({ url: Redacted.make(url), maxConnections: 4 }).pipe(Layer.orDie)
            return [pool(), pool()] as const
          })
        }
      ])
]

describe.each(twoClients)("two writers on one database: $name", ({ clients }) => {
  it.effect.prop(
    "concurrent putUnit through both clients: every unit within the scope stored, none lost",
    [unitsUnder, anyName],
    ([[ids, inside], name]) =>
      Effect.scoped(
        Effect.gen(function* () {
          const [a, b] = yield* clients
          const storeOf = (client: Client) =>
            Layer.build(SqlHierarchyRepository.layer.pipe(Layer.provideMerge(client)))
          const first = yield* storeOf(a)
          yield* Effect.orDie(Migrations.run).pipe(Effect.provide(first))
          const second = yield* storeOf(b)
          const repoA = Context.get(first, HierarchyRepository.HierarchyRepository)
          const repoB = Context.get(second, HierarchyRepository.HierarchyRepository)
          const contextA = Context.make(HierarchyRepository.HierarchyRepository, repoA)
          const contextB = Context.make(HierarchyRepository.HierarchyRepository, repoB)
          yield* repoA.save(LevelScheme.FiveLevel, base)
          const units = toUnits(ids, inside, name)
          const results = yield* putConcurrently(units, (i) => (i % 2 === 0 ? contextA : contextB))
          expectAllLanded(yield* repoB.load, units, results)
        })
      ),
    { fastCheck: { numRuns: 3 }, timeout: 60_000 }
  )
})
